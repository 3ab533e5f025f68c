import supertokens, { type SuperTokensConfig } from 'supertokens-node';
import type { EmbeddedCore } from '../../src/core/index.js';
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
