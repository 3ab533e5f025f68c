import type {
  DashboardSessionRecord,
  DashboardUserRecord,
  LinkChange,
  LoginMethodRecord,
  PasswordlessCodeRecord,
  PasswordlessDeviceRecord,
  SessionRecord,
  RecipeId,
  SigningKeyRecord,
  TenantAssociation,
  TenantConfigRecord,
  ThirdPartyInfo,
  ThirdPartyProviderRecord,
  TokenRecord,
  UserRecord,
} from './records.js';

/** Looks up users by the account info they log in with, inside one tenant. */
export interface AccountInfoQuery {
  email?: string;
  phoneNumber?: string;
  thirdParty?: ThirdPartyInfo;
}

/**
 * What account linking's checks read (`Store.changeLinks`): the users named and every user that
 * shares an email, phone number or third-party login with them, in any tenant of the app.
 */
export interface LinkingView {
  /** By primary or recipe user id. */
  user(userId: string): UserRecord | undefined;
  /** Users with a login method having any of these (any tenant). */
  usersWith(info: AccountInfoQuery): UserRecord[];
}

/** What a linking check decided: its answer, and the change to apply (none for a refusal). */
export interface LinkDecision<T> {
  result: T;
  change?: LinkChange;
}

/** A page of users for `GET /<t>/users` (docs/embedded-core.md, Users). */
export interface UserListQuery {
  tenantId: string;
  /** By timeJoined, then by user id descending. */
  order: 'ASC' | 'DESC';
  limit: number;
  /** Start at this user (inclusive): the decoded pagination token. */
  from?: { userId: string; timeJoined: number };
  /** Only users with a login method of these recipes in the tenant. */
  recipeIds?: RecipeId[];
  /**
   * Search tags, lower-cased. A login method matches when, for every kind given, one of its tags
   * matches: an email starting with the tag or with `@<tag>` in it, a phone number starting with
   * it, a third-party id starting with it.
   */
  search?: { emails: string[]; phones: string[]; providers: string[] };
}

/** A rate-limit counter: hits in the current window and when the window ends (epoch ms). */
export interface CounterState {
  count: number;
  resetAt: number;
}

/** The outcome of `Store.updatePasswordlessLogin`. */
export type PasswordlessLoginUpdate =
  | 'OK'
  | 'UNKNOWN_USER_ID'
  | 'EMAIL_ALREADY_EXISTS'
  | 'PHONE_NUMBER_ALREADY_EXISTS'
  | 'CLEARS_BOTH'
  /** The user is a primary user and another primary user has the new value in its tenants. */
  | 'EMAIL_CHANGE_NOT_ALLOWED'
  | 'PHONE_NUMBER_CHANGE_NOT_ALLOWED';

/** Finds one dashboard user by id or by (normalised) email. */
export type DashboardUserKey = { userId: string } | { email: string };

export type SessionPatch = Partial<
  Pick<
    SessionRecord,
    'refreshTokenHash2' | 'expiry' | 'userDataInJWT' | 'userDataInDatabase' | 'useStaticKey'
  >
>;

/**
 * Everything the embedded core stores, one app at a time. Handlers only talk to this interface,
 * so a durable store can replace the in-memory one without touching them. Every method that
 * checks and writes (uniqueness, compare-and-set, consume) must do so atomically: two concurrent
 * sign-ups for one email must end with exactly one user.
 */
export interface Store {
  hasApp(appId: string): Promise<boolean>;
  createApp(appId: string): Promise<void>;
  /** Every app, `public` first, then in creation order. */
  listApps(): Promise<string[]>;
  /** Deletes an app (never `public`) with all its data; false when there was none. */
  deleteApp(appId: string): Promise<boolean>;
  hasTenant(appId: string, tenantId: string): Promise<boolean>;
  createTenant(appId: string, tenantId: string): Promise<void>;
  /** A tenant's set-up, or undefined for a tenant that does not exist. */
  getTenantConfig(appId: string, tenantId: string): Promise<TenantConfigRecord | undefined>;
  /** Every tenant of the app with its set-up, `public` first, then in creation order. */
  listTenantConfigs(appId: string): Promise<TenantConfigRecord[]>;
  /**
   * Creates the tenant with this set-up or replaces an existing one's (its third-party providers
   * stay as they are); true when it was created.
   */
  putTenantConfig(
    appId: string,
    config: Omit<TenantConfigRecord, 'thirdPartyProviders'>,
  ): Promise<boolean>;
  /**
   * Replaces a tenant's third-party providers with what `change` makes of them, atomically (two
   * concurrent changes of different providers both land). `change` throws to refuse. False when
   * there is no such tenant.
   */
  updateThirdPartyProviders(
    appId: string,
    tenantId: string,
    change: (providers: ThirdPartyProviderRecord[]) => ThirdPartyProviderRecord[],
  ): Promise<boolean>;
  /**
   * Deletes a tenant (never `public`) and everything scoped to it: its sessions, role
   * assignments, email-verification tokens, passwordless devices and its users' membership.
   * Users stay in the app. False when there was no such tenant.
   */
  deleteTenant(appId: string, tenantId: string): Promise<boolean>;
  /**
   * Makes a recipe user a member of the tenant too, unless its email or phone number is taken
   * there by a login of the same recipe. Atomic with sign-ups in that tenant.
   */
  associateUserWithTenant(
    appId: string,
    tenantId: string,
    recipeUserId: string,
  ): Promise<TenantAssociation>;
  /**
   * Ends a recipe user's membership of a tenant, with its sessions, roles and email-verification
   * tokens there. Whether anything was removed, or `UNKNOWN_USER_ID`.
   */
  disassociateUserFromTenant(
    appId: string,
    tenantId: string,
    recipeUserId: string,
  ): Promise<boolean | 'UNKNOWN_USER_ID'>;

  /**
   * The app's value under `name` (such as the refresh-token key), stored from `create` on first
   * use and never changed; concurrent first uses all get the one value that was stored.
   */
  getOrCreateAppValue(appId: string, name: string, create: () => string): Promise<string>;
  listSigningKeys(appId: string): Promise<SigningKeyRecord[]>;
  /**
   * Adds `key` unless a key of its type created at or after `since` exists (for a static key:
   * any static key). Atomic across processes, so two instances rotating at once add one key.
   * Returns whether it was added.
   */
  addSigningKeyUnlessFresh(appId: string, key: SigningKeyRecord, since: number): Promise<boolean>;
  removeSigningKeys(appId: string, kids: string[]): Promise<void>;

  /** By primary or recipe user id. */
  getUser(appId: string, userId: string): Promise<UserRecord | undefined>;
  /** Users with a login method in `tenantId` matching any given field (sorted by timeJoined). */
  findUsers(appId: string, tenantId: string, query: AccountInfoQuery): Promise<UserRecord[]>;
  /** Creates a new user unless an emailpassword login with that email exists in the tenant. */
  createEmailPasswordUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord,
  ): Promise<'OK' | 'EMAIL_ALREADY_EXISTS'>;
  /**
   * Third-party sign-in-up, atomic per tenant: the existing login of this provider user in the
   * tenant (its email updated when the provider reports another one), or a new user with
   * `loginMethod` (which carries the new recipe user id).
   */
  signInUpThirdPartyUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord & { thirdParty: ThirdPartyInfo; email: string },
  ): Promise<{ createdNewUser: boolean; recipeUserId: string } | 'EMAIL_CHANGE_NOT_ALLOWED'>;
  updateEmailPasswordLogin(
    appId: string,
    recipeUserId: string,
    patch: { email?: string; passwordHash?: string },
  ): Promise<'OK' | 'UNKNOWN_USER_ID' | 'EMAIL_ALREADY_EXISTS' | 'EMAIL_CHANGE_NOT_ALLOWED'>;
  /**
   * Changes a passwordless login's email and/or phone number (`null` clears one; both may not end
   * up empty). Unique per tenant among passwordless logins.
   */
  updatePasswordlessLogin(
    appId: string,
    recipeUserId: string,
    patch: { email?: string | null; phoneNumber?: string | null },
  ): Promise<PasswordlessLoginUpdate>;
  /** Users of a tenant in order (see `UserListQuery`), at most `limit`. */
  listUsers(appId: string, query: UserListQuery): Promise<UserRecord[]>;
  /** Distinct users with a login method in the tenant (any tenant when undefined). */
  countUsers(appId: string, tenantId: string | undefined, recipeIds?: RecipeId[]): Promise<number>;
  listTenants(appId: string): Promise<string[]>;
  /**
   * Removes the user (with every linked login method) and all its sessions, tokens, roles,
   * metadata and verification state, kept under any of its ids; false if unknown.
   */
  deleteUser(appId: string, userId: string): Promise<boolean>;
  /**
   * Account linking's check-then-write: loads the users `userIds` name (primary or recipe ids)
   * and every user sharing account info with them, runs `decide` on that view and applies the
   * change it returns, atomically with every other linking change. `decide` throws to refuse.
   */
  changeLinks<T>(
    appId: string,
    userIds: string[],
    decide: (view: LinkingView) => LinkDecision<T>,
  ): Promise<T>;

  addPasswordResetToken(appId: string, token: TokenRecord): Promise<void>;
  /** Deletes every reset token of the token's user and returns the matched one, if any. */
  consumePasswordResetToken(appId: string, tokenHash: string): Promise<TokenRecord | undefined>;

  isEmailVerified(appId: string, recipeUserId: string, email: string): Promise<boolean>;
  setEmailVerified(
    appId: string,
    recipeUserId: string,
    email: string,
    verified: boolean,
  ): Promise<void>;
  addEmailVerificationToken(appId: string, tenantId: string, token: TokenRecord): Promise<void>;
  /** Deletes every token of the matched (user, email) pair in the tenant and returns the match. */
  consumeEmailVerificationToken(
    appId: string,
    tenantId: string,
    tokenHash: string,
  ): Promise<TokenRecord | undefined>;
  removeEmailVerificationTokens(
    appId: string,
    tenantId: string,
    userId: string,
    email: string,
  ): Promise<void>;

  getUserRoles(appId: string, tenantId: string, userId: string): Promise<string[]>;
  /** undefined when the role does not exist. */
  getRolePermissions(appId: string, role: string): Promise<string[] | undefined>;
  /** Creates the role or adds (never removes) permissions; true if it was created. */
  upsertRole(appId: string, role: string, permissions: string[]): Promise<boolean>;
  /** Deletes the role and takes it from every user in every tenant; false if it did not exist. */
  deleteRole(appId: string, role: string): Promise<boolean>;
  listRoles(appId: string): Promise<string[]>;
  /** Removes these permissions (all when undefined); false if the role does not exist. */
  removeRolePermissions(appId: string, role: string, permissions?: string[]): Promise<boolean>;
  rolesWithPermission(appId: string, permission: string): Promise<string[]>;
  /** Whether the user already had the role; undefined when the role does not exist. */
  addUserRole(
    appId: string,
    tenantId: string,
    userId: string,
    role: string,
  ): Promise<boolean | undefined>;
  /** Whether the user had the role; undefined when the role does not exist. */
  removeUserRole(
    appId: string,
    tenantId: string,
    userId: string,
    role: string,
  ): Promise<boolean | undefined>;
  /** undefined when the role does not exist. */
  usersWithRole(appId: string, tenantId: string, role: string): Promise<string[] | undefined>;

  getUserMetadata(appId: string, userId: string): Promise<Record<string, unknown>>;
  /** Shallow merge: each top-level key is replaced, `null` removes it. Returns the result. */
  mergeUserMetadata(
    appId: string,
    userId: string,
    update: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
  deleteUserMetadata(appId: string, userId: string): Promise<void>;

  /**
   * Adds a code: to a new device (`newDevice`) or to the existing device `preAuthSessionId`.
   * Fails when that device is gone or already has a code with the same link code (which is the
   * same user input code).
   */
  addPasswordlessCode(
    appId: string,
    preAuthSessionId: string,
    code: PasswordlessCodeRecord,
    newDevice?: PasswordlessDeviceRecord,
  ): Promise<'OK' | 'UNKNOWN_DEVICE' | 'CODE_ALREADY_USED'>;
  getPasswordlessDevice(
    appId: string,
    preAuthSessionId: string,
  ): Promise<PasswordlessDeviceRecord | undefined>;
  /** The device holding the code with this link-code hash. */
  findDeviceByLinkCodeHash(
    appId: string,
    linkCodeHash: string,
  ): Promise<PasswordlessDeviceRecord | undefined>;
  /** Devices of a tenant for this email or phone number. */
  findPasswordlessDevices(
    appId: string,
    tenantId: string,
    contact: AccountInfoQuery,
  ): Promise<PasswordlessDeviceRecord[]>;
  /** Adds a failed attempt; returns the new count, or undefined when the device is gone. */
  addFailedAttempt(appId: string, preAuthSessionId: string): Promise<number | undefined>;
  /** Deletes the devices with their codes; returns the ids that existed (claim-by-delete). */
  deletePasswordlessDevices(appId: string, preAuthSessionIds: string[]): Promise<string[]>;
  /** Removes one code; a device left without codes is removed too. */
  removePasswordlessCode(appId: string, codeId: string): Promise<void>;
  /**
   * The passwordless user of this tenant with the email or phone number, created (with
   * `loginMethod`) when there is none. Atomic: two concurrent first sign-ins make one user.
   */
  signInUpPasswordlessUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord,
  ): Promise<{ user: UserRecord; recipeUserId: string; createdNewUser: boolean }>;

  /**
   * Stores a new session and returns it with `userId` resolved from `recipeUserId` (its primary
   * user when linked, else itself), found by the same statement that inserts it.
   */
  createSession(appId: string, session: Omit<SessionRecord, 'userId'>): Promise<SessionRecord>;
  getSession(appId: string, handle: string): Promise<SessionRecord | undefined>;
  /**
   * Applies `patch`; with `expectedRefreshTokenHash2` only if the stored hash still equals it
   * (compare-and-set for refresh-token rotation). Returns whether the session was updated.
   */
  updateSession(
    appId: string,
    handle: string,
    patch: SessionPatch,
    expectedRefreshTokenHash2?: string,
  ): Promise<boolean>;
  /** Deletes the sessions that exist and returns their handles. */
  deleteSessions(appId: string, handles: string[]): Promise<string[]>;
  /** Handles of the sessions of these recipe user ids, optionally in one tenant only. */
  listSessionHandles(appId: string, userIds: string[], tenantId?: string): Promise<string[]>;
  createDashboardUser(
    appId: string,
    user: DashboardUserRecord,
  ): Promise<'OK' | 'EMAIL_ALREADY_EXISTS'>;
  getDashboardUser(appId: string, key: DashboardUserKey): Promise<DashboardUserRecord | undefined>;
  updateDashboardUser(
    appId: string,
    userId: string,
    patch: { email?: string; passwordHash?: string },
  ): Promise<'OK' | 'UNKNOWN_USER' | 'EMAIL_ALREADY_EXISTS'>;
  /** Deletes the dashboard user and its sessions; false if unknown. */
  deleteDashboardUser(appId: string, key: DashboardUserKey): Promise<boolean>;
  /** Sorted by timeJoined. */
  listDashboardUsers(appId: string): Promise<DashboardUserRecord[]>;
  createDashboardSession(appId: string, session: DashboardSessionRecord): Promise<void>;
  getDashboardSession(
    appId: string,
    sessionId: string,
  ): Promise<DashboardSessionRecord | undefined>;
  deleteDashboardSession(appId: string, sessionId: string): Promise<void>;
  listDashboardSessions(appId: string, userId: string): Promise<DashboardSessionRecord[]>;

  /**
   * Adds one to the counter `key` (at most 512 characters) and returns it. A counter that does
   * not exist or whose window ended before `now` starts again at 1 with a window ending at
   * `now + windowMs`. Atomic across processes. The module's rate limits keep their counters here.
   */
  hitCounter(key: string, windowMs: number, now: number): Promise<CounterState>;
  /** The counter `key` if its window has not ended. */
  getCounter(key: string, now: number): Promise<CounterState | undefined>;
  deleteCounter(key: string): Promise<void>;

  /**
   * The real core's cleanup crons: drops sessions, dashboard sessions and tokens that expired
   * before `now`, counters whose window ended, and passwordless devices whose every code was
   * created before `codesCreatedBefore`.
   */
  deleteExpired(now: number, codesCreatedBefore: number): Promise<void>;

  /** Releases connections and files; the store is unusable afterwards. */
  close(): Promise<void>;
}
