import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { CoreConfig } from '../../src/core/index.js';
import { ensureBuilt, ROOT } from './built.js';

/** An embedded core in a process of its own (the build's), whose clock the test moves. */
export interface CoreProcess {
  readonly connectionURI: string;
  readonly apiKey: string;
  /** Sets the core's clock to real time + `ms`; resolves once the core has it. */
  setClockOffset(ms: number): Promise<void>;
  stop(): Promise<void>;
}

const reply = <T>(child: ChildProcess, pick: (message: unknown) => T | undefined) =>
  new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const value = pick(message);
      if (value === undefined) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(value);
    };
    const onExit = (code: number | null) => reject(new Error(`the core process exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });

export async function startCoreProcess(options: {
  postgres: string;
  apiKey: string;
  config?: Partial<CoreConfig>;
}): Promise<CoreProcess> {
  await ensureBuilt();
  const child = fork(join(ROOT, 'scripts/lib/clocked-core.mjs'), {
    env: { ...process.env, CLOCKED_CORE: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const connectionURI = await reply(child, (m) => (m as { connectionURI?: string }).connectionURI);
  return {
    connectionURI,
    apiKey: options.apiKey,
    async setClockOffset(ms) {
      const acknowledged = reply(
        child,
        (m) => (m as { offset?: number }).offset === ms || undefined,
      );
      child.send({ offset: ms });
      await acknowledged;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ stop: true });
      await exited;
    },
  };
}
