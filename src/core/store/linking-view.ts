import type { LoginMethodRecord, ThirdPartyInfo, UserRecord } from './records.js';
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
