import { hashImportProblem, SIGNER_KEY_MISSING } from './password-hash-format.js';

const FIREBASE = '$f_scrypt$aGFzaA==$c2FsdA==$m=14$r=8$s=Bw==';
const BCRYPT = '$2y$10$abc';
const ARGON2 = '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA';

describe('hashImportProblem (the real core’s import format check)', () => {
  it.each([
    // No algorithm: the format decides, Firebase first.
    [BCRYPT, undefined, undefined],
    ['$2a', undefined, undefined],
    [ARGON2, undefined, undefined],
    ['$argon2d', undefined, undefined],
    [FIREBASE, undefined, undefined],
    ['$argon2', undefined, 'Password hash is in invalid format'],
    ['$2c$10$abc', undefined, 'Password hash is in invalid format'],
    ['scrypt$16384$8$1$c2FsdA==$aGFzaA==', undefined, 'Password hash is in invalid format'],
    // An algorithm given: only its format.
    [ARGON2, 'ARGON2', undefined],
    [BCRYPT, 'ARGON2', 'Password hash is in invalid Argon2 format'],
    [BCRYPT, 'BCRYPT', undefined],
    [FIREBASE, 'BCRYPT', 'Password hash is in invalid BCrypt format'],
    [FIREBASE, 'FIREBASE_SCRYPT', undefined],
    [ARGON2, 'FIREBASE_SCRYPT', 'Password hash is in invalid Firebase SCrypt format'],
  ] as const)('%s as %s: %s', (hash, algorithm, problem) => {
    expect(hashImportProblem(hash, algorithm, true)).toBe(problem);
  });

  it('needs the signer key for a Firebase hash, before reading it when the algorithm is given', () => {
    expect(hashImportProblem(FIREBASE, undefined, false)).toBe(SIGNER_KEY_MISSING);
    expect(hashImportProblem('not firebase', 'FIREBASE_SCRYPT', false)).toBe(SIGNER_KEY_MISSING);
    expect(hashImportProblem(BCRYPT, undefined, false)).toBeUndefined();
  });
});
