// Holds EmailPasswordStorage (password logins and reset tokens) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract, emailLogin } from './store-subjects.js';

describeStoreContract('EmailPasswordStorage', (subject) => {
  it('keeps emails unique per tenant, even for sign-ups racing on two connections', async () => {
    const { store, other } = subject();
    const email = `race-${randomUUID()}@example.com`;
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 ? other : store).createEmailPasswordUser('public', 'public', emailLogin(email)),
      ),
    );
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'EMAIL_ALREADY_EXISTS')).toHaveLength(15);
    const [user] = await store.findUsers('public', 'public', { email });
    expect(user.loginMethods).toEqual([
      expect.objectContaining({ email, recipeId: 'emailpassword', tenantIds: ['public'] }),
    ]);
    expect(await store.getUser('public', user.id)).toEqual(user);
    expect(await store.getUser('public', randomUUID())).toBeUndefined();
  });

  it('updates an email only when free, and a password hash', async () => {
    const { store } = subject();
    const a = emailLogin(`a-${randomUUID()}@example.com`);
    const b = emailLogin(`b-${randomUUID()}@example.com`);
    await store.createEmailPasswordUser('public', 'public', a);
    await store.createEmailPasswordUser('public', 'public', b);
    expect(await store.updateEmailPasswordLogin('public', a.recipeUserId, { email: b.email })).toBe(
      'EMAIL_ALREADY_EXISTS',
    );
    expect(await store.updateEmailPasswordLogin('public', randomUUID(), { email: 'x@y.z' })).toBe(
      'UNKNOWN_USER_ID',
    );
    const moved = `moved-${randomUUID()}@example.com`;
    expect(
      await store.updateEmailPasswordLogin('public', a.recipeUserId, {
        email: moved,
        passwordHash: 'scrypt$new',
      }),
    ).toBe('OK');
    const user = await store.getUser('public', a.recipeUserId);
    expect(user?.loginMethods[0]).toMatchObject({ email: moved, passwordHash: 'scrypt$new' });
    expect(await store.findUsers('public', 'public', { email: a.email })).toEqual([]);
  });

  it('consumes a reset token once, with every other token of its user, on any connection', async () => {
    const { store, other } = subject();
    const user = emailLogin(`reset-${randomUUID()}@example.com`);
    const bystander = emailLogin(`bystander-${randomUUID()}@example.com`);
    await store.createEmailPasswordUser('public', 'public', user);
    await store.createEmailPasswordUser('public', 'public', bystander);
    const token = (userId: string) => ({
      userId,
      tokenHash: `t-${randomUUID()}`,
      email: user.email!,
      expiry: Date.now() + 60_000,
    });
    const first = token(user.recipeUserId);
    const second = token(user.recipeUserId);
    const theirs = { ...token(bystander.recipeUserId), email: bystander.email! };
    for (const t of [first, second, theirs]) await store.addPasswordResetToken('public', t);

    expect(await store.consumePasswordResetToken('public', `t-${randomUUID()}`)).toBeUndefined();
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? other : store).consumePasswordResetToken('public', first.tokenHash),
      ),
    );
    expect(claims.filter(Boolean)).toEqual([first]);
    // The user's other token went with it; another user's did not.
    expect(await store.consumePasswordResetToken('public', second.tokenHash)).toBeUndefined();
    expect(await other.consumePasswordResetToken('public', theirs.tokenHash)).toEqual(theirs);
  });

  it('gives a reset token back with exactly the email it was stored with', async () => {
    const { store, other } = subject();
    const user = emailLogin(`padded-${randomUUID()}@example.com`);
    await store.createEmailPasswordUser('public', 'public', user);
    const token = {
      userId: user.recipeUserId,
      tokenHash: `t-${randomUUID()}`,
      // Neither trimmed nor lower-cased: the store keeps what it is given.
      email: ' Other@Example.COM ',
      expiry: Date.now() + 60_000,
    };
    await store.addPasswordResetToken('public', token);
    expect(await other.consumePasswordResetToken('public', token.tokenHash)).toEqual(token);
  });
});
