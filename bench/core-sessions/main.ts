import { generateKeyPairSync } from 'node:crypto';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import { resolveCoreConfig } from '../../src/core/core.config.js';
import { SigningKeys } from '../../src/core/keys/signing-keys.js';
import { AccessTokens } from '../../src/core/sessions/access-token.js';
import { RefreshTokens } from '../../src/core/sessions/refresh-token.js';
import { SessionService } from '../../src/core/sessions/session.service.js';
import { MemoryStore } from '../../src/core/store/memory.store.js';
import { measure, startCoreProcess } from '../shared.js';

/**
 * Session creates, refreshes and database-checked verifies per second through supertokens-node
 * against the embedded core (its own process, as `npm run core` runs it), at concurrency 16,
 * next to the raw RS256 signing rate of jose on this machine, the core's own create rate over
 * HTTP from autocannon (no SDK in the way) and in-process (no HTTP either). Prints one JSON line.
 */
const CONCURRENCY = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

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
async function coreHttpCreates(uri: string) {
  const result = await autocannon({
    url: `${uri}/public/recipe/session`,
    method: 'POST',
    connections: CONCURRENCY,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', 'cdi-version': '5.4' },
    body: JSON.stringify({
      userId: 'bench',
      userDataInJWT: {},
      userDataInDatabase: {},
      enableAntiCsrf: false,
    }),
  });
  return { perSecond: Math.round(result.requests.average), errors: result.errors + result.non2xx };
}

async function main(): Promise<void> {
  const rawSign = await rawSignRate();
  const inProcess = await inProcessCreates();
  const core = await startCoreProcess();
  try {
    supertokens.init({
      framework: 'express',
      supertokens: { connectionURI: core.uri },
      appInfo: {
        appName: 'bench',
        apiDomain: 'http://localhost:3000',
        websiteDomain: 'http://localhost:3001',
      },
      recipeList: [EmailPassword.init(), Session.init()],
      telemetry: false,
    });
    const signUp = await EmailPassword.signUp('public', 'bench@example.com', 'bench-password-1');
    if (signUp.status !== 'OK') throw new Error(signUp.status);
    const { recipeUserId } = signUp;

    const httpCreates = await coreHttpCreates(core.uri);
    const creates = await measure(SECONDS, CONCURRENCY, async () => {
      await Session.createNewSessionWithoutRequestResponse('public', recipeUserId);
    });

    const refreshTokens = await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const session = await Session.createNewSessionWithoutRequestResponse(
          'public',
          recipeUserId,
        );
        return session.getAllSessionTokensDangerously().refreshToken!;
      }),
    );
    const refreshes = await measure(SECONDS, CONCURRENCY, async (slot) => {
      const next = await Session.refreshSessionWithoutRequestResponse(refreshTokens[slot]);
      refreshTokens[slot] = next.getAllSessionTokensDangerously().refreshToken!;
    });

    const accessTokens = await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const session = await Session.createNewSessionWithoutRequestResponse(
          'public',
          recipeUserId,
        );
        return session.getAllSessionTokensDangerously().accessToken;
      }),
    );
    const verifies = await measure(SECONDS, CONCURRENCY, async (slot) => {
      await Session.getSessionWithoutRequestResponse(accessTokens[slot], undefined, {
        checkDatabase: true,
      });
    });

    console.log(
      JSON.stringify({
        bench: 'core-sessions',
        concurrency: CONCURRENCY,
        seconds: SECONDS,
        rawSignPerSec: rawSign.perSecond,
        createsPerSec: creates.perSecond,
        createsVsRawSign: Number((creates.perSecond / rawSign.perSecond).toFixed(2)),
        coreInProcessCreatesPerSec: inProcess.perSecond,
        coreInProcessCreatesVsRawSign: Number((inProcess.perSecond / rawSign.perSecond).toFixed(2)),
        coreHttpCreatesPerSec: httpCreates.perSecond,
        coreHttpCreatesVsRawSign: Number((httpCreates.perSecond / rawSign.perSecond).toFixed(2)),
        refreshesPerSec: refreshes.perSecond,
        verifyWithDatabasePerSec: verifies.perSecond,
        errors: {
          coreHttpCreates: httpCreates.errors,
          creates: creates.errors,
          refreshes: refreshes.errors,
          verifies: verifies.errors,
        },
        ...(creates.firstError || refreshes.firstError || verifies.firstError
          ? { firstError: creates.firstError ?? refreshes.firstError ?? verifies.firstError }
          : {}),
      }),
    );
  } finally {
    core.stop();
  }
}

void main();
