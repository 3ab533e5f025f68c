import type { EmailPasswordStorage } from '../store.interface.js';
import { clashesWithPrimary } from '../linking-view.js';
import type { AppTables, MemoryTables } from './memory-tables.js';
import { index, insertUser, loginMethod, owner, userOf, usersWith } from './users.js';

export function memoryEmailPassword(memory: MemoryTables): EmailPasswordStorage {
  return {
    createEmailPasswordUser(appId, tenantId, method) {
      const tables = memory.app(appId);
      const email = `email:${method.email ?? ''}`;
      if (owner(tables, email, 'emailpassword', [tenantId]) !== undefined) {
        return Promise.resolve('EMAIL_ALREADY_EXISTS');
      }
      insertUser(tables, method);
      return Promise.resolve('OK');
    },

    updateEmailPasswordLogin(appId, recipeUserId, patch) {
      const tables = memory.app(appId);
      const method = loginMethod(tables, recipeUserId);
      if (!method || method.recipeId !== 'emailpassword') {
        return Promise.resolve('UNKNOWN_USER_ID');
      }
      const { email } = patch;
      const user = userOf(tables, recipeUserId)!;
      if (email !== undefined && clashesWithPrimary(user, usersWith(tables, [`email:${email}`]))) {
        return Promise.resolve('EMAIL_CHANGE_NOT_ALLOWED');
      }
      if (email !== undefined && email !== method.email) {
        const taken = owner(
          tables,
          `email:${email}`,
          'emailpassword',
          method.tenantIds,
          recipeUserId,
        );
        if (taken !== undefined) return Promise.resolve('EMAIL_ALREADY_EXISTS');
        index(tables, method, 'delete');
        method.email = email;
        index(tables, method, 'add');
      }
      if (patch.passwordHash !== undefined) method.passwordHash = patch.passwordHash;
      return Promise.resolve('OK');
    },

    addPasswordResetToken(appId, token) {
      memory.app(appId).resetTokens.set(token.tokenHash, { ...token });
      return Promise.resolve();
    },

    consumePasswordResetToken(appId, tokenHash) {
      const tables = memory.app(appId);
      const token = tables.resetTokens.get(tokenHash);
      if (token) {
        for (const [hash, other] of tables.resetTokens) {
          if (other.userId === token.userId) tables.resetTokens.delete(hash);
        }
      }
      return Promise.resolve(token);
    },
  };
}

export function deleteExpiredResetTokens(tables: AppTables, now: number): void {
  for (const [hash, token] of tables.resetTokens) {
    if (token.expiry < now) tables.resetTokens.delete(hash);
  }
}
