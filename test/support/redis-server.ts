import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './free-port.js';

/**
 * A redis-server of the suite's own (not the shared TEST_REDIS_URL one: this one gets stopped),
 * on 127.0.0.1 and a free port, without persistence; `scripts/with-redis.mjs` installed the
 * binary. `stop()` and `start()` take it down and bring it back on the same port.
 */
export interface OwnRedisServer {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const accepting = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export async function ownRedisServer(): Promise<OwnRedisServer> {
  const port = await freePort();
  let server: ChildProcess | undefined;
  const handle: OwnRedisServer = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const child = spawn(
        '/usr/bin/redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      server = child;
      for (let waited = 0; !(await accepting(port)); waited += 50) {
        if (waited > 10_000 || child.exitCode !== null)
          throw new Error('redis-server did not start');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      const child = server;
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
  await handle.start();
  return handle;
}
