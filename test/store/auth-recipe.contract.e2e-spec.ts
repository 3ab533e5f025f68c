// Holds AuthRecipeStorage (finding, listing, counting and deleting users) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract, emailLogin, session } from './store-subjects.js';

describeStoreContract('AuthRecipeStorage', (subject) => {
  it('lists users by time joined with a stable tie-break, pages, filters and counts', async () => {
    const { store } = subject();
    await store.createTenant('public', 'listing');
    const base = 1_000_000;
    const logins = [3, 1, 2, 2].map((t, i) => ({
      ...emailLogin(`list${i}-${randomUUID()}@shop.example`, base + t),
      tenantIds: ['listing'],
    }));
    for (const login of logins) await store.createEmailPasswordUser('public', 'listing', login);
    const ascending = await store.listUsers('public', {
      tenantId: 'listing',
      order: 'ASC',
      limit: 10,
    });
    const tied = [logins[2].recipeUserId, logins[3].recipeUserId].sort().reverse();
    expect(ascending.map((u) => u.id)).toEqual([
      logins[1].recipeUserId,
      ...tied,
      logins[0].recipeUserId,
    ]);
    const page2 = await store.listUsers('public', {
      tenantId: 'listing',
      order: 'ASC',
      limit: 2,
      from: { userId: ascending[2].id, timeJoined: base + 2 },
    });
    expect(page2.map((u) => u.id)).toEqual([ascending[2].id, ascending[3].id]);
    const desc = await store.listUsers('public', { tenantId: 'listing', order: 'DESC', limit: 1 });
    expect(desc.map((u) => u.id)).toEqual([logins[0].recipeUserId]);
    const found = await store.listUsers('public', {
      tenantId: 'listing',
      order: 'ASC',
      limit: 10,
      search: { emails: ['shop.example'], phones: [], providers: [] },
    });
    expect(found).toHaveLength(4);
    expect(await store.countUsers('public', 'listing')).toBe(4);
    expect(await store.countUsers('public', 'listing', ['passwordless'])).toBe(0);
    expect(await store.listTenants('public')).toEqual(
      expect.arrayContaining(['public', 'listing']),
    );
  });

  it('deletes a user with its sessions, metadata, roles and verified emails', async () => {
    const { store } = subject();
    const login = emailLogin(`gone-${randomUUID()}@example.com`);
    await store.createEmailPasswordUser('public', 'public', login);
    const id = login.recipeUserId;
    // The stored session names its user (here the recipe user is the user).
    expect((await store.createSession('public', session(id))).userId).toBe(id);
    await store.mergeUserMetadata('public', id, { a: 1 });
    await store.upsertRole('public', 'deleter', []);
    await store.addUserRole('public', 'public', id, 'deleter');
    await store.setEmailVerified('public', id, login.email!, true);
    expect(await store.deleteUser('public', id)).toBe(true);
    expect(await store.getUser('public', id)).toBeUndefined();
    expect(await store.listSessionHandles('public', [id])).toEqual([]);
    expect(await store.getUserMetadata('public', id)).toEqual({});
    expect(await store.getUserRoles('public', 'public', id)).toEqual([]);
    expect(await store.isEmailVerified('public', id, login.email!)).toBe(false);
    expect(await store.deleteUser('public', id)).toBe(false);
  });
});
