import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A new, empty database on the test PostgreSQL server (started by scripts/with-postgres.mjs,
 * which `npm run test:e2e` runs through). `drop()` removes it.
 */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_POSTGRES_URL;
  if (!serverUrl) {
    throw new Error(
      'TEST_POSTGRES_URL is not set: run the e2e suites with `npm run test:e2e`, which starts a ' +
        'PostgreSQL server (or set TEST_POSTGRES_URL to a server of your own).',
    );
  }
  const name = `nst_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(serverUrl);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client(serverUrl);
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
