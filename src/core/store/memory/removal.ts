import type { UserRecord } from '../records.js';
import { type AppTables, key } from './memory-tables.js';
import { nonAuthUserId, removeUserIdMapping } from './userid-mapping.js';
import { index } from './users.js';

/**
 * A user with every login method, and everything kept under any of its ids (under a mapped id's
 * external id, as the real core keeps it), and their id mappings.
 */
export function removeUser(tables: AppTables, user: UserRecord): void {
  tables.users.delete(user.id);
  const ids = new Set([user.id]);
  for (const method of user.loginMethods) {
    ids.add(method.recipeUserId);
    tables.primaryOf.delete(method.recipeUserId);
    index(tables, method, 'delete');
  }
  for (const [tokenHash, token] of tables.resetTokens) {
    if (ids.has(token.userId)) tables.resetTokens.delete(tokenHash);
  }
  for (const id of ids) {
    const dataId = nonAuthUserId(tables, id);
    if (dataId !== undefined) removeUserData(tables, dataId);
    removeWebAuthnLogin(tables, id);
    removeUserIdMapping(tables, id);
  }
}

/** A webauthn login's passkeys and account-recovery tokens (they go with its recipe user). */
export function removeWebAuthnLogin(tables: AppTables, recipeUserId: string): void {
  for (const [k, credential] of tables.webauthnCredentials) {
    if (credential.userId === recipeUserId) tables.webauthnCredentials.delete(k);
  }
  for (const [k, token] of tables.webauthnRecoveryTokens) {
    if (token.userId === recipeUserId) tables.webauthnRecoveryTokens.delete(k);
  }
}

/** The sessions, email verification, roles, metadata and TOTP state kept under one user id. */
export function removeUserData(tables: AppTables, userId: string): void {
  removeSessions(tables, [...(tables.sessionsByUser.get(userId) ?? [])]);
  for (const entry of tables.verifiedEmails) {
    if (entry.startsWith(`${userId}\n`)) tables.verifiedEmails.delete(entry);
  }
  for (const [tokenKey, token] of tables.verificationTokens) {
    if (token.userId === userId) tables.verificationTokens.delete(tokenKey);
  }
  for (const roleKey of tables.userRoles.keys()) {
    if (roleKey.endsWith(`\n${userId}`)) tables.userRoles.delete(roleKey);
  }
  tables.metadata.delete(userId);
  tables.totpUsers.delete(userId);
}

/** A recipe user leaving a tenant, and the id its non-auth data is kept under. */
interface LeavingUser {
  recipeUserId: string;
  dataUserId: string;
}

/**
 * The sessions, role assignments and email-verification tokens of a tenant (of one user there,
 * if given): what leaves with the tenant, or with the user's membership. Whether any did.
 */
export function removeTenantData(
  tables: AppTables,
  tenantId: string,
  leaving?: LeavingUser,
): boolean {
  const dataUserId = leaving?.dataUserId;
  const prefix = key(tenantId, '');
  const sessions =
    dataUserId === undefined
      ? [...tables.sessions.values()]
      : [...(tables.sessionsByUser.get(dataUserId) ?? [])].map((h) => tables.sessions.get(h)!);
  let removed =
    removeSessions(
      tables,
      sessions.filter((x) => x.tenantId === tenantId).map((x) => x.handle),
    ).length > 0;
  for (const k of [...tables.userRoles.keys()]) {
    if (k.startsWith(prefix) && (dataUserId === undefined || k === key(tenantId, dataUserId))) {
      removed = tables.userRoles.delete(k) || removed;
    }
  }
  for (const [k, token] of [...tables.verificationTokens]) {
    if (k.startsWith(prefix) && (dataUserId === undefined || token.userId === dataUserId)) {
      removed = tables.verificationTokens.delete(k) || removed;
    }
  }
  // So do the account-recovery tokens (kept under the recipe user's own id) and, with the
  // tenant, the WebAuthn options made there.
  for (const [k, token] of [...tables.webauthnRecoveryTokens]) {
    if (
      token.tenantId === tenantId &&
      (leaving === undefined || token.userId === leaving.recipeUserId)
    ) {
      tables.webauthnRecoveryTokens.delete(k);
    }
  }
  if (leaving === undefined) {
    for (const [k, options] of [...tables.webauthnOptions]) {
      if (options.tenantId === tenantId) tables.webauthnOptions.delete(k);
    }
  }
  // The TOTP codes tried there go too (not counted: the devices are the app's, as in the real core).
  for (const [userId, totp] of tables.totpUsers) {
    if (dataUserId === undefined || userId === dataUserId) totp.usedCodes.delete(tenantId);
  }
  return removed;
}

export function removeSessions(tables: AppTables, handles: string[]): string[] {
  const removed: string[] = [];
  for (const handle of handles) {
    const session = tables.sessions.get(handle);
    if (!session) continue;
    tables.sessions.delete(handle);
    const byUser = tables.sessionsByUser.get(session.recipeUserId);
    byUser?.delete(handle);
    if (byUser?.size === 0) tables.sessionsByUser.delete(session.recipeUserId);
    removed.push(handle);
  }
  return removed;
}
