/** nest-supertokens: the public API. Everything not exported here is internal. */
export { AuthModule } from './module/auth.module.js';
export { AUTH_MODULE_OPTIONS, type AuthModuleExtras } from './module/auth.module-definition.js';
export type {
  AuthModuleOptions,
  AuthEmbeddedCoreOptions,
  AuthDashboardOptions,
  AuthSecurityOptions,
} from './module/auth-options.interface.js';
export {
  DashboardUsers,
  DashboardUserError,
  type DashboardUser,
  type DashboardUserRef,
  type DashboardUserErrorCode,
  type DashboardUsersConnection,
} from './dashboard/dashboard-users.js';
export {
  dashboardCsp,
  cspHeaderValue,
  DEFAULT_DASHBOARD_BUNDLE,
  type CspDirectives,
  type DashboardCspOptions,
} from './dashboard/dashboard-csp.js';
export type { VerificationCacheOptions } from './guard/verified-token.cache.js';
export { AuthConfigError } from './errors/auth.errors.js';
export { AuthGuard, SuperTokensAuthGuard } from './guard/auth.guard.js';
export { AuthMiddleware } from './middleware/auth.middleware.js';
export {
  Session,
  SuperTokensSession,
  type SessionProperty,
} from './decorators/session.decorator.js';
export { Public } from './decorators/public.decorator.js';
export { VerifySession } from './decorators/verify-session.decorator.js';
export {
  Roles,
  Permissions,
  RequireEmailVerified,
  RequireClaims,
  type ClaimMatchOptions,
} from './decorators/claims.decorator.js';
export { UserRolesService } from './services/user-roles.service.js';
export { UserMetadataService } from './services/user-metadata.service.js';
export { EmailVerificationService } from './services/email-verification.service.js';
export {
  DeliveryInbox,
  type DeliveredMessage,
  type DeliveryKind,
} from './delivery/delivery-inbox.js';
export type { AuthEmail, EmailDeliveryOption, EmailSender } from './delivery/email-delivery.js';
export type { AuthSms, SmsDeliveryOption, SmsSender } from './delivery/sms-delivery.js';
export { SuperTokensExceptionFilter } from './errors/supertokens-exception.filter.js';
export { SuperTokensHttpException } from './errors/supertokens-http.exception.js';
export { AUTH_RUNTIME } from './module/auth.constants.js';
export type { AuthRuntime } from './module/auth-runtime.interface.js';
export { resetSuperTokens } from './module/supertokens-sdk.js';
export { superTokensCors } from './middleware/cors.js';
export { getRequestResponse, type RequestResponse } from './utils/execution-context.util.js';
export type { SessionContainer, VerifySessionOptions } from 'supertokens-node/recipe/session';
export {
  DEFAULT_RATE_LIMITS,
  type BackoffRule,
  type RateLimitOptions,
  type RateLimitRule,
  type RateLimits,
} from './security/rate-limit/rate-limit.options.js';
export {
  MemoryRateLimitStore,
  type CounterState,
  type RateLimitStore,
} from './security/rate-limit/rate-limit.store.js';
export {
  RedisRateLimitStore,
  type RedisEvalClient,
} from './security/rate-limit/redis-rate-limit.store.js';
export type { PasswordChangeContext } from './security/emailpassword-hardening.js';
