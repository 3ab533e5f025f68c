import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import { measure } from '../shared.js';

/**
 * One measurement round against one core, in its own process (supertokens-node is a process-wide
 * singleton, so each core gets a fresh SDK): session creates, refreshes and database-checked
 * verifies per second through the SDK at the given concurrency. Sends the result to the parent.
 */
export interface RoundResult {
  createsPerSec: number;
  refreshesPerSec: number;
  verifiesPerSec: number;
  errors: number;
  firstError?: string;
}

const { CORE_URI, CORE_API_KEY, BENCH_EMAIL } = process.env;
const seconds = Number(process.env.BENCH_SECONDS);
const concurrency = Number(process.env.BENCH_CONCURRENCY);

async function round(): Promise<RoundResult> {
  supertokens.init({
    framework: 'express',
    supertokens: { connectionURI: CORE_URI!, apiKey: CORE_API_KEY },
    appInfo: {
      appName: 'bench',
      apiDomain: 'http://localhost:3000',
      websiteDomain: 'http://localhost:3001',
    },
    recipeList: [EmailPassword.init(), Session.init()],
    telemetry: false,
  });
  const signUp = await EmailPassword.signUp('public', BENCH_EMAIL!, 'bench-password-1');
  if (signUp.status !== 'OK') throw new Error(`sign-up: ${signUp.status}`);
  const { recipeUserId } = signUp;
  const newSession = () => Session.createNewSessionWithoutRequestResponse('public', recipeUserId);

  const creates = await measure(seconds, concurrency, async () => {
    await newSession();
  });

  const refreshTokens = await Promise.all(
    Array.from(
      { length: concurrency },
      async () => (await newSession()).getAllSessionTokensDangerously().refreshToken!,
    ),
  );
  const refreshes = await measure(seconds, concurrency, async (slot) => {
    const next = await Session.refreshSessionWithoutRequestResponse(refreshTokens[slot]);
    refreshTokens[slot] = next.getAllSessionTokensDangerously().refreshToken!;
  });

  const accessTokens = await Promise.all(
    Array.from(
      { length: concurrency },
      async () => (await newSession()).getAllSessionTokensDangerously().accessToken,
    ),
  );
  const verifies = await measure(seconds, concurrency, async (slot) => {
    await Session.getSessionWithoutRequestResponse(accessTokens[slot], undefined, {
      checkDatabase: true,
    });
  });

  const firstError = creates.firstError ?? refreshes.firstError ?? verifies.firstError;
  return {
    createsPerSec: creates.perSecond,
    refreshesPerSec: refreshes.perSecond,
    verifiesPerSec: verifies.perSecond,
    errors: creates.errors + refreshes.errors + verifies.errors,
    ...(firstError && { firstError }),
  };
}

round().then(
  (result) => process.send!(result, () => process.exit(0)),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
