// Holds WebAuthnStorage (passkey users, credentials, options, recovery tokens) to the store contract.
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  LoginMethodRecord,
  WebAuthnCredentialRecord,
  WebAuthnOptionsRecord,
} from '../../src/core/index.js';
import { describeStoreContract } from './store-subjects.js';

const credential = (userId: string, id = randomBytes(16).toString('base64url')) =>
  ({
    id,
    relyingPartyId: 'localhost',
    userId,
    counter: 0,
    // AAGUID, id length, id, then a (here meaningless) key: stored and read back byte for byte.
    publicKey: new Uint8Array([...Buffer.alloc(16), 0, 2, 7, 9, 0xa5, 0x01, 0x02]),
    transports: '["internal"]',
    createdAt: Date.now(),
    updatedAt: Date.now(),
  }) satisfies WebAuthnCredentialRecord;

const login = (email: string): LoginMethodRecord & { email: string } => ({
  recipeUserId: randomUUID(),
  recipeId: 'webauthn',
  tenantIds: ['public'],
  timeJoined: Date.now(),
  email,
});

const options = (tenantId = 'public'): WebAuthnOptionsRecord => ({
  id: randomUUID(),
  tenantId,
  challenge: randomBytes(32).toString('base64url'),
  email: 'a@x.co',
  relyingPartyId: 'localhost',
  relyingPartyName: 'App',
  origin: 'http://localhost:3000',
  createdAt: 1_000,
  expiresAt: 7_000,
  userPresenceRequired: true,
  userVerification: 'preferred',
});

describeStoreContract('WebAuthnStorage', (subject) => {
  it('signs a passkey user up once per email and tenant, and a credential once, even when racing', async () => {
    const { store, other } = subject();
    const email = `${randomUUID()}@x.co`;
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => {
        const method = login(email);
        return (i % 2 ? other : store).signUpWebAuthnUser(
          'public',
          'public',
          method,
          credential(method.recipeUserId),
        );
      }),
    );
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'EMAIL_ALREADY_EXISTS')).toHaveLength(5);
    const [user] = await store.findUsers('public', 'public', { email });
    const method = user.loginMethods[0];
    expect(method).toEqual(
      expect.objectContaining({ recipeId: 'webauthn', email, tenantIds: ['public'] }),
    );
    const [stored] = await other.listWebAuthnCredentials('public', method.recipeUserId);
    expect(method.webauthn).toEqual({ credentialIds: [stored.id] });
    expect(stored.publicKey).toEqual(credential('x').publicKey);
    // The same credential id again: for another user, or as a second sign-up.
    const taken = { ...credential(method.recipeUserId), id: stored.id };
    expect(await other.saveWebAuthnCredential('public', taken)).toBe('CREDENTIAL_ALREADY_EXISTS');
    const second = login(`${randomUUID()}@x.co`);
    expect(
      await store.signUpWebAuthnUser('public', 'public', second, {
        ...taken,
        userId: second.recipeUserId,
      }),
    ).toBe('CREDENTIAL_ALREADY_EXISTS');
    expect(await store.getUser('public', second.recipeUserId)).toBeUndefined();
  });

  it('adds, finds, lists and removes credentials; only a webauthn user gets one', async () => {
    const { store, other } = subject();
    const method = login(`${randomUUID()}@x.co`);
    const first = credential(method.recipeUserId);
    await store.signUpWebAuthnUser('public', 'public', method, first);
    const added = { ...credential(method.recipeUserId), createdAt: first.createdAt + 1 };
    expect(await other.saveWebAuthnCredential('public', added)).toBe('OK');
    expect(await store.saveWebAuthnCredential('public', credential(randomUUID()))).toBe(
      'UNKNOWN_USER_ID',
    );
    expect((await store.getUser('public', method.recipeUserId))?.loginMethods[0]?.webauthn).toEqual(
      {
        credentialIds: [first.id, added.id],
      },
    );
    expect((await other.getWebAuthnCredential('public', added.id))?.userId).toBe(
      method.recipeUserId,
    );
    expect(await other.getWebAuthnCredential('public', added.id, 'someone-else')).toBeUndefined();
    expect(await store.removeWebAuthnCredential('public', 'someone-else', added.id)).toBe(false);
    expect(await store.removeWebAuthnCredential('public', method.recipeUserId, added.id)).toBe(
      true,
    );
    expect(
      (await other.listWebAuthnCredentials('public', method.recipeUserId)).map((c) => c.id),
    ).toEqual([first.id]);
    // Deleting the user takes its passkeys with it.
    expect(await store.deleteUser('public', method.recipeUserId)).toBe(true);
    expect(await other.getWebAuthnCredential('public', first.id)).toBeUndefined();
  });

  it('moves a counter forward once from the state it was read in', async () => {
    const { store, other } = subject();
    const method = login(`${randomUUID()}@x.co`);
    const c = credential(method.recipeUserId);
    await store.signUpWebAuthnUser('public', 'public', method, c);
    const wins = await Promise.all(
      [store, other, store, other].map((s) => s.updateWebAuthnCounter('public', c.id, 0, 5, 9)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.getWebAuthnCredential('public', c.id)).toEqual(
      expect.objectContaining({ counter: 5, updatedAt: 9 }),
    );
  });

  it('keeps options per tenant, spends a challenge once and removes them', async () => {
    const { store, other } = subject();
    const o = options();
    await store.saveWebAuthnOptions('public', o);
    expect(await other.getWebAuthnOptions('public', 'public', o.id)).toEqual(o);
    expect(await other.getWebAuthnOptions('public', undefined, o.id)).toEqual(o);
    expect(await other.getWebAuthnOptions('public', 'elsewhere', o.id)).toBeUndefined();
    const spent = await Promise.all(
      [store, other, store].map((s) =>
        s.spendWebAuthnChallenge('public', o.id, o.challenge, randomUUID()),
      ),
    );
    expect(spent.filter(Boolean)).toHaveLength(1);
    expect((await store.getWebAuthnOptions('public', 'public', o.id))?.challenge).not.toBe(
      o.challenge,
    );
    expect(await other.removeWebAuthnOptions('public', 'public', o.id)).toBe(true);
    expect(await store.removeWebAuthnOptions('public', 'public', o.id)).toBe(false);
  });

  it('changes a login email unless another passkey user of the tenant has it', async () => {
    const { store, other } = subject();
    const a = login(`${randomUUID()}@x.co`);
    const b = login(`${randomUUID()}@x.co`);
    await store.signUpWebAuthnUser('public', 'public', a, credential(a.recipeUserId));
    await store.signUpWebAuthnUser('public', 'public', b, credential(b.recipeUserId));
    expect(await other.updateWebAuthnEmail('public', 'public', a.recipeUserId, b.email)).toBe(
      'EMAIL_ALREADY_EXISTS',
    );
    expect(await other.updateWebAuthnEmail('public', 'public', randomUUID(), 'n@x.co')).toBe(
      'UNKNOWN_USER_ID',
    );
    const email = ` New-${randomUUID()}@X.co`;
    expect(await store.updateWebAuthnEmail('public', 'public', a.recipeUserId, email)).toBe('OK');
    expect((await other.getUser('public', a.recipeUserId))?.loginMethods[0]?.email).toBe(email);
    expect(await other.findUsers('public', 'public', { email })).toHaveLength(1);
  });

  it('consumes a recovery token once (with its email’s others), never an expired one', async () => {
    const { store, other } = subject();
    const method = login(`${randomUUID()}@x.co`);
    await store.signUpWebAuthnUser('public', 'public', method, credential(method.recipeUserId));
    const token = (tokenHash: string, expiresAt: number) => ({
      tenantId: 'public',
      userId: method.recipeUserId,
      email: method.email,
      tokenHash,
      expiresAt,
    });
    expect(await store.saveWebAuthnRecoveryToken('public', token('a', 10_000))).toBe(true);
    expect(await store.saveWebAuthnRecoveryToken('public', token('b', 10_000))).toBe(true);
    expect(await store.saveWebAuthnRecoveryToken('public', token('old', 1_000))).toBe(true);
    expect(
      await store.saveWebAuthnRecoveryToken('public', {
        ...token('c', 10_000),
        userId: randomUUID(),
      }),
    ).toBe(false);
    expect(
      await other.consumeWebAuthnRecoveryToken('public', 'public', 'old', 5_000),
    ).toBeUndefined();
    const used = await Promise.all(
      [store, other, store].map((s) =>
        s.consumeWebAuthnRecoveryToken('public', 'public', 'a', 5_000),
      ),
    );
    expect(used.filter(Boolean)).toEqual([expect.objectContaining({ email: method.email })]);
    expect(await other.getWebAuthnRecoveryToken('public', 'public', 'b')).toBeUndefined();
  });

  it('cleans up expired options and recovery tokens only', async () => {
    const { store, other } = subject();
    const method = login(`${randomUUID()}@x.co`);
    await store.signUpWebAuthnUser('public', 'public', method, credential(method.recipeUserId));
    const live = { ...options(), expiresAt: Date.now() + 60_000 };
    const dead = { ...options(), expiresAt: Date.now() - 1 };
    await store.saveWebAuthnOptions('public', live);
    await store.saveWebAuthnOptions('public', dead);
    const hash = randomUUID();
    await store.saveWebAuthnRecoveryToken('public', {
      tenantId: 'public',
      userId: method.recipeUserId,
      email: method.email,
      tokenHash: hash,
      expiresAt: Date.now() - 1,
    });
    await other.deleteExpired(Date.now(), { codesCreatedBefore: 0, totpCodesExpiredBefore: 0 });
    expect(await store.getWebAuthnOptions('public', 'public', live.id)).toBeDefined();
    expect(await store.getWebAuthnOptions('public', 'public', dead.id)).toBeUndefined();
    expect(await store.getWebAuthnRecoveryToken('public', 'public', hash)).toBeUndefined();
    expect(await store.listWebAuthnCredentials('public', method.recipeUserId)).toHaveLength(1);
  });
});
