import type { MiddlewareConsumer, Type } from '@nestjs/common';
import type { AuthHooks, AuthOverrides } from '../hooks/auth-hooks.js';
import type { RecipeUserId, SuperTokensConfig, User } from 'supertokens-node';
import type {
  AccountInfoWithRecipeId,
  RecipeLevelUser,
} from 'supertokens-node/recipe/accountlinking/types';
import type { SessionContainer } from 'supertokens-node/recipe/session';
import type { TypeInput as EmailPasswordConfig } from 'supertokens-node/recipe/emailpassword/types';
import type { TypeInput as SessionConfig } from 'supertokens-node/recipe/session/types';
import type { TypeInput as EmailVerificationConfig } from 'supertokens-node/recipe/emailverification/types';
import type { TypeInput as UserRolesConfig } from 'supertokens-node/recipe/userroles/types';
import type { TypeInput as UserMetadataConfig } from 'supertokens-node/recipe/usermetadata/types';
import type { EmailDeliveryOption } from '../delivery/email-delivery.js';
import type { SmsDeliveryOption } from '../delivery/sms-delivery.js';
import type { SmtpDelivery, TwilioDelivery } from '../delivery/provider-delivery.js';
import type { TypeInput as PasswordlessConfig } from 'supertokens-node/recipe/passwordless/types';
import type {
  ProviderInput,
  TypeInput as ThirdPartyConfig,
} from 'supertokens-node/recipe/thirdparty/types';
import type { TypeInput as DashboardConfig } from 'supertokens-node/recipe/dashboard/types';
import type { TypeInput as WebAuthnConfig } from 'supertokens-node/recipe/webauthn/types';
import type { EmbeddedCoreOptions } from '../../core/index.js';
import type { CspDirectives, DashboardExternalAsset } from '../dashboard/dashboard-csp.js';
import type { VerificationCacheOptions } from '../guard/verified-token.cache.js';
import type { RateLimitOptions } from '../security/rate-limit/rate-limit.options.js';

type MiddlewareConfigProxy = ReturnType<MiddlewareConsumer['apply']>;
type RouteArgs = Parameters<MiddlewareConfigProxy['forRoutes']>;
type ExcludeArgs = Parameters<MiddlewareConfigProxy['exclude']>;
type AppInfo = SuperTokensConfig['appInfo'];

/** Settings of the embedded core the module starts when no `connectionURI` is set. */
export interface AuthEmbeddedCoreOptions extends Omit<EmbeddedCoreOptions, 'apiKey'> {
  /**
   * Where the core keeps users, sessions and keys.
   * @default `{ dir: '.supertokens' }` (PGlite on disk); `'memory'` under Jest or Vitest
   */
  storage?: EmbeddedCoreOptions['storage'];
  /**
   * With `NODE_ENV=production` the module refuses to start the embedded core unless this is
   * true, and even then only on `storage: { postgres }` (memory and a local directory are for
   * development). The official core on the same database is the better production choice.
   * @default false
   */
  allowInProduction?: boolean;
}

/** The user management dashboard, served at `<apiDomain><apiBasePath>/dashboard`. */
export interface AuthDashboardOptions extends DashboardConfig {
  /**
   * Dashboard users who may change things. Unset: every dashboard user may; a list: only these
   * emails (compared trimmed and lower-cased), everyone else is read-only and gets 403 on writes;
   * `[]`: everyone is read-only.
   */
  admins?: string[];
  /**
   * Where browsers load the dashboard UI bundle from, an absolute URL ending in the bundle's
   * `build/` folder. Default: the SuperTokens CDN (jsDelivr), which an air-gapped deployment
   * cannot reach: host the bundle yourself and point this at it, or use `bundleDir`.
   */
  bundleLocation?: string;
  /**
   * A local copy of the dashboard UI bundle (its `build/` folder), served by this app under
   * `<apiBasePath>/dashboard/bundle/`: for air-gapped and strict-CSP deployments. The dashboard's
   * CSP then allows only `'self'` plus `allowExternal`. Checked at start-up.
   */
  bundleDir?: string;
  /**
   * What the UI may load from outside its bundle: `'flags'` (country flags of phone numbers) and
   * `'fonts'` (Google Fonts). Default: both with a remote bundle, none with `bundleDir`. What is
   * left out is blocked by the CSP without breaking the UI: flags show as broken images, fonts
   * fall back (the page's CSP-violation screen is kept quiet for these two only).
   */
  allowExternal?: DashboardExternalAsset[];
  /**
   * Dashboard logins to make sure exist at start-up (created, or their password set), e.g. from
   * `DASHBOARD_EMAIL` / `DASHBOARD_PASSWORD`. The embedded core forgets them on restart, so this
   * is how a development dashboard gets its first user.
   */
  users?: { email: string; password: string }[];
  /**
   * Send `dashboardCsp()` as the Content-Security-Policy of every response under the dashboard
   * path (it replaces an app-wide policy there, e.g. helmet's). `false`: leave CSP to you; an
   * object: directives added to or replacing the dashboard's.
   * @default true
   */
  csp?: boolean | CspDirectives;
}

/** Protections beyond supertokens-node's defaults. */
export interface AuthSecurityOptions {
  /**
   * `'hardened'` closes the gaps OWASP ASVS 4.0 finds in SuperTokens' defaults (each can still
   * be set on its own):
   * - sessions end 12 hours after sign-in however much they are used (`absoluteSessionLifetime`);
   * - anti-CSRF tokens on (`session.antiCsrf: 'VIA_TOKEN'`, unless you set it);
   * - passwords over 72 bytes refused with a message instead of silently cut (bcrypt reads 72);
   * - no email-exists / phone-exists endpoints (they tell anyone which accounts exist);
   * - passwordless codes live 10 minutes, not 15 (the embedded core; set
   *   `passwordless_code_lifetime` on an official core);
   * - `__Host-` / `__Secure-` session cookie names on https (`cookiePrefixes`).
   * @default 'default'
   */
  profile?: 'default' | 'hardened';
  /**
   * Seconds after sign-in when a session ends even while in use (the user signs in again);
   * `false`: never. @default false; 43 200 (12 h) with profile 'hardened'
   */
  absoluteSessionLifetime?: number | false;
  /**
   * Session cookies named `__Host-sAccessToken` and `__Secure-sRefreshToken`, so a sibling
   * subdomain cannot plant or overwrite them (ASVS V3.4.4). Only with an https `apiDomain`; a
   * browser then holds only prefixed cookies, and plain-named ones sent to the app are ignored.
   * @default false; true with profile 'hardened'
   */
  cookiePrefixes?: boolean;
  /**
   * Changing or resetting a password (the reset API, the dashboard, or your own
   * `EmailPassword.updateEmailOrPassword`) revokes every session of the user, in every tenant,
   * except the one named by `userContext.keepSessionHandle`. Access tokens already issued stay
   * valid until they expire (they are checked without the core); their refresh tokens die.
   * @default true
   */
  revokeSessionsOnPasswordChange?: boolean;
  /**
   * Sign-in with an email that has no password login costs a decoy bcrypt hash, as a wrong
   * password for a real account does, and a password-reset request for an unknown email makes
   * the same core call a known one does, so response times do not reveal which emails exist.
   * @default true
   */
  equalSignInTiming?: boolean;
}

/** `thirdParty: { providers, … }`: the SDK's ThirdParty config with the providers at the top. */
export interface ThirdPartyOptions extends Omit<ThirdPartyConfig, 'signInAndUpFeature'> {
  providers: ProviderInput[];
}

/**
 * `webauthn: { … }`: sign-in with passkeys (the SDK's WebAuthn recipe). Besides these, the SDK's
 * own `validateEmailAddress`, `emailDelivery` (the module's `emailDelivery` otherwise) and
 * `override` pass through.
 * @example { relyingPartyId: 'example.com', origin: ['https://app.example.com', 'https://admin.example.com'] }
 */
export interface WebAuthnOptions extends Omit<
  WebAuthnConfig,
  'getRelyingPartyId' | 'getRelyingPartyName' | 'getOrigin'
> {
  /**
   * The relying party id passkeys are bound to: the sites' host name (`app.example.com`) or a
   * parent domain of it (`example.com`, so that every subdomain shares the passkeys), without
   * scheme, port or path. Checked at start-up against every origin. Browsers refuse an IP address
   * (use `localhost` in development). Changing it later orphans the passkeys already made.
   *
   * Unlike supertokens-node, whose default is the host of `appInfo.apiDomain` (which browsers and
   * the core refuse as soon as the API and the site are on different hosts, such as
   * `api.example.com` and `app.example.com`), the default is the site's host.
   * @default the host name of `appInfo.websiteDomain` (or of the first `origin`)
   */
  relyingPartyId?: string;
  /**
   * The name the browser and the authenticator show beside the passkey.
   * @default appInfo.appName
   */
  relyingPartyName?: string;
  /**
   * The origin(s) pages that create and use passkeys are served from (`https://app.example.com`;
   * `http` only on localhost). With several, each request gets the one its `Origin` header names,
   * or the first when it names none of them.
   * @default appInfo.origin (when a string), else appInfo.websiteDomain
   * @example ['https://app.example.com', 'https://admin.example.com']
   */
  origin?: string | string[];
}

/** What `accountLinking.automatic` decides on: a login method and the user it would join. */
export interface LinkingCandidate {
  /** The login method being created or signed in with (its recipe, email / phone / provider). */
  newAccount: AccountInfoWithRecipeId & { recipeUserId?: RecipeUserId };
  /** The user it would be linked to (the one with the same email), if there is one. */
  user: User | undefined;
  tenantId: string;
  /** The signed-in session, when a signed-in user adds a login method. */
  session: SessionContainer | undefined;
}

/** What `mfa.requiredSecondaryFactors` decides on, for a sign-in. */
export interface MfaRequirementInput {
  /** The user signing in (its login methods, tenants, emails). */
  user: User;
  tenantId: string;
  /** The factors the user has set up (e.g. `['emailpassword', 'totp']`). */
  factorsSetUp: string[];
}

/**
 * `mfa: { … }`: multi-factor sign-in (the SDK's MultiFactorAuth and TOTP recipes, with account
 * linking on as they need it).
 */
export interface MfaOptions {
  /**
   * The factors a user may sign in with first (`emailpassword`, `thirdparty`, `otp-email`,
   * `otp-phone`, `link-email`, `link-phone`, `webauthn`). A tenant's own `firstFactors` win.
   * @default every recipe that is on
   */
  firstFactors?: string[];
  /**
   * The second factors a sign-in must complete one of (`totp`, `otp-email`, `otp-phone`,
   * `webauthn`), for everyone, or per user and tenant from a function. A tenant's
   * `requiredSecondaryFactors` (set through `MultitenancyService`) and a user's own
   * (`MfaService`) add to these.
   * @example ['totp'] or ({ user }) => (user.emails[0]?.endsWith('@acme.com') ? ['totp'] : [])
   * @default [] (no second factor unless a tenant or user requires one)
   */
  requiredSecondaryFactors?:
    string[] | ((input: MfaRequirementInput) => string[] | Promise<string[]>);
  /**
   * Authenticator apps as a factor (`totp`): `true`, or the issuer shown in the app and the
   * codes' period and skew. @default false
   */
  totp?: boolean | { issuer?: string; period?: number; skew?: number };
  /**
   * Which guarded routes need the required factors done: `every-route` (the SDK's behaviour:
   * `@RequireMfa(false)` exempts a route, such as the one that serves the second-factor step)
   * or `marked-routes` (only those with `@RequireMfa()` or `@VerifySession({ mfa: true })`).
   * @default 'every-route'
   */
  requiredOn?: 'every-route' | 'marked-routes';
}

/** `accountLinking: { … }`. */
export interface AccountLinkingOptions {
  /**
   * Link a new login method to the existing user with the same email or phone number when it
   * signs up or in: `true`, `false` (only `AccountLinkingService` links), or a function deciding
   * per candidate (e.g. only for your company's domain).
   * @default true
   */
  automatic?: boolean | ((candidate: LinkingCandidate) => boolean | Promise<boolean>);
  /**
   * Link automatically only when both sides' email is verified (by the provider, or by email
   * verification). Turning it off lets whoever signs up first with someone's email take over
   * their account when they sign in with Google later: keep it unless every login method you
   * offer proves the email.
   * @default true
   */
  requireVerification?: boolean;
  /** Called after a login method was linked to a user (automatically or by the service). */
  onAccountLinked?: (user: User, newAccount: RecipeLevelUser) => void | Promise<void>;
}

/** `multitenancy: { … }`. */
export interface MultitenancyOptions {
  /** The website domains of a tenant (e.g. `['acme.example.com']`), or undefined for any. */
  allowedDomains?: (tenantId: string) => string[] | undefined | Promise<string[] | undefined>;
}

/**
 * Options of `AuthModule.forRoot()` / `forRootAsync()`. SuperTokens' own types pass through
 * unchanged; the rest are Nest-only keys.
 */
export interface AuthModuleOptions {
  /**
   * The SuperTokens core(s) to use, `;`-separated, optionally ending in `/appid-<id>`.
   * Unset: the module starts the embedded core on 127.0.0.1 (development and tests only).
   * @example 'https://core.internal:3567'
   */
  connectionURI?: string;
  /** The core's API key (`api_keys` in its config). Never logged. */
  apiKey?: string;
  /**
   * At start-up, ask the `connectionURI` core(s) for `/apiversion` and `/ee/featureflag` (in
   * parallel, at most 2 s) and refuse to start, naming the fix, when a core refuses the `apiKey`
   * (401) or the `Host` (403), does not speak CDI 5.4, or lacks a licensed feature an enabled
   * option needs (`multitenancy`, `accountLinking`, `mfa`, more than 3 `dashboard.users`). A core
   * that cannot be reached only gets a warning: the app starts and answers 503 until it is up.
   * `false` skips the check. Not used with the embedded core.
   * @default true
   */
  coreCheck?: boolean;
  /**
   * Your app's names and URLs, as supertokens-node's `appInfo`.
   * `apiBasePath` and `websiteBasePath` default to `/auth`.
   * @example { appName: 'Acme', apiDomain: 'http://localhost:3000', websiteDomain: 'http://localhost:5173' }
   */
  appInfo: AppInfo;
  /**
   * EmailPassword sign-up / sign-in: `true`, `false`, or the SDK's `EmailPassword.init` config.
   * @default true
   */
  emailPassword?: boolean | EmailPasswordConfig;
  /**
   * Passwordless sign-in: `contactMethod` `PHONE` | `EMAIL` | `EMAIL_OR_PHONE` and `flowType`
   * `USER_INPUT_CODE` | `MAGIC_LINK` | `USER_INPUT_CODE_AND_MAGIC_LINK` (the SDK's
   * `Passwordless.init` config). Codes go out through `emailDelivery` / `smsDelivery`.
   * @example { contactMethod: 'PHONE', flowType: 'USER_INPUT_CODE' }
   * @default off
   */
  passwordless?: PasswordlessConfig;
  /**
   * Social and enterprise sign-in (the SDK's ThirdParty recipe): `providers` are supertokens-node's
   * provider configs, passed through (Google, GitHub, Apple, any OIDC issuer, a custom OAuth 2
   * provider). The frontend gets `<apiBasePath>/authorisationurl` and `/signinup`.
   * @example { providers: [{ config: { thirdPartyId: 'github', clients: [{ clientId, clientSecret }] } }] }
   * @default off
   */
  thirdParty?: ThirdPartyOptions;
  /**
   * Sign-in with passkeys (WebAuthn, the SDK's WebAuthn recipe): `true`, or where passkeys live
   * (`relyingPartyId`, `origin`) and the name shown with them. The frontend gets
   * `<apiBasePath>/webauthn/options/register`, `/webauthn/signup`, `/webauthn/options/signin`,
   * `/webauthn/signin`, the session user's passkeys (`/webauthn/credential…`) and account
   * recovery by email (`/user/webauthn/reset/token`, `/user/webauthn/reset`; the email goes through
   * `emailDelivery`). Relying party id and origins are checked at start-up.
   * @example { relyingPartyId: 'example.com' }
   * @default off
   */
  webauthn?: boolean | WebAuthnOptions;
  /**
   * Where passwordless text messages go: `'console'`, `'inbox'`, your `SmsSender`, or
   * `{ twilio: { accountSid, authToken, from | messagingServiceSid } }` (the SDK's Twilio service).
   * @default 'console'
   */
  smsDelivery?: SmsDeliveryOption | TwilioDelivery;
  /**
   * Email verification: `{ mode: 'REQUIRED' }` refuses sessions of unverified emails on every
   * guarded route (403 invalid claim); `{ mode: 'OPTIONAL' }` leaves it to `@RequireEmailVerified()`.
   * The SDK's `EmailVerification.init` config. @default off
   */
  emailVerification?: EmailVerificationConfig;
  /** User roles and permissions (`UserRoles.init`; `@Roles()`, `@Permissions()`). @default false */
  roles?: boolean | UserRolesConfig;
  /** User metadata (`UserMetadata.init`, `UserMetadataService`). @default false */
  metadata?: boolean | UserMetadataConfig;
  /**
   * Tenants (organisations): `MultitenancyService`, `@RequireTenant()` and `@Tenant()`, and the
   * tenant's auth APIs under `<apiBasePath>/<tenantId>/…`. `allowedDomains` gives the website
   * domains a tenant's users may come from (the SDK's `getAllowedDomainsForTenantId`, checked
   * by the SDK when it builds links and by the frontend). @default false
   */
  multitenancy?: boolean | MultitenancyOptions;
  /**
   * One user, several ways to sign in: `true` links a new email-password, passwordless or social
   * login to the existing user with the same verified email (the SDK's AccountLinking recipe), and
   * provides `AccountLinkingService` to link and unlink by hand. Sessions carry the user's id
   * (the primary user) and the login method used (`getRecipeUserId()`).
   * @example { automatic: true, requireVerification: true }
   * @default false
   */
  accountLinking?: boolean | AccountLinkingOptions;
  /**
   * Multi-factor sign-in: second factors (authenticator apps with `totp`, one-time codes by
   * email or SMS through `passwordless`) required for everyone, per tenant or per user, checked
   * by `AuthGuard` on every guarded route (or only `@RequireMfa()` ones). Turns account linking
   * on for factor set-up when `accountLinking` is not set. `MfaService` reads and changes a
   * user's factors.
   * @example { requiredSecondaryFactors: ['totp'], totp: { issuer: 'Acme' } }
   */
  mfa?: MfaOptions;
  /**
   * Where password-reset, verification, passwordless and passkey-recovery emails go:
   * `'console'` (one marked log line), `'inbox'` (the injectable `DeliveryInbox`, for tests),
   * your own `EmailSender`, or
   * `{ smtp: { host, port, from: { name, email }, password, ... } }` (the SDK's SMTP services).
   * A recipe config's own `emailDelivery` wins. Never SuperTokens' hosted service.
   * @default 'console'
   */
  emailDelivery?: EmailDeliveryOption | SmtpDelivery;
  /** Allow `emailDelivery: 'console'` with NODE_ENV=production (links end up in logs). @default false */
  allowConsoleDeliveryInProduction?: boolean;
  /**
   * Built-in limits on sign-in, sign-up, password reset, email verification, passwordless codes
   * and the dashboard sign-in, per client IP and per account or contact, with exponential
   * back-off after failed sign-ins. Over a limit: 429 with Retry-After, before any password is
   * hashed. `false` turns them all off (`authTestingOptions` does, so test suites can sign in as
   * often as they like). See `DEFAULT_RATE_LIMITS` for the values.
   * @default on, with DEFAULT_RATE_LIMITS
   */
  rateLimit?: false | RateLimitOptions;
  /** Protections beyond SuperTokens' defaults (see `AuthSecurityOptions`), or `'hardened'`. */
  security?: 'hardened' | AuthSecurityOptions;
  /** The SDK's `Session.init` config (cookie settings, anti-CSRF, overrides...). @default {} */
  session?: SessionConfig;
  /**
   * Remember access tokens already verified (by a hash of the token, until it expires) so a
   * token is RSA-verified once, not on every request. Never used for requests that need the
   * core (`checkDatabase`, unpromoted tokens) or anti-CSRF tokens. `false` turns it off.
   * @default { maxEntries: 10000 }
   */
  verificationCache?: false | VerificationCacheOptions;
  /**
   * The user management dashboard at `<apiBasePath>/dashboard`: `true`, or its options (admins,
   * bundle location, start-up users, CSP). Dashboard logins are kept in the core; create them
   * with `npm run dashboard -- users create` or `dashboard.users`.
   * @default off
   */
  dashboard?: boolean | AuthDashboardOptions;
  /** More recipes (their `init()` results), appended after the ones built from these options. */
  recipeList?: SuperTokensConfig['recipeList'];
  /**
   * An injectable class whose methods run after auth events (`afterSignUp`, `afterSignIn`,
   * `afterSessionCreated`, `afterSignOut`, `afterPasswordReset`, `afterEmailVerified`), with
   * dependency injection: see `AuthHooks`. Register it as a provider in your own module to give
   * it that module's injectables.
   */
  hooks?: Type<AuthHooks>;
  /**
   * The SDK's `override.functions` / `override.apis` of the recipes, as methods of an injectable
   * class, so they can use the app's providers: see `AuthOverrides`.
   */
  overrides?: Type<AuthOverrides>;
  /** Last word on the config handed to `supertokens.init()`: return it changed. */
  override?: (config: SuperTokensConfig) => SuperTokensConfig;
  /**
   * Serve the SDK's auth APIs (`/auth/signin`, `/auth/session/refresh`, ...). `false` = verify-only
   * mode for services behind a gateway: no routes are mounted, `AuthGuard` still checks sessions.
   * @default true
   */
  apis?: boolean;
  /**
   * Where the auth middleware is mounted, with `routes: 'middleware'` only (start-up refuses it
   * otherwise). Default: only under `appInfo.apiBasePath`, so other routes pay nothing for it.
   */
  middleware?: { forRoutes?: RouteArgs; exclude?: ExcludeArgs };
  /** Register `SuperTokensExceptionFilter` globally. @default true */
  exceptionFilter?: boolean;
  /** The embedded core's settings (used only without `connectionURI`). */
  embeddedCore?: AuthEmbeddedCoreOptions;
  /** supertokens-node telemetry; off by default because it would call out of the machine. @default false */
  telemetry?: boolean;
  /** supertokens-node debug logs. @default false */
  debug?: boolean;
}
