import { parseFirebaseScrypt } from './firebase-scrypt.js';

/**
 * The `hashingAlgorithm` values of `POST /recipe/user/passwordhash/import` (the real core's
 * `CoreConfig.PASSWORD_HASHING_ALG`).
 */
export const HASHING_ALGORITHMS = ['ARGON2', 'BCRYPT', 'FIREBASE_SCRYPT'] as const;
export type HashingAlgorithm = (typeof HASHING_ALGORITHMS)[number];

/** The real core's bcrypt test: the identifier only (`$2a`, `$2b`, `$2x`, `$2y`). */
export const isBcryptHash = (hash: string): boolean => /^\$2[abxy]/.test(hash);

/** The real core's argon2 test: the identifier only (`$argon2id`, `$argon2i`, `$argon2d`). */
export const isArgon2Hash = (hash: string): boolean => /^\$argon2[id]/.test(hash);

/** `firebase_password_hashing_signer_key` is not set, for a hash that needs it. */
export const SIGNER_KEY_MISSING = "'firebase_password_hashing_signer_key' cannot be null";

/**
 * Why the real core would refuse to import `hash` (its
 * `PasswordHashingUtils.assertSuperTokensSupportInputPasswordHashFormat`): a 400 text, or
 * `SIGNER_KEY_MISSING` for a Firebase scrypt hash while no signer key is set. Prefix checks
 * only: a hash that passes is stored as given, and sign-in checks it in its own format.
 */
export function hashImportProblem(
  hash: string,
  algorithm: HashingAlgorithm | undefined,
  hasSignerKey: boolean,
): string | undefined {
  switch (algorithm) {
    case undefined:
      if (parseFirebaseScrypt(hash)) return hasSignerKey ? undefined : SIGNER_KEY_MISSING;
      return isBcryptHash(hash) || isArgon2Hash(hash)
        ? undefined
        : 'Password hash is in invalid format';
    case 'ARGON2':
      return isArgon2Hash(hash) ? undefined : 'Password hash is in invalid Argon2 format';
    case 'BCRYPT':
      return isBcryptHash(hash) ? undefined : 'Password hash is in invalid BCrypt format';
    case 'FIREBASE_SCRYPT':
      if (!hasSignerKey) return SIGNER_KEY_MISSING;
      return parseFirebaseScrypt(hash)
        ? undefined
        : 'Password hash is in invalid Firebase SCrypt format';
  }
}
