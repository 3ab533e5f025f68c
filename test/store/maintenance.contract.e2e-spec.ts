// Holds the store's maintenance (Store.deleteExpired, the core's cleanup crons) to the contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract, emailLogin, session } from './store-subjects.js';

describeStoreContract('Store maintenance', (subject) => {
  it('deletes expired sessions, tokens and stale passwordless devices, keeping live ones', async () => {
    const { store } = subject();
    const now = Date.now();
    const user = emailLogin(`exp-${randomUUID()}@example.com`);
    await store.createEmailPasswordUser('public', 'public', user);
    const live = session(user.recipeUserId);
    const dead = session(user.recipeUserId, { expiry: now - 1 });
    await store.createSession('public', live);
    await store.createSession('public', dead);
    await store.addPasswordResetToken('public', {
      userId: user.recipeUserId,
      tokenHash: `t-${randomUUID()}`,
      email: user.email!,
      expiry: now - 1,
    });
    const device = (id: string, time: number) =>
      store.addPasswordlessCode(
        'public',
        id,
        { codeId: randomUUID(), linkCodeHash: randomUUID().slice(0, 44), timeCreated: time },
        {
          preAuthSessionId: id,
          tenantId: 'public',
          email: `${id}@x.io`,
          linkCodeSalt: 's',
          failedAttempts: 0,
          codes: [],
        },
      );
    await device('stale-device', now - 20 * 60_000);
    await device('fresh-device', now);
    await store.deleteExpired(now, {
      codesCreatedBefore: now - 15 * 60_000,
      totpCodesExpiredBefore: now - 15 * 60_000,
    });
    expect(await store.getSession('public', dead.handle)).toBeUndefined();
    expect(await store.getSession('public', live.handle)).toBeDefined();
    expect(await store.getPasswordlessDevice('public', 'stale-device')).toBeUndefined();
    expect(await store.getPasswordlessDevice('public', 'fresh-device')).toBeDefined();
  });
});
