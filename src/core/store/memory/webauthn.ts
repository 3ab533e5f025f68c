import { clashesWithPrimary } from '../linking-view.js';
import type { WebAuthnCredentialRecord } from '../records.js';
import type { WebAuthnStorage } from '../storage/webauthn.storage.js';
import { type AppTables, key, type MemoryTables } from './memory-tables.js';
import { index, insertUser, loginMethod, owner, userOf, usersWith } from './users.js';

const copy = <T>(record: T | undefined): T | undefined =>
  record === undefined ? undefined : structuredClone(record);

/** The credentials with this id (one per relying party), oldest first. */
const credentialsWithId = (tables: AppTables, id: string): WebAuthnCredentialRecord[] =>
  [...tables.webauthnCredentials.values()]
    .filter((c) => c.id === id)
    .sort((a, b) => a.createdAt - b.createdAt);

/** Keeps the login method's credential ids in step with the credentials table. */
function syncCredentialIds(tables: AppTables, userId: string): void {
  const method = loginMethod(tables, userId);
  if (method?.recipeId !== 'webauthn') return;
  const ids = [...tables.webauthnCredentials.values()]
    .filter((c) => c.userId === userId)
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
    .map((c) => c.id);
  method.webauthn = { credentialIds: ids };
}

export function memoryWebAuthn(memory: MemoryTables): WebAuthnStorage {
  return {
    saveWebAuthnOptions(appId, options) {
      memory.app(appId).webauthnOptions.set(key(options.tenantId, options.id), { ...options });
      return Promise.resolve();
    },

    getWebAuthnOptions(appId, tenantId, id) {
      const options = [...memory.app(appId).webauthnOptions.values()].find(
        (o) => o.id === id && (tenantId === undefined || o.tenantId === tenantId),
      );
      return Promise.resolve(copy(options));
    },

    removeWebAuthnOptions(appId, tenantId, id) {
      return Promise.resolve(memory.app(appId).webauthnOptions.delete(key(tenantId, id)));
    },

    spendWebAuthnChallenge(appId, id, challenge, replacement) {
      for (const options of memory.app(appId).webauthnOptions.values()) {
        if (options.id === id && options.challenge === challenge) {
          options.challenge = replacement;
          return Promise.resolve(true);
        }
      }
      return Promise.resolve(false);
    },

    signUpWebAuthnUser(appId, tenantId, method, credential) {
      const tables = memory.app(appId);
      if (owner(tables, `email:${method.email}`, 'webauthn', [tenantId]) !== undefined) {
        return Promise.resolve('EMAIL_ALREADY_EXISTS');
      }
      const credentialKey = key(credential.relyingPartyId, credential.id);
      if (tables.webauthnCredentials.has(credentialKey)) {
        return Promise.resolve('CREDENTIAL_ALREADY_EXISTS');
      }
      insertUser(tables, {
        ...method,
        tenantIds: [tenantId],
        webauthn: { credentialIds: [credential.id] },
      });
      tables.webauthnCredentials.set(credentialKey, { ...credential });
      return Promise.resolve('OK');
    },

    saveWebAuthnCredential(appId, credential) {
      const tables = memory.app(appId);
      if (loginMethod(tables, credential.userId)?.recipeId !== 'webauthn') {
        return Promise.resolve('UNKNOWN_USER_ID');
      }
      const credentialKey = key(credential.relyingPartyId, credential.id);
      if (tables.webauthnCredentials.has(credentialKey)) {
        return Promise.resolve('CREDENTIAL_ALREADY_EXISTS');
      }
      tables.webauthnCredentials.set(credentialKey, { ...credential });
      syncCredentialIds(tables, credential.userId);
      return Promise.resolve('OK');
    },

    getWebAuthnCredential(appId, credentialId, userId) {
      const found = credentialsWithId(memory.app(appId), credentialId).find(
        (c) => userId === undefined || c.userId === userId,
      );
      return Promise.resolve(copy(found));
    },

    listWebAuthnCredentials(appId, userId) {
      const credentials = [...memory.app(appId).webauthnCredentials.values()]
        .filter((c) => c.userId === userId)
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
      return Promise.resolve(structuredClone(credentials));
    },

    removeWebAuthnCredential(appId, userId, credentialId) {
      const tables = memory.app(appId);
      let removed = false;
      for (const c of credentialsWithId(tables, credentialId)) {
        if (c.userId !== userId) continue;
        removed = tables.webauthnCredentials.delete(key(c.relyingPartyId, c.id)) || removed;
      }
      syncCredentialIds(tables, userId);
      return Promise.resolve(removed);
    },

    updateWebAuthnCounter(appId, credentialId, expected, counter, now) {
      const [credential] = credentialsWithId(memory.app(appId), credentialId);
      if (!credential || credential.counter !== expected) return Promise.resolve(false);
      credential.counter = counter;
      credential.updatedAt = now;
      return Promise.resolve(true);
    },

    updateWebAuthnEmail(appId, tenantId, recipeUserId, email) {
      const tables = memory.app(appId);
      const method = loginMethod(tables, recipeUserId);
      if (method?.recipeId !== 'webauthn') return Promise.resolve('UNKNOWN_USER_ID');
      const user = userOf(tables, recipeUserId)!;
      if (clashesWithPrimary(user, usersWith(tables, [`email:${email}`]))) {
        return Promise.resolve('USER_WITH_EMAIL_ALREADY_EXISTS');
      }
      if (owner(tables, `email:${email}`, 'webauthn', [tenantId], recipeUserId) !== undefined) {
        return Promise.resolve('EMAIL_ALREADY_EXISTS');
      }
      index(tables, method, 'delete');
      method.email = email;
      index(tables, method, 'add');
      return Promise.resolve('OK');
    },

    saveWebAuthnRecoveryToken(appId, token) {
      const tables = memory.app(appId);
      if (!loginMethod(tables, token.userId)?.tenantIds.includes(token.tenantId)) {
        return Promise.resolve(false);
      }
      tables.webauthnRecoveryTokens.set(key(token.tenantId, token.tokenHash), { ...token });
      return Promise.resolve(true);
    },

    getWebAuthnRecoveryToken(appId, tenantId, tokenHash) {
      return Promise.resolve(
        copy(memory.app(appId).webauthnRecoveryTokens.get(key(tenantId, tokenHash))),
      );
    },

    consumeWebAuthnRecoveryToken(appId, tenantId, tokenHash, now) {
      const tokens = memory.app(appId).webauthnRecoveryTokens;
      const token = tokens.get(key(tenantId, tokenHash));
      if (!token || token.expiresAt < now) return Promise.resolve(undefined);
      for (const [k, other] of tokens) {
        if (other.tenantId === tenantId && other.email === token.email) tokens.delete(k);
      }
      return Promise.resolve({ ...token });
    },
  };
}

/** The real core's webauthn clean-up: expired recovery tokens and generated options. */
export function deleteExpiredWebAuthnData(tables: AppTables, now: number): void {
  for (const [k, token] of tables.webauthnRecoveryTokens) {
    if (token.expiresAt < now) tables.webauthnRecoveryTokens.delete(k);
  }
  for (const [k, options] of tables.webauthnOptions) {
    if (options.expiresAt < now) tables.webauthnOptions.delete(k);
  }
}
