import { resetSdkSingleton, sdkRecipeModules } from '../sdk/sdk-internals.js';

/**
 * supertokens-node keeps one configuration per process: `supertokens.init()` is silently ignored
 * once it has run. These helpers make that explicit: an app claims the SDK when it starts and
 * releases it (resetting the SDK) when it closes, so tests can start app after app in one process.
 */
interface Claim {
  id: symbol;
  /** Stops what the app started for the SDK (the embedded core). */
  cleanup: () => Promise<void>;
}

interface ClaimState {
  current?: Claim;
  /** An app's start-up still in flight (its claim may not be registered yet). */
  starting?: Promise<unknown>;
}

/**
 * Kept on `globalThis`, not in this module: an app that loads both the ESM and the CommonJS build
 * of this package has two copies of this file but one supertokens-node, so both must see one claim.
 */
const state: ClaimState = ((globalThis as Record<symbol, ClaimState | undefined>)[
  Symbol.for('nest-supertokens.sdk-claim')
] ??= {});

export function claimSuperTokens(id: symbol): void {
  const { current } = state;
  if (current === undefined && sdkRecipeModules() !== undefined) {
    throw new Error(
      'AuthModule: supertokens.init() has already been called outside AuthModule, so the options ' +
        'given to AuthModule would be ignored. Fix: remove the other supertokens.init() call and ' +
        'configure everything through AuthModule (recipeList / override pass anything through).',
    );
  }
  if (current !== undefined && current.id !== id) {
    throw new Error(
      'AuthModule: supertokens-node is a process-wide singleton and another Nest app using AuthModule ' +
        'is still running in this process. Fix: await app.close() on the other app first (in tests: in ' +
        'afterAll/afterEach; after a compile() that failed, await resetSuperTokens()).',
    );
  }
  state.current = { id, cleanup: () => Promise.resolve() };
}

/** Lets `resetSuperTokens()` wait for a start-up that is still running. */
export function trackStartup<T>(startup: Promise<T>): Promise<T> {
  state.starting = startup;
  void startup
    .finally(() => {
      if (state.starting === startup) state.starting = undefined;
    })
    .catch(() => undefined);
  return startup;
}

/** Registers what to stop when the claim ends. */
export function onSuperTokensRelease(id: symbol, cleanup: () => Promise<void>): void {
  if (state.current?.id === id) state.current.cleanup = cleanup;
}

export async function releaseSuperTokens(id: symbol): Promise<void> {
  if (state.current?.id !== id) return;
  const { cleanup } = state.current;
  state.current = undefined;
  resetSdkSingleton();
  await cleanup();
}

/**
 * Frees the SDK from whichever app holds it, stopping that app's embedded core, and forgets the
 * SDK's configuration so `supertokens.init()` can run again. `app.close()` does this already; call
 * it in tests after a `compile()` that failed half-way, or if you called `supertokens.init()` yourself.
 */
export async function resetSuperTokens(): Promise<void> {
  await state.starting?.catch(() => undefined);
  if (state.current) await releaseSuperTokens(state.current.id);
  else resetSdkSingleton();
}
