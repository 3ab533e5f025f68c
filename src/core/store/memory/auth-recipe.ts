import type { LoginMethodRecord, UserRecord } from '../records.js';
import { userTimeJoined } from '../records.js';
import type { AuthRecipeStorage, UserListQuery } from '../store.interface.js';
import type { MemoryTables } from './memory-tables.js';
import { removeUser } from './removal.js';
import { copyUser, lookupKeys, userOf } from './users.js';

/** The real core caps a search at this many hits. */
const SEARCH_CAP = 1000;

export function memoryAuthRecipe(memory: MemoryTables): AuthRecipeStorage {
  return {
    getUser(appId, userId) {
      const user = userOf(memory.app(appId), userId);
      return Promise.resolve(user && copyUser(user));
    },

    findUsers(appId, tenantId, query) {
      const tables = memory.app(appId);
      const recipeUserIds = new Set<string>();
      for (const lookup of lookupKeys(query)) {
        for (const id of tables.accountIndex.get(lookup) ?? []) recipeUserIds.add(id);
      }
      const found = new Map<string, UserRecord>();
      for (const recipeUserId of recipeUserIds) {
        const primaryId = tables.primaryOf.get(recipeUserId);
        const user = primaryId === undefined ? undefined : tables.users.get(primaryId);
        const method = user?.loginMethods.find((m) => m.recipeUserId === recipeUserId);
        if (user && method?.tenantIds.includes(tenantId)) found.set(user.id, user);
      }
      const users = [...found.values()].map(copyUser);
      users.sort((a, b) => userTimeJoined(a) - userTimeJoined(b));
      return Promise.resolve(users);
    },

    listUsers(appId, query) {
      const { tenantId, search, from } = query;
      const recipeIds = search ? undefined : query.recipeIds;
      const direction = query.order === 'ASC' ? 1 : -1;
      const inTenant = (m: LoginMethodRecord): boolean =>
        m.tenantIds.includes(tenantId) &&
        (recipeIds === undefined || recipeIds.includes(m.recipeId));
      const matches = (m: LoginMethodRecord): boolean => !search || matchesSearch(m, search);
      const users = [...memory.app(appId).users.values()]
        .filter((u) => u.loginMethods.some((m) => inTenant(m) && matches(m)))
        .map((user) => ({ user, joined: userTimeJoined(user) }))
        .filter(
          ({ user, joined }) =>
            !from ||
            direction * (joined - from.timeJoined) > 0 ||
            (joined === from.timeJoined && user.id <= from.userId),
        )
        .sort((a, b) => direction * (a.joined - b.joined) || (a.user.id < b.user.id ? 1 : -1));
      const limit = search ? SEARCH_CAP : query.limit;
      return Promise.resolve(users.slice(0, limit).map(({ user }) => copyUser(user)));
    },

    countUsers(appId, tenantId, recipeIds) {
      let count = 0;
      for (const user of memory.app(appId).users.values()) {
        const counted = user.loginMethods.some(
          (m) =>
            (tenantId === undefined || m.tenantIds.includes(tenantId)) &&
            (recipeIds === undefined || recipeIds.includes(m.recipeId)),
        );
        if (counted) count++;
      }
      return Promise.resolve(count);
    },

    deleteUser(appId, userId) {
      const tables = memory.app(appId);
      const user = userOf(tables, userId);
      if (user) removeUser(tables, user);
      return Promise.resolve(user !== undefined);
    },
  };
}

/** Search semantics of the real core's `GET /users` (kinds AND-ed, tags of one kind OR-ed). */
function matchesSearch(
  method: LoginMethodRecord,
  { emails, phones, providers }: NonNullable<UserListQuery['search']>,
): boolean {
  const email = method.email;
  const phone = method.phoneNumber;
  if (emails.length > 0) {
    if (email === undefined) return false;
    if (!emails.some((tag) => email.startsWith(tag) || email.includes(`@${tag}`))) return false;
  }
  if (phones.length > 0) {
    if (phone === undefined || !phones.some((tag) => phone.startsWith(tag))) return false;
  }
  if (providers.length > 0) {
    const provider = method.thirdParty?.id;
    if (provider === undefined || !providers.some((tag) => provider.startsWith(tag))) return false;
  }
  return true;
}
