import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import Session, {
  type SessionContainer,
  type VerifySessionOptions,
} from 'supertokens-node/recipe/session';
import type { AuthModuleOptions } from '../module/auth-options.interface.js';
import { AUTH_RUNTIME, PUBLIC_ROUTE, VERIFY_SESSION_OPTIONS } from '../module/auth.constants.js';
import {
  routeClaimValidators,
  withClaimValidators,
  withMfaRequirement,
} from './claim-validators.js';
import { REQUIRE_MFA } from '../decorators/mfa.decorator.js';
import {
  coreFailureException,
  signingKeysUnreachable,
  unreachableException,
} from '../errors/core-failure.js';
import { asGraphqlError } from './graphql-errors.js';
import { requestSession } from './request-session.js';
import { verifyWsSession, wsAuthError } from '../ws/ws-session.js';
import { type RequestToken, unambiguousAccessToken } from './request-token.js';
import {
  isSuperTokensError,
  SuperTokensHttpException,
  toHttpException,
} from '../errors/supertokens-http.exception.js';
import {
  REQUIRED_TENANT,
  subdomainOf,
  type TenantRequirement,
} from '../decorators/tenant.decorator.js';
import type { AuthRuntime } from '../module/auth-runtime.interface.js';
import { hasNoRequiredClaimValidators, sdkRecipeModules } from '../sdk/sdk-internals.js';
import { AuthConfigError } from '../errors/auth.errors.js';
import { getRequestResponse, type RequestResponse } from '../utils/execution-context.util.js';
import {
  nodeRequest,
  type PlatformRequest,
  type PlatformResponse,
  sdkRequest,
  sdkResponse,
} from '../utils/http-platform.js';

// A CommonJS module: its class is the `default` property of what ESM imports.

type ReqResInfo = Parameters<SessionContainer['attachToRequestResponse']>[0];

/**
 * The request and response as the SDK's session methods see them, wrapped only if a method
 * (e.g. `mergeIntoAccessTokenPayload`, which sets new tokens) actually uses them.
 */
class LazyReqResInfo implements ReqResInfo {
  private wrappedReq?: ReqResInfo['req'];
  private wrappedRes?: ReqResInfo['res'];

  constructor(
    private readonly rawReq: PlatformRequest,
    private readonly rawRes: PlatformResponse,
    readonly transferMethod: ReqResInfo['transferMethod'],
  ) {}

  get req(): ReqResInfo['req'] {
    return (this.wrappedReq ??= sdkRequest(this.rawReq));
  }

  get res(): ReqResInfo['res'] {
    return (this.wrappedRes ??= sdkResponse(this.rawRes));
  }
}

/**
 * A value per route (handler and controller class, as one handler can serve subclasses): route
 * metadata never changes, so it is read once. `T` excludes undefined, which marks "not read yet".
 */
class PerRoute<T extends NonNullable<unknown> | null> {
  private readonly byHandler = new WeakMap<object, WeakMap<object, T>>();

  /** `read` is a function made once (no closure per request: this is the hot path). */
  get(context: ExecutionContext, read: (context: ExecutionContext) => T): T {
    const handler = context.getHandler();
    let byClass = this.byHandler.get(handler);
    if (!byClass) this.byHandler.set(handler, (byClass = new WeakMap()));
    let value = byClass.get(context.getClass());
    if (value === undefined) byClass.set(context.getClass(), (value = read(context)));
    return value;
  }
}

/** Settings under which the SDK's request path may differ from the guard's shortcut: never shortcut. */
const customisesVerification = (options: AuthModuleOptions): boolean => {
  const session = options.session ?? {};
  return (
    session.getTokenTransferMethod !== undefined ||
    session.getCookieNameForTokenType !== undefined ||
    session.olderCookieDomain !== undefined ||
    session.override?.functions !== undefined
  );
};

const shortcutOptions = (options: VerifySessionOptions): boolean =>
  options.checkDatabase !== true &&
  options.antiCsrfCheck !== true &&
  options.overrideGlobalClaimValidators === undefined;

/** The tenant a `@RequireTenant()` route belongs to for this request, if it names one. */
function expectedTenant(requirement: TenantRequirement, req: PlatformRequest): string | undefined {
  if ('tenantId' in requirement) return requirement.tenantId;
  if ('param' in requirement) {
    return (req as { params?: Record<string, string | undefined> }).params?.[requirement.param];
  }
  const platform = (req as { hostname?: unknown }).hostname;
  const hostname =
    typeof platform === 'string' && platform !== '' ? platform : nodeRequest(req).headers.host;
  if (!hostname) return undefined;
  return requirement.subdomain === true
    ? subdomainOf(hostname)
    : requirement.subdomain(hostname.toLowerCase().replace(/:\d+$/, ''));
}

/**
 * Verifies the SuperTokens session of a request: `@UseGuards(AuthGuard)` on a controller or route,
 * or every route with `globalGuard: true` (`@Public()` opts out). The session is then available
 * through `@Session()`. No or an invalid session answers as the SDK does (401 `try refresh token`
 * / `unauthorised`, 403 for a failed claim), as a `SuperTokensHttpException`, never a 500.
 *
 * A token the SDK has verified before, for a session with no claim to check, is accepted from
 * the verified-token cache without the SDK's request handling (see `verificationCache`).
 *
 * Extend it and override the protected hooks to change one step.
 */
@Injectable()
export class AuthGuard implements CanActivate, OnApplicationBootstrap {
  private readonly routeOptions = new PerRoute<VerifySessionOptions>();
  /** `@RequireTenant()` of each route: `null` when the route has none. */
  private readonly routeTenants = new PerRoute<TenantRequirement | null>();

  /**
   * Nest injects both; a subclass needs no constructor of its own.
   * @internal
   */
  constructor(
    protected readonly reflector: Reflector,
    @Optional() @Inject(AUTH_RUNTIME) private readonly runtime?: AuthRuntime,
  ) {}

  /**
   * Without AuthModule the guard would answer every request with the SDK's 500 "Initialisation
   * not done": refuse to start instead, naming the fix.
   */
  onApplicationBootstrap(): void {
    if (sdkRecipeModules() !== undefined) return;
    throw new AuthConfigError(
      'AuthGuard is used, but SuperTokens is not initialised: import AuthModule.forRoot({ appInfo, ... }) ' +
        '(or forRootAsync) in your root module, e.g. AppModule.',
    );
  }

  /** Synchronous when the token is answered from the verified-token cache (no await on the hot path). */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.isPublic(context)) return true;
    // A WebSocket message: the handshake's token, verified again for every message.
    if (context.getType<string>() === 'ws') return this.verifyWs(context);
    const { req, res } = this.getRequestResponse(context);
    // Already verified in this request (route guard under a global guard): don't do it twice.
    if (requestSession.verified(req)) return true;
    const options = this.getVerifyOptions(context);
    // `@RequireTenant()` needs `multitenancy` (start-up refuses it otherwise): no lookup without.
    const tenant = this.runtime?.options.multitenancy ? this.requiredTenant(context) : undefined;
    const cached = this.cachedSession(req, res, options);
    if (cached) {
      requestSession.set(req, cached);
      if (tenant) this.checkTenant(tenant, req, cached);
      return true;
    }
    const verified = this.verify({ req, res }, options).then((ok) => {
      if (tenant) this.checkTenant(tenant, req, requestSession.get(req));
      return ok;
    });
    return context.getType<string>() === 'graphql'
      ? verified.catch((error: unknown) => {
          throw asGraphqlError(error);
        })
      : verified;
  }

  /** `@RequireTenant()` of the route (the handler's wins over the class's), read once per route. */
  private requiredTenant(context: ExecutionContext): TenantRequirement | undefined {
    return this.routeTenants.get(context, this.readTenant) ?? undefined;
  }

  private readonly readTenant = (context: ExecutionContext): TenantRequirement | null =>
    this.reflector.getAllAndOverride<TenantRequirement | undefined>(REQUIRED_TENANT, [
      context.getHandler(),
      context.getClass(),
    ]) ?? null;

  /**
   * A session of another tenant than the route's: 403 in the SDK's shape for a failed claim, so
   * frontends treat it like one. No session (an optional route) passes: there is no tenant to
   * compare.
   */
  private checkTenant(
    requirement: TenantRequirement,
    req: PlatformRequest,
    session: SessionContainer | undefined,
  ): void {
    if (!session) return;
    const expected = expectedTenant(requirement, req);
    const actual = session.getTenantId();
    if (expected !== undefined && expected.toLowerCase() === actual) return;
    throw new SuperTokensHttpException(
      403,
      {
        message: 'invalid claim',
        claimValidationErrors: [
          {
            id: 'st-tenant',
            reason: {
              message: 'wrong tenant',
              expectedToBe: expected ?? null,
              actualValue: actual,
            },
          },
        ],
      },
      new Error(`Session of tenant ${actual} on a route of tenant ${expected ?? '(none)'}`),
    );
  }

  private async verify(
    { req, res }: RequestResponse,
    options: VerifySessionOptions,
  ): Promise<boolean> {
    let session: SessionContainer | undefined;
    try {
      // Wrapped here for the platform the request came from, whatever `framework` the SDK has.
      session = await Session.getSession(sdkRequest(req), sdkResponse(res), options);
    } catch (error) {
      throw await this.handleError(error, { req, res });
    }
    if (session) await this.noteClaimFree(req, options, session);
    requestSession.set(req, session);
    return true;
  }

  private async verifyWs(context: ExecutionContext): Promise<boolean> {
    try {
      await verifyWsSession(
        context.switchToWs().getClient<object>(),
        this.getVerifyOptions(context),
      );
      return true;
    } catch (error) {
      const refusal = wsAuthError(error);
      if (!refusal) throw coreFailureException(error) ?? error;
      // Only a WsException reaches the client (as an `exception` event); the package is there
      // whenever a gateway is.
      const { WsException } = await import('@nestjs/websockets');
      throw new WsException(refusal);
    }
  }

  /** `@Public()` on the handler or its class. */
  protected isPublic(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }

  protected getRequestResponse(context: ExecutionContext): RequestResponse {
    return getRequestResponse(context);
  }

  /**
   * `@VerifySession()` options (the handler's win over the class's), plus the claim validators
   * of `@Roles()`, `@Permissions()`, `@RequireEmailVerified()` and `@RequireClaims()`.
   */
  protected getVerifyOptions(context: ExecutionContext): VerifySessionOptions {
    return this.routeOptions.get(context, this.readVerifyOptions);
  }

  private readonly readVerifyOptions = (context: ExecutionContext): VerifySessionOptions => {
    const targets = [context.getHandler(), context.getClass()];
    const { mfa, ...own } =
      this.reflector.getAllAndOverride<(VerifySessionOptions & { mfa?: boolean }) | undefined>(
        VERIFY_SESSION_OPTIONS,
        targets,
      ) ?? {};
    const options = withClaimValidators(own, routeClaimValidators(this.reflector, context));
    const mfaOptions = this.runtime?.options.mfa;
    if (!mfaOptions) return options;
    const required =
      this.reflector.getAllAndOverride<boolean | undefined>(REQUIRE_MFA, targets) ??
      mfa ??
      (mfaOptions.requiredOn ?? 'every-route') === 'every-route';
    return withMfaRequirement(options, required);
  };

  /** Turns a verification failure into the exception the request ends with. */
  protected async handleError(error: unknown, { req, res }: RequestResponse): Promise<unknown> {
    if (isSuperTokensError(error)) {
      const token =
        (error as { type?: string }).type === Session.Error.TRY_REFRESH_TOKEN
          ? unambiguousAccessToken(nodeRequest(req))
          : undefined;
      if (token && (await signingKeysUnreachable(token.token))) {
        return unreachableException('cannot be reached for its signing keys');
      }
      const mapped = await toHttpException(error, req, res);
      if (mapped) return mapped;
      return new UnauthorizedException();
    }
    return coreFailureException(error) ?? error;
  }

  /** The request's token, if the guard may look it up in the verified-token cache. */
  private shortcutToken(
    req: PlatformRequest,
    options: VerifySessionOptions,
  ): RequestToken | undefined {
    const runtime = this.runtime;
    if (
      !runtime?.verifiedTokens ||
      !shortcutOptions(options) ||
      customisesVerification(runtime.options)
    ) {
      return undefined;
    }
    return unambiguousAccessToken(nodeRequest(req));
  }

  private cachedSession(
    req: PlatformRequest,
    res: PlatformResponse,
    options: VerifySessionOptions,
  ): SessionContainer | undefined {
    const found = this.shortcutToken(req, options);
    const session = found && this.runtime?.verifiedTokens?.claimFreeSession(found.token);
    if (!found || !session) return undefined;
    // With an unchanged token this only records req/res on the session, as the SDK does.
    void session.attachToRequestResponse(new LazyReqResInfo(req, res, found.transferMethod));
    return session;
  }

  /** After a full verification: whether later requests with this token may take the shortcut. */
  private async noteClaimFree(
    req: PlatformRequest,
    options: VerifySessionOptions,
    session: SessionContainer,
  ): Promise<void> {
    const found = this.shortcutToken(req, options);
    const cache = this.runtime?.verifiedTokens;
    if (!found || !cache?.awaitsClaimCheck(found.token)) return;
    if (await hasNoRequiredClaimValidators(session)) cache.markClaimFree(found.token);
  }
}

/** Alias of `AuthGuard` for files that also import `AuthGuard` from `@nestjs/passport`. */
export const SuperTokensAuthGuard = AuthGuard;
