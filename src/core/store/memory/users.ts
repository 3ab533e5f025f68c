import type { LoginMethodRecord, ThirdPartyInfo, UserRecord } from '../records.js';
import type { AccountInfoQuery } from '../store.interface.js';
import type { AppTables } from './memory-tables.js';

export const copyUser = (user: UserRecord): UserRecord => structuredClone(user);

export const thirdPartyKey = (info: ThirdPartyInfo): string => `tp:${info.id}\n${info.userId}`;

/** The account-index keys of an email, phone number and third-party login (those given). */
export function lookupKeys(info: AccountInfoQuery): string[] {
  const keys: string[] = [];
  if (info.email !== undefined) keys.push(`email:${info.email}`);
  if (info.phoneNumber !== undefined) keys.push(`phone:${info.phoneNumber}`);
  if (info.thirdParty !== undefined) keys.push(thirdPartyKey(info.thirdParty));
  return keys;
}

/** The user a primary or recipe user id belongs to. */
export function userOf(tables: AppTables, userId: string): UserRecord | undefined {
  return tables.users.get(tables.primaryOf.get(userId) ?? userId);
}

export function loginMethod(
  tables: AppTables,
  recipeUserId: string,
): LoginMethodRecord | undefined {
  const primaryId = tables.primaryOf.get(recipeUserId);
  const user = primaryId === undefined ? undefined : tables.users.get(primaryId);
  return user?.loginMethods.find((m) => m.recipeUserId === recipeUserId);
}

/** Users having any of this account info (any tenant). */
export function usersWith(tables: AppTables, lookups: string[]): UserRecord[] {
  const found = new Map<string, UserRecord>();
  for (const lookup of lookups) {
    for (const recipeUserId of tables.accountIndex.get(lookup) ?? []) {
      const user = userOf(tables, recipeUserId);
      if (user) found.set(user.id, user);
    }
  }
  return [...found.values()];
}

/** These users and every user sharing an email, phone number or third-party login with them. */
export function relatedUsers(tables: AppTables, users: UserRecord[]): UserRecord[] {
  const related = usersWith(
    tables,
    users.flatMap((u) => u.loginMethods.flatMap(lookupKeys)),
  );
  return [...new Map([...users, ...related].map((u) => [u.id, u])).values()];
}

/**
 * The recipe user (other than `except`) with a `recipeId` login method found under `lookup`
 * (`email:<e>` / `phone:<p>`) in any of `tenantIds`: the uniqueness rule of every sign-up.
 */
export function owner(
  tables: AppTables,
  lookup: string,
  recipeId: LoginMethodRecord['recipeId'],
  tenantIds: string[],
  except?: string,
): string | undefined {
  for (const recipeUserId of tables.accountIndex.get(lookup) ?? []) {
    if (recipeUserId === except) continue;
    const method = loginMethod(tables, recipeUserId);
    if (method?.recipeId === recipeId && method.tenantIds.some((t) => tenantIds.includes(t))) {
      return recipeUserId;
    }
  }
  return undefined;
}

/** A new user with its single login method, indexed by its account info. */
export function insertUser(tables: AppTables, method: LoginMethodRecord): UserRecord {
  const user: UserRecord = {
    id: method.recipeUserId,
    isPrimaryUser: false,
    loginMethods: [{ ...method }],
  };
  tables.users.set(user.id, user);
  tables.primaryOf.set(method.recipeUserId, user.id);
  index(tables, method, 'add');
  return user;
}

export function index(tables: AppTables, method: LoginMethodRecord, op: 'add' | 'delete'): void {
  for (const entry of lookupKeys(method)) {
    let ids = tables.accountIndex.get(entry);
    if (op === 'add') {
      if (!ids) tables.accountIndex.set(entry, (ids = new Set()));
      ids.add(method.recipeUserId);
    } else if (ids) {
      ids.delete(method.recipeUserId);
      if (ids.size === 0) tables.accountIndex.delete(entry);
    }
  }
}
