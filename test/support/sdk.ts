import supertokens, { type SuperTokensConfig } from 'supertokens-node';
import { resetSdkSingleton } from '../../src/auth/sdk/sdk-internals.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startEmbeddedCore,
  type EmbeddedCore,
  type EmbeddedCoreOptions,
} from '../../src/core/index.js';
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

/** Where a core-level suite runs: memory, PGlite in a new directory, or a fresh PostgreSQL database. */
export type CoreStorage = 'memory' | 'pglite' | 'postgres';

/**
 * For one `describe` block: an embedded core on `storage` with supertokens-node pointed at it
 * (`recipeList`), stopped, its database dropped and the SDK singleton reset afterwards (so the
 * next block can initialise it again). `core()` is the running core.
 */
export function coreWithSdk(
  storage: CoreStorage,
  recipeList: () => SuperTokensConfig['recipeList'],
  options: Pick<EmbeddedCoreOptions, 'now' | 'config' | 'bulkImportIntervalMs'> = {},
): { core: () => EmbeddedCore } {
  let core: EmbeddedCore | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (storage === 'postgres') {
      const database = await freshPostgresDatabase();
      drop = () => database.drop();
      core = await startEmbeddedCore({ ...options, storage: { postgres: database.url } });
    } else if (storage === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'nst-sdk-'));
      drop = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
      core = await startEmbeddedCore({ ...options, storage: { dir } });
    } else {
      core = await startEmbeddedCore(options);
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
