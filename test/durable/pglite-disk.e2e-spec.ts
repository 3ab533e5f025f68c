// PGlite on a bad disk, for real: a tmpfs of a few tens of MB filled up, a read-only mount, and a
// truncated file of a real cluster. Each must give one clear error naming the directory and the
// fix; a write that fails is a 503 and is not there afterwards; what was written before stays.
// The mount cases need root (CAP_SYS_ADMIN) and skip with a message without it.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import type { SqlClient } from '../../src/core/store/sql/sql-client.js';
import { coreClient } from '../support/core-client.js';

const mounts: string[] = [];
const dirs: string[] = [];

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A tmpfs of `size` at a new directory, or undefined (with a message) where mounting is denied. */
function tmpfs(size: string): string | undefined {
  const at = temp('nst-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'pipe' });
  } catch (error) {
    console.warn(`pglite-disk: cannot mount a tmpfs here, case skipped (${String(error)})`);
    return undefined;
  }
  mounts.push(at);
  return at;
}

const remount = (at: string, mode: 'ro' | 'rw') =>
  execFileSync('mount', ['-o', `remount,${mode}`, at], { stdio: 'pipe' });

/** Writes `file` until the disk has no byte left. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** The SQL client under the core's store, for what HTTP cannot do (switching WAL files). */
const sqlOf = (core: EmbeddedCore) => (core.store as unknown as { db: SqlClient }).db;

const start = (dir: string, errors: unknown[] = []) =>
  startEmbeddedCore({ storage: { dir }, onError: (error) => errors.push(error) });

function metadata(core: EmbeddedCore) {
  const call = coreClient(core);
  return {
    put: (userId: string, value: string) =>
      call('PUT', '/recipe/user/metadata', { userId, metadataUpdate: { value } }),
    get: async (userId: string) => {
      const reply = await call('GET', `/recipe/user/metadata?userId=${userId}`);
      return { status: reply.status, value: reply.json?.metadata?.value as string | undefined };
    },
  };
}

afterAll(() => {
  for (const at of mounts.reverse()) {
    try {
      execFileSync('umount', [at], { stdio: 'pipe' });
    } catch {
      // Still busy (a file left open): detach it, the kernel frees it when the last file closes.
      execFileSync('umount', ['-l', at], { stdio: 'pipe' });
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('PGlite on a full disk', () => {
  it('refuses to start on a full disk, naming the directory and the fix', async () => {
    const disk = tmpfs('4m');
    if (!disk) return;
    const dir = join(disk, 'db');
    await expect(start(dir)).rejects.toThrow(
      `Embedded core storage ${dir}: no space left on the disk (ENOSPC`,
    );
    await expect(start(dir)).rejects.toThrow(/Fix: free space on that disk/);
  }, 60_000);

  it('answers 503 to a write that does not fit, keeps serving reads, and writes again once there is room', async () => {
    const disk = tmpfs('64m');
    if (!disk) return;
    const dir = join(disk, 'db');
    const errors: unknown[] = [];
    let core = await start(dir, errors);
    let lost = '';
    try {
      const api = metadata(core);
      expect((await api.put('before', 'kept')).status).toBe(200);
      fill(join(disk, 'filler'));

      // Each write grows a table until one finds no room: PostgreSQL's ERROR 53100.
      const big = 'x'.repeat(200_000);
      let failed: Awaited<ReturnType<typeof api.put>> | undefined;
      for (let i = 0; i < 50 && !failed; i++) {
        const reply = await api.put(`during-${i}`, big);
        expect(reply.status).not.toBe(500);
        if (reply.status !== 200) [failed, lost] = [reply, `during-${i}`];
      }
      expect(failed?.status).toBe(503);
      expect(failed?.text).toContain(`Embedded core storage ${dir}: no space left on the disk`);
      expect(failed?.text).toContain('Fix: free space on that disk');
      expect(errors).toHaveLength(1);
      // Reads go on, and the refused write is not there.
      expect(await api.get('before')).toEqual({ status: 200, value: 'kept' });
      expect(await api.get(lost)).toEqual({ status: 200, value: undefined });

      rmSync(join(disk, 'filler'));
      expect((await api.put('after-space', 'written')).status).toBe(200);

      // A WAL file that cannot be created is a PANIC: PGlite's instance dies. The core says so
      // (503, never a hang) and starts a new PGlite once there is room again.
      fill(join(disk, 'filler'));
      let stopped: Awaited<ReturnType<typeof api.put>> | undefined;
      for (let i = 0; i < 10 && !stopped; i++) {
        await sqlOf(core)
          .query('SELECT pg_switch_wal()')
          .catch(() => undefined);
        const reply = await api.put('wal', `${i}`);
        expect(reply.status).not.toBe(500);
        if (reply.status !== 200) stopped = reply;
      }
      expect(stopped?.status).toBe(503);
      expect(stopped?.text).toContain(`Embedded core storage ${dir}: no space left on the disk`);
      expect(stopped?.text).toContain('PGlite stopped');
      expect(stopped?.text).toContain('restart the app');
      // While the disk is full every call is a quick 503, reads included.
      expect((await api.get('before')).status).toBe(503);
      rmSync(join(disk, 'filler'));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await api.get('before')).toEqual({ status: 200, value: 'kept' });
      expect(await api.get('after-space')).toEqual({ status: 200, value: 'written' });
      expect(await api.get(lost)).toEqual({ status: 200, value: undefined });
    } finally {
      await core.stop();
    }

    // And after a restart.
    core = await start(dir);
    try {
      const api = metadata(core);
      expect(await api.get('before')).toEqual({ status: 200, value: 'kept' });
      expect(await api.get('after-space')).toEqual({ status: 200, value: 'written' });
      expect(await api.get(lost)).toEqual({ status: 200, value: undefined });
    } finally {
      await core.stop();
    }
  }, 120_000);
});

describe('PGlite on a read-only directory', () => {
  it('refuses to start, naming the directory and the fix, and starts once it is writable', async () => {
    const disk = tmpfs('64m');
    if (!disk) return;
    const dir = join(disk, 'db');
    let core = await start(dir);
    await metadata(core).put('before', 'kept');
    await core.stop();
    mkdirSync(join(disk, 'empty'));

    remount(disk, 'ro');
    for (const where of [dir, join(disk, 'empty')]) {
      await expect(start(where)).rejects.toThrow(
        `Embedded core storage ${where}: the directory is on a read-only file system (EROFS`,
      );
      await expect(start(where)).rejects.toThrow(/Fix: mount it read-write/);
    }

    remount(disk, 'rw');
    core = await start(dir);
    try {
      expect(await metadata(core).get('before')).toEqual({ status: 200, value: 'kept' });
    } finally {
      await core.stop();
    }
  }, 60_000);
});

describe('PGlite on a damaged cluster (a truncated file)', () => {
  let dir: string;
  let indexFile: string;
  beforeAll(async () => {
    dir = join(temp('nst-damaged-'), 'db');
    const core = await start(dir);
    try {
      await metadata(core).put('before', 'kept');
      const { rows } = await sqlOf(core).query(
        "SELECT pg_relation_filepath('user_metadata_pkey') AS file",
      );
      indexFile = join(dir, rows[0].file as string);
    } finally {
      await core.stop();
    }
  }, 60_000);

  it('refuses to start on a truncated pg_control, and loses nothing once it is restored', async () => {
    const control = join(dir, 'global', 'pg_control');
    copyFileSync(control, `${control}.saved`);
    truncateSync(control, 0);
    await expect(start(dir)).rejects.toThrow(
      `Embedded core storage ${dir}: the database files are damaged`,
    );
    await expect(start(dir)).rejects.toThrow(/Fix: restore the directory from a backup/);

    copyFileSync(`${control}.saved`, control);
    rmSync(`${control}.saved`);
    const core = await start(dir);
    try {
      expect(await metadata(core).get('before')).toEqual({ status: 200, value: 'kept' });
    } finally {
      await core.stop();
    }
  }, 60_000);

  it('answers 503 naming the damage to a read that meets a truncated index, not 500', async () => {
    truncateSync(indexFile, 0);
    const errors: unknown[] = [];
    const core = await start(dir, errors);
    try {
      const reply = await coreClient(core)('GET', '/recipe/user/metadata?userId=before');
      expect(reply.status).toBe(503);
      expect(reply.text).toContain(`Embedded core storage ${dir}: the database files are damaged`);
      expect(reply.text).toContain('XX001');
      expect(reply.text).toContain('Fix: restore the directory from a backup');
      expect(errors).toHaveLength(1);
    } finally {
      await core.stop();
    }
  }, 60_000);
});
