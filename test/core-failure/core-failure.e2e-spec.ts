import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AUTH_RUNTIME } from '../../src/auth/module/auth.constants.js';
import type { AuthRuntime } from '../../src/auth/module/auth-runtime.interface.js';
import { formFields, HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/** The core dies while the app runs: clear 503s, no hang, no stack or secret; local checks go on. */
describe('core unreachable at request time', () => {
  let app: INestApplication<App>;
  let client: HeaderClient;
  const email = uniqueEmail();

  beforeAll(async () => {
    app = await createTestApp();
    client = new HeaderClient(app);
    await client.signUp(email);
    expect((await client.send('get', '/me')).status).toBe(200); // JWKS now cached
    await app.get<AuthRuntime>(AUTH_RUNTIME).embeddedCore!.stop();
  });
  afterAll(() => app.close());

  it('answers 503 to sign-in, saying the authentication core cannot be reached', async () => {
    const response = await request(app.getHttpServer())
      .post('/auth/signin')
      .send(formFields(email, PASSWORD));
    expect(response.status).toBe(503);
    expect(response.body.message).toBe(
      'Authentication is unavailable: the authentication core cannot be reached. Try again shortly.',
    );
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|at \w+ \(|api-key/);
  });

  it('answers 503 to routes that need the core, and keeps verifying tokens locally', async () => {
    expect((await client.authed('get', '/strict')).status).toBe(503);
    expect((await client.send('get', '/me')).status).toBe(200);
  });
});

/** The core dies before the app ever fetched its keys: a token cannot be checked at all. */
describe('core unreachable with a cold key cache', () => {
  let app: INestApplication<App>;
  let client: HeaderClient;

  beforeAll(async () => {
    app = await createTestApp();
    client = new HeaderClient(app);
    await client.signUp();
    await app.get<AuthRuntime>(AUTH_RUNTIME).embeddedCore!.stop();
  });
  afterAll(() => app.close());

  it('answers 503, not a misleading 401 try-refresh-token', async () => {
    const response = await client.authed('get', '/me');
    expect(response.status).toBe(503);
  });
});
