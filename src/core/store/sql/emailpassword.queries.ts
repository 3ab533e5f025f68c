import type { LoginMethodRecord, TokenRecord } from '../records.js';
import type { EmailPasswordStorage } from '../storage/emailpassword.storage.js';
import { isUniqueViolation, type SqlClient, type SqlExecutor } from './sql-client.js';
import { charColumn, num, text, unlessTaken } from './sql-rows.js';
import { clashesWithPrimary, insertUser, lockLinks } from './users.sql.js';

export function emailPasswordQueries(db: SqlClient): EmailPasswordStorage {
  return {
    async createEmailPasswordUser(
      appId: string,
      tenantId: string,
      loginMethod: LoginMethodRecord,
    ): Promise<'OK' | 'EMAIL_ALREADY_EXISTS'> {
      return unlessTaken(async () => {
        await db.transaction((tx) => insertUser(tx, appId, tenantId, loginMethod));
        return 'OK' as const;
      }, 'EMAIL_ALREADY_EXISTS' as const);
    },

    async updateEmailPasswordLogin(
      appId: string,
      recipeUserId: string,
      patch: { email?: string; passwordHash?: string },
    ): Promise<'OK' | 'UNKNOWN_USER_ID' | 'EMAIL_ALREADY_EXISTS' | 'EMAIL_CHANGE_NOT_ALLOWED'> {
      try {
        return await db.transaction(async (tx) => {
          // The linking lock before any row lock: linking changes take them in that order.
          if (patch.email !== undefined) await lockLinks(tx, appId);
          const { rows } = await tx.query(
            'SELECT email FROM emailpassword_users WHERE app_id = $1 AND user_id = $2 FOR UPDATE',
            [appId, recipeUserId],
          );
          if (rows.length === 0) return 'UNKNOWN_USER_ID';
          if (
            patch.email !== undefined &&
            (await clashesWithPrimary(tx, appId, recipeUserId, { emails: [patch.email] }))
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
    },

    async addPasswordResetToken(appId: string, token: TokenRecord): Promise<void> {
      await db.query(
        `INSERT INTO emailpassword_pswd_reset_tokens (app_id, user_id, token, email, token_expiry)
         VALUES ($1, $2, $3, $4, $5)`,
        [appId, token.userId, token.tokenHash, token.email, token.expiry],
      );
    },

    consumePasswordResetToken(appId: string, tokenHash: string): Promise<TokenRecord | undefined> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query(
          `DELETE FROM emailpassword_pswd_reset_tokens WHERE app_id = $1 AND token = $2
           RETURNING user_id, email, token_expiry`,
          [appId, tokenHash],
        );
        const row = rows[0];
        if (!row) return undefined;
        const userId = charColumn(row, 'user_id');
        await tx.query(
          'DELETE FROM emailpassword_pswd_reset_tokens WHERE app_id = $1 AND user_id = $2',
          [appId, userId],
        );
        return { userId, tokenHash, email: text(row, 'email'), expiry: num(row, 'token_expiry') };
      });
    },
  };
}

export async function deleteExpiredResetTokens(db: SqlExecutor, now: number): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM emailpassword_pswd_reset_tokens WHERE token_expiry < $1',
    [now],
  );
  return rowCount;
}
