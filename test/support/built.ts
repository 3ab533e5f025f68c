import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The checkout (the suites run from it: `npm run test:e2e`). */
export const ROOT = resolve(process.cwd());

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Suites in two jest workers may both want the build at once, and `nest build` empties dist/
 * first: one at a time, by a lock file with the builder's pid (a dead builder's lock is taken).
 */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `nest-supertokens-build-${Buffer.from(ROOT).toString('hex')}.lock`);
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(existsSync(lock) ? readFileSync(lock, 'utf8') : 0);
      if (owner > 0 && !alive(owner)) rmSync(lock, { force: true });
      else await new Promise((done) => setTimeout(done, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

let built: Promise<void> | undefined;

/**
 * dist/ as `npm start` runs it, built now if src/ changed since the last build (as
 * `scripts/run-built.mjs` decides): for the suites that start the app or the core in a process
 * of its own, as a deploy does.
 */
export function ensureBuilt(): Promise<void> {
  built ??= withBuildLock(
    () =>
      new Promise<void>((done, fail) => {
        const child = spawn(process.execPath, ['scripts/run-built.mjs', '--build-only'], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('exit', (code) =>
          code === 0 ? done() : fail(new Error(`the build failed (${code}):\n${output}`)),
        );
      }),
  );
  return built;
}

/** The built example app (`npm run start:prod`) in a process of its own. */
export interface BuiltApp {
  readonly port: number;
  readonly child: ChildProcess;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** Sends SIGTERM (unless told another signal) and resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts dist/main.js with only `env` (plus PATH and HOME) in `cwd`, a directory of the test's
 * (no .env of the checkout, as on a server), and resolves once GET /public answers.
 */
export async function startBuiltApp(
  env: Record<string, string>,
  cwd: string,
  port: number,
): Promise<BuiltApp> {
  await ensureBuilt();
  let output = '';
  const child = spawn(process.execPath, [join(ROOT, 'dist/main.js')], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const app: BuiltApp = {
    port,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`the app exited at start:\n${output}`);
    if (waited > 60_000) {
      await app.stop('SIGKILL');
      throw new Error(`the app did not start in 60 s:\n${output}`);
    }
    const ready = await fetch(`http://127.0.0.1:${port}/public`).catch(() => undefined);
    if (ready?.status === 200) return app;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
