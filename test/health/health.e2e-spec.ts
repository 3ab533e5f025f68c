import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type INestApplication } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AuthModule, SuperTokensHealthIndicator } from '../../src/auth/index.js';
import { AUTH_RUNTIME } from '../../src/auth/module/auth.constants.js';
import type { AuthRuntime } from '../../src/auth/module/auth-runtime.interface.js';
import { HealthController } from '../../src/health.controller.js';
import { authTestingOptions } from '../../src/testing/index.js';
import { startModuleApp } from '../support/test-app.js';

/** The example app's GET /health, in an app of its own. */
describe('SuperTokensHealthIndicator with @nestjs/terminus', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await startModuleApp({
      imports: [
        AuthModule.forRoot(authTestingOptions()),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController],
    });
  });
  afterAll(() => app.close());

  it('is up while the core answers, and turns /health to 503 when it stops', async () => {
    const up = await request(app.getHttpServer()).get('/health');
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({
      status: 'ok',
      info: { supertokens: { status: 'up', core: 'embedded', responseTimeMs: expect.any(Number) } },
    });

    await app.get<AuthRuntime>(AUTH_RUNTIME).embeddedCore!.stop();
    const down = await request(app.getHttpServer()).get('/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'error',
      error: {
        supertokens: { status: 'down', core: 'embedded', message: 'The core cannot be reached' },
      },
    });
    // The answer names no address and no key.
    expect(JSON.stringify(down.body)).not.toMatch(/127\.0\.0\.1|api.?key/i);
  });

  it('is down, with the timeout, when a core accepts but never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const indicator = new SuperTokensHealthIndicator({
        connectionURI: `http://127.0.0.1:${port}`,
      } as AuthRuntime);
      expect(await indicator.isHealthy('core', { timeoutMs: 100 })).toEqual({
        core: {
          status: 'down',
          core: 'external',
          message: 'The core did not answer within 100 ms',
        },
      });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
