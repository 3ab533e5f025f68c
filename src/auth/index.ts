/**
 * nest-supertokens: the public API. Everything not exported here is internal. One line per name
 * says what it is; the TSDoc at its home says the rest.
 */

// The module and its options
/** The module: `AuthModule.forRoot(options)` / `forRootAsync({ useFactory })`. */
export { AuthModule } from './module/auth.module.js';
/** Module-level extras set beside the options (`isGlobal`, `globalGuard`). */
export { type AuthModuleExtras } from './module/auth.module-definition.js';
/** The options, and the option groups they are made of. */
export type {
  AuthModuleOptions,
  AuthEmbeddedCoreOptions,
  AuthDashboardOptions,
  AuthSecurityOptions,
  MultitenancyOptions,
  AccountLinkingOptions,
  LinkingCandidate,
  MfaOptions,
  MfaRequirementInput,
  ThirdPartyOptions,
  WebAuthnOptions,
} from './module/auth-options.interface.js';
/** What the module settled on (core URL, API base path, embedded core key); the options' token and decorator. */
export { AuthInfo, getAuthOptionsToken, InjectAuthOptions } from './module/auth-info.js';
/** A configuration mistake found at start-up (names the option and the fix). */
export { AuthConfigError } from './errors/auth.errors.js';

// Guarding routes
/** The guard: `@UseGuards(AuthGuard)`; `SuperTokensAuthGuard` is the same, for apps that also use @nestjs/passport. */
export { AuthGuard, SuperTokensAuthGuard } from './guard/auth.guard.js';
/** The request's session (`@Session()`, `@Session('userId')`); `SuperTokensSession` is the same. */
export {
  Session,
  SuperTokensSession,
  type SessionProperty,
} from './decorators/session.decorator.js';
/** Typed sessions: declare your access-token claims once (`AccessTokenClaims`), read them typed. */
export {
  sessionClaims,
  type AccessTokenClaims,
  type AccessTokenPayload,
  type SessionClaims,
  type StandardAccessTokenClaims,
  type TypedSession,
} from './decorators/session-claims.js';
/** A route the global guard leaves open. */
export { Public } from './decorators/public.decorator.js';
/** Per-route session options (`sessionRequired`, `checkDatabase`, ...). */
export { VerifySession } from './decorators/verify-session.decorator.js';
/** Claim checks on a route: roles, permissions, verified email, any SDK claim validators. */
export {
  Roles,
  Permissions,
  RequireEmailVerified,
  RequireClaims,
  type ClaimMatchOptions,
  type ListArgs,
} from './decorators/claims.decorator.js';
/** A route that needs the required second factors done (`mfa`), or is exempt from them. */
export { RequireMfa } from './decorators/mfa.decorator.js';
/** supertokens-node's session object and its verification options. */
export type { SessionContainer, VerifySessionOptions } from 'supertokens-node/recipe/session';
/** Options of the verified-access-token cache (`verificationCache`). */
export type { VerificationCacheOptions } from './guard/verified-token.cache.js';
/** The HTTP request and response behind an ExecutionContext (HTTP, GraphQL, WebSockets). */
export { getRequestResponse, type RequestResponse } from './utils/execution-context.util.js';

// Errors
/** Turns SuperTokens errors into HTTP answers; registered globally unless `exceptionFilter: false`. */
export { SuperTokensExceptionFilter } from './errors/supertokens-exception.filter.js';
/** The HttpException a SuperTokens error becomes, for your own filters. */
export { SuperTokensHttpException } from './errors/supertokens-http.exception.js';

// Services
/** Roles and permissions of users (`roles: true`). */
export { UserRolesService } from './services/user-roles.service.js';
/** Tenants: create, change, list and delete them; move users in and out (`multitenancy: true`). */
export {
  MultitenancyService,
  type TenantAssociationResult,
  type TenantChanges,
  type TenantSetup,
  type ThirdPartyProviderResult,
} from './services/multitenancy.service.js';
/** One user with several login methods: link, unlink, make primary (`accountLinking`). */
export {
  AccountLinkingService,
  type AccountInfoConflict,
  type LinkResult,
  type PrimaryUserResult,
  type UnlinkResult,
} from './services/account-linking.service.js';
/** A user's second factors: set up, required, TOTP devices (`mfa`). */
export { MfaService, type TotpDevice } from './services/mfa.service.js';
/** `@RequireTenant()` (only sessions of the route's tenant) and `@Tenant()` (the session's tenant). */
export { RequireTenant, Tenant, type TenantRequirement } from './decorators/tenant.decorator.js';
/** User metadata (`metadata: true`). */
export { UserMetadataService, type UserMetadataValues } from './services/user-metadata.service.js';
/** Email verification (`emailVerification`). */
export { EmailVerificationService } from './services/email-verification.service.js';

// Delivery of emails and text messages
/** Messages kept in memory by `emailDelivery: 'inbox'` / `smsDelivery: 'inbox'` (tests). */
export {
  DeliveryInbox,
  type DeliveredMessage,
  type DeliveryKind,
} from './delivery/delivery-inbox.js';
/** Your own email sender, and what it is given. */
export type { AuthEmail, EmailDeliveryOption, EmailSender } from './delivery/email-delivery.js';
/** Your own SMS sender, and what it is given. */
export type { AuthSms, SmsDeliveryOption, SmsSender } from './delivery/sms-delivery.js';
/** The SDK's SMTP and Twilio services as delivery options (`{ smtp }`, `{ twilio }`). */
export type { SmtpDelivery, TwilioDelivery } from './delivery/provider-delivery.js';

/** The session of the request being served, injectable anywhere (AsyncLocalStorage). */
export { CurrentSession } from './services/current-session.js';

/** A `@nestjs/terminus` health indicator: is the SuperTokens core answering? */
export {
  SuperTokensHealthIndicator,
  type SuperTokensHealthResult,
  type RateLimitStoreHealthResult,
} from './services/supertokens-health.indicator.js';

/** After-event hooks and SDK overrides as injectable classes (`hooks`, `overrides`), and the events hooks receive. */
export type {
  AuthHooks,
  AuthOverrides,
  AuthHookRecipe,
  AuthUserEvent,
  AuthSessionEvent,
  AuthPasswordResetEvent,
  AuthEmailVerifiedEvent,
} from './hooks/auth-hooks.js';

/** OpenAPI (`@nestjs/swagger`): security schemes, guarded routes marked, the auth APIs documented. */
export {
  withSuperTokens,
  SUPERTOKENS_SECURITY_SCHEMES,
  type OpenApiDocument,
} from './openapi/openapi.js';

// WebSockets
/** A gateway's session: checked at connection time, then per message by `AuthGuard`. */
export {
  connectWithSession,
  verifyWsSession,
  handshakeAccessToken,
  WS_AUTH_ERROR_EVENT,
  type WsAuthError,
} from './ws/ws-session.js';

// The dashboard
/** Dashboard logins in the core in use (create, update, delete, list). */
export {
  DashboardUsers,
  DashboardUserError,
  type DashboardUser,
  type DashboardUserRef,
  type DashboardUserErrorCode,
  type DashboardUsersConnection,
} from './dashboard/dashboard-users.js';
/** The dashboard's Content-Security-Policy for your own helmet set-up, and what the UI loads from outside its bundle. */
export {
  dashboardCsp,
  cspHeaderValue,
  DEFAULT_DASHBOARD_BUNDLE,
  DASHBOARD_EXTERNAL_SOURCES,
  type CspDirectives,
  type DashboardCspOptions,
  type DashboardExternalAsset,
  type ExternalSources,
} from './dashboard/dashboard-csp.js';

// CORS
/** CORS options with the SDK's headers and `credentials: true`, for `app.enableCors()`. */
export { superTokensCors } from './middleware/cors.js';

// Security
/** The rate limits: their defaults, rules and options. */
export {
  DEFAULT_RATE_LIMITS,
  type BackoffRule,
  type RateLimitOptions,
  type RateLimitRule,
  type RateLimits,
} from './security/rate-limit/rate-limit.options.js';
/** Where rate-limit counters live: the interface, in memory, in Redis. */
export {
  MemoryRateLimitStore,
  type CounterState,
  type RateLimitStore,
} from './security/rate-limit/rate-limit.store.js';
export {
  RedisRateLimitStore,
  type RedisEvalClient,
} from './security/rate-limit/redis-rate-limit.store.js';
/** `userContext` of `EmailPassword.updateEmailOrPassword`: the session to keep signed in. */
export type { PasswordChangeContext } from './security/emailpassword-hardening.js';
