import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { openPglite } from '../../src/core/store/sql/pglite.client.js';
import type { SqlClient } from '../../src/core/store/sql/sql-client.js';
import { SqlStore } from '../../src/core/store/sql/sql.store.js';
import { coreClient } from '../support/core-client.js';

const FLOWS = 3_000;

/**
 * An unauthenticated flood: passwordless flows started (one phone number each, as a stranger
 * hitting /auth/signinup/code would cause) and never finished. Once their codes are past their
 * lifetime the scheduled clean-up must remove every device and code; live flows survive it.
 * (What the memory does under a flood is measured by `npm run bench:flood`, not asserted here.)
 */
describe.each([
  ['memory', false],
  ['PGlite', true],
])('Passwordless flood and clean-up: %s store', (_name, sql) => {
  let core: EmbeddedCore;
  let client: SqlClient | undefined;
  let dir: string | undefined;
  let clock = Date.now();
  beforeAll(async () => {
    if (sql) {
      dir = mkdtempSync(join(tmpdir(), 'nst-flood-'));
      client = await openPglite(dir);
    }
    core = await startEmbeddedCore({
      store: client ? await SqlStore.open(client) : new MemoryStore(),
      now: () => clock,
      cleanupIntervalMs: 200,
    });
  });
  afterAll(async () => {
    await core.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const count = async (table: string) =>
    Number((await client!.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const start = (phone: string) =>
    coreClient(core)('POST', '/public/recipe/signinup/code', { phoneNumber: phone });
  const phone = (i: number) => `+1555${String(i).padStart(7, '0')}`;
  const cleanedUp = async (until: () => Promise<boolean>) => {
    for (let waited = 0; waited < 30_000 && !(await until()); waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('removes every expired device and code, keeping live ones', async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < FLOWS) {
          const reply = await start(phone(1_000_000 + next++));
          expect(reply.json?.status).toBe('OK');
        }
      }),
    );
    if (sql) {
      expect(await count('passwordless_devices')).toBe(FLOWS);
      expect(await count('passwordless_codes')).toBe(FLOWS);
    }
    const flooded = await coreClient(core)(
      'GET',
      `/public/recipe/signinup/codes?phoneNumber=${encodeURIComponent(phone(1_000_000 + FLOWS - 1))}`,
    );
    expect(flooded.json.devices).toHaveLength(1);

    // A flow started now is still live after the clean-up below.
    clock += 16 * 60_000;
    const live = await start('+15550000001');
    await cleanedUp(async () =>
      sql
        ? (await count('passwordless_devices')) === 1
        : (
            await coreClient(core)(
              'GET',
              `/public/recipe/signinup/codes?phoneNumber=${encodeURIComponent(phone(1_000_000))}`,
            )
          ).json.devices.length === 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));

    if (sql) {
      expect(await count('passwordless_devices')).toBe(1);
      expect(await count('passwordless_codes')).toBe(1);
    }
    for (const i of [1_000_000, 1_000_000 + FLOWS / 2, 1_000_000 + FLOWS - 1]) {
      const { json } = await coreClient(core)(
        'GET',
        `/public/recipe/signinup/codes?phoneNumber=${encodeURIComponent(phone(i))}`,
      );
      expect(json.devices).toEqual([]);
    }
    const kept = await coreClient(core)(
      'GET',
      `/public/recipe/signinup/codes?preAuthSessionId=${encodeURIComponent(live.json.preAuthSessionId)}`,
    );
    expect(kept.json.devices).toHaveLength(1);
  }, 300_000);
});
