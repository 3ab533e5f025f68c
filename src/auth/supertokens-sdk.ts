import SuperTokensModule from 'supertokens-node/lib/build/supertokens.js';

// A CommonJS module: its class is the `default` property of what ESM imports.
const SuperTokens = SuperTokensModule.default;

/**
 * supertokens-node keeps one configuration per process: `supertokens.init()` is silently ignored
 * once it has run. These helpers make that explicit: an app claims the SDK when it starts and
 * releases it (resetting the SDK) when it closes, so tests can start app after app in one process.
 */
let owner: symbol | undefined;

interface Resettable {
  reset?: () => void;
}

const sdkInstance = (): { recipeModules: object[] } | undefined =>
  (SuperTokens as unknown as { instance?: { recipeModules: object[] } }).instance;

export function claimSuperTokens(app: symbol): void {
  if (owner === undefined && sdkInstance() !== undefined) {
    throw new Error(
      'AuthModule: supertokens.init() has already been called outside AuthModule, so the options ' +
        'given to AuthModule would be ignored. Fix: remove the other supertokens.init() call and ' +
        'configure everything through AuthModule (recipeList / override pass anything through).',
    );
  }
  if (owner !== undefined && owner !== app) {
    throw new Error(
      'AuthModule: supertokens-node is a process-wide singleton and another Nest app using AuthModule ' +
        'is still running in this process. Fix: await app.close() on the other app first (in tests: in ' +
        'afterAll/afterEach).',
    );
  }
  owner = app;
}

export function releaseSuperTokens(app: symbol): void {
  if (owner !== app) return;
  resetSuperTokens();
  owner = undefined;
}

/**
 * Forgets the SDK's configuration and every recipe instance, so `supertokens.init()` can run again.
 * `AuthModule` calls it when its app closes; call it yourself only if you init the SDK by hand.
 */
export function resetSuperTokens(): void {
  const previous = process.env.TEST_MODE;
  // The SDK guards its reset functions behind TEST_MODE; we reset on purpose, in any mode.
  process.env.TEST_MODE = 'testing';
  try {
    for (const recipe of sdkInstance()?.recipeModules ?? [])
      (recipe.constructor as Resettable).reset?.();
    SuperTokens.reset();
  } finally {
    if (previous === undefined) delete process.env.TEST_MODE;
    else process.env.TEST_MODE = previous;
  }
}
