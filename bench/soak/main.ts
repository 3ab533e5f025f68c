import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure } from '../shared.js';

/**
 * A bounded soak: SOAK_SECONDS (60) of mixed traffic on 127.0.0.1 against a Nest app with
 * AuthModule on the embedded core. Each loop is a user's visit: sign in, guarded requests, a
 * database-checked one, a refresh, more guarded requests, sign out. Passes when no request fails
 * and, once every visit has signed out, the server's heap (after a full GC) and its live sessions
 * are back at the baseline taken after a warm-up. Prints one JSON line; exits 1 on failure.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.SOAK_WARMUP_SECONDS ?? 10);
const CONCURRENCY = 8;
const USERS = 16;
const PASSWORD = 'soak-pass-123';
/** Heap growth still counted as "back to baseline": allocator and JIT noise, not a leak. */
const HEAP_TOLERANCE_BYTES = 8 * 1024 * 1024;

function ask<T>(server: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    server.once('message', (reply) => resolve(reply as T));
    server.send(message);
  });
}

async function main(): Promise<void> {
  const server = fork(fileURLToPath(new URL('./server.js', import.meta.url)), {
    execArgv: ['--expose-gc'],
    stdio: 'inherit',
  });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    server.once('message', (m) => resolve(m as { port: number })),
  );
  const base = `http://127.0.0.1:${port}`;
  const counts = { signIn: 0, guarded: 0, strict: 0, refresh: 0, signOut: 0 };

  async function call(path: string, init: RequestInit, expected = 200): Promise<Response> {
    const response = await fetch(`${base}${path}`, init);
    if (response.status !== expected) {
      throw new Error(
        `${init.method ?? 'GET'} ${path} answered ${response.status}: ${await response.text()}`,
      );
    }
    return response;
  }
  const json = { 'content-type': 'application/json', 'st-auth-mode': 'header' };
  const form = (email: string) =>
    JSON.stringify({
      formFields: [
        { id: 'email', value: email },
        { id: 'password', value: PASSWORD },
      ],
    });
  const emails = Array.from({ length: USERS }, (_, i) => `soak${i}@example.com`);
  const userIds: string[] = [];
  for (const email of emails) {
    const signUp = await call('/auth/signup', { method: 'POST', headers: json, body: form(email) });
    userIds.push(((await signUp.json()) as { user: { id: string } }).user.id);
    await call('/auth/signout', {
      method: 'POST',
      headers: { authorization: `Bearer ${signUp.headers.get('st-access-token')}` },
    });
  }

  let visit = 0;
  async function userVisit(): Promise<void> {
    const email = emails[visit++ % USERS];
    const signIn = await call('/auth/signin', { method: 'POST', headers: json, body: form(email) });
    counts.signIn++;
    let access = signIn.headers.get('st-access-token')!;
    const refresh = signIn.headers.get('st-refresh-token')!;
    const guarded = async (times: number) => {
      for (let i = 0; i < times; i++) {
        const me = await call('/me', { headers: { authorization: `Bearer ${access}` } });
        access = me.headers.get('st-access-token') ?? access;
        counts.guarded++;
      }
    };
    await guarded(8);
    await call('/strict', { headers: { authorization: `Bearer ${access}` } });
    counts.strict++;
    const refreshed = await call('/auth/session/refresh', {
      method: 'POST',
      headers: { authorization: `Bearer ${refresh}` },
    });
    counts.refresh++;
    access = refreshed.headers.get('st-access-token')!;
    await guarded(4);
    await call('/auth/signout', { method: 'POST', headers: { authorization: `Bearer ${access}` } });
    counts.signOut++;
  }

  const warmup = await measure(WARMUP_SECONDS, CONCURRENCY, userVisit);
  const baseline = await ask<{ heapUsed: number }>(server, { type: 'heap' });
  const baselineSessions = await ask<{ sessions: number }>(server, { type: 'sessions', userIds });
  Object.keys(counts).forEach((k) => (counts[k as keyof typeof counts] = 0));

  const soak = await measure(SECONDS, CONCURRENCY, userVisit);
  const after = await ask<{ heapUsed: number; rss: number }>(server, { type: 'heap' });
  const afterSessions = await ask<{ sessions: number }>(server, { type: 'sessions', userIds });
  server.send({ type: 'stop' });

  const growth = after.heapUsed - baseline.heapUsed;
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const requests = Object.values(counts).reduce((a, b) => a + b, 0);
  const pass =
    soak.errors === 0 &&
    warmup.errors === 0 &&
    growth < HEAP_TOLERANCE_BYTES &&
    afterSessions.sessions === baselineSessions.sessions;
  console.log(
    JSON.stringify({
      bench: 'soak',
      seconds: SECONDS,
      visits: soak.ok,
      requests,
      requestsPerSec: Math.round(requests / SECONDS),
      ...counts,
      errors: soak.errors + warmup.errors,
      ...(soak.firstError && { firstError: soak.firstError }),
      heapBaselineMB: mb(baseline.heapUsed),
      heapAfterMB: mb(after.heapUsed),
      heapGrowthMB: mb(growth),
      rssAfterMB: mb(after.rss),
      liveSessionsBaseline: baselineSessions.sessions,
      liveSessionsAfter: afterSessions.sessions,
      pass,
    }),
  );
  process.exitCode = pass ? 0 : 1;
}

void main();
