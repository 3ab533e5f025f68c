import type { LinkChange } from '../records.js';
import type { AccountLinkingStorage } from '../store.interface.js';
import { linkingView } from '../linking-view.js';
import type { AppTables, MemoryTables } from './memory-tables.js';
import { removeUser, removeUserData, removeWebAuthnLogin } from './removal.js';
import { nonAuthUserId, removeUserIdMapping } from './userid-mapping.js';
import { copyUser, index, relatedUsers, userOf } from './users.js';

export function memoryAccountLinking(memory: MemoryTables): AccountLinkingStorage {
  return {
    changeLinks(appId, userIds, decide) {
      const tables = memory.app(appId);
      const named = userIds.flatMap((id) => userOf(tables, id) ?? []);
      // Decided and applied without an await in between: atomic (see `MemoryTables`). What
      // `decide` throws rejects the promise.
      return new Promise((resolve) => {
        const { result, change } = decide(linkingView(relatedUsers(tables, named).map(copyUser)));
        if (change) applyLinkChange(tables, change);
        resolve(result);
      });
    },
  };
}

function applyLinkChange(tables: AppTables, change: LinkChange): void {
  if (change.kind === 'make-primary') {
    tables.users.get(change.userId)!.isPrimaryUser = true;
  } else if (change.kind === 'link') {
    const recipe = tables.users.get(change.recipeUserId)!;
    tables.users.get(change.primaryUserId)!.loginMethods.push(...recipe.loginMethods);
    tables.users.delete(recipe.id);
    tables.primaryOf.set(recipe.id, change.primaryUserId);
  } else if (change.kind === 'unlink') {
    const id = change.recipeUserId;
    const primary = userOf(tables, id)!;
    if (primary.id === id) {
      primary.isPrimaryUser = false;
      return;
    }
    const method = primary.loginMethods.find((m) => m.recipeUserId === id)!;
    primary.loginMethods = primary.loginMethods.filter((m) => m !== method);
    if (primary.loginMethods.length === 0) tables.users.delete(primary.id);
    tables.users.set(id, { id, isPrimaryUser: false, loginMethods: [method] });
    tables.primaryOf.set(id, id);
  } else {
    removeLoginMethod(tables, change.recipeUserId);
  }
}

/**
 * The real core's deletion of one login method (`removeAllLinkedAccounts: false`): its recipe
 * data, and unless it is the primary user's own (whose id lives on), its sessions, roles,
 * metadata and verification state. The last login method takes the whole user with it.
 */
function removeLoginMethod(tables: AppTables, recipeUserId: string): void {
  const user = userOf(tables, recipeUserId);
  if (!user) return;
  if (user.loginMethods.length === 1) {
    removeUser(tables, user);
    return;
  }
  const method = user.loginMethods.find((m) => m.recipeUserId === recipeUserId);
  if (!method) return;
  user.loginMethods = user.loginMethods.filter((m) => m !== method);
  tables.primaryOf.delete(recipeUserId);
  index(tables, method, 'delete');
  for (const [tokenHash, token] of tables.resetTokens) {
    if (token.userId === recipeUserId) tables.resetTokens.delete(tokenHash);
  }
  removeWebAuthnLogin(tables, recipeUserId);
  if (recipeUserId !== user.id) {
    const dataId = nonAuthUserId(tables, recipeUserId);
    if (dataId !== undefined) removeUserData(tables, dataId);
    removeUserIdMapping(tables, recipeUserId);
  }
}
