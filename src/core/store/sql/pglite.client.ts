import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client.js';

const adapt = (db: Pick<PGlite, 'query'>): SqlExecutor => ({
  async query(sql: string, params: unknown[] = []): Promise<SqlResult> {
    const result = await db.query<Record<string, unknown>>(sql, params);
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
  const db = await PGlite.create(path);
  const executor = adapt(db);
  return {
    description: `PGlite in ${path}`,
    query: executor.query,
    transaction: (work) => db.transaction((tx) => work(adapt(tx))),
    close: () => db.close(),
  };
}
