import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { median } from '../shared.js';

/**
 * What an attacker gets from the auth APIs, before the built-in limits (RATE_LIMIT=off) and with
 * their defaults, each app in its own process:
 * - guesses per second one client gets: passwords on /auth/signin and the dashboard sign-in,
 *   one-time codes on /auth/signinup/code/consume, reset tokens on /auth/user/password/reset
 *   (an answer that judged the guess counts; 429s do not);
 * - a real user's sign-in latency (p50/p99) while 32 wrong sign-ins for another account are in
 *   flight from 32 addresses, against their idle latency (goal: ≤ 2×);
 * - sign-in medians for a known and an unknown email (goal: ratio within 0.8–1.25);
 * - sign-ins and sign-ups per second from 16 clients (the official core 11.4.7 did 13–14/s on
 *   PostgreSQL on a 2-core machine; NEST_SUPERTOKENS_HASH_THREADS compares thread counts).
 * Prints one JSON line.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);

interface Target {
  base: string;
  child: ChildProcess;
}

async function startApp(rateLimit: 'on' | 'off'): Promise<Target> {
  const child = fork(fileURLToPath(new URL('./server.js', import.meta.url)), {
    stdio: 'inherit',
    env: { ...process.env, RATE_LIMIT: rateLimit },
  });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    child.once('message', (m) => resolve(m as { port: number })),
  );
  return { base: `http://127.0.0.1:${port}`, child };
}

const json = { 'content-type': 'application/json' };
const form = (email: string, password: string) =>
  JSON.stringify({
    formFields: [
      { id: 'email', value: email },
      { id: 'password', value: password },
    ],
  });

async function post(base: string, path: string, body: string, from = '198.51.100.1') {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...json, 'x-forwarded-for': from },
    body,
  });
  const answer = (await response.json()) as { status?: string };
  return { status: response.status, answer, ms: performance.now() - started };
}

/** Judged guesses per second from one client (one address), 4 requests in flight. */
async function guessRate(guess: () => Promise<boolean>): Promise<number> {
  const until = Date.now() + SECONDS * 1000;
  let judged = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (Date.now() < until) if (await guess()) judged++;
    }),
  );
  return Number((judged / SECONDS).toFixed(1));
}

async function guessRates(base: string) {
  const victim = `victim-${Date.now()}@example.com`;
  await post(base, '/auth/signup', form(victim, 'right-password-1'), '192.0.2.1');
  let device: { deviceId: string; preAuthSessionId: string } | undefined;
  let phone = 0;
  return {
    signIn: await guessRate(
      async () => (await post(base, '/auth/signin', form(victim, 'guess-1'))).status === 200,
    ),
    dashboardSignIn: await guessRate(
      async () =>
        (
          await post(
            base,
            '/auth/dashboard/api/signin',
            JSON.stringify({ email: 'ops@example.com', password: 'guess-1' }),
          )
        ).status === 200,
    ),
    codeConsume: await guessRate(async () => {
      if (!device) {
        const started = await post(
          base,
          '/auth/signinup/code',
          JSON.stringify({ phoneNumber: `+1650555${String(++phone % 10_000).padStart(4, '0')}` }),
        );
        if (started.status !== 200) return false;
        const { deviceId, preAuthSessionId } = started.answer as Record<string, string>;
        device = { deviceId, preAuthSessionId };
      }
      const tried = await post(
        base,
        '/auth/signinup/code/consume',
        JSON.stringify({ ...device, userInputCode: '000000' }),
      );
      if (tried.answer.status !== 'INCORRECT_USER_INPUT_CODE_ERROR') device = undefined;
      return tried.status === 200;
    }),
    resetToken: await guessRate(
      async () =>
        (
          await post(
            base,
            '/auth/user/password/reset',
            JSON.stringify({
              method: 'token',
              token: 'guess',
              formFields: [{ id: 'password', value: 'new-password-1' }],
            }),
          )
        ).status === 200,
    ),
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1));
};

/** A real user's sign-ins, alone and while 32 wrong sign-ins for another account are in flight. */
async function userUnderAttack(base: string) {
  const user = `user-${Date.now()}@example.com`;
  const target = `target-${Date.now()}@example.com`;
  await post(base, '/auth/signup', form(user, 'user-password-1'), '192.0.2.2');
  await post(base, '/auth/signup', form(target, 'target-password-1'), '192.0.2.3');
  // Each sign-in from its own address: one address signing in this often would be limited.
  let address = 0;
  const signIn = () =>
    post(
      base,
      '/auth/signin',
      form(user, 'user-password-1'),
      `10.1.${++address % 250}.${address >> 8}`,
    );
  const idle: number[] = [];
  for (let i = 0; i < SAMPLES; i++) idle.push((await signIn()).ms);
  let attacking = true;
  let attackerAnswers = 0;
  const attackers = Array.from({ length: 32 }, async (_, i) => {
    while (attacking) {
      await post(base, '/auth/signin', form(target, 'wrong-1'), `203.0.113.${i + 1}`);
      attackerAnswers++;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const attacked: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const result = await signIn();
    if (result.answer.status !== 'OK') throw new Error(`the real user got ${result.status}`);
    attacked.push(result.ms);
  }
  attacking = false;
  await Promise.all(attackers);
  return {
    idleP50Ms: percentile(idle, 0.5),
    idleP99Ms: percentile(idle, 0.99),
    attackedP50Ms: percentile(attacked, 0.5),
    attackedP99Ms: percentile(attacked, 0.99),
    p50VsIdle: Number((percentile(attacked, 0.5) / percentile(idle, 0.5)).toFixed(2)),
    attackerAnswers,
  };
}

/** Sign-ins (right passwords, 16 accounts, 16 clients) and sign-ups answered per second. */
async function throughput(base: string) {
  const stamp = Date.now();
  const accounts = Array.from({ length: 16 }, (_, i) => `busy-${stamp}-${i}@example.com`);
  await Promise.all(
    accounts.map((email, i) =>
      post(base, '/auth/signup', form(email, 'pw-12345678'), `10.3.0.${i}`),
    ),
  );
  const rate = async (request: (client: number, n: number) => Promise<boolean>) => {
    const until = Date.now() + SECONDS * 1000;
    let ok = 0;
    await Promise.all(
      accounts.map(async (_, client) => {
        for (let n = 0; Date.now() < until; n++) if (await request(client, n)) ok++;
      }),
    );
    return Number((ok / SECONDS).toFixed(1));
  };
  return {
    signInsPerSecond: await rate(
      async (client) =>
        (
          await post(
            base,
            '/auth/signin',
            form(accounts[client], 'pw-12345678'),
            `10.4.0.${client}`,
          )
        ).answer.status === 'OK',
    ),
    signUpsPerSecond: await rate(
      async (client, n) =>
        (
          await post(
            base,
            '/auth/signup',
            form(`new-${stamp}-${client}-${n}@example.com`, 'pw-12345678'),
            `10.5.${n % 250}.${client}`,
          )
        ).answer.status === 'OK',
    ),
  };
}

/** Sign-in medians for a known email (wrong password) and an unknown one, interleaved. */
async function knownVsUnknown(base: string) {
  const known = `known-${Date.now()}@example.com`;
  await post(base, '/auth/signup', form(known, 'known-password-1'));
  const knownMs: number[] = [];
  const unknownMs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    knownMs.push((await post(base, '/auth/signin', form(known, 'wrong-1'))).ms);
    unknownMs.push(
      (await post(base, '/auth/signin', form(`nobody-${i}@example.com`, 'wrong-1'))).ms,
    );
  }
  const [k, u] = [median(knownMs), median(unknownMs)];
  // Reset requests, each from its own address (one address asking this often would be limited).
  const resetKnown: number[] = [];
  const resetUnknown: number[] = [];
  const reset = (email: string, i: number) =>
    post(
      base,
      '/auth/user/password/reset/token',
      JSON.stringify({ formFields: [{ id: 'email', value: email }] }),
      `10.2.${i % 250}.${i >> 8}`,
    );
  for (let i = 0; i < SAMPLES; i++) {
    resetKnown.push((await reset(known, 2 * i)).ms);
    resetUnknown.push((await reset(`nobody-${i}@example.com`, 2 * i + 1)).ms);
  }
  const [rk, ru] = [median(resetKnown), median(resetUnknown)];
  return {
    knownMedianMs: Number(k.toFixed(1)),
    unknownMedianMs: Number(u.toFixed(1)),
    unknownVsKnown: Number((u / k).toFixed(2)),
    resetKnownMedianMs: Number(rk.toFixed(2)),
    resetUnknownMedianMs: Number(ru.toFixed(2)),
    resetUnknownVsKnown: Number((ru / rk).toFixed(2)),
  };
}

async function main(): Promise<void> {
  const open = await startApp('off');
  const limited = await startApp('on');
  try {
    const before = await guessRates(open.base);
    const after = await guessRates(limited.base);
    const queueOnly = await userUnderAttack(open.base);
    const withLimits = await userUnderAttack(limited.base);
    const timing = await knownVsUnknown(open.base);
    const rates = await throughput(open.base);
    console.log(
      JSON.stringify({
        bench: 'auth-abuse',
        seconds: SECONDS,
        samples: SAMPLES,
        guessesPerSecond: { withoutLimits: before, withLimits: after },
        realUserSignIn: { limitsOff: queueOnly, limitsOn: withLimits },
        signInTiming: timing,
        hashThreads: Number(process.env.NEST_SUPERTOKENS_HASH_THREADS) || availableParallelism(),
        throughput: rates,
        goals: {
          realUserAtMost2xIdle: queueOnly.p50VsIdle <= 2 && withLimits.p50VsIdle <= 2,
          timingRatioWithin0_8To1_25: timing.unknownVsKnown >= 0.8 && timing.unknownVsKnown <= 1.25,
        },
      }),
    );
  } finally {
    open.child.send('stop');
    limited.child.send('stop');
  }
}

void main();
