/**
 * nest-supertokens/testing: helpers for the e2e tests of apps that use AuthModule. Every app gets
 * its own embedded core on a free port; `app.close()` stops it and frees the SDK.
 */
/** AuthModule options for tests: in-memory core, inbox delivery, rate limits off. */
export { authTestingOptions } from './testing-options.js';
/** A user (with roles, a verified email...) and a session, with the headers to send. */
export {
  createUserAndSession,
  type TestSession,
  type TestUserOptions,
} from './create-user-and-session.js';
/** The app's `DeliveryInbox`: read the codes and links your app sent. */
export { testInbox } from './test-inbox.js';
/** The current code of a TOTP device from its secret, as an authenticator app shows it. */
export { totpCode, type TotpCodeOptions } from './totp-code.js';
/** Frees the SDK singleton (after a `compile()` that failed half-way). */
export { resetSuperTokens } from '../auth/module/supertokens-sdk.js';
/** A software passkey authenticator, and passkey sign-up / sign-in through the app's routes. */
export {
  TestPasskey,
  type TestPasskeyOptions,
  type TestPasskeyCredential,
  type TestPasskeyRegistration,
  type TestPasskeyAssertion,
  type PasskeyRegisterOptions,
  type PasskeySignInOptions,
  type PasskeyTamper,
  type PasskeyUse,
} from './passkey.js';
export {
  passkeySignUp,
  passkeySignIn,
  type PasskeyTarget,
  type PasskeyRequestOptions,
  type PasskeyAuthResult,
} from './passkey-http.js';
