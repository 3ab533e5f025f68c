import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import { decodeJwt } from 'jose';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { initSdk } from '../support/sdk.js';

/**
 * supertokens-node 24, unmodified, against the embedded core: the SDK's own recipe functions,
 * no HTTP app in between. (HTTP flows through Nest are in test/auth-*.)
 */
describe('supertokens-node against the embedded core', () => {
  let core: EmbeddedCore;
  /** Moves the core's clock; the SDK keeps the real one. */
  let skewMs = 0;

  beforeAll(async () => {
    core = await startEmbeddedCore({ now: () => Date.now() + skewMs });
    initSdk(core, [EmailPassword.init(), Session.init()]);
  });

  afterAll(() => core.stop());
  afterEach(() => {
    skewMs = 0;
  });

  let counter = 0;
  async function signUp(password = 'secret-pass-1') {
    const email = `user${++counter}@example.com`;
    const result = await EmailPassword.signUp('public', email, password);
    if (result.status !== 'OK') throw new Error(result.status);
    return { email, password, user: result.user, recipeUserId: result.recipeUserId };
  }

  async function newSession(payload: Record<string, unknown> = {}) {
    const { recipeUserId } = await signUp();
    const session = await Session.createNewSessionWithoutRequestResponse(
      'public',
      recipeUserId,
      payload,
      {
        plan: 'free',
      },
    );
    const tokens = session.getAllSessionTokensDangerously();
    return {
      session,
      recipeUserId,
      tokens: { access: tokens.accessToken, refresh: tokens.refreshToken! },
    };
  }

  describe('EmailPassword', () => {
    it('signs up, normalising the email, and rejects a second sign-up for it', async () => {
      const before = Date.now();
      const result = await EmailPassword.signUp('public', ' Mixed.Case@Example.COM', 'pw-123456');
      const after = Date.now();
      expect(result.status).toBe('OK');
      if (result.status !== 'OK') return;
      expect(result.user.emails).toEqual(['mixed.case@example.com']);
      expect(result.user.loginMethods).toHaveLength(1);
      expect(result.user.loginMethods[0]).toMatchObject({
        recipeId: 'emailpassword',
        verified: false,
      });
      expect(result.recipeUserId.getAsString()).toBe(result.user.id);
      expect(result.user.timeJoined).toBeGreaterThanOrEqual(before);
      expect(result.user.timeJoined).toBeLessThanOrEqual(after);

      const again = await EmailPassword.signUp('public', 'mixed.case@example.com', 'other-pw-1');
      expect(again.status).toBe('EMAIL_ALREADY_EXISTS_ERROR');
    });

    it('lets exactly one of two concurrent sign-ups for one email win', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          EmailPassword.signUp('public', 'race@example.com', 'pw-123456'),
        ),
      );
      expect(results.filter((r) => r.status === 'OK')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'EMAIL_ALREADY_EXISTS_ERROR')).toHaveLength(4);
    });

    it('signs in with the right password only', async () => {
      const { email, password, user } = await signUp();
      const ok = await EmailPassword.signIn('public', email.toUpperCase(), password);
      expect(ok.status).toBe('OK');
      expect(ok.status === 'OK' && ok.user.id).toBe(user.id);
      expect((await EmailPassword.signIn('public', email, 'wrong-password')).status).toBe(
        'WRONG_CREDENTIALS_ERROR',
      );
      expect((await EmailPassword.signIn('public', 'nobody@example.com', password)).status).toBe(
        'WRONG_CREDENTIALS_ERROR',
      );
    });

    it('resets a password with a one-time token', async () => {
      const { email, user, password } = await signUp();
      const created = await EmailPassword.createResetPasswordToken('public', user.id, email);
      expect(created.status).toBe('OK');
      if (created.status !== 'OK') return;
      expect(created.token).toMatch(/^[A-Za-z0-9]{128}$/);
      const reset = await EmailPassword.resetPasswordUsingToken(
        'public',
        created.token,
        'brand-new-pw-1',
      );
      expect(reset.status).toBe('OK');
      expect((await EmailPassword.signIn('public', email, password)).status).toBe(
        'WRONG_CREDENTIALS_ERROR',
      );
      expect((await EmailPassword.signIn('public', email, 'brand-new-pw-1')).status).toBe('OK');
      const reused = await EmailPassword.resetPasswordUsingToken(
        'public',
        created.token,
        'another-pw-12',
      );
      expect(reused.status).toBe('RESET_PASSWORD_INVALID_TOKEN_ERROR');
    });

    it('changes the email, and refuses one that another user has', async () => {
      const first = await signUp();
      const second = await signUp();
      const changed = await EmailPassword.updateEmailOrPassword({
        recipeUserId: first.recipeUserId,
        email: 'Changed@Example.com',
      });
      expect(changed.status).toBe('OK');
      expect(
        (await EmailPassword.signIn('public', 'changed@example.com', first.password)).status,
      ).toBe('OK');
      expect((await EmailPassword.signIn('public', first.email, first.password)).status).toBe(
        'WRONG_CREDENTIALS_ERROR',
      );
      const taken = await EmailPassword.updateEmailOrPassword({
        recipeUserId: second.recipeUserId,
        email: 'changed@example.com',
      });
      expect(taken.status).toBe('EMAIL_ALREADY_EXISTS_ERROR');
    });

    it('finds users by id and by account info, and deletes them', async () => {
      const { email, user } = await signUp();
      expect((await supertokens.getUser(user.id))?.emails).toEqual([email]);
      const listed = await supertokens.listUsersByAccountInfo('public', {
        email: email.toUpperCase(),
      });
      expect(listed.map((u) => u.id)).toEqual([user.id]);
      await supertokens.deleteUser(user.id);
      expect(await supertokens.getUser(user.id)).toBeUndefined();
      expect(await supertokens.listUsersByAccountInfo('public', { email })).toEqual([]);
    });
  });

  describe('Session', () => {
    it('creates a session whose access token verifies locally through the JWKS', async () => {
      const { session, tokens, recipeUserId } = await newSession({ role: 'reader' });
      const verified = await Session.getSessionWithoutRequestResponse(tokens.access);
      expect(verified.getUserId()).toBe(recipeUserId.getAsString());
      expect(verified.getHandle()).toBe(session.getHandle());
      expect(verified.getAccessTokenPayload()).toMatchObject({
        role: 'reader',
        iss: 'http://localhost:3000/auth',
      });
    });

    it('rotates the refresh token and treats re-use of a superseded one as theft', async () => {
      const { session, tokens } = await newSession();
      const refreshed = await Session.refreshSessionWithoutRequestResponse(tokens.refresh);
      const child = refreshed.getAllSessionTokensDangerously();
      expect(child.refreshToken).not.toBe(tokens.refresh);
      expect(decodeJwt(child.accessToken).parentRefreshTokenHash1).toEqual(expect.any(String));

      // First use of the child access token promotes it: a new token without a parent hash.
      const promoted = await Session.getSessionWithoutRequestResponse(child.accessToken);
      expect(promoted.getHandle()).toBe(session.getHandle());
      const promotedToken = promoted.getAllSessionTokensDangerously();
      expect(promotedToken.accessAndFrontTokenUpdated).toBe(true);
      expect(decodeJwt(promotedToken.accessToken).parentRefreshTokenHash1).toBeNull();

      await expect(
        Session.refreshSessionWithoutRequestResponse(tokens.refresh),
      ).rejects.toMatchObject({
        type: 'TOKEN_THEFT_DETECTED',
        payload: { sessionHandle: session.getHandle() },
      });
      // Over HTTP the SDK's theft handler revokes the session; without a request we do it.
      expect(await Session.revokeSession(session.getHandle())).toBe(true);
      expect(await Session.getSessionInformation(session.getHandle())).toBeUndefined();
      await expect(
        Session.refreshSessionWithoutRequestResponse(child.refreshToken!),
      ).rejects.toMatchObject({
        type: 'UNAUTHORISED',
      });
      await expect(
        Session.getSessionWithoutRequestResponse(promotedToken.accessToken, undefined, {
          checkDatabase: true,
        }),
      ).rejects.toMatchObject({ type: 'UNAUTHORISED' });
    });

    it('allows refreshing twice with the same token before the child is used', async () => {
      const { tokens } = await newSession();
      await Session.refreshSessionWithoutRequestResponse(tokens.refresh);
      const second = await Session.refreshSessionWithoutRequestResponse(tokens.refresh);
      const child = second.getAllSessionTokensDangerously();
      // Refreshing with the child (never verified) promotes it, and keeps working afterwards.
      const third = await Session.refreshSessionWithoutRequestResponse(child.refreshToken!);
      expect(third.getHandle()).toBe(second.getHandle());
    });

    it('answers try-refresh-token for an expired access token', async () => {
      skewMs = -2 * 3600 * 1000;
      const { tokens } = await newSession();
      skewMs = 0;
      await expect(Session.getSessionWithoutRequestResponse(tokens.access)).rejects.toMatchObject({
        type: 'TRY_REFRESH_TOKEN',
      });
      const refreshed = await Session.refreshSessionWithoutRequestResponse(tokens.refresh);
      const fresh = refreshed.getAllSessionTokensDangerously().accessToken;
      expect((await Session.getSessionWithoutRequestResponse(fresh)).getHandle()).toBe(
        refreshed.getHandle(),
      );
    });

    it('revokes one session, or all sessions of a user', async () => {
      const { session, recipeUserId } = await newSession();
      const other = await Session.createNewSessionWithoutRequestResponse('public', recipeUserId);
      const third = await Session.createNewSessionWithoutRequestResponse('public', recipeUserId);
      expect(await Session.getAllSessionHandlesForUser(recipeUserId.getAsString())).toHaveLength(3);

      expect(await Session.revokeSession(session.getHandle())).toBe(true);
      expect(await Session.revokeSession(session.getHandle())).toBe(false);
      expect(
        (await Session.getAllSessionHandlesForUser(recipeUserId.getAsString())).sort(),
      ).toEqual([other.getHandle(), third.getHandle()].sort());
      const revoked = await Session.revokeAllSessionsForUser(recipeUserId.getAsString());
      expect(revoked.sort()).toEqual([other.getHandle(), third.getHandle()].sort());
      expect(await Session.getAllSessionHandlesForUser(recipeUserId.getAsString())).toEqual([]);
    });

    it('updates the access-token payload and the session data', async () => {
      const { session } = await newSession({ a: 1 });
      await session.mergeIntoAccessTokenPayload({ b: 2 });
      const token = session.getAllSessionTokensDangerously().accessToken;
      expect(decodeJwt(token)).toMatchObject({ a: 1, b: 2 });
      expect(
        (await Session.getSessionWithoutRequestResponse(token)).getAccessTokenPayload(),
      ).toMatchObject({
        a: 1,
        b: 2,
      });

      expect(await session.getSessionDataFromDatabase()).toEqual({ plan: 'free' });
      await session.updateSessionDataInDatabase({ plan: 'pro' });
      expect(await session.getSessionDataFromDatabase()).toEqual({ plan: 'pro' });

      // Offline update by handle: appears in the next token the core issues.
      expect(await Session.mergeIntoAccessTokenPayload(session.getHandle(), { c: 3 })).toBe(true);
      const info = await Session.getSessionInformation(session.getHandle());
      expect(info?.customClaimsInAccessTokenPayload).toMatchObject({ a: 1, b: 2, c: 3 });
      const checked = await Session.getSessionWithoutRequestResponse(token, undefined, {
        checkDatabase: true,
      });
      expect(checked.getAccessTokenPayload()).toMatchObject({ c: 3 });
    });
  });
});
