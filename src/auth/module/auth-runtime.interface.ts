import type { EmbeddedCore } from '../../core/index.js';
import type { AuthModuleOptions } from './auth-options.interface.js';
import type { DashboardBundle } from '../dashboard/dashboard-bundle.js';
import type { DashboardSettings } from '../dashboard/dashboard-settings.js';
import type { AuthHooksRunner, AuthOverridesBinding } from '../hooks/auth-hooks.js';
import type { DashboardUsers } from '../dashboard/dashboard-users.js';
import type { DeliveryInbox } from '../delivery/delivery-inbox.js';
import type { RateLimiter } from '../security/rate-limit/rate-limiter.js';
import type { VerifiedTokenCache } from '../guard/verified-token.cache.js';

/** What the module made of its options: the core in use and the settled paths. */
export interface AuthRuntime {
  readonly options: AuthModuleOptions;
  readonly connectionURI: string;
  /** Set when the module started the embedded core (no `connectionURI`). */
  readonly embeddedCore?: EmbeddedCore;
  readonly apiBasePath: string;
  /**
   * Verified access tokens (unless `verificationCache: false`), shared by the SDK and AuthGuard.
   * @internal
   */
  readonly verifiedTokens?: VerifiedTokenCache;
  /** Messages sent with the `inbox` delivery. */
  readonly inbox: DeliveryInbox;
  /** Dashboard logins in the core in use. */
  readonly dashboardUsers: DashboardUsers;
  /**
   * The built-in rate limits (unless `rateLimit: false`).
   * @internal
   */
  readonly rateLimiter?: RateLimiter;
  /**
   * What the module made of the `dashboard` option (paths, CSP, page edits); unset when it is off.
   * @internal
   */
  readonly dashboard?: DashboardSettings;
  /**
   * The local dashboard bundle (`dashboard.bundleDir`), checked at start-up.
   * @internal
   */
  readonly dashboardBundle?: DashboardBundle;
  /**
   * Runs the app's `hooks` (when set); bound to the app's instance once providers exist.
   * @internal
   */
  readonly hooks?: AuthHooksRunner;
  /**
   * The app's `overrides` class, bound once providers exist.
   * @internal
   */
  readonly overrides?: AuthOverridesBinding;
  /** Releases the SDK singleton and stops the embedded core. */
  close(): Promise<void>;
}
