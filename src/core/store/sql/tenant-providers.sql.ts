import type {
  ThirdPartyClientRecord,
  ThirdPartyProviderRecord,
  UserInfoMapRecord,
} from '../records.js';
import type { SqlExecutor, SqlRow } from './sql-client.js';
import { json, optionalText, text } from './sql-rows.js';

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
export async function insertProvider(
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

/** The third-party providers of an app's tenants (or of one), by tenant id. */
export async function providersOf(
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
