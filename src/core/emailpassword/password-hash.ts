import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { verify as verifyArgon2Hash } from '@node-rs/argon2';
import { compare, hash } from '@node-rs/bcrypt';
import { FairQueue, QueueFullError } from './fair-queue.js';
import { deriveScrypt, parseFirebaseScrypt, verifyFirebaseScrypt } from './firebase-scrypt.js';
import { isArgon2Hash, isBcryptHash, SIGNER_KEY_MISSING } from './password-hash-format.js';

/**
 * Passwords are hashed as the real core hashes them by default: bcrypt with 11 log rounds
 * (`bcrypt_log_rounds`), written with the `$2a$` identifier that the core's jBCrypt reads. The
 * hashing runs on libuv's thread pool, off the event loop. Imported hashes (argon2, Firebase
 * scrypt, other bcrypt identifiers) verify in their own format, as the real core's
 * `PasswordHashing.verifyPasswordWithHash` checks them; hashes written by earlier versions of the
 * in-memory store (`scrypt$N$r$p$salt$hash`) still verify.
 */
const BCRYPT_LOG_ROUNDS = 11;

/**
 * Every hash and check waits its turn here, one per CPU at once (a bcrypt check is ~70–100 ms of
 * one CPU), accounts taking turns: 32 wrong passwords in flight for one account delay another
 * account's sign-in by about one check, not 32. The event loop is not starved by the hashing
 * (it runs on libuv's threads) and the queue is bounded (`QueueFullError`, answered 503).
 * `NEST_SUPERTOKENS_HASH_THREADS` sets another number (the pool is the process's, shared by its
 * cores); libuv's thread pool (`UV_THREADPOOL_SIZE`, 4) must be at least as large.
 */
const hashThreads = (): number => {
  const asked = Number(process.env.NEST_SUPERTOKENS_HASH_THREADS);
  return Number.isInteger(asked) && asked > 0 ? asked : availableParallelism();
};
const passwordWork = new FairQueue(hashThreads());

/** `account`: whose password it is (an email or user id), for turn-taking. */
export async function hashPassword(password: string, account = ''): Promise<string> {
  const hashed = await passwordWork.run(account, () => hash(password, BCRYPT_LOG_ROUNDS));
  // Same algorithm; jBCrypt 0.4 only recognises the 2a identifier.
  return hashed.replace(/^\$2[bxy]\$/, '$2a$');
}

async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, expectedText] = stored.split('$');
  const [cost, blockSize, parallel] = [Number(n), Number(r), Number(p)];
  if (!salt || !expectedText || ![cost, blockSize, parallel].every(Number.isSafeInteger)) {
    return false;
  }
  const expected = Buffer.from(expectedText, 'base64');
  const actual = await deriveScrypt(password, Buffer.from(salt, 'base64'), 32, {
    N: cost,
    r: blockSize,
    p: parallel,
    maxmem: 256 * cost * blockSize,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The most memory one argon2 check may take (`m=`, KiB): an imported hash asking for more is
 * refused rather than allowed to take the process's memory (the real core's default is 85 MiB).
 */
const MAX_ARGON2_MEMORY_KIB = 1024 * 1024;

async function verifyArgon2(password: string, stored: string): Promise<boolean> {
  const memory = /[$,]m=(\d+)/.exec(stored);
  if (memory && Number(memory[1]) > MAX_ARGON2_MEMORY_KIB) return false;
  return verifyArgon2Hash(stored, password);
}

async function verifyBcrypt(password: string, stored: string): Promise<boolean> {
  if (!/^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$/.test(stored)) return false;
  // jBCrypt reads every identifier as 2a; @node-rs/bcrypt verifies the same algorithm as 2b.
  return compare(password, stored.replace(/^\$2[axy]\$/, '$2b$'));
}

const noSignerKey = (): Promise<string> => Promise.reject(new Error(SIGNER_KEY_MISSING));

/**
 * Whether `password` matches `stored`, checked in the real core's order: argon2, bcrypt, Firebase
 * scrypt (with the app's signer key, asked for only then: `firebaseSignerKey` may throw), else
 * false. A hash it cannot read is false. `account`: whose password it is, for turn-taking.
 */
export async function verifyPassword(
  password: string,
  stored: string,
  account = '',
  firebaseSignerKey: () => Promise<string> = noSignerKey,
): Promise<boolean> {
  let check: (() => Promise<boolean>) | undefined;
  const firebase = parseFirebaseScrypt(stored);
  if (isArgon2Hash(stored)) check = () => verifyArgon2(password, stored);
  else if (isBcryptHash(stored)) check = () => verifyBcrypt(password, stored);
  else if (firebase) {
    const signerKey = await firebaseSignerKey();
    check = () => verifyFirebaseScrypt(password, firebase, signerKey);
  } else if (stored.startsWith('scrypt$')) check = () => verifyScrypt(password, stored);
  if (!check) return false;
  try {
    return await passwordWork.run(account, check);
  } catch (error) {
    if (error instanceof QueueFullError) throw error;
    return false;
  }
}

/** A hash to compare against when the email is unknown, so both answers take as long. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> =>
  (decoy ??= hashPassword(randomUUID() + randomBytes(8).toString('hex')));
