import type { Store } from '../store.interface.js';
import { accountLinkingQueries } from './account-linking.queries.js';
import { authRecipeQueries } from './auth-recipe.queries.js';
import { bulkImportQueries } from './bulk-import.queries.js';
import { counterQueries, deleteExpiredCounters } from './counter.queries.js';
import { dashboardQueries, deleteExpiredDashboardSessions } from './dashboard.queries.js';
import { deleteExpiredResetTokens, emailPasswordQueries } from './emailpassword.queries.js';
import {
  deleteExpiredVerificationTokens,
  emailVerificationQueries,
} from './emailverification.queries.js';
import { keyValueQueries } from './key-value.queries.js';
import { insertApp, multitenancyQueries } from './multitenancy.queries.js';
import { deleteExpiredDevices, passwordlessQueries } from './passwordless.queries.js';
import { deleteExpiredSessions, sessionQueries } from './session.queries.js';
import { signingKeyQueries } from './signing-key.queries.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';
import { LOCK_SPACE } from './sql-rows.js';
import { SCHEMA, SCHEMA_VERSION, SCHEMA_VERSION_KEY } from './sql.schema.js';
import { thirdPartyQueries } from './thirdparty.queries.js';
import { deleteExpiredTotpCodes, totpQueries } from './totp.queries.js';
import { userIdMappingQueries } from './userid-mapping.queries.js';
import { userMetadataQueries } from './usermetadata.queries.js';
import { userRolesQueries } from './userroles.queries.js';
import { deleteExpiredWebAuthnData, webAuthnQueries } from './webauthn.queries.js';

/**
 * A client whose every statement runs in the transaction `tx`, for a store the recipes' queries
 * share (`importTransaction`): their own transactions become savepoints (so one they catch a
 * failure of, such as a unique violation, does not abort the whole), and committing is left to
 * the outer transaction, as the plugin's `BulkImportProxyConnection` leaves it.
 */
function nestedClient(tx: SqlExecutor, description: string): SqlClient {
  let savepoints = 0;
  return {
    description,
    query: (sql, params) => tx.query(sql, params),
    async transaction(work) {
      const name = `nested_${++savepoints}`;
      await tx.query(`SAVEPOINT ${name}`);
      try {
        const result = await work(tx);
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
    },
    close: () => Promise.resolve(),
  };
}

// The class gets its methods from `parts` (Object.assign in the constructor); this merged
// interface is how the compiler knows it has them. `parts` is itself checked to be a whole Store.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- see above
export interface SqlStore extends Store {}

/**
 * The store on PostgreSQL (PGlite on disk, or a server through `pg`), in the official core's
 * tables (`sql.schema.ts`), composed of one set of queries per recipe (`*.queries.ts`). Every
 * check-then-write is one statement, one constraint or one transaction, so several processes can
 * share one database.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see SqlStore above
export class SqlStore {
  private constructor(private readonly db: SqlClient) {
    const parts: Store = {
      ...multitenancyQueries(db),
      ...keyValueQueries(db),
      ...signingKeyQueries(db),
      ...authRecipeQueries(db),
      ...accountLinkingQueries(db),
      ...emailPasswordQueries(db),
      ...passwordlessQueries(db),
      ...thirdPartyQueries(db),
      ...totpQueries(db),
      ...webAuthnQueries(db),
      ...sessionQueries(db),
      ...emailVerificationQueries(db),
      ...userRolesQueries(db),
      ...userMetadataQueries(db),
      ...userIdMappingQueries(db),
      ...bulkImportQueries(db),
      importTransaction: (_appId, work) =>
        db.transaction((tx) => work(new SqlStore(nestedClient(tx, db.description)))),
      ...dashboardQueries(db),
      ...counterQueries(db),
      async deleteExpired(now, { codesCreatedBefore, totpCodesExpiredBefore }): Promise<void> {
        let deleted = 0;
        deleted += await deleteExpiredCounters(db, now);
        deleted += await deleteExpiredSessions(db, now);
        deleted += await deleteExpiredDashboardSessions(db, now);
        deleted += await deleteExpiredResetTokens(db, now);
        deleted += await deleteExpiredVerificationTokens(db, now);
        deleted += await deleteExpiredDevices(db, codesCreatedBefore);
        deleted += await deleteExpiredTotpCodes(db, totpCodesExpiredBefore);
        deleted += await deleteExpiredWebAuthnData(db, now);
        if (deleted > 0) await db.maintain?.();
      },
      close: () => db.close(),
    };
    Object.assign(this, parts);
  }

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
        for (const { sql } of SCHEMA) await tx.query(sql);
        await insertApp(tx, 'public', Date.now());
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
}
