import type { JsonObject } from '../http/json-input.js';
import type { UserRecord } from '../store/records.js';
import type { Store } from '../store/store.interface.js';

/** The CDI user object (spec §2): arrays always present, `verified` per (recipe user, email). */
export async function userView(store: Store, appId: string, user: UserRecord): Promise<JsonObject> {
  const methods = [...user.loginMethods].sort((a, b) => a.timeJoined - b.timeJoined);
  const loginMethods = await Promise.all(
    methods.map(async (m) => ({
      tenantIds: m.tenantIds,
      recipeUserId: m.recipeUserId,
      // A login method without an email has nothing to verify: the real core reports it verified.
      verified:
        m.email === undefined ? true : await store.isEmailVerified(appId, m.recipeUserId, m.email),
      timeJoined: m.timeJoined,
      recipeId: m.recipeId,
      ...(m.email !== undefined && { email: m.email }),
      ...(m.phoneNumber !== undefined && { phoneNumber: m.phoneNumber }),
    })),
  );
  const distinct = (values: (string | undefined)[]): string[] => [
    ...new Set(values.filter((v): v is string => v !== undefined)),
  ];
  return {
    id: user.id,
    isPrimaryUser: user.isPrimaryUser,
    tenantIds: distinct(methods.flatMap((m) => m.tenantIds)),
    timeJoined: methods[0]?.timeJoined ?? 0,
    emails: distinct(methods.map((m) => m.email)),
    phoneNumbers: distinct(methods.map((m) => m.phoneNumber)),
    thirdParty: [],
    webauthn: { credentialIds: [] },
    loginMethods,
  };
}
