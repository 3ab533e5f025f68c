// A real redis-server stopped and started again under the built-in rate limits: requests are
// answered (allowed or refused, as `onStoreError` says) within the store deadline, the outage is
// logged once and reported by the health check, and the limits apply again once it is back.
import { jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import {
  RedisRateLimitStore,
  SuperTokensHealthIndicator,
  type RateLimitOptions,
} from '../../src/auth/index.js';
import { formFields, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { ownRedisServer, type OwnRedisServer } from '../support/redis-server.js';
import { createTestApp } from '../support/test-app.js';

/** Waits until the client talks to the server again (ioredis reconnects on its own). */
async function reconnected(redis: Redis): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (
      await redis.ping().then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('ioredis did not reconnect');
}

describe.each(['allow', 'refuse'] as const)('rate-limit store outage, onStoreError: %s', (mode) => {
  let server: OwnRedisServer;
  let redis: Redis;
  let app: INestApplication<App>;
  const email = uniqueEmail();
  const signIn = () =>
    request(app.getHttpServer()).post('/auth/signin').send(formFields(email, PASSWORD));

  beforeAll(async () => {
    server = await ownRedisServer();
    // ioredis' defaults: while the server is gone, commands wait in its retry queue.
    redis = new Redis(server.url);
    const rateLimit: RateLimitOptions = {
      store: new RedisRateLimitStore(redis, `outage-${mode}:`),
      onStoreError: mode,
      limits: { signInPerIp: { limit: 4, windowSeconds: 600 } },
    };
    app = await createTestApp({ rateLimit });
    await request(app.getHttpServer())
      .post('/auth/signup')
      .send(formFields(email, PASSWORD))
      .expect(200);
  });
  afterAll(async () => {
    await app.close();
    redis.disconnect();
    await server.stop();
  });

  it('answers every sign-in while Redis is down, says so once, and limits again when it is back', async () => {
    const health = app.get(SuperTokensHealthIndicator);
    expect((await signIn()).body.status).toBe('OK');
    expect(health.isRateLimitStoreHealthy()).toEqual({ rateLimitStore: { status: 'up' } });

    const errors = jest.spyOn(Logger.prototype, 'error');
    await server.stop();
    const during = [];
    for (let i = 0; i < 6; i++) during.push(await signIn());
    for (const response of during) {
      if (mode === 'allow') {
        expect(response.status).toBe(200);
        expect(response.body.status).toBe('OK');
      } else {
        expect(response.status).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(response.body.message).toMatch(/briefly unavailable/);
      }
    }
    const outageLogs = errors.mock.calls.filter(([message]) =>
      String(message).startsWith('Rate limit store failed'),
    );
    expect(outageLogs).toHaveLength(1);
    expect(String(outageLogs[0][0])).not.toContain(server.url);
    expect(health.isRateLimitStoreHealthy()).toEqual({
      rateLimitStore: {
        status: 'down',
        message: expect.stringMatching(/^The rate-limit store failed: /),
      },
    });
    errors.mockRestore();

    await server.start();
    await reconnected(redis);
    // The new (empty) server counts again: at most 4 sign-ins go through (fewer when a probe
    // made during the outage was replayed by the client on reconnecting), then 429.
    // While down, the store is tried once a second: 'refuse' may answer 503 until that try.
    let first = (await signIn()).status;
    for (let i = 0; first === 503 && i < 30; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      first = (await signIn()).status;
    }
    const after = [first];
    while (after.length < 6 && after.at(-1) !== 429) after.push((await signIn()).status);
    expect(after.at(-1)).toBe(429);
    expect(after.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    expect(after.filter((status) => status === 200).length).toBeLessThanOrEqual(4);
    expect(health.isRateLimitStoreHealthy()).toEqual({ rateLimitStore: { status: 'up' } });
  });
});
