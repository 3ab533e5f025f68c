// Holds KeyValueStorage (per-app values written once) to the store contract.
import { describeStoreContract } from './store-subjects.js';

describeStoreContract('KeyValueStorage', (subject) => {
  it('stores an app value once, whoever asks first', async () => {
    const { store, other } = subject();
    const values = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? other : store).getOrCreateAppValue('public', 'contract_key', () => `v${i}`),
      ),
    );
    expect(new Set(values).size).toBe(1);
  });
});
