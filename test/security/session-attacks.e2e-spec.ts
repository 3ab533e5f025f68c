import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AUTH_RUNTIME } from '../../src/auth/module/auth.constants.js';
import type { AuthRuntime } from '../../src/auth/module/auth-runtime.interface.js';
import {
  formFields,
  HeaderClient,
  PASSWORD,
  setCookies,
  uniqueEmail,
} from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

describe('refresh-token theft', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('re-use of a rotated refresh token revokes the session: every token of it is refused', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    const stolen = client.refreshToken;
    expect((await client.refresh()).status).toBe(200);
    expect((await client.send('get', '/strict')).status).toBe(200); // promotes the new token
    const current = client.refreshToken;

    const theft = await client.refresh(stolen);
    expect(theft.status).toBe(401);
    expect(theft.body).toEqual({ message: 'token theft detected' });

    expect((await client.refresh(current)).status).toBe(401);
    expect((await client.refresh(stolen)).status).toBe(401);
    expect((await client.authed('get', '/strict')).status).toBe(401);
  });

  it('a refresh token of a signed-out session is refused', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    const kept = client.refreshToken;
    await client.signOut();
    expect((await client.refresh(kept)).body).toEqual({ message: 'unauthorised' });
  });
});

describe('cookies on an https API with SameSite=strict', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({
      appInfo: {
        appName: 'secure',
        apiDomain: 'https://api.example.com',
        websiteDomain: 'https://app.example.com',
      },
      session: { cookieSameSite: 'strict' },
    });
  });
  afterAll(() => app.close());

  it('are HttpOnly, Secure, SameSite=Strict, and the refresh cookie only goes to the refresh path', async () => {
    const signUp = await request(app.getHttpServer())
      .post('/auth/signup')
      .set('st-auth-mode', 'cookie')
      .send(formFields(uniqueEmail(), PASSWORD));
    const cookies = setCookies(signUp);
    for (const name of ['sAccessToken', 'sRefreshToken']) {
      expect(cookies.get(name)).toMatch(/; HttpOnly/i);
      expect(cookies.get(name)).toMatch(/; Secure/i);
      expect(cookies.get(name)).toMatch(/SameSite=Strict/i);
    }
    expect(cookies.get('sRefreshToken')).toMatch(/Path=\/auth\/session\/refresh(;|$)/);
    expect(cookies.get('sAccessToken')).toMatch(/Path=\/(;|$)/);
  });
});

describe('CSRF with anti-CSRF by custom header', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ session: { antiCsrf: 'VIA_CUSTOM_HEADER' } });
  });
  afterAll(() => app.close());

  it('refuses a cookie-authenticated state-changing request without the rid header', async () => {
    const agent = request.agent(app.getHttpServer());
    await agent
      .post('/auth/signup')
      .set('st-auth-mode', 'cookie')
      .send(formFields(uniqueEmail(), PASSWORD));
    // What a cross-site form post looks like: the cookies, no custom header.
    const forged = await agent.post('/me/payload');
    expect(forged.status).toBe(401);
    const sameSite = await agent.post('/me/payload').set('rid', 'anti-csrf');
    expect(sameSite.status).toBe(201);
  });
});

describe('user enumeration through sign-in', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('answers a wrong password and an unknown email identically', async () => {
    const email = uniqueEmail();
    await new HeaderClient(app).signUp(email);
    const wrongPassword = await new HeaderClient(app).signIn(email, 'wrong-password-1');
    const unknownEmail = await new HeaderClient(app).signIn(uniqueEmail(), 'wrong-password-1');
    expect(wrongPassword.status).toBe(200);
    expect(wrongPassword.body).toEqual({ status: 'WRONG_CREDENTIALS_ERROR' });
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(unknownEmail.headers['st-access-token']).toBeUndefined();
  });
});

describe('the embedded core on the network', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ apiKey: 'e2e-api-key-0123456789abcdef' });
  });
  afterAll(() => app.close());

  it('listens on loopback only: other interfaces of this machine refuse the connection', async () => {
    const core = app.get<AuthRuntime>(AUTH_RUNTIME).embeddedCore!;
    expect(core.host).toBe('127.0.0.1');
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address);
    for (const address of external) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port: core.port, timeout: 2000 });
        socket.once('connect', () => resolve('connected'));
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        socket.once('timeout', () => resolve('timeout'));
      });
      expect(outcome).not.toBe('connected');
    }
  });

  it('refuses calls without the API key or with a wrong one, without echoing it', async () => {
    const { connectionURI } = app.get<AuthRuntime>(AUTH_RUNTIME);
    const missing = await fetch(`${connectionURI}/recipe/dashboard/users`);
    expect(missing.status).toBe(401);
    const wrong = await fetch(`${connectionURI}/recipe/dashboard/users`, {
      headers: { 'api-key': 'guess-0123456789abcdefghij' },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('guess');
    // The app itself, holding the key, still works.
    expect((await new HeaderClient(app).signUp()).status).toBe(200);
  });
});
