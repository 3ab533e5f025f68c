import { tenantSettings } from '../../src/core/multitenancy/tenant-settings.js';
import { fork } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { resolveCoreConfig } from '../../src/core/core.config.js';
import { SigningKeys } from '../../src/core/keys/signing-keys.js';
import { AccessTokens } from '../../src/core/sessions/access-token.js';
import { RefreshTokens } from '../../src/core/sessions/refresh-token.js';
import { SessionService } from '../../src/core/sessions/session.service.js';
import { MemoryStore } from '../../src/core/store/memory/memory.store.js';
import { freshPostgresDatabase } from '../../test/support/postgres.js';
import { measure, median, startCoreProcess, type CoreProcess } from '../shared.js';
import type { RoundResult } from './client.js';

/**
 * Session creates, refreshes and database-checked verifies per second through supertokens-node
 * against the embedded core on each store (memory, PGlite in a new directory, PostgreSQL through
 * `pg` when TEST_POSTGRES_URL is set, as `npm run bench:core` does), each core in its own process
 * as `npm run core` runs it, at concurrency 16. Rounds are interleaved (each round starts with
 * another store) and medians reported, with each store's ratio to memory in the same run.
 * Beside them: the raw RS256 signing rate of jose, the core's create rate in-process (no HTTP)
 * and over HTTP from autocannon (no SDK), and each core's RSS after its rounds.
 * With `BENCH_BASELINE=<another build's core/cli.js>` each store also runs on that build, in the
 * same interleaved rounds, and `vsBaseline` gives this build's rates over the baseline's (how a
 * change to the core moved them, measured in one run). Prints one JSON line.
 */
const CONCURRENCY = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** The official core 11.4 (in-memory storage) on this machine, recorded when issue 13 was filed. */
const OFFICIAL_CORE = { createsPerSec: 37, refreshesPerSec: 74 };
const BASELINE = process.env.BENCH_BASELINE;

async function rawSignRate() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const payload = { sub: 'user', sessionHandle: 'h', refreshTokenHash1: 'a'.repeat(64) };
  return measure(SECONDS, CONCURRENCY, async () => {
    await new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'd-1', version: '5' })
      .sign(privateKey);
  });
}

/** The core's session creation alone, in this process: no HTTP, no SDK. */
async function inProcessCreates() {
  const store = new MemoryStore();
  const config = resolveCoreConfig();
  const keys = new SigningKeys(store, config);
  const sessions = new SessionService({
    store,
    config,
    keys,
    accessTokens: new AccessTokens(keys, config.accessTokenValidity),
    refreshTokens: new RefreshTokens(store),
    now: Date.now,
    settings: (appId, tenantId) => tenantSettings(store, config, appId, tenantId),
  });
  const input = {
    userId: 'bench',
    userDataInJWT: {},
    userDataInDatabase: {},
    enableAntiCsrf: false,
    useDynamicSigningKey: true,
  };
  await sessions.create('public', 'public', input); // creates the signing key
  return measure(SECONDS, CONCURRENCY, async () => {
    await sessions.create('public', 'public', input);
  });
}

/** The core's own capacity: POST /recipe/session from autocannon, a client that costs little CPU. */
async function coreHttpCreates(core: CoreProcess, apiKey: string) {
  const result = await autocannon({
    url: `${core.uri}/public/recipe/session`,
    method: 'POST',
    connections: CONCURRENCY,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', 'cdi-version': '5.4', 'api-key': apiKey },
    body: JSON.stringify({
      userId: 'bench',
      userDataInJWT: {},
      userDataInDatabase: {},
      enableAntiCsrf: false,
    }),
  });
  return { perSecond: Math.round(result.requests.average), errors: result.errors + result.non2xx };
}

function clientRound(core: CoreProcess, apiKey: string, email: string): Promise<RoundResult> {
  const client = fork(fileURLToPath(new URL('./client.js', import.meta.url)), {
    stdio: 'inherit',
    env: {
      ...process.env,
      CORE_URI: core.uri,
      CORE_API_KEY: apiKey,
      BENCH_EMAIL: email,
      BENCH_SECONDS: String(SECONDS),
      BENCH_CONCURRENCY: String(CONCURRENCY),
    },
  });
  return new Promise((resolve, reject) => {
    client.once('message', (result) => resolve(result as RoundResult));
    client.once('exit', (code) => code !== 0 && reject(new Error(`client exited with ${code}`)));
  });
}

const ratio = (a: number, b: number) => Number((a / b).toFixed(2));

async function main(): Promise<void> {
  const rawSign = await rawSignRate();
  const inProcess = await inProcessCreates();

  const apiKey = randomBytes(24).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'nest-supertokens-bench-'));
  const database = process.env.TEST_POSTGRES_URL ? await freshPostgresDatabase() : undefined;
  const stores: Record<string, string> = {
    memory: 'memory',
    pglite: join(dir, 'store'),
    ...(database && { postgres: database.url }),
  };
  const cores: Record<string, CoreProcess> = {};
  try {
    for (const [name, storage] of Object.entries(stores)) {
      cores[name] = await startCoreProcess(storage, apiKey);
      // The baseline's PGlite gets a directory of its own (one process per directory).
      if (BASELINE) {
        const own = name === 'pglite' ? join(dir, 'baseline-store') : storage;
        cores[`${name}@baseline`] = await startCoreProcess(own, apiKey, BASELINE);
      }
    }
    const httpCreates = await coreHttpCreates(cores.memory, apiKey);

    const names = Object.keys(cores);
    const rounds: Record<string, RoundResult[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(round + i) % names.length];
        rounds[name].push(
          await clientRound(cores[name], apiKey, `bench-${name}-${round}@example.com`),
        );
      }
    }

    const summary = Object.fromEntries(
      names.map((name) => {
        const results = rounds[name];
        const firstError = results.find((r) => r.firstError)?.firstError;
        return [
          name,
          {
            createsPerSec: median(results.map((r) => r.createsPerSec)),
            refreshesPerSec: median(results.map((r) => r.refreshesPerSec)),
            verifiesPerSec: median(results.map((r) => r.verifiesPerSec)),
            errors: results.reduce((sum, r) => sum + r.errors, 0),
            coreRssMB: cores[name].rssMB(),
            ...(firstError && { firstError }),
          },
        ];
      }),
    );
    const memory = summary.memory;
    const vsMemory = (name: string) => {
      const store = summary[name];
      return store
        ? {
            creates: ratio(store.createsPerSec, memory.createsPerSec),
            refreshes: ratio(store.refreshesPerSec, memory.refreshesPerSec),
            verifies: ratio(store.verifiesPerSec, memory.verifiesPerSec),
          }
        : undefined;
    };
    const vsBaseline = BASELINE
      ? Object.fromEntries(
          Object.keys(stores).map((name) => {
            const now = summary[name];
            const before = summary[`${name}@baseline`];
            return [
              name,
              {
                creates: ratio(now.createsPerSec, before.createsPerSec),
                refreshes: ratio(now.refreshesPerSec, before.refreshesPerSec),
                verifies: ratio(now.verifiesPerSec, before.verifiesPerSec),
              },
            ];
          }),
        )
      : undefined;
    const pglite = vsMemory('pglite')!;
    const postgres = vsMemory('postgres');
    const slowest = Object.values(summary);
    const lowest = (pick: (s: (typeof slowest)[number]) => number) =>
      Math.min(...slowest.map(pick));
    console.log(
      JSON.stringify({
        bench: 'core-sessions',
        concurrency: CONCURRENCY,
        seconds: SECONDS,
        rounds: ROUNDS,
        rawSignPerSec: rawSign.perSecond,
        coreInProcessCreatesPerSec: inProcess.perSecond,
        coreInProcessCreatesVsRawSign: ratio(inProcess.perSecond, rawSign.perSecond),
        coreHttpCreatesPerSec: httpCreates.perSecond,
        coreHttpCreatesErrors: httpCreates.errors,
        stores: summary,
        ...(vsBaseline && { vsBaseline }),
        pgliteVsMemory: pglite,
        ...(postgres
          ? { postgresVsMemory: postgres }
          : { postgres: 'skipped: no TEST_POSTGRES_URL' }),
        slowestStoreVsOfficialCore: {
          creates: ratio(
            lowest((s) => s.createsPerSec),
            OFFICIAL_CORE.createsPerSec,
          ),
          refreshes: ratio(
            lowest((s) => s.refreshesPerSec),
            OFFICIAL_CORE.refreshesPerSec,
          ),
        },
        goals: {
          zeroErrors: slowest.every((s) => s.errors === 0) && httpCreates.errors === 0,
          pgliteAtLeastHalfOfMemory: Math.min(...Object.values(pglite)) >= 0.5,
          ...(postgres && {
            postgresAtLeast30PctOfMemory: Math.min(...Object.values(postgres)) >= 0.3,
          }),
          rssAtMost250MB: slowest.every((s) => s.coreRssMB <= 250),
        },
      }),
    );
  } finally {
    await Promise.all(Object.values(cores).map((core) => core.stop()));
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
