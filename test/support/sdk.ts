import supertokens, { type SuperTokensConfig } from 'supertokens-node';
import { resetSdkSingleton } from '../../src/auth/sdk/sdk-internals.js';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { freshPostgresDatabase } from './postgres.js';
import { APP_INFO } from './test-app.js';

/** supertokens-node, unmodified, pointed at a core: for the suites that drive the SDK directly. */
export function initSdk(core: EmbeddedCore, recipeList: SuperTokensConfig['recipeList']): void {
  supertokens.init({
    framework: 'express',
    supertokens: { connectionURI: core.connectionURI, apiKey: core.apiKey },
    appInfo: APP_INFO,
    recipeList,
    telemetry: false,
  });
}

/** Where a core-level suite runs: the in-memory store, or a fresh PostgreSQL database. */
export type CoreStorage = 'memory' | 'postgres';

/**
 * For one `describe` block: an embedded core on `storage` with supertokens-node pointed at it
 * (`recipeList`), stopped, its database dropped and the SDK singleton reset afterwards (so the
 * next block can initialise it again). `core()` is the running core.
 */
export function coreWithSdk(
  storage: CoreStorage,
  recipeList: () => SuperTokensConfig['recipeList'],
): { core: () => EmbeddedCore } {
  let core: EmbeddedCore | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (storage === 'postgres') {
      const database = await freshPostgresDatabase();
      drop = () => database.drop();
      core = await startEmbeddedCore({ storage: { postgres: database.url } });
    } else {
      core = await startEmbeddedCore();
    }
    initSdk(core, recipeList());
  });
  afterAll(async () => {
    await core?.stop();
    await drop?.();
    resetSdkSingleton();
  });
  return {
    core: () => {
      if (!core) throw new Error('The core starts in beforeAll');
      return core;
    },
  };
}
