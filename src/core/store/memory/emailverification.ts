import type { EmailVerificationStorage } from '../store.interface.js';
import { type AppTables, key, type MemoryTables } from './memory-tables.js';

export function memoryEmailVerification(memory: MemoryTables): EmailVerificationStorage {
  return {
    isEmailVerified(appId, recipeUserId, email) {
      return Promise.resolve(memory.app(appId).verifiedEmails.has(key(recipeUserId, email)));
    },

    setEmailVerified(appId, recipeUserId, email, verified) {
      const set = memory.app(appId).verifiedEmails;
      if (verified) set.add(key(recipeUserId, email));
      else set.delete(key(recipeUserId, email));
      return Promise.resolve();
    },

    addEmailVerificationToken(appId, tenantId, token) {
      memory.app(appId).verificationTokens.set(key(tenantId, token.tokenHash), { ...token });
      return Promise.resolve();
    },

    consumeEmailVerificationToken(appId, tenantId, tokenHash) {
      const tables = memory.app(appId);
      const token = tables.verificationTokens.get(key(tenantId, tokenHash));
      if (token) dropVerificationTokens(tables, tenantId, token.userId, token.email);
      return Promise.resolve(token);
    },

    removeEmailVerificationTokens(appId, tenantId, userId, email) {
      dropVerificationTokens(memory.app(appId), tenantId, userId, email);
      return Promise.resolve();
    },

    updateIsEmailVerifiedToExternalUserId(appId, superTokensUserId, externalUserId) {
      const tables = memory.app(appId);
      const prefix = key(superTokensUserId, '');
      for (const entry of [...tables.verifiedEmails]) {
        if (!entry.startsWith(prefix)) continue;
        tables.verifiedEmails.delete(entry);
        tables.verifiedEmails.add(key(externalUserId, entry.slice(prefix.length)));
      }
      for (const token of tables.verificationTokens.values()) {
        if (token.userId === superTokensUserId) token.userId = externalUserId;
      }
      return Promise.resolve();
    },
  };
}

export function deleteExpiredVerificationTokens(tables: AppTables, now: number): void {
  for (const [tokenKey, token] of tables.verificationTokens) {
    if (token.expiry < now) tables.verificationTokens.delete(tokenKey);
  }
}

function dropVerificationTokens(
  tables: AppTables,
  tenantId: string,
  userId: string,
  email: string,
): void {
  for (const [tokenKey, token] of tables.verificationTokens) {
    if (tokenKey.startsWith(`${tenantId}\n`) && token.userId === userId && token.email === email) {
      tables.verificationTokens.delete(tokenKey);
    }
  }
}
