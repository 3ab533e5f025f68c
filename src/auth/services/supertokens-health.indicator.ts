import { Inject, Injectable } from '@nestjs/common';
import { AUTH_RUNTIME } from '../module/auth.constants.js';
import type { AuthRuntime } from '../module/auth-runtime.interface.js';

/** One check's result in `@nestjs/terminus`'s shape: `{ [key]: { status, ...details } }`. */
export type SuperTokensHealthResult = Record<
  string,
  {
    status: 'up' | 'down';
    /** `embedded` (started by the module) or `external` (your `connectionURI`). */
    core: 'embedded' | 'external';
    responseTimeMs?: number;
    /** Why it is down: the timeout, or what the connection answered (never the URI or a key). */
    message?: string;
  }
>;

/** The rate-limit store's check in `@nestjs/terminus`'s shape. */
export type RateLimitStoreHealthResult = Record<
  string,
  { status: 'up' | 'down'; /** Why it is down (never a key or a URL). */ message?: string }
>;

/**
 * A health indicator for `@nestjs/terminus`: is the SuperTokens core in use (embedded or your
 * own) answering `GET /hello` within the timeout? Resolves `up` or `down` in terminus's shape
 * (`HealthCheckService` answers 503 when one is down); it needs nothing from terminus itself.
 *
 * @example
 * \@Get('health')
 * \@HealthCheck()
 * check() {
 *   return this.health.check([() => this.superTokens.isHealthy('supertokens')]);
 * }
 */
@Injectable()
export class SuperTokensHealthIndicator {
  /** Nest injects it. @internal */
  constructor(@Inject(AUTH_RUNTIME) private readonly runtime: AuthRuntime) {}

  async isHealthy(
    key = 'supertokens',
    { timeoutMs = 1000 }: { timeoutMs?: number } = {},
  ): Promise<SuperTokensHealthResult> {
    const core = this.runtime.embeddedCore ? 'embedded' : 'external';
    const started = performance.now();
    // Any of the core URIs answering is enough: the SDK tries them in order.
    const uris = this.runtime.connectionURI.split(';').filter(Boolean);
    const failures: string[] = [];
    for (const uri of uris) {
      try {
        const response = await fetch(new URL('/hello', uri), {
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer();
        if (response.ok) {
          const responseTimeMs = Math.round(performance.now() - started);
          return { [key]: { status: 'up', core, responseTimeMs } };
        }
        failures.push(`answered ${response.status}`);
      } catch (error) {
        const name = (error as Error).name;
        failures.push(
          name === 'TimeoutError' ? `did not answer within ${timeoutMs} ms` : 'cannot be reached',
        );
      }
    }
    return { [key]: { status: 'down', core, message: `The core ${failures.join('; ')}` } };
  }

  /**
   * Is the rate-limit counters' store answering? `down` (with the reason) while its calls fail
   * or time out, as the built-in limiter last saw them; `up` too when limits are off. A separate
   * check so you choose: with `onStoreError: 'allow'` an instance still signs users in (keep it
   * out of readiness, alert on it); with `'refuse'` it answers 503 to limited routes (put it in).
   * @example
   * return this.health.check([
   *   () => this.superTokens.isHealthy('supertokens'),
   *   () => this.superTokens.isRateLimitStoreHealthy('rateLimitStore'),
   * ]);
   */
  isRateLimitStoreHealthy(key = 'rateLimitStore'): RateLimitStoreHealthResult {
    const down = this.runtime.rateLimiter?.storeDown;
    return {
      [key]:
        down === undefined
          ? { status: 'up' }
          : { status: 'down', message: `The rate-limit store failed: ${down}` },
    };
  }
}
