// Holds AccountLinkingStorage (changeLinks: primary users and links) to the store contract.
import { randomUUID } from 'node:crypto';
import type { LinkingView, Store } from '../../src/core/index.js';
import { describeStoreContract, emailLogin, session } from './store-subjects.js';

/** A new emailpassword user of the public tenant; its id. */
async function newUser(store: Store, timeJoined = Date.now()): Promise<string> {
  const login = emailLogin(`link-${randomUUID()}@example.com`, timeJoined);
  expect(await store.createEmailPasswordUser('public', 'public', login)).toBe('OK');
  return login.recipeUserId;
}

/** Makes the user primary through `changeLinks`; whether it already was. */
const makePrimary = (store: Store, userId: string) =>
  store.changeLinks('public', [userId], (view) => ({
    result: view.user(userId)?.isPrimaryUser,
    change: { kind: 'make-primary', userId },
  }));

describeStoreContract('AccountLinkingStorage', (subject) => {
  it('makes a primary user and links another to it, seen through either id on every connection', async () => {
    const { store, other } = subject();
    const email = `shared-${randomUUID()}@example.com`;
    const primary = emailLogin(email, 1_000);
    expect(await store.createEmailPasswordUser('public', 'public', primary)).toBe('OK');
    // Not named below, but it shares the email: the view shows it too.
    const { recipeUserId: recipe } = await store.signInUpPasswordlessUser('public', 'public', {
      recipeUserId: randomUUID(),
      recipeId: 'passwordless',
      tenantIds: ['public'],
      timeJoined: 2_000,
      email,
    });
    let seen: LinkingView | undefined;
    expect(
      await store.changeLinks('public', [primary.recipeUserId], (view) => {
        seen = view;
        return {
          result: view.user(primary.recipeUserId)?.isPrimaryUser,
          change: { kind: 'make-primary', userId: primary.recipeUserId },
        };
      }),
    ).toBe(false);
    expect(
      seen
        ?.usersWith({ email })
        .map((u) => u.id)
        .sort(),
    ).toEqual([primary.recipeUserId, recipe].sort());

    expect(
      await other.changeLinks('public', [recipe, primary.recipeUserId], (view) => ({
        result: [view.user(primary.recipeUserId)?.isPrimaryUser, view.user(recipe)?.id],
        change: { kind: 'link', recipeUserId: recipe, primaryUserId: primary.recipeUserId },
      })),
    ).toEqual([true, recipe]);

    for (const handle of [store, other]) {
      for (const id of [primary.recipeUserId, recipe]) {
        const user = await handle.getUser('public', id);
        expect(user).toMatchObject({ id: primary.recipeUserId, isPrimaryUser: true });
        expect(user?.loginMethods.map((m) => m.recipeUserId).sort()).toEqual(
          [primary.recipeUserId, recipe].sort(),
        );
      }
    }
    expect((await other.findUsers('public', 'public', { email })).map((u) => u.id)).toEqual([
      primary.recipeUserId,
    ]);
    // A session of the linked login method belongs to the primary user.
    expect((await store.createSession('public', session(recipe))).userId).toBe(
      primary.recipeUserId,
    );
  });

  it('changes nothing when the decision throws, and the next change goes through', async () => {
    const { store, other } = subject();
    const primaryId = await newUser(store, 1_000);
    const recipeId = await newUser(store, 2_000);
    expect(await makePrimary(store, primaryId)).toBe(false);
    const before = await Promise.all(
      [primaryId, recipeId].map((id) => store.getUser('public', id)),
    );

    await expect(
      store.changeLinks('public', [recipeId, primaryId], (view) => {
        if (view.user(primaryId)?.isPrimaryUser) throw new Error('refused');
        return {
          result: 'linked',
          change: { kind: 'link', recipeUserId: recipeId, primaryUserId: primaryId },
        };
      }),
    ).rejects.toThrow('refused');
    expect(
      await Promise.all([primaryId, recipeId].map((id) => other.getUser('public', id))),
    ).toEqual(before);
    expect(before[1]).toMatchObject({ id: recipeId, isPrimaryUser: false });

    // Nothing is left held: another connection's change is applied.
    expect(await makePrimary(other, recipeId)).toBe(false);
    expect(await store.getUser('public', recipeId)).toMatchObject({
      id: recipeId,
      isPrimaryUser: true,
    });
  });

  it('links a recipe user to one primary user only when linkings race', async () => {
    const { store, other } = subject();
    const primaries = [await newUser(store, 1_000), await newUser(store, 1_001)];
    for (const id of primaries) expect(await makePrimary(store, id)).toBe(false);
    const recipeId = await newUser(store, 2_000);
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? other : store).changeLinks<string>(
          'public',
          [recipeId, primaries[i % 2]],
          (view) =>
            view.user(recipeId)?.id === recipeId
              ? {
                  result: primaries[i % 2],
                  change: { kind: 'link', recipeUserId: recipeId, primaryUserId: primaries[i % 2] },
                }
              : { result: 'ALREADY_LINKED' },
        ),
      ),
    );
    const winners = outcomes.filter((o) => o !== 'ALREADY_LINKED');
    expect(winners).toHaveLength(1);
    const [winner] = winners;
    const loser = primaries.find((id) => id !== winner)!;
    expect((await other.getUser('public', recipeId))?.id).toBe(winner);
    expect(
      (await store.getUser('public', winner))?.loginMethods.map((m) => m.recipeUserId).sort(),
    ).toEqual([winner, recipeId].sort());
    expect((await other.getUser('public', loser))?.loginMethods.map((m) => m.recipeUserId)).toEqual(
      [loser],
    );
  });
});
