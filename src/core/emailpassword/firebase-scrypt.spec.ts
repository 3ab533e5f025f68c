import { createCipheriv, scryptSync } from 'node:crypto';
import { parseFirebaseScrypt, verifyFirebaseScrypt } from './firebase-scrypt.js';

/** The real core's test vector (ImportUserWithPasswordHashAPITest). */
const SIGNER_KEY =
  'gRhC3eDeQOdyEn4bMd9c6kxguWVmcIVq/SKa0JDPFeM6TcEevkaW56sIWfx88OHbJKnCXdWscZx0l2WbCJ1wbg==';
const HASH_PART =
  'qZM035es5AXYqavsKD6/rhtxg7t5PhcyRgv5blc3doYbChX8keMfQLq1ra96O2Pf2TP/eZrR5xtPCYN6mX3ESA==';
const VECTOR = `$f_scrypt$${HASH_PART}$/cj0jC1br5o4+w==$m=14$r=8$s=Bw==`;

/** A Firebase hash of `ascii` (bytes as given), small parameters, made the way Firebase does. */
function firebaseHash(ascii: string, memCost = 4, rounds = 2): string {
  const [salt, separator] = ['c2FsdHNhbHQ=', 'Bw=='];
  const key = scryptSync(
    Buffer.from(ascii, 'latin1'),
    Buffer.concat([Buffer.from(salt, 'base64'), Buffer.from(separator, 'base64')]),
    64,
    { N: 2 ** memCost, r: rounds, p: 1 },
  );
  const cipher = createCipheriv('aes-256-ctr', key.subarray(0, 32), Buffer.alloc(16));
  const hash = Buffer.concat([cipher.update(Buffer.from(SIGNER_KEY, 'base64')), cipher.final()]);
  return `$f_scrypt$${hash.toString('base64')}$${salt}$m=${memCost}$r=${rounds}$s=${separator}`;
}

describe('Firebase scrypt hashes, as the real core reads them', () => {
  it('parses the stored format, its last three parts in any order', () => {
    const parsed = {
      passwordHash: HASH_PART,
      salt: '/cj0jC1br5o4+w==',
      saltSeparator: 'Bw==',
      memCost: 14,
      rounds: 8,
    };
    expect(parseFirebaseScrypt(VECTOR)).toEqual(parsed);
    expect(parseFirebaseScrypt(`$f_scrypt$${HASH_PART}$/cj0jC1br5o4+w==$s=Bw==$r=8$m=14`)).toEqual(
      parsed,
    );
  });

  it('splits as Java does: trailing separators dropped, a value ends at its marker', () => {
    expect(parseFirebaseScrypt(`${VECTOR}$$`)).toMatchObject({ saltSeparator: 'Bw==' });
    expect(parseFirebaseScrypt('$f_scrypt$h$s$m=14m=3$r=+8$s=ABs=CD')).toMatchObject({
      memCost: 14,
      rounds: 8,
      saltSeparator: 'AB',
    });
  });

  it.each([
    ['six parts', '$f_scrypt$h$s$m=14$r=8'],
    ['eight parts', '$f_scrypt$h$s$m=14$r=8$s=Bw==$x'],
    ['another prefix', '$scrypt$h$s$m=14$r=8$s=Bw=='],
    ['text before it', 'x$f_scrypt$h$s$m=14$r=8$s=Bw=='],
    ['no salt separator', '$f_scrypt$h$s$m=14$r=8$x=1'],
    ['a repeated part instead of one', '$f_scrypt$h$s$m=14$m=8$s=Bw=='],
    ['a memory cost that is not an int', '$f_scrypt$h$s$m=1.5$r=8$s=Bw=='],
    ['an int out of range', '$f_scrypt$h$s$m=2147483648$r=8$s=Bw=='],
    ['a marker without a value', '$f_scrypt$h$s$m=14$r=8$s='],
  ])('is not a Firebase hash with %s', (_case, hash) => {
    expect(parseFirebaseScrypt(hash)).toBeUndefined();
  });

  it('verifies the real core’s test vector with its signer key', async () => {
    const parsed = parseFirebaseScrypt(VECTOR)!;
    expect(await verifyFirebaseScrypt('testPass123', parsed, SIGNER_KEY)).toBe(true);
    expect(await verifyFirebaseScrypt('testPass124', parsed, SIGNER_KEY)).toBe(false);
    const otherKey = Buffer.alloc(64, 1).toString('base64');
    expect(await verifyFirebaseScrypt('testPass123', parsed, otherKey)).toBe(false);
  });

  it('compares the hash as text: URL-safe or unpadded base64 does not match', async () => {
    const hash = parseFirebaseScrypt(firebaseHash('pass'))!;
    expect(await verifyFirebaseScrypt('pass', hash, SIGNER_KEY)).toBe(true);
    const unpadded = { ...hash, passwordHash: hash.passwordHash.replace(/=+$/, '') };
    expect(await verifyFirebaseScrypt('pass', unpadded, SIGNER_KEY)).toBe(false);
  });

  it('reads the password as Java’s US-ASCII does: any other character is "?"', async () => {
    const hash = parseFirebaseScrypt(firebaseHash('p?ss ?'))!;
    expect(await verifyFirebaseScrypt('päss 😀', hash, SIGNER_KEY)).toBe(true);
    expect(await verifyFirebaseScrypt('p?ss ?', hash, SIGNER_KEY)).toBe(true);
    expect(await verifyFirebaseScrypt('pass ?', hash, SIGNER_KEY)).toBe(false);
  });

  it('is false for parameters scrypt cannot run (N below 2, too much memory)', async () => {
    const hash = parseFirebaseScrypt(firebaseHash('pass'))!;
    expect(await verifyFirebaseScrypt('pass', { ...hash, memCost: 0 }, SIGNER_KEY)).toBe(false);
    expect(await verifyFirebaseScrypt('pass', { ...hash, memCost: 30 }, SIGNER_KEY)).toBe(false);
    expect(await verifyFirebaseScrypt('pass', { ...hash, rounds: -1 }, SIGNER_KEY)).toBe(false);
  });
});
