import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import pg from 'pg';
import { MemoryStore, type Store } from '../../src/core/index.js';
import type { LoginMethodRecord, SessionRecord } from '../../src/core/store/records.js';
import { openStore } from '../../src/core/store/open-store.js';
import { freshPostgresDatabase } from '../support/postgres.js';

/** A store under test and a second handle on the same data (a second process, for SQL). */
interface Subject {
  store: Store;
  other: Store;
  close(): Promise<void>;
}

const subjects: [string, () => Promise<Subject>][] = [
  [
    'memory',
    () => {
      const store = new MemoryStore();
      return Promise.resolve({ store, other: store, close: () => store.close() });
    },
  ],
  [
    'PGlite on disk',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'nst-store-'));
      const { store } = await openStore({ dir });
      return {
        store,
        // PGlite has one connection per directory: the same handle stands for "another caller".
        other: store,
        async close() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'PostgreSQL server (two pools)',
    async () => {
      const database = await freshPostgresDatabase();
      const { store } = await openStore({ postgres: database.url });
      const { store: other } = await openStore({ postgres: database.url });
      return {
        store,
        other,
        async close() {
          await store.close();
          await other.close();
          await database.drop();
        },
      };
    },
  ],
];

const emailLogin = (email: string, timeJoined = Date.now()): LoginMethodRecord => ({
  recipeUserId: randomUUID(),
  recipeId: 'emailpassword',
  tenantIds: ['public'],
  timeJoined,
  email,
  passwordHash: '$2a$11$' + 'a'.repeat(53),
});

const session = (userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  handle: randomUUID(),
  recipeUserId: userId,
  userId,
  tenantId: 'public',
  refreshTokenHash2: 'hash-0',
  expiry: Date.now() + 60_000,
  timeCreated: Date.now(),
  userDataInJWT: { role: 'x' },
  userDataInDatabase: { n: 1 },
  useStaticKey: false,
  ...overrides,
});

const pem = (): string =>
  generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

describe.each(subjects)('Store contract: %s', (_name, open) => {
  let subject: Subject;
  let store: Store;
  beforeAll(async () => {
    subject = await open();
    store = subject.store;
  });
  afterAll(() => subject.close());

  it('keeps emails unique per tenant, even for sign-ups racing on two connections', async () => {
    const email = `race-${randomUUID()}@example.com`;
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 ? subject.other : store).createEmailPasswordUser(
          'public',
          'public',
          emailLogin(email),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'EMAIL_ALREADY_EXISTS')).toHaveLength(15);
    const [user] = await store.findUsers('public', 'public', { email });
    expect(user.loginMethods).toEqual([
      expect.objectContaining({ email, recipeId: 'emailpassword', tenantIds: ['public'] }),
    ]);
    expect(await store.getUser('public', user.id)).toEqual(user);
    expect(await store.getUser('public', randomUUID())).toBeUndefined();
  });

  it('counts rate-limit hits atomically across connections, in windows that end', async () => {
    const key = `rl:test:${randomUUID()}`;
    const now = Date.now();
    const counts = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        (i % 2 ? subject.other : store).hitCounter(key, 60_000, now),
      ),
    );
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 32 }, (_, i) => i + 1),
    );
    expect(new Set(counts.map((c) => c.resetAt))).toEqual(new Set([now + 60_000]));
    expect(await store.getCounter(key, now + 59_999)).toEqual({ count: 32, resetAt: now + 60_000 });
    expect(await store.getCounter(key, now + 60_000)).toBeUndefined();
    // A window that has ended starts again at 1.
    expect(await store.hitCounter(key, 1_000, now + 60_000)).toEqual({
      count: 1,
      resetAt: now + 61_000,
    });
    await store.deleteCounter(key);
    expect(await store.getCounter(key, now + 60_000)).toBeUndefined();
    await store.hitCounter(key, 1_000, now);
    await store.deleteExpired(now + 2_000, 0);
    expect(await store.hitCounter(key, 1_000, now)).toEqual({ count: 1, resetAt: now + 1_000 });
  });

  it('keeps tenant set-ups, and deletes a tenant with what is scoped to it (users stay)', async () => {
    const tenant = `cfg-${randomUUID().slice(0, 8)}`;
    const config = {
      tenantId: tenant,
      firstFactors: ['emailpassword', 'otp-phone'],
      requiredSecondaryFactors: ['totp'],
      coreConfig: { password_reset_token_lifetime: 60000 },
    };
    expect(await store.putTenantConfig('public', config)).toBe(true);
    expect(await subject.other.getTenantConfig('public', tenant)).toEqual({
      ...config,
      firstFactors: [...config.firstFactors].sort(),
      thirdPartyProviders: [],
    });
    // Providers change on their own, and a later set-up change keeps them.
    const provider = {
      thirdPartyId: 'okta',
      clients: [{ clientType: 'web', clientId: 'c', scope: ['openid', null] }],
      tokenEndpointBodyParams: { a: null },
      userInfoMap: { fromIdTokenPayload: { userId: 'sub' }, fromUserInfoAPI: {} },
    };
    expect(await store.updateThirdPartyProviders('public', tenant, (p) => [...p, provider])).toBe(
      true,
    );
    expect(await store.updateThirdPartyProviders('public', 'no-such-tenant', (p) => p)).toBe(false);
    await expect(
      store.updateThirdPartyProviders('public', tenant, () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(
      await store.putTenantConfig('public', {
        ...config,
        firstFactors: null,
        requiredSecondaryFactors: null,
      }),
    ).toBe(false);
    expect(await store.getTenantConfig('public', tenant)).toMatchObject({
      firstFactors: null,
      requiredSecondaryFactors: null,
    });
    expect((await subject.other.getTenantConfig('public', tenant))?.thirdPartyProviders).toEqual([
      provider,
    ]);
    expect(await store.putTenantConfig('public', { ...config, firstFactors: [] })).toBe(false);
    expect((await store.getTenantConfig('public', tenant))?.firstFactors).toEqual([]);
    const listed = await store.listTenantConfigs('public');
    expect(listed[0]?.tenantId).toBe('public');
    expect(listed.map((c) => c.tenantId)).toContain(tenant);

    const login = { ...emailLogin(`member-${randomUUID()}@example.com`), tenantIds: [tenant] };
    expect(await store.createEmailPasswordUser('public', tenant, login)).toBe('OK');
    const created = await store.createSession(
      'public',
      session(login.recipeUserId, { tenantId: tenant }),
    );
    expect(await store.deleteTenant('public', tenant)).toBe(true);
    expect(await store.deleteTenant('public', tenant)).toBe(false);
    expect(await store.deleteTenant('public', 'public')).toBe(false);
    expect(await subject.other.getTenantConfig('public', tenant)).toBeUndefined();
    expect(await store.getSession('public', created.handle)).toBeUndefined();
    expect((await store.getUser('public', login.recipeUserId))?.loginMethods[0]?.tenantIds).toEqual(
      [],
    );
  });

  it('associates users with tenants under the per-tenant uniqueness rule', async () => {
    const tenant = `assoc-${randomUUID().slice(0, 8)}`;
    await store.putTenantConfig('public', {
      tenantId: tenant,
      firstFactors: null,
      requiredSecondaryFactors: null,
      coreConfig: {},
    });
    const email = `assoc-${randomUUID()}@example.com`;
    const mover = emailLogin(email);
    const rival = { ...emailLogin(email), tenantIds: [tenant] };
    await store.createEmailPasswordUser('public', 'public', mover);
    await store.createEmailPasswordUser('public', tenant, rival);
    expect(await store.associateUserWithTenant('public', tenant, mover.recipeUserId)).toBe(
      'EMAIL_ALREADY_EXISTS',
    );
    const free = emailLogin(`free-${randomUUID()}@example.com`);
    await store.createEmailPasswordUser('public', 'public', free);
    expect(await subject.other.associateUserWithTenant('public', tenant, free.recipeUserId)).toBe(
      'OK',
    );
    expect(await store.associateUserWithTenant('public', tenant, free.recipeUserId)).toBe(
      'ALREADY_ASSOCIATED',
    );
    expect(await store.associateUserWithTenant('public', tenant, randomUUID())).toBe(
      'UNKNOWN_USER_ID',
    );
    expect(await store.findUsers('public', tenant, { email: free.email })).toHaveLength(1);
    // The login is unique in its new tenant too.
    expect(
      await store.createEmailPasswordUser('public', tenant, {
        ...emailLogin(free.email!),
        tenantIds: [tenant],
      }),
    ).toBe('EMAIL_ALREADY_EXISTS');
    expect(await store.disassociateUserFromTenant('public', tenant, free.recipeUserId)).toBe(true);
    expect(await store.disassociateUserFromTenant('public', tenant, free.recipeUserId)).toBe(false);
    expect(await store.disassociateUserFromTenant('public', tenant, randomUUID())).toBe(
      'UNKNOWN_USER_ID',
    );
    expect((await store.getUser('public', free.recipeUserId))?.loginMethods[0]?.tenantIds).toEqual([
      'public',
    ]);
  });

  it('signs a third-party user up once per tenant, updating its email, even when racing', async () => {
    const providerUser = `gh-${randomUUID()}`;
    const login = (email: string) => ({
      recipeUserId: randomUUID(),
      recipeId: 'thirdparty' as const,
      tenantIds: ['public'],
      timeJoined: Date.now(),
      email,
      thirdParty: { id: 'github', userId: providerUser },
    });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const outcome = await (i % 2 ? subject.other : store).signInUpThirdPartyUser(
          'public',
          'public',
          login('a@x.co'),
        );
        if (typeof outcome === 'string') throw new Error(outcome);
        return outcome;
      }),
    );
    expect(outcomes.filter((o) => o.createdNewUser)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.recipeUserId)).size).toBe(1);
    const id = outcomes[0].recipeUserId;
    const again = await store.signInUpThirdPartyUser('public', 'public', login('b@x.co'));
    expect(again).toEqual({ createdNewUser: false, recipeUserId: id });
    const user = await subject.other.getUser('public', id);
    expect(user?.loginMethods).toEqual([
      expect.objectContaining({
        recipeId: 'thirdparty',
        email: 'b@x.co',
        thirdParty: { id: 'github', userId: providerUser },
        tenantIds: ['public'],
      }),
    ]);
    expect(
      (
        await store.findUsers('public', 'public', {
          thirdParty: { id: 'github', userId: providerUser },
        })
      ).map((u) => u.id),
    ).toEqual([id]);
    expect(
      (await store.findUsers('public', 'public', { email: 'b@x.co' })).map((u) => u.id),
    ).toContain(id);
    const searched = await store.listUsers('public', {
      tenantId: 'public',
      order: 'DESC',
      limit: 10,
      search: { emails: [], phones: [], providers: ['git'] },
    });
    expect(searched.map((u) => u.id)).toContain(id);
    expect(await store.deleteUser('public', id)).toBe(true);
    expect(
      await store.findUsers('public', 'public', {
        thirdParty: { id: 'github', userId: providerUser },
      }),
    ).toEqual([]);
  });

  it('creates, lists and deletes apps with all their data', async () => {
    const appId = `app-${randomUUID().slice(0, 8)}`;
    await store.createApp(appId);
    expect(await subject.other.hasApp(appId)).toBe(true);
    expect((await store.listApps())[0]).toBe('public');
    expect(await store.listApps()).toContain(appId);
    const login = emailLogin(`in-app-${randomUUID()}@example.com`);
    expect(await store.createEmailPasswordUser(appId, 'public', login)).toBe('OK');
    await store.createSession(appId, session(login.recipeUserId));
    expect(await store.deleteApp(appId)).toBe(true);
    expect(await store.deleteApp(appId)).toBe(false);
    expect(await store.deleteApp('public')).toBe(false);
    expect(await store.hasApp(appId)).toBe(false);
    expect(await store.listApps()).not.toContain(appId);
    // A new app of that name starts empty.
    await store.createApp(appId);
    expect(await store.findUsers(appId, 'public', { email: login.email })).toEqual([]);
  });

  it('answers tenant and app existence, seeing a tenant another instance created', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    expect(await store.hasTenant('public', tenant)).toBe(false);
    await subject.other.createTenant('public', tenant);
    expect(await store.hasTenant('public', tenant)).toBe(true);
    expect(await store.hasApp('public')).toBe(true);
    expect(await store.hasApp(`a-${randomUUID().slice(0, 8)}`)).toBe(false);
  });

  it('updates an email only when free, and a password hash', async () => {
    const a = emailLogin(`a-${randomUUID()}@example.com`);
    const b = emailLogin(`b-${randomUUID()}@example.com`);
    await store.createEmailPasswordUser('public', 'public', a);
    await store.createEmailPasswordUser('public', 'public', b);
    expect(await store.updateEmailPasswordLogin('public', a.recipeUserId, { email: b.email })).toBe(
      'EMAIL_ALREADY_EXISTS',
    );
    expect(await store.updateEmailPasswordLogin('public', randomUUID(), { email: 'x@y.z' })).toBe(
      'UNKNOWN_USER_ID',
    );
    const moved = `moved-${randomUUID()}@example.com`;
    expect(
      await store.updateEmailPasswordLogin('public', a.recipeUserId, {
        email: moved,
        passwordHash: 'scrypt$new',
      }),
    ).toBe('OK');
    const user = await store.getUser('public', a.recipeUserId);
    expect(user?.loginMethods[0]).toMatchObject({ email: moved, passwordHash: 'scrypt$new' });
    expect(await store.findUsers('public', 'public', { email: a.email })).toEqual([]);
  });

  it('lists users by time joined with a stable tie-break, pages, filters and counts', async () => {
    await store.createTenant('public', 'listing');
    const base = 1_000_000;
    const logins = [3, 1, 2, 2].map((t, i) => ({
      ...emailLogin(`list${i}-${randomUUID()}@shop.example`, base + t),
      tenantIds: ['listing'],
    }));
    for (const login of logins) await store.createEmailPasswordUser('public', 'listing', login);
    const ascending = await store.listUsers('public', {
      tenantId: 'listing',
      order: 'ASC',
      limit: 10,
    });
    const tied = [logins[2].recipeUserId, logins[3].recipeUserId].sort().reverse();
    expect(ascending.map((u) => u.id)).toEqual([
      logins[1].recipeUserId,
      ...tied,
      logins[0].recipeUserId,
    ]);
    const page2 = await store.listUsers('public', {
      tenantId: 'listing',
      order: 'ASC',
      limit: 2,
      from: { userId: ascending[2].id, timeJoined: base + 2 },
    });
    expect(page2.map((u) => u.id)).toEqual([ascending[2].id, ascending[3].id]);
    const desc = await store.listUsers('public', { tenantId: 'listing', order: 'DESC', limit: 1 });
    expect(desc.map((u) => u.id)).toEqual([logins[0].recipeUserId]);
    const found = await store.listUsers('public', {
      tenantId: 'listing',
      order: 'ASC',
      limit: 10,
      search: { emails: ['shop.example'], phones: [], providers: [] },
    });
    expect(found).toHaveLength(4);
    expect(await store.countUsers('public', 'listing')).toBe(4);
    expect(await store.countUsers('public', 'listing', ['passwordless'])).toBe(0);
    expect(await store.listTenants('public')).toEqual(
      expect.arrayContaining(['public', 'listing']),
    );
  });

  it('deletes a user with its sessions, metadata, roles and verified emails', async () => {
    const login = emailLogin(`gone-${randomUUID()}@example.com`);
    await store.createEmailPasswordUser('public', 'public', login);
    const id = login.recipeUserId;
    // The stored session names its user (here the recipe user is the user).
    expect((await store.createSession('public', session(id))).userId).toBe(id);
    await store.mergeUserMetadata('public', id, { a: 1 });
    await store.upsertRole('public', 'deleter', []);
    await store.addUserRole('public', 'public', id, 'deleter');
    await store.setEmailVerified('public', id, login.email!, true);
    expect(await store.deleteUser('public', id)).toBe(true);
    expect(await store.getUser('public', id)).toBeUndefined();
    expect(await store.listSessionHandles('public', [id])).toEqual([]);
    expect(await store.getUserMetadata('public', id)).toEqual({});
    expect(await store.getUserRoles('public', 'public', id)).toEqual([]);
    expect(await store.isEmailVerified('public', id, login.email!)).toBe(false);
    expect(await store.deleteUser('public', id)).toBe(false);
  });

  it('rotates a refresh token once when 32 refreshes race (compare-and-set)', async () => {
    const created = session(randomUUID());
    // A recipe user id the store does not know stands for itself.
    expect((await store.createSession('public', created)).userId).toBe(created.recipeUserId);
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        (i % 2 ? subject.other : store).updateSession(
          'public',
          created.handle,
          { refreshTokenHash2: `next-${i}`, expiry: created.expiry + 1 },
          'hash-0',
        ),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.getSession('public', created.handle)).toEqual({
      ...created,
      refreshTokenHash2: `next-${winner}`,
      expiry: created.expiry + 1,
    });
    expect(await store.deleteSessions('public', [created.handle, 'nope'])).toEqual([
      created.handle,
    ]);
    expect(await store.getSession('public', created.handle)).toBeUndefined();
  });

  it('lets one of several racing consumers claim a passwordless device, and one sign-up win', async () => {
    const phoneNumber = `+1555${Math.floor(Math.random() * 1e7)}`;
    const device = {
      preAuthSessionId: randomUUID().replace(/-/g, '').padEnd(43, 'x'),
      tenantId: 'public',
      phoneNumber,
      linkCodeSalt: Buffer.alloc(32, 7).toString('base64'),
      failedAttempts: 0,
      codes: [],
    };
    const code = {
      codeId: randomUUID(),
      linkCodeHash: Buffer.alloc(32, 1).toString('base64'),
      timeCreated: Date.now(),
    };
    expect(await store.addPasswordlessCode('public', device.preAuthSessionId, code, device)).toBe(
      'OK',
    );
    const again = { ...code, codeId: randomUUID() };
    expect(await store.addPasswordlessCode('public', device.preAuthSessionId, again)).toBe(
      'CODE_ALREADY_USED',
    );
    expect(
      await store.addPasswordlessCode('public', 'unknown', { ...again, linkCodeHash: 'x' }),
    ).toBe('UNKNOWN_DEVICE');
    expect(await store.addFailedAttempt('public', device.preAuthSessionId)).toBe(1);
    expect(await store.findDeviceByLinkCodeHash('public', code.linkCodeHash)).toEqual({
      ...device,
      failedAttempts: 1,
      codes: [code],
    });
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? subject.other : store).deletePasswordlessDevices('public', [
          device.preAuthSessionId,
        ]),
      ),
    );
    expect(claims.flat()).toEqual([device.preAuthSessionId]);
    const signIns = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? subject.other : store).signInUpPasswordlessUser('public', 'public', {
          recipeUserId: randomUUID(),
          recipeId: 'passwordless',
          tenantIds: ['public'],
          timeJoined: Date.now(),
          phoneNumber,
        }),
      ),
    );
    expect(signIns.filter((s) => s.createdNewUser)).toHaveLength(1);
    expect(new Set(signIns.map((s) => s.user.id)).size).toBe(1);
  });

  it('adds one signing key when two instances rotate at once, and keeps the key material', async () => {
    await store.createApp('keys');
    const since = Date.now() - 1000;
    const keys = [pem(), pem()];
    const added = await Promise.all(
      keys.map((privateKey, i) =>
        (i ? subject.other : store).addSigningKeyUnlessFresh(
          'keys',
          { kid: `d-${since + 10 + i}`, type: 'dynamic', createdAt: since + 10 + i, privateKey },
          since,
        ),
      ),
    );
    expect(added.filter(Boolean)).toHaveLength(1);
    const [stored] = await store.listSigningKeys('keys');
    expect(stored.privateKey).toBe(keys[added.indexOf(true)]);
    const staticKey = {
      kid: `s-${randomUUID()}`,
      type: 'static' as const,
      createdAt: 1,
      privateKey: pem(),
    };
    expect(await store.addSigningKeyUnlessFresh('keys', staticKey, 0)).toBe(true);
    expect(await store.addSigningKeyUnlessFresh('keys', { ...staticKey, kid: 's-2' }, 0)).toBe(
      false,
    );
    await store.removeSigningKeys('keys', [stored.kid]);
    expect((await store.listSigningKeys('keys')).map((k) => k.kid)).toEqual([staticKey.kid]);
  });

  it('stores an app value once, whoever asks first', async () => {
    const values = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? subject.other : store).getOrCreateAppValue(
          'public',
          'contract_key',
          () => `v${i}`,
        ),
      ),
    );
    expect(new Set(values).size).toBe(1);
  });

  it('merges metadata without losing concurrent keys', async () => {
    const userId = randomUUID();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? subject.other : store).mergeUserMetadata('public', userId, { [`k${i}`]: i }),
      ),
    );
    expect(Object.keys(await store.getUserMetadata('public', userId))).toHaveLength(12);
    expect(
      await store.mergeUserMetadata('public', userId, { k0: null, k1: { deep: [1] } }),
    ).toMatchObject({
      k1: { deep: [1] },
    });
    expect(await store.getUserMetadata('public', userId)).not.toHaveProperty('k0');
  });

  it('keeps roles, permissions and dashboard logins with their rules', async () => {
    expect(await store.upsertRole('public', 'editor', ['read', 'write'])).toBe(true);
    expect(await store.upsertRole('public', 'editor', ['publish'])).toBe(false);
    expect((await store.getRolePermissions('public', 'editor'))?.sort()).toEqual([
      'publish',
      'read',
      'write',
    ]);
    expect(await store.addUserRole('public', 'public', 'u1', 'editor')).toBe(false);
    expect(await store.addUserRole('public', 'public', 'u1', 'editor')).toBe(true);
    expect(await store.addUserRole('public', 'public', 'u1', 'missing')).toBeUndefined();
    expect(await store.usersWithRole('public', 'public', 'editor')).toEqual(['u1']);
    expect(await store.rolesWithPermission('public', 'publish')).toEqual(['editor']);
    expect(await store.deleteRole('public', 'editor')).toBe(true);
    expect(await store.getUserRoles('public', 'public', 'u1')).toEqual([]);

    const admin = {
      userId: randomUUID(),
      email: `ops-${randomUUID()}@x.io`,
      passwordHash: 'h',
      timeJoined: 1,
    };
    expect(await store.createDashboardUser('public', admin)).toBe('OK');
    expect(await store.createDashboardUser('public', { ...admin, userId: randomUUID() })).toBe(
      'EMAIL_ALREADY_EXISTS',
    );
    await store.createDashboardSession('public', {
      sessionId: randomUUID(),
      userId: admin.userId,
      timeCreated: 1,
      expiry: Date.now() + 1000,
    });
    expect(await store.listDashboardSessions('public', admin.userId)).toHaveLength(1);
    expect(await store.deleteDashboardUser('public', { email: admin.email })).toBe(true);
    expect(await store.listDashboardSessions('public', admin.userId)).toEqual([]);
  });

  it('deletes expired sessions, tokens and stale passwordless devices, keeping live ones', async () => {
    const now = Date.now();
    const user = emailLogin(`exp-${randomUUID()}@example.com`);
    await store.createEmailPasswordUser('public', 'public', user);
    const live = session(user.recipeUserId);
    const dead = session(user.recipeUserId, { expiry: now - 1 });
    await store.createSession('public', live);
    await store.createSession('public', dead);
    await store.addPasswordResetToken('public', {
      userId: user.recipeUserId,
      tokenHash: `t-${randomUUID()}`,
      email: user.email!,
      expiry: now - 1,
    });
    const device = (id: string, time: number) =>
      store.addPasswordlessCode(
        'public',
        id,
        { codeId: randomUUID(), linkCodeHash: randomUUID().slice(0, 44), timeCreated: time },
        {
          preAuthSessionId: id,
          tenantId: 'public',
          email: `${id}@x.io`,
          linkCodeSalt: 's',
          failedAttempts: 0,
          codes: [],
        },
      );
    await device('stale-device', now - 20 * 60_000);
    await device('fresh-device', now);
    await store.deleteExpired(now, now - 15 * 60_000);
    expect(await store.getSession('public', dead.handle)).toBeUndefined();
    expect(await store.getSession('public', live.handle)).toBeDefined();
    expect(await store.getPasswordlessDevice('public', 'stale-device')).toBeUndefined();
    expect(await store.getPasswordlessDevice('public', 'fresh-device')).toBeDefined();
  });
});

describe('SQL store schema', () => {
  it('creates the official core tables and refuses a database of a newer schema version', async () => {
    const database = await freshPostgresDatabase();
    try {
      const { store } = await openStore({ postgres: database.url });
      await store.close();
      const client = new pg.Client(database.url);
      await client.connect();
      try {
        const tables = await client.query(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        );
        expect(tables.rows.map((r: { table_name: string }) => r.table_name)).toEqual(
          expect.arrayContaining([
            'apps',
            'tenants',
            'tenant_configs',
            'key_value',
            'app_id_to_user_id',
            'all_auth_recipe_users',
            'emailpassword_users',
            'session_info',
            'session_access_token_signing_keys',
            'passwordless_devices',
            'dashboard_users',
          ]),
        );
        await client.query(
          "UPDATE key_value SET value = '999' WHERE name = 'nest_supertokens_schema_version'",
        );
      } finally {
        await client.end();
      }
      await expect(openStore({ postgres: database.url })).rejects.toThrow(
        /newer nest-supertokens \(schema version 999; this version reads 1\)/,
      );
    } finally {
      await database.drop();
    }
  });

  it('refuses a PGlite directory another live process holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nst-lock-'));
    const { store } = await openStore({ dir });
    try {
      const { writeFileSync } = await import('node:fs');
      // Our own pid is "this process": pretend another live process (pid 1) holds it.
      writeFileSync(join(dir, 'nest-supertokens.lock'), '1');
      await expect(openStore({ dir })).rejects.toThrow(/in use by process 1/);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
