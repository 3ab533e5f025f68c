import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { decodeJwt } from 'jose';
import { HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/** The whole session life cycle over HTTP with header-based tokens (`st-auth-mode: header`). */
describe('sessions in header mode', () => {
  let app: INestApplication<App>;
  /** Shifts the embedded core's clock; the app and SDK keep the real one. */
  let skewMs = 0;

  beforeAll(async () => {
    app = await createTestApp({ embeddedCore: { now: () => Date.now() + skewMs } });
  });
  afterAll(() => app.close());
  afterEach(() => {
    skewMs = 0;
  });

  it('signs up and reaches a guarded route; 401 without a session', async () => {
    const client = new HeaderClient(app);
    const signUp = await client.signUp();
    expect(signUp.status).toBe(200);
    expect(signUp.body).toMatchObject({ status: 'OK', user: { id: expect.any(String) } });
    expect(client.access).toBeDefined();
    expect(client.refreshToken).toBeDefined();

    const anonymous = await request(app.getHttpServer()).get('/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ message: 'unauthorised' });

    const me = await client.send('get', '/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: signUp.body.user.id, handle: expect.any(String) });
    expect(me.body.payload).toMatchObject({
      sub: signUp.body.user.id,
      iss: 'http://localhost:3000/auth',
    });
  });

  it('names the scheme and what went wrong in WWW-Authenticate on a 401, the body unchanged', async () => {
    const get = () => request(app.getHttpServer()).get('/me');
    const none = await get();
    expect([none.status, none.body]).toEqual([401, { message: 'unauthorised' }]);
    expect(none.headers['www-authenticate']).toBe('Bearer, Cookie cookie-name="sAccessToken"');

    const notBearer = await get().set('authorization', 'Token abc');
    expect([notBearer.status, notBearer.body]).toEqual([401, { message: 'unauthorised' }]);
    expect(notBearer.headers['www-authenticate']).toBe(
      'Bearer error="invalid_request", error_description="send the access token as Authorization: Bearer <token>"',
    );

    const garbage = await get().set('authorization', 'Bearer not-a-token');
    expect([garbage.status, garbage.body]).toEqual([401, { message: 'unauthorised' }]);
    expect(garbage.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="unauthorised"',
    );

    // A real token with its signature broken: the SDK's "try refresh token".
    const client = new HeaderClient(app);
    await client.signUp();
    const forged = `${client.access!.slice(0, -6)}AAAAAA`;
    const refused = await get().set('authorization', `Bearer ${forged}`);
    expect([refused.status, refused.body]).toEqual([401, { message: 'try refresh token' }]);
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="try refresh token"',
    );
    const cookie = await get().set('cookie', `sAccessToken=${forged}`);
    expect([cookie.status, cookie.body]).toEqual([401, { message: 'try refresh token' }]);
    expect(cookie.headers['www-authenticate']).toBe(
      'Cookie cookie-name="sAccessToken", error="invalid_token", error_description="try refresh token"',
    );
  });

  it('refuses a duplicate sign-up and a wrong password with the SDK field errors', async () => {
    const email = uniqueEmail();
    await new HeaderClient(app).signUp(email);
    const duplicate = await new HeaderClient(app).signUp(email);
    expect(duplicate.status).toBe(200);
    expect(duplicate.body).toMatchObject({
      status: 'FIELD_ERROR',
      formFields: [{ id: 'email', error: 'This email already exists. Please sign in instead.' }],
    });
    const wrong = await new HeaderClient(app).signIn(email, 'not-the-password-1');
    expect(wrong.body).toEqual({ status: 'WRONG_CREDENTIALS_ERROR' });
    const right = await new HeaderClient(app).signIn(email, PASSWORD);
    expect(right.body.status).toBe('OK');
  });

  it('answers 400 naming the field for a malformed sign-up body', async () => {
    const response = await request(app.getHttpServer())
      .post('/auth/signup')
      .send({ formFields: 'nope' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ message: expect.stringContaining('formFields') });
  });

  it('answers try-refresh-token for an expired access token; refresh brings the route back', async () => {
    const client = new HeaderClient(app);
    skewMs = -2 * 3600 * 1000;
    await client.signUp();
    skewMs = 0;
    const expired = await client.send('get', '/me');
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: 'try refresh token' });

    const refreshed = await client.refresh();
    expect(refreshed.status).toBe(200);
    const after = await client.send('get', '/me');
    expect(after.status).toBe(200);
  });

  it('promotes the refreshed token on first use and treats old refresh tokens as theft', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    const firstRefreshToken = client.refreshToken;
    await client.refresh();
    expect(decodeJwt(client.access!).parentRefreshTokenHash1).toEqual(expect.any(String));

    const me = await client.send('get', '/me');
    expect(me.status).toBe(200);
    // The SDK swaps in the promoted token (no parent hash) on that response.
    expect(decodeJwt(client.access!).parentRefreshTokenHash1).toBeNull();

    const theft = await client.refresh(firstRefreshToken);
    expect(theft.status).toBe(401);
    expect(theft.body).toEqual({ message: 'token theft detected' });
    const strict = await client.authed('get', '/strict');
    expect(strict.status).toBe(401);
  });

  it('signs out: the refresh token stops working and database-checked routes refuse the session', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    const { access, refreshToken } = client;
    expect((await client.send('get', '/strict')).status).toBe(200);
    const signOut = await client.signOut();
    expect(signOut.status).toBe(200);
    expect(signOut.body).toEqual({ status: 'OK' });

    client.access = access;
    expect((await client.authed('get', '/strict')).status).toBe(401);
    expect((await client.refresh(refreshToken)).body).toEqual({ message: 'unauthorised' });
  });

  it('lets an optional route through with and without a session', async () => {
    const anonymous = await request(app.getHttpServer()).get('/optional');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ userId: null });
    const client = new HeaderClient(app);
    const signUp = await client.signUp();
    expect((await client.send('get', '/optional')).body).toEqual({ userId: signUp.body.user.id });
  });

  it('applies class-level @VerifySession and lets the handler override it', async () => {
    expect((await request(app.getHttpServer()).get('/class-level/inherits')).body).toEqual({
      userId: null,
    });
    expect((await request(app.getHttpServer()).get('/class-level/overrides')).status).toBe(401);
    const client = new HeaderClient(app);
    const signUp = await client.signUp();
    expect((await client.send('get', '/class-level/overrides')).body).toEqual({
      userId: signUp.body.user.id,
    });
  });

  it('updates the access-token payload from a controller', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    const update = await client.send('post', '/me/payload');
    expect(update.status).toBe(201);
    expect(decodeJwt(client.access!)).toMatchObject({ touched: true });
    expect((await client.send('get', '/me')).body.payload).toMatchObject({ touched: true });
  });

  it('answers 401, not 500, for garbage in the Authorization header', async () => {
    for (const value of [
      'Bearer garbage',
      'Bearer a.b.c',
      `Bearer ${'x'.repeat(5000)}`,
      'Basic Zm9vOmJhcg==',
    ]) {
      const response = await request(app.getHttpServer()).get('/me').set('authorization', value);
      expect(response.status).toBe(401);
    }
  });
});
