// Holds UserIdMappingStorage (the `userid_mapping` table) to the store contract.
import { randomUUID } from 'node:crypto';
import type { Store } from '../../src/core/index.js';
import { describeStoreContract, emailLogin, session } from './store-subjects.js';

/** A new emailpassword user of the public tenant; its id. */
async function newUser(store: Store): Promise<string> {
  const login = emailLogin(`map-${randomUUID()}@example.com`);
  expect(await store.createEmailPasswordUser('public', 'public', login)).toBe('OK');
  return login.recipeUserId;
}

describeStoreContract('UserIdMappingStorage', (subject) => {
  it('maps a user once, refusing a second mapping of either id on every connection', async () => {
    const { store, other } = subject();
    const [a, b] = [await newUser(store), await newUser(store)];
    const ext = `ext-${randomUUID()}`;
    // Racing inserts of one user's mapping: exactly one wins, the rest say why they lost.
    const raced = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? other : store).createUserIdMapping('public', {
          superTokensUserId: a,
          externalUserId: `${ext}-${i}`,
        }),
      ),
    );
    expect(raced.filter((r) => r.status === 'OK')).toHaveLength(1);
    expect(raced.filter((r) => r.status !== 'OK')).toEqual(
      Array.from({ length: 5 }, () => ({
        status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR',
        doesSuperTokensUserIdExist: true,
        doesExternalUserIdExist: false,
      })),
    );
    const winner = (await other.getUserIdMapping('public', a, 'SUPERTOKENS'))!;
    expect(await other.createUserIdMapping('public', winner)).toEqual({
      status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR',
      doesSuperTokensUserIdExist: true,
      doesExternalUserIdExist: true,
    });
    expect(
      await store.createUserIdMapping('public', {
        superTokensUserId: b,
        externalUserId: winner.externalUserId,
      }),
    ).toEqual({
      status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR',
      doesSuperTokensUserIdExist: false,
      doesExternalUserIdExist: true,
    });
    expect(
      await store.createUserIdMapping('public', {
        superTokensUserId: randomUUID(),
        externalUserId: `nobody-${randomUUID()}`,
      }),
    ).toEqual({ status: 'UNKNOWN_SUPERTOKENS_USER_ID_ERROR' });
  });

  it('finds a mapping by either id, keeps its info exactly, and updates and deletes it', async () => {
    const { store, other } = subject();
    const a = await newUser(store);
    const ext = ` ext-${randomUUID()} `;
    await store.createUserIdMapping('public', {
      superTokensUserId: a,
      externalUserId: ext,
      externalUserIdInfo: ' info ',
    });
    const mapping = { superTokensUserId: a, externalUserId: ext, externalUserIdInfo: ' info ' };
    expect(await other.getUserIdMapping('public', a, 'SUPERTOKENS')).toEqual(mapping);
    expect(await other.getUserIdMapping('public', ext, 'EXTERNAL')).toEqual(mapping);
    expect(await other.getUserIdMapping('public', a, 'EXTERNAL')).toBeUndefined();
    expect(await other.findUserIdMappings('public', ext)).toEqual([mapping]);
    expect(await other.externalUserIds('public', [a, randomUUID()])).toEqual(new Map([[a, ext]]));
    expect(await store.isSuperTokensUserId('public', a)).toBe(true);
    expect(await store.isSuperTokensUserId('public', ext)).toBe(false);

    expect(await store.updateExternalUserIdInfo('public', ext, 'EXTERNAL', null)).toBe(true);
    expect(await other.getUserIdMapping('public', a, 'SUPERTOKENS')).toEqual({
      superTokensUserId: a,
      externalUserId: ext,
    });
    expect(await store.updateExternalUserIdInfo('public', ext, 'SUPERTOKENS', 'x')).toBe(false);
    expect(await other.deleteUserIdMapping('public', ext, 'SUPERTOKENS')).toBe(false);
    expect(await other.deleteUserIdMapping('public', ext, 'EXTERNAL')).toBe(true);
    expect(await store.getUserIdMapping('public', a, 'SUPERTOKENS')).toBeUndefined();
  });

  it('finds both mappings of an id that is one user id and another user’s external id', async () => {
    const { store, other } = subject();
    const [a, b] = [await newUser(store), await newUser(store)];
    await store.createUserIdMapping('public', { superTokensUserId: a, externalUserId: 'x' + a });
    await store.createUserIdMapping('public', { superTokensUserId: b, externalUserId: a });
    expect(await other.findUserIdMappings('public', a)).toEqual([
      { superTokensUserId: a, externalUserId: 'x' + a },
      { superTokensUserId: b, externalUserId: a },
    ]);
  });

  it('names the non-auth recipes keeping data under an id, in the real core’s order', async () => {
    const { store, other } = subject();
    const id = `ext-${randomUUID()}`;
    const now = Date.now();
    expect(await other.nonAuthRecipesUsingUserId('public', id, now)).toEqual([]);
    await store.setEmailVerified('public', id, 'a@example.com', true);
    expect(await other.nonAuthRecipesUsingUserId('public', id, now)).toEqual(['EmailVerification']);
    await store.upsertRole('public', 'viewer', []);
    await store.addUserRole('public', 'public', id, 'viewer');
    await store.mergeUserMetadata('public', id, { a: 1 });
    // An expired session does not count.
    await store.createSession('public', session(id, { expiry: now - 1 }));
    expect(await other.nonAuthRecipesUsingUserId('public', id, now)).toEqual([
      'UserMetadata',
      'UserRoles',
      'EmailVerification',
    ]);
    await store.createSession('public', session(id));
    expect((await other.nonAuthRecipesUsingUserId('public', id, now))[0]).toBe('Session');
  });

  it('moves a user’s email verification to its external id', async () => {
    const { store, other } = subject();
    const a = await newUser(store);
    const ext = `ext-${randomUUID()}`;
    await store.setEmailVerified('public', a, 'v@example.com', true);
    await store.addEmailVerificationToken('public', 'public', {
      userId: a,
      email: 'v@example.com',
      tokenHash: randomUUID(),
      expiry: Date.now() + 60_000,
    });
    await store.updateIsEmailVerifiedToExternalUserId('public', a, ext);
    expect(await other.isEmailVerified('public', ext, 'v@example.com')).toBe(true);
    expect(await other.isEmailVerified('public', a, 'v@example.com')).toBe(false);
    expect(await other.nonAuthRecipesUsingUserId('public', a, Date.now())).toEqual([]);
  });

  it('deletes the mapping and the data kept under the external id with the user', async () => {
    const { store, other } = subject();
    const a = await newUser(store);
    const ext = `ext-${randomUUID()}`;
    await store.createUserIdMapping('public', { superTokensUserId: a, externalUserId: ext });
    await store.mergeUserMetadata('public', ext, { plan: 'pro' });
    await store.createSession('public', session(ext));
    expect(await other.deleteUser('public', a)).toBe(true);
    expect(await store.getUserIdMapping('public', ext, 'EXTERNAL')).toBeUndefined();
    expect(await store.getUserMetadata('public', ext)).toEqual({});
    expect(await store.nonAuthRecipesUsingUserId('public', ext, Date.now())).toEqual([]);
  });
});
