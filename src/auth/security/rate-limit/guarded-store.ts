import { Logger } from '@nestjs/common';
import type { CounterState, RateLimitStore } from './rate-limit.store.js';

const logger = new Logger('AuthModule');

/** A store call that did not answer in time. */
export class RateLimitStoreTimeout extends Error {
  constructor(deadlineMs: number) {
    super(`no answer within ${deadlineMs} ms`);
  }
}

/** While the store is down, how often one call tries it again (the others fail at once). */
const PROBE_INTERVAL_MS = 1000;

/**
 * A rate-limit store whose every call answers within `deadlineMs` (a failure after that), so a
 * store that is down (a Redis outage, with its client's retry queue) costs a request a quarter
 * of a second, not seconds. Once it is down, one call a second tries it and the others fail at
 * once, without reaching the client (whose queue would replay them all when the server is back).
 * It knows whether the store is down and logs once when an outage starts and once when it ends,
 * never per request.
 */
export class GuardedRateLimitStore implements RateLimitStore {
  private failure: string | undefined;
  private nextProbeAt = 0;

  constructor(
    private readonly store: RateLimitStore,
    private readonly deadlineMs: number,
    /** What requests get while the store is down, for the log line. */
    private readonly whileDown: 'allow' | 'refuse',
  ) {}

  /** Why the store is down (its last call failed), or undefined when it answers. */
  get down(): string | undefined {
    return this.failure;
  }

  hit(key: string, windowMs: number): Promise<CounterState> {
    return this.guard(() => this.store.hit(key, windowMs));
  }

  get(key: string): Promise<CounterState | undefined> {
    return this.guard(() => this.store.get(key));
  }

  delete(key: string): Promise<void> {
    return this.guard(() => this.store.delete(key));
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.failure !== undefined) {
      const now = Date.now();
      if (now < this.nextProbeAt) throw new Error(this.failure);
      this.nextProbeAt = now + PROBE_INTERVAL_MS;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RateLimitStoreTimeout(this.deadlineMs)), this.deadlineMs);
      timer.unref();
    });
    try {
      const answer = await Promise.race([call(), deadline]);
      if (this.failure !== undefined) {
        logger.log('Rate limit store answers again: limits apply again');
        this.failure = undefined;
      }
      return answer;
    } catch (error) {
      if (this.failure === undefined) {
        const what = this.whileDown === 'allow' ? 'allowed without limits' : 'refused with 503';
        logger.error(
          `Rate limit store failed (${(error as Error).message}): limited requests are ${what} ` +
            'until it answers again (rateLimit.onStoreError)',
        );
      }
      this.failure = (error as Error).message;
      this.nextProbeAt = Date.now() + PROBE_INTERVAL_MS;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
