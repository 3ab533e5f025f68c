import { Controller, Get, Injectable, Module, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  AuthConfigError,
  AuthGuard,
  AuthModule,
  Permissions,
  RequireEmailVerified,
  Roles,
  UserMetadataService,
  UserRolesService,
} from '../../src/auth/index.js';
import { APP_INFO } from '../support/test-app.js';
import { createPlatformApp, initPlatformApp } from '../support/platform.js';

@Controller()
class GuardedController {
  @Get('me')
  @UseGuards(AuthGuard)
  me() {}
}

@Controller('admin')
@Roles('admin')
class AdminController {
  @Get()
  @UseGuards(AuthGuard)
  list() {}

  @Get('audit')
  @UseGuards(AuthGuard)
  @Permissions('audit:read')
  audit() {}
}

@Controller('billing')
class BillingController {
  @Get()
  @UseGuards(AuthGuard)
  @RequireEmailVerified()
  invoices() {}
}

/** Mistakes in how an app uses the module fail at start-up, naming the fix, not at the first request. */
describe('AuthModule usage errors', () => {
  const start = async (
    module: { imports?: never[]; providers?: never[] },
    controllers: unknown[],
  ) => {
    @Module({ ...module, controllers: controllers as never[] })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = createPlatformApp(moduleRef);
    try {
      await initPlatformApp(app);
    } finally {
      await app.close().catch(() => undefined);
    }
  };

  it('refuses AuthGuard without AuthModule, naming AuthModule.forRoot()', async () => {
    const failure = start({}, [GuardedController]);
    await expect(failure).rejects.toThrow(AuthConfigError);
    await expect(failure).rejects.toThrow(
      /AuthGuard is used, but SuperTokens is not initialised: import AuthModule\.forRoot/,
    );
  });

  it('refuses @Roles(), @Permissions() and @RequireEmailVerified() whose recipes are off, all at once', async () => {
    const failure = start({ imports: [AuthModule.forRoot({ appInfo: APP_INFO })] as never[] }, [
      AdminController,
      BillingController,
    ]);
    await expect(failure).rejects.toThrow(AuthConfigError);
    const message = ((await failure.catch((e: unknown) => e)) as Error).message;
    expect(message.split('\n')).toEqual([
      'AuthModule: the app uses recipes that are off:',
      '- @Roles() on AdminController.list: add roles: true to AuthModule.forRoot() (or its recipe to recipeList)',
      '- @Roles() on AdminController.audit: add roles: true to AuthModule.forRoot() (or its recipe to recipeList)',
      '- @Permissions() on AdminController.audit: add roles: true to AuthModule.forRoot() (or its recipe to recipeList)',
      "- @RequireEmailVerified() on BillingController.invoices: add emailVerification: { mode: 'REQUIRED' | 'OPTIONAL' } to AuthModule.forRoot() (or its recipe to recipeList)",
    ]);
  });

  it('refuses a recipe service injected while its recipe is off', async () => {
    @Injectable()
    class Onboarding {
      constructor(
        readonly roles: UserRolesService,
        readonly metadata: UserMetadataService,
      ) {}
    }
    const failure = start(
      {
        imports: [AuthModule.forRoot({ appInfo: APP_INFO, metadata: true })] as never[],
        providers: [Onboarding] as never[],
      },
      [],
    );
    await expect(failure).rejects.toThrow(
      'AuthModule: the app uses recipes that are off:\n' +
        '- Onboarding injects UserRolesService: add roles: true to AuthModule.forRoot() (or its recipe to recipeList)',
    );
  });

  it('starts when the recipes are on', async () => {
    await expect(
      start(
        {
          imports: [
            AuthModule.forRoot({
              appInfo: APP_INFO,
              roles: true,
              emailVerification: { mode: 'OPTIONAL' },
            }),
          ] as never[],
        },
        [GuardedController, AdminController, BillingController],
      ),
    ).resolves.toBeUndefined();
  });
});
