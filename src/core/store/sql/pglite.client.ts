import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CLUSTER_MARKER, createCluster } from './pglite.cluster.js';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client.js';

/**
 * PostgreSQL's default shared_buffers in PGlite is 160 MB, and start-up touches all of it: a
 * core on an existing directory sat at ~380 MB RSS. A development database is small and the
 * operating system caches its files anyway; 16 MB took RSS to ~200 MB with no measurable loss.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

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

const adapt = (db: Pick<PGlite, 'query'>, wrote: (sql: string) => void): SqlExecutor => ({
  async query(sql: string, params: unknown[] = []): Promise<SqlResult> {
    const result = await db.query<Record<string, unknown>>(sql, params);
    wrote(sql);
    // PGlite counts only written rows in affectedRows (0 for a SELECT): count returned rows too.
    return { rows: result.rows, rowCount: Math.max(result.rows.length, result.affectedRows ?? 0) };
  },
});

/**
 * Embedded PostgreSQL (WASM) on disk in `dir`. One process owns the directory at a time; PGlite
 * runs one query or one whole transaction at a time (its own mutex), so transactions serialise.
 */
export async function openPglite(dir: string): Promise<SqlClient> {
  const path = resolve(dir);
  mkdirSync(path, { recursive: true });
  if (!existsSync(join(path, CLUSTER_MARKER))) await createCluster(path);
  const db = await PGlite.create(path, { startParams: START_PARAMS });
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
    analyzing = analyzing.then(() => db.exec(`ANALYZE ${table}`)).catch(() => undefined);
  };
  const executor = adapt(db, wrote);
  return {
    description: `PGlite in ${path}`,
    query: executor.query,
    transaction: (work) => db.transaction((tx) => work(adapt(tx, wrote))),
    maintain: async () => {
      await db.exec('VACUUM ANALYZE');
    },
    close: async () => {
      await analyzing;
      await db.close();
    },
  };
}
