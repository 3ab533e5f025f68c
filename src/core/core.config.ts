import { availableParallelism } from 'node:os';
import { configRuleProblem, configTypeProblem } from './core-config.rules.js';

/**
 * The embedded core's settings, named after the real core's `config.yaml` keys and with the
 * same defaults, so tokens and codes live exactly as long as they would on a real core.
 */
export interface CoreConfig {
  /** `access_token_validity`, seconds. @default 3600 */
  accessTokenValidity: number;
  /** `refresh_token_validity`, minutes (fractions allowed). @default 144000 (100 days) */
  refreshTokenValidity: number;
  /** `access_token_dynamic_signing_key_update_interval`, hours. @default 168 */
  accessTokenDynamicSigningKeyUpdateInterval: number;
  /** `password_reset_token_lifetime`, ms. @default 3600000 */
  passwordResetTokenLifetime: number;
  /** `email_verification_token_lifetime`, ms. @default 86400000 */
  emailVerificationTokenLifetime: number;
  /** `passwordless_code_lifetime`, ms. @default 900000 */
  passwordlessCodeLifetime: number;
  /** `passwordless_max_code_input_attempts`. @default 5 */
  passwordlessMaxCodeInputAttempts: number;
  /** `totp_max_attempts`: wrong TOTP codes in a row before a cool-down. @default 5 */
  totpMaxAttempts: number;
  /** `totp_rate_limit_cooldown_sec`: how long the cool-down lasts, seconds. @default 900 */
  totpRateLimitCooldownSec: number;
  /** `webauthn_recover_account_token_lifetime`: passkey account-recovery tokens, ms. @default 3600000 */
  webauthnRecoverAccountTokenLifetime: number;
  /**
   * `firebase_password_hashing_signer_key`: the base64 signer key of the Firebase project whose
   * scrypt hashes are imported (`POST /recipe/user/passwordhash/import`) and checked at sign-in.
   * An app other than `public` may set its own in its public tenant's `coreConfig`.
   * @default undefined (Firebase scrypt hashes are answered with the real core's 500)
   * @example 'gRhC3eDeQOdyEn4bMd9c6kxguWVmcIVq/SKa0JDPFeM6TcEevkaW56sIWfx88OHbJKnCXdWscZx0l2WbCJ1wbg=='
   */
  firebasePasswordHashingSignerKey?: string;
  /**
   * `bulk_migration_parallelism`: how many queued users the bulk import job imports at once.
   * @default the number of CPUs (`os.availableParallelism()`)
   */
  bulkMigrationParallelism: number;
  /** `bulk_migration_batch_size`: how many queued users the job takes at a time. @default 8000 */
  bulkMigrationBatchSize: number;
}

export const DEFAULT_CORE_CONFIG: Readonly<CoreConfig> = Object.freeze({
  accessTokenValidity: 3600,
  refreshTokenValidity: 144000,
  accessTokenDynamicSigningKeyUpdateInterval: 168,
  passwordResetTokenLifetime: 3_600_000,
  emailVerificationTokenLifetime: 86_400_000,
  passwordlessCodeLifetime: 900_000,
  passwordlessMaxCodeInputAttempts: 5,
  totpMaxAttempts: 5,
  totpRateLimitCooldownSec: 900,
  webauthnRecoverAccountTokenLifetime: 3_600_000,
  bulkMigrationParallelism: availableParallelism(),
  bulkMigrationBatchSize: 8000,
});

/** Each setting's real-core config key (`config.yaml`, a tenant's `coreConfig`). */
export const CORE_CONFIG_KEYS: Readonly<Record<keyof CoreConfig, string>> = {
  accessTokenValidity: 'access_token_validity',
  refreshTokenValidity: 'refresh_token_validity',
  accessTokenDynamicSigningKeyUpdateInterval: 'access_token_dynamic_signing_key_update_interval',
  passwordResetTokenLifetime: 'password_reset_token_lifetime',
  emailVerificationTokenLifetime: 'email_verification_token_lifetime',
  passwordlessCodeLifetime: 'passwordless_code_lifetime',
  passwordlessMaxCodeInputAttempts: 'passwordless_max_code_input_attempts',
  totpMaxAttempts: 'totp_max_attempts',
  totpRateLimitCooldownSec: 'totp_rate_limit_cooldown_sec',
  webauthnRecoverAccountTokenLifetime: 'webauthn_recover_account_token_lifetime',
  firebasePasswordHashingSignerKey: 'firebase_password_hashing_signer_key',
  bulkMigrationParallelism: 'bulk_migration_parallelism',
  bulkMigrationBatchSize: 'bulk_migration_batch_size',
};

/** The settings that are text; every other one is a number. */
const TEXT_SETTINGS: ReadonlySet<keyof CoreConfig> = new Set(['firebasePasswordHashingSignerKey']);

/** Why an option's value cannot be the setting `name` (`key` in the real core), or undefined. */
function optionProblem(name: keyof CoreConfig, key: string, value: unknown): string | undefined {
  if (TEXT_SETTINGS.has(name)) {
    return value === undefined || typeof value === 'string'
      ? undefined
      : `'${key}' must be a string`;
  }
  return typeof value === 'number' && Number.isFinite(value)
    ? configTypeProblem(key, value)
    : `'${key}' must be a finite number`;
}

/**
 * The options with their defaults, checked as the real core checks its config.yaml (types,
 * ranges, refresh longer than access); the message names the option and gives the real core's
 * text.
 */
export function resolveCoreConfig(overrides: Partial<CoreConfig> = {}): CoreConfig {
  const config: CoreConfig = { ...DEFAULT_CORE_CONFIG, ...overrides };
  const byKey = new Map<string, unknown>();
  const entries = Object.entries(CORE_CONFIG_KEYS) as [keyof CoreConfig, string][];
  for (const [name, key] of entries) {
    const value = config[name];
    const problem = optionProblem(name, key, value);
    if (problem) throw new Error(`Embedded core option config.${name}: ${problem}`);
    byKey.set(key, value);
  }
  const broken = configRuleProblem((key) => byKey.get(key), DEFAULT_CORE_CONFIG);
  if (broken) {
    const name = entries.find(([, key]) => key === broken.key)?.[0];
    throw new Error(`Embedded core option config${name ? `.${name}` : ''}: ${broken.message}`);
  }
  return config;
}
