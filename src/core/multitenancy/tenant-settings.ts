import { CORE_CONFIG_KEYS, type CoreConfig } from '../core.config.js';
import type { MultitenancyStorage } from '../store/storage/multitenancy.storage.js';

/** The number settings a tenant's `coreConfig` changes for that tenant in the embedded core. */
const TENANT_SETTINGS = [
  'passwordResetTokenLifetime',
  'emailVerificationTokenLifetime',
  'passwordlessCodeLifetime',
  'passwordlessMaxCodeInputAttempts',
  'totpMaxAttempts',
  'totpRateLimitCooldownSec',
  'webauthnRecoverAccountTokenLifetime',
] as const;

type NumberSettings = Pick<CoreConfig, (typeof TENANT_SETTINGS)[number]>;

export type TenantSettings = NumberSettings & Pick<CoreConfig, 'firebasePasswordHashingSignerKey'>;

/** A text setting as the real core's Gson reads a JSON value into a `String` field. */
const text = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

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
    ...(Object.fromEntries(TENANT_SETTINGS.map((name) => [name, config[name]])) as NumberSettings),
    firebasePasswordHashingSignerKey: config.firebasePasswordHashingSignerKey,
  };
  // The public tenant of the public app has the core's own settings (no coreConfig of its own).
  const layers = [
    appId === 'public' ? undefined : await store.getTenantConfig(appId, 'public'),
    tenantId === 'public' ? undefined : await store.getTenantConfig(appId, tenantId),
  ];
  for (const layer of layers) {
    for (const name of TENANT_SETTINGS) {
      const value = layer?.coreConfig[CORE_CONFIG_KEYS[name]];
      if (value !== undefined && value !== null) settings[name] = Number(value);
    }
    // One value per app (`@NotConflictingInApp`): a tenant's is its app's public tenant's.
    const signerKey = layer?.coreConfig[CORE_CONFIG_KEYS.firebasePasswordHashingSignerKey];
    if (signerKey !== undefined && signerKey !== null) {
      settings.firebasePasswordHashingSignerKey = text(signerKey);
    }
  }
  return settings;
}

/**
 * What the scheduled clean-up keeps, over every tenant: passwordless devices with a code younger
 * than the longest code lifetime, and TOTP codes tried until the longest cool-down after their
 * expiry (the attempt limit reads them), so no tenant loses what it still needs.
 */
export async function cleanupCutoffs(
  store: MultitenancyStorage,
  config: CoreConfig,
  now: number,
): Promise<{ codesCreatedBefore: number; totpCodesExpiredBefore: number }> {
  let codeLifetime = config.passwordlessCodeLifetime;
  let cooldownSec = config.totpRateLimitCooldownSec;
  for (const appId of await store.listApps()) {
    for (const tenant of await store.listTenantConfigs(appId)) {
      const lifetime = Number(tenant.coreConfig[CORE_CONFIG_KEYS.passwordlessCodeLifetime]);
      if (Number.isFinite(lifetime) && lifetime > codeLifetime) codeLifetime = lifetime;
      const cooldown = Number(tenant.coreConfig[CORE_CONFIG_KEYS.totpRateLimitCooldownSec]);
      if (Number.isFinite(cooldown) && cooldown > cooldownSec) cooldownSec = cooldown;
    }
  }
  return {
    codesCreatedBefore: now - codeLifetime,
    totpCodesExpiredBefore: now - cooldownSec * 1000,
  };
}
