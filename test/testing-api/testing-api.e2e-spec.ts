import { Controller, Get, type INestApplication, Module, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import {
  AuthGuard,
  AuthInfo,
  AuthModule,
  type AuthModuleOptions,
  RequireEmailVerified,
  Session,
} from 'nest-supertokens';
import { authTestingOptions, createUserAndSession, testInbox } from 'nest-supertokens/testing';
import { createPlatformApp, initPlatformApp } from '../support/platform.js';

@Controller()
class TestController {
  @Get('me')
  @UseGuards(AuthGuard)
  me(@Session('accessTokenPayload') payload: Record<string, unknown>) {
    return { payload };
  }
}

/** Only with `emailVerification`: the module refuses the decorator without its recipe. */
@Controller()
class VerifiedController {
  @Get('verified')
  @UseGuards(AuthGuard)
  @RequireEmailVerified()
  verified() {
    return { ok: true };
  }
}

async function start(options: Partial<AuthModuleOptions>): Promise<INestApplication<App>> {
  @Module({
    imports: [AuthModule.forRoot(authTestingOptions(options))],
    controllers: [TestController, ...(options.emailVerification ? [VerifiedController] : [])],
  })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = createPlatformApp(moduleRef);
  await initPlatformApp(app);
  return app;
}

describe('nest-supertokens/testing', () => {
  let app: INestApplication<App> | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('gives local app URLs, the inbox delivery, and lets overrides win', () => {
    const options = authTestingOptions({
      appInfo: { appName: 'mine', apiDomain: 'http://api.test' },
      roles: true,
    });
    expect(options).toMatchObject({
      emailDelivery: 'inbox',
      roles: true,
      appInfo: {
        appName: 'mine',
        apiDomain: 'http://api.test',
        websiteDomain: 'http://localhost:3001',
      },
    });
  });

  it('creates sessions with custom claims and a verified email', async () => {
    app = await start({ emailVerification: { mode: 'OPTIONAL' } });
    const verified = await createUserAndSession(app, {
      emailVerified: true,
      accessTokenPayload: { plan: 'pro' },
    });
    const me = await request(app.getHttpServer()).get('/me').set(verified.headers).expect(200);
    expect(me.body.payload).toMatchObject({ plan: 'pro', 'st-ev': { v: true } });
    await request(app.getHttpServer()).get('/verified').set(verified.headers).expect(200);
    const unverified = await createUserAndSession(app);
    await request(app.getHttpServer()).get('/verified').set(unverified.headers).expect(403);
  });

  it('says which option a helper needs', async () => {
    app = await start({});
    await expect(createUserAndSession(app, { roles: ['admin'] })).rejects.toThrow('roles: true');
    await expect(createUserAndSession(app, { emailVerified: true })).rejects.toThrow(
      'emailVerification',
    );
  });

  it('reads the inbox of the app', async () => {
    app = await start({});
    const { email } = await createUserAndSession(app);
    await request(app.getHttpServer())
      .post('/auth/user/password/reset/token')
      .send({ formFields: [{ id: 'email', value: email }] })
      .expect(200);
    expect(testInbox(app).last(email, 'password-reset')?.link).toContain(
      '/auth/reset-password?token=',
    );
  });

  it('leaves no core listening after app.close()', async () => {
    app = await start({});
    const { connectionURI } = app.get(AuthInfo);
    await app.close();
    app = undefined;
    await expect(fetch(`${connectionURI}/hello`)).rejects.toThrow();
  });
});
