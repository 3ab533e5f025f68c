import type { CoreConfig } from '../core.config.js';
import type { MultitenancyStorage } from '../store/storage/multitenancy.storage.js';

/** The settings a tenant's `coreConfig` changes for that tenant in the embedded core. */
export type TenantSettings = Pick<
  CoreConfig,
  | 'passwordResetTokenLifetime'
  | 'emailVerificationTokenLifetime'
  | 'passwordlessCodeLifetime'
  | 'passwordlessMaxCodeInputAttempts'
>;

/** Each setting's real-core config key. */
const KEYS: Readonly<Record<keyof TenantSettings, string>> = {
  passwordResetTokenLifetime: 'password_reset_token_lifetime',
  emailVerificationTokenLifetime: 'email_verification_token_lifetime',
  passwordlessCodeLifetime: 'passwordless_code_lifetime',
  passwordlessMaxCodeInputAttempts: 'passwordless_max_code_input_attempts',
};

/**
 * A tenant's settings as the real core resolves them: the tenant's `coreConfig`, else its app's
 * public tenant's, else the core's own. (Values were checked when they were stored.)
 */
export async function tenantSettings(
  store: MultitenancyStorage,
  config: CoreConfig,
  appId: string,
  tenantId: string,
): Promise<TenantSettings> {
  const settings: TenantSettings = {
    passwordResetTokenLifetime: config.passwordResetTokenLifetime,
    emailVerificationTokenLifetime: config.emailVerificationTokenLifetime,
    passwordlessCodeLifetime: config.passwordlessCodeLifetime,
    passwordlessMaxCodeInputAttempts: config.passwordlessMaxCodeInputAttempts,
  };
  // The public tenant of the public app has the core's own settings (no coreConfig of its own).
  const layers = [
    appId === 'public' ? undefined : await store.getTenantConfig(appId, 'public'),
    tenantId === 'public' ? undefined : await store.getTenantConfig(appId, tenantId),
  ];
  for (const layer of layers) {
    for (const [name, key] of Object.entries(KEYS) as [keyof TenantSettings, string][]) {
      const value = layer?.coreConfig[key];
      if (value !== undefined && value !== null) settings[name] = Number(value);
    }
  }
  return settings;
}

/**
 * The longest passwordless code lifetime of any tenant: the clean-up deletes devices whose codes
 * are all older than that, so no tenant loses a code that is still valid for it.
 */
export async function longestCodeLifetime(
  store: MultitenancyStorage,
  config: CoreConfig,
): Promise<number> {
  let longest = config.passwordlessCodeLifetime;
  for (const appId of await store.listApps()) {
    for (const tenant of await store.listTenantConfigs(appId)) {
      const value = Number(tenant.coreConfig[KEYS.passwordlessCodeLifetime]);
      if (Number.isFinite(value) && value > longest) longest = value;
    }
  }
  return longest;
}
