import {
  Controller,
  Get,
  Inject,
  Injectable,
  type INestApplication,
  Module,
  type ModuleMetadata,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import Session from 'supertokens-node/recipe/session';
import {
  AuthInfo,
  AuthModule,
  type AuthModuleOptions,
  InjectAuthOptions,
} from '../../src/auth/index.js';
import { AUTH_RUNTIME } from '../../src/auth/module/auth.constants.js';
import type { AuthRuntime } from '../../src/auth/module/auth-runtime.interface.js';
import { resetSuperTokens } from '../../src/testing/index.js';
import { formFields, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { APP_INFO } from '../support/test-app.js';
import { createPlatformApp } from '../support/platform.js';

@Controller()
class ThrowingController {
  /** A SuperTokens error thrown from a handler, as `session.*` calls do on a revoked session. */
  @Get('sdk-error')
  sdkError(): never {
    throw new Session.Error({ type: Session.Error.UNAUTHORISED, message: 'Session revoked' });
  }

  @Get('no-guard')
  noGuard() {
    return { ok: true };
  }
}

const OPTIONS: AuthModuleOptions = { appInfo: APP_INFO };

@Injectable()
class OptionsFactory {
  createAuthOptions(): AuthModuleOptions {
    return OPTIONS;
  }
}

@Module({
  providers: [OptionsFactory, { provide: 'AUTH_OPTIONS', useValue: OPTIONS }],
  exports: [OptionsFactory, 'AUTH_OPTIONS'],
})
class OptionsModule {}

/** A feature module that injects what the module settled on without importing AuthModule (needs isGlobal). */
@Injectable()
class NeedsRuntime {
  constructor(
    readonly info: AuthInfo,
    @InjectAuthOptions() readonly options: AuthModuleOptions,
    @Inject(AUTH_RUNTIME) readonly runtime: AuthRuntime,
  ) {}
}
@Module({ providers: [NeedsRuntime] })
class FeatureModule {}

async function start(imports: ModuleMetadata['imports']): Promise<INestApplication<App>> {
  const moduleRef = await Test.createTestingModule({
    imports,
    controllers: [ThrowingController],
  }).compile();
  const app = createPlatformApp(moduleRef);
  await app.listen(0, '127.0.0.1');
  return app;
}

async function expectWorkingAuth(app: INestApplication<App>): Promise<void> {
  const signUp = await request(app.getHttpServer())
    .post('/auth/signup')
    .send(formFields(uniqueEmail(), PASSWORD));
  expect(signUp.status).toBe(200);
  expect(signUp.body.status).toBe('OK');
}

describe('AuthModule registration', () => {
  let app: INestApplication<App> | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it.each([
    ['forRoot', () => AuthModule.forRoot(OPTIONS)],
    ['forRootAsync useFactory', () => AuthModule.forRootAsync({ useFactory: () => OPTIONS })],
    [
      'forRootAsync useFactory with imports and inject',
      () =>
        AuthModule.forRootAsync({
          imports: [OptionsModule],
          inject: ['AUTH_OPTIONS'],
          useFactory: (options: AuthModuleOptions) => options,
        }),
    ],
    ['forRootAsync useClass', () => AuthModule.forRootAsync({ useClass: OptionsFactory })],
    [
      'forRootAsync useExisting',
      () => AuthModule.forRootAsync({ imports: [OptionsModule], useExisting: OptionsFactory }),
    ],
  ])('%s serves the auth APIs on the embedded core', async (_name, register) => {
    app = await start([register()]);
    await expectWorkingAuth(app);
    const runtime = app.get<AuthRuntime>(AUTH_RUNTIME);
    expect(runtime.embeddedCore?.connectionURI).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('is global by default: other modules inject its providers without importing it', async () => {
    app = await start([AuthModule.forRoot(OPTIONS), FeatureModule]);
    const { info, options } = app.get(NeedsRuntime);
    expect(info.apiBasePath).toBe('/auth');
    expect(info.connectionURI).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.embeddedCore).toEqual({
      apiKey: expect.stringMatching(/^[0-9a-f]{48}$/) as string,
      storage: 'in memory (data is lost on restart)',
    });
    expect(Object.isFrozen(info)).toBe(true);
    expect(options.appInfo).toEqual(OPTIONS.appInfo);
    // The deprecated runtime token still resolves, to the same state.
    expect(app.get(NeedsRuntime).runtime.apiBasePath).toBe('/auth');
  });

  it('with isGlobal: false, other modules must import it', async () => {
    await expect(
      start([AuthModule.forRoot({ ...OPTIONS, isGlobal: false }), FeatureModule]),
    ).rejects.toThrow(/NeedsRuntime/);
    // compile() failed after AuthModule started: no app to close, so free the SDK by hand.
    await resetSuperTokens();
  });

  it('registers a global guard only when asked, also through forRootAsync', async () => {
    app = await start([AuthModule.forRootAsync({ useFactory: () => OPTIONS })]);
    expect((await request(app.getHttpServer()).get('/no-guard')).status).toBe(200);
    await app.close();
    app = await start([AuthModule.forRootAsync({ globalGuard: true, useFactory: () => OPTIONS })]);
    expect((await request(app.getHttpServer()).get('/no-guard')).status).toBe(401);
  });

  it('answers SDK errors thrown by handlers through its exception filter', async () => {
    app = await start([AuthModule.forRoot(OPTIONS)]);
    const response = await request(app.getHttpServer()).get('/sdk-error');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: 'unauthorised' });
  });

  it('leaves SDK errors to Nest when exceptionFilter is false', async () => {
    app = await start([AuthModule.forRoot({ ...OPTIONS, exceptionFilter: false })]);
    const response = await request(app.getHttpServer()).get('/sdk-error');
    expect(response.status).toBe(500);
  });

  it('mounts nothing with apis: false', async () => {
    app = await start([AuthModule.forRoot({ ...OPTIONS, apis: false })]);
    const response = await request(app.getHttpServer())
      .post('/auth/signup')
      .send(formFields(uniqueEmail(), PASSWORD));
    expect(response.status).toBe(404);
  });

  it('stops the embedded core and frees the SDK when the app closes', async () => {
    app = await start([AuthModule.forRoot(OPTIONS)]);
    const { connectionURI } = app.get<AuthRuntime>(AUTH_RUNTIME);
    await app.close();
    app = undefined;
    await expect(fetch(`${connectionURI}/hello`)).rejects.toThrow();
    app = await start([AuthModule.forRoot(OPTIONS)]);
    await expectWorkingAuth(app);
  });

  it('refuses a second app while one is running, saying how to fix it', async () => {
    app = await start([AuthModule.forRoot(OPTIONS)]);
    await expect(start([AuthModule.forRoot(OPTIONS)])).rejects.toThrow(
      /process-wide singleton.*app\.close\(\)/s,
    );
    await expectWorkingAuth(app);
  });
});
