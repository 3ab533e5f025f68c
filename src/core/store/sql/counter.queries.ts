import type { CounterState, CounterStorage } from '../storage/counter.storage.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';
import { num } from './sql-rows.js';

export function counterQueries(db: SqlClient): CounterStorage {
  return {
    async hitCounter(key: string, windowMs: number, now: number): Promise<CounterState> {
      const { rows } = await db.query(
        `INSERT INTO nest_supertokens_counters (key, count, reset_at) VALUES ($1, 1, $2 + $3::bigint)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN nest_supertokens_counters.reset_at > $2 THEN nest_supertokens_counters.count + 1 ELSE 1 END,
           reset_at = CASE WHEN nest_supertokens_counters.reset_at > $2 THEN nest_supertokens_counters.reset_at
                           ELSE $2 + $3::bigint END
         RETURNING count, reset_at`,
        [key, now, windowMs],
      );
      return { count: num(rows[0], 'count'), resetAt: num(rows[0], 'reset_at') };
    },

    async getCounter(key: string, now: number): Promise<CounterState | undefined> {
      const { rows } = await db.query(
        'SELECT count, reset_at FROM nest_supertokens_counters WHERE key = $1 AND reset_at > $2',
        [key, now],
      );
      return rows[0] && { count: num(rows[0], 'count'), resetAt: num(rows[0], 'reset_at') };
    },

    async deleteCounter(key: string): Promise<void> {
      await db.query('DELETE FROM nest_supertokens_counters WHERE key = $1', [key]);
    },
  };
}

export async function deleteExpiredCounters(db: SqlExecutor, now: number): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM nest_supertokens_counters WHERE reset_at <= $1',
    [now],
  );
  return rowCount;
}
