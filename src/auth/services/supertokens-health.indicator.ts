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
}
