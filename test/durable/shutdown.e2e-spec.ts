// A deploy's SIGTERM during a sign-up load, to the built example app (`npm start`'s dist/main.js,
// which calls enableShutdownHooks) on PGlite in a directory: the requests in flight complete,
// later ones are refused (never a 500 or a cut-off answer), the process exits on its own within
// 10 s with PGlite shut down cleanly (so the next start does no crash recovery), and every
// acknowledged sign-up signs in after the restart.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuiltApp, ensureBuilt, startBuiltApp } from '../support/built.js';
import { freePort } from '../support/free-port.js';

const CLIENTS = 6;

type Outcome = { status: number; body: Record<string, unknown> } | { error: string };

/**
 * One POST on a connection of its own from its own loopback address (127.0.0.0/8 is all this
 * machine), so the example's per-IP sign-up limit is not what answers.
 */
function post(port: number, path: string, body: object, from: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', 'st-auth-mode': 'header' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            parsed = { unparsed: text };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        // A response that starts and is then cut off is what a clean shutdown must never do.
        res.on('aborted', () => resolve({ error: 'response cut off' }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code ?? error.message }),
    );
    req.end(JSON.stringify(body));
  });
}

const form = (email: string) => ({
  formFields: [
    { id: 'email', value: email },
    { id: 'password', value: 'correct-horse-9' },
  ],
});

/** 127.1.x.y, a new one each call. */
let nextAddress = 0;
const address = () => {
  nextAddress++;
  return `127.1.${Math.floor(nextAddress / 250)}.${(nextAddress % 250) + 1}`;
};

/** pg_control's DBState (after the system identifier and two version numbers): 1 = shut down. */
const clusterState = (dir: string) =>
  readFileSync(join(dir, 'global', 'pg_control')).readInt32LE(16);

describe('SIGTERM during a sign-up load (built example app, PGlite)', () => {
  let work: string;
  let data: string;
  let port: number;
  let app: BuiltApp | undefined;
  const start = async () => {
    app = await startBuiltApp({ NODE_ENV: 'development', SUPERTOKENS_STORAGE: data }, work, port);
  };

  beforeAll(async () => {
    await ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'nst-shutdown-'));
    data = join(work, 'data');
    port = await freePort();
  }, 180_000);
  afterAll(() => {
    void app?.stop('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('finishes what is in flight, refuses the rest cleanly, exits in time and loses nothing', async () => {
    await start();
    const acknowledged: string[] = [];
    /** Sent before the signal: each must get its whole answer. */
    const inFlight: Outcome[] = [];
    /** Sent after it: answered, or refused at connect. */
    const later: Outcome[] = [];
    let signalled = false;
    let answeredAcrossTheSignal = 0;
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let n = 0; ; n++) {
        const email = `load-${c}-${n}-${Date.now()}@example.com`;
        const sentBeforeSignal = !signalled;
        const outcome = await post(port, '/auth/signup', form(email), address());
        (sentBeforeSignal ? inFlight : later).push(outcome);
        if (sentBeforeSignal && signalled) answeredAcrossTheSignal++;
        if ('status' in outcome && outcome.status === 200 && outcome.body.status === 'OK') {
          acknowledged.push(email);
        }
        // Refused: the app is going away (a load balancer would send it elsewhere).
        if ('error' in outcome) return;
      }
    });
    while (acknowledged.length < 12) await new Promise((resolve) => setTimeout(resolve, 50));

    const exitedInTime = new Promise<boolean>((resolve) => {
      const deadline = setTimeout(() => resolve(false), 10_000);
      app!.child.once('exit', () => {
        clearTimeout(deadline);
        resolve(true);
      });
    });
    signalled = true;
    app!.child.kill('SIGTERM');
    const exited = await exitedInTime;
    await Promise.all(clients);

    expect({ exitedWithin10s: exited, log: exited ? '' : app!.output() }).toEqual({
      exitedWithin10s: true,
      log: '',
    });
    // What was sent before the signal got its whole answer, none of them a failure...
    expect(inFlight.filter((o) => !('status' in o) || o.status >= 500)).toEqual([]);
    expect(answeredAcrossTheSignal).toBeGreaterThan(0);
    // ...and what came after was answered or refused at connect: the listener closed
    // (ECONNREFUSED), or the kernel reset a connection it had queued but the app never read.
    const unclean = later.filter((o) =>
      'status' in o
        ? ![200, 503].includes(o.status)
        : !['ECONNREFUSED', 'ECONNRESET'].includes(o.error),
    );
    expect(unclean).toEqual([]);
    expect(later.some((o) => 'error' in o && o.error === 'ECONNREFUSED')).toBe(true);
    // PGlite was shut down, not left to crash recovery, and the directory lock released.
    expect(clusterState(data)).toBe(1);
    expect(existsSync(join(data, 'nest-supertokens.lock'))).toBe(false);

    // The next start: every acknowledged account signs in with its password.
    await start();
    for (const email of acknowledged) {
      const signedIn = await post(port, '/auth/signin', form(email), address());
      expect({ email, outcome: signedIn }).toEqual({
        email,
        outcome: { status: 200, body: expect.objectContaining({ status: 'OK' }) },
      });
    }
    await app!.stop();
  }, 240_000);
});
