import fc from 'fast-check';
import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import UserMetadata from 'supertokens-node/recipe/usermetadata';
import { coreRoutes } from '../../src/core/core.routes.js';
import type { CoreContext } from '../../src/core/core.context.js';
import { DEFAULT_CORE_CONFIG } from '../../src/core/core.config.js';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { coreClient } from '../support/core-client.js';
import { startHangWatchdog } from '../support/hang-watchdog.js';
import { initSdk } from '../support/sdk.js';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, fuzzBody } from './fuzz-inputs.js';

/** Route factories read only the config before a request arrives: enough to list the routes. */
const ROUTES = coreRoutes({ config: DEFAULT_CORE_CONFIG } as CoreContext).map(
  ({ method, path }) => ({ method, path }),
);
const QUERY_NAMES = [
  'userId',
  'email',
  'phoneNumber',
  'deviceId',
  'preAuthSessionId',
  'sessionHandle',
  'sessionId',
  'role',
  'permission',
  'limit',
  'paginationToken',
  'timeJoinedOrder',
  'includeRecipeIds',
  'includeAllTenants',
  'doUnionOfAccountInfo',
  'fetchAcrossAllTenants',
  'fetchSessionsForAllLinkedAccounts',
];

/**
 * Property: the embedded core answers any request to any of its APIs (random body, query and
 * tenant segment) with a 2xx or 4xx, never a 500, and leaves the data already there intact.
 */
describe('fuzzing every embedded core API (fast-check)', () => {
  let core: EmbeddedCore;
  let call: ReturnType<typeof coreClient>;
  const internalErrors: unknown[] = [];
  let userId: string;
  let handle: string;

  let stopWatchdog: () => void;
  beforeAll(async () => {
    stopWatchdog = startHangWatchdog();
    core = await startEmbeddedCore({ onError: (error) => internalErrors.push(error) });
    call = coreClient(core);
    initSdk(core, [EmailPassword.init(), Session.init(), UserMetadata.init()]);
    const signUp = await EmailPassword.signUp('public', 'keeper@example.com', 'keeper-pass-1');
    if (signUp.status !== 'OK') throw new Error(signUp.status);
    userId = signUp.user.id;
    handle = (
      await Session.createNewSessionWithoutRequestResponse('public', signUp.recipeUserId)
    ).getHandle();
    await UserMetadata.updateUserMetadata(userId, { plan: 'pro' });
  });
  afterAll(async () => {
    stopWatchdog();
    await core.stop();
  });

  const query = fc.dictionary(
    fc.constantFrom(...QUERY_NAMES),
    fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', 'true', '-1', '501', 'DESC', '%')),
    { maxKeys: 4 },
  );
  const tenant = fc.constantFrom('', '/public', '/nope', '/appid-nope', '/PUBLIC');

  it.each(ROUTES)(
    '$method $path never answers 5xx',
    async ({ method, path }) => {
      await fc.assert(
        fc.asyncProperty(fc.record({ body: fuzzBody(), query, tenant }), async (input) => {
          const search = new URLSearchParams(input.query).toString();
          const url = `${input.tenant}${path}${search ? `?${search}` : ''}`;
          const reply = await call(method, url, method === 'GET' ? undefined : (input.body ?? {}));
          if (reply.status >= 500) throw new Error(`${reply.status} ${reply.text}`);
        }),
        { numRuns: Math.ceil(FUZZ_RUNS / 2), endOnFailure: true },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it('reported no internal error and kept the existing user, session and metadata', async () => {
    expect(internalErrors).toEqual([]);
    expect((await supertokens.getUser(userId))?.emails).toEqual(['keeper@example.com']);
    expect(await Session.getSessionInformation(handle)).toMatchObject({ userId });
    expect((await UserMetadata.getUserMetadata(userId)).metadata).toEqual({ plan: 'pro' });
    const signIn = await EmailPassword.signIn('public', 'keeper@example.com', 'keeper-pass-1');
    expect(signIn.status).toBe('OK');
  });
});
