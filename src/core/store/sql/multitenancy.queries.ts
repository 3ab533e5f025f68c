import { accountInfoOf, associationClash } from '../linking-view.js';
import type {
  TenantAssociation,
  TenantConfigRecord,
  ThirdPartyProviderRecord,
} from '../records.js';
import type { MultitenancyStorage } from '../storage/multitenancy.storage.js';
import { isUniqueViolation, type SqlClient, type SqlExecutor } from './sql-client.js';
import { charColumn, json, num, optionalText, text } from './sql-rows.js';
import { insertProvider, providersOf } from './tenant-providers.sql.js';
import { lockLinks, userOf, usersWith } from './users.sql.js';

export async function insertApp(tx: SqlExecutor, appId: string, time: number): Promise<void> {
  await tx.query(
    'INSERT INTO apps (app_id, created_at_time) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [appId, time],
  );
  await insertTenant(tx, appId, 'public', time);
}

/** A tenant row plus its `tenant_configs` row, which the official core loads tenants from. */
async function insertTenant(
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

/** The set-ups of an app's tenants (or of one), in `listTenants` order. */
async function tenantConfigs(
  db: SqlExecutor,
  appId: string,
  tenantId?: string,
): Promise<TenantConfigRecord[]> {
  const { rows } = await db.query(
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
  const providers = await providersOf(db, appId, tenantId);
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

export function multitenancyQueries(db: SqlClient): MultitenancyStorage {
  /**
   * Apps and tenants seen to exist: every request checks its app and tenant. The public app and
   * a public tenant live as long as their app: remembered. Others can be deleted, by another
   * instance too: remembered for a second (the official core also refreshes its tenant list
   * periodically). A negative answer is asked again, since another instance may create it. Keys
   * are `<app>` and `<app>\n<tenant>` (ids are [a-z0-9-]: "\n" cannot occur in either).
   */
  const knownTenants = new Set<string>();
  const recentTenants = new Map<string, number>();
  const exists = async (
    key: string,
    lasting: boolean,
    ask: () => Promise<number>,
  ): Promise<boolean> => {
    if (lasting && knownTenants.has(key)) return true;
    const seen = recentTenants.get(key);
    if (seen !== undefined && Date.now() - seen < 1000) return true;
    const found = (await ask()) > 0;
    if (found && lasting) knownTenants.add(key);
    else if (found) recentTenants.set(key, Date.now());
    return found;
  };
  return {
    hasApp(appId: string): Promise<boolean> {
      return exists(
        appId,
        appId === 'public',
        async () => (await db.query('SELECT 1 FROM apps WHERE app_id = $1', [appId])).rowCount,
      );
    },

    createApp(appId: string): Promise<void> {
      return db.transaction((tx) => insertApp(tx, appId, Date.now()));
    },

    async listApps(): Promise<string[]> {
      const { rows } = await db.query(
        `SELECT app_id FROM apps ORDER BY app_id <> 'public', created_at_time, app_id COLLATE "C"`,
      );
      return rows.map((r) => text(r, 'app_id'));
    },

    async deleteApp(appId: string): Promise<boolean> {
      if (appId === 'public') return false;
      for (const key of [...recentTenants.keys(), ...knownTenants]) {
        if (key === appId || key.startsWith(`${appId}\n`)) {
          recentTenants.delete(key);
          knownTenants.delete(key);
        }
      }
      return db.transaction(async (tx) => {
        // Everything of the app references it (ON DELETE CASCADE); tenant set-ups are keyed by it.
        const { rowCount } = await tx.query('DELETE FROM apps WHERE app_id = $1', [appId]);
        await tx.query(
          `DELETE FROM tenant_configs WHERE connection_uri_domain = '' AND app_id = $1`,
          [appId],
        );
        return rowCount > 0;
      });
    },

    hasTenant(appId: string, tenantId: string): Promise<boolean> {
      return exists(
        `${appId}\n${tenantId}`,
        tenantId === 'public',
        async () =>
          (
            await db.query('SELECT 1 FROM tenants WHERE app_id = $1 AND tenant_id = $2', [
              appId,
              tenantId,
            ])
          ).rowCount,
      );
    },

    createTenant(appId: string, tenantId: string): Promise<void> {
      return db.transaction((tx) => insertTenant(tx, appId, tenantId, Date.now()));
    },

    async listTenants(appId: string): Promise<string[]> {
      const { rows } = await db.query(
        `SELECT tenant_id FROM tenants WHERE app_id = $1
         ORDER BY tenant_id <> 'public', created_at_time, tenant_id COLLATE "C"`,
        [appId],
      );
      return rows.map((r) => text(r, 'tenant_id'));
    },

    async getTenantConfig(
      appId: string,
      tenantId: string,
    ): Promise<TenantConfigRecord | undefined> {
      return (await tenantConfigs(db, appId, tenantId))[0];
    },

    listTenantConfigs(appId: string): Promise<TenantConfigRecord[]> {
      return tenantConfigs(db, appId);
    },

    async putTenantConfig(
      appId: string,
      config: Omit<TenantConfigRecord, 'thirdPartyProviders'>,
    ): Promise<boolean> {
      const { tenantId } = config;
      return db.transaction(async (tx) => {
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
    },

    updateThirdPartyProviders(
      appId: string,
      tenantId: string,
      change: (providers: ThirdPartyProviderRecord[]) => ThirdPartyProviderRecord[],
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        // The tenant's row, locked: concurrent changes of its providers run one after the other.
        const { rowCount } = await tx.query(
          `SELECT 1 FROM tenant_configs WHERE connection_uri_domain = '' AND app_id = $1
             AND tenant_id = $2 FOR UPDATE`,
          [appId, tenantId],
        );
        if (rowCount === 0) return false;
        const current = (await providersOf(tx, appId, tenantId)).get(tenantId) ?? [];
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
    },

    async deleteTenant(appId: string, tenantId: string): Promise<boolean> {
      if (tenantId === 'public') return false;
      recentTenants.delete(`${appId}\n${tenantId}`);
      return db.transaction(async (tx) => {
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
    },

    async associateUserWithTenant(
      appId: string,
      tenantId: string,
      recipeUserId: string,
    ): Promise<TenantAssociation> {
      // Which unique constraint a failed insert hit: the one of the column being written.
      let conflict: Exclude<TenantAssociation, 'OK' | 'ALREADY_ASSOCIATED' | 'UNKNOWN_USER_ID'> =
        'EMAIL_ALREADY_EXISTS';
      try {
        return await db.transaction(async (tx) => {
          // The linking lock before any row lock: linking changes take them in that order.
          await lockLinks(tx, appId);
          const { rows } = await tx.query(
            `SELECT a.recipe_id, a.primary_or_recipe_user_id, a.is_linked_or_is_a_primary_user,
               e.email AS ep_email, p.email AS pl_email, p.phone_number,
               tp.third_party_id, tp.third_party_user_id, w.email AS wa_email,
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
             LEFT JOIN webauthn_users w ON w.app_id = a.app_id AND w.user_id = a.user_id
             WHERE a.app_id = $1 AND a.user_id = $2 FOR UPDATE OF a`,
            [appId, recipeUserId, tenantId],
          );
          const row = rows[0];
          if (!row) return 'UNKNOWN_USER_ID';
          if (row.is_linked_or_is_a_primary_user === true) {
            const user = (await userOf(tx, appId, recipeUserId))!;
            const related = await usersWith(tx, appId, accountInfoOf([user]));
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
              charColumn(row, 'primary_or_recipe_user_id'),
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
          } else if (recipeId === 'webauthn') {
            // The real core 11.4 answers 500 here (docs/embedded-core.md, WebAuthn).
            await tx.query(
              'INSERT INTO webauthn_user_to_tenant (app_id, tenant_id, user_id, email) VALUES ($1, $2, $3, $4)',
              [appId, tenantId, recipeUserId, optionalText(row, 'wa_email') ?? ''],
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
    },

    async disassociateUserFromTenant(
      appId: string,
      tenantId: string,
      recipeUserId: string,
      dataUserId: string,
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        let removed = false;
        for (const [statement, userId] of [
          [
            'DELETE FROM session_info WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
            dataUserId,
          ],
          [
            'DELETE FROM user_roles WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
            dataUserId,
          ],
          [
            'DELETE FROM emailverification_tokens WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
            dataUserId,
          ],
          // Cascades to the recipe's <recipe>_user_to_tenant row.
          [
            'DELETE FROM all_auth_recipe_users WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
            recipeUserId,
          ],
        ]) {
          const { rowCount } = await tx.query(statement, [appId, tenantId, userId]);
          removed = removed || rowCount > 0;
        }
        // As the real core: the TOTP codes tried there go too (the devices are the app's).
        await tx.query(
          'DELETE FROM totp_used_codes WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
          [appId, tenantId, dataUserId],
        );
        return removed;
      });
    },
  };
}
