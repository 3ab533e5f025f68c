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
import { defaultTenantConfig, userTimeJoined } from './records.js';
import type {
  AccountInfoQuery,
  DashboardUserKey,
  LinkDecision,
  LinkingView,
  PasswordlessLoginUpdate,
  SessionPatch,
  Store,
  UserListQuery,
  CounterState,
} from './store.interface.js';
import { nextCounter } from './counter.js';
import { associationClash, clashesWithPrimary, linkingView } from './linking-view.js';

const key = (...parts: string[]): string => parts.join('\n');

/** One app's tables. */
class AppTables {
  /** tenant id → its set-up, in creation order (`public` first) */
  readonly tenants = new Map<string, TenantConfigRecord>([
    ['public', defaultTenantConfig('public')],
  ]);
  readonly values = new Map<string, string>();
  readonly signingKeys = new Map<string, SigningKeyRecord>();
  /** primary user id → user */
  readonly users = new Map<string, UserRecord>();
  /** recipe user id → primary user id */
  readonly primaryOf = new Map<string, string>();
  /** `email:<e>` / `phone:<p>` / `tp:<provider>\n<user id>` → recipe user ids having it */
  readonly accountIndex = new Map<string, Set<string>>();
  readonly resetTokens = new Map<string, TokenRecord>();
  /** `<recipeUserId>\n<email>` */
  readonly verifiedEmails = new Set<string>();
  /** `<tenant>\n<tokenHash>` → token */
  readonly verificationTokens = new Map<string, TokenRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly sessionsByUser = new Map<string, Set<string>>();
  /** `<tenant>\n<userId>` → roles */
  readonly userRoles = new Map<string, Set<string>>();
  readonly rolePermissions = new Map<string, Set<string>>();
  readonly metadata = new Map<string, Record<string, unknown>>();
  /** preAuthSessionId → passwordless device */
  readonly devices = new Map<string, PasswordlessDeviceRecord>();
  /** dashboard user id → dashboard user */
  readonly dashboardUsers = new Map<string, DashboardUserRecord>();
  readonly dashboardSessions = new Map<string, DashboardSessionRecord>();
}

/** The real core caps a search at this many hits. */
const SEARCH_CAP = 1000;

const copyUser = (user: UserRecord): UserRecord => structuredClone(user);

/**
 * The default store: everything in this process's memory, gone when it exits. Node runs each
 * method's body without interruption, so check-and-write methods are atomic as long as they do not
 * await in between (none does).
 */
export class MemoryStore implements Store {
  private readonly apps = new Map<string, AppTables>([['public', new AppTables()]]);
  /** Rate-limit counters (not per app: the module names its keys). */
  private readonly counters = new Map<string, CounterState>();

  private app(appId: string): AppTables {
    const tables = this.apps.get(appId);
    if (!tables) throw new Error(`Unknown app ${appId}`);
    return tables;
  }

  hasApp(appId: string): Promise<boolean> {
    return Promise.resolve(this.apps.has(appId));
  }

  createApp(appId: string): Promise<void> {
    if (!this.apps.has(appId)) this.apps.set(appId, new AppTables());
    return Promise.resolve();
  }

  listApps(): Promise<string[]> {
    return Promise.resolve([...this.apps.keys()]);
  }

  deleteApp(appId: string): Promise<boolean> {
    return Promise.resolve(appId !== 'public' && this.apps.delete(appId));
  }

  hasTenant(appId: string, tenantId: string): Promise<boolean> {
    return Promise.resolve(this.apps.get(appId)?.tenants.has(tenantId) ?? false);
  }

  createTenant(appId: string, tenantId: string): Promise<void> {
    const tenants = this.app(appId).tenants;
    if (!tenants.has(tenantId)) tenants.set(tenantId, defaultTenantConfig(tenantId));
    return Promise.resolve();
  }

  getTenantConfig(appId: string, tenantId: string): Promise<TenantConfigRecord | undefined> {
    const config = this.apps.get(appId)?.tenants.get(tenantId);
    return Promise.resolve(config && structuredClone(config));
  }

  listTenantConfigs(appId: string): Promise<TenantConfigRecord[]> {
    return Promise.resolve([...this.app(appId).tenants.values()].map((c) => structuredClone(c)));
  }

  putTenantConfig(
    appId: string,
    config: Omit<TenantConfigRecord, 'thirdPartyProviders'>,
  ): Promise<boolean> {
    const tenants = this.app(appId).tenants;
    const existing = tenants.get(config.tenantId);
    tenants.set(config.tenantId, {
      ...structuredClone(config),
      thirdPartyProviders: existing?.thirdPartyProviders ?? [],
    });
    return Promise.resolve(existing === undefined);
  }

  updateThirdPartyProviders(
    appId: string,
    tenantId: string,
    change: (providers: ThirdPartyProviderRecord[]) => ThirdPartyProviderRecord[],
  ): Promise<boolean> {
    const tenant = this.app(appId).tenants.get(tenantId);
    if (!tenant) return Promise.resolve(false);
    // Synchronous, so atomic; what `change` throws rejects the promise.
    return new Promise((resolve) => {
      tenant.thirdPartyProviders = structuredClone(
        change(structuredClone(tenant.thirdPartyProviders)),
      );
      resolve(true);
    });
  }

  deleteTenant(appId: string, tenantId: string): Promise<boolean> {
    const tables = this.app(appId);
    if (tenantId === 'public' || !tables.tenants.delete(tenantId)) return Promise.resolve(false);
    for (const user of tables.users.values()) {
      for (const method of user.loginMethods) {
        method.tenantIds = method.tenantIds.filter((t) => t !== tenantId);
      }
    }
    this.removeTenantData(tables, tenantId);
    for (const [id, device] of tables.devices) {
      if (device.tenantId === tenantId) tables.devices.delete(id);
    }
    return Promise.resolve(true);
  }

  associateUserWithTenant(
    appId: string,
    tenantId: string,
    recipeUserId: string,
  ): Promise<TenantAssociation> {
    const tables = this.app(appId);
    const method = this.loginMethod(tables, recipeUserId);
    if (!method) return Promise.resolve('UNKNOWN_USER_ID');
    const user = this.userOf(tables, recipeUserId)!;
    const clash =
      user.isPrimaryUser &&
      associationClash(user, recipeUserId, tenantId, this.relatedUsers(tables, [user]));
    if (clash) return Promise.resolve(clash);
    if (method.tenantIds.includes(tenantId)) return Promise.resolve('ALREADY_ASSOCIATED');
    const taken = (lookup: string) =>
      this.owner(tables, lookup, method.recipeId, [tenantId], recipeUserId) !== undefined;
    // A third-party login is unique by provider user, not by email.
    if (
      method.recipeId !== 'thirdparty' &&
      method.email !== undefined &&
      taken(`email:${method.email}`)
    ) {
      return Promise.resolve('EMAIL_ALREADY_EXISTS');
    }
    if (method.phoneNumber !== undefined && taken(`phone:${method.phoneNumber}`)) {
      return Promise.resolve('PHONE_NUMBER_ALREADY_EXISTS');
    }
    if (method.thirdParty !== undefined && taken(thirdPartyKey(method.thirdParty))) {
      return Promise.resolve('THIRD_PARTY_USER_ALREADY_EXISTS');
    }
    method.tenantIds.push(tenantId);
    return Promise.resolve('OK');
  }

  disassociateUserFromTenant(
    appId: string,
    tenantId: string,
    recipeUserId: string,
  ): Promise<boolean | 'UNKNOWN_USER_ID'> {
    const tables = this.app(appId);
    const method = this.loginMethod(tables, recipeUserId);
    if (!method) return Promise.resolve('UNKNOWN_USER_ID');
    let removed = this.removeTenantData(tables, tenantId, recipeUserId);
    if (method.tenantIds.includes(tenantId)) {
      method.tenantIds = method.tenantIds.filter((t) => t !== tenantId);
      removed = true;
    }
    return Promise.resolve(removed);
  }

  getOrCreateAppValue(appId: string, name: string, create: () => string): Promise<string> {
    const values = this.app(appId).values;
    let value = values.get(name);
    if (value === undefined) values.set(name, (value = create()));
    return Promise.resolve(value);
  }

  listSigningKeys(appId: string): Promise<SigningKeyRecord[]> {
    return Promise.resolve([...this.app(appId).signingKeys.values()].map((k) => ({ ...k })));
  }

  addSigningKeyUnlessFresh(
    appId: string,
    signingKey: SigningKeyRecord,
    since: number,
  ): Promise<boolean> {
    const keys = this.app(appId).signingKeys;
    const fresh = [...keys.values()].some(
      (k) => k.type === signingKey.type && (k.type === 'static' || k.createdAt >= since),
    );
    if (!fresh) keys.set(signingKey.kid, { ...signingKey });
    return Promise.resolve(!fresh);
  }

  removeSigningKeys(appId: string, kids: string[]): Promise<void> {
    const tables = this.app(appId);
    for (const kid of kids) tables.signingKeys.delete(kid);
    return Promise.resolve();
  }

  getUser(appId: string, userId: string): Promise<UserRecord | undefined> {
    const tables = this.app(appId);
    const user = tables.users.get(tables.primaryOf.get(userId) ?? userId);
    return Promise.resolve(user && copyUser(user));
  }

  findUsers(appId: string, tenantId: string, query: AccountInfoQuery): Promise<UserRecord[]> {
    const tables = this.app(appId);
    const recipeUserIds = new Set<string>();
    const lookups = lookupKeys(query);
    for (const lookup of lookups) {
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
  }

  createEmailPasswordUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord,
  ): Promise<'OK' | 'EMAIL_ALREADY_EXISTS'> {
    const tables = this.app(appId);
    const email = `email:${loginMethod.email ?? ''}`;
    if (this.owner(tables, email, 'emailpassword', [tenantId]) !== undefined) {
      return Promise.resolve('EMAIL_ALREADY_EXISTS');
    }
    this.insertUser(tables, loginMethod);
    return Promise.resolve('OK');
  }

  signInUpThirdPartyUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord & { thirdParty: ThirdPartyInfo; email: string },
  ): Promise<{ createdNewUser: boolean; recipeUserId: string } | 'EMAIL_CHANGE_NOT_ALLOWED'> {
    const tables = this.app(appId);
    const existing = this.owner(tables, thirdPartyKey(loginMethod.thirdParty), 'thirdparty', [
      tenantId,
    ]);
    if (existing === undefined) {
      this.insertUser(tables, loginMethod);
      return Promise.resolve({ createdNewUser: true, recipeUserId: loginMethod.recipeUserId });
    }
    const method = this.loginMethod(tables, existing)!;
    if (method.email !== loginMethod.email) {
      const user = this.userOf(tables, existing)!;
      if (clashesWithPrimary(user, this.usersWith(tables, [`email:${loginMethod.email}`]))) {
        return Promise.resolve('EMAIL_CHANGE_NOT_ALLOWED');
      }
      this.index(tables, method, 'delete');
      method.email = loginMethod.email;
      this.index(tables, method, 'add');
    }
    return Promise.resolve({ createdNewUser: false, recipeUserId: existing });
  }

  updateEmailPasswordLogin(
    appId: string,
    recipeUserId: string,
    patch: { email?: string; passwordHash?: string },
  ): Promise<'OK' | 'UNKNOWN_USER_ID' | 'EMAIL_ALREADY_EXISTS' | 'EMAIL_CHANGE_NOT_ALLOWED'> {
    const tables = this.app(appId);
    const method = this.loginMethod(tables, recipeUserId);
    if (!method || method.recipeId !== 'emailpassword') return Promise.resolve('UNKNOWN_USER_ID');
    const { email } = patch;
    const user = this.userOf(tables, recipeUserId)!;
    if (
      email !== undefined &&
      clashesWithPrimary(user, this.usersWith(tables, [`email:${email}`]))
    ) {
      return Promise.resolve('EMAIL_CHANGE_NOT_ALLOWED');
    }
    if (email !== undefined && email !== method.email) {
      const owner = this.owner(
        tables,
        `email:${email}`,
        'emailpassword',
        method.tenantIds,
        recipeUserId,
      );
      if (owner !== undefined) return Promise.resolve('EMAIL_ALREADY_EXISTS');
      this.index(tables, method, 'delete');
      method.email = email;
      this.index(tables, method, 'add');
    }
    if (patch.passwordHash !== undefined) method.passwordHash = patch.passwordHash;
    return Promise.resolve('OK');
  }

  updatePasswordlessLogin(
    appId: string,
    recipeUserId: string,
    patch: { email?: string | null; phoneNumber?: string | null },
  ): Promise<PasswordlessLoginUpdate> {
    const tables = this.app(appId);
    const method = this.loginMethod(tables, recipeUserId);
    if (!method || method.recipeId !== 'passwordless') return Promise.resolve('UNKNOWN_USER_ID');
    const email = patch.email === undefined ? method.email : (patch.email ?? undefined);
    const phoneNumber =
      patch.phoneNumber === undefined ? method.phoneNumber : (patch.phoneNumber ?? undefined);
    if (email === undefined && phoneNumber === undefined) return Promise.resolve('CLEARS_BOTH');
    const takenBy = (lookup: string): boolean =>
      this.owner(tables, lookup, 'passwordless', method.tenantIds, recipeUserId) !== undefined;
    const user = this.userOf(tables, recipeUserId)!;
    const clashes = (lookup: string) => clashesWithPrimary(user, this.usersWith(tables, [lookup]));
    // In the real core's order: each changed value's primary-user check, then its uniqueness.
    if (email !== method.email && email !== undefined) {
      if (clashes(`email:${email}`)) return Promise.resolve('EMAIL_CHANGE_NOT_ALLOWED');
      if (takenBy(`email:${email}`)) return Promise.resolve('EMAIL_ALREADY_EXISTS');
    }
    if (phoneNumber !== method.phoneNumber && phoneNumber !== undefined) {
      if (clashes(`phone:${phoneNumber}`)) {
        return Promise.resolve('PHONE_NUMBER_CHANGE_NOT_ALLOWED');
      }
      if (takenBy(`phone:${phoneNumber}`)) return Promise.resolve('PHONE_NUMBER_ALREADY_EXISTS');
    }
    this.index(tables, method, 'delete');
    if (email === undefined) delete method.email;
    else method.email = email;
    if (phoneNumber === undefined) delete method.phoneNumber;
    else method.phoneNumber = phoneNumber;
    this.index(tables, method, 'add');
    return Promise.resolve('OK');
  }

  listUsers(appId: string, query: UserListQuery): Promise<UserRecord[]> {
    const { tenantId, search, from } = query;
    const recipeIds = search ? undefined : query.recipeIds;
    const direction = query.order === 'ASC' ? 1 : -1;
    const inTenant = (m: LoginMethodRecord): boolean =>
      m.tenantIds.includes(tenantId) && (recipeIds === undefined || recipeIds.includes(m.recipeId));
    const matches = (m: LoginMethodRecord): boolean => !search || matchesSearch(m, search);
    const users = [...this.app(appId).users.values()]
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
  }

  countUsers(appId: string, tenantId: string | undefined, recipeIds?: RecipeId[]): Promise<number> {
    let count = 0;
    for (const user of this.app(appId).users.values()) {
      const counted = user.loginMethods.some(
        (m) =>
          (tenantId === undefined || m.tenantIds.includes(tenantId)) &&
          (recipeIds === undefined || recipeIds.includes(m.recipeId)),
      );
      if (counted) count++;
    }
    return Promise.resolve(count);
  }

  listTenants(appId: string): Promise<string[]> {
    return Promise.resolve([...this.app(appId).tenants.keys()]);
  }

  deleteUser(appId: string, userId: string): Promise<boolean> {
    const tables = this.app(appId);
    const user = tables.users.get(tables.primaryOf.get(userId) ?? userId);
    if (user) this.removeUser(tables, user);
    return Promise.resolve(user !== undefined);
  }

  changeLinks<T>(
    appId: string,
    userIds: string[],
    decide: (view: LinkingView) => LinkDecision<T>,
  ): Promise<T> {
    const tables = this.app(appId);
    const named = userIds.flatMap((id) => this.userOf(tables, id) ?? []);
    // Decided and applied without an await in between: atomic (see the class comment). What
    // `decide` throws rejects the promise.
    return new Promise((resolve) => {
      const { result, change } = decide(
        linkingView(this.relatedUsers(tables, named).map(copyUser)),
      );
      if (change) this.applyLinkChange(tables, change);
      resolve(result);
    });
  }

  addPasswordResetToken(appId: string, token: TokenRecord): Promise<void> {
    this.app(appId).resetTokens.set(token.tokenHash, { ...token });
    return Promise.resolve();
  }

  consumePasswordResetToken(appId: string, tokenHash: string): Promise<TokenRecord | undefined> {
    const tables = this.app(appId);
    const token = tables.resetTokens.get(tokenHash);
    if (token) {
      for (const [hash, other] of tables.resetTokens) {
        if (other.userId === token.userId) tables.resetTokens.delete(hash);
      }
    }
    return Promise.resolve(token);
  }

  isEmailVerified(appId: string, recipeUserId: string, email: string): Promise<boolean> {
    return Promise.resolve(this.app(appId).verifiedEmails.has(key(recipeUserId, email)));
  }

  setEmailVerified(
    appId: string,
    recipeUserId: string,
    email: string,
    verified: boolean,
  ): Promise<void> {
    const set = this.app(appId).verifiedEmails;
    if (verified) set.add(key(recipeUserId, email));
    else set.delete(key(recipeUserId, email));
    return Promise.resolve();
  }

  addEmailVerificationToken(appId: string, tenantId: string, token: TokenRecord): Promise<void> {
    this.app(appId).verificationTokens.set(key(tenantId, token.tokenHash), { ...token });
    return Promise.resolve();
  }

  consumeEmailVerificationToken(
    appId: string,
    tenantId: string,
    tokenHash: string,
  ): Promise<TokenRecord | undefined> {
    const tables = this.app(appId);
    const token = tables.verificationTokens.get(key(tenantId, tokenHash));
    if (token) this.dropVerificationTokens(tables, tenantId, token.userId, token.email);
    return Promise.resolve(token);
  }

  removeEmailVerificationTokens(
    appId: string,
    tenantId: string,
    userId: string,
    email: string,
  ): Promise<void> {
    this.dropVerificationTokens(this.app(appId), tenantId, userId, email);
    return Promise.resolve();
  }

  getUserRoles(appId: string, tenantId: string, userId: string): Promise<string[]> {
    return Promise.resolve([...(this.app(appId).userRoles.get(key(tenantId, userId)) ?? [])]);
  }

  getRolePermissions(appId: string, role: string): Promise<string[] | undefined> {
    const permissions = this.app(appId).rolePermissions.get(role);
    return Promise.resolve(permissions && [...permissions]);
  }

  upsertRole(appId: string, role: string, permissions: string[]): Promise<boolean> {
    const roles = this.app(appId).rolePermissions;
    const existing = roles.get(role);
    if (existing) {
      for (const permission of permissions) existing.add(permission);
      return Promise.resolve(false);
    }
    roles.set(role, new Set(permissions));
    return Promise.resolve(true);
  }

  deleteRole(appId: string, role: string): Promise<boolean> {
    const tables = this.app(appId);
    const existed = tables.rolePermissions.delete(role);
    for (const [roleKey, roles] of tables.userRoles) {
      roles.delete(role);
      if (roles.size === 0) tables.userRoles.delete(roleKey);
    }
    return Promise.resolve(existed);
  }

  listRoles(appId: string): Promise<string[]> {
    return Promise.resolve([...this.app(appId).rolePermissions.keys()]);
  }

  removeRolePermissions(appId: string, role: string, permissions?: string[]): Promise<boolean> {
    const existing = this.app(appId).rolePermissions.get(role);
    if (!existing) return Promise.resolve(false);
    if (permissions === undefined) existing.clear();
    else for (const permission of permissions) existing.delete(permission);
    return Promise.resolve(true);
  }

  rolesWithPermission(appId: string, permission: string): Promise<string[]> {
    const roles = [...this.app(appId).rolePermissions].filter(([, p]) => p.has(permission));
    return Promise.resolve(roles.map(([role]) => role));
  }

  addUserRole(
    appId: string,
    tenantId: string,
    userId: string,
    role: string,
  ): Promise<boolean | undefined> {
    const tables = this.app(appId);
    if (!tables.rolePermissions.has(role)) return Promise.resolve(undefined);
    let roles = tables.userRoles.get(key(tenantId, userId));
    if (!roles) tables.userRoles.set(key(tenantId, userId), (roles = new Set()));
    const had = roles.has(role);
    roles.add(role);
    return Promise.resolve(had);
  }

  removeUserRole(
    appId: string,
    tenantId: string,
    userId: string,
    role: string,
  ): Promise<boolean | undefined> {
    const tables = this.app(appId);
    if (!tables.rolePermissions.has(role)) return Promise.resolve(undefined);
    const roles = tables.userRoles.get(key(tenantId, userId));
    const had = roles?.delete(role) ?? false;
    if (roles?.size === 0) tables.userRoles.delete(key(tenantId, userId));
    return Promise.resolve(had);
  }

  usersWithRole(appId: string, tenantId: string, role: string): Promise<string[] | undefined> {
    const tables = this.app(appId);
    if (!tables.rolePermissions.has(role)) return Promise.resolve(undefined);
    const users: string[] = [];
    for (const [roleKey, roles] of tables.userRoles) {
      if (roleKey.startsWith(`${tenantId}\n`) && roles.has(role))
        users.push(roleKey.slice(tenantId.length + 1));
    }
    return Promise.resolve(users);
  }

  getUserMetadata(appId: string, userId: string): Promise<Record<string, unknown>> {
    return Promise.resolve(structuredClone(this.app(appId).metadata.get(userId) ?? {}));
  }

  mergeUserMetadata(
    appId: string,
    userId: string,
    update: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const metadata = this.app(appId).metadata;
    const merged: Record<string, unknown> = { ...metadata.get(userId) };
    for (const [field, value] of Object.entries(structuredClone(update))) {
      if (value === null) delete merged[field];
      else merged[field] = value;
    }
    metadata.set(userId, merged);
    return Promise.resolve(structuredClone(merged));
  }

  deleteUserMetadata(appId: string, userId: string): Promise<void> {
    this.app(appId).metadata.delete(userId);
    return Promise.resolve();
  }

  addPasswordlessCode(
    appId: string,
    preAuthSessionId: string,
    code: PasswordlessCodeRecord,
    newDevice?: PasswordlessDeviceRecord,
  ): Promise<'OK' | 'UNKNOWN_DEVICE' | 'CODE_ALREADY_USED'> {
    const devices = this.app(appId).devices;
    if (newDevice) devices.set(preAuthSessionId, structuredClone({ ...newDevice, codes: [] }));
    const device = devices.get(preAuthSessionId);
    if (!device) return Promise.resolve('UNKNOWN_DEVICE');
    if (device.codes.some((c) => c.linkCodeHash === code.linkCodeHash)) {
      return Promise.resolve('CODE_ALREADY_USED');
    }
    device.codes.push({ ...code });
    return Promise.resolve('OK');
  }

  getPasswordlessDevice(
    appId: string,
    preAuthSessionId: string,
  ): Promise<PasswordlessDeviceRecord | undefined> {
    const device = this.app(appId).devices.get(preAuthSessionId);
    return Promise.resolve(device && structuredClone(device));
  }

  findDeviceByLinkCodeHash(
    appId: string,
    linkCodeHash: string,
  ): Promise<PasswordlessDeviceRecord | undefined> {
    for (const device of this.app(appId).devices.values()) {
      if (device.codes.some((c) => c.linkCodeHash === linkCodeHash))
        return Promise.resolve(structuredClone(device));
    }
    return Promise.resolve(undefined);
  }

  findPasswordlessDevices(
    appId: string,
    tenantId: string,
    contact: AccountInfoQuery,
  ): Promise<PasswordlessDeviceRecord[]> {
    const found = [...this.app(appId).devices.values()].filter(
      (d) =>
        d.tenantId === tenantId &&
        ((contact.email !== undefined && d.email === contact.email) ||
          (contact.phoneNumber !== undefined && d.phoneNumber === contact.phoneNumber)),
    );
    return Promise.resolve(found.map((d) => structuredClone(d)));
  }

  addFailedAttempt(appId: string, preAuthSessionId: string): Promise<number | undefined> {
    const device = this.app(appId).devices.get(preAuthSessionId);
    if (!device) return Promise.resolve(undefined);
    device.failedAttempts += 1;
    return Promise.resolve(device.failedAttempts);
  }

  deletePasswordlessDevices(appId: string, preAuthSessionIds: string[]): Promise<string[]> {
    const devices = this.app(appId).devices;
    return Promise.resolve([...new Set(preAuthSessionIds)].filter((id) => devices.delete(id)));
  }

  removePasswordlessCode(appId: string, codeId: string): Promise<void> {
    const devices = this.app(appId).devices;
    for (const [id, device] of devices) {
      const index = device.codes.findIndex((c) => c.codeId === codeId);
      if (index < 0) continue;
      device.codes.splice(index, 1);
      if (device.codes.length === 0) devices.delete(id);
    }
    return Promise.resolve();
  }

  signInUpPasswordlessUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord,
  ): Promise<{ user: UserRecord; recipeUserId: string; createdNewUser: boolean }> {
    const tables = this.app(appId);
    const lookup =
      loginMethod.email !== undefined
        ? `email:${loginMethod.email}`
        : `phone:${loginMethod.phoneNumber}`;
    const existing = this.owner(tables, lookup, 'passwordless', [tenantId]);
    if (existing !== undefined) {
      const user = tables.users.get(tables.primaryOf.get(existing)!)!;
      return Promise.resolve({
        user: copyUser(user),
        recipeUserId: existing,
        createdNewUser: false,
      });
    }
    const user = this.insertUser(tables, loginMethod);
    return Promise.resolve({ user: copyUser(user), recipeUserId: user.id, createdNewUser: true });
  }

  createSession(appId: string, session: Omit<SessionRecord, 'userId'>): Promise<SessionRecord> {
    const tables = this.app(appId);
    const { recipeUserId } = session;
    const userId = tables.users.get(tables.primaryOf.get(recipeUserId) ?? recipeUserId)?.id;
    const stored: SessionRecord = { ...session, userId: userId ?? recipeUserId };
    tables.sessions.set(session.handle, stored);
    let handles = tables.sessionsByUser.get(recipeUserId);
    if (!handles) tables.sessionsByUser.set(recipeUserId, (handles = new Set()));
    handles.add(session.handle);
    return Promise.resolve({ ...stored });
  }

  getSession(appId: string, handle: string): Promise<SessionRecord | undefined> {
    const session = this.app(appId).sessions.get(handle);
    return Promise.resolve(session && { ...session });
  }

  updateSession(
    appId: string,
    handle: string,
    patch: SessionPatch,
    expectedRefreshTokenHash2?: string,
  ): Promise<boolean> {
    const session = this.app(appId).sessions.get(handle);
    if (!session) return Promise.resolve(false);
    if (
      expectedRefreshTokenHash2 !== undefined &&
      session.refreshTokenHash2 !== expectedRefreshTokenHash2
    ) {
      return Promise.resolve(false);
    }
    Object.assign(session, patch);
    return Promise.resolve(true);
  }

  deleteSessions(appId: string, handles: string[]): Promise<string[]> {
    return Promise.resolve(this.removeSessions(this.app(appId), handles));
  }

  listSessionHandles(appId: string, userIds: string[], tenantId?: string): Promise<string[]> {
    const tables = this.app(appId);
    const handles: string[] = [];
    for (const userId of userIds) {
      for (const handle of tables.sessionsByUser.get(userId) ?? []) {
        const session = tables.sessions.get(handle);
        if (session && (tenantId === undefined || session.tenantId === tenantId))
          handles.push(handle);
      }
    }
    return Promise.resolve(handles);
  }

  createDashboardUser(
    appId: string,
    user: DashboardUserRecord,
  ): Promise<'OK' | 'EMAIL_ALREADY_EXISTS'> {
    const tables = this.app(appId);
    if (this.dashboardUser(tables, { email: user.email })) {
      return Promise.resolve('EMAIL_ALREADY_EXISTS');
    }
    tables.dashboardUsers.set(user.userId, { ...user });
    return Promise.resolve('OK');
  }

  getDashboardUser(
    appId: string,
    userKey: DashboardUserKey,
  ): Promise<DashboardUserRecord | undefined> {
    const user = this.dashboardUser(this.app(appId), userKey);
    return Promise.resolve(user && { ...user });
  }

  updateDashboardUser(
    appId: string,
    userId: string,
    patch: { email?: string; passwordHash?: string },
  ): Promise<'OK' | 'UNKNOWN_USER' | 'EMAIL_ALREADY_EXISTS'> {
    const tables = this.app(appId);
    const user = tables.dashboardUsers.get(userId);
    if (!user) return Promise.resolve('UNKNOWN_USER');
    if (patch.email !== undefined && patch.email !== user.email) {
      if (this.dashboardUser(tables, { email: patch.email })) {
        return Promise.resolve('EMAIL_ALREADY_EXISTS');
      }
      user.email = patch.email;
    }
    if (patch.passwordHash !== undefined) user.passwordHash = patch.passwordHash;
    return Promise.resolve('OK');
  }

  deleteDashboardUser(appId: string, userKey: DashboardUserKey): Promise<boolean> {
    const tables = this.app(appId);
    const user = this.dashboardUser(tables, userKey);
    if (!user) return Promise.resolve(false);
    tables.dashboardUsers.delete(user.userId);
    for (const [sessionId, session] of tables.dashboardSessions) {
      if (session.userId === user.userId) tables.dashboardSessions.delete(sessionId);
    }
    return Promise.resolve(true);
  }

  listDashboardUsers(appId: string): Promise<DashboardUserRecord[]> {
    const users = [...this.app(appId).dashboardUsers.values()].map((u) => ({ ...u }));
    return Promise.resolve(users.sort((a, b) => a.timeJoined - b.timeJoined));
  }

  createDashboardSession(appId: string, session: DashboardSessionRecord): Promise<void> {
    this.app(appId).dashboardSessions.set(session.sessionId, { ...session });
    return Promise.resolve();
  }

  getDashboardSession(
    appId: string,
    sessionId: string,
  ): Promise<DashboardSessionRecord | undefined> {
    const session = this.app(appId).dashboardSessions.get(sessionId);
    return Promise.resolve(session && { ...session });
  }

  deleteDashboardSession(appId: string, sessionId: string): Promise<void> {
    this.app(appId).dashboardSessions.delete(sessionId);
    return Promise.resolve();
  }

  listDashboardSessions(appId: string, userId: string): Promise<DashboardSessionRecord[]> {
    const sessions = [...this.app(appId).dashboardSessions.values()]
      .filter((s) => s.userId === userId)
      .map((s) => ({ ...s }));
    return Promise.resolve(sessions.sort((a, b) => a.timeCreated - b.timeCreated));
  }

  hitCounter(key: string, windowMs: number, now: number): Promise<CounterState> {
    const next = nextCounter(this.counters.get(key), windowMs, now);
    this.counters.set(key, next);
    return Promise.resolve({ ...next });
  }

  getCounter(key: string, now: number): Promise<CounterState | undefined> {
    const current = this.counters.get(key);
    return Promise.resolve(current && current.resetAt > now ? { ...current } : undefined);
  }

  deleteCounter(key: string): Promise<void> {
    this.counters.delete(key);
    return Promise.resolve();
  }

  deleteExpired(now: number, codesCreatedBefore: number): Promise<void> {
    for (const [key, counter] of this.counters) {
      if (counter.resetAt <= now) this.counters.delete(key);
    }
    for (const tables of this.apps.values()) {
      for (const [id, device] of tables.devices) {
        if (device.codes.every((c) => c.timeCreated < codesCreatedBefore))
          tables.devices.delete(id);
      }
      for (const [sessionId, session] of tables.dashboardSessions) {
        if (session.expiry < now) tables.dashboardSessions.delete(sessionId);
      }
      const expired = [...tables.sessions.values()]
        .filter((s) => s.expiry < now)
        .map((s) => s.handle);
      this.removeSessions(tables, expired);
      for (const [hash, token] of tables.resetTokens) {
        if (token.expiry < now) tables.resetTokens.delete(hash);
      }
      for (const [tokenKey, token] of tables.verificationTokens) {
        if (token.expiry < now) tables.verificationTokens.delete(tokenKey);
      }
    }
    return Promise.resolve();
  }

  /** Nothing to release: the data goes with the last reference to the store. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The user a primary or recipe user id belongs to. */
  private userOf(tables: AppTables, userId: string): UserRecord | undefined {
    return tables.users.get(tables.primaryOf.get(userId) ?? userId);
  }

  /** Users having any of this account info (any tenant). */
  private usersWith(tables: AppTables, lookups: string[]): UserRecord[] {
    const found = new Map<string, UserRecord>();
    for (const lookup of lookups) {
      for (const recipeUserId of tables.accountIndex.get(lookup) ?? []) {
        const user = this.userOf(tables, recipeUserId);
        if (user) found.set(user.id, user);
      }
    }
    return [...found.values()];
  }

  /** These users and every user sharing an email, phone number or third-party login with them. */
  private relatedUsers(tables: AppTables, users: UserRecord[]): UserRecord[] {
    const related = this.usersWith(
      tables,
      users.flatMap((u) => u.loginMethods.flatMap(lookupKeys)),
    );
    return [...new Map([...users, ...related].map((u) => [u.id, u])).values()];
  }

  private applyLinkChange(tables: AppTables, change: LinkChange): void {
    if (change.kind === 'make-primary') {
      tables.users.get(change.userId)!.isPrimaryUser = true;
    } else if (change.kind === 'link') {
      const recipe = tables.users.get(change.recipeUserId)!;
      tables.users.get(change.primaryUserId)!.loginMethods.push(...recipe.loginMethods);
      tables.users.delete(recipe.id);
      tables.primaryOf.set(recipe.id, change.primaryUserId);
    } else if (change.kind === 'unlink') {
      const id = change.recipeUserId;
      const primary = tables.users.get(tables.primaryOf.get(id) ?? id)!;
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
      this.removeLoginMethod(tables, change.recipeUserId);
    }
  }

  /**
   * The real core's deletion of one login method (`removeAllLinkedAccounts: false`): its recipe
   * data, and unless it is the primary user's own (whose id lives on), its sessions, roles,
   * metadata and verification state. The last login method takes the whole user with it.
   */
  private removeLoginMethod(tables: AppTables, recipeUserId: string): void {
    const user = tables.users.get(tables.primaryOf.get(recipeUserId) ?? recipeUserId);
    if (!user) return;
    if (user.loginMethods.length === 1) {
      this.removeUser(tables, user);
      return;
    }
    const method = user.loginMethods.find((m) => m.recipeUserId === recipeUserId);
    if (!method) return;
    user.loginMethods = user.loginMethods.filter((m) => m !== method);
    tables.primaryOf.delete(recipeUserId);
    this.index(tables, method, 'delete');
    for (const [tokenHash, token] of tables.resetTokens) {
      if (token.userId === recipeUserId) tables.resetTokens.delete(tokenHash);
    }
    if (recipeUserId !== user.id) this.removeUserData(tables, recipeUserId);
  }

  /** A user with every login method, and everything kept under any of its ids. */
  private removeUser(tables: AppTables, user: UserRecord): void {
    tables.users.delete(user.id);
    const ids = new Set([user.id]);
    for (const method of user.loginMethods) {
      ids.add(method.recipeUserId);
      tables.primaryOf.delete(method.recipeUserId);
      this.index(tables, method, 'delete');
    }
    for (const [tokenHash, token] of tables.resetTokens) {
      if (ids.has(token.userId)) tables.resetTokens.delete(tokenHash);
    }
    for (const id of ids) this.removeUserData(tables, id);
  }

  /** The sessions, email verification, roles and metadata kept under one user id. */
  private removeUserData(tables: AppTables, userId: string): void {
    this.removeSessions(tables, [...(tables.sessionsByUser.get(userId) ?? [])]);
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
  }

  private dashboardUser(
    tables: AppTables,
    userKey: DashboardUserKey,
  ): DashboardUserRecord | undefined {
    if ('userId' in userKey) return tables.dashboardUsers.get(userKey.userId);
    return [...tables.dashboardUsers.values()].find((u) => u.email === userKey.email);
  }

  private loginMethod(tables: AppTables, recipeUserId: string): LoginMethodRecord | undefined {
    const primaryId = tables.primaryOf.get(recipeUserId);
    const user = primaryId === undefined ? undefined : tables.users.get(primaryId);
    return user?.loginMethods.find((m) => m.recipeUserId === recipeUserId);
  }

  /**
   * The recipe user (other than `except`) with a `recipeId` login method found under `lookup`
   * (`email:<e>` / `phone:<p>`) in any of `tenantIds`: the uniqueness rule of every sign-up.
   */
  private owner(
    tables: AppTables,
    lookup: string,
    recipeId: LoginMethodRecord['recipeId'],
    tenantIds: string[],
    except?: string,
  ): string | undefined {
    for (const recipeUserId of tables.accountIndex.get(lookup) ?? []) {
      if (recipeUserId === except) continue;
      const method = this.loginMethod(tables, recipeUserId);
      if (method?.recipeId === recipeId && method.tenantIds.some((t) => tenantIds.includes(t))) {
        return recipeUserId;
      }
    }
    return undefined;
  }

  /** A new user with its single login method, indexed by its account info. */
  private insertUser(tables: AppTables, loginMethod: LoginMethodRecord): UserRecord {
    const user: UserRecord = {
      id: loginMethod.recipeUserId,
      isPrimaryUser: false,
      loginMethods: [{ ...loginMethod }],
    };
    tables.users.set(user.id, user);
    tables.primaryOf.set(loginMethod.recipeUserId, user.id);
    this.index(tables, loginMethod, 'add');
    return user;
  }

  private index(tables: AppTables, method: LoginMethodRecord, op: 'add' | 'delete'): void {
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

  /**
   * The sessions, role assignments and email-verification tokens of a tenant (of one recipe user
   * there, if given): what leaves with the tenant, or with the user's membership. Whether any did.
   */
  private removeTenantData(tables: AppTables, tenantId: string, recipeUserId?: string): boolean {
    const prefix = key(tenantId, '');
    const sessions =
      recipeUserId === undefined
        ? [...tables.sessions.values()]
        : [...(tables.sessionsByUser.get(recipeUserId) ?? [])].map((h) => tables.sessions.get(h)!);
    let removed =
      this.removeSessions(
        tables,
        sessions.filter((x) => x.tenantId === tenantId).map((x) => x.handle),
      ).length > 0;
    for (const k of [...tables.userRoles.keys()]) {
      if (
        k.startsWith(prefix) &&
        (recipeUserId === undefined || k === key(tenantId, recipeUserId))
      ) {
        removed = tables.userRoles.delete(k) || removed;
      }
    }
    for (const [k, token] of [...tables.verificationTokens]) {
      if (k.startsWith(prefix) && (recipeUserId === undefined || token.userId === recipeUserId)) {
        removed = tables.verificationTokens.delete(k) || removed;
      }
    }
    return removed;
  }

  private removeSessions(tables: AppTables, handles: string[]): string[] {
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

  private dropVerificationTokens(
    tables: AppTables,
    tenantId: string,
    userId: string,
    email: string,
  ): void {
    for (const [tokenKey, token] of tables.verificationTokens) {
      if (
        tokenKey.startsWith(`${tenantId}\n`) &&
        token.userId === userId &&
        token.email === email
      ) {
        tables.verificationTokens.delete(tokenKey);
      }
    }
  }
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

const thirdPartyKey = (info: ThirdPartyInfo): string => `tp:${info.id}\n${info.userId}`;

/** The account-index keys of an email, phone number and third-party login (those given). */
function lookupKeys(info: AccountInfoQuery): string[] {
  const keys: string[] = [];
  if (info.email !== undefined) keys.push(`email:${info.email}`);
  if (info.phoneNumber !== undefined) keys.push(`phone:${info.phoneNumber}`);
  if (info.thirdParty !== undefined) keys.push(thirdPartyKey(info.thirdParty));
  return keys;
}
