import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Multitenancy from 'supertokens-node/recipe/multitenancy';
import Passwordless from 'supertokens-node/recipe/passwordless';
import Session from 'supertokens-node/recipe/session';
import UserMetadata from 'supertokens-node/recipe/usermetadata';
import UserRoles from 'supertokens-node/recipe/userroles';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { coreClient } from '../support/core-client.js';
import { initSdk } from '../support/sdk.js';

/** Embedded core: dashboard logins, user listing, counting, removal, tenants. */
describe('embedded core: dashboard users and user management', () => {
  let core: EmbeddedCore;
  let call: ReturnType<typeof coreClient>;
  beforeAll(async () => {
    core = await startEmbeddedCore();
    call = coreClient(core);
    initSdk(core, [
      EmailPassword.init(),
      Passwordless.init({ contactMethod: 'EMAIL_OR_PHONE', flowType: 'USER_INPUT_CODE' }),
      Session.init(),
      UserRoles.init(),
      UserMetadata.init(),
    ]);
  });
  afterAll(() => core.stop());

  describe('dashboard users (check 37)', () => {
    it('refuses weak passwords with the real messages, in order', async () => {
      const weak = async (password: string): Promise<{ status: string; message?: string }> =>
        (await call('POST', '/recipe/dashboard/user', { email: 'weak@example.com', password }))
          .json as { status: string; message?: string };
      expect(await weak('abc1')).toEqual({
        status: 'PASSWORD_WEAK_ERROR',
        message: 'Password must contain at least 8 characters, including a number',
      });
      expect((await weak(`a1${'x'.repeat(98)}`)).message).toBe(
        "Password's length must be lesser than 100 characters",
      );
      expect((await weak('123456789')).message).toBe('Password must contain at least one alphabet');
      expect((await weak('abcdefghij')).message).toBe('Password must contain at least one number');
      expect((await weak(`a1${'x'.repeat(97)}`)).status).toBe('OK');
      await call('DELETE', '/recipe/dashboard/user?email=weak@example.com');
    });

    it('checks emails like the real core (dot-less domains pass) and refuses empty fields', async () => {
      const create = async (email: string, password = 'secret-123') =>
        call('POST', '/recipe/dashboard/user', { email, password });
      for (const bad of ['x@b', 'x@b.c', 'not-an-email']) {
        expect((await create(bad)).json).toEqual({ status: 'INVALID_EMAIL_ERROR' });
      }
      expect((await create('ops@localhost')).json.status).toBe('OK');
      const empty = await create('ops2@example.com', '  ');
      expect(empty).toMatchObject({
        status: 400,
        text: "Field name 'password' cannot be an empty String",
      });
      expect((await call('DELETE', '/recipe/dashboard/user')).text).toBe(
        "Either field 'email' or 'userId' must be present",
      );
      expect(await call('DELETE', '/recipe/dashboard/user?email=ops@localhost')).toMatchObject({
        status: 200,
        json: { status: 'OK', didUserExist: true },
      });
    });

    it('signs in, verifies, updates, signs out and deletes', async () => {
      const created = await call('POST', '/recipe/dashboard/user', {
        email: ' Admin@Example.com ',
        password: 'secret-123',
      });
      expect(created.json).toMatchObject({
        status: 'OK',
        user: { email: 'admin@example.com', userId: expect.any(String) },
      });
      expect(
        (
          await call('POST', '/recipe/dashboard/user', {
            email: 'admin@example.com',
            password: 'secret-123',
          })
        ).json,
      ).toEqual({ status: 'EMAIL_ALREADY_EXISTS_ERROR' });
      expect(
        (
          await call('POST', '/recipe/dashboard/signin', {
            email: 'admin@example.com',
            password: 'wrong-123',
          })
        ).json,
      ).toEqual({ status: 'INVALID_CREDENTIALS_ERROR' });
      const signIn = await call('POST', '/recipe/dashboard/signin', {
        email: 'ADMIN@example.com',
        password: 'secret-123',
      });
      expect(signIn.json.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      const verify = (sessionId: unknown) =>
        call('POST', '/recipe/dashboard/session/verify', { sessionId });
      expect((await verify(signIn.json.sessionId)).json).toEqual({
        status: 'OK',
        email: 'admin@example.com',
      });
      expect((await verify('not-a-uuid')).json.status).toBe('INVALID_SESSION_ERROR');
      expect(await verify(42)).toMatchObject({
        status: 400,
        text: "Field name 'sessionId' is invalid in JSON input",
      });
      const sessions = await call(
        'GET',
        `/recipe/dashboard/user/sessions?userId=${created.json.user.userId}`,
      );
      expect(sessions.json.sessions).toHaveLength(1);
      expect(sessions.json.sessions[0].expiry - sessions.json.sessions[0].timeCreated).toBe(
        2_592_000_000,
      );

      const update = await call('PUT', '/recipe/dashboard/user', {
        email: 'admin@example.com',
        newEmail: 'root@example.com',
        newPassword: 'better-456',
      });
      expect(update.json).toMatchObject({ status: 'OK', user: { email: 'root@example.com' } });
      expect(
        (await call('PUT', '/recipe/dashboard/user', { email: 'gone@example.com' })).json,
      ).toEqual({ status: 'UNKNOWN_USER_ERROR' });
      expect(
        (
          await call('POST', '/recipe/dashboard/signin', {
            email: 'root@example.com',
            password: 'better-456',
          })
        ).json.status,
      ).toBe('OK');
      expect((await call('GET', '/recipe/dashboard/users')).json.users).toEqual([
        expect.objectContaining({ email: 'root@example.com' }),
      ]);

      await call('DELETE', `/recipe/dashboard/session?sessionId=${signIn.json.sessionId}`);
      expect((await verify(signIn.json.sessionId)).json.status).toBe('INVALID_SESSION_ERROR');
      expect((await call('DELETE', '/recipe/dashboard/session')).status).toBe(400);

      const again = await call('POST', '/recipe/dashboard/signin', {
        email: 'root@example.com',
        password: 'better-456',
      });
      await call('DELETE', `/recipe/dashboard/user?userId=${created.json.user.userId}`);
      expect((await verify(again.json.sessionId)).json.status).toBe('INVALID_SESSION_ERROR');
    });
  });

  describe('user listing (checks 38-40)', () => {
    const emails = ['alice@x.io', 'bob@ali.com', 'carol@y.io', 'dave@z.io', 'malice@q.io'];
    beforeAll(async () => {
      for (const email of emails) await EmailPassword.signUp('public', email, 'pw-123456789');
      const code = await Passwordless.createCode({
        tenantId: 'public',
        phoneNumber: '+14155550100',
      });
      await Passwordless.consumeCode({
        tenantId: 'public',
        preAuthSessionId: code.preAuthSessionId,
        deviceId: code.deviceId,
        userInputCode: code.userInputCode,
      });
    });

    it('pages concatenate to the full order both ways; the last page has no token', async () => {
      for (const order of ['ASC', 'DESC']) {
        const all = await call('GET', `/public/users?timeJoinedOrder=${order}`);
        expect(all.json.users).toHaveLength(6);
        expect(all.json.nextPaginationToken).toBeUndefined();
        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = await call(
            'GET',
            `/public/users?timeJoinedOrder=${order}&limit=4${token ? `&paginationToken=${encodeURIComponent(token)}` : ''}`,
          );
          seen.push(...(page.json.users as { id: string }[]).map((u) => u.id));
          token = page.json.nextPaginationToken;
          pages++;
        } while (token);
        expect(pages).toBe(2);
        expect(seen).toEqual((all.json.users as { id: string }[]).map((u) => u.id));
      }
      const newest = await supertokens.getUsersNewestFirst({ tenantId: 'public', limit: 2 });
      expect(newest.users[0]?.phoneNumbers).toEqual(['+14155550100']);
      expect(newest.nextPaginationToken).toEqual(expect.any(String));
    });

    it('answers bad paging input with the real 400s', async () => {
      const bad = async (query: string) => (await call('GET', `/public/users?${query}`)).text;
      expect(await bad('paginationToken=%25%25garbage')).toBe('invalid pagination token');
      expect(await bad(`paginationToken=${btoa('no-separator')}`)).toBe('invalid pagination token');
      expect(await bad('limit=501')).toBe('max limit allowed is 500');
      expect(await bad('limit=0')).toBe('limit must a positive integer with min value 1');
      expect(await bad('limit=ten')).toBe("Field name 'limit' must be an int in the GET request");
      expect(await bad('timeJoinedOrder=desc')).toBe('timeJoinedOrder can be either ASC OR DESC');
      expect(await bad('includeRecipeIds=emailpassword,magic')).toBe('Unknown recipe ID: magic');
      await expect(
        supertokens.getUsersNewestFirst({ tenantId: 'public', paginationToken: 'garbage' }),
      ).rejects.toThrow(/invalid pagination token/);
    });

    it('searches emails by prefix of the address or of the domain, OR-ing tags', async () => {
      const search = async (query: string) =>
        ((await call('GET', `/public/users?${query}`)).json.users as { emails: string[] }[])
          .flatMap((u) => u.emails)
          .sort();
      expect(await search('email=ali')).toEqual(['alice@x.io', 'bob@ali.com']);
      expect(await search('email=carol;%20DAVE')).toEqual(['carol@y.io', 'dave@z.io']);
      expect(await search('email=ali&includeRecipeIds=passwordless')).toHaveLength(2);
      expect((await call('GET', '/public/users?phone=%2B1415')).json.users[0].phoneNumbers).toEqual(
        ['+14155550100'],
      );
      expect((await call('GET', '/public/users?provider=google')).json.users).toEqual([]);
      expect((await call('GET', '/user/search/tags')).json.tags).toEqual([
        'email',
        'phone',
        'provider',
      ]);
    });

    it('counts users, by recipe and across tenants', async () => {
      expect(await supertokens.getUserCount()).toBe(6);
      expect(await supertokens.getUserCount(['passwordless'], 'public')).toBe(1);
      expect(await supertokens.getUserCount(['emailpassword'])).toBe(5);
    });
  });

  it('removes a user with sessions, metadata, roles and verification (check 41)', async () => {
    const signUp = await EmailPassword.signUp('public', 'leaver@example.com', 'pw-123456789');
    if (signUp.status !== 'OK') throw new Error(signUp.status);
    const userId = signUp.user.id;
    const session = await Session.createNewSessionWithoutRequestResponse(
      'public',
      signUp.recipeUserId,
    );
    await UserRoles.createNewRoleOrAddPermissions('leaver-role', []);
    await UserRoles.addRoleToUser('public', userId, 'leaver-role');
    await UserMetadata.updateUserMetadata(userId, { plan: 'pro' });

    await supertokens.deleteUser(userId);

    expect(await supertokens.getUser(userId)).toBeUndefined();
    expect(await Session.getSessionInformation(session.getHandle())).toBeUndefined();
    expect((await UserMetadata.getUserMetadata(userId)).metadata).toEqual({});
    expect((await UserRoles.getRolesForUser('public', userId)).roles).toEqual([]);
    expect(
      await supertokens.listUsersByAccountInfo('public', { email: 'leaver@example.com' }),
    ).toEqual([]);
  });

  it('lists tenants and refuses the list below another tenant (check 42)', async () => {
    const tenants = await Multitenancy.listAllTenants();
    expect(tenants).toMatchObject({ status: 'OK', tenants: [{ tenantId: 'public' }] });
    expect((await call('GET', '/nope/recipe/multitenancy/tenant/list/v2')).status).toBe(400);
    expect((await call('GET', '/public/recipe/dashboard/tenant/core-config')).json).toEqual({
      status: 'OK',
      config: [],
    });
  });
});
