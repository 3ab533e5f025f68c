import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { middleware } from 'supertokens-node/framework/custom';
import { coreFailureException } from '../errors/core-failure.js';
import { inputFailureException, mistypedInput } from '../errors/api-input.js';
import { providerDeniedInput, providerFailureException } from '../errors/provider-failure.js';
import { AUTH_RUNTIME } from '../module/auth.constants.js';
import type { DashboardBundle } from '../dashboard/dashboard-bundle.js';
import type { AuthRuntime } from '../module/auth-runtime.interface.js';
import { sdkRequestPath } from '../utils/request-path.util.js';
import {
  nodeRequest,
  originalUrl,
  type PlatformRequest,
  type PlatformResponse,
  requestBody,
  sdkRequest,
  sdkResponse,
  sendJson,
  setResponseHeader,
  takeOverResponse,
} from '../utils/http-platform.js';
import { CorsHint } from './cors-hint.js';
import type { RateLimiter, RateLimitVerdict } from '../security/rate-limit/rate-limiter.js';

/**
 * What the SDK threw, as an Error. Errors from another realm (Node's fetch inside a test VM)
 * fail `instanceof Error` but keep their message, name and cause.
 */
function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string') {
    return error as Error;
  }
  return new Error('SuperTokens middleware failed');
}

/** A URL's origin, or undefined for a missing or unparsable one (the SDK's own checks name it). */
function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(/^https?:\/\//.test(url) ? url : `http://${url}`).origin;
  } catch {
    return undefined;
  }
}

/**
 * Serves the SDK's auth APIs (`<apiBasePath>/signin`, `/session/refresh`, ...) on Express or
 * Fastify, through the SDK's request and response wrappers for the platform (its Fastify
 * integration on Fastify). The SDK answers its own errors in place (401 / 403 / field errors);
 * core failures become 503 / 400 answers, and anything else it passes on is rethrown so Nest's
 * exception filters see it, instead of the platform's default error page.
 */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  /** The SDK's request handling, on requests and responses this class has already wrapped. */
  private readonly handle = middleware();
  private readonly apiBasePath: string;
  private readonly dashboardPath: string;
  private readonly dashboardCsp?: string;
  private readonly bundle?: { prefix: string; files: DashboardBundle };
  private readonly rateLimiter?: RateLimiter;
  private readonly corsHint: CorsHint;

  /** Nest injects it. @internal */
  constructor(@Inject(AUTH_RUNTIME) runtime: AuthRuntime) {
    this.apiBasePath = runtime.apiBasePath.replace(/\/+$/, '');
    const dashboard = runtime.dashboard;
    this.dashboardPath = dashboard?.path ?? `${this.apiBasePath}/dashboard`;
    this.dashboardCsp = dashboard?.csp;
    if (dashboard?.bundlePath && runtime.dashboardBundle) {
      this.bundle = { prefix: `${dashboard.bundlePath}/`, files: runtime.dashboardBundle };
    }
    this.rateLimiter = runtime.rateLimiter;
    const { apiDomain, websiteDomain } = runtime.options.appInfo;
    this.corsHint = new CorsHint(originOf(websiteDomain), originOf(apiDomain) ?? '');
  }

  /** Express' or Fastify's request and response (or Node's own, in Express middleware). */
  async use(req: PlatformRequest, res: PlatformResponse, next: () => void): Promise<void> {
    const url = originalUrl(req);
    const path = url.split('?')[0] ?? '';
    const method = nodeRequest(req).method ?? 'GET';
    const body = requestBody(req);
    // The path the SDK routes by: what the CSP and the rate limits decide on.
    const routed = sdkRequestPath(url);
    const csp = this.dashboardCsp && this.isDashboardPath(routed) ? this.dashboardCsp : undefined;
    // The self-hosted dashboard bundle (`dashboard.bundleDir`): static files, not an SDK API,
    // written straight to Node's response.
    if (this.bundle && routed.startsWith(this.bundle.prefix)) {
      const raw = takeOverResponse(res);
      if (csp) raw.setHeader('Content-Security-Policy', csp);
      return this.bundle.files.serve(
        nodeRequest(req),
        raw,
        routed.slice(this.bundle.prefix.length),
      );
    }
    if (csp) setResponseHeader(res, 'Content-Security-Policy', csp);
    // Below apiBasePath, e.g. `/signinup/code` (empty for routes mounted elsewhere).
    const relative = path.startsWith(`${this.apiBasePath}/`)
      ? path.slice(this.apiBasePath.length)
      : '';
    if (relative) this.corsHint.check(req, res);
    const refused =
      relative &&
      (mistypedInput(method, relative, body) ?? providerDeniedInput(method, relative, body));
    if (refused) throw refused;
    const response = sdkResponse(res);
    if (this.rateLimiter && method === 'POST') {
      const verdict = await this.rateLimit(req, routed, body);
      if (verdict.retryAfterSeconds !== undefined) {
        setResponseHeader(res, 'Retry-After', String(verdict.retryAfterSeconds));
        return verdict.storeDown
          ? sendJson(res, 503, {
              message: `Sign-in is briefly unavailable: try again in ${verdict.retryAfterSeconds} seconds`,
            })
          : sendJson(res, 429, {
              message: `Too many requests: try again in ${verdict.retryAfterSeconds} seconds`,
            });
      }
      const answered = verdict.answered;
      if (answered) {
        // The limiter sees the SDK's JSON answer: a successful sign-in clears its back-off.
        const send = response.sendJSONResponse;
        response.sendJSONResponse = (content: unknown) => {
          void answered(content);
          send(content);
        };
      }
    }
    const outcome: { handled?: boolean; error?: unknown } = await this.handle(
      sdkRequest(req),
      response,
    );
    const { handled, error } = outcome;
    if (error !== undefined) {
      const failure = asError(error);
      throw (
        coreFailureException(failure) ??
        providerFailureException(failure, method, relative) ??
        inputFailureException(failure, method, relative) ??
        failure
      );
    }
    if (!handled) next();
  }

  /**
   * The built-in rate limits' verdict: a Retry-After when the request is over a limit (answered
   * 429 in the SDK's `{ message }` shape), else what wants to see the SDK's answer, if anything.
   */
  private async rateLimit(
    req: PlatformRequest,
    routed: string,
    body: unknown,
  ): Promise<RateLimitVerdict> {
    if (!routed.startsWith(`${this.apiBasePath}/`)) return {};
    return this.rateLimiter!.check(
      routed.slice(this.apiBasePath.length),
      nodeRequest(req),
      body as Record<string, unknown> | undefined,
    );
  }

  /**
   * Whether the policy applies: decided on the path the SDK routes by (`/auth/./dashboard` is
   * the dashboard), and generously (any case, repeated slashes) since the policy harms no other
   * response.
   */
  private isDashboardPath(routed: string): boolean {
    const path = routed.replace(/\/{2,}/g, '/').toLowerCase();
    const dashboard = this.dashboardPath.toLowerCase();
    return path === dashboard || path.startsWith(`${dashboard}/`);
  }
}
