import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { startHangWatchdog } from '../support/hang-watchdog.js';
import { createTestApp } from '../support/test-app.js';
import {
  FUZZ_RUNS,
  FUZZ_TIMEOUT_MS,
  fuzzBody,
  fuzzHeaders,
  fuzzQuery,
  type Sent,
} from './fuzz-inputs.js';

const OPS = { email: 'ops@example.com', password: 'ops-pass-1' };

/**
 * Every `/auth/*` route the module serves with these options (with the query fields it reads),
 * and the app's guarded routes.
 */
const ROUTES: { method: 'get' | 'post' | 'put' | 'delete'; path: string; query?: string[] }[] = [
  { method: 'post', path: '/auth/signup' },
  { method: 'post', path: '/auth/signin' },
  { method: 'get', path: '/auth/emailpassword/email/exists', query: ['email'] },
  { method: 'post', path: '/auth/user/password/reset/token' },
  { method: 'post', path: '/auth/user/password/reset' },
  { method: 'post', path: '/auth/session/refresh' },
  { method: 'post', path: '/auth/signout' },
  { method: 'post', path: '/auth/signinup/code' },
  { method: 'post', path: '/auth/signinup/code/resend' },
  { method: 'post', path: '/auth/signinup/code/consume' },
  { method: 'get', path: '/auth/passwordless/email/exists', query: ['email'] },
  { method: 'get', path: '/auth/passwordless/phonenumber/exists', query: ['phoneNumber'] },
  { method: 'post', path: '/auth/user/email/verify/token' },
  { method: 'post', path: '/auth/user/email/verify' },
  { method: 'get', path: '/auth/user/email/verify' },
  { method: 'post', path: '/auth/nope/signin' },
  { method: 'get', path: '/auth/dashboard' },
  { method: 'post', path: '/auth/dashboard/api/signin' },
  {
    method: 'get',
    path: '/auth/dashboard/api/users',
    query: ['limit', 'timeJoinedOrder', 'paginationToken', 'email', 'phone'],
  },
  { method: 'get', path: '/auth/dashboard/api/users/count' },
  { method: 'get', path: '/auth/dashboard/api/user', query: ['userId', 'recipeId'] },
  { method: 'put', path: '/auth/dashboard/api/user' },
  { method: 'delete', path: '/auth/dashboard/api/user', query: ['userId'] },
  { method: 'get', path: '/auth/dashboard/api/user/metadata', query: ['userId'] },
  { method: 'put', path: '/auth/dashboard/api/user/metadata' },
  { method: 'get', path: '/auth/dashboard/api/user/sessions', query: ['userId'] },
  { method: 'post', path: '/auth/dashboard/api/user/sessions' },
  { method: 'put', path: '/auth/dashboard/api/user/password' },
  { method: 'get', path: '/auth/dashboard/api/user/email/verify', query: ['recipeUserId'] },
  { method: 'put', path: '/auth/dashboard/api/user/email/verify' },
  { method: 'post', path: '/auth/dashboard/api/user/email/verify/token' },
  { method: 'put', path: '/auth/dashboard/api/userroles/role' },
  { method: 'get', path: '/auth/dashboard/api/userroles/role/permissions', query: ['role'] },
  { method: 'put', path: '/auth/dashboard/api/userroles/user/roles' },
  { method: 'get', path: '/auth/dashboard/api/userroles/user/roles', query: ['userId'] },
  { method: 'delete', path: '/auth/dashboard/api/userroles/user/roles', query: ['userId', 'role'] },
  { method: 'delete', path: '/auth/dashboard/api/userroles/role', query: ['role'] },
  { method: 'post', path: '/auth/dashboard/api/user/emailpassword' },
  { method: 'post', path: '/auth/dashboard/api/user/passwordless' },
  { method: 'get', path: '/auth/dashboard/api/tenant', query: ['tenantId'] },
  { method: 'get', path: '/auth/dashboard/api/tenants' },
  { method: 'get', path: '/auth/dashboard/api/search/tags' },
  { method: 'get', path: '/auth/dashboard/api/userroles/roles' },
  { method: 'put', path: '/auth/dashboard/api/userroles/role/permissions/remove' },
  { method: 'get', path: '/auth/dashboard/api/user/unlink', query: ['recipeUserId'] },
  { method: 'post', path: '/auth/dashboard/api/analytics' },
  // Routes behind AuthGuard: random credentials, modes and anti-CSRF headers.
  { method: 'get', path: '/me' },
  { method: 'get', path: '/optional' },
  { method: 'get', path: '/strict' },
  { method: 'post', path: '/me/payload' },
  // Last: it may end the fuzzer's dashboard session.
  { method: 'post', path: '/auth/dashboard/api/signout' },
];

/**
 * Property: whatever a client sends to any auth route (body, query, headers), the answer is not a
 * 5xx, nothing is left rejected, the app stays healthy, and an existing user and its session
 * still work afterwards.
 */
describe('fuzzing every /auth route and the guarded routes (fast-check)', () => {
  let app: INestApplication<App>;
  let user: HeaderClient;
  let email: string;
  let dashboardSession: string;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  let stopWatchdog: () => void;
  beforeAll(async () => {
    stopWatchdog = startHangWatchdog();
    process.on('unhandledRejection', onRejection);
    app = await createTestApp({
      passwordless: { contactMethod: 'EMAIL_OR_PHONE', flowType: 'USER_INPUT_CODE_AND_MAGIC_LINK' },
      emailVerification: { mode: 'OPTIONAL' },
      roles: true,
      metadata: true,
      dashboard: { users: [OPS] },
    });
    email = uniqueEmail();
    user = new HeaderClient(app);
    await user.signUp(email);
    const signIn = await request(app.getHttpServer()).post('/auth/dashboard/api/signin').send(OPS);
    dashboardSession = (signIn.body as { sessionId: string }).sessionId;
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    stopWatchdog();
    await app.close();
  });

  async function send(method: string, path: string, input: Sent) {
    const query = new URLSearchParams(input.query).toString();
    let test = request(app.getHttpServer())[method as 'get'](query ? `${path}?${query}` : path);
    for (const [name, value] of Object.entries(input.headers)) test = test.set(name, value);
    if (input.dashboard) test = test.set('authorization', `Bearer ${dashboardSession}`);
    if (input.body !== undefined) {
      test = test.set('content-type', 'application/json').send(input.body as object);
    }
    return test;
  }

  it.each(ROUTES)(
    '$method $path never answers 5xx',
    async ({ method, path, query }) => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            body: method === 'get' ? fc.constant(undefined) : fuzzBody(),
            query: fuzzQuery(query ?? []),
            headers: fuzzHeaders([user.access!]),
            dashboard: fc.boolean(),
          }),
          async (input) => {
            const response = await send(method, path, input);
            if (response.status >= 500) {
              throw new Error(`${response.status} ${JSON.stringify(response.body)}`);
            }
          },
        ),
        { numRuns: FUZZ_RUNS, endOnFailure: true },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it('leaves the app healthy and the existing user and session intact, with no unhandled rejection', async () => {
    expect((await request(app.getHttpServer()).get('/public')).status).toBe(200);
    expect((await user.send('get', '/strict')).status).toBe(200);
    expect((await new HeaderClient(app).signIn(email, PASSWORD)).body.status).toBe('OK');
    expect(rejections).toEqual([]);
  });
});
