import { createCipheriv, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * A Firebase scrypt hash as the real core stores and reads it (its
 * `ParsedFirebaseSCryptResponse`):
 * `$f_scrypt$<passwordHash>$<salt>$m=<memCost>$r=<rounds>$s=<saltSeparator>`, the last three in
 * any order. The signer key is not in it: it is the core config's
 * `firebase_password_hashing_signer_key`.
 */
export interface FirebaseScryptHash {
  passwordHash: string;
  salt: string;
  saltSeparator: string;
  memCost: number;
  rounds: number;
}

/**
 * The most memory one check may take (128 · N · r bytes): Firebase's own parameters take 16 MiB;
 * the real core (a Java byte array) stops just under 2 GiB.
 */
const MAX_SCRYPT_MEMORY = 1024 ** 3;

/** Java's `String.split`: JavaScript's, less the trailing empty strings. */
function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.at(-1) === '') parts.pop();
  return parts;
}

/** Java's `Integer.parseInt` (ASCII digits), or undefined where it throws. */
function javaInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -(2 ** 31) && value < 2 ** 31 ? value : undefined;
}

/** The hash's parts as the real core reads them, or undefined when it is not in this format. */
export function parseFirebaseScrypt(hash: string): FirebaseScryptHash | undefined {
  const parts = javaSplit(hash, '$');
  if (parts.length !== 7 || parts[0] !== '' || parts[1] !== 'f_scrypt') return undefined;
  let memCost: number | undefined;
  let rounds: number | undefined;
  let saltSeparator: string | undefined;
  for (const part of parts.slice(4)) {
    const marker = ['m=', 'r=', 's='].find((m) => part.startsWith(m));
    if (marker === undefined) continue;
    // Java's split: a value ends where its marker appears again ("m=1m=2" is 1).
    const value = javaSplit(part, marker)[1];
    const number = marker === 's=' ? 0 : javaInt(value);
    // Where Java throws (no value, not an int), the real core has no hash.
    if (value === undefined || number === undefined) return undefined;
    if (marker === 's=') saltSeparator = value;
    else if (marker === 'm=') memCost = number;
    else rounds = number;
  }
  if (memCost === undefined || rounds === undefined || saltSeparator === undefined) {
    return undefined;
  }
  return { passwordHash: parts[2], salt: parts[3], saltSeparator, memCost, rounds };
}

/** The password as Java's `getBytes(US_ASCII)` encodes it: every other character is `?`. */
function javaAscii(password: string): Buffer {
  return Buffer.from(
    Array.from(password, (c) => (c.codePointAt(0)! < 0x80 ? c.codePointAt(0)! : 0x3f)),
  );
}

/** `crypto.scrypt` on libuv's thread pool, as a promise: this check's and the old scrypt hashes'. */
export const deriveScrypt = promisify(scrypt) as (
  password: string | Buffer,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
) => Promise<Buffer>;

/**
 * Firebase's check, as the real core ports it (firebase-scrypt-java): scrypt of the password with
 * the salt and its separator (N = 2^memCost, p = 1, 64 bytes), whose first 32 bytes are the
 * AES-256-CTR key (zero IV) that encrypts the signer key; the stored hash is that ciphertext in
 * padded standard base64, compared as text. Parameters it cannot use make it false.
 */
export async function verifyFirebaseScrypt(
  password: string,
  hash: FirebaseScryptHash,
  signerKey: string,
): Promise<boolean> {
  try {
    const salt = Buffer.concat([
      Buffer.from(hash.salt, 'base64'),
      Buffer.from(hash.saltSeparator, 'base64'),
    ]);
    // Java's int shift: the count is taken mod 32, as JavaScript's is.
    const key = await deriveScrypt(javaAscii(password), salt, 64, {
      N: 1 << hash.memCost,
      r: hash.rounds,
      p: 1,
      maxmem: MAX_SCRYPT_MEMORY,
    });
    const cipher = createCipheriv('aes-256-ctr', key.subarray(0, 32), Buffer.alloc(16));
    const signed = Buffer.concat([cipher.update(Buffer.from(signerKey, 'base64')), cipher.final()]);
    const actual = Buffer.from(signed.toString('base64'));
    const expected = Buffer.from(hash.passwordHash);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
