// Holds the SQL stores' schema to the official core's tables, and their refusals to open.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/core/store/open-store.js';
import { freshPostgresDatabase } from '../support/postgres.js';

describe('SQL store schema', () => {
  it('creates the official core tables and refuses a database of a newer schema version', async () => {
    const database = await freshPostgresDatabase();
    try {
      const { store } = await openStore({ postgres: database.url });
      await store.close();
      const client = new pg.Client(database.url);
      await client.connect();
      try {
        const tables = await client.query(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        );
        expect(tables.rows.map((r: { table_name: string }) => r.table_name)).toEqual(
          expect.arrayContaining([
            'apps',
            'tenants',
            'tenant_configs',
            'key_value',
            'app_id_to_user_id',
            'all_auth_recipe_users',
            'emailpassword_users',
            'session_info',
            'session_access_token_signing_keys',
            'passwordless_devices',
            'dashboard_users',
          ]),
        );
        await client.query(
          "UPDATE key_value SET value = '999' WHERE name = 'nest_supertokens_schema_version'",
        );
      } finally {
        await client.end();
      }
      await expect(openStore({ postgres: database.url })).rejects.toThrow(
        /newer nest-supertokens \(schema version 999; this version reads 1\)/,
      );
    } finally {
      await database.drop();
    }
  });

  it('refuses a PGlite directory another live process holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nst-lock-'));
    const { store } = await openStore({ dir });
    try {
      const { writeFileSync } = await import('node:fs');
      // Our own pid is "this process": pretend another live process (pid 1) holds it.
      writeFileSync(join(dir, 'nest-supertokens.lock'), '1');
      await expect(openStore({ dir })).rejects.toThrow(/in use by process 1/);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
