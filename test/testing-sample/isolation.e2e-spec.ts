// A second sample file: it runs beside profile.e2e-spec.ts (jest workers) with its own core.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AuthInfo } from 'nest-supertokens';
import { createUserAndSession } from 'nest-supertokens/testing';
import { SampleAppModule } from './app.module.js';

describe('isolation between test files (sample app spec)', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SampleAppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });
  afterAll(() => app.close());

  it('has a core of its own: a fixed email signs up here whatever other files do', async () => {
    const info = app.get(AuthInfo);
    expect(info.embeddedCore).toBeDefined();
    expect(info.connectionURI).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The same address as any other file may use: no "already exists" from a shared core.
    const { headers } = await createUserAndSession(app, { email: 'shared-name@example.com' });
    await request(app.getHttpServer()).get('/profile').set(headers).expect(200);
  });
});
