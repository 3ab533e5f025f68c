import {
  Controller,
  Get,
  type INestApplication,
  Module,
  type ModuleMetadata,
  Post,
  UseGuards,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { App } from 'supertest/types.js';
import {
  AuthGuard,
  type AuthModuleExtras,
  AuthModule,
  type AuthModuleOptions,
  Permissions,
  Public,
  RequireEmailVerified,
  Roles,
  Session,
  type SessionContainer,
  VerifySession,
} from '../../src/auth/index.js';
import { createPlatformApp, E2E_PLATFORM, initPlatformApp } from './platform.js';

/** Routes the e2e scenarios share: open, guarded, optional, database-checked, state-changing. */
@Controller()
export class ScenarioController {
  @Get('public')
  @Public()
  open() {
    return { open: true };
  }

  @Get('me')
  @UseGuards(AuthGuard)
  me(@Session() session: SessionContainer, @Session('userId') userId: string) {
    return {
      userId,
      handle: session.getHandle(),
      payload: session.getAccessTokenPayload() as unknown,
    };
  }

  @Post('me/payload')
  @UseGuards(AuthGuard)
  async update(@Session() session: SessionContainer) {
    await session.mergeIntoAccessTokenPayload({ touched: true });
    return { ok: true };
  }

  @Get('optional')
  @UseGuards(AuthGuard)
  @VerifySession({ sessionRequired: false })
  optional(@Session('userId') userId: string | undefined) {
    return { userId: userId ?? null };
  }

  @Get('strict')
  @UseGuards(AuthGuard)
  @VerifySession({ checkDatabase: true })
  strict(@Session('handle') handle: string) {
    return { handle };
  }

  @Get('unguarded')
  unguarded() {
    return { unguarded: true };
  }
}

/** A controller whose class-level options make every route optional, except where a handler says. */
@Controller('class-level')
@UseGuards(AuthGuard)
@VerifySession({ sessionRequired: false })
export class ClassLevelController {
  @Get('inherits')
  inherits(@Session('userId') userId: string | undefined) {
    return { userId: userId ?? null };
  }

  @Get('overrides')
  @VerifySession({ sessionRequired: true })
  overrides(@Session('userId') userId: string) {
    return { userId };
  }
}

/** Role-gated routes (apps with `roles: true`; the module refuses them otherwise). */
@Controller('claims')
@UseGuards(AuthGuard)
@Roles('staff')
export class ClaimsController {
  @Get('staff')
  staff() {
    return { ok: true };
  }

  @Get('admin')
  @Roles('admin')
  admin() {
    return { ok: true };
  }

  @Get('editor-or-admin')
  @Roles(['admin', 'editor'], { match: 'any' })
  editorOrAdmin() {
    return { ok: true };
  }

  @Get('write')
  @Roles([])
  @Permissions('write')
  write() {
    return { ok: true };
  }
}

/** The email-verification-gated route (apps with `roles: true` and `emailVerification`). */
@Controller('claims')
@UseGuards(AuthGuard)
export class VerifiedClaimsController {
  @Get('verified')
  @RequireEmailVerified()
  verified() {
    return { ok: true };
  }
}

/** Every route open under a global guard: `@Public()` on the class. */
@Controller('open-class')
@Public()
export class PublicController {
  @Get()
  open() {
    return { open: true };
  }
}

export const APP_INFO = {
  appName: 'e2e',
  apiDomain: 'http://localhost:3000',
  websiteDomain: 'http://localhost:3001',
};

/** Builds and starts a Nest app with AuthModule.forRoot(options) and the scenario controllers. */
export async function createTestApp(
  options: Partial<AuthModuleOptions> & AuthModuleExtras = {},
  configure?: (app: INestApplication) => void,
  platform: 'express' | 'fastify' = E2E_PLATFORM,
): Promise<INestApplication<App>> {
  const claims = [
    ...(options.roles ? [ClaimsController] : []),
    ...(options.roles && options.emailVerification ? [VerifiedClaimsController] : []),
  ];
  return startModuleApp(
    {
      imports: [
        AuthModule.forRoot({
          appInfo: APP_INFO,
          emailDelivery: 'inbox',
          smsDelivery: 'inbox',
          rateLimit: false,
          // `npm run test:e2e:middleware`: the same suites with the auth APIs served by the middleware.
          ...(process.env.AUTH_ROUTES === 'middleware' && { routes: 'middleware' as const }),
          ...options,
        }),
      ],
      controllers: [ScenarioController, ClassLevelController, PublicController, ...claims],
    },
    { configure, listen: true, platform },
  );
}

/**
 * A Nest app of this module (imports, controllers, providers), without logs, initialised; with
 * `listen`, also listening on 127.0.0.1 and a free port. `configure` runs before either.
 */
export async function startModuleApp(
  metadata: ModuleMetadata,
  {
    configure,
    listen = false,
    platform = E2E_PLATFORM,
  }: {
    configure?: (app: INestApplication) => void;
    listen?: boolean;
    /** The HTTP platform; the suite's (`E2E_PLATFORM`) unless a test compares both. */
    platform?: 'express' | 'fastify';
  } = {},
): Promise<INestApplication<App>> {
  @Module(metadata)
  class ScenarioModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ScenarioModule] }).compile();
  const app = createPlatformApp(moduleRef, { logger: false }, platform);
  configure?.(app);
  await initPlatformApp(app);
  if (listen) await app.listen(0, '127.0.0.1');
  return app;
}
