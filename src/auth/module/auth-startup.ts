import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger, type FactoryProvider } from '@nestjs/common';
import supertokens, { type SuperTokensConfig } from 'supertokens-node';
import { startEmbeddedCore, type EmbeddedCore } from '../../core/index.js';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { AUTH_RUNTIME } from './auth.constants.js';
import type { AuthRuntime } from './auth-runtime.interface.js';
import { AuthConfigError } from '../errors/auth.errors.js';
import { validateAuthOptions } from './auth-options.validation.js';
import { AUTH_MODULE_OPTIONS } from './auth.module-definition.js';
import { buildRecipeList } from '../recipes/recipe-list.js';
import { VerifiedTokenCache } from '../guard/verified-token.cache.js';
import { GuardedRateLimitStore } from '../security/rate-limit/guarded-store.js';
import {
  DEFAULT_RATE_LIMITS,
  DEFAULT_STORE_TIMEOUT_MS,
} from '../security/rate-limit/rate-limit.options.js';
import { HARDENED_CODE_LIFETIME_MS, securitySettings } from '../security/security-profile.js';
import { RateLimiter } from '../security/rate-limit/rate-limiter.js';
import {
  coreRateLimitStore,
  MemoryRateLimitStore,
} from '../security/rate-limit/rate-limit.store.js';
import { DashboardBundle } from '../dashboard/dashboard-bundle.js';
import { dashboardSettings } from '../dashboard/dashboard-settings.js';
import { AuthHooksRunner, AuthOverridesBinding } from '../hooks/auth-hooks.js';
import { DashboardUserError, DashboardUsers } from '../dashboard/dashboard-users.js';
import { DeliveryInbox } from '../delivery/delivery-inbox.js';
import { emailServices, smsServiceFor } from '../delivery/provider-delivery.js';
import {
  claimSuperTokens,
  onSuperTokensRelease,
  releaseSuperTokens,
  trackStartup,
} from './supertokens-sdk.js';
import { checkCores } from './core-check.js';
import { storageDirHint } from './storage-dir-hint.js';

const logger = new Logger('AuthModule');

/** Tests get a fresh in-memory core each; everything else keeps its data across restarts. */
const underTestRunner = (): boolean =>
  process.env.JEST_WORKER_ID !== undefined || process.env.VITEST !== undefined;

/**
 * Creates (or sets the password of) the `dashboard.users` logins; names the one that failed.
 * With the core down they wait for the next start rather than keep the app from starting.
 */
async function provisionDashboardUsers(
  options: AuthModuleOptions,
  dashboardUsers: DashboardUsers,
  coreUp: boolean,
): Promise<void> {
  const users = typeof options.dashboard === 'object' ? (options.dashboard.users ?? []) : [];
  if (users.length > 0 && !coreUp) {
    logger.warn('dashboard.users were not set up: the core is down. Restart once it is up.');
    return;
  }
  for (const [index, { email, password }] of users.entries()) {
    try {
      const outcome = await dashboardUsers.ensure(email, password);
      logger.log(
        `Dashboard user ${email} ${outcome === 'created' ? 'created' : 'ready (password set)'}`,
      );
    } catch (error) {
      if (!(error instanceof DashboardUserError)) throw error;
      throw new AuthConfigError(
        `AuthModule option dashboard.users[${index}] (${email}): ${error.message}`,
      );
    }
  }
}

/**
 * The limiter over the counters `rateLimit.store` names, else the embedded core's store, else
 * this process's memory.
 */
function buildRateLimiter(
  options: AuthModuleOptions,
  core: EmbeddedCore | undefined,
): RateLimiter | undefined {
  if (options.rateLimit === false) return undefined;
  const own = options.rateLimit ?? {};
  const store = own.store ?? (core ? coreRateLimitStore(core.store) : new MemoryRateLimitStore());
  const onStoreError = own.onStoreError ?? 'allow';
  const guarded = new GuardedRateLimitStore(
    store,
    own.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS,
    onStoreError,
  );
  return new RateLimiter(guarded, { ...DEFAULT_RATE_LIMITS, ...own.limits }, own.trustProxy ?? 0, {
    onStoreError,
  });
}

/** The one place `supertokens.init()` runs. */
export function initSuperTokens(options: AuthModuleOptions): Promise<AuthRuntime> {
  return trackStartup(start(options));
}

async function start(options: AuthModuleOptions): Promise<AuthRuntime> {
  validateAuthOptions(options);
  const app = Symbol('nest-supertokens:app');
  claimSuperTokens(app);
  let embeddedCore: EmbeddedCore | undefined;
  try {
    const dashboard = dashboardSettings(options);
    const bundleDir =
      typeof options.dashboard === 'object' ? options.dashboard.bundleDir : undefined;
    const dashboardBundle =
      bundleDir === undefined ? undefined : await DashboardBundle.open(bundleDir);
    let connectionURI = options.connectionURI;
    let apiKey = options.apiKey;
    let coreUp = true;
    if (connectionURI) {
      if (options.coreCheck !== false) coreUp = (await checkCores(options, connectionURI)).up;
    } else {
      const { allowInProduction, ...coreOptions } = options.embeddedCore ?? {};
      const storage =
        coreOptions.storage ?? (underTestRunner() ? 'memory' : { dir: '.supertokens' });
      // (A store of the app's own overrides `storage`: then no directory is made here.)
      const newDir =
        !coreOptions.store &&
        typeof storage === 'object' &&
        'dir' in storage &&
        !existsSync(resolve(storage.dir))
          ? storage.dir
          : undefined;
      const hardened = securitySettings(options).hardened;
      const core = await startEmbeddedCore({
        ...coreOptions,
        // The hardened profile: one-time codes live 10 minutes (ASVS V2.7.2), not 15.
        config: {
          ...(hardened && { passwordlessCodeLifetime: HARDENED_CODE_LIFETIME_MS }),
          ...coreOptions.config,
        },
        storage,
        // Without an apiKey of the user's, the core makes a random one that only we know.
        apiKey: options.apiKey,
      });
      embeddedCore = core;
      // Once, when the directory is new: a work tree that does not ignore it would commit it.
      if (newDir) {
        void storageDirHint(newDir).then(
          (hint) => hint && logger.warn(hint),
          () => undefined,
        );
      }
      onSuperTokensRelease(app, () => core.stop());
      connectionURI = core.connectionURI;
      apiKey = core.apiKey;
      logger.log(
        `No connectionURI set: using the embedded SuperTokens core at ${connectionURI}, ` +
          `storage: ${core.storage}.`,
      );
    }
    const apiBasePath = options.appInfo.apiBasePath ?? '/auth';
    const inbox = new DeliveryInbox();
    // Always there: the app's hooks class and its event emitter are found once providers exist.
    const hooks = new AuthHooksRunner();
    const overrides = options.overrides ? new AuthOverridesBinding() : undefined;
    const verifiedTokens =
      options.verificationCache === false
        ? undefined
        : new VerifiedTokenCache(options.verificationCache);
    const config: SuperTokensConfig = {
      framework: 'express',
      supertokens: { connectionURI, apiKey },
      appInfo: { apiBasePath, websiteBasePath: '/auth', ...options.appInfo },
      recipeList: buildRecipeList(options, {
        dashboard,
        cache: verifiedTokens,
        hooks,
        overrides,
        email: emailServices(
          options.emailDelivery ?? 'console',
          inbox,
          options.allowConsoleDeliveryInProduction,
        ),
        // Built only for passwordless, so its production check never blocks an app without it.
        sms: options.passwordless
          ? smsServiceFor(
              options.smsDelivery ?? 'console',
              inbox,
              options.allowConsoleDeliveryInProduction,
            )
          : undefined,
      }),
      telemetry: options.telemetry ?? false,
      debug: options.debug,
    };
    supertokens.init(options.override ? options.override(config) : config);
    const dashboardUsers = new DashboardUsers({ connectionURI, apiKey });
    await provisionDashboardUsers(options, dashboardUsers, coreUp);
    const rateLimiter = buildRateLimiter(options, embeddedCore);
    return {
      options,
      connectionURI,
      embeddedCore,
      apiBasePath,
      verifiedTokens,
      inbox,
      dashboardUsers,
      rateLimiter,
      dashboard,
      dashboardBundle,
      hooks,
      overrides,
      close: () => releaseSuperTokens(app),
    };
  } catch (error) {
    await releaseSuperTokens(app);
    throw error;
  }
}

export const superTokensProvider: FactoryProvider<Promise<AuthRuntime>> = {
  provide: AUTH_RUNTIME,
  inject: [AUTH_MODULE_OPTIONS],
  useFactory: initSuperTokens,
};
