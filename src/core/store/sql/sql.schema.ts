export type SchemaRecipe =
  | 'multitenancy'
  | 'key-value'
  | 'signing-key'
  | 'auth-recipe'
  | 'emailpassword'
  | 'passwordless'
  | 'thirdparty'
  | 'session'
  | 'emailverification'
  | 'userroles'
  | 'usermetadata'
  | 'dashboard'
  | 'totp'
  | 'webauthn'
  | 'userid-mapping'
  | 'bulk-import'
  | 'counter';

/** One statement of the schema, with the recipe (`<recipe>.queries.ts`) whose tables it makes. */
export interface SchemaStatement {
  recipe: SchemaRecipe;
  sql: string;
}

const recipe = (name: SchemaRecipe, statements: string[]): SchemaStatement[] =>
  statements.map((sql) => ({ recipe: name, sql }));

/**
 * The tables the embedded core writes, exactly as the SuperTokens core 11.x creates them through
 * its PostgreSQL plugin (supertokens-postgresql-plugin 9.4, plugin interface 8.5): same names,
 * columns, types, keys and indexes. The official core creates any table it misses (third party,
 * TOTP, OAuth, …) when it first starts on this database, and it finds ours as it would its own.
 * See docs/embedded-core.md, "Storage". One list in creation order (a table's foreign keys name
 * tables made before it), each statement tagged with the recipe whose queries read its table.
 */
export const SCHEMA: readonly SchemaStatement[] = [
  ...recipe('multitenancy', [
    `CREATE TABLE IF NOT EXISTS apps (app_id VARCHAR(64) NOT NULL DEFAULT 'public', created_at_time BIGINT,
      CONSTRAINT apps_pkey PRIMARY KEY(app_id))`,
    `CREATE TABLE IF NOT EXISTS tenants (app_id VARCHAR(64) NOT NULL DEFAULT 'public',
      tenant_id VARCHAR(64) NOT NULL DEFAULT 'public', created_at_time BIGINT,
      CONSTRAINT tenants_pkey PRIMARY KEY(app_id, tenant_id),
      CONSTRAINT tenants_app_id_fkey FOREIGN KEY(app_id) REFERENCES apps (app_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS tenants_app_id_index ON tenants(app_id)`,
  ]),
  ...recipe('key-value', [
    `CREATE TABLE IF NOT EXISTS key_value (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', name VARCHAR(128), value TEXT, created_at_time BIGINT,
      CONSTRAINT key_value_pkey PRIMARY KEY(app_id, tenant_id, name),
      CONSTRAINT key_value_tenant_id_fkey FOREIGN KEY(app_id, tenant_id)
        REFERENCES tenants (app_id, tenant_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS key_value_tenant_id_index ON key_value(app_id, tenant_id)`,
  ]),
  ...recipe('auth-recipe', [
    `CREATE TABLE IF NOT EXISTS app_id_to_user_id (app_id VARCHAR(64) NOT NULL DEFAULT 'public',
      user_id CHAR(36) NOT NULL, recipe_id VARCHAR(128) NOT NULL,
      primary_or_recipe_user_id CHAR(36) NOT NULL,
      is_linked_or_is_a_primary_user BOOLEAN NOT NULL DEFAULT FALSE,
      CONSTRAINT app_id_to_user_id_pkey PRIMARY KEY (app_id, user_id),
      CONSTRAINT app_id_to_user_id_primary_or_recipe_user_id_fkey FOREIGN KEY(app_id, primary_or_recipe_user_id)
        REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE,
      CONSTRAINT app_id_to_user_id_app_id_fkey FOREIGN KEY(app_id) REFERENCES apps (app_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS app_id_to_user_id_app_id_index ON app_id_to_user_id(app_id)`,
    `CREATE INDEX IF NOT EXISTS app_id_to_user_id_primary_user_id_index ON app_id_to_user_id(primary_or_recipe_user_id, app_id)`,
    `CREATE INDEX IF NOT EXISTS app_id_to_user_id_user_id_index ON app_id_to_user_id(user_id, app_id)`,
    `CREATE TABLE IF NOT EXISTS all_auth_recipe_users (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', user_id CHAR(36) NOT NULL,
      primary_or_recipe_user_id CHAR(36) NOT NULL,
      is_linked_or_is_a_primary_user BOOLEAN NOT NULL DEFAULT FALSE, recipe_id VARCHAR(128) NOT NULL,
      time_joined BIGINT NOT NULL, primary_or_recipe_user_time_joined BIGINT NOT NULL,
      CONSTRAINT all_auth_recipe_users_pkey PRIMARY KEY (app_id, tenant_id, user_id),
      CONSTRAINT all_auth_recipe_users_tenant_id_fkey FOREIGN KEY(app_id, tenant_id)
        REFERENCES tenants (app_id, tenant_id) ON DELETE CASCADE,
      CONSTRAINT all_auth_recipe_users_primary_or_recipe_user_id_fkey FOREIGN KEY(app_id, primary_or_recipe_user_id)
        REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE,
      CONSTRAINT all_auth_recipe_users_user_id_fkey FOREIGN KEY(app_id, user_id)
        REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS all_auth_recipe_users_pagination_index1 ON all_auth_recipe_users
      (app_id, tenant_id, primary_or_recipe_user_time_joined DESC, primary_or_recipe_user_id DESC)`,
    `CREATE INDEX IF NOT EXISTS all_auth_recipe_users_pagination_index2 ON all_auth_recipe_users
      (app_id, tenant_id, primary_or_recipe_user_time_joined ASC, primary_or_recipe_user_id DESC)`,
    `CREATE INDEX IF NOT EXISTS all_auth_recipe_users_pagination_index3 ON all_auth_recipe_users
      (recipe_id, app_id, tenant_id, primary_or_recipe_user_time_joined DESC, primary_or_recipe_user_id DESC)`,
    `CREATE INDEX IF NOT EXISTS all_auth_recipe_users_pagination_index4 ON all_auth_recipe_users
      (recipe_id, app_id, tenant_id, primary_or_recipe_user_time_joined ASC, primary_or_recipe_user_id DESC)`,
    `CREATE INDEX IF NOT EXISTS all_auth_recipe_users_primary_user_id_index ON all_auth_recipe_users(primary_or_recipe_user_id, app_id)`,
    `CREATE INDEX IF NOT EXISTS all_auth_recipe_users_recipe_id_index ON all_auth_recipe_users(app_id, recipe_id, tenant_id)`,
  ]),
  ...recipe('multitenancy', [
    `CREATE TABLE IF NOT EXISTS tenant_configs (connection_uri_domain VARCHAR(256) DEFAULT '',
      app_id VARCHAR(64) DEFAULT 'public', tenant_id VARCHAR(64) DEFAULT 'public', core_config TEXT,
      email_password_enabled BOOLEAN, passwordless_enabled BOOLEAN, third_party_enabled BOOLEAN,
      is_first_factors_null BOOLEAN,
      CONSTRAINT tenant_configs_pkey PRIMARY KEY (connection_uri_domain, app_id, tenant_id))`,
    `CREATE TABLE IF NOT EXISTS tenant_thirdparty_providers (connection_uri_domain VARCHAR(256) DEFAULT '',
      app_id VARCHAR(64) DEFAULT 'public', tenant_id VARCHAR(64) DEFAULT 'public',
      third_party_id VARCHAR(28) NOT NULL, name VARCHAR(64), authorization_endpoint TEXT,
      authorization_endpoint_query_params TEXT, token_endpoint TEXT, token_endpoint_body_params TEXT,
      user_info_endpoint TEXT, user_info_endpoint_query_params TEXT, user_info_endpoint_headers TEXT,
      jwks_uri TEXT, oidc_discovery_endpoint TEXT, require_email BOOLEAN,
      user_info_map_from_id_token_payload_user_id VARCHAR(64),
      user_info_map_from_id_token_payload_email VARCHAR(64),
      user_info_map_from_id_token_payload_email_verified VARCHAR(64),
      user_info_map_from_user_info_endpoint_user_id VARCHAR(64),
      user_info_map_from_user_info_endpoint_email VARCHAR(64),
      user_info_map_from_user_info_endpoint_email_verified VARCHAR(64),
      CONSTRAINT tenant_thirdparty_providers_pkey PRIMARY KEY (connection_uri_domain, app_id, tenant_id, third_party_id),
      CONSTRAINT tenant_thirdparty_providers_tenant_id_fkey FOREIGN KEY (connection_uri_domain, app_id, tenant_id)
        REFERENCES tenant_configs (connection_uri_domain, app_id, tenant_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS tenant_thirdparty_providers_tenant_id_index ON tenant_thirdparty_providers (connection_uri_domain, app_id, tenant_id)`,
    `CREATE TABLE IF NOT EXISTS tenant_thirdparty_provider_clients (connection_uri_domain VARCHAR(256) DEFAULT '',
      app_id VARCHAR(64) DEFAULT 'public', tenant_id VARCHAR(64) DEFAULT 'public',
      third_party_id VARCHAR(28) NOT NULL, client_type VARCHAR(64) NOT NULL DEFAULT '',
      client_id VARCHAR(256) NOT NULL, client_secret TEXT, scope VARCHAR(128)[], force_pkce BOOLEAN,
      additional_config TEXT,
      CONSTRAINT tenant_thirdparty_provider_clients_pkey PRIMARY KEY (connection_uri_domain, app_id, tenant_id, third_party_id, client_type),
      CONSTRAINT tenant_thirdparty_provider_clients_third_party_id_fkey FOREIGN KEY (connection_uri_domain, app_id, tenant_id, third_party_id)
        REFERENCES tenant_thirdparty_providers (connection_uri_domain, app_id, tenant_id, third_party_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS tenant_thirdparty_provider_clients_third_party_id_index ON tenant_thirdparty_provider_clients (connection_uri_domain, app_id, tenant_id, third_party_id)`,
    `CREATE TABLE IF NOT EXISTS tenant_first_factors (connection_uri_domain VARCHAR(256) DEFAULT '',
      app_id VARCHAR(64) DEFAULT 'public', tenant_id VARCHAR(64) DEFAULT 'public', factor_id VARCHAR(128),
      CONSTRAINT tenant_first_factors_pkey PRIMARY KEY (connection_uri_domain, app_id, tenant_id, factor_id),
      CONSTRAINT tenant_first_factors_tenant_id_fkey FOREIGN KEY (connection_uri_domain, app_id, tenant_id)
        REFERENCES tenant_configs (connection_uri_domain, app_id, tenant_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS tenant_first_factors_tenant_id_index ON tenant_first_factors (connection_uri_domain, app_id, tenant_id)`,
    `CREATE TABLE IF NOT EXISTS tenant_required_secondary_factors (connection_uri_domain VARCHAR(256) DEFAULT '',
      app_id VARCHAR(64) DEFAULT 'public', tenant_id VARCHAR(64) DEFAULT 'public', factor_id VARCHAR(128),
      CONSTRAINT tenant_required_secondary_factors_pkey PRIMARY KEY (connection_uri_domain, app_id, tenant_id, factor_id),
      CONSTRAINT tenant_required_secondary_factors_tenant_id_fkey FOREIGN KEY (connection_uri_domain, app_id, tenant_id)
        REFERENCES tenant_configs (connection_uri_domain, app_id, tenant_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS tenant_default_required_factor_ids_tenant_id_index ON tenant_required_secondary_factors (connection_uri_domain, app_id, tenant_id)`,
  ]),
  ...recipe('emailpassword', [
    `CREATE TABLE IF NOT EXISTS emailpassword_users (app_id VARCHAR(64) DEFAULT 'public',
      user_id CHAR(36) NOT NULL, email VARCHAR(256) NOT NULL, password_hash VARCHAR(256) NOT NULL,
      time_joined BIGINT NOT NULL,
      CONSTRAINT emailpassword_users_user_id_fkey FOREIGN KEY(app_id, user_id)
        REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE,
      CONSTRAINT emailpassword_users_pkey PRIMARY KEY (app_id, user_id))`,
    `CREATE INDEX IF NOT EXISTS emailpassword_users_email_index ON emailpassword_users(app_id, email)`,
    `CREATE TABLE IF NOT EXISTS emailpassword_user_to_tenant (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', user_id CHAR(36) NOT NULL, email VARCHAR(256) NOT NULL,
      CONSTRAINT emailpassword_user_to_tenant_email_key UNIQUE (app_id, tenant_id, email),
      CONSTRAINT emailpassword_user_to_tenant_pkey PRIMARY KEY (app_id, tenant_id, user_id),
      CONSTRAINT emailpassword_user_to_tenant_user_id_fkey FOREIGN KEY (app_id, tenant_id, user_id)
        REFERENCES all_auth_recipe_users(app_id, tenant_id, user_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS emailpassword_user_to_tenant_email_index ON emailpassword_user_to_tenant(app_id, tenant_id, email)`,
    `CREATE TABLE IF NOT EXISTS emailpassword_pswd_reset_tokens (app_id VARCHAR(64) DEFAULT 'public',
      user_id CHAR(36) NOT NULL,
      token VARCHAR(128) NOT NULL CONSTRAINT emailpassword_pswd_reset_tokens_token_key UNIQUE,
      email VARCHAR(256), token_expiry BIGINT NOT NULL,
      CONSTRAINT emailpassword_pswd_reset_tokens_pkey PRIMARY KEY (app_id, user_id, token),
      CONSTRAINT emailpassword_pswd_reset_tokens_user_id_fkey FOREIGN KEY (app_id, user_id)
        REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS emailpassword_password_reset_token_expiry_index ON emailpassword_pswd_reset_tokens(token_expiry)`,
    `CREATE INDEX IF NOT EXISTS emailpassword_pswd_reset_tokens_user_id_index ON emailpassword_pswd_reset_tokens(app_id, user_id)`,
  ]),
  ...recipe('emailverification', [
    `CREATE TABLE IF NOT EXISTS emailverification_verified_emails (app_id VARCHAR(64) DEFAULT 'public',
      user_id VARCHAR(128) NOT NULL, email VARCHAR(256) NOT NULL,
      CONSTRAINT emailverification_verified_emails_pkey PRIMARY KEY (app_id, user_id, email),
      CONSTRAINT emailverification_verified_emails_app_id_fkey FOREIGN KEY(app_id)
        REFERENCES apps (app_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS emailverification_verified_emails_app_id_index ON emailverification_verified_emails(app_id)`,
    `CREATE INDEX IF NOT EXISTS emailverification_verified_emails_app_id_email_index ON emailverification_verified_emails(app_id, email)`,
    `CREATE TABLE IF NOT EXISTS emailverification_tokens (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', user_id VARCHAR(128) NOT NULL, email VARCHAR(256) NOT NULL,
      token VARCHAR(128) NOT NULL CONSTRAINT emailverification_tokens_token_key UNIQUE,
      token_expiry BIGINT NOT NULL,
      CONSTRAINT emailverification_tokens_pkey PRIMARY KEY (app_id, tenant_id, user_id, email, token),
      CONSTRAINT emailverification_tokens_tenant_id_fkey FOREIGN KEY(app_id, tenant_id)
        REFERENCES tenants (app_id, tenant_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS emailverification_tokens_index ON emailverification_tokens(token_expiry)`,
    `CREATE INDEX IF NOT EXISTS emailverification_tokens_tenant_id_index ON emailverification_tokens(app_id, tenant_id)`,
  ]),
  ...recipe('passwordless', [
    `CREATE TABLE IF NOT EXISTS passwordless_users (app_id VARCHAR(64) DEFAULT 'public',
      user_id CHAR(36) NOT NULL, email VARCHAR(256), phone_number VARCHAR(256), time_joined BIGINT NOT NULL,
      CONSTRAINT passwordless_users_user_id_fkey FOREIGN KEY(app_id, user_id)
        REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE,
      CONSTRAINT passwordless_users_pkey PRIMARY KEY (app_id, user_id))`,
  ]),
  ...recipe('auth-recipe', [
    `CREATE INDEX IF NOT EXISTS all_auth_recipe_user_id_index ON all_auth_recipe_users(user_id)`,
    `CREATE INDEX IF NOT EXISTS all_auth_recipe_user_id_app_id_index ON all_auth_recipe_users(app_id, user_id)`,
    `CREATE INDEX IF NOT EXISTS all_auth_recipe_user_app_id_index ON all_auth_recipe_users(app_id)`,
    `CREATE INDEX IF NOT EXISTS all_auth_recipe_tenant_id_index ON all_auth_recipe_users(app_id, tenant_id)`,
  ]),
  ...recipe('passwordless', [
    `CREATE INDEX IF NOT EXISTS passwordless_users_email_index ON passwordless_users(app_id, email)`,
    `CREATE INDEX IF NOT EXISTS passwordless_users_phone_number_index ON passwordless_users(app_id, phone_number)`,
    `CREATE TABLE IF NOT EXISTS passwordless_user_to_tenant (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', user_id CHAR(36) NOT NULL, email VARCHAR(256),
      phone_number VARCHAR(256),
      CONSTRAINT passwordless_user_to_tenant_email_key UNIQUE (app_id, tenant_id, email),
      CONSTRAINT passwordless_user_to_tenant_phone_number_key UNIQUE (app_id, tenant_id, phone_number),
      CONSTRAINT passwordless_user_to_tenant_pkey PRIMARY KEY (app_id, tenant_id, user_id),
      CONSTRAINT passwordless_user_to_tenant_user_id_fkey FOREIGN KEY (app_id, tenant_id, user_id)
        REFERENCES all_auth_recipe_users(app_id, tenant_id, user_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS passwordless_user_to_tenant_email_index ON passwordless_user_to_tenant(app_id, tenant_id, email)`,
    `CREATE INDEX IF NOT EXISTS passwordless_user_to_tenant_phone_number_index ON passwordless_user_to_tenant(app_id, tenant_id, phone_number)`,
  ]),
  ...recipe('thirdparty', [
    `CREATE TABLE IF NOT EXISTS thirdparty_users (app_id VARCHAR(64) DEFAULT 'public',
      third_party_id VARCHAR(28) NOT NULL, third_party_user_id VARCHAR(256) NOT NULL,
      user_id CHAR(36) NOT NULL, email VARCHAR(256) NOT NULL, time_joined BIGINT NOT NULL,
      CONSTRAINT thirdparty_users_user_id_fkey FOREIGN KEY(app_id, user_id)
        REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE,
      CONSTRAINT thirdparty_users_pkey PRIMARY KEY (app_id, user_id))`,
    `CREATE INDEX IF NOT EXISTS thirdparty_users_thirdparty_user_id_index ON thirdparty_users (app_id, third_party_id, third_party_user_id)`,
    `CREATE INDEX IF NOT EXISTS thirdparty_users_email_index ON thirdparty_users (app_id, email)`,
    `CREATE TABLE IF NOT EXISTS thirdparty_user_to_tenant (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', user_id CHAR(36) NOT NULL,
      third_party_id VARCHAR(28) NOT NULL, third_party_user_id VARCHAR(256) NOT NULL,
      CONSTRAINT thirdparty_user_to_tenant_third_party_user_id_key
        UNIQUE (app_id, tenant_id, third_party_id, third_party_user_id),
      CONSTRAINT thirdparty_user_to_tenant_pkey PRIMARY KEY (app_id, tenant_id, user_id),
      CONSTRAINT thirdparty_user_to_tenant_user_id_fkey FOREIGN KEY (app_id, tenant_id, user_id)
        REFERENCES all_auth_recipe_users (app_id, tenant_id, user_id) ON DELETE CASCADE)`,
  ]),
  ...recipe('passwordless', [
    `CREATE TABLE IF NOT EXISTS passwordless_devices (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', device_id_hash CHAR(44) NOT NULL, email VARCHAR(256),
      phone_number VARCHAR(256), link_code_salt CHAR(44) NOT NULL, failed_attempts INT NOT NULL,
      CONSTRAINT passwordless_devices_tenant_id_fkey FOREIGN KEY(app_id, tenant_id)
        REFERENCES tenants (app_id, tenant_id) ON DELETE CASCADE,
      CONSTRAINT passwordless_devices_pkey PRIMARY KEY (app_id, tenant_id, device_id_hash))`,
    `CREATE INDEX IF NOT EXISTS passwordless_devices_email_index ON passwordless_devices (app_id, tenant_id, email)`,
    `CREATE INDEX IF NOT EXISTS passwordless_devices_phone_number_index ON passwordless_devices (app_id, tenant_id, phone_number)`,
    `CREATE INDEX IF NOT EXISTS passwordless_devices_tenant_id_index ON passwordless_devices(app_id, tenant_id)`,
    `CREATE TABLE IF NOT EXISTS passwordless_codes (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', code_id CHAR(36) NOT NULL, device_id_hash CHAR(44) NOT NULL,
      link_code_hash CHAR(44) NOT NULL, created_at BIGINT NOT NULL,
      CONSTRAINT passwordless_codes_link_code_hash_key UNIQUE (app_id, tenant_id, link_code_hash),
      CONSTRAINT passwordless_codes_pkey PRIMARY KEY (app_id, tenant_id, code_id),
      CONSTRAINT passwordless_codes_device_id_hash_fkey FOREIGN KEY (app_id, tenant_id, device_id_hash)
        REFERENCES passwordless_devices(app_id, tenant_id, device_id_hash) ON DELETE CASCADE ON UPDATE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS passwordless_codes_created_at_index ON passwordless_codes(app_id, tenant_id, created_at)`,
    `CREATE INDEX IF NOT EXISTS passwordless_codes_device_id_hash_index ON passwordless_codes(app_id, tenant_id, device_id_hash)`,
  ]),
  ...recipe('signing-key', [
    `CREATE TABLE IF NOT EXISTS session_access_token_signing_keys (app_id VARCHAR(64) DEFAULT 'public',
      created_at_time BIGINT NOT NULL, value TEXT,
      CONSTRAINT session_access_token_signing_keys_pkey PRIMARY KEY(app_id, created_at_time),
      CONSTRAINT session_access_token_signing_keys_app_id_fkey FOREIGN KEY (app_id)
        REFERENCES apps(app_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS access_token_signing_keys_app_id_index ON session_access_token_signing_keys(app_id)`,
  ]),
  ...recipe('session', [
    `CREATE TABLE IF NOT EXISTS session_info (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', session_handle VARCHAR(255) NOT NULL,
      user_id VARCHAR(128) NOT NULL, refresh_token_hash_2 VARCHAR(128) NOT NULL, session_data TEXT,
      expires_at BIGINT NOT NULL, created_at_time BIGINT NOT NULL, jwt_user_payload TEXT,
      use_static_key BOOLEAN NOT NULL,
      CONSTRAINT session_info_pkey PRIMARY KEY(app_id, tenant_id, session_handle),
      CONSTRAINT session_info_tenant_id_fkey FOREIGN KEY (app_id, tenant_id)
        REFERENCES tenants(app_id, tenant_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS session_expiry_index ON session_info(expires_at)`,
    `CREATE INDEX IF NOT EXISTS session_info_user_id_app_id_index ON session_info(user_id, app_id)`,
    `CREATE INDEX IF NOT EXISTS session_info_tenant_id_index ON session_info(app_id, tenant_id)`,
  ]),
  ...recipe('signing-key', [
    `CREATE TABLE IF NOT EXISTS jwt_signing_keys (app_id VARCHAR(64) DEFAULT 'public',
      key_id VARCHAR(255) NOT NULL, key_string TEXT NOT NULL, algorithm VARCHAR(10) NOT NULL,
      created_at BIGINT,
      CONSTRAINT jwt_signing_keys_pkey PRIMARY KEY(app_id, key_id),
      CONSTRAINT jwt_signing_keys_app_id_fkey FOREIGN KEY(app_id) REFERENCES apps (app_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS jwt_signing_keys_app_id_index ON jwt_signing_keys (app_id)`,
  ]),
  ...recipe('usermetadata', [
    `CREATE TABLE IF NOT EXISTS user_metadata (app_id VARCHAR(64) DEFAULT 'public',
      user_id VARCHAR(128) NOT NULL, user_metadata TEXT NOT NULL,
      CONSTRAINT user_metadata_pkey PRIMARY KEY(app_id, user_id),
      CONSTRAINT user_metadata_app_id_fkey FOREIGN KEY(app_id) REFERENCES apps (app_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS user_metadata_app_id_index ON user_metadata(app_id)`,
  ]),
  ...recipe('userroles', [
    `CREATE TABLE IF NOT EXISTS roles (app_id VARCHAR(64) DEFAULT 'public', role VARCHAR(255) NOT NULL,
      CONSTRAINT roles_pkey PRIMARY KEY(app_id, role),
      CONSTRAINT roles_app_id_fkey FOREIGN KEY(app_id) REFERENCES apps (app_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS roles_app_id_index ON roles(app_id)`,
    `CREATE TABLE IF NOT EXISTS role_permissions (app_id VARCHAR(64) DEFAULT 'public',
      role VARCHAR(255) NOT NULL, permission VARCHAR(255) NOT NULL,
      CONSTRAINT role_permissions_pkey PRIMARY KEY(app_id, role, permission),
      CONSTRAINT role_permissions_role_fkey FOREIGN KEY(app_id, role)
        REFERENCES roles(app_id, role) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS role_permissions_permission_index ON role_permissions(app_id, permission)`,
    `CREATE INDEX IF NOT EXISTS role_permissions_role_index ON role_permissions(app_id, role)`,
    `CREATE TABLE IF NOT EXISTS user_roles (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', user_id VARCHAR(128) NOT NULL, role VARCHAR(255) NOT NULL,
      CONSTRAINT user_roles_pkey PRIMARY KEY(app_id, tenant_id, user_id, role),
      CONSTRAINT user_roles_tenant_id_fkey FOREIGN KEY (app_id, tenant_id)
        REFERENCES tenants(app_id, tenant_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS user_roles_role_index ON user_roles(app_id, tenant_id, role)`,
    `CREATE INDEX IF NOT EXISTS user_roles_tenant_id_index ON user_roles(app_id, tenant_id)`,
    `CREATE INDEX IF NOT EXISTS user_roles_app_id_role_index ON user_roles(app_id, role)`,
    `CREATE INDEX IF NOT EXISTS user_roles_app_id_user_id_index ON user_roles(app_id, user_id)`,
  ]),
  ...recipe('dashboard', [
    `CREATE TABLE IF NOT EXISTS dashboard_users (app_id VARCHAR(64) DEFAULT 'public',
      user_id CHAR(36) NOT NULL, email VARCHAR(256) NOT NULL, password_hash VARCHAR(256) NOT NULL,
      time_joined BIGINT NOT NULL,
      CONSTRAINT dashboard_users_email_key UNIQUE (app_id, email),
      CONSTRAINT dashboard_users_pkey PRIMARY KEY (app_id, user_id),
      CONSTRAINT dashboard_users_app_id_fkey FOREIGN KEY(app_id) REFERENCES apps (app_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS dashboard_users_app_id_index ON dashboard_users(app_id)`,
    `CREATE TABLE IF NOT EXISTS dashboard_user_sessions (app_id VARCHAR(64) DEFAULT 'public',
      session_id CHAR(36) NOT NULL, user_id CHAR(36) NOT NULL, time_created BIGINT NOT NULL,
      expiry BIGINT NOT NULL,
      CONSTRAINT dashboard_user_sessions_pkey PRIMARY KEY(app_id, session_id),
      CONSTRAINT dashboard_user_sessions_user_id_fkey FOREIGN KEY (app_id, user_id)
        REFERENCES dashboard_users(app_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS dashboard_user_sessions_expiry_index ON dashboard_user_sessions(expiry)`,
    `CREATE INDEX IF NOT EXISTS dashboard_user_sessions_user_id_index ON dashboard_user_sessions(app_id, user_id)`,
  ]),
  ...recipe('totp', [
    `CREATE TABLE IF NOT EXISTS totp_users (app_id VARCHAR(64) DEFAULT 'public',
      user_id VARCHAR(128) NOT NULL,
      CONSTRAINT totp_users_pkey PRIMARY KEY (app_id, user_id),
      CONSTRAINT totp_users_app_id_fkey FOREIGN KEY(app_id) REFERENCES apps (app_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS totp_users_app_id_index ON totp_users(app_id)`,
    `CREATE TABLE IF NOT EXISTS totp_user_devices (app_id VARCHAR(64) DEFAULT 'public',
      user_id VARCHAR(128) NOT NULL, device_name VARCHAR(256) NOT NULL,
      secret_key VARCHAR(256) NOT NULL, period INTEGER NOT NULL, skew INTEGER NOT NULL,
      verified BOOLEAN NOT NULL, created_at BIGINT,
      CONSTRAINT totp_user_devices_pkey PRIMARY KEY (app_id, user_id, device_name),
      CONSTRAINT totp_user_devices_user_id_fkey FOREIGN KEY (app_id, user_id)
        REFERENCES totp_users(app_id, user_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS totp_user_devices_user_id_index ON totp_user_devices(app_id, user_id)`,
    `CREATE TABLE IF NOT EXISTS totp_used_codes (app_id VARCHAR(64) DEFAULT 'public',
      tenant_id VARCHAR(64) DEFAULT 'public', user_id VARCHAR(128) NOT NULL,
      code VARCHAR(8) NOT NULL, is_valid BOOLEAN NOT NULL, expiry_time_ms BIGINT NOT NULL,
      created_time_ms BIGINT NOT NULL,
      CONSTRAINT totp_used_codes_pkey PRIMARY KEY (app_id, tenant_id, user_id, created_time_ms),
      CONSTRAINT totp_used_codes_user_id_fkey FOREIGN KEY (app_id, user_id)
        REFERENCES totp_users(app_id, user_id) ON DELETE CASCADE,
      CONSTRAINT totp_used_codes_tenant_id_fkey FOREIGN KEY (app_id, tenant_id)
        REFERENCES tenants (app_id, tenant_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS totp_used_codes_expiry_time_ms_index ON totp_used_codes (app_id, tenant_id, expiry_time_ms)`,
    `CREATE INDEX IF NOT EXISTS totp_used_codes_user_id_index ON totp_used_codes (app_id, user_id)`,
    `CREATE INDEX IF NOT EXISTS totp_used_codes_tenant_id_index ON totp_used_codes (app_id, tenant_id)`,
  ]),
  ...recipe('webauthn', [
    `CREATE TABLE IF NOT EXISTS webauthn_users (app_id VARCHAR(64) DEFAULT 'public' NOT NULL,
      user_id CHAR(36) NOT NULL, email VARCHAR(256) NOT NULL, rp_id VARCHAR(256) NOT NULL,
      time_joined BIGINT NOT NULL,
      CONSTRAINT webauthn_users_pkey PRIMARY KEY (app_id, user_id),
      CONSTRAINT webauthn_users_user_id_fkey FOREIGN KEY (app_id, user_id)
        REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE)`,
    `CREATE TABLE IF NOT EXISTS webauthn_user_to_tenant (app_id VARCHAR(64) DEFAULT 'public' NOT NULL,
      tenant_id VARCHAR(64) DEFAULT 'public' NOT NULL, user_id CHAR(36) NOT NULL,
      email VARCHAR(256) NOT NULL,
      CONSTRAINT webauthn_user_to_tenant_email_key UNIQUE (app_id, tenant_id, email),
      CONSTRAINT webauthn_user_to_tenant_pkey PRIMARY KEY (app_id, tenant_id, user_id),
      CONSTRAINT webauthn_user_to_tenant_user_id_fkey FOREIGN KEY (app_id, tenant_id, user_id)
        REFERENCES all_auth_recipe_users (app_id, tenant_id, user_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS webauthn_user_to_tenant_email_index ON webauthn_user_to_tenant (app_id, email)`,
    `CREATE TABLE IF NOT EXISTS webauthn_generated_options (app_id VARCHAR(64) DEFAULT 'public' NOT NULL,
      tenant_id VARCHAR(64) DEFAULT 'public' NOT NULL, id CHAR(36) NOT NULL,
      challenge VARCHAR(256) NOT NULL, email VARCHAR(256), rp_id VARCHAR(256) NOT NULL,
      rp_name VARCHAR(256) NOT NULL, origin VARCHAR(256) NOT NULL, expires_at BIGINT NOT NULL,
      created_at BIGINT NOT NULL, user_presence_required BOOLEAN DEFAULT FALSE NOT NULL,
      user_verification VARCHAR(12) DEFAULT 'preferred' NOT NULL,
      CONSTRAINT webauthn_generated_options_pkey PRIMARY KEY (app_id, tenant_id, id),
      CONSTRAINT webauthn_generated_options_tenant_id_fkey FOREIGN KEY (app_id, tenant_id)
        REFERENCES tenants (app_id, tenant_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS webauthn_user_challenges_expires_at_index ON webauthn_generated_options (app_id, tenant_id, expires_at)`,
    `CREATE TABLE IF NOT EXISTS webauthn_credentials (id VARCHAR(256) NOT NULL,
      app_id VARCHAR(64) DEFAULT 'public' NOT NULL, rp_id VARCHAR(256), user_id CHAR(36),
      counter BIGINT NOT NULL, public_key BYTEA NOT NULL, transports TEXT NOT NULL,
      created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
      CONSTRAINT webauthn_credentials_pkey PRIMARY KEY (app_id, rp_id, id),
      CONSTRAINT webauthn_credentials_user_id_fkey FOREIGN KEY (app_id, user_id)
        REFERENCES webauthn_users (app_id, user_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS webauthn_credentials_user_id_index ON webauthn_credentials (user_id)`,
    `CREATE TABLE IF NOT EXISTS webauthn_account_recovery_tokens (app_id VARCHAR(64) DEFAULT 'public' NOT NULL,
      tenant_id VARCHAR(64) DEFAULT 'public' NOT NULL, user_id CHAR(36) NOT NULL,
      email VARCHAR(256) NOT NULL, token VARCHAR(256) NOT NULL, expires_at BIGINT NOT NULL,
      CONSTRAINT webauthn_account_recovery_token_pkey PRIMARY KEY (app_id, tenant_id, user_id, token),
      CONSTRAINT webauthn_account_recovery_token_user_id_fkey FOREIGN KEY (app_id, tenant_id, user_id)
        REFERENCES all_auth_recipe_users (app_id, tenant_id, user_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS webauthn_account_recovery_token_token_index ON webauthn_account_recovery_tokens (app_id, tenant_id, token)`,
    `CREATE INDEX IF NOT EXISTS webauthn_account_recovery_token_email_index ON webauthn_account_recovery_tokens (app_id, tenant_id, email)`,
    `CREATE INDEX IF NOT EXISTS webauthn_account_recovery_token_expires_at_index ON webauthn_account_recovery_tokens (expires_at DESC)`,
  ]),
  ...recipe('userid-mapping', [
    `CREATE TABLE IF NOT EXISTS userid_mapping (app_id VARCHAR(64) DEFAULT 'public',
      supertokens_user_id CHAR(36) NOT NULL, external_user_id VARCHAR(128) NOT NULL,
      CONSTRAINT userid_mapping_supertokens_user_id_key UNIQUE (app_id, supertokens_user_id),
      CONSTRAINT userid_mapping_external_user_id_key UNIQUE (app_id, external_user_id),
      external_user_id_info TEXT,
      CONSTRAINT userid_mapping_pkey PRIMARY KEY(app_id, supertokens_user_id, external_user_id),
      CONSTRAINT userid_mapping_supertokens_user_id_fkey FOREIGN KEY (app_id, supertokens_user_id)
        REFERENCES app_id_to_user_id(app_id, user_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS userid_mapping_supertokens_user_id_index ON userid_mapping(app_id, supertokens_user_id)`,
  ]),
  ...recipe('bulk-import', [
    `CREATE TABLE IF NOT EXISTS bulk_import_users (id CHAR(36), app_id VARCHAR(64) NOT NULL DEFAULT 'public',
      primary_user_id VARCHAR(36), raw_data TEXT NOT NULL, status VARCHAR(128) DEFAULT 'NEW',
      error_msg TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
      CONSTRAINT bulk_import_users_pkey PRIMARY KEY(app_id, id),
      CONSTRAINT bulk_import_users_app_id_fkey FOREIGN KEY(app_id) REFERENCES apps (app_id) ON DELETE CASCADE)`,
    `CREATE INDEX IF NOT EXISTS bulk_import_users_status_updated_at_index ON bulk_import_users (app_id, status, updated_at)`,
    `CREATE INDEX IF NOT EXISTS bulk_import_users_pagination_index1 ON bulk_import_users (app_id, status, created_at DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS bulk_import_users_pagination_index2 ON bulk_import_users (app_id, created_at DESC, id DESC)`,
  ]),
  ...recipe('counter', [
    // Not the official core's: the module's rate-limit counters (the official core ignores it).
    `CREATE TABLE IF NOT EXISTS nest_supertokens_counters (key VARCHAR(512) NOT NULL,
      count INT NOT NULL, reset_at BIGINT NOT NULL, CONSTRAINT nest_supertokens_counters_pkey PRIMARY KEY (key))`,
    `CREATE INDEX IF NOT EXISTS nest_supertokens_counters_reset_at_index ON nest_supertokens_counters(reset_at)`,
  ]),
];

/**
 * The version of the tables above that this code reads and writes, kept in `key_value` (a row the
 * official core ignores). A database written by a newer version is refused, never guessed at.
 */
export const SCHEMA_VERSION = 1;
export const SCHEMA_VERSION_KEY = 'nest_supertokens_schema_version';
