import type { CoreConfig } from './core.config.js';
import type { TenantSettings } from './multitenancy/tenant-settings.js';
import type { SigningKeys } from './keys/signing-keys.js';
import type { AccessTokens } from './sessions/access-token.js';
import type { RefreshTokens } from './sessions/refresh-token.js';
import type { Store } from './store/store.interface.js';

/**
 * What every feature's routes are built from. A service names the storage it needs as `S` (the
 * narrow per-recipe interfaces of `store/storage/`), so it cannot reach another recipe's data.
 */
export interface CoreContext<S = Store> {
  store: S;
  config: CoreConfig;
  keys: SigningKeys;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  now: () => number;
  /** A tenant's settings: its `coreConfig` over its app's over the core's own. */
  settings: (appId: string, tenantId: string) => Promise<TenantSettings>;
}
