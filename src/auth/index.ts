/** nest-supertokens: the public API. Everything not exported here is internal. */
export { AuthModule } from './auth.module.js';
export { AUTH_MODULE_OPTIONS, type AuthModuleExtras } from './auth.module-definition.js';
export type {
  AuthModuleOptions,
  AuthEmbeddedCoreOptions,
  AuthDashboardOptions,
  AuthSecurityOptions,
} from './auth-options.interface.js';
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
export type { VerificationCacheOptions } from './verified-token.cache.js';
export { AuthConfigError } from './auth.errors.js';
export { AuthGuard, SuperTokensAuthGuard } from './auth.guard.js';
export { AuthMiddleware } from './auth.middleware.js';
export { Session, SuperTokensSession, type SessionProperty } from './session.decorator.js';
export { Public } from './public.decorator.js';
export { VerifySession } from './verify-session.decorator.js';
export {
  Roles,
  Permissions,
  RequireEmailVerified,
  RequireClaims,
  type ClaimMatchOptions,
} from './claims.decorator.js';
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
export { SuperTokensExceptionFilter } from './supertokens-exception.filter.js';
export { SuperTokensHttpException } from './supertokens-http.exception.js';
export { AUTH_RUNTIME } from './auth.constants.js';
export type { AuthRuntime } from './auth-runtime.interface.js';
export { resetSuperTokens } from './supertokens-sdk.js';
export { superTokensCors } from './cors.js';
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
