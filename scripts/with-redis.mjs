#!/usr/bin/env node
// Runs a command with TEST_REDIS_URL pointing at a throw-away redis-server on 127.0.0.1 (no
// persistence, a free port). Installs Debian's redis-server package when it is missing (CI
// starts on a fresh machine) and stops the server afterwards. A TEST_REDIS_URL already set (your
// own server) is used as it is.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-redis.mjs <command> [args...]');
  process.exit(2);
}

function redisBinary() {
  const binary = '/usr/bin/redis-server';
  if (!existsSync(binary)) {
    console.log('[with-redis] installing Debian redis-server (apt-get)…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  return binary;
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

const accepting = (port) =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function startServer() {
  const port = await freePort();
  const server = spawn(
    redisBinary(),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let waited = 0; !(await accepting(port)); waited += 50) {
    if (waited > 10_000 || server.exitCode !== null) throw new Error('redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => server.kill('SIGTERM') };
}

const server = process.env.TEST_REDIS_URL ? undefined : await startServer();
const env = { ...process.env, TEST_REDIS_URL: process.env.TEST_REDIS_URL ?? server.url };
const child = spawn(command, args, { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  server?.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
