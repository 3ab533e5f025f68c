import { spawn } from 'node:child_process';
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

/** Starts the embedded core as its own process (the standalone command) and returns its URI. */
export async function startCoreProcess(): Promise<{ uri: string; stop: () => void }> {
  const cli = fileURLToPath(new URL('../src/core/cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`core exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening: (http:\/\/\S+)/.exec(chunk.toString());
      if (match?.[1]) resolve(match[1]);
    });
  });
  return { uri, stop: () => child.kill('SIGTERM') };
}
