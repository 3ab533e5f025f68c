import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { HeaderClient } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/** `globalGuard: true` protects every route; `@Public()` opens one; the auth APIs stay reachable. */
describe('global guard', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ globalGuard: true });
  });
  afterAll(() => app.close());

  it('protects routes that have no guard of their own', async () => {
    const response = await request(app.getHttpServer()).get('/unguarded');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: 'unauthorised' });
  });

  it('lets @Public() routes through without a session', async () => {
    const response = await request(app.getHttpServer()).get('/public');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ open: true });
  });

  it('lets every route of a @Public() controller through', async () => {
    const response = await request(app.getHttpServer()).get('/open-class');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ open: true });
  });

  it('keeps sign-up reachable and admits the session it creates', async () => {
    const client = new HeaderClient(app);
    expect((await client.signUp()).status).toBe(200);
    expect((await client.send('get', '/unguarded')).status).toBe(200);
    // Route guard under the global guard: verified once, still answers.
    expect((await client.send('get', '/me')).status).toBe(200);
  });

  it('honours @VerifySession({ sessionRequired: false }) under the global guard', async () => {
    const response = await request(app.getHttpServer()).get('/optional');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ userId: null });
  });
});
