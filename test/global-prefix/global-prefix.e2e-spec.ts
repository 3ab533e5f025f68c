import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AuthConfigError } from '../../src/auth/index.js';
import { HeaderClient } from '../support/auth-client.js';
import { APP_INFO, createTestApp } from '../support/test-app.js';

/** An app with `app.setGlobalPrefix('api')`: the auth APIs must live under it too. */
describe('global prefix', () => {
  let app: INestApplication<App> | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves the auth APIs under apiBasePath /api/auth and guards prefixed routes', async () => {
    app = await createTestApp({ appInfo: { ...APP_INFO, apiBasePath: '/api/auth' } }, (a) =>
      a.setGlobalPrefix('api'),
    );
    const client = new HeaderClient(app, '/api/auth');
    const signUp = await client.signUp();
    expect(signUp.status).toBe(200);
    expect(signUp.body.status).toBe('OK');
    expect((await client.send('get', '/api/me')).status).toBe(200);
    expect((await request(app.getHttpServer()).get('/api/me')).status).toBe(401);
    // The middleware is not mounted outside its base path.
    expect((await request(app.getHttpServer()).post('/auth/signup').send({})).status).toBe(404);
  });

  it('refuses to start when apiBasePath lacks the prefix, giving the right value', async () => {
    const error = (await createTestApp({}, (a) => a.setGlobalPrefix('api')).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toContain("set appInfo.apiBasePath to '/api/auth'");
    // The module released the SDK itself: the next app starts without resetSuperTokens().
    app = await createTestApp({ appInfo: { ...APP_INFO, apiBasePath: '/api/auth' } }, (a) =>
      a.setGlobalPrefix('api'),
    );
  });
});
