import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { compare, hash } from '@node-rs/bcrypt';
import { FairQueue, QueueFullError } from './fair-queue.js';

/**
 * Passwords are hashed as the real core hashes them by default: bcrypt with 11 log rounds
 * (`bcrypt_log_rounds`), written with the `$2a$` identifier that the core's jBCrypt reads. The
 * hashing runs on libuv's thread pool, off the event loop. Hashes written by earlier versions of
 * the in-memory store (`scrypt$N$r$p$salt$hash`) still verify.
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

function scryptDerive(password: string, salt: Buffer, n: number, r: number, p: number) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, 32, { N: n, r, p, maxmem: 256 * n * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, expectedText] = stored.split('$');
  const [cost, blockSize, parallel] = [Number(n), Number(r), Number(p)];
  if (!salt || !expectedText || ![cost, blockSize, parallel].every(Number.isSafeInteger)) {
    return false;
  }
  const expected = Buffer.from(expectedText, 'base64');
  const actual = await scryptDerive(
    password,
    Buffer.from(salt, 'base64'),
    cost,
    blockSize,
    parallel,
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export async function verifyPassword(
  password: string,
  stored: string,
  account = '',
): Promise<boolean> {
  if (stored.startsWith('scrypt$')) {
    return passwordWork.run(account, () => verifyScrypt(password, stored));
  }
  if (!/^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$/.test(stored)) return false;
  try {
    return await passwordWork.run(account, () =>
      compare(password, stored.replace(/^\$2[axy]\$/, '$2b$')),
    );
  } catch (error) {
    if (error instanceof QueueFullError) throw error;
    return false;
  }
}

/** A hash to compare against when the email is unknown, so both answers take as long. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> =>
  (decoy ??= hashPassword(randomUUID() + randomBytes(8).toString('hex')));
