import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshPostgresDatabase } from '../../test/support/postgres.js';
import { measure } from '../shared.js';
import {
  SOAK_CLEANUP_INTERVAL_MS,
  SOAK_CORE_CONFIG,
  SOAK_STORES,
  type CleanupRun,
  type SoakRows,
  type SoakStore,
} from './settings.js';

/**
 * A bounded soak: SOAK_SECONDS (60) of mixed traffic on 127.0.0.1 against a Nest app with
 * AuthModule on the embedded core, on each store named on the command line or in SOAK_STORE
 * (memory, pglite, postgres; default memory; postgres is a new database on TEST_POSTGRES_URL, as
 * scripts/with-postgres.mjs sets). 8 visits at a time, in turns of six kinds: a sign-up; a
 * password visit (sign in, guarded requests, a database-checked one, a refresh, more guarded
 * requests, sign out); a passwordless visit (code, consume, guarded requests, a refresh, sign
 * out); a password visit and a passwordless one that leave without signing out; and a code asked
 * for and never used. Lifetimes are short and the scheduled clean-up runs every 10 s
 * (settings.ts), so what is left behind expires and is deleted during the run.
 *
 * Every 2 s it samples the app's RSS, heap and (SQL stores) the rows of session_info,
 * passwordless_devices, passwordless_codes and the rate-limit counters. Passes when no request
 * failed; every sample's session and passwordless rows stay within what the visits of the last
 * lifetime + two clean-up intervals could have left (so the clean-up keeps up); a clean-up run
 * at the end leaves no expired row; the heap after a full GC is back within 8 MB of the baseline
 * taken after a warm-up; and the RSS of the last third is within 10% (32 MB at least) of the
 * middle third's (not growing steadily). Prints one JSON line per store; exits 1 if any failed.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.SOAK_WARMUP_SECONDS ?? 10);
const SAMPLE_MS = 2000;
const CONCURRENCY = 8;
const USERS = 16;
/** Client addresses (X-Forwarded-For) the visits take turns with. */
const ADDRESSES = 64;
const PASSWORD = 'soak-pass-123';
/** Heap growth still counted as "back to baseline": allocator and JIT noise, not a leak. */
const HEAP_TOLERANCE_BYTES = 8 * 1024 * 1024;
/**
 * RSS growth from the middle third to the last still counted as flat: 10%, and at least 32 MB,
 * as a 60 s run is still growing into its heap (V8 sizes it to the load) in its middle third.
 */
const RSS_TOLERANCE = 0.1;
const RSS_TOLERANCE_BYTES = 32 * 1024 * 1024;

type Kind =
  'signUp' | 'signIn' | 'guarded' | 'strict' | 'refresh' | 'signOut' | 'codeCreate' | 'codeConsume';

interface Sample {
  at: number;
  rss: number;
  heapUsed: number;
  rows: SoakRows | null;
  /** Errors and warnings the app logged so far. */
  logged: { errors: number; warnings: number };
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1));
const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / (values.length || 1);

/** The app in its own process, and a request/answer channel to it over IPC. */
async function startServer(env: Record<string, string>) {
  const server: ChildProcess = fork(fileURLToPath(new URL('./server.js', import.meta.url)), {
    execArgv: ['--expose-gc'],
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    server.once('message', (m) => resolve(m as { port: number }));
    server.once('exit', (code) => reject(new Error(`the soak app exited with ${code}`)));
  });
  const waiting = new Map<number, (body: unknown) => void>();
  server.on('message', (m: { id: number; body: unknown }) => waiting.get(m.id)?.(m.body));
  let id = 0;
  const ask = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const mine = ++id;
      waiting.set(mine, (body) => {
        waiting.delete(mine);
        resolve(body as T);
      });
      server.send({ id: mine, type });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.send({ id: ++id, type: 'stop' });
    });
  return { base: `http://127.0.0.1:${port}`, ask, stop };
}

async function soak(store: SoakStore) {
  const dir = store === 'pglite' ? mkdtempSync(join(tmpdir(), 'nest-supertokens-soak-')) : '';
  if (store === 'postgres' && !process.env.TEST_POSTGRES_URL) {
    throw new Error(
      'SOAK_STORE=postgres needs TEST_POSTGRES_URL: run under scripts/with-postgres.mjs',
    );
  }
  const database = store === 'postgres' ? await freshPostgresDatabase() : undefined;
  const server = await startServer({
    SOAK_STORE: store,
    ...(dir && { SOAK_PGLITE_DIR: join(dir, 'store') }),
    ...(database && { SOAK_POSTGRES_URL: database.url }),
  });
  try {
    return await drive(store, server);
  } finally {
    await server.stop();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

async function drive(store: SoakStore, server: Awaited<ReturnType<typeof startServer>>) {
  const { base, ask } = server;
  const latencies = new Map<Kind, number[]>();
  let address = 0;

  /** One request of `kind` from `from`; anything but `expected` fails the visit. */
  async function call(
    kind: Kind | undefined,
    from: string,
    path: string,
    init: RequestInit & { headers?: Record<string, string> },
    expected = 200,
  ): Promise<Response> {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { ...init.headers, 'x-forwarded-for': from },
    });
    const body = await response.text();
    if (kind) {
      const list = latencies.get(kind) ?? [];
      latencies.set(kind, list);
      list.push(performance.now() - started);
    }
    if (response.status !== expected) {
      throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${body}`);
    }
    // An SDK answer with a status other than OK (wrong code, email taken…) is a failure too.
    const status = body.startsWith('{') ? (JSON.parse(body) as { status?: string }).status : '';
    if (status && status !== 'OK') throw new Error(`${path} answered ${status}`);
    return new Response(body, { status: response.status, headers: response.headers });
  }
  const json = { 'content-type': 'application/json', 'st-auth-mode': 'header' };
  const form = (email: string) =>
    JSON.stringify({
      formFields: [
        { id: 'email', value: email },
        { id: 'password', value: PASSWORD },
      ],
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const stamp = Date.now();
  const emails = Array.from({ length: USERS }, (_, i) => `soak${i}@example.com`);
  for (const email of emails) {
    const signUp = await call(undefined, '10.9.0.1', '/auth/signup', {
      method: 'POST',
      headers: json,
      body: form(email),
    });
    await call(undefined, '10.9.0.1', '/auth/signout', {
      method: 'POST',
      headers: bearer(signUp.headers.get('st-access-token')!),
    });
  }

  /** When each session or code was left behind: the rows the clean-up has to delete. */
  const leftSessions: number[] = [];
  const leftCodes: number[] = [];
  let signUps = 0;
  const turns = Array.from({ length: CONCURRENCY }, () => 0);

  async function visit(slot: number): Promise<void> {
    const turn = turns[slot]++;
    const from = `10.0.0.${(address++ % ADDRESSES) + 1}`;
    // Contacts are per slot, so two visits at once never read each other's codes.
    const contact = (what: string) => `soak-${what}-${slot}-${turn % 8}@example.com`;
    let access = '';
    const guarded = async (times: number) => {
      for (let i = 0; i < times; i++) {
        const me = await call('guarded', from, '/me', { headers: bearer(access) });
        access = me.headers.get('st-access-token') ?? access;
      }
    };
    const refresh = async (token: string) => {
      const refreshed = await call('refresh', from, '/auth/session/refresh', {
        method: 'POST',
        headers: bearer(token),
      });
      access = refreshed.headers.get('st-access-token')!;
    };
    const signOut = () =>
      call('signOut', from, '/auth/signout', { method: 'POST', headers: bearer(access) });
    const askCode = async (email: string) => {
      const asked = await call('codeCreate', from, '/auth/signinup/code', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email }),
      });
      return (await asked.json()) as { deviceId: string; preAuthSessionId: string };
    };

    const kind = turn % 6;
    if (kind === 0) {
      const signUp = await call('signUp', from, '/auth/signup', {
        method: 'POST',
        headers: json,
        body: form(`soak-new-${stamp}-${slot}-${turn}@example.com`),
      });
      signUps++;
      access = signUp.headers.get('st-access-token')!;
      await guarded(4);
      await signOut();
    } else if (kind === 1 || kind === 3) {
      const signIn = await call('signIn', from, '/auth/signin', {
        method: 'POST',
        headers: json,
        body: form(emails[(slot + turn) % USERS]),
      });
      access = signIn.headers.get('st-access-token')!;
      await guarded(8);
      await call('strict', from, '/strict', { headers: bearer(access) });
      await refresh(signIn.headers.get('st-refresh-token')!);
      await guarded(4);
      if (kind === 1) await signOut();
      else leftSessions.push(Date.now());
    } else if (kind === 2 || kind === 4) {
      const email = contact('code');
      const device = await askCode(email);
      const read = await call(undefined, from, `/soak/code?to=${encodeURIComponent(email)}`, {});
      const { code } = (await read.json()) as { code: string };
      const consumed = await call('codeConsume', from, '/auth/signinup/code/consume', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ ...device, userInputCode: code }),
      });
      access = consumed.headers.get('st-access-token')!;
      await guarded(4);
      await refresh(consumed.headers.get('st-refresh-token')!);
      await guarded(2);
      if (kind === 2) await signOut();
      else leftSessions.push(Date.now());
    } else {
      await askCode(contact('left'));
      leftCodes.push(Date.now());
    }
  }

  const warmup = await measure(WARMUP_SECONDS, CONCURRENCY, visit);
  const baseline = await ask<{ heapUsed: number; rss: number; tokenCacheEntries?: number }>('heap');
  latencies.clear();
  signUps = 0;

  // What a sample may hold: rows left in the last lifetime + two clean-up intervals (the rows a
  // run just missed, and a run that is late), and one per visit in flight.
  const sessionWindow = SOAK_CORE_CONFIG.refreshTokenValidity * 60_000;
  const codeWindow = SOAK_CORE_CONFIG.passwordlessCodeLifetime;
  const leftSince = (times: number[], since: number) => times.filter((t) => t >= since).length;
  const samples: Sample[] = [];
  const overBound: string[] = [];
  const started = Date.now();
  const takeSample = async () => {
    const at = Date.now();
    const sample = { at, ...(await ask<Omit<Sample, 'at'>>('sample')) };
    samples.push(sample);
    if (!sample.rows) return;
    const slack = 2 * SOAK_CLEANUP_INTERVAL_MS;
    const sessions = leftSince(leftSessions, at - sessionWindow - slack) + CONCURRENCY;
    const codes = leftSince(leftCodes, at - codeWindow - slack) + CONCURRENCY;
    const { session_info, passwordless_devices, passwordless_codes } = sample.rows;
    if (session_info > sessions || passwordless_devices > codes || passwordless_codes > codes) {
      overBound.push(
        `${Math.round((at - started) / 1000)} s: ${JSON.stringify(sample.rows)}, bound ${sessions} sessions, ${codes} codes`,
      );
    }
  };
  await takeSample();
  let sampling = Promise.resolve();
  // Chained, so a slow answer (PGlite busy with a clean-up) never overlaps the next sample.
  const sampler = setInterval(() => void (sampling = sampling.then(takeSample)), SAMPLE_MS);
  const run = await measure(SECONDS, CONCURRENCY, visit);
  clearInterval(sampler);
  await sampling;
  const elapsed = (Date.now() - started) / 1000;
  await takeSample();

  const finalCleanup = await ask<CleanupRun>('cleanup');
  const scheduled = await ask<CleanupRun[]>('cleanups');
  const after = await ask<{ heapUsed: number; rss: number; tokenCacheEntries?: number }>('heap');

  const third = (from: number, to: number) =>
    average(
      samples
        .filter((s) => s.at >= started + (from * elapsed * 1000) / 3)
        .filter((s) => s.at < started + (to * elapsed * 1000) / 3)
        .map((s) => s.rss),
    );
  /** The RSS's course: the average of each tenth of the run, MB. */
  const rssByTenth = Array.from({ length: 10 }, (_, i) =>
    mb(third(i * 0.3, (i + 1) * 0.3 + 0.001)),
  );
  const rssMiddle = third(1, 2);
  const rssLast = third(2, 3.01);
  const latencyMs = Object.fromEntries(
    [...latencies].map(([kind, list]) => {
      const sorted = list.sort((a, b) => a - b);
      return [
        kind,
        { n: list.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) },
      ];
    }),
  );
  const all = [...latencies.values()].flat().sort((a, b) => a - b);
  const requests = all.length;
  const peakRows = (name: keyof SoakRows) => Math.max(...samples.map((s) => s.rows?.[name] ?? 0));
  const expiredLeft = finalCleanup.expiredAfter
    ? Object.values<number>({ ...finalCleanup.expiredAfter }).reduce((a, b) => a + b, 0)
    : 0;
  /** Rows the scheduled runs deleted, per table (rows written during a run blur it a little). */
  const deletedBy = (runs: CleanupRun[]) => {
    const deleted = { session_info: 0, passwordless_devices: 0, passwordless_codes: 0 };
    for (const { before, after: left } of runs) {
      for (const name of Object.keys(deleted) as (keyof typeof deleted)[]) {
        deleted[name] += Math.max(0, (before?.[name] ?? 0) - (left?.[name] ?? 0));
      }
    }
    return deleted;
  };
  const growth = after.heapUsed - baseline.heapUsed;
  const errors = run.errors + warmup.errors;
  const checks = {
    noErrors: errors === 0,
    rowsWithinBound: overBound.length === 0,
    noExpiredRowsAfterCleanup: expiredLeft === 0,
    heapBackToBaseline: growth < HEAP_TOLERANCE_BYTES,
    rssFlat: rssLast - rssMiddle <= Math.max(rssMiddle * RSS_TOLERANCE, RSS_TOLERANCE_BYTES),
  };
  const pass = Object.values(checks).every(Boolean);
  return {
    pass,
    line: {
      bench: 'soak',
      store,
      seconds: SECONDS,
      visits: run.ok,
      requests,
      requestsPerSec: Math.round(requests / elapsed),
      signUps,
      sessionsLeft: leftSessions.length,
      codesLeft: leftCodes.length,
      errors,
      appLogged: samples[samples.length - 1].logged,
      ...((run.firstError ?? warmup.firstError) && {
        firstError: run.firstError ?? warmup.firstError,
      }),
      p50Ms: percentile(all, 0.5),
      p99Ms: percentile(all, 0.99),
      latencyMs,
      rssStartMB: mb(samples[0].rss),
      rssMiddleThirdMB: mb(rssMiddle),
      rssLastThirdMB: mb(rssLast),
      rssEndMB: mb(samples[samples.length - 1].rss),
      rssPeakMB: mb(Math.max(...samples.map((s) => s.rss))),
      rssAfterGcMB: mb(after.rss),
      rssByTenthMB: rssByTenth,
      heapBaselineMB: mb(baseline.heapUsed),
      heapAfterMB: mb(after.heapUsed),
      heapGrowthMB: mb(growth),
      tokenCacheEntries: { baseline: baseline.tokenCacheEntries, after: after.tokenCacheEntries },
      ...(samples[0].rows && {
        peakRows: {
          session_info: peakRows('session_info'),
          passwordless_devices: peakRows('passwordless_devices'),
          passwordless_codes: peakRows('passwordless_codes'),
          nest_supertokens_counters: peakRows('nest_supertokens_counters'),
        },
      }),
      scheduledCleanups: scheduled.length,
      scheduledCleanupMaxMs: Math.max(0, ...scheduled.map((r) => r.ms)),
      ...(samples[0].rows && {
        scheduledCleanupDeleted: deletedBy(scheduled),
        lastScheduledCleanup: scheduled.length
          ? { before: scheduled.at(-1)!.before, after: scheduled.at(-1)!.after }
          : null,
      }),
      finalCleanup: {
        before: finalCleanup.before,
        after: finalCleanup.after,
        expiredAfter: finalCleanup.expiredAfter,
        ms: finalCleanup.ms,
      },
      ...(overBound.length > 0 && { overBound: overBound.slice(0, 3) }),
      checks,
      pass,
    },
  };
}

async function main(): Promise<void> {
  const named = process.argv.slice(2).length
    ? process.argv.slice(2)
    : (process.env.SOAK_STORE ?? 'memory').split(',');
  const unknown = named.filter((name) => !SOAK_STORES.includes(name as SoakStore));
  if (unknown.length)
    throw new Error(`unknown store ${unknown.join(', ')}: use memory, pglite or postgres`);
  let failed = false;
  for (const store of named as SoakStore[]) {
    const { pass, line } = await soak(store);
    console.log(JSON.stringify(line));
    failed ||= !pass;
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
