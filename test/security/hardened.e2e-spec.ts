import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import Passwordless from 'supertokens-node/recipe/passwordless';
import { AuthConfigError } from '../../src/auth/index.js';
import { SESSION_DEADLINE_CLAIM } from '../../src/auth/security/session-lifetime.js';
import { formFields, HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/** security: 'hardened' closes the ASVS gaps of SuperTokens' defaults; each one is checked here. */
describe("security: 'hardened'", () => {
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());
  beforeAll(async () => {
    app = await createTestApp({
      security: 'hardened',
      passwordless: { contactMethod: 'EMAIL_OR_PHONE', flowType: 'USER_INPUT_CODE' },
    });
  });
  afterAll(() => app.close());

  it('refuses passwords bcrypt would cut (over 72 bytes) on sign-up and reset, and takes 64+ characters', async () => {
    const long = 'aA1'.repeat(24) + 'x'; // 73 bytes
    const refused = await http().post('/auth/signup').send(formFields(uniqueEmail(), long));
    expect(refused.body).toEqual({
      status: 'FIELD_ERROR',
      formFields: [
        { id: 'password', error: 'Password must be at most 72 bytes (longer ones would be cut)' },
      ],
    });
    // 25 three-byte characters are 75 bytes: refused though only 25 characters long.
    const wide = await http()
      .post('/auth/signup')
      .send(formFields(uniqueEmail(), '€'.repeat(24) + 'a1'));
    expect(wide.body.status).toBe('FIELD_ERROR');
    const reset = await http()
      .post('/auth/user/password/reset')
      .send({ method: 'token', token: 'x', formFields: [{ id: 'password', value: long }] });
    expect(reset.body.status).toBe('FIELD_ERROR');
    const email = uniqueEmail();
    const sixtyFour = 'Correct-horse-battery-staple-1'.padEnd(72, '9');
    expect((await http().post('/auth/signup').send(formFields(email, sixtyFour))).body.status).toBe(
      'OK',
    );
    expect((await new HeaderClient(app).signIn(email, sixtyFour)).body.status).toBe('OK');
    // The 73rd byte matters: a password differing only there does not sign in.
    expect((await new HeaderClient(app).signIn(email, `${sixtyFour}x`)).body.status).toBe(
      'WRONG_CREDENTIALS_ERROR',
    );
  });

  it('has no endpoint that says whether an email or phone number has an account', async () => {
    expect((await http().get('/auth/emailpassword/email/exists?email=a@example.com')).status).toBe(
      404,
    );
    expect((await http().get('/auth/passwordless/email/exists?email=a@example.com')).status).toBe(
      404,
    );
    expect(
      (await http().get('/auth/passwordless/phonenumber/exists?phoneNumber=%2B16505550100')).status,
    ).toBe(404);
  });

  it('turns anti-CSRF tokens on for cookie sessions', async () => {
    const agent = request.agent(app.getHttpServer());
    const signUp = await agent
      .post('/auth/signup')
      .set('st-auth-mode', 'cookie')
      .send(formFields(uniqueEmail(), PASSWORD));
    const antiCsrf = signUp.headers['anti-csrf'];
    expect(antiCsrf).toEqual(expect.any(String));
    expect((await agent.post('/me/payload')).status).toBe(401);
    expect((await agent.post('/me/payload').set('anti-csrf', antiCsrf)).status).toBe(201);
  });

  it('gives one-time codes 10 minutes', async () => {
    const code = await Passwordless.createCode({ tenantId: 'public', email: 'otp@example.com' });
    expect(code).toMatchObject({ status: 'OK', codeLifetime: 600_000 });
  });

  it('puts a 12-hour deadline in new sessions', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    const me = await client.send('get', '/me');
    const deadline = (me.body as { payload: Record<string, number> }).payload[
      SESSION_DEADLINE_CLAIM
    ];
    expect(deadline * 1000 - Date.now()).toBeGreaterThan(12 * 3600_000 - 60_000);
    expect(deadline * 1000 - Date.now()).toBeLessThanOrEqual(12 * 3600_000);
  });
});

describe('security.absoluteSessionLifetime', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ security: { absoluteSessionLifetime: 2 } });
  });
  afterAll(() => app.close());

  it('ends a session at its deadline however it is used: guarded routes and refresh answer 401', async () => {
    const client = new HeaderClient(app);
    const email = uniqueEmail();
    await client.signUp(email);
    expect((await client.send('get', '/me')).status).toBe(200);
    expect((await client.refresh()).status).toBe(200);
    expect((await client.send('get', '/me')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await client.send('get', '/me')).status).toBe(401);
    expect((await client.refresh()).status).toBe(401);
    // Signing in again starts a new session with a new deadline.
    const again = new HeaderClient(app);
    expect((await again.signIn(email)).body.status).toBe('OK');
    expect((await again.send('get', '/me')).status).toBe(200);
  });

  it('is refused at start-up when it is not a number of seconds', async () => {
    await expect(createTestApp({ security: { absoluteSessionLifetime: -5 } })).rejects.toThrow(
      AuthConfigError,
    );
    await expect(createTestApp({ security: { absoluteSessionLifetime: -5 } })).rejects.toThrow(
      'security.absoluteSessionLifetime must be a number of seconds',
    );
  });
});

describe("security: 'hardened' on an https API: __Host- and __Secure- session cookies", () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({
      security: 'hardened',
      appInfo: {
        appName: 'test',
        apiDomain: 'https://api.example.com',
        websiteDomain: 'https://app.example.com',
      },
    });
  });
  afterAll(() => app.close());

  const cookiesOf = (response: request.Response) =>
    (response.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]);

  it('sets prefixed cookies, reads them back, and ignores plain-named (plantable) ones', async () => {
    const signUp = await request(app.getHttpServer())
      .post('/auth/signup')
      .set('st-auth-mode', 'cookie')
      .send(formFields(uniqueEmail(), PASSWORD));
    const setCookie = signUp.headers['set-cookie'] as unknown as string[];
    const access = setCookie.find((c) => c.startsWith('__Host-sAccessToken='))!;
    expect(access).toMatch(/; Path=\/(;|$)/);
    expect(access).toMatch(/; Secure/i);
    expect(access).not.toMatch(/Domain=/i);
    expect(setCookie.some((c) => c.startsWith('__Secure-sRefreshToken='))).toBe(true);
    expect(setCookie.some((c) => /^s(Access|Refresh)Token=/.test(c))).toBe(false);

    const [accessPair] = cookiesOf(signUp).filter((c) => c.startsWith('__Host-sAccessToken='));
    const me = await request(app.getHttpServer()).get('/me').set('cookie', accessPair);
    expect(me.status).toBe(200);
    // The same token under the plain name is what a sibling subdomain could plant: ignored.
    const planted = accessPair.replace('__Host-sAccessToken=', 'sAccessToken=');
    expect((await request(app.getHttpServer()).get('/me').set('cookie', planted)).status).toBe(401);
  });

  it('refreshes through the prefixed refresh cookie', async () => {
    const signUp = await request(app.getHttpServer())
      .post('/auth/signup')
      .set('st-auth-mode', 'cookie')
      .send(formFields(uniqueEmail(), PASSWORD));
    const refreshPair = cookiesOf(signUp).find((c) => c.startsWith('__Secure-sRefreshToken='))!;
    const refreshed = await request(app.getHttpServer())
      .post('/auth/session/refresh')
      .set('cookie', refreshPair)
      .set('anti-csrf', signUp.headers['anti-csrf']);
    expect(refreshed.status).toBe(200);
    expect(cookiesOf(refreshed).some((c) => c.startsWith('__Host-sAccessToken='))).toBe(true);
  });
});
