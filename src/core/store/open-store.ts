import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MemoryStore } from './memory/memory.store.js';
import { openPglite } from './sql/pglite.client.js';
import { directoryFault } from './sql/pglite.faults.js';
import { openPostgres } from './sql/pg.client.js';
import type { SqlClient } from './sql/sql-client.js';
import { SqlStore } from './sql/sql.store.js';
import type { Store } from './store.interface.js';

/**
 * Where the embedded core keeps its data:
 * - `'memory'`: this process only, gone on exit (tests);
 * - `{ dir }`: embedded PostgreSQL (PGlite) in that directory, owned by one process at a time;
 * - `{ postgres }`: a PostgreSQL server (`postgres://user:pass@host/db`), which several app
 *   instances may share.
 * Both SQL forms use the official SuperTokens core's tables, so that core can take the database
 * over later.
 */
export type EmbeddedCoreStorage =
  | 'memory'
  | { dir: string }
  | {
      postgres: string;
      /** @default 10 */
      poolSize?: number;
      /**
       * How long a request waits for a connection while the server is unreachable before the
       * core answers 503, ms. @default 5000
       */
      connectionTimeoutMs?: number;
    };

export interface OpenedStore {
  store: Store;
  /** For the start-up log: which store and where (never a password). */
  description: string;
}

const LOCK_FILE = 'nest-supertokens.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite's files must not be opened by two processes at once (that corrupts them): a lock file
 * with the owner's pid; a lock left by a process that is gone is taken over.
 */
function lockDirectory(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, String(process.pid));
      } catch (error) {
        // A full disk: leave no empty lock file behind.
        rmSync(path, { force: true });
        throw error;
      } finally {
        closeSync(fd);
      }
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `Embedded core storage ${dir} is in use by process ${owner}. One process at a time can ` +
            'use a PGlite directory: stop the other app, give this one another storage.dir, or ' +
            "share a PostgreSQL server with storage: { postgres: 'postgres://…' }.",
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Embedded core storage ${dir}: cannot create ${LOCK_FILE}.`);
}

function withRelease(client: SqlClient, release: () => void): SqlClient {
  return {
    ...client,
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

export async function openStore(storage: EmbeddedCoreStorage): Promise<OpenedStore> {
  if (storage === 'memory') {
    return { store: new MemoryStore(), description: 'in memory (data is lost on restart)' };
  }
  if ('dir' in storage) {
    const dir = resolve(storage.dir);
    let release: () => void;
    try {
      release = lockDirectory(dir);
    } catch (error) {
      // A read-only, full or forbidden directory: one error naming it and the fix.
      throw directoryFault(dir, error);
    }
    let client: SqlClient;
    try {
      client = withRelease(await openPglite(dir), release);
    } catch (error) {
      release();
      throw error;
    }
    try {
      const store = await SqlStore.open(client);
      return { store, description: store.description };
    } catch (error) {
      // Creating the tables failed (a disk that just filled up): free the directory.
      await client.close().catch(() => undefined);
      throw error;
    }
  }
  if ('postgres' in storage) {
    const store = await SqlStore.open(
      await openPostgres(storage.postgres, storage.poolSize, storage.connectionTimeoutMs),
    );
    return { store, description: store.description };
  }
  throw new Error(
    "Embedded core option storage must be 'memory', { dir: '<path>' } or { postgres: '<url>' }.",
  );
}
