import { execFile } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { directoryFault } from './pglite.faults.js';

/** Written last into a new cluster: its presence means the cluster is complete. */
export const CLUSTER_MARKER = 'PG_VERSION';

/** PGlite's entry file as a URL (the CommonJS build swaps this line for `require.resolve`). */
const pgliteEntry = () => import.meta.resolve('@electric-sql/pglite');

function pgliteVersion(): string {
  const manifest = join(dirname(fileURLToPath(pgliteEntry())), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * A new PGlite cluster is the same for every directory (PGlite's initdb output, before any of
 * our tables): built once per PGlite version, it is kept gzipped in the user's cache directory
 * (`$XDG_CACHE_HOME` or `~/.cache`, `nest-supertokens/`, mode 0700) so later new directories
 * skip initdb (~1.7–2.8 s on this project's machine).
 */
function templatePath(): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'nest-supertokens', `pglite-${pgliteVersion()}-cluster.tar.gz`);
}

/**
 * Runs PGlite's initdb in memory in a child process and returns the cluster as a tar. In this
 * process PGlite would keep initdb's memory for good (~650 MB RSS, against ~200 MB for a cluster
 * opened afterwards).
 */
async function buildTemplate(scratch: string): Promise<Buffer> {
  const out = join(scratch, 'cluster.tar');
  const script =
    // The CommonJS build resolves PGlite's CommonJS entry: its exports may come as `default`.
    `const pglite = await import(${JSON.stringify(pgliteEntry())});` +
    'const PGlite = pglite.PGlite ?? pglite.default.PGlite;' +
    "const { writeFileSync } = await import('node:fs');" +
    "const db = await PGlite.create(); const tar = await db.dumpDataDir('none');" +
    'writeFileSync(process.argv[1], Buffer.from(await tar.arrayBuffer())); await db.close();';
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, out]);
    return readFileSync(out);
  } catch (error) {
    const { stderr } = error as { stderr?: string | Buffer };
    const detail = (stderr ?? '').toString().trim();
    throw new Error(
      'creating the PGlite database failed' +
        (detail ? `: ${detail.split('\n').slice(-3).join(' ')}` : '.'),
    );
  } finally {
    rmSync(out, { force: true });
  }
}

/**
 * Writes the directories and regular files of a ustar archive under `target`. Only what PGlite's
 * dumpDataDir produces is accepted; any other entry, or a name leaving `target`, is an error.
 * Files are written in parallel: creating a file is the cost (~0.8 ms each on this project's
 * machine, ~1 000 files), and the thread pool overlaps some of it.
 */
export async function extractTar(tar: Buffer, target: string): Promise<void> {
  const files: [string, Buffer][] = [];
  const writeAll = async () => {
    for (let i = 0; i < files.length; i += 64) {
      await Promise.all(
        files.slice(i, i + 64).map(([path, data]) => writeFile(path, data, { mode: 0o600 })),
      );
    }
  };
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) return writeAll();
    const field = (start: number, length: number) =>
      header.toString('latin1', start, start + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = normalize((prefix ? `${prefix}/` : '') + field(0, 100)).replace(/^[/\\]+/, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    if (name === '' || name === '.' || name.split(sep).includes('..') || !Number.isFinite(size)) {
      throw new Error(`unexpected entry '${name}' in the cluster archive`);
    }
    const path = join(target, name);
    offset += 512;
    if (type === '5') mkdirSync(path, { recursive: true, mode: 0o700 });
    else if (type === '0') {
      if (offset + size > tar.length) throw new Error('truncated cluster archive');
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      files.push([path, tar.subarray(offset, offset + size)]);
    } else throw new Error(`unexpected entry type '${type}' in the cluster archive`);
    offset += Math.ceil(size / 512) * 512;
  }
  throw new Error('truncated cluster archive');
}

/** The cached template, unless missing or unreadable. */
function cachedTemplate(file: string): Buffer | undefined {
  try {
    return gunzipSync(readFileSync(file));
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written only costs the next new directory its initdb. */
function saveTemplate(file: string, tar: Buffer): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    chmodSync(dirname(file), 0o700);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, gzipSync(tar, { level: 1 }), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // no cache
  }
}

/**
 * Creates a PostgreSQL cluster in `path` (which exists and may hold other files, such as the
 * lock file). It is built in a subdirectory and moved in with PG_VERSION last, so an
 * interrupted start never leaves a half cluster that looks complete.
 */
export async function createCluster(path: string): Promise<void> {
  const staging = join(path, '.initdb');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  try {
    const templateFile = templatePath();
    let tar = cachedTemplate(templateFile);
    let fromCache = tar !== undefined;
    for (;;) {
      tar ??= await buildTemplate(staging);
      try {
        await extractTar(tar, join(staging, 'data'));
        break;
      } catch (error) {
        // A damaged cache entry is rebuilt once; a fresh archive that fails is a real error, and
        // so is a file-system error (a full or read-only disk is no reason to run initdb).
        if (!fromCache || (error as NodeJS.ErrnoException).code !== undefined) throw error;
        rmSync(join(staging, 'data'), { recursive: true, force: true });
        [tar, fromCache] = [undefined, false];
      }
    }
    if (!fromCache) saveTemplate(templateFile, tar);
    const data = join(staging, 'data');
    const entries = readdirSync(data).filter((name) => name !== CLUSTER_MARKER);
    for (const name of [...entries, CLUSTER_MARKER]) renameSync(join(data, name), join(path, name));
  } catch (error) {
    const fault = directoryFault(path, error);
    if (fault !== error) throw fault;
    throw new Error(
      `Embedded core storage ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
