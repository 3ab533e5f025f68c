/**
 * nest-supertokens/testing: helpers for the e2e tests of apps that use AuthModule.
 * Every app gets its own embedded core on a free port; `app.close()` stops it and frees the SDK.
 */
export { authTestingOptions } from './testing-options.js';
export {
  createUserAndSession,
  type TestSession,
  type TestUserOptions,
} from './create-user-and-session.js';
export { testInbox } from './test-inbox.js';
export { resetSuperTokens } from '../auth/module/supertokens-sdk.js';
