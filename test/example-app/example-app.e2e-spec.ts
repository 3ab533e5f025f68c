import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AppModule } from '../../src/app.module.js';
import {
  getAuthOptionsToken,
  type AuthModuleOptions,
  UserRolesService,
} from '../../src/auth/index.js';
import { totpCode } from '../../src/testing/index.js';
import { HeaderClient } from '../support/auth-client.js';
import { createPlatformApp } from '../support/platform.js';

/** The example app that `npm start` runs, configured from the environment with its defaults. */
describe('example app', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = createPlatformApp(moduleRef);
    await app.listen(0, '127.0.0.1');
  });
  afterAll(() => app.close());

  it('serves GET /public to anyone', async () => {
    const response = await request(app.getHttpServer()).get('/public');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ message: 'Anyone can read this.' });
  });

  it('serves its sign-in page at / and reports the core healthy at /health', async () => {
    const page = await request(app.getHttpServer()).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script src="/sign-in-page/page.js"></script>');
    const health = await request(app.getHttpServer()).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', info: { supertokens: { status: 'up' } } });
  });

  it('answers GET /me with 401 without a session and with the session after sign-up', async () => {
    expect((await request(app.getHttpServer()).get('/me')).status).toBe(401);
    const client = new HeaderClient(app);
    const signUp = await client.signUp();
    const me = await client.send('get', '/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      userId: signUp.body.user.id,
      sessionHandle: expect.any(String),
      accessTokenPayload: { sub: signUp.body.user.id },
    });
  });

  it('serves the sign-in page at the verification link, /auth/verify-email', async () => {
    const page = await request(app.getHttpServer()).get('/auth/verify-email').query({
      token: 'a-token',
      tenantId: 'public',
    });
    expect(page.status).toBe(200);
    expect(page.text).toBe((await request(app.getHttpServer()).get('/')).text);
  });

  it('answers GET /profile with who the session is: email, tenant, roles, login methods', async () => {
    expect((await request(app.getHttpServer()).get('/profile')).status).toBe(401);
    const client = new HeaderClient(app);
    const email = `pat-${Date.now()}@example.com`;
    const signUp = await client.signUp(email);
    const profile = await client.send('get', '/profile');
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({
      userId: signUp.body.user.id,
      tenantId: 'public',
      email,
      phoneNumber: null,
      emailVerified: false,
      roles: [],
      loginMethods: [{ recipeId: 'emailpassword', email, verified: false }],
    });
  });

  it('answers GET /optional with and without a session', async () => {
    expect((await request(app.getHttpServer()).get('/optional')).body).toEqual({ signedIn: false });
    const client = new HeaderClient(app);
    const signUp = await client.signUp();
    expect((await client.send('get', '/optional')).body).toEqual({
      signedIn: true,
      userId: signUp.body.user.id,
    });
  });

  it('answers GET /mfa with 404 naming MFA=totp while there is no second factor', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    const mfa = await client.send('get', '/mfa');
    expect([mfa.status, mfa.body.message]).toEqual([
      404,
      'No second factor here: set MFA=totp in .env to turn it on.',
    ]);
  });

  it('answers GET /admin and GET /verified with 403 invalid claim for a new user', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    const admin = await client.send('get', '/admin');
    expect(admin.status).toBe(403);
    expect(admin.body).toMatchObject({
      message: 'invalid claim',
      claimValidationErrors: [{ id: 'st-role' }],
    });
    const verified = await client.send('get', '/verified');
    expect(verified.status).toBe(403);
    expect(verified.body).toMatchObject({ claimValidationErrors: [{ id: 'st-ev' }] });
  });
});

describe('example app with ADMIN_EMAILS', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    process.env.ADMIN_EMAILS = 'boss@example.com, Chief@Example.com';
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = createPlatformApp(moduleRef);
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    delete process.env.ADMIN_EMAILS;
    await app.close();
  });

  it('creates the admin role at start-up', async () => {
    expect(await app.get(UserRolesService).getAllRoles()).toContain('admin');
  });

  it('gives a listed email the admin role at sign-up, in its first access token', async () => {
    const client = new HeaderClient(app);
    const signUp = await client.signUp('chief@example.com');
    expect(signUp.body.status).toBe('OK');
    const admin = await client.send('get', '/admin');
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({ message: 'Hello, admin.', userId: signUp.body.user.id });
    expect((await client.send('get', '/profile')).body).toMatchObject({ roles: ['admin'] });
    expect(await app.get(UserRolesService).getRolesForUser(signUp.body.user.id)).toEqual(['admin']);
  });

  it('gives the role again at sign-in (an account made before its email was listed)', async () => {
    const roles = app.get(UserRolesService);
    const signUp = await new HeaderClient(app).signUp('boss@example.com');
    const userId = signUp.body.user.id as string;
    await roles.removeRoleFromUser(userId, 'admin');
    const client = new HeaderClient(app);
    expect((await client.signIn('boss@example.com')).body.status).toBe('OK');
    expect((await client.send('get', '/admin')).status).toBe(200);
    expect(await roles.getRolesForUser(userId)).toEqual(['admin']);
  });

  it('gives other emails no role', async () => {
    const client = new HeaderClient(app);
    const signUp = await client.signUp('worker@example.com');
    expect((await client.send('get', '/admin')).status).toBe(403);
    expect(await app.get(UserRolesService).getRolesForUser(signUp.body.user.id)).toEqual([]);
  });
});

describe('example app with GitHub configured', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    process.env.GITHUB_CLIENT_ID = 'example-client-id';
    process.env.GITHUB_CLIENT_SECRET = 'example-client-secret';
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = createPlatformApp(moduleRef);
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    delete process.env.GITHUB_CLIENT_ID;
    delete process.env.GITHUB_CLIENT_SECRET;
    await app.close();
  });

  it('offers "Sign in with GitHub" (and not Google) and sends the browser to GitHub', async () => {
    const page = await request(app.getHttpServer()).get('/');
    expect(page.text).toContain(
      '<meta name="providers" content="[{&quot;id&quot;:&quot;github&quot;,&quot;name&quot;:&quot;GitHub&quot;}]" />',
    );
    expect((await request(app.getHttpServer()).get('/callback/github')).text).toBe(page.text);
    const url = await request(app.getHttpServer()).get('/auth/authorisationurl').query({
      thirdPartyId: 'github',
      redirectURIOnProviderDashboard: 'http://localhost:3000/callback/github',
    });
    expect(url.body.status).toBe('OK');
    expect(url.body.urlWithQueryParams).toMatch(
      /^https:\/\/github\.com\/login\/oauth\/authorize\?.*client_id=example-client-id/,
    );
    expect(JSON.stringify(url.body)).not.toContain('example-client-secret');
    const google = await request(app.getHttpServer()).get('/auth/authorisationurl').query({
      thirdPartyId: 'google',
      redirectURIOnProviderDashboard: 'http://localhost:3000/callback/google',
    });
    expect(google.status).toBeGreaterThanOrEqual(400);
    expect(google.status).toBeLessThan(500);
  });

  it('links a GitHub sign-in to the password account with the same verified email', () => {
    expect(app.get<AuthModuleOptions>(getAuthOptionsToken()).accountLinking).toBe(true);
  });
});

describe('example app with MFA=totp', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    process.env.MFA = 'totp';
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = createPlatformApp(moduleRef);
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    delete process.env.MFA;
    await app.close();
  });

  it('asks for an authenticator code on GET /mfa only, and lets the user enrol one', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    expect((await client.send('get', '/me')).status).toBe(200);
    const refused = await client.send('get', '/mfa');
    expect(refused.status).toBe(403);
    expect(refused.body.claimValidationErrors).toEqual([expect.objectContaining({ id: 'st-mfa' })]);
    const device = await client.send('post', '/auth/totp/device', {});
    expect(device.body).toMatchObject({ status: 'OK', deviceName: 'TOTP Device 0' });
    const verified = await client.send('post', '/auth/totp/device/verify', {
      deviceName: 'TOTP Device 0',
      totp: totpCode(device.body.secret as string),
    });
    expect(verified.body).toEqual({ status: 'OK', wasAlreadyVerified: false });
    expect((await client.send('get', '/mfa')).body).toMatchObject({
      message: 'Your second factor is done.',
    });
  });
});
