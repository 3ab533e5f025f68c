import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import {
  MemoryRateLimitStore,
  RedisRateLimitStore,
  type RateLimitStore,
} from '../../src/auth/index.js';
import { formFields, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

const redisUrl = () => {
  const url = process.env.TEST_REDIS_URL;
  if (!url) {
    throw new Error(
      'TEST_REDIS_URL is not set: run the e2e suites with `npm run test:e2e`, which starts a ' +
        'redis-server (or set TEST_REDIS_URL to a server of your own).',
    );
  }
  return url;
};

/** One contract for every RateLimitStore; Redis runs against a real redis-server. */
describe.each([
  [
    'memory',
    () => ({ store: new MemoryRateLimitStore(), other: undefined, close: () => undefined }),
  ],
  [
    'Redis (two clients)',
    () => {
      const a = new Redis(redisUrl());
      const b = new Redis(redisUrl());
      return {
        store: new RedisRateLimitStore(a),
        other: new RedisRateLimitStore(b),
        close: () => {
          a.disconnect();
          b.disconnect();
        },
      };
    },
  ],
] as [string, () => { store: RateLimitStore; other?: RateLimitStore; close: () => void }][])(
  'RateLimitStore contract: %s',
  (_name, open) => {
    let subject: ReturnType<typeof open>;
    beforeAll(() => (subject = open()));
    afterAll(() => subject.close());

    it('counts concurrent hits exactly once each, across clients', async () => {
      const key = `k:${randomUUID()}`;
      const before = Date.now();
      const counts = await Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          (i % 2 && subject.other ? subject.other : subject.store).hit(key, 60_000),
        ),
      );
      expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 32 }, (_, i) => i + 1),
      );
      for (const { resetAt } of counts) {
        expect(resetAt).toBeGreaterThan(before + 59_000);
        expect(resetAt).toBeLessThanOrEqual(Date.now() + 60_000);
      }
      expect((await subject.store.get(key))?.count).toBe(32);
      await subject.store.delete(key);
      expect(await subject.store.get(key)).toBeUndefined();
      expect((await subject.store.hit(key, 60_000)).count).toBe(1);
    });

    it('starts again when the window ends', async () => {
      const key = `k:${randomUUID()}`;
      await subject.store.hit(key, 100);
      await subject.store.hit(key, 100);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await subject.store.get(key)).toBeUndefined();
      expect((await subject.store.hit(key, 100)).count).toBe(1);
    });
  },
);

describe('rateLimit.store: Redis', () => {
  let app: INestApplication<App>;
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(redisUrl());
    app = await createTestApp({
      rateLimit: {
        store: new RedisRateLimitStore(redis, `test-${randomUUID()}:`),
        limits: { signUpPerIp: { limit: 1, windowSeconds: 60 } },
      },
    });
  });
  afterAll(async () => {
    await app.close();
    redis.disconnect();
  });

  it('keeps the counters in Redis', async () => {
    const signUp = () =>
      request(app.getHttpServer()).post('/auth/signup').send(formFields(uniqueEmail(), PASSWORD));
    expect((await signUp()).status).toBe(200);
    expect((await signUp()).status).toBe(429);
  });
});
