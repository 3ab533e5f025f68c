import { FairQueue, QueueFullError } from './fair-queue.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('FairQueue (password hashing)', () => {
  it('runs at most `concurrency` jobs at once', async () => {
    const queue = new FairQueue(2);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        queue.run(`k${i % 3}`, async () => {
          peak = Math.max(peak, ++running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(queue.size).toEqual({ active: 0, queued: 0 });
  });

  it("serves another key's job next, however many one key has waiting", async () => {
    const queue = new FairQueue(1);
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run('attacker', async () => {
      await gate.promise;
      order.push('attacker-0');
    });
    const flood = Array.from({ length: 32 }, (_, i) =>
      queue.run('attacker', () => {
        order.push(`attacker-${i + 1}`);
        return Promise.resolve();
      }),
    );
    const user = queue.run('user', () => {
      order.push('user');
      return Promise.resolve();
    });
    gate.resolve();
    await Promise.all([first, ...flood, user]);
    // The user's job is next once the running one ends: it jumps the whole waiting flood.
    expect(order.slice(0, 2)).toEqual(['attacker-0', 'user']);
    expect(order).toHaveLength(34);
  });

  it('takes turns between busy keys', async () => {
    const queue = new FairQueue(1);
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run('x', () => gate.promise);
    const jobs = ['a', 'a', 'a', 'b', 'b', 'b'].map((key, i) =>
      queue.run(key, () => {
        order.push(`${key}${i}`);
        return Promise.resolve();
      }),
    );
    gate.resolve();
    await Promise.all([first, ...jobs]);
    expect(order).toEqual(['a0', 'b3', 'a1', 'b4', 'a2', 'b5']);
  });

  it('refuses work past maxQueued, and a failing job frees its slot', async () => {
    const queue = new FairQueue(1, 2);
    const gate = deferred();
    const running = queue.run('a', () => gate.promise);
    const waiting = [
      queue.run('a', () => Promise.resolve()),
      queue.run('b', () => Promise.resolve()),
    ];
    await expect(queue.run('c', () => Promise.resolve())).rejects.toBeInstanceOf(QueueFullError);
    gate.resolve();
    await Promise.all([running, ...waiting]);
    await expect(queue.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run('a', () => Promise.resolve(7))).resolves.toBe(7);
  });
});
