// Holds ThirdPartyStorage (third-party sign-in-up) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract } from './store-subjects.js';

describeStoreContract('ThirdPartyStorage', (subject) => {
  it('signs a third-party user up once per tenant, updating its email, even when racing', async () => {
    const { store, other } = subject();
    const providerUser = `gh-${randomUUID()}`;
    const login = (email: string) => ({
      recipeUserId: randomUUID(),
      recipeId: 'thirdparty' as const,
      tenantIds: ['public'],
      timeJoined: Date.now(),
      email,
      thirdParty: { id: 'github', userId: providerUser },
    });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const outcome = await (i % 2 ? other : store).signInUpThirdPartyUser(
          'public',
          'public',
          login('a@x.co'),
        );
        if (typeof outcome === 'string') throw new Error(outcome);
        return outcome;
      }),
    );
    expect(outcomes.filter((o) => o.createdNewUser)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.recipeUserId)).size).toBe(1);
    const id = outcomes[0].recipeUserId;
    const again = await store.signInUpThirdPartyUser('public', 'public', login('b@x.co'));
    expect(again).toEqual({ createdNewUser: false, recipeUserId: id });
    const user = await other.getUser('public', id);
    expect(user?.loginMethods).toEqual([
      expect.objectContaining({
        recipeId: 'thirdparty',
        email: 'b@x.co',
        thirdParty: { id: 'github', userId: providerUser },
        tenantIds: ['public'],
      }),
    ]);
    expect(
      (
        await store.findUsers('public', 'public', {
          thirdParty: { id: 'github', userId: providerUser },
        })
      ).map((u) => u.id),
    ).toEqual([id]);
    expect(
      (await store.findUsers('public', 'public', { email: 'b@x.co' })).map((u) => u.id),
    ).toContain(id);
    const searched = await store.listUsers('public', {
      tenantId: 'public',
      order: 'DESC',
      limit: 10,
      search: { emails: [], phones: [], providers: ['git'] },
    });
    expect(searched.map((u) => u.id)).toContain(id);
    expect(await store.deleteUser('public', id)).toBe(true);
    expect(
      await store.findUsers('public', 'public', {
        thirdParty: { id: 'github', userId: providerUser },
      }),
    ).toEqual([]);
  });
});
