import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../shared.js';

/**
 * The example app's start-up, as a user sees it: from `node dist/main.js` (run `nest build`
 * first; `npm run bench:startup` does) to the first 200 from GET /public, on a new PGlite
 * directory and again on the same directory (the data already there). Then a sign-up and the
 * first guarded request (GET /me), which includes the SDK's first fetch of the core's signing
 * keys. A new directory is measured twice: with PGlite's cluster template not yet in the user
 * cache (the first new directory on a machine runs initdb) and with it (every later one). BENCH_ROUNDS rounds, medians reported; the app's RSS at the end of each run.
 * Prints one JSON line.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MAIN = fileURLToPath(new URL('../../../dist/main.js', import.meta.url));

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
  toFirst200Ms: number;
  firstGuardedMs: number;
  secondGuardedMs: number;
  rssMB: number;
}

async function startOnce(dir: string, email: string, cache: string): Promise<Run> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const app = spawn(process.execPath, [MAIN], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      SUPERTOKENS_STORAGE: dir,
      NODE_ENV: 'development',
      XDG_CACHE_HOME: cache,
    },
  });
  const exited = new Promise<void>((resolve) => app.once('exit', () => resolve()));
  try {
    for (;;) {
      if (app.exitCode !== null) throw new Error(`the app exited with ${app.exitCode}`);
      const response = await fetch(`${base}/public`).catch(() => undefined);
      if (response?.status === 200) break;
      await sleep(5);
    }
    const toFirst200Ms = performance.now() - started;
    const signUp = await fetch(`${base}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'st-auth-mode': 'header' },
      body: JSON.stringify({
        formFields: [
          { id: 'email', value: email },
          { id: 'password', value: 'startup-pass-123' },
        ],
      }),
    });
    const token = signUp.headers.get('st-access-token');
    if (signUp.status !== 200 || !token) throw new Error(`sign-up answered ${signUp.status}`);
    const guarded = async () => {
      const t = performance.now();
      const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
      if (me.status !== 200) throw new Error(`GET /me answered ${me.status}`);
      await me.arrayBuffer();
      return performance.now() - t;
    };
    const firstGuardedMs = await guarded();
    const secondGuardedMs = await guarded();
    const status = readFileSync(`/proc/${app.pid}/status`, 'utf8');
    const rssMB = Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 102.4) / 10;
    return { toFirst200Ms, firstGuardedMs, secondGuardedMs, rssMB };
  } finally {
    app.kill('SIGTERM');
    await exited;
  }
}

const summarise = (runs: Run[]) => ({
  toFirst200Ms: Math.round(median(runs.map((r) => r.toFirst200Ms))),
  firstGuardedMs: Number(median(runs.map((r) => r.firstGuardedMs)).toFixed(1)),
  secondGuardedMs: Number(median(runs.map((r) => r.secondGuardedMs)).toFixed(1)),
  rssMB: median(runs.map((r) => r.rssMB)),
  allToFirst200Ms: runs.map((r) => Math.round(r.toFirst200Ms)),
});

async function main(): Promise<void> {
  const cold: Run[] = [];
  const fresh: Run[] = [];
  const existing: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const dir = mkdtempSync(join(tmpdir(), 'nest-supertokens-startup-'));
    const cache = join(dir, 'cache');
    try {
      cold.push(await startOnce(join(dir, 'cold'), `cold-${round}@example.com`, cache));
      fresh.push(await startOnce(join(dir, 'store'), `first-${round}@example.com`, cache));
      existing.push(await startOnce(join(dir, 'store'), `second-${round}@example.com`, cache));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const newDirFirstOnMachine = summarise(cold);
  const newDir = summarise(fresh);
  const existingDir = summarise(existing);
  console.log(
    JSON.stringify({
      bench: 'startup',
      rounds: ROUNDS,
      newDirFirstOnMachine,
      newDir,
      existingDir,
      goals: {
        newDirAtMost2500Ms: newDir.toFirst200Ms <= 2500,
        existingDirAtMost1500Ms: existingDir.toFirst200Ms <= 1500,
        firstGuardedAtMost50Ms: Math.max(newDir.firstGuardedMs, existingDir.firstGuardedMs) <= 50,
      },
    }),
  );
}

void main();
