// A sample of how an app tests its guarded routes, using only the public API.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createUserAndSession } from 'nest-supertokens/testing';
import { SampleAppModule } from './app.module.js';

describe('profile (sample app spec)', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SampleAppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });
  afterAll(() => app.close());

  it('refuses a request without a session', async () => {
    await request(app.getHttpServer()).get('/profile').expect(401);
  });

  it('answers a request with a session (header mode)', async () => {
    // isolation.e2e-spec.ts signs up this address too, in its own core: no clash.
    const { headers, userId } = await createUserAndSession(app, {
      email: 'shared-name@example.com',
    });
    await request(app.getHttpServer()).get('/profile').set(headers).expect(200, { userId });
  });

  it('answers a request with a session (cookie mode)', async () => {
    const { cookie, userId } = await createUserAndSession(app);
    await request(app.getHttpServer())
      .get('/profile')
      .set('cookie', cookie)
      .expect(200, { userId });
  });

  it('lets an admin reach the admin route and nobody else', async () => {
    const admin = await createUserAndSession(app, { roles: ['admin'] });
    await request(app.getHttpServer())
      .get('/admin')
      .set(admin.headers)
      .expect(200, { admin: true });
    const user = await createUserAndSession(app);
    await request(app.getHttpServer()).get('/admin').set(user.headers).expect(403);
  });
});
