import type { CoreConfig } from '../core.config.js';
import { configRuleProblem, configTypeProblem } from '../core-config.rules.js';

/**
 * Keys only the core's own config file sets (`@ConfigYamlOnly` in 11.4's `CoreConfig`): a tenant
 * setting one gets `<key> can only be set via the core's base config setting`.
 */
export const CONFIG_YAML_ONLY_KEYS: ReadonlySet<string> = new Set([
  'info_log_path',
  'error_log_path',
  'port',
  'host',
  'max_server_pool_size',
  'argon2_iterations',
  'argon2_memory_kb',
  'argon2_parallelism',
  'argon2_hashing_pool_size',
  'firebase_password_hashing_pool_size',
  'bcrypt_log_rounds',
  'webserver_https_enabled',
  'base_path',
  'log_level',
  'oauth_client_secret_encryption_key',
  'supertokens_saas_secret',
  'supertokens_saas_load_only_cud',
  'otel_collector_connection_uri',
  'deadlock_logger_enable',
]);

type Kind = 'number' | 'boolean' | 'string';

/**
 * Keys every tenant of an app must agree on (`@NotConflictingInApp`), in the real core's field
 * order, with how their values compare and the core's own value (the base config).
 */
export const NOT_CONFLICTING_IN_APP: readonly (readonly [
  string,
  Kind,
  (c: CoreConfig) => unknown,
])[] = [
  ['access_token_validity', 'number', (c) => c.accessTokenValidity],
  ['access_token_blacklisting', 'boolean', () => false],
  ['refresh_token_validity', 'number', (c) => c.refreshTokenValidity],
  ['access_token_signing_key_dynamic', 'boolean', () => true],
  [
    'access_token_dynamic_signing_key_update_interval',
    'number',
    (c) => c.accessTokenDynamicSigningKeyUpdateInterval,
  ],
  ['api_keys', 'string', () => null],
  ['disable_telemetry', 'boolean', () => false],
  ['password_hashing_alg', 'string', () => 'BCRYPT'],
  [
    'firebase_password_hashing_signer_key',
    'string',
    (c) => c.firebasePasswordHashingSignerKey ?? null,
  ],
  ['oauth_provider_public_service_url', 'string', () => null],
  ['oauth_provider_admin_service_url', 'string', () => null],
  ['oauth_provider_consent_login_base_url', 'string', () => null],
  ['oauth_provider_url_configured_in_oauth_provider', 'string', () => null],
  ['supertokens_max_cdi_version', 'string', () => null],
  ['saml_legacy_acs_url', 'string', () => null],
  ['bulk_migration_parallelism', 'number', (c) => c.bulkMigrationParallelism],
  ['bulk_migration_batch_size', 'number', (c) => c.bulkMigrationBatchSize],
  ['webauthn_recover_account_token_lifetime', 'number', () => 3_600_000],
];

/** A config value as the real core's Gson reads it into its field, for comparing. */
export function configValue(kind: Kind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'number') return Number(value);
  if (kind === 'boolean') {
    return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `CoreConfig` fields with no rule of their own beyond being valid keys. */
const OTHER_CORE_KEYS = [
  'core_config_version',
  'password_reset_token_lifetime',
  'email_verification_token_lifetime',
  'passwordless_max_code_input_attempts',
  'passwordless_code_lifetime',
  'totp_max_attempts',
  'totp_rate_limit_cooldown_sec',
  'logDefault',
  'access_token_signing_key_update_interval',
  'ip_allow_regex',
  'ip_deny_regex',
  'saml_sp_entity_id',
  'saml_claims_validity',
  'saml_relay_state_validity',
  'allowedLogLevels',
  'isNormalizedAndValid',
];

/** `PostgreSQLConfig` fields (the plugin's settings, per tenant in the real core). */
const POSTGRESQL_KEYS = [
  'postgresql_config_version',
  'postgresql_connection_pool_size',
  'postgresql_host',
  'postgresql_port',
  'postgresql_user',
  'postgresql_password',
  'postgresql_database_name',
  'postgresql_table_names_prefix',
  'postgresql_key_value_table_name',
  'postgresql_session_info_table_name',
  'postgresql_emailpassword_users_table_name',
  'postgresql_emailpassword_pswd_reset_tokens_table_name',
  'postgresql_emailverification_tokens_table_name',
  'postgresql_emailverification_verified_emails_table_name',
  'postgresql_thirdparty_users_table_name',
  'postgresql_table_schema',
  'postgresql_connection_uri',
  'postgresql_connection_attributes',
  'postgresql_connection_scheme',
  'postgresql_idle_connection_timeout',
  'postgresql_minimum_idle_connections',
  'migration_mode',
];

/**
 * The keys a tenant's `coreConfig` may set: the real core 11.4's `CoreConfig.getValidFields()`
 * (every field Gson serialises, plus the alias `access_token_signing_key_update_interval`) and its
 * PostgreSQL plugin's `PostgreSQLConfig.getValidFields()`. Anything else is refused with
 * `Invalid core config: Invalid config key: <key>`.
 */
export const VALID_CORE_CONFIG_KEYS: ReadonlySet<string> = new Set([
  ...OTHER_CORE_KEYS,
  ...CONFIG_YAML_ONLY_KEYS,
  ...NOT_CONFLICTING_IN_APP.map(([key]) => key),
  ...POSTGRESQL_KEYS,
]);

/**
 * Why a tenant's own settings (its `coreConfig` over its app's public tenant's over the core's)
 * are refused, in the real core's words, or undefined: first a value that cannot be read into its
 * field (`'<key>' must be of type long`), then the core's range rules.
 */
export function coreConfigProblem(
  own: Record<string, unknown>,
  inherited: Record<string, unknown>,
  core: CoreConfig,
): string | undefined {
  const merged = { ...inherited, ...own };
  for (const [key, raw] of Object.entries(merged)) {
    const problem = configTypeProblem(key, raw);
    if (problem) return problem;
  }
  return configRuleProblem((key) => merged[key], core)?.message;
}
