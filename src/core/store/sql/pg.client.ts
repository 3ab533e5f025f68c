import pg from 'pg';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client.js';

const INT8_OID = 20;
/** BIGINT columns hold epoch milliseconds: safe as numbers. Set per pool, not globally. */
const parseInt8 = (value: string): number => Number(value);
type ParserLookup = (oid: number, format?: 'text' | 'binary') => unknown;
const builtIn = pg.types.getTypeParser as ParserLookup;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID ? parseInt8 : builtIn(oid, format)) as typeof pg.types.getTypeParser,
};

const adapt = (client: pg.Pool | pg.PoolClient): SqlExecutor => ({
  async query(sql: string, params: unknown[] = []): Promise<SqlResult> {
    const result = await client.query(sql, params);
    return { rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
  },
});

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** A real PostgreSQL server through a `pg` pool: several processes may share the database. */
export async function openPostgres(url: string, poolSize = 10): Promise<SqlClient> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle client's error (server restart) must not crash the app; the next query reconnects.
  pool.on('error', () => undefined);
  const executor = adapt(pool);
  await executor.query('SELECT 1');
  return {
    description: `PostgreSQL at ${redactUrl(url)}`,
    query: executor.query,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(adapt(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
