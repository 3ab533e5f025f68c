import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Runs `worker` from `concurrency` loops for `seconds`; counts successes and failures. */
export async function measure(
  seconds: number,
  concurrency: number,
  worker: (slot: number) => Promise<void>,
): Promise<{ perSecond: number; ok: number; errors: number; firstError?: string }> {
  const until = Date.now() + seconds * 1000;
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, slot) => {
      while (Date.now() < until) {
        try {
          await worker(slot);
          ok++;
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: Math.round(ok / elapsed), ok, errors, ...(firstError && { firstError }) };
}

export interface CoreProcess {
  uri: string;
  pid: number;
  /** Resident memory of the core process now, in MB (from /proc; Linux). */
  rssMB: () => number;
  stop: () => Promise<void>;
}

/**
 * Starts the embedded core as its own process (the standalone command, as `npm run core` runs
 * it) on a free port with the given `--storage` and API key, and returns its URI. `cli` is
 * another build's `core/cli.js`, to compare with (`BENCH_BASELINE`).
 */
export async function startCoreProcess(
  storage: string,
  apiKey: string,
  cli = fileURLToPath(new URL('../src/core/cli.js', import.meta.url)),
): Promise<CoreProcess> {
  const child = spawn(
    process.execPath,
    [cli, '--port', '0', '--storage', storage, '--api-key', apiKey],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const uri = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`core exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening: (http:\/\/\S+)/.exec(chunk.toString());
      if (match?.[1]) resolve(match[1]);
    });
  });
  const pid = child.pid!;
  return {
    uri,
    pid,
    rssMB: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return Math.round(kb / 102.4) / 10;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** The appInfo every benchmark app uses. */
export const BENCH_APP_INFO = {
  appName: 'bench',
  apiDomain: 'http://localhost:3000',
  websiteDomain: 'http://localhost:3001',
};
