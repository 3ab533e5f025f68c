import type { KeyValueStorage } from '../storage/key-value.storage.js';
import type { SqlClient } from './sql-client.js';
import { text } from './sql-rows.js';

export function keyValueQueries(db: SqlClient): KeyValueStorage {
  /** Values under `key_value` never change once written: cached after the first read. */
  const appValues = new Map<string, string>();
  return {
    async getOrCreateAppValue(appId: string, name: string, create: () => string): Promise<string> {
      const cacheKey = `${appId}\n${name}`;
      const cached = appValues.get(cacheKey);
      if (cached !== undefined) return cached;
      const select = () =>
        db.query(
          "SELECT value FROM key_value WHERE app_id = $1 AND tenant_id = 'public' AND name = $2",
          [appId, name],
        );
      let { rows } = await select();
      if (rows.length === 0) {
        await db.query(
          `INSERT INTO key_value (app_id, tenant_id, name, value, created_at_time)
           VALUES ($1, 'public', $2, $3, $4) ON CONFLICT DO NOTHING`,
          [appId, name, create(), Date.now()],
        );
        ({ rows } = await select());
      }
      const value = text(rows[0], 'value');
      appValues.set(cacheKey, value);
      return value;
    },
  };
}
