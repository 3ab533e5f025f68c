#!/usr/bin/env node
// Runs a command with TEST_POSTGRES_URL pointing at a throw-away PostgreSQL server on 127.0.0.1.
// Installs Debian's postgresql package when it is missing (CI starts on a fresh machine), starts
// a cluster in a temporary directory on a free port, and stops and removes it afterwards.
// A TEST_POSTGRES_URL already set (your own server) is used as it is.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall, commandLine, freePort, runWithService } from './lib/test-service.mjs';

const commandToRun = commandLine('with-postgres.mjs');

function pgBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root) || readdirSync(root).length === 0) aptInstall('with-postgres', 'postgresql');
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return join(root, version, 'bin');
}

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

await runWithService('TEST_POSTGRES_URL', startServer, commandToRun);
