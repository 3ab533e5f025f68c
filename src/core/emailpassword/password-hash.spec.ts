import { jest } from '@jest/globals';
import { type Algorithm, hash as argon2Hash } from '@node-rs/argon2';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { hashPassword, verifyPassword } from './password-hash.js';

/** @node-rs/argon2's `Algorithm` is a const enum, which isolated modules cannot read. */
const ARGON2 = { d: 0 as Algorithm, i: 1 as Algorithm, id: 2 as Algorithm };

const SIGNER_KEY =
  'gRhC3eDeQOdyEn4bMd9c6kxguWVmcIVq/SKa0JDPFeM6TcEevkaW56sIWfx88OHbJKnCXdWscZx0l2WbCJ1wbg==';
const FIREBASE =
  '$f_scrypt$qZM035es5AXYqavsKD6/rhtxg7t5PhcyRgv5blc3doYbChX8keMfQLq1ra96O2Pf2TP/eZrR5xtPCYN6mX3ESA==$/cj0jC1br5o4+w==$m=14$r=8$s=Bw==';

describe('verifyPassword, each hash in its own format', () => {
  it.each(Object.entries(ARGON2))('verifies argon2%s hashes', async (_name, algorithm) => {
    const stored = await argon2Hash('pw-argon', { algorithm, memoryCost: 1024, timeCost: 1 });
    expect(await verifyPassword('pw-argon', stored)).toBe(true);
    expect(await verifyPassword('pw-argoN', stored)).toBe(false);
  });

  it('refuses an argon2 hash that asks for more than 1 GiB, without running it', async () => {
    const stored = await argon2Hash('pw', { algorithm: ARGON2.id, memoryCost: 1024, timeCost: 1 });
    const greedy = stored.replace('m=1024', 'm=4294967295');
    expect(await verifyPassword('pw', greedy)).toBe(false);
  });

  it('verifies bcrypt under every identifier the real core reads as 2a', async () => {
    const stored = await bcryptHash('pw-bcrypt', 4);
    for (const id of ['2a', '2b', '2x', '2y']) {
      const given = stored.replace(/^\$2b\$/, `$${id}$`);
      expect(await verifyPassword('pw-bcrypt', given)).toBe(true);
      expect(await verifyPassword('pw-bcrypT', given)).toBe(false);
    }
    expect(await verifyPassword('pw', await hashPassword('pw'))).toBe(true);
  });

  it('asks for the signer key only for a Firebase scrypt hash', async () => {
    const signerKey = jest.fn(() => Promise.resolve(SIGNER_KEY));
    expect(await verifyPassword('testPass123', FIREBASE, 'a', signerKey)).toBe(true);
    expect(await verifyPassword('testPass12', FIREBASE, 'a', signerKey)).toBe(false);
    expect(signerKey).toHaveBeenCalledTimes(2);
    signerKey.mockClear();
    expect(await verifyPassword('pw', await bcryptHash('pw', 4), 'a', signerKey)).toBe(true);
    expect(signerKey).not.toHaveBeenCalled();
  });

  it('passes on the signer key’s absence (the caller answers it)', async () => {
    const missing = new Error('no key');
    await expect(verifyPassword('pw', FIREBASE, 'a', () => Promise.reject(missing))).rejects.toBe(
      missing,
    );
  });

  it.each(['', 'plain', '$argon2id$garbage', '$2a$10$short', '$f_scrypt$h$s$m=14$r=8'])(
    'is false for %j',
    async (stored) => {
      expect(await verifyPassword('pw', stored)).toBe(false);
    },
  );
});
