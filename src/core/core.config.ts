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
}

export const DEFAULT_CORE_CONFIG: Readonly<CoreConfig> = Object.freeze({
  accessTokenValidity: 3600,
  refreshTokenValidity: 144000,
  accessTokenDynamicSigningKeyUpdateInterval: 168,
  passwordResetTokenLifetime: 3_600_000,
  emailVerificationTokenLifetime: 86_400_000,
  passwordlessCodeLifetime: 900_000,
  passwordlessMaxCodeInputAttempts: 5,
});

/** Checks the values a user may set; the message names the key and the allowed range. */
export function resolveCoreConfig(overrides: Partial<CoreConfig> = {}): CoreConfig {
  const config: CoreConfig = { ...DEFAULT_CORE_CONFIG, ...overrides };
  for (const [name, value] of Object.entries(config)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(
        `Embedded core config '${name}' must be a positive number, got ${String(value)}.`,
      );
    }
  }
  if (config.refreshTokenValidity * 60 <= config.accessTokenValidity) {
    throw new Error(
      "Embedded core config 'refreshTokenValidity' (minutes) must be longer than 'accessTokenValidity' (seconds).",
    );
  }
  return config;
}
