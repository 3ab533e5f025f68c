// Holds EmailVerificationStorage (verified emails and verification tokens) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract } from './store-subjects.js';

describeStoreContract('EmailVerificationStorage', (subject) => {
  it('marks an email verified for one user and that email only, until unmarked', async () => {
    const { store, other } = subject();
    const userId = randomUUID();
    const email = `verify-${randomUUID()}@example.com`;
    expect(await store.isEmailVerified('public', userId, email)).toBe(false);
    await store.setEmailVerified('public', userId, email, true);
    // Twice is the same as once.
    await other.setEmailVerified('public', userId, email, true);
    expect(await other.isEmailVerified('public', userId, email)).toBe(true);
    expect(await store.isEmailVerified('public', userId, `other-${email}`)).toBe(false);
    expect(await store.isEmailVerified('public', randomUUID(), email)).toBe(false);
    await other.setEmailVerified('public', userId, email, false);
    expect(await store.isEmailVerified('public', userId, email)).toBe(false);
  });

  it('consumes a token once in its tenant, with the other tokens of its user and email', async () => {
    const { store, other } = subject();
    const tenant = `ev-${randomUUID().slice(0, 8)}`;
    await store.createTenant('public', tenant);
    const userId = randomUUID();
    const email = `tokens-${randomUUID()}@example.com`;
    const token = (forEmail = email) => ({
      userId,
      tokenHash: `t-${randomUUID()}`,
      email: forEmail,
      expiry: Date.now() + 60_000,
    });
    const [first, second, otherEmail, inTenant] = [token(), token(), token(`2-${email}`), token()];
    for (const t of [first, second, otherEmail]) {
      await store.addEmailVerificationToken('public', 'public', t);
    }
    await store.addEmailVerificationToken('public', tenant, inTenant);

    expect(
      await store.consumeEmailVerificationToken('public', tenant, first.tokenHash),
    ).toBeUndefined();
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? other : store).consumeEmailVerificationToken('public', 'public', first.tokenHash),
      ),
    );
    expect(claims.filter(Boolean)).toEqual([first]);
    expect(
      await store.consumeEmailVerificationToken('public', 'public', second.tokenHash),
    ).toBeUndefined();
    // Tokens for another email, or in another tenant, stay.
    expect(
      await other.consumeEmailVerificationToken('public', 'public', otherEmail.tokenHash),
    ).toEqual(otherEmail);
    expect(await other.consumeEmailVerificationToken('public', tenant, inTenant.tokenHash)).toEqual(
      inTenant,
    );

    const removed = token();
    const kept = token();
    await store.addEmailVerificationToken('public', 'public', removed);
    await store.addEmailVerificationToken('public', tenant, kept);
    await other.removeEmailVerificationTokens('public', 'public', userId, email);
    expect(
      await store.consumeEmailVerificationToken('public', 'public', removed.tokenHash),
    ).toBeUndefined();
    expect(await store.consumeEmailVerificationToken('public', tenant, kept.tokenHash)).toEqual(
      kept,
    );
  });
});
