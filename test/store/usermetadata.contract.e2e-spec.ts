// Holds UserMetadataStorage (per-user JSON, shallow merge) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract } from './store-subjects.js';

describeStoreContract('UserMetadataStorage', (subject) => {
  it('merges metadata without losing concurrent keys', async () => {
    const { store, other } = subject();
    const userId = randomUUID();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? other : store).mergeUserMetadata('public', userId, { [`k${i}`]: i }),
      ),
    );
    expect(Object.keys(await store.getUserMetadata('public', userId))).toHaveLength(12);
    expect(
      await store.mergeUserMetadata('public', userId, { k0: null, k1: { deep: [1] } }),
    ).toMatchObject({
      k1: { deep: [1] },
    });
    expect(await store.getUserMetadata('public', userId)).not.toHaveProperty('k0');
  });

  it('keeps user ids, keys and values exactly, leading and trailing spaces included', async () => {
    const { store, other } = subject();
    // The metadata routes pass user ids and the JSON through untouched.
    const userId = `meta-${randomUUID()}`;
    const padded = `${userId} `;
    const metadata = {
      name: ' Ada Lovelace ',
      ' key ': 'trailing  ',
      nested: { note: 'x ' },
      list: [' a', 'b '],
    };
    expect(await store.mergeUserMetadata('public', padded, metadata)).toEqual(metadata);
    expect(await other.mergeUserMetadata('public', userId, { name: 'Ada' })).toEqual({
      name: 'Ada',
    });
    expect(await other.getUserMetadata('public', padded)).toEqual(metadata);
    await store.deleteUserMetadata('public', userId);
    expect(await other.getUserMetadata('public', userId)).toEqual({});
    expect(await store.getUserMetadata('public', padded)).toEqual(metadata);
  });
});
