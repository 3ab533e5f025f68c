/**
 * The real core 11.4's checks of its config (`CoreConfig.normalizeAndValidate`, and the type
 * mapping of `ConfigMapper` before it), shared by the embedded core's own options and by tenants'
 * `coreConfig`. Messages are the real core's, word for word.
 */

/** A config field's Java type, as `ConfigMapper` names it in `'<key>' must be of type <type>`. */
type JavaType = 'int' | 'long' | 'double' | 'boolean' | 'String';

/** The type of each 11.4 `CoreConfig` field a value can be given for (others are strings). */
const FIELD_TYPES: Readonly<Record<string, JavaType>> = {
  core_config_version: 'int',
  access_token_validity: 'long',
  access_token_blacklisting: 'boolean',
  refresh_token_validity: 'double',
  password_reset_token_lifetime: 'long',
  email_verification_token_lifetime: 'long',
  passwordless_max_code_input_attempts: 'int',
  passwordless_code_lifetime: 'long',
  totp_max_attempts: 'int',
  totp_rate_limit_cooldown_sec: 'int',
  access_token_signing_key_dynamic: 'boolean',
  access_token_dynamic_signing_key_update_interval: 'double',
  access_token_signing_key_update_interval: 'double',
  port: 'int',
  max_server_pool_size: 'int',
  disable_telemetry: 'boolean',
  argon2_iterations: 'int',
  argon2_memory_kb: 'int',
  argon2_parallelism: 'int',
  argon2_hashing_pool_size: 'int',
  firebase_password_hashing_pool_size: 'int',
  bcrypt_log_rounds: 'int',
  webserver_https_enabled: 'boolean',
  saml_claims_validity: 'long',
  saml_relay_state_validity: 'long',
  isNormalizedAndValid: 'boolean',
  bulk_migration_parallelism: 'int',
  bulk_migration_batch_size: 'int',
  webauthn_recover_account_token_lifetime: 'long',
  deadlock_logger_enable: 'boolean',
  postgresql_config_version: 'int',
  postgresql_connection_pool_size: 'int',
  postgresql_port: 'int',
  postgresql_idle_connection_timeout: 'long',
};

const INT_RANGE = 2 ** 31;

/** A number as Gson reads a JSON number or numeric string, or undefined. */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * Why `value` cannot be read into the field `key` (`'<key>' must be of type long`), or undefined.
 * Stricter than the real core in one place: an object or array is refused with the same text
 * (the real core answers some of those with a 500).
 */
export function configTypeProblem(key: string, value: unknown): string | undefined {
  const type = FIELD_TYPES[key] ?? 'String';
  const refused = `'${key}' must be of type ${type}`;
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') return refused;
  if (type === 'String') return undefined;
  if (type === 'boolean') {
    const ok =
      typeof value === 'boolean' ||
      (typeof value === 'string' && ['true', 'false'].includes(value.toLowerCase()));
    return ok ? undefined : refused;
  }
  const number = numeric(value);
  if (number === undefined) return refused;
  if (type === 'double') return undefined;
  if (!Number.isInteger(number)) return refused;
  if (type === 'int' && (number >= INT_RANGE || number < -INT_RANGE)) return refused;
  return Number.isSafeInteger(number) ? undefined : refused;
}

/** A number rule: the check of a value and the real core's message when it fails. */
type NumberRule = readonly [key: string, ok: (value: number) => boolean, message: string];

/** The range checks of `normalizeAndValidate`, in its order. */
const NUMBER_RULES: readonly NumberRule[] = [
  [
    'access_token_validity',
    (v) => v >= 1 && v <= 86_400_000,
    "'access_token_validity' must be between 1 and 86400000 seconds inclusive.",
  ],
  [
    'access_token_dynamic_signing_key_update_interval',
    (v) => v >= 1,
    "'access_token_dynamic_signing_key_update_interval' must be greater than, equal to 1 hour.",
  ],
  ['password_reset_token_lifetime', (v) => v > 0, "'password_reset_token_lifetime' must be >= 0"],
  [
    'email_verification_token_lifetime',
    (v) => v > 0,
    "'email_verification_token_lifetime' must be >= 0",
  ],
  ['passwordless_code_lifetime', (v) => v > 0, "'passwordless_code_lifetime' must be > 0"],
  [
    'passwordless_max_code_input_attempts',
    (v) => v > 0,
    "'passwordless_max_code_input_attempts' must be > 0",
  ],
  ['totp_max_attempts', (v) => v > 0, "'totp_max_attempts' must be > 0"],
  ['totp_rate_limit_cooldown_sec', (v) => v > 0, "'totp_rate_limit_cooldown_sec' must be > 0"],
  ['max_server_pool_size', (v) => v >= 1, "'max_server_pool_size' must be >= 1."],
  ['bulk_migration_parallelism', (v) => v >= 1, 'Provided bulk_migration_parallelism must be >= 1'],
  ['bulk_migration_batch_size', (v) => v >= 1, 'Provided bulk_migration_batch_size must be >= 1'],
  [
    'webauthn_recover_account_token_lifetime',
    (v) => v > 0,
    'Provided webauthn_recover_account_token_lifetime must be > 0',
  ],
];

const DYNAMIC_KEY_INTERVAL = 'access_token_dynamic_signing_key_update_interval';
const DYNAMIC_KEY_INTERVAL_ALIAS = 'access_token_signing_key_update_interval';
const HASHING_ALGORITHMS = ['ARGON2', 'BCRYPT'];
const LOG_LEVELS = ['NONE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** A broken rule: the key it is about and the real core's message. */
export interface ConfigRuleProblem {
  key: string;
  message: string;
}

/**
 * Which of the real core's rules a config breaks first (`value(key)` gives each key's value,
 * undefined when not set, numbers already type-checked), or undefined. `defaults` are the values
 * of keys that are not set.
 */
export function configRuleProblem(
  value: (key: string) => unknown,
  defaults: { accessTokenValidity: number; refreshTokenValidity: number },
): ConfigRuleProblem | undefined {
  const number = (key: string): number | undefined => numeric(value(key));
  for (const [key, ok, message] of NUMBER_RULES) {
    // The interval's old name is read into the same field; messages name the new one.
    const given =
      number(key) ??
      (key === DYNAMIC_KEY_INTERVAL ? number(DYNAMIC_KEY_INTERVAL_ALIAS) : undefined);
    if (given !== undefined && !ok(given)) return { key, message };
  }
  const access = number('access_token_validity') ?? defaults.accessTokenValidity;
  const refresh = number('refresh_token_validity') ?? defaults.refreshTokenValidity;
  if (refresh * 60 <= access) {
    return {
      key: 'refresh_token_validity',
      message: "'refresh_token_validity' must be strictly greater than 'access_token_validity'.",
    };
  }
  const hashingValue = value('password_hashing_alg') ?? 'BCRYPT';
  const hashing = typeof hashingValue === 'string' ? hashingValue.toUpperCase() : '';
  if (!HASHING_ALGORITHMS.includes(hashing)) {
    return {
      key: 'password_hashing_alg',
      message: "'password_hashing_alg' must be one of 'ARGON2' or 'BCRYPT'",
    };
  }
  const poolSize = number('max_server_pool_size') ?? 10;
  if (hashing === 'ARGON2') {
    for (const key of [
      'argon2_iterations',
      'argon2_parallelism',
      'argon2_memory_kb',
      'argon2_hashing_pool_size',
    ]) {
      const given = number(key);
      if (given !== undefined && given <= 0) return { key, message: `'${key}' must be >= 1` };
    }
    if ((number('argon2_hashing_pool_size') ?? 1) > poolSize) {
      return {
        key: 'argon2_hashing_pool_size',
        message: "'argon2_hashing_pool_size' must be <= 'max_server_pool_size'",
      };
    }
  } else if ((number('bcrypt_log_rounds') ?? 11) <= 0) {
    return { key: 'bcrypt_log_rounds', message: "'bcrypt_log_rounds' must be >= 1" };
  }
  const basePath = value('base_path');
  if (typeof basePath === 'string' && basePath.includes(' ')) {
    return { key: 'base_path', message: 'Invalid characters in base_path config' };
  }
  const logLevel = value('log_level');
  if (logLevel !== undefined && logLevel !== null) {
    if (typeof logLevel !== 'string' || !LOG_LEVELS.includes(logLevel.toUpperCase())) {
      return {
        key: 'log_level',
        message: `'log_level' config must be one of "NONE","DEBUG", "INFO", "WARN" or "ERROR".`,
      };
    }
  }
  for (const key of ['ip_allow_regex', 'ip_deny_regex']) {
    const pattern = value(key);
    if (typeof pattern !== 'string') continue;
    try {
      new RegExp(pattern);
    } catch {
      return { key, message: `Provided regular expression is invalid for ${key} config` };
    }
  }
  return undefined;
}
