import supertokens, { type SuperTokensConfig } from 'supertokens-node';
import { APP_INFO } from './test-app.js';

/** supertokens-node, unmodified, pointed at a core: for the suites that drive the SDK directly. */
export function initSdk(connectionURI: string, recipeList: SuperTokensConfig['recipeList']): void {
  supertokens.init({
    framework: 'express',
    supertokens: { connectionURI },
    appInfo: APP_INFO,
    recipeList,
    telemetry: false,
  });
}
