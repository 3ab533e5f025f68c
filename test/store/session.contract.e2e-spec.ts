// Holds SessionStorage (sessions and refresh-token rotation) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract, session } from './store-subjects.js';

describeStoreContract('SessionStorage', (subject) => {
  it('rotates a refresh token once when 32 refreshes race (compare-and-set)', async () => {
    const { store, other } = subject();
    const created = session(randomUUID());
    // A recipe user id the store does not know stands for itself.
    expect((await store.createSession('public', created)).userId).toBe(created.recipeUserId);
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        (i % 2 ? other : store).updateSession(
          'public',
          created.handle,
          { refreshTokenHash2: `next-${i}`, expiry: created.expiry + 1 },
          'hash-0',
        ),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.getSession('public', created.handle)).toEqual({
      ...created,
      refreshTokenHash2: `next-${winner}`,
      expiry: created.expiry + 1,
    });
    expect(await store.deleteSessions('public', [created.handle, 'nope'])).toEqual([
      created.handle,
    ]);
    expect(await store.getSession('public', created.handle)).toBeUndefined();
  });
});
