import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { App } from 'supertest/types.js';

/**
 * The HTTP platform the e2e suites run on: Express by default, Fastify with
 * `E2E_PLATFORM=fastify` (`npm run test:e2e:fastify` runs every suite that way).
 */
export const E2E_PLATFORM: 'express' | 'fastify' =
  process.env.E2E_PLATFORM === 'fastify' ? 'fastify' : 'express';

/** `moduleRef.createNestApplication()` on the suite's platform, without logs unless asked. */
export function createPlatformApp(
  moduleRef: TestingModule,
  options: NestApplicationOptions = { logger: false },
  platform: 'express' | 'fastify' = E2E_PLATFORM,
): INestApplication<App> {
  return platform === 'fastify'
    ? moduleRef.createNestApplication<INestApplication<App>>(new FastifyAdapter(), options)
    : moduleRef.createNestApplication<INestApplication<App>>(options);
}

/** `app.init()`, then (on Fastify) its routes made ready, so supertest can use the server. */
export async function initPlatformApp(app: INestApplication): Promise<void> {
  await app.init();
  if (app.getHttpAdapter().getType() === 'fastify') {
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  }
}
