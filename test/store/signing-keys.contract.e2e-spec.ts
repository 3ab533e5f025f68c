// Holds SigningKeyStorage (dynamic and static access-token signing keys) to the store contract.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { describeStoreContract } from './store-subjects.js';

const pem = (): string =>
  generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

describeStoreContract('SigningKeyStorage', (subject) => {
  it('adds one signing key when two instances rotate at once, and keeps the key material', async () => {
    const { store, other } = subject();
    await store.createApp('keys');
    const since = Date.now() - 1000;
    const keys = [pem(), pem()];
    const added = await Promise.all(
      keys.map((privateKey, i) =>
        (i ? other : store).addSigningKeyUnlessFresh(
          'keys',
          { kid: `d-${since + 10 + i}`, type: 'dynamic', createdAt: since + 10 + i, privateKey },
          since,
        ),
      ),
    );
    expect(added.filter(Boolean)).toHaveLength(1);
    const [stored] = await store.listSigningKeys('keys');
    expect(stored.privateKey).toBe(keys[added.indexOf(true)]);
    const staticKey = {
      kid: `s-${randomUUID()}`,
      type: 'static' as const,
      createdAt: 1,
      privateKey: pem(),
    };
    expect(await store.addSigningKeyUnlessFresh('keys', staticKey, 0)).toBe(true);
    expect(await store.addSigningKeyUnlessFresh('keys', { ...staticKey, kid: 's-2' }, 0)).toBe(
      false,
    );
    await store.removeSigningKeys('keys', [stored.kid]);
    expect((await store.listSigningKeys('keys')).map((k) => k.kid)).toEqual([staticKey.kid]);
  });
});
