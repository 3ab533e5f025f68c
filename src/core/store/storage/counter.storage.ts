/** A rate-limit counter: hits in the current window and when the window ends (epoch ms). */
export interface CounterState {
  count: number;
  resetAt: number;
}

/**
 * The module's own rate-limit counters (table `nest_supertokens_counters`, not an official one:
 * the official core ignores it). Not per app: the module names its keys.
 */
export interface CounterStorage {
  /**
   * Adds one to the counter `key` (at most 512 characters) and returns it. A counter that does
   * not exist or whose window ended before `now` starts again at 1 with a window ending at
   * `now + windowMs`. Atomic across processes.
   */
  hitCounter(key: string, windowMs: number, now: number): Promise<CounterState>;
  /** The counter `key` if its window has not ended. */
  getCounter(key: string, now: number): Promise<CounterState | undefined>;
  deleteCounter(key: string): Promise<void>;
}
