#!/usr/bin/env node
// Runs a command with TEST_POSTGRES_URL pointing at a throw-away PostgreSQL server on 127.0.0.1.
// Installs Debian's postgresql package when it is missing (CI starts on a fresh machine), starts
// a cluster in a temporary directory on a free port, and stops and removes it afterwards.
// A TEST_POSTGRES_URL already set (your own server) is used as it is.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-postgres.mjs <command> [args...]');
  process.exit(2);
}

function pgBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root) || readdirSync(root).length === 0) {
    console.log('[with-postgres] installing Debian postgresql (apt-get)…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return join(root, version, 'bin');
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** initdb refuses to run as root: run the server as the postgres user when we are root. */
function asServerUser(file, fileArgs) {
  const root = process.getuid?.() === 0;
  return root
    ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...fileArgs], { stdio: 'pipe' })
    : execFileSync(file, fileArgs, { stdio: 'pipe' });
}

async function startServer() {
  // Tests run with fsync off (a throw-away cluster); benchmarks set WITH_POSTGRES_FSYNC=on so the
  // server pays for durable commits as a real one does.
  const fsync = process.env.WITH_POSTGRES_FSYNC === 'on' ? 'on' : 'off';
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'nest-supertokens-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  asServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  asServerUser(join(bin, 'pg_ctl'), [
    '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60',
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${fsync}`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

const server = process.env.TEST_POSTGRES_URL ? undefined : await startServer();
const env = { ...process.env, TEST_POSTGRES_URL: process.env.TEST_POSTGRES_URL ?? server.url };
const child = spawn(command, args, { stdio: 'inherit', env });
const finish = (code) => {
  server?.stop();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => finish(code ?? (signal ? 1 : 0)));
