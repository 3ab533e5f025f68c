import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { rawRequest as raw } from '../support/raw-request.js';
import { createTestApp } from '../support/test-app.js';

const ADMIN = { email: 'ops@example.com', password: 'ops-pass-1' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer-pass-2' };

/** Every dashboard API that writes (supertokens-node 24's list; sign-in/out and analytics aside). */
const WRITE_APIS: [string, string][] = [
  ['POST', '/user'],
  ['PUT', '/user'],
  ['DELETE', '/user'],
  ['PUT', '/user/email/verify'],
  ['PUT', '/user/metadata'],
  ['POST', '/user/sessions'],
  ['PUT', '/user/password'],
  ['POST', '/user/email/verify/token'],
  ['PUT', '/userroles/role'],
  ['DELETE', '/userroles/role'],
  ['PUT', '/userroles/role/permissions'],
  ['PUT', '/userroles/role/permissions/remove'],
  ['PUT', '/userroles/user/roles'],
  ['DELETE', '/userroles/user/roles'],
  ['POST', '/user/emailpassword'],
  ['POST', '/user/passwordless'],
  ['POST', '/tenant'],
  ['DELETE', '/tenant'],
  ['PUT', '/tenant/first-factor'],
  ['PUT', '/tenant/required-secondary-factor'],
  ['PUT', '/tenant/core-config'],
  ['PUT', '/thirdparty/config'],
  ['DELETE', '/thirdparty/config'],
];

/**
 * Ways to write one API path so that its raw text ends with an API any login may call (sign-out,
 * analytics), or differs from what the SDK routes: query strings, encodings, case, repeated
 * slashes, dot segments.
 */
const TRICKS: ((api: string) => string)[] = [
  (api) => `/auth/dashboard/api${api}`,
  (api) => `/auth/dashboard/api${api}?x=/api/signout`,
  (api) => `/auth/dashboard/api${api}?/api/analytics`,
  (api) => `/auth/dashboard/api${api}/?x=/api/signout`,
  (api) => `/auth/dashboard/api${api}?x=%2Fapi%2Fsignout&y=/api/signout`,
  (api) => `/auth/dashboard/api${api}%23/api/signout`,
  (api) => `/auth/dashboard/api${api};/api/signout`,
  (api) => `/auth/dashboard/api${api}%3F/api/signout`,
  (api) => `/auth/dashboard//api${api}?x=/api/signout`,
  (api) => `/auth/dashboard/api/.${api}?x=/api/signout`,
  (api) => `/auth/dashboard/api/x/..${api}?x=/api/signout`,
  (api) => `/auth/dashboard/api/%2e${api}?x=/api/signout`,
  (api) => `/auth/./dashboard/api${api}?x=/api/signout`,
  (api) => `/auth/dashboard/API${api}?x=/api/signout`,
  (api) => `/AUTH/dashboard/api${api}?x=/api/signout`,
  (api) => `/auth/dashboard\\api${api}?x=/api/signout`,
];

describe('dashboard write access is decided on the routed path', () => {
  let app: INestApplication<App>;
  let viewerSession: string;
  let userId: string;
  let email: string;

  beforeAll(async () => {
    app = await createTestApp({
      roles: true,
      metadata: true,
      emailVerification: { mode: 'OPTIONAL' },
      dashboard: { admins: [ADMIN.email], users: [ADMIN, VIEWER] },
    });
    const signIn = await request(app.getHttpServer())
      .post('/auth/dashboard/api/signin')
      .send(VIEWER);
    viewerSession = (signIn.body as { sessionId: string }).sessionId;
    email = uniqueEmail();
    const user = await new HeaderClient(app).signUp(email);
    userId = (user.body as { user: { id: string } }).user.id;
  });
  afterAll(() => app.close());

  it.each(WRITE_APIS)(
    'refuses a read-only login %s %s, however the path is written',
    async (method, api) => {
      const body = {
        userId,
        recipeId: 'emailpassword',
        data: { owned: true },
        newPassword: 'taken-over-123',
        role: 'admin',
        permissions: ['all'],
        email: 'attacker@example.com',
        password: 'attacker-pass-1',
        tenantId: 'evil',
      };
      const query = `userId=${userId}&role=admin&tenantId=public&recipeId=emailpassword`;
      for (const trick of TRICKS) {
        const target = trick(api);
        // The API's own parameters first: the trick has to stay at the end of the URL.
        const [path, trickQuery] = target.split(/\?(.*)/s);
        const joined = `${path}?${query}${trickQuery === undefined ? '' : `&${trickQuery}`}`;
        const reply = await raw(
          app,
          method,
          joined,
          { authorization: `Bearer ${viewerSession}` },
          method === 'DELETE' ? undefined : body,
        );
        if (reply.status < 400) throw new Error(`${method} ${joined} answered ${reply.status}`);
        expect([401, 403, 404]).toContain(reply.status);
      }
    },
  );

  it('changed nothing: the user keeps their password, metadata and session', async () => {
    const signIn = await new HeaderClient(app).signIn(email, PASSWORD);
    expect(signIn.body).toMatchObject({ status: 'OK' });
    const admin = await request(app.getHttpServer()).post('/auth/dashboard/api/signin').send(ADMIN);
    const adminSession = (admin.body as { sessionId: string }).sessionId;
    const metadata = await request(app.getHttpServer())
      .get(`/auth/dashboard/api/user/metadata?userId=${userId}`)
      .set('authorization', `Bearer ${adminSession}`);
    expect(metadata.body).toEqual({ status: 'OK', data: {} });
    const roles = await request(app.getHttpServer())
      .get('/auth/dashboard/api/userroles/roles')
      .set('authorization', `Bearer ${adminSession}`);
    expect(roles.body).toEqual({ status: 'OK', roles: [] });
  });

  it('still lets the read-only login sign out with a query string, and the admin write', async () => {
    const admin = await request(app.getHttpServer()).post('/auth/dashboard/api/signin').send(ADMIN);
    const adminSession = (admin.body as { sessionId: string }).sessionId;
    const write = await raw(
      app,
      'PUT',
      `/auth/dashboard/api/user/metadata?x=/api/signout`,
      { authorization: `Bearer ${adminSession}` },
      { userId, data: JSON.stringify({ note: 'by admin' }) },
    );
    expect(write.status).toBe(200);
    const signOut = await raw(app, 'POST', '/auth/dashboard/api/signout?next=/', {
      authorization: `Bearer ${viewerSession}`,
    });
    expect(JSON.parse(signOut.body)).toEqual({ status: 'OK' });
  });

  it('sends the dashboard CSP on every spelling of the dashboard path', async () => {
    for (const path of [
      '/auth/dashboard',
      '/auth/./dashboard',
      '/auth/x/../dashboard',
      '/auth/%2e/dashboard/',
      '/auth/dashboard?x=1',
      '/auth//dashboard',
      '/auth/Dashboard',
    ]) {
      const response = await raw(app, 'GET', path, {});
      expect({ path, csp: typeof response.headers['content-security-policy'] }).toEqual({
        path,
        csp: 'string',
      });
    }
  });
});
