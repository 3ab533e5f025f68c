// Holds BulkImportStorage (the `bulk_import_users` table) to the store contract.
import { randomUUID } from 'node:crypto';
import type { Store } from '../../src/core/index.js';
import { describeStoreContract, emailLogin } from './store-subjects.js';

/** A fresh app, so each test's queue starts empty. */
async function freshApp(store: Store): Promise<string> {
  const appId = `bulk-${randomUUID().slice(0, 8)}`;
  await store.createApp(appId);
  return appId;
}

const queued = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: randomUUID(), rawData: JSON.stringify({ n: i }) }));

describeStoreContract('BulkImportStorage', (subject) => {
  it('queues users all or none, lists them newest first by pages, counts them by status', async () => {
    const { store, other } = subject();
    const appId = await freshApp(store);
    const first = queued(3);
    const second = queued(2);
    expect(await store.addBulkImportUsers(appId, first, 1000)).toBe('OK');
    expect(await other.addBulkImportUsers(appId, second, 2000)).toBe('OK');
    // One id already queued: nothing of that batch is added.
    expect(await store.addBulkImportUsers(appId, [...queued(2), first[0]], 3000)).toBe(
      'DUPLICATE_ID',
    );
    expect(await other.countBulkImportUsers(appId)).toBe(5);
    expect(await other.countBulkImportUsers(appId, 'NEW')).toBe(5);
    expect(await other.countBulkImportUsers(appId, 'FAILED')).toBe(0);

    const all = await other.listBulkImportUsers(appId, { limit: 10 });
    const expected = [
      ...second.map((u) => ({ ...u, createdAt: 2000 })),
      ...first.map((u) => ({ ...u, createdAt: 1000 })),
    ].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    expect(all.map(({ id, rawData, createdAt }) => ({ id, rawData, createdAt }))).toEqual(expected);
    expect(all[0]).toMatchObject({ status: 'NEW', updatedAt: 2000 });
    expect(all[0].errorMessage).toBeUndefined();

    // Pages start at their token's row, inclusive; together they are the whole list.
    const page1 = await store.listBulkImportUsers(appId, { limit: 2 });
    const page2 = await store.listBulkImportUsers(appId, {
      limit: 3,
      from: { id: all[2].id, createdAt: all[2].createdAt },
    });
    expect([...page1, ...page2].map((r) => r.id)).toEqual(all.map((r) => r.id));
    // Another app's queue is its own.
    expect(await store.countBulkImportUsers('public', 'NEW')).toBe(
      (await store.listBulkImportUsers('public', { status: 'NEW', limit: 10_000 })).length,
    );
  });

  it('hands each row to one of two racing takers, fails rows with a message, deletes by id', async () => {
    const { store, other } = subject();
    const appId = await freshApp(store);
    const users = queued(40);
    await store.addBulkImportUsers(appId, users, 1000);
    const [a, b] = await Promise.all([
      store.takeBulkImportUsers(appId, 25, 2000, 0),
      other.takeBulkImportUsers(appId, 25, 2000, 0),
    ]);
    const ids = [...a, ...b].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
    expect(a.every((r) => r.status === 'PROCESSING' && r.updatedAt === 2000)).toBe(true);
    expect(await other.countBulkImportUsers(appId, 'PROCESSING')).toBe(40);
    // Taken rows are not taken again until they are stale.
    expect(await store.takeBulkImportUsers(appId, 100, 3000, 2000)).toEqual([]);
    const stale = await store.takeBulkImportUsers(appId, 100, 4000, 2001);
    expect(stale).toHaveLength(40);

    await other.failBulkImportUsers(
      appId,
      new Map([
        [users[0].id, 'E003: taken'],
        ['nobody', 'x'],
      ]),
      5000,
    );
    const [failed] = await store.listBulkImportUsers(appId, { status: 'FAILED', limit: 10 });
    expect(failed).toMatchObject({ id: users[0].id, errorMessage: 'E003: taken', updatedAt: 5000 });
    // FAILED rows are never taken again.
    await store.deleteBulkImportUsers(
      appId,
      users.slice(1).map((u) => u.id),
    );
    expect(await store.takeBulkImportUsers(appId, 100, 9000, 9000)).toEqual([]);
    expect(await other.deleteBulkImportUsers(appId, [users[0].id, 'nobody', users[0].id])).toEqual([
      users[0].id,
    ]);
    expect(await store.countBulkImportUsers(appId)).toBe(0);
  });

  it('commits an import transaction as a whole, and undoes all of it when it throws', async () => {
    const { store, other } = subject();
    const appId = await freshApp(store);
    const [kept, undone] = queued(2);
    await store.addBulkImportUsers(appId, [kept, undone], 1000);
    const keptLogin = emailLogin(`bulk-${randomUUID()}@example.com`);
    await store.importTransaction(appId, async (tx) => {
      expect(await tx.deleteBulkImportUsers(appId, [kept.id])).toEqual([kept.id]);
      expect(await tx.createEmailPasswordUser(appId, 'public', keptLogin)).toBe('OK');
      await tx.mergeUserMetadata(appId, keptLogin.recipeUserId, { a: 1 });
    });
    expect(await other.getUser(appId, keptLogin.recipeUserId)).toBeDefined();
    expect(await other.getUserMetadata(appId, keptLogin.recipeUserId)).toEqual({ a: 1 });

    const undoneLogin = emailLogin(`bulk-${randomUUID()}@example.com`);
    await expect(
      store.importTransaction(appId, async (tx) => {
        await tx.deleteBulkImportUsers(appId, [undone.id]);
        expect(await tx.createEmailPasswordUser(appId, 'public', undoneLogin)).toBe('OK');
        // A refusal the queries catch inside the transaction does not spoil it.
        expect(
          await tx.createEmailPasswordUser(appId, 'public', {
            ...emailLogin(undoneLogin.email!),
          }),
        ).toBe('EMAIL_ALREADY_EXISTS');
        await tx.mergeUserMetadata(appId, undoneLogin.recipeUserId, { b: 2 });
        throw new Error('E034: refused');
      }),
    ).rejects.toThrow('E034: refused');
    expect(await other.getUser(appId, undoneLogin.recipeUserId)).toBeUndefined();
    expect(await other.getUserMetadata(appId, undoneLogin.recipeUserId)).toEqual({});
    expect((await other.listBulkImportUsers(appId, { limit: 10 })).map((r) => r.id)).toEqual([
      undone.id,
    ]);
    expect(await other.getUser(appId, keptLogin.recipeUserId)).toBeDefined();
  });
});
