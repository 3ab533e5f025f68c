// Holds CounterStorage (the module's rate-limit counters) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract } from './store-subjects.js';

describeStoreContract('CounterStorage', (subject) => {
  it('counts rate-limit hits atomically across connections, in windows that end', async () => {
    const { store, other } = subject();
    const key = `rl:test:${randomUUID()}`;
    const now = Date.now();
    const counts = await Promise.all(
      Array.from({ length: 32 }, (_, i) => (i % 2 ? other : store).hitCounter(key, 60_000, now)),
    );
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 32 }, (_, i) => i + 1),
    );
    expect(new Set(counts.map((c) => c.resetAt))).toEqual(new Set([now + 60_000]));
    expect(await store.getCounter(key, now + 59_999)).toEqual({ count: 32, resetAt: now + 60_000 });
    expect(await store.getCounter(key, now + 60_000)).toBeUndefined();
    // A window that has ended starts again at 1.
    expect(await store.hitCounter(key, 1_000, now + 60_000)).toEqual({
      count: 1,
      resetAt: now + 61_000,
    });
    await store.deleteCounter(key);
    expect(await store.getCounter(key, now + 60_000)).toBeUndefined();
    await store.hitCounter(key, 1_000, now);
    await store.deleteExpired(now + 2_000, { codesCreatedBefore: 0, totpCodesExpiredBefore: 0 });
    expect(await store.hitCounter(key, 1_000, now)).toEqual({ count: 1, resetAt: now + 1_000 });
  });
});
