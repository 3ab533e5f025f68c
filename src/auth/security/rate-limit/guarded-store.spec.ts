import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { GuardedRateLimitStore } from './guarded-store.js';
import { MemoryRateLimitStore, type RateLimitStore } from './rate-limit.store.js';

/** A store that answers from memory, hangs, or fails, as the test switches it. */
function switchable(): {
  store: RateLimitStore;
  mode: { now: 'up' | 'hang' | 'fail' };
  calls: () => number;
} {
  const memory = new MemoryRateLimitStore();
  const mode: { now: 'up' | 'hang' | 'fail' } = { now: 'up' };
  let calls = 0;
  const gate = <T>(answer: () => Promise<T>): Promise<T> => {
    calls++;
    if (mode.now === 'hang') return new Promise<T>(() => undefined);
    if (mode.now === 'fail') return Promise.reject(new Error('connect ECONNREFUSED'));
    return answer();
  };
  return {
    mode,
    calls: () => calls,
    store: {
      hit: (key, windowMs) => gate(() => memory.hit(key, windowMs)),
      get: (key) => gate(() => memory.get(key)),
      delete: (key) => gate(() => memory.delete(key)),
    },
  };
}

describe('GuardedRateLimitStore', () => {
  afterEach(() => jest.restoreAllMocks());

  it('gives up on a store that does not answer within the deadline, and says so once', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { store, mode, calls } = switchable();
    const guarded = new GuardedRateLimitStore(store, 20, 'allow');
    expect((await guarded.hit('k', 60_000)).count).toBe(1);
    expect(guarded.down).toBeUndefined();
    mode.now = 'hang';
    await expect(guarded.hit('k', 60_000)).rejects.toThrow('no answer within 20 ms');
    expect(guarded.down).toBe('no answer within 20 ms');
    // Until the next try (a second later) calls fail at once, without reaching the store.
    const before = calls();
    await expect(guarded.get('k')).rejects.toThrow('no answer within 20 ms');
    await expect(guarded.delete('k')).rejects.toThrow();
    expect(calls()).toBe(before);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/allowed without limits/);
  });

  it('tries again after a second and is up as soon as the store answers', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const logs = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const { store, mode } = switchable();
    const clock = jest.spyOn(Date, 'now');
    clock.mockReturnValue(1_000);
    const guarded = new GuardedRateLimitStore(store, 20, 'refuse');
    mode.now = 'fail';
    await expect(guarded.hit('k', 60_000)).rejects.toThrow('ECONNREFUSED');
    mode.now = 'up';
    clock.mockReturnValue(1_500);
    await expect(guarded.hit('k', 60_000)).rejects.toThrow('ECONNREFUSED');
    clock.mockReturnValue(2_001);
    expect((await guarded.hit('k', 60_000)).count).toBe(1);
    expect(guarded.down).toBeUndefined();
    expect(logs).toHaveBeenCalledWith('Rate limit store answers again: limits apply again');
  });
});
