#!/usr/bin/env node
// Runs a command with TEST_REDIS_URL pointing at a throw-away redis-server on 127.0.0.1 (no
// persistence, a free port). Installs Debian's redis-server package when it is missing (CI
// starts on a fresh machine) and stops the server afterwards. A TEST_REDIS_URL already set (your
// own server) is used as it is.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { aptInstall, commandLine, freePort, runWithService } from './lib/test-service.mjs';

const commandToRun = commandLine('with-redis.mjs');

function redisBinary() {
  const binary = '/usr/bin/redis-server';
  if (!existsSync(binary)) aptInstall('with-redis', 'redis-server');
  return binary;
}

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

await runWithService('TEST_REDIS_URL', startServer, commandToRun);
