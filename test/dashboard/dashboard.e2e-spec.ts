import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DEFAULT_DASHBOARD_BUNDLE, DashboardUsers } from '../../src/auth/index.js';
import { AUTH_RUNTIME } from '../../src/auth/module/auth.constants.js';
import type { AuthRuntime } from '../../src/auth/module/auth-runtime.interface.js';
import { runDashboardCli } from '../../src/auth/dashboard/dashboard-command.js';
import { startEmbeddedCore } from '../../src/core/index.js';
import { HeaderClient, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

const OPS = { email: 'ops@example.com', password: 'ops-pass-1' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer-pass-2' };

/** Runs `npm run dashboard -- ...` in-process with this environment; returns code and output. */
async function runCommand(env: NodeJS.ProcessEnv, argv: string[]) {
  const lines: string[] = [];
  const code = await runDashboardCli(argv, {
    print: (line) => lines.push(line),
    env,
    readStdin: () => Promise.resolve(''),
  });
  return { code, output: lines.join('\n') };
}

const coreOf = (app: INestApplication): NodeJS.ProcessEnv => {
  const runtime = app.get<AuthRuntime>(AUTH_RUNTIME);
  return {
    SUPERTOKENS_CONNECTION_URI: runtime.connectionURI,
    // The embedded core's per-start key, as a user would copy it from `npm run core`.
    SUPERTOKENS_API_KEY: runtime.embeddedCore?.apiKey,
  };
};

/** The command against the app's core. */
const dashboardCommand = (app: INestApplication, ...argv: string[]) =>
  runCommand(coreOf(app), argv);

/** A browser on the dashboard: signs in through its API and sends the bearer session id. */
function dashboard(app: INestApplication<App>) {
  let sessionId = '';
  const server = () => request(app.getHttpServer());
  const api = (path: string) => `/auth/dashboard/api${path}`;
  return {
    async signIn(email: string, password: string) {
      const response = await server().post(api('/signin')).send({ email, password });
      sessionId = (response.body as { sessionId?: string }).sessionId ?? '';
      return response;
    },
    get: (path: string) => server().get(api(path)).set('authorization', `Bearer ${sessionId}`),
    put: (path: string, body: object) =>
      server().put(api(path)).set('authorization', `Bearer ${sessionId}`).send(body),
    post: (path: string, body: object) =>
      server().post(api(path)).set('authorization', `Bearer ${sessionId}`).send(body),
    delete: (path: string) =>
      server().delete(api(path)).set('authorization', `Bearer ${sessionId}`),
  };
}

describe('user management dashboard', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({
      roles: true,
      metadata: true,
      emailVerification: { mode: 'OPTIONAL' },
      dashboard: { admins: [' Ops@Example.com '], users: [OPS] },
    });
  });
  afterAll(() => app.close());

  it('serves the page with the bundle location and the dashboard CSP on its path only', async () => {
    const page = await request(app.getHttpServer()).get('/auth/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain(`${DEFAULT_DASHBOARD_BUNDLE}static/js/bundle.js`);
    // The unauthenticated page must not tell a visitor where the embedded core listens.
    const core = app.get<AuthRuntime>(AUTH_RUNTIME).embeddedCore!;
    expect(page.text).not.toContain(`:${core.port}`);
    expect(page.text).toContain('window.connectionURI = "http://localhost:3000/auth"');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain(`script-src 'self' 'unsafe-inline' ${DEFAULT_DASHBOARD_BUNDLE};`);
    expect(csp).toContain("frame-ancestors 'none'");
    // What the bundle loads from elsewhere: phone users' country flags and the UI's fonts.
    expect(csp).toContain(
      `img-src 'self' data: ${DEFAULT_DASHBOARD_BUNDLE} https://purecatamphetamine.github.io/country-flag-icons/3x2/;`,
    );
    expect(csp).toContain(
      `style-src 'self' 'unsafe-inline' ${DEFAULT_DASHBOARD_BUNDLE} https://fonts.googleapis.com/css2;`,
    );
    expect(csp).toContain(
      `font-src 'self' data: ${DEFAULT_DASHBOARD_BUNDLE} https://fonts.gstatic.com;`,
    );
    // Nothing is blocked on purpose, so the page's CSP-violation screen is left as it is.
    expect(page.text).not.toContain('stopImmediatePropagation');
    const api = await request(app.getHttpServer()).post('/auth/signin').send({});
    expect(api.headers['content-security-policy']).toBeUndefined();
  });

  it('answers 401 without a dashboard session or with a forged one', async () => {
    const none = await request(app.getHttpServer()).get('/auth/dashboard/api/users');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ message: 'Unauthorised access' });
    const forged = await request(app.getHttpServer())
      .get('/auth/dashboard/api/users/count')
      .set('authorization', 'Bearer 9b2d6f3e-0000-4000-8000-000000000000');
    expect(forged.status).toBe(401);
  });

  it('creates, lists, updates and deletes dashboard logins with the command', async () => {
    const created = await dashboardCommand(
      app,
      'users',
      'create',
      '--email',
      VIEWER.email,
      '--password',
      VIEWER.password,
    );
    expect(created).toMatchObject({ code: 0, output: expect.stringContaining(VIEWER.email) });
    const weak = await dashboardCommand(
      app,
      'users',
      'create',
      '--email',
      'x@example.com',
      '--password',
      'short',
    );
    expect(weak.code).toBe(1);
    expect(weak.output).toContain('Password must contain at least 8 characters');
    expect(weak.output).not.toContain('short');
    expect((await app.get(DashboardUsers).list()).map((u) => u.email)).toEqual([
      OPS.email,
      VIEWER.email,
    ]);
    const listed = await dashboardCommand(app, 'users', 'list');
    expect(listed.output.split('\n').map((line) => line.split('\t')[0])).toEqual([
      OPS.email,
      VIEWER.email,
    ]);
    const unknown = await dashboardCommand(app, 'users', 'delete', '--email', 'nobody@example.com');
    expect(unknown).toMatchObject({
      code: 1,
      output: "Error: No dashboard user 'nobody@example.com'.",
    });
    const usage = await dashboardCommand(app, 'users', 'create', '--email', 'a@example.com');
    expect(usage.code).toBe(2);

    const temp = dashboard(app);
    await dashboardCommand(
      app,
      'users',
      'create',
      '--email',
      'temp@example.com',
      '--password',
      'temp-pass-3',
    );
    expect((await temp.signIn('temp@example.com', 'temp-pass-3')).body.status).toBe('OK');
    expect((await temp.get('/users/count')).status).toBe(200);
    await dashboardCommand(
      app,
      'users',
      'update',
      '--email',
      'temp@example.com',
      '--new-password',
      'temp-pass-4',
    );
    expect((await dashboard(app).signIn('temp@example.com', 'temp-pass-3')).body).toEqual({
      status: 'INVALID_CREDENTIALS_ERROR',
    });
    expect(
      (await dashboardCommand(app, 'users', 'delete', '--email', 'temp@example.com')).code,
    ).toBe(0);
    expect((await temp.get('/users/count')).status).toBe(401);
  });

  it('creates, lists and deletes tenants with the command, and the app serves them', async () => {
    const created = await dashboardCommand(app, 'tenants', 'create', 'Acme-Corp');
    expect(created).toEqual({
      code: 0,
      output: 'Created tenant acme-corp: sign-up and sign-in at <apiBasePath>/acme-corp/...',
    });
    expect(
      await dashboardCommand(
        app,
        'tenants',
        'create',
        'pw-only',
        '--first-factors',
        'emailpassword',
      ),
    ).toMatchObject({ code: 0 });
    const listed = await dashboardCommand(app, 'tenants', 'list');
    expect(listed.output.split('\n')).toEqual(
      expect.arrayContaining([
        'public\t(every factor)',
        'acme-corp\t(every factor)',
        'pw-only\temailpassword',
      ]),
    );
    const signUp = await new HeaderClient(app, '/auth/acme-corp').signUp();
    expect(signUp.body).toMatchObject({ status: 'OK', user: { tenantIds: ['acme-corp'] } });
    expect(await dashboardCommand(app, 'tenants', 'delete', 'acme-corp')).toEqual({
      code: 0,
      output: 'Deleted tenant acme-corp with its sessions; its users stay in the app.',
    });
    expect(await dashboardCommand(app, 'tenants', 'delete', 'acme-corp')).toEqual({
      code: 1,
      output: "Error: No tenant 'acme-corp'.",
    });
    expect((await dashboardCommand(app, 'tenants', 'create')).code).toBe(2);
    const bad = await dashboardCommand(app, 'tenants', 'create', 'bad_id');
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('tenantId can only contain letters, numbers and hyphens');
  });

  it('prints the usage when run without a command, with no error before it', async () => {
    const bare = await runCommand({}, []);
    expect(bare.code).toBe(0);
    expect(bare.output).toMatch(/^Usage: /);
    expect(bare.output).not.toContain('unknown command');
  });

  it('says how to reach the core when none is configured, and when it is down', async () => {
    const noCore = await runCommand({}, ['users', 'list']);
    expect(noCore.code).toBe(1);
    expect(noCore.output).toContain('SUPERTOKENS_CONNECTION_URI');
    const stopped = await startEmbeddedCore();
    await stopped.stop();
    const down = new DashboardUsers({ connectionURI: stopped.connectionURI });
    await expect(down.list()).rejects.toMatchObject({
      code: 'CORE_UNREACHABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  describe('signed in as an admin', () => {
    const ops = () => dashboard(app);
    let admin: ReturnType<typeof dashboard>;
    const emails = [uniqueEmail(), uniqueEmail(), uniqueEmail()];
    const clients: HeaderClient[] = [];
    beforeAll(async () => {
      admin = ops();
      const signIn = await admin.signIn(' OPS@example.com', OPS.password);
      expect(signIn.body).toMatchObject({ status: 'OK', sessionId: expect.any(String) });
      for (const email of emails) {
        const client = new HeaderClient(app);
        await client.signUp(email);
        clients.push(client);
      }
    });

    it('lists users newest first with pagination, and searches', async () => {
      const first = await admin.get('/users?limit=2&timeJoinedOrder=DESC');
      expect(first.status).toBe(200);
      const page1 = first.body as {
        users: { emails: string[] }[];
        nextPaginationToken?: string;
      };
      expect(page1.users.map((u) => u.emails[0])).toEqual([emails[2], emails[1]]);
      expect(page1.nextPaginationToken).toEqual(expect.any(String));
      const second = await admin.get(
        `/users?limit=2&timeJoinedOrder=DESC&paginationToken=${encodeURIComponent(page1.nextPaginationToken!)}`,
      );
      const page2 = second.body as typeof page1;
      expect(page2.users[0]?.emails[0]).toBe(emails[0]);
      const search = await admin.get(`/users?limit=10&email=${emails[1].slice(0, 20)}`);
      expect((search.body as typeof page1).users.map((u) => u.emails[0])).toContain(emails[1]);
      expect((await admin.get('/users/count')).body).toEqual({ status: 'OK', count: 3 });
      expect((await admin.get('/search/tags')).body).toEqual({
        status: 'OK',
        tags: ['email', 'phone', 'provider'],
      });
      expect((await admin.get('/tenants')).status).toBe(200);
    });

    it('shows a user, edits names and metadata, lists and revokes sessions', async () => {
      const userId =
        clients[0].access && ((await clients[0].send('get', '/me')).body.userId as string);
      const user = await admin.get(`/user?userId=${userId}&recipeId=emailpassword`);
      expect(user.body).toMatchObject({ status: 'OK', user: { id: userId, emails: [emails[0]] } });

      expect(
        (
          await admin.put('/user', {
            recipeUserId: userId,
            recipeId: 'emailpassword',
            firstName: 'Ada',
            lastName: 'Lovelace',
            email: '',
            phone: '',
          })
        ).body,
      ).toEqual({ status: 'OK' });
      expect((await admin.put('/user/metadata', { userId, data: '{"plan":"pro"}' })).body).toEqual({
        status: 'OK',
      });
      expect((await admin.get(`/user/metadata?userId=${userId}`)).body).toEqual({
        status: 'OK',
        data: { plan: 'pro' },
      });
      const bad = await admin.put('/user/metadata', { userId, data: 'not json' });
      expect(bad.status).toBe(400);

      const sessions = await admin.get(`/user/sessions?userId=${userId}`);
      const handles = (sessions.body as { sessions: { sessionHandle: string }[] }).sessions.map(
        (s) => s.sessionHandle,
      );
      expect(handles).toHaveLength(1);
      expect((await clients[0].send('get', '/strict')).status).toBe(200);
      expect((await admin.post('/user/sessions', { sessionHandles: handles })).body).toEqual({
        status: 'OK',
      });
      expect((await clients[0].send('get', '/strict')).status).toBe(401);
      expect((await clients[0].refresh()).status).toBe(401);
    });

    it('changes a user email and password, then the user signs in with the new ones', async () => {
      const client = clients[1];
      const userId = (await client.send('get', '/me')).body.userId as string;
      const newEmail = uniqueEmail();
      const changed = await admin.put('/user', {
        recipeUserId: userId,
        recipeId: 'emailpassword',
        firstName: '',
        lastName: '',
        email: newEmail,
        phone: '',
      });
      expect(changed.body).toEqual({ status: 'OK' });
      const taken = await admin.put('/user', {
        recipeUserId: userId,
        recipeId: 'emailpassword',
        firstName: '',
        lastName: '',
        email: emails[2],
        phone: '',
      });
      expect(taken.body).toMatchObject({ status: 'EMAIL_ALREADY_EXISTS_ERROR' });
      expect(
        (await admin.put('/user/password', { recipeUserId: userId, newPassword: 'new-secret-77' }))
          .body,
      ).toEqual({ status: 'OK' });
      expect((await new HeaderClient(app).signIn(newEmail, 'new-secret-77')).body.status).toBe(
        'OK',
      );
      expect((await new HeaderClient(app).signIn(emails[1], 'new-secret-77')).body.status).toBe(
        'WRONG_CREDENTIALS_ERROR',
      );
    });

    it('manages roles, verifies emails, and deletes a user whose sessions then stop working', async () => {
      expect(
        (await admin.put('/userroles/role', { role: 'auditor', permissions: ['read'] })).body,
      ).toMatchObject({ status: 'OK' });
      const client = clients[2];
      const userId = (await client.send('get', '/me')).body.userId as string;
      expect(
        (await admin.put('/userroles/user/roles', { userId, role: 'auditor' })).body,
      ).toMatchObject({ status: 'OK' });
      expect((await admin.get(`/userroles/user/roles?userId=${userId}`)).body).toEqual({
        status: 'OK',
        roles: ['auditor'],
      });
      expect(
        (await admin.put('/user/email/verify', { recipeUserId: userId, verified: true })).body,
      ).toEqual({ status: 'OK' });
      expect((await admin.get(`/user/email/verify?recipeUserId=${userId}`)).body).toEqual({
        status: 'OK',
        isVerified: true,
      });

      expect((await client.send('get', '/strict')).status).toBe(200);
      expect((await admin.delete(`/user?userId=${userId}`)).body).toEqual({ status: 'OK' });
      expect((await admin.get(`/user?userId=${userId}&recipeId=emailpassword`)).body).toEqual({
        status: 'NO_USER_FOUND_ERROR',
      });
      expect((await client.send('get', '/strict')).status).toBe(401);
      expect((await client.refresh()).status).toBe(401);
      expect((await new HeaderClient(app).signIn(emails[2])).body.status).toBe(
        'WRONG_CREDENTIALS_ERROR',
      );
    });

    it('signs out: the dashboard session id stops working', async () => {
      const session = ops();
      await session.signIn(OPS.email, OPS.password);
      expect((await session.post('/signout', {})).body).toEqual({ status: 'OK' });
      expect((await session.get('/users/count')).status).toBe(401);
    });
  });

  it('gives a read-only login 200 on reads and 403 on writes', async () => {
    const viewer = dashboard(app);
    expect((await viewer.signIn(VIEWER.email, VIEWER.password)).body.status).toBe('OK');
    expect((await viewer.get('/users/count')).status).toBe(200);
    const write = await viewer.put('/userroles/role', { role: 'x', permissions: [] });
    expect(write.status).toBe(403);
    expect(write.body).toEqual({ message: 'You are not permitted to perform this operation' });
    expect((await viewer.delete('/user?userId=whoever')).status).toBe(403);
    expect((await viewer.post('/signout', {})).body).toEqual({ status: 'OK' });
  });
});

describe('dashboard with admins: []', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ dashboard: { admins: [], users: [OPS], csp: false } });
  });
  afterAll(() => app.close());

  it('makes everyone read-only, and csp: false sends no policy', async () => {
    const ops = dashboard(app);
    await ops.signIn(OPS.email, OPS.password);
    expect((await ops.get('/users/count')).status).toBe(200);
    expect((await ops.put('/user/password', { recipeUserId: 'x', newPassword: 'y' })).status).toBe(
      403,
    );
    const page = await request(app.getHttpServer()).get('/auth/dashboard');
    expect(page.headers['content-security-policy']).toBeUndefined();
  });
});

describe('dashboard options', () => {
  it('serves a self-hosted bundle and allows exactly its path in the CSP', async () => {
    const bundleLocation = 'https://static.example.com/st-dashboard/build/';
    const app = await createTestApp({ dashboard: { bundleLocation } });
    try {
      const page = await request(app.getHttpServer()).get('/auth/dashboard');
      expect(page.text).toContain(`${bundleLocation}static/js/bundle.js`);
      expect(page.text).not.toContain('cdn.jsdelivr.net');
      const csp = page.headers['content-security-policy'];
      expect(csp).toContain(`script-src 'self' 'unsafe-inline' ${bundleLocation};`);
      expect(csp).not.toContain('jsdelivr');
    } finally {
      await app.close();
    }
  });

  it('refuses a relative bundle location and a weak start-up password, without echoing it', async () => {
    await expect(createTestApp({ dashboard: { bundleLocation: '/static/' } })).rejects.toThrow(
      /dashboard\.bundleLocation must be the absolute URL/,
    );
    const failure = createTestApp({
      dashboard: { users: [{ email: 'ops@example.com', password: 'weakling' }] },
    });
    await expect(failure).rejects.toThrow(
      /dashboard\.users\[0\] \(ops@example\.com\): The password is too weak: Password must contain at least one number/,
    );
    await expect(failure).rejects.not.toThrow(/weakling/);
  });
});

describe('dashboard on a core with an API key, admins unset', () => {
  const API_KEY = 'dashboard-e2e-key-0123456789';
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ apiKey: API_KEY, roles: true, dashboard: { users: [OPS] } });
  });
  afterAll(() => app.close());

  it('provisions with the key, lets every login write, and the command needs the key', async () => {
    const ops = dashboard(app);
    expect((await ops.signIn(OPS.email, OPS.password)).body.status).toBe('OK');
    expect((await ops.put('/userroles/role', { role: 'writer', permissions: [] })).status).toBe(
      200,
    );

    const withoutKey = await runCommand({ ...coreOf(app), SUPERTOKENS_API_KEY: undefined }, [
      'users',
      'list',
    ]);
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.output).toMatch(/refused the API key \(401\)/);
    const withKey = await runCommand({ ...coreOf(app), SUPERTOKENS_API_KEY: API_KEY }, [
      'users',
      'list',
    ]);
    expect(withKey.code).toBe(0);
    expect(withKey.output).toContain(OPS.email);
    expect(withoutKey.output + withKey.output).not.toContain(API_KEY);
  });
});
