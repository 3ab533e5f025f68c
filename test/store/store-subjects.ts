/**
 * The stores every storage contract spec runs on (memory, PGlite on disk, a PostgreSQL server
 * through two pools) and the fixtures those specs share. Not a spec itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  type LoginMethodRecord,
  MemoryStore,
  type SessionRecord,
  type Store,
} from '../../src/core/index.js';
import { openStore } from '../../src/core/store/open-store.js';
import { freshPostgresDatabase } from '../support/postgres.js';

/** A store under test and a second handle on the same data (a second process, for SQL). */
export interface Subject {
  store: Store;
  other: Store;
  close(): Promise<void>;
}

export const subjects: [string, () => Promise<Subject>][] = [
  [
    'memory',
    () => {
      const store = new MemoryStore();
      return Promise.resolve({ store, other: store, close: () => store.close() });
    },
  ],
  [
    'PGlite on disk',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'nst-store-'));
      const { store } = await openStore({ dir });
      return {
        store,
        // PGlite has one connection per directory: the same handle stands for "another caller".
        other: store,
        async close() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'PostgreSQL server (two pools)',
    async () => {
      const database = await freshPostgresDatabase();
      const { store } = await openStore({ postgres: database.url });
      const { store: other } = await openStore({ postgres: database.url });
      return {
        store,
        other,
        async close() {
          await store.close();
          await other.close();
          await database.drop();
        },
      };
    },
  ],
];

/**
 * One storage interface's contract, run on every subject: `body` declares its tests, which read
 * the open subject through `subject()`. Each subject is opened once before its tests and closed
 * after them, so the tests of one spec share its data (they use fresh ids to stay apart).
 */
export function describeStoreContract(name: string, body: (subject: () => Subject) => void): void {
  describe.each(subjects)(`${name} contract: %s`, (storeName, open) => {
    let opened: Subject | undefined;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(() => opened?.close());
    body(() => {
      if (!opened) throw new Error(`The ${storeName} store did not open (see beforeAll).`);
      return opened;
    });
  });
}

export const emailLogin = (email: string, timeJoined = Date.now()): LoginMethodRecord => ({
  recipeUserId: randomUUID(),
  recipeId: 'emailpassword',
  tenantIds: ['public'],
  timeJoined,
  email,
  passwordHash: '$2a$11$' + 'a'.repeat(53),
});

export const session = (userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  handle: randomUUID(),
  recipeUserId: userId,
  userId,
  tenantId: 'public',
  refreshTokenHash2: 'hash-0',
  expiry: Date.now() + 60_000,
  timeCreated: Date.now(),
  userDataInJWT: { role: 'x' },
  userDataInDatabase: { n: 1 },
  useStaticKey: false,
  ...overrides,
});
