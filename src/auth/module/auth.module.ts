import {
  Catch,
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  Optional,
  type NestModule,
  type OnApplicationShutdown,
  type OnModuleInit,
  RequestMethod,
  type Type,
} from '@nestjs/common';
import {
  APP_FILTER,
  DiscoveryModule,
  DiscoveryService,
  HttpAdapterHost,
  ModuleRef,
} from '@nestjs/core';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { AuthConfigError } from '../errors/auth.errors.js';
import { AuthInfo, authInfoOf } from './auth-info.js';
import { AuthGuard } from '../guard/auth.guard.js';
import { AuthMiddleware } from '../middleware/auth.middleware.js';
import { AuthRoutesController } from '../middleware/auth-routes.controller.js';
import { CookiePrefixMiddleware } from '../security/cookie-prefix.middleware.js';
import { cookiePrefixesOn } from '../security/security-profile.js';
import {
  ASYNC_OPTIONS_TYPE,
  AUTH_MODULE_OPTIONS,
  AUTH_ROUTES_MODE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
} from './auth.module-definition.js';
import { SuperTokensExceptionFilter } from '../errors/supertokens-exception.filter.js';
import { AUTH_RUNTIME } from './auth.constants.js';
import { DeliveryInbox } from '../delivery/delivery-inbox.js';
import { DashboardUsers } from '../dashboard/dashboard-users.js';
import { EmailVerificationService } from '../services/email-verification.service.js';
import { UserMetadataService } from '../services/user-metadata.service.js';
import { UserRolesService } from '../services/user-roles.service.js';
import { MultitenancyService } from '../services/multitenancy.service.js';
import { AccountLinkingService } from '../services/account-linking.service.js';
import { MfaService } from '../services/mfa.service.js';
import { CurrentSession, RequestContextMiddleware } from '../services/current-session.js';
import { SuperTokensHealthIndicator } from '../services/supertokens-health.indicator.js';
import type { AuthRuntime } from './auth-runtime.interface.js';
import type { AuthEventEmitter } from '../hooks/auth-hooks.js';
import { superTokensProvider } from './auth-startup.js';
import { AuthUsageCheck } from './usage-check.js';
import { classesInjecting } from '../utils/discovery.util.js';
import { setSdkFramework } from '../sdk/sdk-internals.js';

/** Stands in for the filter when `exceptionFilter: false`: it catches nothing. */
class NeverThrown {}
@Catch(NeverThrown)
class DisabledFilter {
  catch(): void {}
}

/** Reads the app's global prefix. Nest exposes it to middleware only through its container. */
function globalPrefix(moduleRef: ModuleRef): string {
  const container = (
    moduleRef as unknown as {
      container?: { applicationConfig?: { getGlobalPrefix(): string } };
    }
  ).container;
  return container?.applicationConfig?.getGlobalPrefix() ?? '';
}

const trimSlashes = (path: string): string => path.replace(/^\/+|\/+$/g, '');

/** The app's `EventEmitter2`, if `@nestjs/event-emitter` is installed and its module imported. */
async function appEventEmitter(moduleRef: ModuleRef): Promise<AuthEventEmitter | undefined> {
  let EventEmitter2: Type<AuthEventEmitter>;
  try {
    ({ EventEmitter2 } = (await import('@nestjs/event-emitter')) as {
      EventEmitter2: Type<AuthEventEmitter>;
    });
  } catch {
    return undefined; // not installed
  }
  try {
    return moduleRef.get(EventEmitter2, { strict: false });
  } catch {
    return undefined; // installed, but EventEmitterModule is not imported
  }
}

/**
 * SuperTokens authentication for a Nest app: `AuthModule.forRoot({ appInfo })`. Initialises the SDK
 * (starting the embedded core when no `connectionURI` is set), serves the auth APIs under
 * `appInfo.apiBasePath`, registers `SuperTokensExceptionFilter`, and provides `AuthGuard`.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    superTokensProvider,
    AuthGuard,
    AuthUsageCheck,
    {
      provide: DeliveryInbox,
      inject: [AUTH_RUNTIME],
      useFactory: (runtime: AuthRuntime) => runtime.inbox,
    },
    { provide: AuthInfo, inject: [AUTH_RUNTIME], useFactory: authInfoOf },
    {
      provide: DashboardUsers,
      inject: [AUTH_RUNTIME],
      useFactory: (runtime: AuthRuntime) => runtime.dashboardUsers,
    },
    UserRolesService,
    UserMetadataService,
    EmailVerificationService,
    MultitenancyService,
    AccountLinkingService,
    MfaService,
    CurrentSession,
    SuperTokensHealthIndicator,
    {
      provide: APP_FILTER,
      inject: [AUTH_MODULE_OPTIONS],
      useFactory: (options: AuthModuleOptions) =>
        options.exceptionFilter === false ? new DisabledFilter() : new SuperTokensExceptionFilter(),
    },
  ],
  exports: [
    AuthGuard,
    AuthInfo,
    AUTH_MODULE_OPTIONS,
    AUTH_RUNTIME,
    DeliveryInbox,
    DashboardUsers,
    UserRolesService,
    UserMetadataService,
    EmailVerificationService,
    MultitenancyService,
    AccountLinkingService,
    MfaService,
    CurrentSession,
    SuperTokensHealthIndicator,
  ],
})
export class AuthModule
  extends ConfigurableModuleClass
  implements NestModule, OnModuleInit, OnApplicationShutdown
{
  /** Nest builds the module. @internal */
  constructor(
    @Inject(AUTH_RUNTIME) private readonly runtime: AuthRuntime,
    private readonly moduleRef: ModuleRef,
    private readonly discovery: DiscoveryService,
    @Optional() @Inject(AUTH_ROUTES_MODE) private readonly routesMode?: 'nest',
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    super();
  }

  /** @see AuthModuleOptions */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return super.forRoot(options);
  }

  /** @see AuthModuleOptions */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }

  configure(consumer: MiddlewareConsumer): void {
    const { options, apiBasePath } = this.runtime;
    // Nest has chosen its HTTP adapter by now (with @nestjs/testing, only after supertokens.init()).
    const fastify = this.adapterHost?.httpAdapter?.getType() === 'fastify';
    if (fastify) {
      setSdkFramework('fastify');
      if (this.routesMode !== 'nest') {
        throw this.refuse(
          "AuthModule: routes: 'middleware' works on Express only: Fastify runs Nest middleware " +
            'before it parses request bodies, so the auth APIs could not read them. On Fastify they ' +
            "are a Nest route under apiBasePath (the default). Fix: remove routes: 'middleware' " +
            '(and middleware, if set), and give the auth APIs their own appInfo.apiBasePath.',
        );
      }
    }
    const prefix = trimSlashes(globalPrefix(this.moduleRef));
    const base = trimSlashes(apiBasePath);
    if (prefix && base !== prefix && !base.startsWith(`${prefix}/`)) {
      throw this.refuse(
        `AuthModule: the app's global prefix is '/${prefix}' but appInfo.apiBasePath is '${apiBasePath}', ` +
          `so no auth route could ever be reached. Fix: set appInfo.apiBasePath to '/${prefix}/${base}'.`,
      );
    }
    // Only when something asks for CurrentSession: other apps pay nothing for the context.
    if (classesInjecting(this.discovery, CurrentSession).length > 0) {
      consumer
        .apply(RequestContextMiddleware)
        .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
    }
    if (cookiePrefixesOn(options)) {
      consumer
        .apply(CookiePrefixMiddleware)
        .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
    }
    const relative = trimSlashes(base.slice(prefix.length));
    if (this.routesMode === 'nest') {
      if (options.apis !== false && !relative) {
        throw this.refuse(
          "AuthModule: routes: 'nest' serves the auth APIs as a catch-all route under apiBasePath, " +
            `which is the app's root${prefix ? ` (the global prefix '/${prefix}')` : ''}, so it would ` +
            'shadow your own routes. Fix: give the auth APIs their own path (appInfo.apiBasePath: ' +
            `'${prefix ? `/${prefix}` : ''}/auth'), or set routes: 'middleware' beside the options.`,
        );
      }
      if (options.middleware) {
        throw this.refuse(
          'AuthModule option middleware (where the auth middleware is mounted) applies only with ' +
            "routes: 'middleware'; the default routes: 'nest' serves the auth APIs as a Nest route " +
            "under apiBasePath. Fix: remove middleware, or set routes: 'middleware' beside the options.",
        );
      }
      // Served by AuthRoutesController: its path is set here, before Nest registers routes
      // (with apis: false it stays unmounted and answers 404).
      AuthRoutesController.mountAt(
        options.apis === false ? undefined : relative,
        fastify ? 'fastify' : 'express',
      );
      return;
    }
    if (options.apis === false) return;
    const routes = options.middleware?.forRoutes ?? [
      { path: relative ? `${relative}/{*path}` : '{*path}', method: RequestMethod.ALL },
    ];
    const proxy = consumer.apply(AuthMiddleware);
    const excluded = options.middleware?.exclude;
    (excluded ? proxy.exclude(...excluded) : proxy).forRoutes(...routes);
  }

  /**
   * A start-up refusal: the app will not start, so the SDK is freed and the embedded core
   * stopped now, not at a close() that never comes.
   */
  private refuse(message: string): AuthConfigError {
    void this.runtime.close();
    return new AuthConfigError(message);
  }

  /**
   * Binds `hooks` and `overrides` to the app's instances (its own providers if it registered
   * them, else new ones), and the app's `@nestjs/event-emitter`, when it uses one, for the
   * `auth.*` events.
   */
  async onModuleInit(): Promise<void> {
    const { options, hooks, overrides } = this.runtime;
    if (options.hooks && hooks) hooks.hooks = await this.appInstance(options.hooks);
    if (options.overrides && overrides) {
      overrides.overrides = await this.appInstance(options.overrides);
    }
    if (hooks) hooks.events = await appEventEmitter(this.moduleRef);
  }

  /** The app's own provider of this class if it registered one, else one made here. */
  private async appInstance<T>(type: Type<T>): Promise<T> {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return this.moduleRef.create(type);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}
