import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { AuthGuard } from '../guard/auth.guard.js';

/**
 * Settings that shape the module itself, so they sit beside `useFactory` in `forRootAsync` too:
 * - `isGlobal` (default true): other modules use AuthGuard and the runtime without importing it;
 * - `globalGuard` (default false): protect every route with AuthGuard (opt out with `@Public()`).
 *   Off, no global guard is registered at all, so unguarded routes pay nothing.
 */
export interface AuthModuleExtras {
  isGlobal?: boolean;
  globalGuard?: boolean;
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
  .setExtras<AuthModuleExtras>({ isGlobal: true, globalGuard: false }, (definition, extras) => {
    const guard: Provider[] = extras.globalGuard
      ? [{ provide: APP_GUARD, useClass: AuthGuard }]
      : [];
    return {
      ...definition,
      global: extras.isGlobal,
      providers: [...(definition.providers ?? []), ...guard],
    };
  })
  .build();
