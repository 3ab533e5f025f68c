import type { CounterState } from './store.interface.js';

/**
 * A fixed-window counter after one more hit at `now`: one more in a window that has not ended,
 * else 1 in a new window ending `windowMs` from now. Every in-memory counter store uses this.
 */
export function nextCounter(
  current: CounterState | undefined,
  windowMs: number,
  now: number,
): CounterState {
  return current && current.resetAt > now
    ? { count: current.count + 1, resetAt: current.resetAt }
    : { count: 1, resetAt: now + windowMs };
}
