import type { CounterState, Store } from '../../../core/index.js';
import { nextCounter } from '../../../core/store/counter.js';

export type { CounterState };

/**
 * Where rate-limit counters live. Every method is atomic for its key, across every process that
 * shares the store. Implementations: the embedded core's own store (the default with the
 * embedded core, so instances on one PostgreSQL share counters), `MemoryRateLimitStore` (one
 * process) and `RedisRateLimitStore`.
 */
export interface RateLimitStore {
  /** Adds one to `key`; a missing or ended window restarts at 1 and ends `windowMs` from now. */
  hit(key: string, windowMs: number): Promise<CounterState>;
  /** The counter while its window lasts. */
  get(key: string): Promise<CounterState | undefined>;
  delete(key: string): Promise<void>;
}

/** Counters in the embedded core's store (memory, PGlite or PostgreSQL). */
export function coreRateLimitStore(store: Store, now: () => number = Date.now): RateLimitStore {
  return {
    hit: (key, windowMs) => store.hitCounter(key, windowMs, now()),
    get: (key) => store.getCounter(key, now()),
    delete: (key) => store.deleteCounter(key),
  };
}

/**
 * Counters in this process: for an app on the official core with one instance. Ended windows
 * are swept every minute, so a flood of distinct keys does not stay in memory.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, CounterState>();
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweep = setInterval(() => {
      const time = this.now();
      for (const [key, counter] of this.counters) {
        if (counter.resetAt <= time) this.counters.delete(key);
      }
    }, 60_000);
    this.sweep.unref();
  }

  hit(key: string, windowMs: number): Promise<CounterState> {
    const next = nextCounter(this.counters.get(key), windowMs, this.now());
    this.counters.set(key, next);
    return Promise.resolve({ ...next });
  }

  get(key: string): Promise<CounterState | undefined> {
    const current = this.counters.get(key);
    return Promise.resolve(current && current.resetAt > this.now() ? { ...current } : undefined);
  }

  delete(key: string): Promise<void> {
    this.counters.delete(key);
    return Promise.resolve();
  }

  /** Stops the sweep timer (it does not keep the process alive either way). */
  close(): void {
    clearInterval(this.sweep);
  }
}
