import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/**
 * A PostgreSQL cluster of the suite's own, on 127.0.0.1 and a free port: one a test can stop and
 * start again without touching the server the other suites share (`scripts/with-postgres.mjs`,
 * which installed the binaries). `stop()` is a fast shutdown, as a restart or failover does.
 */
export interface OwnPostgres {
  url: string;
  start(): void;
  stop(): void;
  /** Stops the server and deletes its files. */
  remove(): void;
}

function binaries(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root))
    throw new Error('PostgreSQL is not installed: run through with-postgres.mjs');
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return join(root, version, 'bin');
}

/** initdb and pg_ctl refuse root: run them as the postgres user when we are root. */
const asServerUser = (file: string, args: string[]) =>
  process.getuid?.() === 0
    ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe' })
    : execFileSync(file, args, { stdio: 'pipe' });

export async function ownPostgres(): Promise<OwnPostgres> {
  const bin = binaries();
  const dir = mkdtempSync(join(tmpdir(), 'nst-own-pg-'));
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString());
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = join(dir, 'data');
  asServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const port = await freePort();
  const pgCtl = (...args: string[]) => asServerUser(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const server: OwnPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () =>
      void pgCtl(
        '-l',
        join(dir, 'server.log'),
        '-w',
        '-t',
        '60',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        'start',
      ),
    stop: () => void pgCtl('-m', 'fast', '-w', 'stop'),
    remove() {
      try {
        pgCtl('-m', 'immediate', '-w', 'stop');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  server.start();
  return server;
}
