import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types.js';
import { AUTH_RUNTIME } from '../../src/auth/module/auth.constants.js';
import type { AuthRuntime } from '../../src/auth/module/auth-runtime.interface.js';
import { DEFAULT_RATE_LIMITS } from '../../src/auth/security/rate-limit/rate-limit.options.js';
import { RateLimiter } from '../../src/auth/security/rate-limit/rate-limiter.js';
import { coreRateLimitStore } from '../../src/auth/security/rate-limit/rate-limit.store.js';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { coreClient } from '../support/core-client.js';
import { freshPostgresDatabase } from '../support/postgres.js';
import { createTestApp } from '../support/test-app.js';

/** What a developer relies on under `start:dev`: a restart keeps users, sessions and keys. */
describe('durable storage across restarts (PGlite directory)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nst-durable-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the account, the access token and the refresh token valid after the app restarts', async () => {
    const email = uniqueEmail();
    let app: INestApplication<App> = await createTestApp({ embeddedCore: { storage: { dir } } });
    const before = new HeaderClient(app);
    try {
      expect((await before.signUp(email)).status).toBe(200);
      expect((await before.send('get', '/me')).status).toBe(200);
    } finally {
      await app.close();
    }

    app = await createTestApp({ embeddedCore: { storage: { dir } } });
    try {
      // The old access token still verifies: the signing keys came back from disk.
      const carried = new HeaderClient(app);
      carried.access = before.access;
      const me = await carried.send('get', '/me');
      expect(me.status).toBe(200);
      // The old refresh token still refreshes: the session and the refresh key came back too.
      carried.refreshToken = before.refreshToken;
      const refreshed = await carried.refresh();
      expect(refreshed.status).toBe(200);
      expect(carried.access).not.toBe(before.access);
      expect((await carried.send('get', '/me')).body.userId).toBe(me.body.userId);
      // And the password still signs in (its bcrypt hash is on disk).
      const again = new HeaderClient(app);
      expect((await again.signIn(email, PASSWORD)).body.status).toBe('OK');
      expect((await again.signIn(email, 'wrong-password-1')).body.status).toBe(
        'WRONG_CREDENTIALS_ERROR',
      );
    } finally {
      await app.close();
    }
  });
});

/** Several instances on one PostgreSQL server: a session started on one is known to the others. */
describe('two core instances on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let app: INestApplication<App>;
  let other: EmbeddedCore;
  beforeAll(async () => {
    database = await freshPostgresDatabase();
    app = await createTestApp({ embeddedCore: { storage: { postgres: database.url } } });
    other = await startEmbeddedCore({ storage: { postgres: database.url } });
  });
  afterAll(async () => {
    await app.close();
    await other.stop();
    await database.drop();
  });

  it("shares rate-limit counters: instance B sees the attempts made on A's limiter", async () => {
    const limits = { ...DEFAULT_RATE_LIMITS, signUpPerIp: { limit: 2, windowSeconds: 60 } };
    const onA = new RateLimiter(
      coreRateLimitStore(app.get<AuthRuntime>(AUTH_RUNTIME).embeddedCore!.store),
      limits,
      0,
    );
    const onB = new RateLimiter(coreRateLimitStore(other.store), limits, 0);
    const client = { socket: { remoteAddress: '198.51.100.9' }, headers: {} } as IncomingMessage;
    expect(await onA.check('/signup', client, {})).toEqual({});
    expect(await onB.check('/signup', client, {})).toEqual({});
    expect((await onA.check('/signup', client, {})).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('refreshes on instance B a session made on A, and A then detects reuse as theft', async () => {
    const client = new HeaderClient(app);
    expect((await client.signUp()).status).toBe(200);
    const firstRefreshToken = client.refreshToken!;

    const onB = await coreClient(other)('POST', '/recipe/session/refresh', {
      refreshToken: firstRefreshToken,
      enableAntiCsrf: false,
      useDynamicSigningKey: true,
    });
    expect(onB.status).toBe(200);
    expect(onB.json).toMatchObject({ status: 'OK', session: { handle: expect.any(String) } });

    // A's own refresh with the new token works; then the first token is a reuse: theft.
    client.refreshToken = onB.json.refreshToken.token as string;
    client.access = onB.json.accessToken.token as string;
    expect((await client.send('get', '/me')).status).toBe(200);
    expect((await client.refresh()).status).toBe(200);
    const theft = await client.refresh(firstRefreshToken);
    expect(theft.status).toBe(401);
    expect(theft.body).toEqual({ message: 'token theft detected' });
    const gone = await coreClient(other)(
      'GET',
      `/recipe/session?sessionHandle=${onB.json.session.handle as string}`,
    );
    expect(gone.json).toEqual({ status: 'UNAUTHORISED', message: 'Session does not exist.' });
  });
});
