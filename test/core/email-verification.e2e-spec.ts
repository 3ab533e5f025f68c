import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import EmailVerification from 'supertokens-node/recipe/emailverification';
import Session from 'supertokens-node/recipe/session';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { initSdk } from '../support/sdk.js';

/** Embedded core, email verification, through supertokens-node's functions. */
describe('email verification on the embedded core', () => {
  let core: EmbeddedCore;
  beforeAll(async () => {
    core = await startEmbeddedCore();
    initSdk(core, [
      EmailPassword.init(),
      EmailVerification.init({
        mode: 'OPTIONAL',
        emailDelivery: { service: { sendEmail: () => Promise.resolve() } },
      }),
      Session.init(),
    ]);
  });
  afterAll(() => core.stop());

  async function user(email: string) {
    const signUp = await EmailPassword.signUp('public', email, 'pw-123456789');
    if (signUp.status !== 'OK') throw new Error(signUp.status);
    return signUp.recipeUserId;
  }

  it('verifies with a token once, refuses a second token, and unverifies', async () => {
    const id = await user('ev1@example.com');
    expect(await EmailVerification.isEmailVerified(id)).toBe(false);
    const token = await EmailVerification.createEmailVerificationToken('public', id);
    expect(token.status).toBe('OK');
    if (token.status !== 'OK') return;
    expect(token.token).toMatch(/^[A-Za-z0-9]{128}$/);
    const verified = await EmailVerification.verifyEmailUsingToken('public', token.token);
    expect(verified).toMatchObject({ status: 'OK', user: { email: 'ev1@example.com' } });
    expect(await EmailVerification.isEmailVerified(id)).toBe(true);
    expect((await EmailVerification.createEmailVerificationToken('public', id)).status).toBe(
      'EMAIL_ALREADY_VERIFIED_ERROR',
    );
    expect((await EmailVerification.verifyEmailUsingToken('public', token.token)).status).toBe(
      'EMAIL_VERIFICATION_INVALID_TOKEN_ERROR',
    );
    await EmailVerification.unverifyEmail(id);
    expect(await EmailVerification.isEmailVerified(id)).toBe(false);
  });

  it('revoked tokens no longer verify, and the user object reports the state', async () => {
    const id = await user('ev2@example.com');
    const token = await EmailVerification.createEmailVerificationToken('public', id);
    if (token.status !== 'OK') throw new Error(token.status);
    await EmailVerification.revokeEmailVerificationTokens('public', id);
    expect((await EmailVerification.verifyEmailUsingToken('public', token.token)).status).toBe(
      'EMAIL_VERIFICATION_INVALID_TOKEN_ERROR',
    );
    const fresh = await EmailVerification.createEmailVerificationToken('public', id);
    if (fresh.status !== 'OK') throw new Error(fresh.status);
    await EmailVerification.verifyEmailUsingToken('public', fresh.token);
    expect((await supertokens.getUser(id.getAsString()))?.loginMethods[0]?.verified).toBe(true);
  });
});
