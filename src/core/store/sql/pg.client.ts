import pg from 'pg';
import { connectionFailure, StorageUnavailableError } from '../storage-unavailable.js';
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

/** The error to throw: losing the server (or not reaching it) is a `StorageUnavailableError`. */
function unavailableOr(error: unknown): unknown {
  const cause = connectionFailure(error);
  return cause === undefined ? error : new StorageUnavailableError(cause);
}

/** Runs `work`, throwing what `unavailableOr` makes of its failure. */
async function reachable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw unavailableOr(error);
  }
}

const adapt = (client: pg.Pool | pg.PoolClient): SqlExecutor => ({
  query: (sql: string, params: unknown[] = []): Promise<SqlResult> =>
    reachable(async () => {
      const result = await client.query(sql, params);
      return { rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
    }),
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

/**
 * A real PostgreSQL server through a `pg` pool: several processes may share the database. While
 * the server is unreachable (a restart, a failover) every call fails within
 * `connectionTimeoutMs` with a `StorageUnavailableError`, and the pool reconnects by itself once
 * the server is back.
 */
export async function openPostgres(
  url: string,
  poolSize = 10,
  connectionTimeoutMs = 5000,
): Promise<SqlClient> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    connectionTimeoutMillis: connectionTimeoutMs,
  });
  // An idle client's error (server restart) must not crash the app; the next query reconnects.
  pool.on('error', () => undefined);
  const executor = adapt(pool);
  await executor.query('SELECT 1');
  return {
    description: `PostgreSQL at ${redactUrl(url)}`,
    query: executor.query,
    async transaction(work) {
      const client = await reachable(() => pool.connect());
      let broken = false;
      // A checked-out client's connection dying is an 'error' event pg leaves to its holder:
      // unheard, it would crash the process. The running query fails on its own.
      const onError = () => void (broken = true);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(adapt(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const thrown = unavailableOr(error);
        broken = thrown instanceof StorageUnavailableError;
        throw thrown;
      } finally {
        // A client whose connection broke is thrown away, not handed to the next caller.
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
