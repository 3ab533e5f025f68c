import type { TokenRecord } from '../records.js';
import type { EmailVerificationStorage } from '../storage/emailverification.storage.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';
import { num, text } from './sql-rows.js';

export function emailVerificationQueries(db: SqlClient): EmailVerificationStorage {
  return {
    async isEmailVerified(appId: string, recipeUserId: string, email: string): Promise<boolean> {
      const { rowCount } = await db.query(
        'SELECT 1 FROM emailverification_verified_emails WHERE app_id = $1 AND user_id = $2 AND email = $3',
        [appId, recipeUserId, email],
      );
      return rowCount > 0;
    },

    async setEmailVerified(
      appId: string,
      recipeUserId: string,
      email: string,
      verified: boolean,
    ): Promise<void> {
      await db.query(
        verified
          ? 'INSERT INTO emailverification_verified_emails (app_id, user_id, email) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING'
          : 'DELETE FROM emailverification_verified_emails WHERE app_id = $1 AND user_id = $2 AND email = $3',
        [appId, recipeUserId, email],
      );
    },

    async addEmailVerificationToken(
      appId: string,
      tenantId: string,
      token: TokenRecord,
    ): Promise<void> {
      await db.query(
        `INSERT INTO emailverification_tokens (app_id, tenant_id, user_id, email, token, token_expiry)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [appId, tenantId, token.userId, token.email, token.tokenHash, token.expiry],
      );
    },

    consumeEmailVerificationToken(
      appId: string,
      tenantId: string,
      tokenHash: string,
    ): Promise<TokenRecord | undefined> {
      return db.transaction(async (tx) => {
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
    },

    async removeEmailVerificationTokens(
      appId: string,
      tenantId: string,
      userId: string,
      email: string,
    ): Promise<void> {
      await db.query(
        'DELETE FROM emailverification_tokens WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3 AND email = $4',
        [appId, tenantId, userId, email],
      );
    },

    updateIsEmailVerifiedToExternalUserId(
      appId: string,
      superTokensUserId: string,
      externalUserId: string,
    ): Promise<void> {
      return db.transaction(async (tx) => {
        for (const table of ['emailverification_verified_emails', 'emailverification_tokens']) {
          await tx.query(`UPDATE ${table} SET user_id = $3 WHERE app_id = $1 AND user_id = $2`, [
            appId,
            superTokensUserId,
            externalUserId,
          ]);
        }
      });
    },
  };
}

export async function deleteExpiredVerificationTokens(
  db: SqlExecutor,
  now: number,
): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM emailverification_tokens WHERE token_expiry < $1',
    [now],
  );
  return rowCount;
}
