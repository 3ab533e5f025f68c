import { Inject } from '@nestjs/common';
import { AUTH_MODULE_OPTIONS } from './auth.module-definition.js';
import type { AuthRuntime } from './auth-runtime.interface.js';

/**
 * What the module settled on at start-up, read-only: inject it (`constructor(info: AuthInfo)`) or
 * `app.get(AuthInfo)`. It replaces reading the internal `AUTH_RUNTIME`.
 */
export abstract class AuthInfo {
  /** The SuperTokens core in use (the embedded core's URL when it runs). */
  abstract readonly connectionURI: string;
  /** Where the auth APIs are served, e.g. `/auth`. */
  abstract readonly apiBasePath: string;
  /**
   * Set when the module started the embedded core (no `connectionURI`): its per-start API key
   * (give it to `npm run dashboard` against this core; never log it) and where it keeps its data,
   * for logs (e.g. `PGlite in /app/.supertokens`; never a password).
   */
  abstract readonly embeddedCore?: { readonly apiKey?: string; readonly storage: string };
}

/** The frozen `AuthInfo` of a runtime. */
export function authInfoOf(runtime: AuthRuntime): AuthInfo {
  const core = runtime.embeddedCore;
  return Object.freeze({
    connectionURI: runtime.connectionURI,
    apiBasePath: runtime.apiBasePath,
    ...(core && { embeddedCore: Object.freeze({ apiKey: core.apiKey, storage: core.storage }) }),
  });
}

/** The injection token of the options given to `AuthModule.forRoot()` / `forRootAsync()`. */
export const getAuthOptionsToken = (): string | symbol => AUTH_MODULE_OPTIONS;

/** Injects the `AuthModuleOptions` the module was configured with (as `@InjectThrottlerOptions()`). */
export const InjectAuthOptions = (): PropertyDecorator & ParameterDecorator =>
  Inject(getAuthOptionsToken());
