import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { AuthGuard } from '../guard/auth.guard.js';
import { AuthMiddleware } from '../middleware/auth.middleware.js';
import { AuthRoutesController } from '../middleware/auth-routes.controller.js';

/** Present (`'nest'`) when the auth APIs are served by `AuthRoutesController`. */
export const AUTH_ROUTES_MODE = Symbol('nest-supertokens:routes-mode');

/**
 * Settings that shape the module itself, so they sit beside `useFactory` in `forRootAsync` too:
 * - `isGlobal` (default true): other modules use AuthGuard and the runtime without importing it;
 * - `globalGuard` (default false): protect every route with AuthGuard (opt out with `@Public()`).
 *   Off, no global guard is registered at all, so unguarded routes pay nothing.
 * - `routes` (default `'nest'`): the auth APIs are a Nest route, so the app's global guards (e.g.
 *   `@nestjs/throttler`), interceptors and filters apply to them; `'middleware'` serves them from a
 *   middleware instead (needed for an `apiBasePath` at the app's root, and for `middleware`).
 */
export interface AuthModuleExtras {
  isGlobal?: boolean;
  globalGuard?: boolean;
  routes?: 'middleware' | 'nest';
}

/**
 * `forRoot(options)` / `forRootAsync({ imports, inject, useFactory | useClass | useExisting })`,
 * global unless `isGlobal: false`.
 */
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthModuleOptions>({ moduleName: 'Auth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createAuthOptions')
  .setExtras<AuthModuleExtras>(
    { isGlobal: true, globalGuard: false, routes: 'nest' },
    (definition, extras) => {
      const guard: Provider[] = extras.globalGuard
        ? [{ provide: APP_GUARD, useClass: AuthGuard }]
        : [];
      const nestRoutes = extras.routes === 'nest';
      return {
        ...definition,
        global: extras.isGlobal,
        providers: [
          ...(definition.providers ?? []),
          ...guard,
          ...(nestRoutes ? [AuthMiddleware, { provide: AUTH_ROUTES_MODE, useValue: 'nest' }] : []),
        ],
        controllers: [
          ...(definition.controllers ?? []),
          ...(nestRoutes ? [AuthRoutesController] : []),
        ],
      };
    },
  )
  .build();
