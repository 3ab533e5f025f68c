import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CLUSTER_MARKER, createCluster } from './pglite.cluster.js';
import { runtimeFault, startFault, stoppedFault, stoppedPglite } from './pglite.faults.js';
import type { StorageFaultError } from '../storage-unavailable.js';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client.js';

/**
 * PostgreSQL's default shared_buffers in PGlite is 160 MB, and start-up touches all of it: a
 * core on an existing directory sat at ~380 MB RSS. A development database is small and the
 * operating system caches its files anyway; 16 MB took RSS to ~200 MB with no measurable loss.
 * The start-up progress log is off: its timer re-arms every 10 s for as long as a start that
 * failed half-way leaves it, which kept the process from exiting.
 */
const START_PARAMS = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=16MB',
  '-c',
  'log_startup_progress_interval=0',
];

/**
 * PGlite has no autovacuum, so no table is ever analysed unless we do it: the planner then
 * guesses, and it guessed badly. The foreign-key check from passwordless_codes picked the
 * (app_id, tenant_id) index of passwordless_devices over its primary key and scanned every
 * device per code: 20 000 code requests took 28 s of checks, and deleting them 45 s. Once a
 * table has statistics the planner scales them to its current size, so each table is analysed
 * after 100 written statements, then after 1 000, 10 000 and so on; the clean-up's VACUUM
 * ANALYZE refreshes them all.
 */
const FIRST_ANALYZE = 100;
const WRITE = /^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)/i;

const adapt = (
  db: Pick<PGlite, 'query'>,
  wrote: (sql: string) => void,
  failed: (error: unknown) => unknown,
): SqlExecutor => ({
  async query(sql: string, params: unknown[] = []): Promise<SqlResult> {
    let result;
    try {
      result = await db.query<Record<string, unknown>>(sql, params);
    } catch (error) {
      throw failed(error);
    }
    wrote(sql);
    // PGlite counts only written rows in affectedRows (0 for a SELECT): count returned rows too.
    return { rows: result.rows, rowCount: Math.max(result.rows.length, result.affectedRows ?? 0) };
  },
});

/**
 * A PGlite that failed or aborted keeps PostgreSQL's armed itimer (a JavaScript timer of up to
 * 10 s) and would hold the process open that long after the core stopped: disarm it through
 * PGlite's own export. Best effort (the instance may be past answering).
 */
function disarmTimers(db: PGlite): void {
  try {
    (db as unknown as { mod?: { _clear_setitimer?: () => void } }).mod?._clear_setitimer?.();
  } catch {
    // An instance too broken to run it has no timer to keep either.
  }
}

/** Between two attempts to start PGlite again after it stopped (each takes ~0.3–0.8 s). */
const RESTART_INTERVAL_MS = 1000;

async function start(path: string): Promise<PGlite> {
  const db = new PGlite(path, { startParams: START_PARAMS });
  try {
    await db.waitReady;
    return db;
  } catch (error) {
    // Its files stay open otherwise (and keep a full or read-only mount busy).
    disarmTimers(db);
    await db.fs?.closeFs().catch(() => undefined);
    throw startFault(path, error);
  }
}

/**
 * After a PANIC (a WAL file it could not write: full or read-only disk) PostgreSQL aborts PGlite's
 * WASM instance, and PGlite 0.5 then spins forever, synchronously, in the next statement it is
 * given: the whole process hangs. PGlite sends one itself right away (the Sync closing the failed
 * statement, or its transaction's ROLLBACK), so the abort is caught where it happens (emscripten's
 * `onAbort`) and every later protocol message to that instance throws `stopped()` instead.
 * Returns whether the instance has aborted.
 */
function guardAbort(db: PGlite, stopped: () => Error): () => boolean {
  let aborted = false;
  const module = (db as unknown as { mod?: { onAbort?: (what: unknown) => void } }).mod;
  if (module) module.onAbort = () => void (aborted = true);
  const run = db.execProtocolRawSync.bind(db);
  db.execProtocolRawSync = (message: Uint8Array) => {
    if (aborted) throw stopped();
    return run(message);
  };
  return () => aborted;
}

/**
 * Embedded PostgreSQL (WASM) on disk in `dir`. One process owns the directory at a time; PGlite
 * runs one query or one whole transaction at a time (its own mutex), so transactions serialise.
 * A statement failing on the files (full or read-only disk, damaged file) throws a
 * `StorageFaultError` (503); if PGlite stopped on it, a new PGlite is started on the directory at
 * a later call (at most once a second), which recovers from the WAL as a restart would.
 */
export async function openPglite(dir: string): Promise<SqlClient> {
  const path = resolve(dir);
  mkdirSync(path, { recursive: true });
  if (!existsSync(join(path, CLUSTER_MARKER))) await createCluster(path);
  /** Why the running PGlite stopped; undefined while it runs. */
  let stopped: StorageFaultError | undefined;
  let restarting: Promise<void> | undefined;
  let restartAt = 0;
  const stop = (instance: PGlite, cause: unknown): StorageFaultError => {
    // A late failure of an instance already replaced says nothing about the running one.
    if (instance !== db) return stoppedFault(path, cause);
    if (!stopped) {
      stopped = stoppedFault(path, cause);
      restartAt = 0;
      // Not close(): it runs PostgreSQL's exit hooks (a shutdown checkpoint) in the aborted
      // instance. Closing its files is enough; the rest goes with the garbage collector.
      disarmTimers(instance);
      void instance.fs?.closeFs().catch(() => undefined);
    }
    return stopped;
  };
  const watch = (instance: PGlite) => {
    const aborted = guardAbort(instance, () => stop(instance, 'its WASM instance aborted'));
    return (error: unknown): unknown =>
      aborted() || stoppedPglite(error) ? stop(instance, error) : runtimeFault(path, error);
  };
  let db = await start(path);
  let failed = watch(db);
  /** The running PGlite, started again if it stopped (one attempt a second, shared by callers). */
  const running = async (): Promise<PGlite> => {
    if (!stopped) return db;
    if (!restarting && Date.now() >= restartAt) {
      restarting = start(path).then(
        (fresh) => {
          [db, failed, stopped] = [fresh, watch(fresh), undefined];
        },
        () => void (restartAt = Date.now() + RESTART_INTERVAL_MS),
      );
      void restarting.finally(() => (restarting = undefined));
    }
    await restarting;
    if (stopped) throw stopped;
    return db;
  };
  /** Per table: written statements since start, and the count that triggers the next ANALYZE. */
  const writes = new Map<string, { count: number; next: number }>();
  let analyzing: Promise<unknown> = Promise.resolve();
  const wrote = (sql: string) => {
    const table = WRITE.exec(sql)?.[1];
    if (!table) return;
    const entry = writes.get(table) ?? { count: 0, next: FIRST_ANALYZE };
    writes.set(table, entry);
    if (++entry.count < entry.next) return;
    entry.next *= 10;
    // Queued behind the current query or transaction by PGlite's own lock; never awaited by it.
    analyzing = analyzing.then(() => exec(`ANALYZE ${table}`)).catch(() => undefined);
  };
  const exec = async (sql: string) => {
    const instance = await running();
    const onError = failed;
    try {
      await instance.exec(sql);
    } catch (error) {
      throw onError(error);
    }
  };
  return {
    description: `PGlite in ${path}`,
    query: async (sql, params) => {
      const instance = await running();
      return adapt(instance, wrote, failed).query(sql, params);
    },
    transaction: async (work) => {
      const instance = await running();
      const onError = failed;
      try {
        return await instance.transaction((tx) => work(adapt(tx, wrote, onError)));
      } catch (error) {
        throw onError(error);
      }
    },
    maintain: () => exec('VACUUM ANALYZE'),
    close: async () => {
      await analyzing;
      await restarting;
      if (!stopped) await db.close();
    },
  };
}
