import type { JsonObject } from './http/json-input.js';
import { isJsonObject } from './http/json-input.js';
import type {
  DashboardSessionRecord,
  DashboardUserRecord,
  PasswordlessDeviceRecord,
  SessionRecord,
  UserRecord,
  TenantConfigRecord,
  ThirdPartyProviderRecord,
  TotpDeviceRecord,
  WebAuthnCredentialRecord,
  WebAuthnOptionsRecord,
} from './store/records.js';
import type { AuthRecipeStorage } from './store/storage/auth-recipe.storage.js';
import type { EmailVerificationStorage } from './store/storage/emailverification.storage.js';
import type { UserIdMappingStorage } from './store/storage/userid-mapping.storage.js';
import type { DashboardUserOutcome } from './dashboard/dashboard.service.js';
import type { SignedIn } from './emailpassword/emailpassword.service.js';
import type { IssuedCode, SignedInUp } from './passwordless/passwordless.service.js';
import type { IssuedTokens, SessionIdentity, VerifiedSession } from './sessions/session.service.js';
import type { LinkOutcome, PrimaryUserOutcome } from './accountlinking/account-linking.service.js';

/**
 * Every JSON body the embedded core answers with that carries a record is shaped here, in the
 * real core's field order (docs/embedded-core.md, "How a request is answered"). Services return
 * records and `status` outcomes; routes hand them to these views. Bodies that are only a
 * `status` (and maybe a message) pass through as the services return them.
 */

/** What a user's view reads: the verified state of its emails and its ids' external ids. */
type UserViewStorage = EmailVerificationStorage & Pick<UserIdMappingStorage, 'externalUserIds'>;

/** External ids by SuperTokens id: what the views answer with in place of a mapped id. */
type ExternalIds = Map<string, string>;

async function externalIdsOf(
  store: UserViewStorage,
  appId: string,
  users: UserRecord[],
): Promise<ExternalIds> {
  const ids = users.flatMap((u) => [u.id, ...u.loginMethods.map((m) => m.recipeUserId)]);
  return store.externalUserIds(appId, [...new Set(ids)]);
}

/**
 * The CDI user object: arrays always present, `verified` per (recipe user, email), and every
 * mapped id (the user's, each login method's) answered as its external id. `ownIdOnly`: only
 * the user's own id is (the real core's primary-user creation).
 */
async function userJson(
  store: UserViewStorage,
  appId: string,
  user: UserRecord,
  external: ExternalIds,
  ownIdOnly = false,
): Promise<JsonObject> {
  const shown = (id: string): string =>
    ownIdOnly && id !== user.id ? id : (external.get(id) ?? id);
  const methods = [...user.loginMethods].sort((a, b) => a.timeJoined - b.timeJoined);
  const loginMethods = await Promise.all(
    methods.map(async (m) => ({
      tenantIds: m.tenantIds,
      recipeUserId: shown(m.recipeUserId),
      // A login method without an email has nothing to verify: the real core reports it
      // verified. A mapped user's verification is kept under its external id.
      verified:
        m.email === undefined
          ? true
          : await store.isEmailVerified(
              appId,
              external.get(m.recipeUserId) ?? m.recipeUserId,
              m.email,
            ),
      timeJoined: m.timeJoined,
      recipeId: m.recipeId,
      ...(m.email !== undefined && { email: m.email }),
      ...(m.phoneNumber !== undefined && { phoneNumber: m.phoneNumber }),
      ...(m.thirdParty !== undefined && {
        thirdParty: { id: m.thirdParty.id, userId: m.thirdParty.userId },
      }),
      ...(m.webauthn !== undefined && {
        webauthn: { credentialIds: [...m.webauthn.credentialIds] },
      }),
    })),
  );
  const thirdParty = new Map(
    methods
      .filter((m) => m.thirdParty !== undefined)
      .map((m) => [`${m.thirdParty!.id}\n${m.thirdParty!.userId}`, { ...m.thirdParty! }]),
  );
  const distinct = (values: (string | undefined)[]): string[] => [
    ...new Set(values.filter((v): v is string => v !== undefined)),
  ];
  return {
    id: shown(user.id),
    isPrimaryUser: user.isPrimaryUser,
    tenantIds: distinct(methods.flatMap((m) => m.tenantIds)),
    timeJoined: methods[0]?.timeJoined ?? 0,
    emails: distinct(methods.map((m) => m.email)),
    phoneNumbers: distinct(methods.map((m) => m.phoneNumber)),
    thirdParty: [...thirdParty.values()],
    webauthn: { credentialIds: distinct(methods.flatMap((m) => m.webauthn?.credentialIds ?? [])) },
    loginMethods,
  };
}

/** One user as the CDI shows it (see `userJson`). */
export async function userView(
  store: UserViewStorage,
  appId: string,
  user: UserRecord,
): Promise<JsonObject> {
  return userJson(store, appId, user, await externalIdsOf(store, appId, [user]));
}

/** Several users, in order, their ids' mappings read at once. */
export async function usersView(
  store: UserViewStorage,
  appId: string,
  users: UserRecord[],
): Promise<JsonObject[]> {
  const external = await externalIdsOf(store, appId, users);
  return Promise.all(users.map((u) => userJson(store, appId, u, external)));
}

/** A recipe user id an auth API answers with: its external id, if mapped. */
export async function recipeUserIdView(
  store: UserViewStorage,
  appId: string,
  recipeUserId: string,
): Promise<string> {
  return (await store.externalUserIds(appId, [recipeUserId])).get(recipeUserId) ?? recipeUserId;
}

/** Primary-user check and creation; a check answers without the user, as the real core. */
export async function primaryUserView(
  store: AuthRecipeStorage & UserViewStorage,
  appId: string,
  outcome: PrimaryUserOutcome,
  withUser: boolean,
): Promise<JsonObject> {
  if (outcome.status !== 'OK') {
    return {
      ...outcome,
      primaryUserId: await recipeUserIdView(store, appId, outcome.primaryUserId),
    };
  }
  const { user } = outcome;
  return {
    status: 'OK',
    wasAlreadyAPrimaryUser: outcome.wasAlreadyAPrimaryUser,
    // The real core maps only the user's own id here, its other login methods' stay.
    ...(withUser && {
      user: await userJson(store, appId, user, await externalIdsOf(store, appId, [user]), true),
    }),
  };
}

/** Link check and link; a check answers without the user, as the real core. */
export async function linkView(
  store: AuthRecipeStorage & UserViewStorage,
  appId: string,
  outcome: LinkOutcome,
  withUser: boolean,
): Promise<JsonObject> {
  switch (outcome.status) {
    case 'OK': {
      const user = withUser ? await store.getUser(appId, outcome.primaryUserId) : undefined;
      return {
        status: 'OK',
        accountsAlreadyLinked: outcome.accountsAlreadyLinked,
        ...(user && { user: await userView(store, appId, user) }),
      };
    }
    case 'RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR':
      return {
        status: outcome.status,
        primaryUserId: await recipeUserIdView(store, appId, outcome.primaryUserId),
        description: outcome.description,
        ...(withUser && { user: await userView(store, appId, outcome.user) }),
      };
    case 'ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR':
      return {
        ...outcome,
        primaryUserId: await recipeUserIdView(store, appId, outcome.primaryUserId),
      };
    default:
      return { ...outcome };
  }
}

/** EmailPassword sign up or in: the user and the login method used. */
export const signedInView = async (
  store: UserViewStorage,
  appId: string,
  s: SignedIn,
): Promise<JsonObject> => ({
  status: 'OK',
  user: await userView(store, appId, s.user),
  recipeUserId: await recipeUserIdView(store, appId, s.recipeUserId),
});

/** The `session` object of create, verify, refresh and regenerate. */
export const sessionView = (s: SessionIdentity): JsonObject => ({
  handle: s.handle,
  userId: s.userId,
  recipeUserId: s.recipeUserId,
  userDataInJWT: s.userDataInJWT,
  tenantId: s.tenantId,
});

/** Create and refresh: the session with its new tokens. */
export const tokensView = (t: IssuedTokens): JsonObject => ({
  status: 'OK',
  session: sessionView(t.session),
  accessToken: t.accessToken,
  refreshToken: t.refreshToken,
  ...(t.antiCsrfToken !== undefined && { antiCsrfToken: t.antiCsrfToken }),
});

/** Verify and regenerate: the session, and its new access token if it needed one. */
export const verifiedView = (v: VerifiedSession): JsonObject => ({
  status: 'OK',
  session: sessionView(v.session),
  ...(v.accessToken !== undefined && { accessToken: v.accessToken }),
});

/** `GET /recipe/session`: everything stored about one session. */
export const sessionInfoView = (s: SessionRecord): JsonObject => ({
  status: 'OK',
  sessionHandle: s.handle,
  userId: s.userId,
  recipeUserId: s.recipeUserId,
  userDataInDatabase: s.userDataInDatabase,
  expiry: s.expiry,
  userDataInJWT: s.userDataInJWT,
  timeCreated: s.timeCreated,
  tenantId: s.tenantId,
});

/** `TOKEN_THEFT_DETECTED`: the session a superseded refresh token belonged to. */
export const theftView = (s: SessionRecord): JsonObject => ({
  status: 'TOKEN_THEFT_DETECTED',
  session: { handle: s.handle, userId: s.userId, recipeUserId: s.recipeUserId },
});

/** `POST /recipe/signinup/code`: the new code, with the secrets only its caller ever sees. */
export const issuedCodeView = (issued: IssuedCode, codeLifetime: number): JsonObject => ({
  status: 'OK',
  preAuthSessionId: issued.preAuthSessionId,
  codeId: issued.code.codeId,
  deviceId: issued.deviceId,
  userInputCode: issued.userInputCode,
  linkCode: issued.linkCode,
  timeCreated: issued.code.timeCreated,
  codeLifetime,
});

/** The device a consume or check used up. */
export const consumedDeviceView = (device: PasswordlessDeviceRecord): JsonObject => ({
  preAuthSessionId: device.preAuthSessionId,
  failedCodeInputAttemptCount: device.failedAttempts,
  ...(device.email !== undefined && { email: device.email }),
  ...(device.phoneNumber !== undefined && { phoneNumber: device.phoneNumber }),
});

/** A consumed code's sign-in or sign-up. */
export const signedInUpView = async (
  store: UserViewStorage,
  appId: string,
  s: SignedInUp,
): Promise<JsonObject> => ({
  status: 'OK',
  createdNewUser: s.createdNewUser,
  user: await userView(store, appId, s.user),
  recipeUserId: await recipeUserIdView(store, appId, s.recipeUserId),
  consumedDevice: consumedDeviceView(s.consumedDevice),
});

/** A device of `GET /recipe/signinup/codes`, with its live codes. */
export const deviceView = (device: PasswordlessDeviceRecord, codeLifetime: number): JsonObject => ({
  ...consumedDeviceView(device),
  codes: device.codes.map((c) => ({
    codeId: c.codeId,
    timeCreated: c.timeCreated,
    codeLifetime,
  })),
});

/** Object members that are `null` dropped at every depth (array items kept), as Gson writes them. */
function withoutNullMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullMembers);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNullMembers(v)]),
  );
}

/** A provider as `GET …/tenant/v2` shows it (the real core's `Provider.toJson()`). */
export function providerView(p: ThirdPartyProviderRecord): JsonObject {
  const view: JsonObject = {
    thirdPartyId: p.thirdPartyId,
    name: p.name,
    clients: p.clients.map((c) => ({
      clientType: c.clientType,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      scope: c.scope,
      forcePKCE: c.forcePKCE,
      additionalConfig: c.additionalConfig && withoutNullMembers(c.additionalConfig),
    })),
    authorizationEndpoint: p.authorizationEndpoint,
    // These four keep their null values.
    authorizationEndpointQueryParams: p.authorizationEndpointQueryParams,
    tokenEndpoint: p.tokenEndpoint,
    tokenEndpointBodyParams: p.tokenEndpointBodyParams,
    userInfoEndpoint: p.userInfoEndpoint,
    userInfoEndpointQueryParams: p.userInfoEndpointQueryParams,
    userInfoEndpointHeaders: p.userInfoEndpointHeaders,
    jwksURI: p.jwksURI,
    oidcDiscoveryEndpoint: p.oidcDiscoveryEndpoint,
    requireEmail: p.requireEmail,
    userInfoMap: p.userInfoMap,
  };
  // JSON.stringify leaves out the undefined fields, as Gson leaves out nulls.
  return view;
}

/** A tenant's set-up as the real core shows it (v2): factors only when set. */
export const tenantView = (config: TenantConfigRecord): JsonObject => ({
  tenantId: config.tenantId,
  thirdParty: { providers: config.thirdPartyProviders.map(providerView) },
  ...(config.firstFactors !== null && { firstFactors: config.firstFactors }),
  ...(config.requiredSecondaryFactors !== null && {
    requiredSecondaryFactors: config.requiredSecondaryFactors,
  }),
  coreConfig: config.coreConfig,
});

/** A dashboard login, without its password hash. */
export const dashboardUserView = ({
  email,
  userId,
  timeJoined,
}: DashboardUserRecord): JsonObject => ({
  email,
  userId,
  timeJoined,
});

/** Create and update of a dashboard login. */
export const dashboardUserOutcomeView = (o: DashboardUserOutcome): JsonObject =>
  o.status === 'OK' ? { status: 'OK', user: dashboardUserView(o.user) } : { ...o };

export const dashboardSessionView = (s: DashboardSessionRecord): JsonObject => ({
  userId: s.userId,
  sessionId: s.sessionId,
  timeCreated: s.timeCreated,
  expiry: s.expiry,
});

/** `GET /recipe/totp/device/list`: each device without its secret. */
export const totpDevicesView = (devices: TotpDeviceRecord[]): JsonObject[] =>
  devices.map((d) => ({ name: d.name, period: d.period, skew: d.skew, verified: d.verified }));

/** `GET /recipe/webauthn/options`: the stored options, `status` first (`email: null` to sign in). */
export const webAuthnOptionsView = (o: WebAuthnOptionsRecord): JsonObject => ({
  status: 'OK',
  webauthnGeneratedOptionsId: o.id,
  relyingPartyId: o.relyingPartyId,
  relyingPartyName: o.relyingPartyName,
  challenge: o.challenge,
  timeout: o.expiresAt - o.createdAt,
  origin: o.origin,
  email: o.email ?? null,
  createdAt: o.createdAt,
  expiresAt: o.expiresAt,
  userVerification: o.userVerification,
  userPresence: o.userPresenceRequired,
});

/**
 * A passkey as `credential/list` lists it (and, with `updatedAt`, as `GET credential` answers),
 * under the recipe user id the caller asked with.
 */
export const webAuthnCredentialView = (
  c: WebAuthnCredentialRecord,
  recipeUserId: string,
  withUpdatedAt = false,
): JsonObject => ({
  webauthnCredentialId: c.id,
  recipeUserId,
  relyingPartyId: c.relyingPartyId,
  createdAt: c.createdAt,
  ...(withUpdatedAt && { updatedAt: c.updatedAt }),
});
