import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { formFields, PASSWORD, setCookies, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/** Browser-style sessions: HttpOnly cookies kept by a cookie jar, anti-CSRF via token. */
describe('sessions in cookie mode with anti-CSRF tokens', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp({ session: { antiCsrf: 'VIA_TOKEN' } });
  });
  afterAll(() => app.close());

  async function signIn() {
    const agent = request.agent(app.getHttpServer());
    const email = uniqueEmail();
    // The SDK's browser clients ask for cookies with st-auth-mode: cookie (headers are the default).
    const signUp = await agent
      .post('/auth/signup')
      .set('st-auth-mode', 'cookie')
      .send(formFields(email, PASSWORD));
    expect(signUp.status).toBe(200);
    return { agent, signUp, antiCsrf: signUp.headers['anti-csrf'] };
  }

  it('sets HttpOnly session cookies with the right paths and SameSite', async () => {
    const { signUp, antiCsrf } = await signIn();
    const cookies = setCookies(signUp);
    expect(cookies.get('sAccessToken')).toMatch(/HttpOnly/i);
    expect(cookies.get('sAccessToken')).toMatch(/Path=\//);
    expect(cookies.get('sRefreshToken')).toMatch(/HttpOnly/i);
    expect(cookies.get('sRefreshToken')).toMatch(/Path=\/auth\/session\/refresh/);
    expect(cookies.get('sAccessToken')).toMatch(/SameSite=Lax/i);
    // http apiDomain: no Secure flag, or browsers would drop the cookie.
    expect(cookies.get('sAccessToken')).not.toMatch(/Secure/i);
    expect(antiCsrf).toEqual(expect.any(String));
  });

  it('reads the session from cookies on GET', async () => {
    const { agent, signUp } = await signIn();
    const me = await agent.get('/me');
    expect(me.status).toBe(200);
    expect(me.body.userId).toBe(signUp.body.user.id);
  });

  it('refuses a state-changing request without the anti-CSRF token', async () => {
    const { agent, antiCsrf } = await signIn();
    const without = await agent.post('/me/payload');
    expect(without.status).toBe(401);
    expect(without.body).toEqual({ message: 'try refresh token' });
    const wrong = await agent.post('/me/payload').set('anti-csrf', 'not-the-token');
    expect(wrong.status).toBe(401);
    const right = await agent.post('/me/payload').set('anti-csrf', antiCsrf);
    expect(right.status).toBe(201);
  });

  it('refuses a refresh without the anti-CSRF token and clears the session', async () => {
    const { agent } = await signIn();
    const refused = await agent.post('/auth/session/refresh');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ message: 'unauthorised' });
    expect(setCookies(refused).get('sRefreshToken')).toMatch(/Expires=Thu, 01 Jan 1970/);
  });

  it('refreshes with the anti-CSRF token, then signs out and clears the cookies', async () => {
    const { agent, antiCsrf } = await signIn();
    const refreshed = await agent.post('/auth/session/refresh').set('anti-csrf', antiCsrf);
    expect(refreshed.status).toBe(200);
    const nextCsrf = refreshed.headers['anti-csrf'];
    expect(nextCsrf).toEqual(expect.any(String));
    expect((await agent.get('/me')).status).toBe(200);

    const signOut = await agent.post('/auth/signout').set('anti-csrf', nextCsrf);
    expect(signOut.status).toBe(200);
    expect(setCookies(signOut).get('sAccessToken')).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await agent.get('/me')).status).toBe(401);
    expect((await agent.post('/auth/session/refresh').set('anti-csrf', nextCsrf)).status).toBe(401);
  });
});
