import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { middleware } from 'supertokens-node/framework/express';
import { coreFailureException } from '../errors/core-failure.js';
import { inputFailureException, mistypedInput } from '../errors/api-input.js';
import { AUTH_RUNTIME } from '../module/auth.constants.js';
import type { DashboardBundle } from '../dashboard/dashboard-bundle.js';
import type { AuthRuntime } from '../module/auth-runtime.interface.js';
import { sdkRequestPath } from '../utils/request-path.util.js';
import { CorsHint } from './cors-hint.js';
import type { RateLimiter, RateLimitVerdict } from '../security/rate-limit/rate-limiter.js';

const logger = new Logger('AuthModule');

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
 * Serves the SDK's auth APIs (`<apiBasePath>/signin`, `/session/refresh`, ...). The SDK answers its
 * own errors in place (401 / 403 / field errors); core failures become 503 / 400 answers, and
 * anything else it passes on is rethrown so Nest's exception filters see it, instead of Express'
 * default error page.
 */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  private readonly handle = middleware();
  private readonly apiBasePath: string;
  private readonly dashboardPath: string;
  private readonly dashboardCsp?: string;
  private readonly bundle?: { prefix: string; files: DashboardBundle };
  private readonly rateLimiter?: RateLimiter;
  private readonly corsHint: CorsHint;

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

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const path = req.originalUrl.split('?')[0] ?? '';
    // The path the SDK routes by: what the CSP and the rate limits decide on.
    const routed = sdkRequestPath(req.originalUrl);
    if (this.dashboardCsp && this.isDashboardPath(routed)) {
      res.setHeader('Content-Security-Policy', this.dashboardCsp);
    }
    // The self-hosted dashboard bundle (`dashboard.bundleDir`): static files, not an SDK API.
    if (this.bundle && routed.startsWith(this.bundle.prefix)) {
      return this.bundle.files.serve(req, res, routed.slice(this.bundle.prefix.length));
    }
    // Below apiBasePath, e.g. `/signinup/code` (empty for routes mounted elsewhere).
    const relative = path.startsWith(`${this.apiBasePath}/`)
      ? path.slice(this.apiBasePath.length)
      : '';
    if (relative) this.corsHint.check(req, res);
    const mistyped = relative && mistypedInput(req.method, relative, req.body);
    if (mistyped) throw mistyped;
    if (this.rateLimiter && req.method === 'POST' && !(await this.admitted(req, res, routed)))
      return;
    let passed = false;
    let failure: Error | undefined;
    await this.handle(req, res, (error?: unknown) => {
      passed = true;
      if (error !== undefined) {
        failure = error instanceof Error ? error : new Error('SuperTokens middleware failed');
      }
    });
    if (failure) {
      throw (
        coreFailureException(failure) ??
        inputFailureException(failure, req.method, relative) ??
        failure
      );
    }
    if (passed) next();
  }

  /**
   * The built-in rate limits: answers 429 (with Retry-After and the SDK's `{ message }` shape)
   * and returns false when the request is over a limit; otherwise lets the limiter see the SDK's
   * JSON answer (a successful sign-in clears its back-off).
   */
  private async admitted(req: Request, res: Response, routed: string): Promise<boolean> {
    if (!routed.startsWith(`${this.apiBasePath}/`)) return true;
    let verdict: RateLimitVerdict;
    try {
      verdict = await this.rateLimiter!.check(
        routed.slice(this.apiBasePath.length),
        req,
        req.body as Record<string, unknown> | undefined,
      );
    } catch (error) {
      // A counter store that fails must not lock every user out: the request goes on.
      logger.warn(`Rate limit store failed (request allowed): ${(error as Error).message}`);
      return true;
    }
    if (verdict.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
      res.status(429).json({
        message: `Too many requests: try again in ${verdict.retryAfterSeconds} seconds`,
      });
      return false;
    }
    const answered = verdict.answered;
    if (answered) {
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        answered(body).catch((error: unknown) =>
          logger.warn(`Rate limit store failed: ${(error as Error).message}`),
        );
        return json(body);
      };
    }
    return true;
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
