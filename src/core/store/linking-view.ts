import {
  type LoginMethodRecord,
  type TenantAssociation,
  type ThirdPartyInfo,
  type UserRecord,
  userTenantIds,
} from './records.js';
import type { AccountInfoQuery, LinkingView } from './store.interface.js';

/** Whether a login method has any of the account info asked for. */
export const hasAccountInfo = (method: LoginMethodRecord, info: AccountInfoQuery): boolean =>
  (info.email !== undefined && method.email === info.email) ||
  (info.phoneNumber !== undefined && method.phoneNumber === info.phoneNumber) ||
  (info.thirdParty !== undefined &&
    method.thirdParty?.id === info.thirdParty.id &&
    method.thirdParty.userId === info.thirdParty.userId);

/** Every email, phone number and third-party login of these users' login methods. */
export function accountInfoOf(users: UserRecord[]): {
  emails: string[];
  phoneNumbers: string[];
  thirdParties: ThirdPartyInfo[];
} {
  const methods = users.flatMap((u) => u.loginMethods);
  const distinct = (values: (string | undefined)[]) => [
    ...new Set(values.filter((v): v is string => v !== undefined)),
  ];
  return {
    emails: distinct(methods.map((m) => m.email)),
    phoneNumbers: distinct(methods.map((m) => m.phoneNumber)),
    thirdParties: methods.flatMap((m) => (m.thirdParty ? [m.thirdParty] : [])),
  };
}

/** The view `Store.changeLinks` hands to a decision, over users a store has loaded. */
export function linkingView(users: UserRecord[]): LinkingView {
  const byId = new Map<string, UserRecord>();
  for (const user of users) {
    byId.set(user.id, user);
    for (const method of user.loginMethods) byId.set(method.recipeUserId, user);
  }
  return {
    user: (userId) => byId.get(userId),
    usersWith: (info) =>
      users.filter((user) => user.loginMethods.some((m) => hasAccountInfo(m, info))),
  };
}

/**
 * Whether another primary user shares account info with `user` (a primary user) in one of its
 * tenants. `candidates` are the users having the new email or phone number: the real core's check
 * before it changes a primary user's email or phone number (EMAIL_CHANGE_NOT_ALLOWED_ERROR).
 */
export function clashesWithPrimary(user: UserRecord, candidates: UserRecord[]): boolean {
  if (!user.isPrimaryUser) return false;
  const tenants = userTenantIds(user);
  return candidates.some(
    (other) =>
      other.isPrimaryUser &&
      other.id !== user.id &&
      userTenantIds(other).some((t) => tenants.includes(t)),
  );
}

/**
 * The real core's check (Multitenancy.addUserIdToTenant) before a primary user's login method
 * joins `tenantId`: another user there with one of its emails (a primary one), phone numbers or
 * third-party logins is a duplicate when a login method of the same recipe has it, else
 * ASSOCIATION_NOT_ALLOWED. `related` are the users sharing account info with `user`.
 */
export function associationClash(
  user: UserRecord,
  recipeUserId: string,
  tenantId: string,
  related: UserRecord[],
): TenantAssociation | undefined {
  if (!user.isPrimaryUser) return undefined;
  const { emails, phoneNumbers, thirdParties } = accountInfoOf([user]);
  const kinds = [
    ['email', emails.map((email) => ({ email })), 'EMAIL_ALREADY_EXISTS', true],
    [
      'phone number',
      phoneNumbers.map((phoneNumber) => ({ phoneNumber })),
      'PHONE_NUMBER_ALREADY_EXISTS',
      false,
    ],
    [
      'third party info',
      thirdParties.map((thirdParty) => ({ thirdParty })),
      'THIRD_PARTY_USER_ALREADY_EXISTS',
      false,
    ],
  ] as const;
  for (const [what, infos, duplicate, primaryOnly] of kinds) {
    for (const info of infos) {
      for (const other of related) {
        if (other.id === user.id || other.id === recipeUserId) continue;
        if (primaryOnly && !other.isPrimaryUser) continue;
        if (!other.loginMethods.some((m) => hasAccountInfo(m, info))) continue;
        if (!userTenantIds(other).includes(tenantId)) continue;
        const sameLogin = other.loginMethods.some(
          (theirs) =>
            theirs.tenantIds.includes(tenantId) &&
            hasAccountInfo(theirs, info) &&
            user.loginMethods.some(
              (ours) => ours.recipeId === theirs.recipeId && hasAccountInfo(ours, info),
            ),
        );
        return sameLogin
          ? duplicate
          : { notAllowed: `Another primary user with ${what} already exists: ${other.id}` };
      }
    }
  }
  return undefined;
}
