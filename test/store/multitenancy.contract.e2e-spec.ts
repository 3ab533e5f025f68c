// Holds MultitenancyStorage (apps, tenants, set-ups, providers, membership) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract, emailLogin, session } from './store-subjects.js';

describeStoreContract('MultitenancyStorage', (subject) => {
  it('keeps tenant set-ups, and deletes a tenant with what is scoped to it (users stay)', async () => {
    const { store, other } = subject();
    const tenant = `cfg-${randomUUID().slice(0, 8)}`;
    const config = {
      tenantId: tenant,
      firstFactors: ['emailpassword', 'otp-phone'],
      requiredSecondaryFactors: ['totp'],
      coreConfig: { password_reset_token_lifetime: 60000 },
    };
    expect(await store.putTenantConfig('public', config)).toBe(true);
    expect(await other.getTenantConfig('public', tenant)).toEqual({
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
    expect((await other.getTenantConfig('public', tenant))?.thirdPartyProviders).toEqual([
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
    expect(await other.getTenantConfig('public', tenant)).toBeUndefined();
    expect(await store.getSession('public', created.handle)).toBeUndefined();
    expect((await store.getUser('public', login.recipeUserId))?.loginMethods[0]?.tenantIds).toEqual(
      [],
    );
  });

  it('associates users with tenants under the per-tenant uniqueness rule', async () => {
    const { store, other } = subject();
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
    expect(await other.associateUserWithTenant('public', tenant, free.recipeUserId)).toBe('OK');
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
    const leave = (userId: string) =>
      store.disassociateUserFromTenant('public', tenant, userId, userId);
    expect(await leave(free.recipeUserId)).toBe(true);
    expect(await leave(free.recipeUserId)).toBe(false);
    expect(await leave(randomUUID())).toBe(false);
    expect((await store.getUser('public', free.recipeUserId))?.loginMethods[0]?.tenantIds).toEqual([
      'public',
    ]);
  });

  it('creates, lists and deletes apps with all their data', async () => {
    const { store, other } = subject();
    const appId = `app-${randomUUID().slice(0, 8)}`;
    await store.createApp(appId);
    expect(await other.hasApp(appId)).toBe(true);
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
    const { store, other } = subject();
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    expect(await store.hasTenant('public', tenant)).toBe(false);
    await other.createTenant('public', tenant);
    expect(await store.hasTenant('public', tenant)).toBe(true);
    expect(await store.hasApp('public')).toBe(true);
    expect(await store.hasApp(`a-${randomUUID().slice(0, 8)}`)).toBe(false);
  });
});
