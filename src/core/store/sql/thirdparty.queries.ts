import type { LoginMethodRecord, ThirdPartyInfo } from '../records.js';
import type { ThirdPartyStorage } from '../storage/thirdparty.storage.js';
import { isUniqueViolation, type SqlClient } from './sql-client.js';
import { charColumn, text } from './sql-rows.js';
import { clashesWithPrimary, insertUser, lockLinks } from './users.sql.js';

export function thirdPartyQueries(db: SqlClient): ThirdPartyStorage {
  return {
    async signInUpThirdPartyUser(
      appId: string,
      tenantId: string,
      loginMethod: LoginMethodRecord & { thirdParty: ThirdPartyInfo; email: string },
    ): Promise<{ createdNewUser: boolean; recipeUserId: string } | 'EMAIL_CHANGE_NOT_ALLOWED'> {
      const { id, userId } = loginMethod.thirdParty;
      // A concurrent sign-up of the same provider user wins the unique key: then sign in.
      for (let attempt = 0; ; attempt++) {
        try {
          return await db.transaction(async (tx) => {
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
              await lockLinks(tx, appId);
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
              await insertUser(tx, appId, tenantId, loginMethod);
              return { createdNewUser: true, recipeUserId: loginMethod.recipeUserId };
            }
            const recipeUserId = charColumn(row, 'user_id');
            if (text(row, 'email') !== loginMethod.email) {
              const emails = [loginMethod.email];
              if (await clashesWithPrimary(tx, appId, recipeUserId, { emails })) {
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
    },
  };
}
