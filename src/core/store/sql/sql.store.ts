import { createPrivateKey, createPublicKey } from 'node:crypto';
import type {
  DashboardSessionRecord,
  DashboardUserRecord,
  LinkChange,
  LoginMethodRecord,
  PasswordlessCodeRecord,
  PasswordlessDeviceRecord,
  RecipeId,
  SessionRecord,
  SigningKeyRecord,
  TenantAssociation,
  TenantConfigRecord,
  ThirdPartyClientRecord,
  ThirdPartyInfo,
  ThirdPartyProviderRecord,
  TokenRecord,
  UserInfoMapRecord,
  UserRecord,
} from '../records.js';
import { userTimeJoined } from '../records.js';
import type {
  AccountInfoQuery,
  DashboardUserKey,
  LinkDecision,
  LinkingView,
  PasswordlessLoginUpdate,
  SessionPatch,
  Store,
  UserListQuery,
  CounterState,
} from '../store.interface.js';
import {
  accountInfoOf,
  associationClash,
  clashesWithPrimary,
  linkingView,
} from '../linking-view.js';
import { isUniqueViolation, type SqlClient, type SqlExecutor, type SqlRow } from './sql-client.js';
import { SCHEMA_STATEMENTS, SCHEMA_VERSION, SCHEMA_VERSION_KEY } from './sql.schema.js';

/** Runs `work`; a unique-constraint violation (a concurrent writer won) becomes `answer`. */
async function unlessTaken<T, A>(work: () => Promise<T>, answer: A): Promise<T | A> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) return answer;
    throw error;
  }
}

/** The real core caps a search at this many hits. */
const SEARCH_CAP = 1000;
/** First key of the advisory locks this store takes (the second is per app or purpose). */
const LOCK_SPACE = 0x5354;

/** Thrown to roll back a passwordless update whose new phone number is refused. */
class PhoneChangeRefused extends Error {}

/** A text column; CHAR(n) columns come back blank-padded. */
const text = (row: SqlRow, column: string): string => String(row[column]).trimEnd();
const optionalText = (row: SqlRow, column: string): string | undefined =>
  row[column] === null || row[column] === undefined ? undefined : text(row, column);
const num = (row: SqlRow, column: string): number => Number(row[column]);
const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** Keys as the real core stores them: `base64(SPKI DER)|base64(PKCS#8 DER)`. */
function keyString(privateKeyPem: string): string {
  const privateKey = createPrivateKey(privateKeyPem);
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  return `${spki.toString('base64')}|${pkcs8.toString('base64')}`;
}

function privateKeyPem(stored: string): string {
  const der = Buffer.from(stored.split(/[|;]/)[1] ?? '', 'base64');
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

const USER_COLUMNS = `a.user_id, a.recipe_id, a.primary_or_recipe_user_id AS primary_id,
  a.is_linked_or_is_a_primary_user AS is_primary,
  COALESCE(ep.email, pl.email, tp.email) AS email, pl.phone_number, ep.password_hash,
  tp.third_party_id, tp.third_party_user_id,
  COALESCE(ep.time_joined, pl.time_joined, tp.time_joined) AS time_joined,
  ARRAY(SELECT r.tenant_id FROM all_auth_recipe_users r
        WHERE r.app_id = a.app_id AND r.user_id = a.user_id ORDER BY r.tenant_id) AS tenant_ids
  FROM app_id_to_user_id a
  LEFT JOIN emailpassword_users ep ON ep.app_id = a.app_id AND ep.user_id = a.user_id
  LEFT JOIN passwordless_users pl ON pl.app_id = a.app_id AND pl.user_id = a.user_id
  LEFT JOIN thirdparty_users tp ON tp.app_id = a.app_id AND tp.user_id = a.user_id`;

const DEVICE_COLUMNS = `d.tenant_id, d.device_id_hash, d.email, d.phone_number, d.link_code_salt,
  d.failed_attempts,
  COALESCE(json_agg(json_build_object('codeId', c.code_id, 'linkCodeHash', c.link_code_hash,
    'timeCreated', c.created_at) ORDER BY c.created_at) FILTER (WHERE c.code_id IS NOT NULL), '[]') AS codes
  FROM passwordless_devices d
  LEFT JOIN passwordless_codes c ON c.app_id = d.app_id AND c.tenant_id = d.tenant_id
    AND c.device_id_hash = d.device_id_hash`;
const DEVICE_GROUP = 'GROUP BY d.app_id, d.tenant_id, d.device_id_hash';

/** Users (by primary user id) from rows of `SELECT ${USER_COLUMNS}`, one row per login method. */
function usersFrom(rows: SqlRow[]): Map<string, UserRecord> {
  const users = new Map<string, UserRecord>();
  for (const row of rows) {
    const id = text(row, 'primary_id');
    let user = users.get(id);
    if (!user) users.set(id, (user = { id, isPrimaryUser: false, loginMethods: [] }));
    const recipeUserId = text(row, 'user_id');
    if (recipeUserId === id) user.isPrimaryUser = Boolean(row.is_primary);
    // A primary user's own row outlives its deleted login method while others are linked to it.
    if (row.time_joined === null || row.time_joined === undefined) continue;
    const email = optionalText(row, 'email');
    const phoneNumber = optionalText(row, 'phone_number');
    const passwordHash = optionalText(row, 'password_hash');
    const thirdPartyId = optionalText(row, 'third_party_id');
    user.loginMethods.push({
      recipeUserId,
      recipeId: text(row, 'recipe_id') as RecipeId,
      tenantIds: (row.tenant_ids as string[]).map((t) => t.trimEnd()),
      timeJoined: num(row, 'time_joined'),
      ...(email !== undefined && { email }),
      ...(phoneNumber !== undefined && { phoneNumber }),
      ...(passwordHash !== undefined && { passwordHash }),
      ...(thirdPartyId !== undefined && {
        thirdParty: { id: thirdPartyId, userId: text(row, 'third_party_user_id') },
      }),
    });
  }
  for (const [id, user] of users) {
    if (user.loginMethods.length === 0) users.delete(id);
    user.loginMethods.sort((a, b) => a.timeJoined - b.timeJoined);
  }
  return users;
}

/** A JSON object column (the official core writes Gson's `toString()`), or absent. */
const jsonObject = (value: unknown): Record<string, unknown> | undefined =>
  value === null || value === undefined
    ? undefined
    : (json(value) as Record<string, unknown> | undefined);

/** A `tenant_thirdparty_providers` row with its clients (aggregated as JSON). */
function providerFrom(row: SqlRow): ThirdPartyProviderRecord {
  const optional = (column: string) => optionalText(row, column);
  const map = (prefix: string): UserInfoMapRecord => {
    const [userId, email, emailVerified] = ['user_id', 'email', 'email_verified'].map((f) =>
      optional(`user_info_map_${prefix}_${f}`),
    );
    return {
      ...(userId !== undefined && { userId }),
      ...(email !== undefined && { email }),
      ...(emailVerified !== undefined && { emailVerified }),
    };
  };
  const clients = ((json(row.clients) as Record<string, unknown>[] | null) ?? []).map(
    (c): ThirdPartyClientRecord => {
      const clientType = String(c.clientType);
      const additionalConfig = jsonObject(c.additionalConfig);
      return {
        ...(clientType !== '' && { clientType }),
        clientId: String(c.clientId),
        ...(typeof c.clientSecret === 'string' && { clientSecret: c.clientSecret }),
        ...(Array.isArray(c.scope) && { scope: c.scope as (string | null)[] }),
        ...(typeof c.forcePKCE === 'boolean' && { forcePKCE: c.forcePKCE }),
        ...(additionalConfig && { additionalConfig }),
      };
    },
  );
  const fields = {
    name: optional('name'),
    authorizationEndpoint: optional('authorization_endpoint'),
    authorizationEndpointQueryParams: jsonObject(row.authorization_endpoint_query_params),
    tokenEndpoint: optional('token_endpoint'),
    tokenEndpointBodyParams: jsonObject(row.token_endpoint_body_params),
    userInfoEndpoint: optional('user_info_endpoint'),
    userInfoEndpointQueryParams: jsonObject(row.user_info_endpoint_query_params),
    userInfoEndpointHeaders: jsonObject(row.user_info_endpoint_headers),
    jwksURI: optional('jwks_uri'),
    oidcDiscoveryEndpoint: optional('oidc_discovery_endpoint'),
    requireEmail: typeof row.require_email === 'boolean' ? row.require_email : undefined,
  };
  return {
    thirdPartyId: text(row, 'third_party_id'),
    clients,
    ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    userInfoMap: {
      fromIdTokenPayload: map('from_id_token_payload'),
      fromUserInfoAPI: map('from_user_info_endpoint'),
    },
  };
}

/** Writes one provider and its clients in the official tables (`''` for no client type). */
async function insertProvider(
  tx: SqlExecutor,
  appId: string,
  tenantId: string,
  p: ThirdPartyProviderRecord,
): Promise<void> {
  const object = (value: Record<string, unknown> | undefined) =>
    value === undefined ? null : JSON.stringify(value);
  const { fromIdTokenPayload: token, fromUserInfoAPI: api } = p.userInfoMap;
  await tx.query(
    `INSERT INTO tenant_thirdparty_providers (connection_uri_domain, app_id, tenant_id,
       third_party_id, name, authorization_endpoint, authorization_endpoint_query_params,
       token_endpoint, token_endpoint_body_params, user_info_endpoint,
       user_info_endpoint_query_params, user_info_endpoint_headers, jwks_uri,
       oidc_discovery_endpoint, require_email, user_info_map_from_id_token_payload_user_id,
       user_info_map_from_id_token_payload_email, user_info_map_from_id_token_payload_email_verified,
       user_info_map_from_user_info_endpoint_user_id, user_info_map_from_user_info_endpoint_email,
       user_info_map_from_user_info_endpoint_email_verified)
     VALUES ('', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
       $19, $20)`,
    [
      appId,
      tenantId,
      p.thirdPartyId,
      p.name ?? null,
      p.authorizationEndpoint ?? null,
      object(p.authorizationEndpointQueryParams),
      p.tokenEndpoint ?? null,
      object(p.tokenEndpointBodyParams),
      p.userInfoEndpoint ?? null,
      object(p.userInfoEndpointQueryParams),
      object(p.userInfoEndpointHeaders),
      p.jwksURI ?? null,
      p.oidcDiscoveryEndpoint ?? null,
      p.requireEmail ?? null,
      token.userId ?? null,
      token.email ?? null,
      token.emailVerified ?? null,
      api.userId ?? null,
      api.email ?? null,
      api.emailVerified ?? null,
    ],
  );
  for (const c of p.clients) {
    await tx.query(
      `INSERT INTO tenant_thirdparty_provider_clients (connection_uri_domain, app_id, tenant_id,
         third_party_id, client_type, client_id, client_secret, scope, force_pkce, additional_config)
       VALUES ('', $1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        appId,
        tenantId,
        p.thirdPartyId,
        c.clientType ?? '',
        c.clientId,
        c.clientSecret ?? null,
        c.scope ?? null,
        c.forcePKCE ?? null,
        object(c.additionalConfig),
      ],
    );
  }
}

function deviceFrom(row: SqlRow): PasswordlessDeviceRecord {
  const codes = (json(row.codes) as Record<string, unknown>[]).map((c): PasswordlessCodeRecord => ({
    codeId: String(c.codeId).trimEnd(),
    linkCodeHash: String(c.linkCodeHash).trimEnd(),
    timeCreated: Number(c.timeCreated),
  }));
  const email = optionalText(row, 'email');
  const phoneNumber = optionalText(row, 'phone_number');
  return {
    preAuthSessionId: text(row, 'device_id_hash'),
    tenantId: text(row, 'tenant_id'),
    ...(email !== undefined && { email }),
    ...(phoneNumber !== undefined && { phoneNumber }),
    linkCodeSalt: text(row, 'link_code_salt'),
    failedAttempts: num(row, 'failed_attempts'),
    codes,
  };
}

function sessionFrom(row: SqlRow): SessionRecord {
  return {
    handle: text(row, 'session_handle'),
    recipeUserId: text(row, 'user_id'),
    userId: optionalText(row, 'primary_id') ?? text(row, 'user_id'),
    tenantId: text(row, 'tenant_id'),
    refreshTokenHash2: text(row, 'refresh_token_hash_2'),
    expiry: num(row, 'expires_at'),
    timeCreated: num(row, 'created_at_time'),
    userDataInJWT: json(row.jwt_user_payload ?? '{}') as Record<string, unknown>,
    userDataInDatabase: json(row.session_data ?? '{}') as Record<string, unknown>,
    useStaticKey: Boolean(row.use_static_key),
  };
}

const dashboardUserFrom = (row: SqlRow): DashboardUserRecord => ({
  userId: text(row, 'user_id'),
  email: text(row, 'email'),
  passwordHash: text(row, 'password_hash'),
  timeJoined: num(row, 'time_joined'),
});

const dashboardSessionFrom = (row: SqlRow): DashboardSessionRecord => ({
  sessionId: text(row, 'session_id'),
  userId: text(row, 'user_id'),
  timeCreated: num(row, 'time_created'),
  expiry: num(row, 'expiry'),
});

/**
 * The store on PostgreSQL (PGlite on disk, or a server through `pg`), in the official core's
 * tables (`sql.schema.ts`). Every check-then-write is one statement, one constraint or one
 * transaction, so several processes can share one database.
 */
export class SqlStore implements Store {
  /** Values under `key_value` never change once written: cached after the first read. */
  private readonly appValues = new Map<string, string>();
  /**
   * Apps and tenants seen to exist. Every request checks its app and tenant, and neither can be
   * deleted (the embedded core has no delete endpoint for them yet), so a positive answer is
   * kept; a negative one is asked again, since another instance may create it. The official
   * core likewise keeps its tenant list in memory.
   */
  private readonly knownTenants = new Set<string>();
  /** Tenants other than `public` seen to exist, with when (see `hasTenant`). */
  private readonly recentTenants = new Map<string, number>();

  private constructor(private readonly db: SqlClient) {}

  /** Where the data lives, for logs. */
  get description(): string {
    return this.db.description;
  }

  /** Creates missing tables (refusing a database of a newer schema) and the public app. */
  static async open(db: SqlClient): Promise<SqlStore> {
    try {
      await db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_SPACE]);
        const exists = await tx.query("SELECT to_regclass('key_value') IS NOT NULL AS found");
        if (exists.rows[0]?.found) {
          const stored = await tx.query(
            "SELECT value FROM key_value WHERE app_id = 'public' AND tenant_id = 'public' AND name = $1",
            [SCHEMA_VERSION_KEY],
          );
          const version = Number(stored.rows[0]?.value ?? 0);
          if (version > SCHEMA_VERSION) {
            throw new Error(
              `Embedded core storage (${db.description}) was written by a newer nest-supertokens ` +
                `(schema version ${version}; this version reads ${SCHEMA_VERSION}). Upgrade ` +
                'nest-supertokens, or point the app at another database.',
            );
          }
        }
        for (const statement of SCHEMA_STATEMENTS) await tx.query(statement);
        await SqlStore.insertApp(tx, 'public', Date.now());
        await tx.query(
          `INSERT INTO key_value (app_id, tenant_id, name, value, created_at_time)
           VALUES ('public', 'public', $1, $2, $3)
           ON CONFLICT (app_id, tenant_id, name) DO UPDATE SET value = EXCLUDED.value`,
          [SCHEMA_VERSION_KEY, String(SCHEMA_VERSION), Date.now()],
        );
      });
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return new SqlStore(db);
  }

  private static async insertApp(tx: SqlExecutor, appId: string, time: number): Promise<void> {
    await tx.query(
      'INSERT INTO apps (app_id, created_at_time) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [appId, time],
    );
    await SqlStore.insertTenant(tx, appId, 'public', time);
  }

  /** A tenant row plus its `tenant_configs` row, which the official core loads tenants from. */
  private static async insertTenant(
    tx: SqlExecutor,
    appId: string,
    tenantId: string,
    time: number,
  ): Promise<void> {
    await tx.query(
      'INSERT INTO tenants (app_id, tenant_id, created_at_time) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [appId, tenantId, time],
    );
    await tx.query(
      `INSERT INTO tenant_configs (connection_uri_domain, app_id, tenant_id, core_config,
         email_password_enabled, passwordless_enabled, third_party_enabled, is_first_factors_null)
       VALUES ('', $1, $2, '{}', TRUE, TRUE, TRUE, TRUE) ON CONFLICT DO NOTHING`,
      [appId, tenantId],
    );
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async hasApp(appId: string): Promise<boolean> {
    // As for tenants (see hasTenant): apps other than `public` can be deleted, by another
    // instance too, so they are remembered for a second only.
    if (appId === 'public' && this.knownTenants.has(appId)) return true;
    const seen = this.recentTenants.get(appId);
    if (seen !== undefined && Date.now() - seen < 1000) return true;
    const { rowCount } = await this.db.query('SELECT 1 FROM apps WHERE app_id = $1', [appId]);
    if (rowCount > 0 && appId === 'public') this.knownTenants.add(appId);
    else if (rowCount > 0) this.recentTenants.set(appId, Date.now());
    return rowCount > 0;
  }

  async listApps(): Promise<string[]> {
    const { rows } = await this.db.query(
      `SELECT app_id FROM apps ORDER BY app_id <> 'public', created_at_time, app_id COLLATE "C"`,
    );
    return rows.map((r) => text(r, 'app_id'));
  }

  async deleteApp(appId: string): Promise<boolean> {
    if (appId === 'public') return false;
    for (const key of [...this.recentTenants.keys(), ...this.knownTenants]) {
      if (key === appId || key.startsWith(`${appId}\n`)) {
        this.recentTenants.delete(key);
        this.knownTenants.delete(key);
      }
    }
    return this.db.transaction(async (tx) => {
      // Everything of the app references it (ON DELETE CASCADE); tenant set-ups are keyed by it.
      const { rowCount } = await tx.query('DELETE FROM apps WHERE app_id = $1', [appId]);
      await tx.query(
        `DELETE FROM tenant_configs WHERE connection_uri_domain = '' AND app_id = $1`,
        [appId],
      );
      return rowCount > 0;
    });
  }

  createApp(appId: string): Promise<void> {
    return this.db.transaction((tx) => SqlStore.insertApp(tx, appId, Date.now()));
  }

  async hasTenant(appId: string, tenantId: string): Promise<boolean> {
    // A public tenant lives as long as its app; other tenants can be deleted, by another
    // instance too, so they are remembered for a second only (the official core also refreshes
    // its tenant list periodically).
    // App ids and tenant ids are [a-z0-9-]: "\n" cannot occur in either.
    const cacheKey = `${appId}\n${tenantId}`;
    if (tenantId === 'public' && this.knownTenants.has(cacheKey)) return true;
    const seen = this.recentTenants.get(cacheKey);
    if (seen !== undefined && Date.now() - seen < 1000) return true;
    const { rowCount } = await this.db.query(
      'SELECT 1 FROM tenants WHERE app_id = $1 AND tenant_id = $2',
      [appId, tenantId],
    );
    if (rowCount > 0 && tenantId === 'public') this.knownTenants.add(cacheKey);
    else if (rowCount > 0) this.recentTenants.set(cacheKey, Date.now());
    return rowCount > 0;
  }

  async getTenantConfig(appId: string, tenantId: string): Promise<TenantConfigRecord | undefined> {
    return (await this.tenantConfigs(appId, tenantId))[0];
  }

  listTenantConfigs(appId: string): Promise<TenantConfigRecord[]> {
    return this.tenantConfigs(appId);
  }

  /** The set-ups of an app's tenants (or of one), in `listTenants` order. */
  private async tenantConfigs(appId: string, tenantId?: string): Promise<TenantConfigRecord[]> {
    const { rows } = await this.db.query(
      `SELECT t.tenant_id, c.core_config, c.is_first_factors_null,
         c.email_password_enabled, c.passwordless_enabled, c.third_party_enabled,
         (SELECT array_agg(f.factor_id ORDER BY f.factor_id) FROM tenant_first_factors f
           WHERE f.connection_uri_domain = '' AND f.app_id = t.app_id AND f.tenant_id = t.tenant_id)
           AS first_factors,
         (SELECT array_agg(r.factor_id ORDER BY r.factor_id) FROM tenant_required_secondary_factors r
           WHERE r.connection_uri_domain = '' AND r.app_id = t.app_id AND r.tenant_id = t.tenant_id)
           AS required_factors
       FROM tenants t LEFT JOIN tenant_configs c
         ON c.connection_uri_domain = '' AND c.app_id = t.app_id AND c.tenant_id = t.tenant_id
       WHERE t.app_id = $1 AND ($2::text IS NULL OR t.tenant_id = $2)
       ORDER BY t.tenant_id <> 'public', t.created_at_time, t.tenant_id COLLATE "C"`,
      [appId, tenantId ?? null],
    );
    const providers = await this.providersOf(this.db, appId, tenantId);
    return rows.map((row) => {
      const factors = (column: string): string[] =>
        ((row[column] as string[] | null) ?? []).map((f) => String(f));
      // A tenant the official core wrote with recipes switched off, and no first factors: the
      // factors those switches leave (what the official core reports for it).
      let firstFactors: string[] | null =
        row.is_first_factors_null === false ? factors('first_factors') : null;
      if (firstFactors === null) {
        const off = (column: string) => row[column] === false;
        if (
          off('email_password_enabled') ||
          off('passwordless_enabled') ||
          off('third_party_enabled')
        ) {
          firstFactors = [
            ...(off('email_password_enabled') ? [] : ['emailpassword']),
            ...(off('third_party_enabled') ? [] : ['thirdparty']),
            ...(off('passwordless_enabled')
              ? []
              : ['otp-email', 'otp-phone', 'link-email', 'link-phone']),
          ];
        }
      }
      const required = factors('required_factors');
      return {
        tenantId: text(row, 'tenant_id'),
        firstFactors,
        requiredSecondaryFactors: required.length > 0 ? required : null,
        coreConfig: (json(row.core_config ?? '{}') as Record<string, unknown> | null) ?? {},
        thirdPartyProviders: providers.get(text(row, 'tenant_id')) ?? [],
      };
    });
  }

  /** The third-party providers of an app's tenants (or of one), by tenant id. */
  private async providersOf(
    db: SqlExecutor,
    appId: string,
    tenantId?: string,
  ): Promise<Map<string, ThirdPartyProviderRecord[]>> {
    const { rows } = await db.query(
      `SELECT p.*, (SELECT json_agg(json_build_object('clientType', c.client_type,
           'clientId', c.client_id, 'clientSecret', c.client_secret, 'scope', c.scope,
           'forcePKCE', c.force_pkce, 'additionalConfig', c.additional_config))
         FROM tenant_thirdparty_provider_clients c WHERE c.connection_uri_domain = ''
           AND c.app_id = p.app_id AND c.tenant_id = p.tenant_id
           AND c.third_party_id = p.third_party_id) AS clients
       FROM tenant_thirdparty_providers p
       WHERE p.connection_uri_domain = '' AND p.app_id = $1 AND ($2::text IS NULL OR p.tenant_id = $2)`,
      [appId, tenantId ?? null],
    );
    const byTenant = new Map<string, ThirdPartyProviderRecord[]>();
    for (const row of rows) {
      const tenant = text(row, 'tenant_id');
      const list = byTenant.get(tenant) ?? [];
      byTenant.set(tenant, list);
      list.push(providerFrom(row));
    }
    return byTenant;
  }

  updateThirdPartyProviders(
    appId: string,
    tenantId: string,
    change: (providers: ThirdPartyProviderRecord[]) => ThirdPartyProviderRecord[],
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // The tenant's row, locked: concurrent changes of its providers run one after the other.
      const { rowCount } = await tx.query(
        `SELECT 1 FROM tenant_configs WHERE connection_uri_domain = '' AND app_id = $1
           AND tenant_id = $2 FOR UPDATE`,
        [appId, tenantId],
      );
      if (rowCount === 0) return false;
      const current = (await this.providersOf(tx, appId, tenantId)).get(tenantId) ?? [];
      const next = change(current);
      // The official core rewrites them the same way; the clients go with their provider.
      await tx.query(
        `DELETE FROM tenant_thirdparty_providers WHERE connection_uri_domain = '' AND app_id = $1
           AND tenant_id = $2`,
        [appId, tenantId],
      );
      for (const provider of next) await insertProvider(tx, appId, tenantId, provider);
      return true;
    });
  }

  async putTenantConfig(
    appId: string,
    config: Omit<TenantConfigRecord, 'thirdPartyProviders'>,
  ): Promise<boolean> {
    const { tenantId } = config;
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        'INSERT INTO tenants (app_id, tenant_id, created_at_time) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [appId, tenantId, Date.now()],
      );
      await tx.query(
        `INSERT INTO tenant_configs (connection_uri_domain, app_id, tenant_id, core_config,
           email_password_enabled, passwordless_enabled, third_party_enabled, is_first_factors_null)
         VALUES ('', $1, $2, $3, TRUE, TRUE, TRUE, $4)
         ON CONFLICT (connection_uri_domain, app_id, tenant_id) DO UPDATE SET
           core_config = EXCLUDED.core_config, email_password_enabled = TRUE,
           passwordless_enabled = TRUE, third_party_enabled = TRUE,
           is_first_factors_null = EXCLUDED.is_first_factors_null`,
        [appId, tenantId, JSON.stringify(config.coreConfig), config.firstFactors === null],
      );
      for (const [table, factors] of [
        ['tenant_first_factors', config.firstFactors],
        ['tenant_required_secondary_factors', config.requiredSecondaryFactors],
      ] as const) {
        await tx.query(
          `DELETE FROM ${table} WHERE connection_uri_domain = '' AND app_id = $1 AND tenant_id = $2`,
          [appId, tenantId],
        );
        for (const factor of factors ?? []) {
          await tx.query(
            `INSERT INTO ${table} (connection_uri_domain, app_id, tenant_id, factor_id)
             VALUES ('', $1, $2, $3)`,
            [appId, tenantId, factor],
          );
        }
      }
      return rowCount > 0;
    });
  }

  async deleteTenant(appId: string, tenantId: string): Promise<boolean> {
    if (tenantId === 'public') return false;
    this.recentTenants.delete(`${appId}\n${tenantId}`);
    return this.db.transaction(async (tx) => {
      // Everything scoped to the tenant goes with it (ON DELETE CASCADE), memberships included.
      const { rowCount } = await tx.query(
        'DELETE FROM tenants WHERE app_id = $1 AND tenant_id = $2',
        [appId, tenantId],
      );
      await tx.query(
        `DELETE FROM tenant_configs WHERE connection_uri_domain = '' AND app_id = $1 AND tenant_id = $2`,
        [appId, tenantId],
      );
      return rowCount > 0;
    });
  }

  async associateUserWithTenant(
    appId: string,
    tenantId: string,
    recipeUserId: string,
  ): Promise<TenantAssociation> {
    // Which unique constraint a failed insert hit: the one of the column being written.
    let conflict: Exclude<TenantAssociation, 'OK' | 'ALREADY_ASSOCIATED' | 'UNKNOWN_USER_ID'> =
      'EMAIL_ALREADY_EXISTS';
    try {
      return await this.db.transaction(async (tx) => {
        // The linking lock before any row lock: linking changes take them in that order.
        await this.lockLinks(tx, appId);
        const { rows } = await tx.query(
          `SELECT a.recipe_id, a.primary_or_recipe_user_id, a.is_linked_or_is_a_primary_user,
             e.email AS ep_email, p.email AS pl_email, p.phone_number,
             tp.third_party_id, tp.third_party_user_id,
             (SELECT MIN(time_joined) FROM all_auth_recipe_users x
               WHERE x.app_id = a.app_id AND x.user_id = a.user_id) AS time_joined,
             (SELECT primary_or_recipe_user_time_joined FROM all_auth_recipe_users x
               WHERE x.app_id = a.app_id AND x.user_id = a.user_id LIMIT 1) AS primary_time_joined,
             EXISTS (SELECT 1 FROM all_auth_recipe_users x WHERE x.app_id = a.app_id
               AND x.user_id = a.user_id AND x.tenant_id = $3) AS member
           FROM app_id_to_user_id a
           LEFT JOIN emailpassword_users e ON e.app_id = a.app_id AND e.user_id = a.user_id
           LEFT JOIN passwordless_users p ON p.app_id = a.app_id AND p.user_id = a.user_id
           LEFT JOIN thirdparty_users tp ON tp.app_id = a.app_id AND tp.user_id = a.user_id
           WHERE a.app_id = $1 AND a.user_id = $2 FOR UPDATE OF a`,
          [appId, recipeUserId, tenantId],
        );
        const row = rows[0];
        if (!row) return 'UNKNOWN_USER_ID';
        if (row.is_linked_or_is_a_primary_user === true) {
          const user = (await this.userOf(tx, appId, recipeUserId))!;
          const related = await this.usersWith(tx, appId, accountInfoOf([user]));
          const clash = associationClash(user, recipeUserId, tenantId, related);
          if (clash) return clash;
        }
        if (row.member === true) return 'ALREADY_ASSOCIATED';
        const recipeId = text(row, 'recipe_id');
        await tx.query(
          `INSERT INTO all_auth_recipe_users (app_id, tenant_id, user_id, primary_or_recipe_user_id,
             is_linked_or_is_a_primary_user, recipe_id, time_joined, primary_or_recipe_user_time_joined)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            appId,
            tenantId,
            recipeUserId,
            text(row, 'primary_or_recipe_user_id'),
            row.is_linked_or_is_a_primary_user === true,
            recipeId,
            num(row, 'time_joined'),
            num(row, 'primary_time_joined'),
          ],
        );
        if (recipeId === 'emailpassword') {
          await tx.query(
            'INSERT INTO emailpassword_user_to_tenant (app_id, tenant_id, user_id, email) VALUES ($1, $2, $3, $4)',
            [appId, tenantId, recipeUserId, optionalText(row, 'ep_email') ?? ''],
          );
        } else if (recipeId === 'thirdparty') {
          conflict = 'THIRD_PARTY_USER_ALREADY_EXISTS';
          await tx.query(
            `INSERT INTO thirdparty_user_to_tenant (app_id, tenant_id, user_id, third_party_id,
               third_party_user_id) VALUES ($1, $2, $3, $4, $5)`,
            [
              appId,
              tenantId,
              recipeUserId,
              text(row, 'third_party_id'),
              text(row, 'third_party_user_id'),
            ],
          );
        } else if (recipeId === 'passwordless') {
          const email = optionalText(row, 'pl_email') ?? null;
          const phone = optionalText(row, 'phone_number') ?? null;
          // Checked one column at a time, so a conflict names its column.
          await tx.query(
            `INSERT INTO passwordless_user_to_tenant (app_id, tenant_id, user_id, email, phone_number)
             VALUES ($1, $2, $3, $4, NULL)`,
            [appId, tenantId, recipeUserId, email],
          );
          if (phone !== null) {
            conflict = 'PHONE_NUMBER_ALREADY_EXISTS';
            await tx.query(
              `UPDATE passwordless_user_to_tenant SET phone_number = $4
               WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3`,
              [appId, tenantId, recipeUserId, phone],
            );
          }
        }
        return 'OK';
      });
    } catch (error) {
      if (isUniqueViolation(error)) return conflict;
      throw error;
    }
  }

  async disassociateUserFromTenant(
    appId: string,
    tenantId: string,
    recipeUserId: string,
  ): Promise<boolean | 'UNKNOWN_USER_ID'> {
    return this.db.transaction(async (tx) => {
      const { rowCount: known } = await tx.query(
        'SELECT 1 FROM app_id_to_user_id WHERE app_id = $1 AND user_id = $2',
        [appId, recipeUserId],
      );
      if (known === 0) return 'UNKNOWN_USER_ID';
      let removed = false;
      for (const statement of [
        'DELETE FROM session_info WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
        'DELETE FROM user_roles WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
        'DELETE FROM emailverification_tokens WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
        // Cascades to the recipe's <recipe>_user_to_tenant row.
        'DELETE FROM all_auth_recipe_users WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
      ]) {
        const { rowCount } = await tx.query(statement, [appId, tenantId, recipeUserId]);
        removed = removed || rowCount > 0;
      }
      return removed;
    });
  }

  createTenant(appId: string, tenantId: string): Promise<void> {
    return this.db.transaction((tx) => SqlStore.insertTenant(tx, appId, tenantId, Date.now()));
  }

  async listTenants(appId: string): Promise<string[]> {
    const { rows } = await this.db.query(
      `SELECT tenant_id FROM tenants WHERE app_id = $1
       ORDER BY tenant_id <> 'public', created_at_time, tenant_id COLLATE "C"`,
      [appId],
    );
    return rows.map((r) => text(r, 'tenant_id'));
  }

  async getOrCreateAppValue(appId: string, name: string, create: () => string): Promise<string> {
    const cacheKey = `${appId}\n${name}`;
    const cached = this.appValues.get(cacheKey);
    if (cached !== undefined) return cached;
    const select = () =>
      this.db.query(
        "SELECT value FROM key_value WHERE app_id = $1 AND tenant_id = 'public' AND name = $2",
        [appId, name],
      );
    let { rows } = await select();
    if (rows.length === 0) {
      await this.db.query(
        `INSERT INTO key_value (app_id, tenant_id, name, value, created_at_time)
         VALUES ($1, 'public', $2, $3, $4) ON CONFLICT DO NOTHING`,
        [appId, name, create(), Date.now()],
      );
      ({ rows } = await select());
    }
    const value = text(rows[0], 'value');
    this.appValues.set(cacheKey, value);
    return value;
  }

  async listSigningKeys(appId: string): Promise<SigningKeyRecord[]> {
    const dynamic = await this.db.query(
      'SELECT created_at_time, value FROM session_access_token_signing_keys WHERE app_id = $1',
      [appId],
    );
    const fixed = await this.db.query(
      `SELECT key_id, key_string, created_at FROM jwt_signing_keys
       WHERE app_id = $1 AND algorithm = 'RS256' ORDER BY created_at`,
      [appId],
    );
    return [
      ...dynamic.rows.map((r): SigningKeyRecord => ({
        kid: `d-${num(r, 'created_at_time')}`,
        type: 'dynamic',
        createdAt: num(r, 'created_at_time'),
        privateKey: privateKeyPem(text(r, 'value')),
      })),
      ...fixed.rows.map((r): SigningKeyRecord => ({
        kid: text(r, 'key_id'),
        type: 'static',
        createdAt: num(r, 'created_at'),
        privateKey: privateKeyPem(text(r, 'key_string')),
      })),
    ];
  }

  addSigningKeyUnlessFresh(appId: string, key: SigningKeyRecord, since: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_SPACE, appId]);
      const fresh =
        key.type === 'dynamic'
          ? await tx.query(
              'SELECT 1 FROM session_access_token_signing_keys WHERE app_id = $1 AND created_at_time >= $2',
              [appId, since],
            )
          : await tx.query(
              "SELECT 1 FROM jwt_signing_keys WHERE app_id = $1 AND algorithm = 'RS256'",
              [appId],
            );
      if (fresh.rowCount > 0) return false;
      if (key.type === 'dynamic') {
        await tx.query(
          'INSERT INTO session_access_token_signing_keys (app_id, created_at_time, value) VALUES ($1, $2, $3)',
          [appId, key.createdAt, keyString(key.privateKey)],
        );
      } else {
        await tx.query(
          `INSERT INTO jwt_signing_keys (app_id, key_id, key_string, algorithm, created_at)
           VALUES ($1, $2, $3, 'RS256', $4)`,
          [appId, key.kid, keyString(key.privateKey), key.createdAt],
        );
      }
      return true;
    });
  }

  async removeSigningKeys(appId: string, kids: string[]): Promise<void> {
    const times = kids.filter((k) => /^d-\d+$/.test(k)).map((k) => Number(k.slice(2)));
    const staticIds = kids.filter((k) => !/^d-\d+$/.test(k));
    if (times.length > 0) {
      await this.db.query(
        'DELETE FROM session_access_token_signing_keys WHERE app_id = $1 AND created_at_time = ANY($2::bigint[])',
        [appId, times],
      );
    }
    if (staticIds.length > 0) {
      await this.db.query(
        'DELETE FROM jwt_signing_keys WHERE app_id = $1 AND key_id = ANY($2::text[])',
        [appId, staticIds],
      );
    }
  }

  /** Users by primary user id, in the order given. */
  private async loadUsers(
    appId: string,
    primaryIds: string[],
    db: SqlExecutor = this.db,
  ): Promise<UserRecord[]> {
    if (primaryIds.length === 0) return [];
    const { rows } = await db.query(
      `SELECT ${USER_COLUMNS} WHERE a.app_id = $1 AND a.primary_or_recipe_user_id = ANY($2::bpchar[])`,
      [appId, primaryIds],
    );
    const users = usersFrom(rows);
    return primaryIds.flatMap((id) => users.get(id) ?? []);
  }

  /** Inside `tx` (its only caller is a transaction). */
  private async primaryIdOf(
    tx: SqlExecutor,
    appId: string,
    userId: string,
  ): Promise<string | undefined> {
    const { rows } = await tx.query(
      'SELECT primary_or_recipe_user_id FROM app_id_to_user_id WHERE app_id = $1 AND user_id = $2',
      [appId, userId],
    );
    return rows[0] && text(rows[0], 'primary_or_recipe_user_id');
  }

  async getUser(appId: string, userId: string): Promise<UserRecord | undefined> {
    const { rows } = await this.db.query(
      `SELECT ${USER_COLUMNS} WHERE a.app_id = $1 AND a.primary_or_recipe_user_id = (
         SELECT primary_or_recipe_user_id FROM app_id_to_user_id WHERE app_id = $1 AND user_id = $2)`,
      [appId, userId],
    );
    return usersFrom(rows).values().next().value;
  }

  async findUsers(appId: string, tenantId: string, query: AccountInfoQuery): Promise<UserRecord[]> {
    const { rows } = await this.db.query(
      `SELECT DISTINCT a.primary_or_recipe_user_id AS id FROM app_id_to_user_id a
       WHERE a.app_id = $1 AND a.user_id IN (
         SELECT user_id FROM emailpassword_user_to_tenant WHERE app_id = $1 AND tenant_id = $2 AND email = $3
         UNION
         SELECT user_id FROM passwordless_user_to_tenant
           WHERE app_id = $1 AND tenant_id = $2 AND (email = $3 OR phone_number = $4)
         UNION
         SELECT t.user_id FROM thirdparty_user_to_tenant t
           JOIN thirdparty_users u ON u.app_id = t.app_id AND u.user_id = t.user_id
           WHERE t.app_id = $1 AND t.tenant_id = $2 AND (u.email = $3
             OR (t.third_party_id = $5 AND t.third_party_user_id = $6)))`,
      [
        appId,
        tenantId,
        query.email ?? null,
        query.phoneNumber ?? null,
        query.thirdParty?.id ?? null,
        query.thirdParty?.userId ?? null,
      ],
    );
    const users = await this.loadUsers(
      appId,
      rows.map((r) => text(r, 'id')),
    );
    return users.sort((a, b) => userTimeJoined(a) - userTimeJoined(b));
  }

  /** Inserts a new user with one login method in one tenant, in `tx`. */
  private async insertUser(
    tx: SqlExecutor,
    appId: string,
    tenantId: string,
    method: LoginMethodRecord,
  ): Promise<void> {
    const id = method.recipeUserId;
    await tx.query(
      `INSERT INTO app_id_to_user_id (app_id, user_id, recipe_id, primary_or_recipe_user_id,
         is_linked_or_is_a_primary_user) VALUES ($1, $2, $3, $2, FALSE)`,
      [appId, id, method.recipeId],
    );
    await tx.query(
      `INSERT INTO all_auth_recipe_users (app_id, tenant_id, user_id, primary_or_recipe_user_id,
         is_linked_or_is_a_primary_user, recipe_id, time_joined, primary_or_recipe_user_time_joined)
       VALUES ($1, $2, $3, $3, FALSE, $4, $5, $5)`,
      [appId, tenantId, id, method.recipeId, method.timeJoined],
    );
    if (method.recipeId === 'emailpassword') {
      await tx.query(
        `INSERT INTO emailpassword_users (app_id, user_id, email, password_hash, time_joined)
         VALUES ($1, $2, $3, $4, $5)`,
        [appId, id, method.email, method.passwordHash, method.timeJoined],
      );
      await tx.query(
        'INSERT INTO emailpassword_user_to_tenant (app_id, tenant_id, user_id, email) VALUES ($1, $2, $3, $4)',
        [appId, tenantId, id, method.email],
      );
    } else if (method.recipeId === 'thirdparty') {
      await tx.query(
        `INSERT INTO thirdparty_users (app_id, third_party_id, third_party_user_id, user_id, email,
           time_joined) VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          appId,
          method.thirdParty!.id,
          method.thirdParty!.userId,
          id,
          method.email,
          method.timeJoined,
        ],
      );
      await tx.query(
        `INSERT INTO thirdparty_user_to_tenant (app_id, tenant_id, user_id, third_party_id,
           third_party_user_id) VALUES ($1, $2, $3, $4, $5)`,
        [appId, tenantId, id, method.thirdParty!.id, method.thirdParty!.userId],
      );
    } else {
      await tx.query(
        `INSERT INTO passwordless_users (app_id, user_id, email, phone_number, time_joined)
         VALUES ($1, $2, $3, $4, $5)`,
        [appId, id, method.email ?? null, method.phoneNumber ?? null, method.timeJoined],
      );
      await tx.query(
        `INSERT INTO passwordless_user_to_tenant (app_id, tenant_id, user_id, email, phone_number)
         VALUES ($1, $2, $3, $4, $5)`,
        [appId, tenantId, id, method.email ?? null, method.phoneNumber ?? null],
      );
    }
  }

  async signInUpThirdPartyUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord & { thirdParty: ThirdPartyInfo; email: string },
  ): Promise<{ createdNewUser: boolean; recipeUserId: string } | 'EMAIL_CHANGE_NOT_ALLOWED'> {
    const { id, userId } = loginMethod.thirdParty;
    // A concurrent sign-up of the same provider user wins the unique key: then sign in.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          // A new email for an existing login may be refused by linking's rule: take the linking
          // lock first (before any row lock, as linking changes do), only then.
          const { rows: seen } = await tx.query(
            `SELECT u.email FROM thirdparty_user_to_tenant t
             JOIN thirdparty_users u ON u.app_id = t.app_id AND u.user_id = t.user_id
             WHERE t.app_id = $1 AND t.tenant_id = $2 AND t.third_party_id = $3
               AND t.third_party_user_id = $4`,
            [appId, tenantId, id, userId],
          );
          if (seen[0] && text(seen[0], 'email') !== loginMethod.email) {
            await this.lockLinks(tx, appId);
          }
          const { rows } = await tx.query(
            `SELECT t.user_id, u.email FROM thirdparty_user_to_tenant t
             JOIN thirdparty_users u ON u.app_id = t.app_id AND u.user_id = t.user_id
             WHERE t.app_id = $1 AND t.tenant_id = $2 AND t.third_party_id = $3
               AND t.third_party_user_id = $4 FOR UPDATE OF u`,
            [appId, tenantId, id, userId],
          );
          const row = rows[0];
          if (!row) {
            await this.insertUser(tx, appId, tenantId, loginMethod);
            return { createdNewUser: true, recipeUserId: loginMethod.recipeUserId };
          }
          const recipeUserId = text(row, 'user_id');
          if (text(row, 'email') !== loginMethod.email) {
            const emails = [loginMethod.email];
            if (await this.clashesWithPrimary(tx, appId, recipeUserId, { emails })) {
              return 'EMAIL_CHANGE_NOT_ALLOWED' as const;
            }
            await tx.query(
              'UPDATE thirdparty_users SET email = $3 WHERE app_id = $1 AND user_id = $2',
              [appId, recipeUserId, loginMethod.email],
            );
          }
          return { createdNewUser: false, recipeUserId };
        });
      } catch (error) {
        if (!isUniqueViolation(error) || attempt > 0) throw error;
      }
    }
  }

  async createEmailPasswordUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord,
  ): Promise<'OK' | 'EMAIL_ALREADY_EXISTS'> {
    return unlessTaken(async () => {
      await this.db.transaction((tx) => this.insertUser(tx, appId, tenantId, loginMethod));
      return 'OK' as const;
    }, 'EMAIL_ALREADY_EXISTS' as const);
  }

  async updateEmailPasswordLogin(
    appId: string,
    recipeUserId: string,
    patch: { email?: string; passwordHash?: string },
  ): Promise<'OK' | 'UNKNOWN_USER_ID' | 'EMAIL_ALREADY_EXISTS' | 'EMAIL_CHANGE_NOT_ALLOWED'> {
    try {
      return await this.db.transaction(async (tx) => {
        // The linking lock before any row lock: linking changes take them in that order.
        if (patch.email !== undefined) await this.lockLinks(tx, appId);
        const { rows } = await tx.query(
          'SELECT email FROM emailpassword_users WHERE app_id = $1 AND user_id = $2 FOR UPDATE',
          [appId, recipeUserId],
        );
        if (rows.length === 0) return 'UNKNOWN_USER_ID';
        if (
          patch.email !== undefined &&
          (await this.clashesWithPrimary(tx, appId, recipeUserId, { emails: [patch.email] }))
        ) {
          return 'EMAIL_CHANGE_NOT_ALLOWED';
        }
        if (patch.email !== undefined && patch.email !== text(rows[0], 'email')) {
          await tx.query(
            'UPDATE emailpassword_users SET email = $3 WHERE app_id = $1 AND user_id = $2',
            [appId, recipeUserId, patch.email],
          );
          await tx.query(
            'UPDATE emailpassword_user_to_tenant SET email = $3 WHERE app_id = $1 AND user_id = $2',
            [appId, recipeUserId, patch.email],
          );
        }
        if (patch.passwordHash !== undefined) {
          await tx.query(
            'UPDATE emailpassword_users SET password_hash = $3 WHERE app_id = $1 AND user_id = $2',
            [appId, recipeUserId, patch.passwordHash],
          );
        }
        return 'OK';
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'EMAIL_ALREADY_EXISTS';
      throw error;
    }
  }

  async updatePasswordlessLogin(
    appId: string,
    recipeUserId: string,
    patch: { email?: string | null; phoneNumber?: string | null },
  ): Promise<PasswordlessLoginUpdate> {
    // Which unique constraint a failed update hit: the one of the column being written.
    let conflict: 'EMAIL_ALREADY_EXISTS' | 'PHONE_NUMBER_ALREADY_EXISTS' = 'EMAIL_ALREADY_EXISTS';
    try {
      return await this.db.transaction(async (tx) => {
        // The linking lock before any row lock: linking changes take them in that order.
        await this.lockLinks(tx, appId);
        const { rows } = await tx.query(
          'SELECT email, phone_number FROM passwordless_users WHERE app_id = $1 AND user_id = $2 FOR UPDATE',
          [appId, recipeUserId],
        );
        const row = rows[0];
        if (!row) return 'UNKNOWN_USER_ID';
        const currentEmail = optionalText(row, 'email');
        const currentPhone = optionalText(row, 'phone_number');
        const email = patch.email === undefined ? currentEmail : (patch.email ?? undefined);
        const phone =
          patch.phoneNumber === undefined ? currentPhone : (patch.phoneNumber ?? undefined);
        if (email === undefined && phone === undefined) return 'CLEARS_BOTH';
        if (
          email !== currentEmail &&
          email !== undefined &&
          (await this.clashesWithPrimary(tx, appId, recipeUserId, { emails: [email] }))
        ) {
          return 'EMAIL_CHANGE_NOT_ALLOWED';
        }
        if (email !== currentEmail) {
          await tx.query(
            'UPDATE passwordless_user_to_tenant SET email = $3 WHERE app_id = $1 AND user_id = $2',
            [appId, recipeUserId, email ?? null],
          );
        }
        conflict = 'PHONE_NUMBER_ALREADY_EXISTS';
        if (
          phone !== currentPhone &&
          phone !== undefined &&
          (await this.clashesWithPrimary(tx, appId, recipeUserId, { phoneNumbers: [phone] }))
        ) {
          // The email may have changed already: roll it back.
          throw new PhoneChangeRefused();
        }
        if (phone !== currentPhone) {
          await tx.query(
            'UPDATE passwordless_user_to_tenant SET phone_number = $3 WHERE app_id = $1 AND user_id = $2',
            [appId, recipeUserId, phone ?? null],
          );
        }
        await tx.query(
          'UPDATE passwordless_users SET email = $3, phone_number = $4 WHERE app_id = $1 AND user_id = $2',
          [appId, recipeUserId, email ?? null, phone ?? null],
        );
        return 'OK';
      });
    } catch (error) {
      if (isUniqueViolation(error)) return conflict;
      if (error instanceof PhoneChangeRefused) return 'PHONE_NUMBER_CHANGE_NOT_ALLOWED';
      throw error;
    }
  }

  async listUsers(appId: string, query: UserListQuery): Promise<UserRecord[]> {
    const { tenantId, search, from } = query;
    const params: unknown[] = [appId, tenantId];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const where: string[] = ['r.app_id = $1', 'r.tenant_id = $2'];
    if (!search && query.recipeIds) where.push(`r.recipe_id = ANY(${param(query.recipeIds)})`);
    if (search) {
      const email = 'COALESCE(ep.email, pl.email, tp.email)';
      if (search.emails.length > 0) {
        const tags = param(search.emails);
        where.push(
          `EXISTS (SELECT 1 FROM unnest(${tags}::text[]) t WHERE starts_with(${email}, t)` +
            ` OR position('@' || t IN ${email}) > 0)`,
        );
      }
      if (search.phones.length > 0) {
        where.push(
          `EXISTS (SELECT 1 FROM unnest(${param(search.phones)}::text[]) t WHERE starts_with(pl.phone_number, t))`,
        );
      }
      if (search.providers.length > 0) {
        where.push(
          `EXISTS (SELECT 1 FROM unnest(${param(search.providers)}::text[]) t WHERE starts_with(tp.third_party_id, t))`,
        );
      }
    }
    const desc = query.order === 'DESC';
    if (from) {
      const time = param(from.timeJoined);
      const id = param(from.userId);
      where.push(
        `(r.primary_or_recipe_user_time_joined ${desc ? '<' : '>'} ${time} OR ` +
          `(r.primary_or_recipe_user_time_joined = ${time} AND r.primary_or_recipe_user_id::text <= ${id} COLLATE "C"))`,
      );
    }
    const limit = param(search ? SEARCH_CAP : query.limit);
    const { rows } = await this.db.query(
      `SELECT DISTINCT r.primary_or_recipe_user_id::text COLLATE "C" AS id,
         r.primary_or_recipe_user_time_joined AS joined
       FROM all_auth_recipe_users r
       LEFT JOIN emailpassword_users ep ON ep.app_id = r.app_id AND ep.user_id = r.user_id
       LEFT JOIN passwordless_users pl ON pl.app_id = r.app_id AND pl.user_id = r.user_id
       LEFT JOIN thirdparty_users tp ON tp.app_id = r.app_id AND tp.user_id = r.user_id
       WHERE ${where.join(' AND ')}
       ORDER BY joined ${desc ? 'DESC' : 'ASC'}, id DESC LIMIT ${limit}`,
      params,
    );
    return this.loadUsers(
      appId,
      rows.map((r) => text(r, 'id')),
    );
  }

  async countUsers(
    appId: string,
    tenantId: string | undefined,
    recipeIds?: RecipeId[],
  ): Promise<number> {
    const { rows } = await this.db.query(
      `SELECT COUNT(DISTINCT primary_or_recipe_user_id) AS n FROM all_auth_recipe_users
       WHERE app_id = $1 AND ($2::text IS NULL OR tenant_id = $2)
         AND ($3::text[] IS NULL OR recipe_id = ANY($3::text[]))`,
      [appId, tenantId ?? null, recipeIds ?? null],
    );
    return num(rows[0], 'n');
  }

  deleteUser(appId: string, userId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const primaryId = await this.primaryIdOf(tx, appId, userId);
      if (primaryId === undefined) return false;
      await this.deleteWholeUser(tx, appId, primaryId);
      return true;
    });
  }

  /** A user with every linked login method, and everything kept under any of its ids. */
  private async deleteWholeUser(tx: SqlExecutor, appId: string, primaryId: string): Promise<void> {
    const { rows } = await tx.query(
      'SELECT user_id FROM app_id_to_user_id WHERE app_id = $1 AND primary_or_recipe_user_id = $2',
      [appId, primaryId],
    );
    const ids = [...new Set([primaryId, ...rows.map((r) => text(r, 'user_id'))])];
    await this.deleteUserData(tx, appId, ids);
    // Cascades to the recipe tables, tenant links and reset tokens.
    await tx.query(
      'DELETE FROM app_id_to_user_id WHERE app_id = $1 AND user_id = ANY($2::bpchar[])',
      [appId, ids],
    );
  }

  /** The sessions, email verification, roles and metadata kept under these user ids. */
  private async deleteUserData(tx: SqlExecutor, appId: string, ids: string[]): Promise<void> {
    for (const table of [
      'session_info',
      'emailverification_verified_emails',
      'emailverification_tokens',
      'user_roles',
      'user_metadata',
    ]) {
      await tx.query(`DELETE FROM ${table} WHERE app_id = $1 AND user_id = ANY($2::text[])`, [
        appId,
        ids,
      ]);
    }
  }

  changeLinks<T>(
    appId: string,
    userIds: string[],
    decide: (view: LinkingView) => LinkDecision<T>,
  ): Promise<T> {
    return this.db.transaction(async (tx) => {
      await this.lockLinks(tx, appId);
      const primaryIds = new Set<string>();
      for (const userId of userIds) {
        const primaryId = await this.primaryIdOf(tx, appId, userId);
        if (primaryId !== undefined) primaryIds.add(primaryId);
      }
      const named = await this.loadUsers(appId, [...primaryIds], tx);
      const related = await this.usersWith(tx, appId, accountInfoOf(named), primaryIds);
      const { result, change } = decide(linkingView([...named, ...related]));
      if (change) await this.applyLinkChange(tx, appId, change);
      return result;
    });
  }

  /**
   * Linking changes, and changes of a primary user's account info, run one at a time per app:
   * each one's checks see the last one's result.
   */
  private async lockLinks(tx: SqlExecutor, appId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      LOCK_SPACE,
      `accountlinking\n${appId}`,
    ]);
  }

  /** The user a primary or recipe user id belongs to, in `tx`. */
  private async userOf(
    tx: SqlExecutor,
    appId: string,
    userId: string,
  ): Promise<UserRecord | undefined> {
    const primaryId = await this.primaryIdOf(tx, appId, userId);
    if (primaryId === undefined) return undefined;
    return (await this.loadUsers(appId, [primaryId], tx))[0];
  }

  /** Users (but `except`) having any of this account info, in any tenant, in `tx`. */
  private async usersWith(
    tx: SqlExecutor,
    appId: string,
    info: Partial<ReturnType<typeof accountInfoOf>>,
    except: Set<string> = new Set(),
  ): Promise<UserRecord[]> {
    const { rows } = await tx.query(
      `SELECT DISTINCT a.primary_or_recipe_user_id AS id FROM app_id_to_user_id a
       WHERE a.app_id = $1 AND a.user_id IN (
         SELECT user_id FROM emailpassword_users WHERE app_id = $1 AND email = ANY($2::text[])
         UNION
         SELECT user_id FROM passwordless_users WHERE app_id = $1
           AND (email = ANY($2::text[]) OR phone_number = ANY($3::text[]))
         UNION
         SELECT user_id FROM thirdparty_users WHERE app_id = $1 AND (email = ANY($2::text[])
           OR third_party_id || E'\\n' || third_party_user_id = ANY($4::text[])))`,
      [
        appId,
        info.emails ?? [],
        info.phoneNumbers ?? [],
        (info.thirdParties ?? []).map((t) => `${t.id}\n${t.userId}`),
      ],
    );
    const ids = rows.map((r) => text(r, 'id')).filter((id) => !except.has(id));
    return this.loadUsers(appId, ids, tx);
  }

  /** Whether `userId`'s user is primary and another primary user has this info in its tenants. */
  /** In a transaction that took `lockLinks()` before locking any row (no deadlock with linking). */
  private async clashesWithPrimary(
    tx: SqlExecutor,
    appId: string,
    userId: string,
    info: Partial<ReturnType<typeof accountInfoOf>>,
  ): Promise<boolean> {
    const user = await this.userOf(tx, appId, userId);
    if (!user?.isPrimaryUser) return false;
    return clashesWithPrimary(user, await this.usersWith(tx, appId, info));
  }

  private async applyLinkChange(tx: SqlExecutor, appId: string, change: LinkChange): Promise<void> {
    const setLink = async (userId: string, primaryId: string, linked: boolean) => {
      await tx.query(
        `UPDATE app_id_to_user_id SET primary_or_recipe_user_id = $3,
           is_linked_or_is_a_primary_user = $4 WHERE app_id = $1 AND user_id = $2`,
        [appId, userId, primaryId, linked],
      );
      await tx.query(
        `UPDATE all_auth_recipe_users SET primary_or_recipe_user_id = $3,
           is_linked_or_is_a_primary_user = $4 WHERE app_id = $1 AND user_id = $2`,
        [appId, userId, primaryId, linked],
      );
    };
    // As the real core keeps it: every row of a user carries the user's earliest time joined.
    const refreshTimeJoined = (primaryId: string) =>
      tx.query(
        `UPDATE all_auth_recipe_users SET primary_or_recipe_user_time_joined = (
           SELECT MIN(time_joined) FROM all_auth_recipe_users
           WHERE app_id = $1 AND primary_or_recipe_user_id = $2)
         WHERE app_id = $1 AND primary_or_recipe_user_id = $2`,
        [appId, primaryId],
      );
    if (change.kind === 'make-primary') {
      await setLink(change.userId, change.userId, true);
      return;
    }
    if (change.kind === 'link') {
      await setLink(change.recipeUserId, change.primaryUserId, true);
      await refreshTimeJoined(change.primaryUserId);
      return;
    }
    const recipeUserId = change.recipeUserId;
    const primaryId = (await this.primaryIdOf(tx, appId, recipeUserId))!;
    if (change.kind === 'unlink') {
      await setLink(recipeUserId, recipeUserId, false);
      if (recipeUserId === primaryId) return;
      await tx.query(
        `UPDATE all_auth_recipe_users SET primary_or_recipe_user_time_joined = time_joined
         WHERE app_id = $1 AND user_id = $2`,
        [appId, recipeUserId],
      );
      await refreshTimeJoined(primaryId);
      await this.dropEmptyPrimaryUser(tx, appId, primaryId);
      return;
    }
    const [user] = await this.loadUsers(appId, [primaryId], tx);
    if (!user || user.loginMethods.length <= 1) {
      await this.deleteWholeUser(tx, appId, primaryId);
      return;
    }
    if (recipeUserId === primaryId) {
      // The primary user's id lives on in its other login methods: only its own login goes.
      for (const table of [
        'all_auth_recipe_users',
        'emailpassword_users',
        'passwordless_users',
        'thirdparty_users',
        'emailpassword_pswd_reset_tokens',
      ]) {
        await tx.query(`DELETE FROM ${table} WHERE app_id = $1 AND user_id = $2`, [
          appId,
          recipeUserId,
        ]);
      }
    } else {
      await this.deleteUserData(tx, appId, [recipeUserId]);
      await tx.query('DELETE FROM app_id_to_user_id WHERE app_id = $1 AND user_id = $2', [
        appId,
        recipeUserId,
      ]);
    }
    await refreshTimeJoined(primaryId);
  }

  /** A primary user whose every login method has left or been deleted is gone too. */
  private async dropEmptyPrimaryUser(tx: SqlExecutor, appId: string, primaryId: string) {
    await tx.query(
      `DELETE FROM app_id_to_user_id a WHERE a.app_id = $1 AND a.user_id = $2
         AND NOT EXISTS (SELECT 1 FROM app_id_to_user_id o
           WHERE o.app_id = $1 AND o.primary_or_recipe_user_id = $2 AND o.user_id <> $2)
         AND NOT EXISTS (SELECT 1 FROM emailpassword_users WHERE app_id = $1 AND user_id = $2)
         AND NOT EXISTS (SELECT 1 FROM passwordless_users WHERE app_id = $1 AND user_id = $2)
         AND NOT EXISTS (SELECT 1 FROM thirdparty_users WHERE app_id = $1 AND user_id = $2)`,
      [appId, primaryId],
    );
  }

  async addPasswordResetToken(appId: string, token: TokenRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO emailpassword_pswd_reset_tokens (app_id, user_id, token, email, token_expiry)
       VALUES ($1, $2, $3, $4, $5)`,
      [appId, token.userId, token.tokenHash, token.email, token.expiry],
    );
  }

  consumePasswordResetToken(appId: string, tokenHash: string): Promise<TokenRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `DELETE FROM emailpassword_pswd_reset_tokens WHERE app_id = $1 AND token = $2
         RETURNING user_id, email, token_expiry`,
        [appId, tokenHash],
      );
      const row = rows[0];
      if (!row) return undefined;
      const userId = text(row, 'user_id');
      await tx.query(
        'DELETE FROM emailpassword_pswd_reset_tokens WHERE app_id = $1 AND user_id = $2',
        [appId, userId],
      );
      return { userId, tokenHash, email: text(row, 'email'), expiry: num(row, 'token_expiry') };
    });
  }

  async isEmailVerified(appId: string, recipeUserId: string, email: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'SELECT 1 FROM emailverification_verified_emails WHERE app_id = $1 AND user_id = $2 AND email = $3',
      [appId, recipeUserId, email],
    );
    return rowCount > 0;
  }

  async setEmailVerified(
    appId: string,
    recipeUserId: string,
    email: string,
    verified: boolean,
  ): Promise<void> {
    await this.db.query(
      verified
        ? 'INSERT INTO emailverification_verified_emails (app_id, user_id, email) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING'
        : 'DELETE FROM emailverification_verified_emails WHERE app_id = $1 AND user_id = $2 AND email = $3',
      [appId, recipeUserId, email],
    );
  }

  async addEmailVerificationToken(
    appId: string,
    tenantId: string,
    token: TokenRecord,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO emailverification_tokens (app_id, tenant_id, user_id, email, token, token_expiry)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [appId, tenantId, token.userId, token.email, token.tokenHash, token.expiry],
    );
  }

  consumeEmailVerificationToken(
    appId: string,
    tenantId: string,
    tokenHash: string,
  ): Promise<TokenRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `DELETE FROM emailverification_tokens WHERE app_id = $1 AND tenant_id = $2 AND token = $3
         RETURNING user_id, email, token_expiry`,
        [appId, tenantId, tokenHash],
      );
      const row = rows[0];
      if (!row) return undefined;
      const token = {
        userId: text(row, 'user_id'),
        tokenHash,
        email: text(row, 'email'),
        expiry: num(row, 'token_expiry'),
      };
      await tx.query(
        'DELETE FROM emailverification_tokens WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3 AND email = $4',
        [appId, tenantId, token.userId, token.email],
      );
      return token;
    });
  }

  async removeEmailVerificationTokens(
    appId: string,
    tenantId: string,
    userId: string,
    email: string,
  ): Promise<void> {
    await this.db.query(
      'DELETE FROM emailverification_tokens WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3 AND email = $4',
      [appId, tenantId, userId, email],
    );
  }

  async getUserRoles(appId: string, tenantId: string, userId: string): Promise<string[]> {
    const { rows } = await this.db.query(
      'SELECT role FROM user_roles WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
      [appId, tenantId, userId],
    );
    return rows.map((r) => text(r, 'role'));
  }

  private async roleExists(db: SqlExecutor, appId: string, role: string): Promise<boolean> {
    const { rowCount } = await db.query(
      'SELECT 1 FROM roles WHERE app_id = $1 AND role = $2 FOR SHARE',
      [appId, role],
    );
    return rowCount > 0;
  }

  async getRolePermissions(appId: string, role: string): Promise<string[] | undefined> {
    if (!(await this.roleExists(this.db, appId, role))) return undefined;
    const { rows } = await this.db.query(
      'SELECT permission FROM role_permissions WHERE app_id = $1 AND role = $2',
      [appId, role],
    );
    return rows.map((r) => text(r, 'permission'));
  }

  upsertRole(appId: string, role: string, permissions: string[]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const created = await tx.query(
        'INSERT INTO roles (app_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [appId, role],
      );
      await tx.query(
        `INSERT INTO role_permissions (app_id, role, permission)
         SELECT $1, $2, p FROM unnest($3::text[]) p ON CONFLICT DO NOTHING`,
        [appId, role, permissions],
      );
      return created.rowCount > 0;
    });
  }

  deleteRole(appId: string, role: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx.query('DELETE FROM roles WHERE app_id = $1 AND role = $2', [
        appId,
        role,
      ]);
      await tx.query('DELETE FROM user_roles WHERE app_id = $1 AND role = $2', [appId, role]);
      return deleted.rowCount > 0;
    });
  }

  async listRoles(appId: string): Promise<string[]> {
    const { rows } = await this.db.query('SELECT role FROM roles WHERE app_id = $1', [appId]);
    return rows.map((r) => text(r, 'role'));
  }

  removeRolePermissions(appId: string, role: string, permissions?: string[]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await this.roleExists(tx, appId, role))) return false;
      await tx.query(
        `DELETE FROM role_permissions WHERE app_id = $1 AND role = $2
           AND ($3::text[] IS NULL OR permission = ANY($3::text[]))`,
        [appId, role, permissions ?? null],
      );
      return true;
    });
  }

  async rolesWithPermission(appId: string, permission: string): Promise<string[]> {
    const { rows } = await this.db.query(
      'SELECT role FROM role_permissions WHERE app_id = $1 AND permission = $2',
      [appId, permission],
    );
    return rows.map((r) => text(r, 'role'));
  }

  /**
   * Runs one write on `user_roles` (params: app, tenant, user, role) if the role exists, under a
   * share lock on it so a concurrent `deleteRole` cannot leave the write behind. Returns the
   * written row count, or undefined when the role does not exist.
   */
  private userRoleWrite(
    sql: string,
    appId: string,
    tenantId: string,
    userId: string,
    role: string,
  ): Promise<number | undefined> {
    return this.db.transaction(async (tx) => {
      if (!(await this.roleExists(tx, appId, role))) return undefined;
      return (await tx.query(sql, [appId, tenantId, userId, role])).rowCount;
    });
  }

  async addUserRole(
    appId: string,
    tenantId: string,
    userId: string,
    role: string,
  ): Promise<boolean | undefined> {
    const added = await this.userRoleWrite(
      'INSERT INTO user_roles (app_id, tenant_id, user_id, role) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      appId,
      tenantId,
      userId,
      role,
    );
    return added === undefined ? undefined : added === 0;
  }

  async removeUserRole(
    appId: string,
    tenantId: string,
    userId: string,
    role: string,
  ): Promise<boolean | undefined> {
    const removed = await this.userRoleWrite(
      'DELETE FROM user_roles WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3 AND role = $4',
      appId,
      tenantId,
      userId,
      role,
    );
    return removed === undefined ? undefined : removed > 0;
  }

  async usersWithRole(
    appId: string,
    tenantId: string,
    role: string,
  ): Promise<string[] | undefined> {
    if (!(await this.roleExists(this.db, appId, role))) return undefined;
    const { rows } = await this.db.query(
      'SELECT user_id FROM user_roles WHERE app_id = $1 AND tenant_id = $2 AND role = $3',
      [appId, tenantId, role],
    );
    return rows.map((r) => text(r, 'user_id'));
  }

  async getUserMetadata(appId: string, userId: string): Promise<Record<string, unknown>> {
    const { rows } = await this.db.query(
      'SELECT user_metadata FROM user_metadata WHERE app_id = $1 AND user_id = $2',
      [appId, userId],
    );
    return rows[0] ? (json(rows[0].user_metadata) as Record<string, unknown>) : {};
  }

  mergeUserMetadata(
    appId: string,
    userId: string,
    update: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    return this.db.transaction(async (tx) => {
      // Insert-then-lock: two first merges for one user must not overwrite each other.
      await tx.query(
        "INSERT INTO user_metadata (app_id, user_id, user_metadata) VALUES ($1, $2, '{}') ON CONFLICT DO NOTHING",
        [appId, userId],
      );
      const { rows } = await tx.query(
        'SELECT user_metadata FROM user_metadata WHERE app_id = $1 AND user_id = $2 FOR UPDATE',
        [appId, userId],
      );
      const merged = json(rows[0].user_metadata) as Record<string, unknown>;
      for (const [field, value] of Object.entries(update)) {
        if (value === null) delete merged[field];
        else merged[field] = value;
      }
      await tx.query(
        'UPDATE user_metadata SET user_metadata = $3 WHERE app_id = $1 AND user_id = $2',
        [appId, userId, JSON.stringify(merged)],
      );
      return merged;
    });
  }

  async deleteUserMetadata(appId: string, userId: string): Promise<void> {
    await this.db.query('DELETE FROM user_metadata WHERE app_id = $1 AND user_id = $2', [
      appId,
      userId,
    ]);
  }

  async addPasswordlessCode(
    appId: string,
    preAuthSessionId: string,
    code: PasswordlessCodeRecord,
    newDevice?: PasswordlessDeviceRecord,
  ): Promise<'OK' | 'UNKNOWN_DEVICE' | 'CODE_ALREADY_USED'> {
    try {
      return await this.db.transaction(async (tx) => {
        if (newDevice) {
          await tx.query(
            `INSERT INTO passwordless_devices (app_id, tenant_id, device_id_hash, email, phone_number,
               link_code_salt, failed_attempts) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [
              appId,
              newDevice.tenantId,
              preAuthSessionId,
              newDevice.email ?? null,
              newDevice.phoneNumber ?? null,
              newDevice.linkCodeSalt,
              newDevice.failedAttempts,
            ],
          );
        }
        const { rows } = await tx.query(
          'SELECT tenant_id FROM passwordless_devices WHERE app_id = $1 AND device_id_hash = $2 FOR UPDATE',
          [appId, preAuthSessionId],
        );
        if (!rows[0]) return 'UNKNOWN_DEVICE';
        await tx.query(
          `INSERT INTO passwordless_codes (app_id, tenant_id, code_id, device_id_hash, link_code_hash, created_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            appId,
            text(rows[0], 'tenant_id'),
            code.codeId,
            preAuthSessionId,
            code.linkCodeHash,
            code.timeCreated,
          ],
        );
        return 'OK';
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'CODE_ALREADY_USED';
      throw error;
    }
  }

  private async devices(where: string, params: unknown[]): Promise<PasswordlessDeviceRecord[]> {
    const { rows } = await this.db.query(
      `SELECT ${DEVICE_COLUMNS} WHERE ${where} ${DEVICE_GROUP}`,
      params,
    );
    return rows.map(deviceFrom);
  }

  async getPasswordlessDevice(
    appId: string,
    preAuthSessionId: string,
  ): Promise<PasswordlessDeviceRecord | undefined> {
    const [device] = await this.devices('d.app_id = $1 AND d.device_id_hash = $2', [
      appId,
      preAuthSessionId,
    ]);
    return device;
  }

  async findDeviceByLinkCodeHash(
    appId: string,
    linkCodeHash: string,
  ): Promise<PasswordlessDeviceRecord | undefined> {
    const [device] = await this.devices(
      `d.app_id = $1 AND (d.tenant_id, d.device_id_hash) IN (SELECT tenant_id, device_id_hash
         FROM passwordless_codes WHERE app_id = $1 AND link_code_hash = $2)`,
      [appId, linkCodeHash],
    );
    return device;
  }

  findPasswordlessDevices(
    appId: string,
    tenantId: string,
    contact: AccountInfoQuery,
  ): Promise<PasswordlessDeviceRecord[]> {
    return this.devices(
      'd.app_id = $1 AND d.tenant_id = $2 AND (d.email = $3 OR d.phone_number = $4)',
      [appId, tenantId, contact.email ?? null, contact.phoneNumber ?? null],
    );
  }

  async addFailedAttempt(appId: string, preAuthSessionId: string): Promise<number | undefined> {
    const { rows } = await this.db.query(
      `UPDATE passwordless_devices SET failed_attempts = failed_attempts + 1
       WHERE app_id = $1 AND device_id_hash = $2 RETURNING failed_attempts`,
      [appId, preAuthSessionId],
    );
    return rows[0] && num(rows[0], 'failed_attempts');
  }

  async deletePasswordlessDevices(appId: string, preAuthSessionIds: string[]): Promise<string[]> {
    if (preAuthSessionIds.length === 0) return [];
    const { rows } = await this.db.query(
      `DELETE FROM passwordless_devices WHERE app_id = $1 AND device_id_hash = ANY($2::bpchar[])
       RETURNING device_id_hash`,
      [appId, preAuthSessionIds],
    );
    return rows.map((r) => text(r, 'device_id_hash'));
  }

  removePasswordlessCode(appId: string, codeId: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query(
        'DELETE FROM passwordless_codes WHERE app_id = $1 AND code_id = $2 RETURNING tenant_id, device_id_hash',
        [appId, codeId],
      );
      for (const row of rows) {
        await tx.query(
          `DELETE FROM passwordless_devices d WHERE d.app_id = $1 AND d.tenant_id = $2
             AND d.device_id_hash = $3 AND NOT EXISTS (SELECT 1 FROM passwordless_codes c
               WHERE c.app_id = d.app_id AND c.tenant_id = d.tenant_id AND c.device_id_hash = d.device_id_hash)`,
          [appId, row.tenant_id, row.device_id_hash],
        );
      }
    });
  }

  async signInUpPasswordlessUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord,
  ): Promise<{ user: UserRecord; recipeUserId: string; createdNewUser: boolean }> {
    const byEmail = loginMethod.email !== undefined;
    for (let attempt = 0; ; attempt++) {
      const { rows } = await this.db.query(
        `SELECT user_id FROM passwordless_user_to_tenant WHERE app_id = $1 AND tenant_id = $2
           AND ${byEmail ? 'email' : 'phone_number'} = $3`,
        [appId, tenantId, byEmail ? loginMethod.email : loginMethod.phoneNumber],
      );
      if (rows[0]) {
        const recipeUserId = text(rows[0], 'user_id');
        const user = await this.getUser(appId, recipeUserId);
        if (user) return { user, recipeUserId, createdNewUser: false };
      } else {
        try {
          await this.db.transaction((tx) => this.insertUser(tx, appId, tenantId, loginMethod));
          const user = (await this.getUser(appId, loginMethod.recipeUserId))!;
          return { user, recipeUserId: loginMethod.recipeUserId, createdNewUser: true };
        } catch (error) {
          // Another sign-in created the user first: read it on the next pass.
          if (!isUniqueViolation(error) || attempt >= 3) throw error;
        }
      }
    }
  }

  async createSession(
    appId: string,
    session: Omit<SessionRecord, 'userId'>,
  ): Promise<SessionRecord> {
    // One round trip: the insert, and the user the recipe user id belongs to.
    const { rows } = await this.db.query(
      `WITH inserted AS (
         INSERT INTO session_info (app_id, tenant_id, session_handle, user_id, refresh_token_hash_2,
           session_data, expires_at, created_at_time, jwt_user_payload, use_static_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING user_id)
       SELECT COALESCE((SELECT primary_or_recipe_user_id FROM app_id_to_user_id
                        WHERE app_id = $1 AND user_id = $4), $4) AS user_id
       FROM inserted`,
      [
        appId,
        session.tenantId,
        session.handle,
        session.recipeUserId,
        session.refreshTokenHash2,
        JSON.stringify(session.userDataInDatabase),
        session.expiry,
        session.timeCreated,
        JSON.stringify(session.userDataInJWT),
        session.useStaticKey,
      ],
    );
    return { ...session, userId: text(rows[0], 'user_id') };
  }

  async getSession(appId: string, handle: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.db.query(
      `SELECT s.*, a.primary_or_recipe_user_id AS primary_id FROM session_info s
       LEFT JOIN app_id_to_user_id a ON a.app_id = s.app_id AND a.user_id = s.user_id
       WHERE s.app_id = $1 AND s.session_handle = $2`,
      [appId, handle],
    );
    return rows[0] && sessionFrom(rows[0]);
  }

  async updateSession(
    appId: string,
    handle: string,
    patch: SessionPatch,
    expectedRefreshTokenHash2?: string,
  ): Promise<boolean> {
    const params: unknown[] = [appId, handle];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const sets: string[] = [];
    if (patch.refreshTokenHash2 !== undefined)
      sets.push(`refresh_token_hash_2 = ${param(patch.refreshTokenHash2)}`);
    if (patch.expiry !== undefined) sets.push(`expires_at = ${param(patch.expiry)}`);
    if (patch.userDataInJWT !== undefined)
      sets.push(`jwt_user_payload = ${param(JSON.stringify(patch.userDataInJWT))}`);
    if (patch.userDataInDatabase !== undefined)
      sets.push(`session_data = ${param(JSON.stringify(patch.userDataInDatabase))}`);
    if (patch.useStaticKey !== undefined)
      sets.push(`use_static_key = ${param(patch.useStaticKey)}`);
    if (sets.length === 0) sets.push('session_handle = session_handle');
    const guard =
      expectedRefreshTokenHash2 === undefined
        ? ''
        : ` AND refresh_token_hash_2 = ${param(expectedRefreshTokenHash2)}`;
    const { rowCount } = await this.db.query(
      `UPDATE session_info SET ${sets.join(', ')} WHERE app_id = $1 AND session_handle = $2${guard}`,
      params,
    );
    return rowCount > 0;
  }

  async deleteSessions(appId: string, handles: string[]): Promise<string[]> {
    if (handles.length === 0) return [];
    const { rows } = await this.db.query(
      'DELETE FROM session_info WHERE app_id = $1 AND session_handle = ANY($2::text[]) RETURNING session_handle',
      [appId, handles],
    );
    return rows.map((r) => text(r, 'session_handle'));
  }

  async listSessionHandles(appId: string, userIds: string[], tenantId?: string): Promise<string[]> {
    const { rows } = await this.db.query(
      `SELECT session_handle FROM session_info WHERE app_id = $1 AND user_id = ANY($2::text[])
         AND ($3::text IS NULL OR tenant_id = $3)`,
      [appId, userIds, tenantId ?? null],
    );
    return rows.map((r) => text(r, 'session_handle'));
  }

  async createDashboardUser(
    appId: string,
    user: DashboardUserRecord,
  ): Promise<'OK' | 'EMAIL_ALREADY_EXISTS'> {
    return unlessTaken(async () => {
      await this.db.query(
        `INSERT INTO dashboard_users (app_id, user_id, email, password_hash, time_joined)
         VALUES ($1, $2, $3, $4, $5)`,
        [appId, user.userId, user.email, user.passwordHash, user.timeJoined],
      );
      return 'OK' as const;
    }, 'EMAIL_ALREADY_EXISTS' as const);
  }

  async getDashboardUser(
    appId: string,
    key: DashboardUserKey,
  ): Promise<DashboardUserRecord | undefined> {
    const byId = 'userId' in key;
    const { rows } = await this.db.query(
      `SELECT * FROM dashboard_users WHERE app_id = $1 AND ${byId ? 'user_id' : 'email'} = $2`,
      [appId, byId ? key.userId : key.email],
    );
    return rows[0] && dashboardUserFrom(rows[0]);
  }

  async updateDashboardUser(
    appId: string,
    userId: string,
    patch: { email?: string; passwordHash?: string },
  ): Promise<'OK' | 'UNKNOWN_USER' | 'EMAIL_ALREADY_EXISTS'> {
    return unlessTaken(async () => {
      const { rowCount } = await this.db.query(
        `UPDATE dashboard_users SET email = COALESCE($3, email),
           password_hash = COALESCE($4, password_hash) WHERE app_id = $1 AND user_id = $2`,
        [appId, userId, patch.email ?? null, patch.passwordHash ?? null],
      );
      return rowCount > 0 ? ('OK' as const) : ('UNKNOWN_USER' as const);
    }, 'EMAIL_ALREADY_EXISTS' as const);
  }

  async deleteDashboardUser(appId: string, key: DashboardUserKey): Promise<boolean> {
    const byId = 'userId' in key;
    const { rowCount } = await this.db.query(
      `DELETE FROM dashboard_users WHERE app_id = $1 AND ${byId ? 'user_id' : 'email'} = $2`,
      [appId, byId ? key.userId : key.email],
    );
    return rowCount > 0;
  }

  async listDashboardUsers(appId: string): Promise<DashboardUserRecord[]> {
    const { rows } = await this.db.query(
      'SELECT * FROM dashboard_users WHERE app_id = $1 ORDER BY time_joined',
      [appId],
    );
    return rows.map(dashboardUserFrom);
  }

  async createDashboardSession(appId: string, session: DashboardSessionRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO dashboard_user_sessions (app_id, session_id, user_id, time_created, expiry)
       VALUES ($1, $2, $3, $4, $5)`,
      [appId, session.sessionId, session.userId, session.timeCreated, session.expiry],
    );
  }

  async getDashboardSession(
    appId: string,
    sessionId: string,
  ): Promise<DashboardSessionRecord | undefined> {
    const { rows } = await this.db.query(
      'SELECT * FROM dashboard_user_sessions WHERE app_id = $1 AND session_id = $2',
      [appId, sessionId],
    );
    return rows[0] && dashboardSessionFrom(rows[0]);
  }

  async deleteDashboardSession(appId: string, sessionId: string): Promise<void> {
    await this.db.query(
      'DELETE FROM dashboard_user_sessions WHERE app_id = $1 AND session_id = $2',
      [appId, sessionId],
    );
  }

  async listDashboardSessions(appId: string, userId: string): Promise<DashboardSessionRecord[]> {
    const { rows } = await this.db.query(
      'SELECT * FROM dashboard_user_sessions WHERE app_id = $1 AND user_id = $2 ORDER BY time_created',
      [appId, userId],
    );
    return rows.map(dashboardSessionFrom);
  }

  async hitCounter(key: string, windowMs: number, now: number): Promise<CounterState> {
    const { rows } = await this.db.query(
      `INSERT INTO nest_supertokens_counters (key, count, reset_at) VALUES ($1, 1, $2 + $3::bigint)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN nest_supertokens_counters.reset_at > $2 THEN nest_supertokens_counters.count + 1 ELSE 1 END,
         reset_at = CASE WHEN nest_supertokens_counters.reset_at > $2 THEN nest_supertokens_counters.reset_at
                         ELSE $2 + $3::bigint END
       RETURNING count, reset_at`,
      [key, now, windowMs],
    );
    return { count: num(rows[0], 'count'), resetAt: num(rows[0], 'reset_at') };
  }

  async getCounter(key: string, now: number): Promise<CounterState | undefined> {
    const { rows } = await this.db.query(
      'SELECT count, reset_at FROM nest_supertokens_counters WHERE key = $1 AND reset_at > $2',
      [key, now],
    );
    return rows[0] && { count: num(rows[0], 'count'), resetAt: num(rows[0], 'reset_at') };
  }

  async deleteCounter(key: string): Promise<void> {
    await this.db.query('DELETE FROM nest_supertokens_counters WHERE key = $1', [key]);
  }

  async deleteExpired(now: number, codesCreatedBefore: number): Promise<void> {
    const deletes: [string, number][] = [
      ['DELETE FROM nest_supertokens_counters WHERE reset_at <= $1', now],
      ['DELETE FROM session_info WHERE expires_at < $1', now],
      ['DELETE FROM dashboard_user_sessions WHERE expiry < $1', now],
      ['DELETE FROM emailpassword_pswd_reset_tokens WHERE token_expiry < $1', now],
      ['DELETE FROM emailverification_tokens WHERE token_expiry < $1', now],
      [
        `DELETE FROM passwordless_devices d WHERE NOT EXISTS (SELECT 1 FROM passwordless_codes c
           WHERE c.app_id = d.app_id AND c.tenant_id = d.tenant_id
             AND c.device_id_hash = d.device_id_hash AND c.created_at >= $1)`,
        codesCreatedBefore,
      ],
    ];
    let deleted = 0;
    for (const [sql, before] of deletes) deleted += (await this.db.query(sql, [before])).rowCount;
    if (deleted > 0) await this.db.maintain?.();
  }
}
