import { createHash } from 'node:crypto';
import supertokens from 'supertokens-node';
import Passwordless from 'supertokens-node/recipe/passwordless';
import Session from 'supertokens-node/recipe/session';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { initSdk } from '../support/sdk.js';

/** Embedded core, passwordless (docs/embedded-core.md, Passwordless), through supertokens-node's Passwordless functions. */
describe('passwordless on the embedded core', () => {
  let core: EmbeddedCore;
  let skewMs = 0;
  beforeAll(async () => {
    core = await startEmbeddedCore({ now: () => Date.now() + skewMs });
    initSdk(core, [
      Passwordless.init({
        contactMethod: 'EMAIL_OR_PHONE',
        flowType: 'USER_INPUT_CODE_AND_MAGIC_LINK',
      }),
      Session.init(),
    ]);
  });
  afterAll(() => core.stop());
  afterEach(() => {
    skewMs = 0;
  });

  const code = async (contact: { email: string } | { phoneNumber: string }) => {
    const created = await Passwordless.createCode({ tenantId: 'public', ...contact });
    if (created.status !== 'OK') throw new Error(created.status);
    return created;
  };

  it('creates codes in the real core formats (check 29)', async () => {
    const created = await code({ email: 'Format@Example.com' });
    expect(created.userInputCode).toMatch(/^\d{6}$/);
    expect(created.deviceId).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const bytes = Buffer.from(created.deviceId, 'base64');
    expect(created.preAuthSessionId).toBe(createHash('sha256').update(bytes).digest('base64url'));
    expect(created.linkCode).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.codeLifetime).toBe(900_000);
    const listed = await Passwordless.listCodesByEmail({
      tenantId: 'public',
      email: 'format@example.com',
    });
    expect(listed[0]).toMatchObject({
      preAuthSessionId: created.preAuthSessionId,
      email: 'format@example.com',
    });
  });

  it('signs up with the code, then signs the same email in again as the same user (check 33)', async () => {
    const first = await code({ email: 'ann@example.com' });
    const consumed = await Passwordless.consumeCode({
      tenantId: 'public',
      preAuthSessionId: first.preAuthSessionId,
      deviceId: first.deviceId,
      userInputCode: first.userInputCode,
    });
    expect(consumed).toMatchObject({ status: 'OK', createdNewRecipeUser: true });
    if (consumed.status !== 'OK') return;
    expect(consumed.user.loginMethods[0]).toMatchObject({
      recipeId: 'passwordless',
      email: 'ann@example.com',
      verified: true,
    });

    const again = await code({ email: 'ann@example.com' });
    const byLink = await Passwordless.consumeCode({
      tenantId: 'public',
      preAuthSessionId: again.preAuthSessionId,
      linkCode: again.linkCode,
    });
    expect(byLink).toMatchObject({
      status: 'OK',
      createdNewRecipeUser: false,
      user: { id: consumed.user.id },
    });
    const reused = await Passwordless.consumeCode({
      tenantId: 'public',
      preAuthSessionId: again.preAuthSessionId,
      linkCode: again.linkCode,
    });
    expect(reused.status).toBe('RESTART_FLOW_ERROR');
  });

  it('counts wrong codes per device and restarts the flow at the fifth (check 31)', async () => {
    const created = await code({ phoneNumber: '+1 650 555 0100' });
    const wrong = () =>
      Passwordless.consumeCode({
        tenantId: 'public',
        preAuthSessionId: created.preAuthSessionId,
        deviceId: created.deviceId,
        userInputCode: created.userInputCode === '000000' ? '111111' : '000000',
      });
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await wrong()).toEqual({
        status: 'INCORRECT_USER_INPUT_CODE_ERROR',
        failedCodeInputAttemptCount: attempt,
        maximumCodeInputAttempts: 5,
      });
    }
    expect((await wrong()).status).toBe('RESTART_FLOW_ERROR');
    const right = await Passwordless.consumeCode({
      tenantId: 'public',
      preAuthSessionId: created.preAuthSessionId,
      deviceId: created.deviceId,
      userInputCode: created.userInputCode,
    });
    expect(right.status).toBe('RESTART_FLOW_ERROR');
  });

  it('resends on the same device, and an expired code counts as a failed attempt (checks 30, 32)', async () => {
    skewMs = -16 * 60 * 1000;
    const old = await code({ phoneNumber: '+16505550101' });
    skewMs = 0;
    const resent = await Passwordless.createNewCodeForDevice({
      tenantId: 'public',
      deviceId: old.deviceId,
    });
    expect(resent.status).toBe('OK');
    if (resent.status !== 'OK') return;
    expect(resent.preAuthSessionId).toBe(old.preAuthSessionId);
    const listed = await Passwordless.listCodesByPreAuthSessionId({
      tenantId: 'public',
      preAuthSessionId: old.preAuthSessionId,
    });
    expect(listed?.codes).toHaveLength(2);
    const expired = await Passwordless.consumeCode({
      tenantId: 'public',
      preAuthSessionId: old.preAuthSessionId,
      deviceId: old.deviceId,
      userInputCode: old.userInputCode,
    });
    expect(expired).toEqual({
      status: 'EXPIRED_USER_INPUT_CODE_ERROR',
      failedCodeInputAttemptCount: 1,
      maximumCodeInputAttempts: 5,
    });
    const fresh = await Passwordless.consumeCode({
      tenantId: 'public',
      preAuthSessionId: resent.preAuthSessionId,
      deviceId: resent.deviceId,
      userInputCode: resent.userInputCode,
    });
    expect(fresh).toMatchObject({
      status: 'OK',
      consumedDevice: { phoneNumber: '+16505550101', failedCodeInputAttemptCount: 1 },
    });
    if (fresh.status === 'OK') expect(fresh.user.phoneNumbers).toEqual(['+16505550101']);
  });

  it('updates a passwordless user with rid passwordless (check 36)', async () => {
    const signIn = async (phoneNumber: string) => {
      const result = await Passwordless.signInUp({ tenantId: 'public', phoneNumber });
      if (result.status !== 'OK') throw new Error(result.status);
      return result.recipeUserId;
    };
    const first = await signIn('+16505550140');
    await signIn('+16505550141');
    expect(
      await Passwordless.updateUser({ recipeUserId: first, email: 'Phone.User@Example.com' }),
    ).toEqual({
      status: 'OK',
    });
    expect((await supertokens.getUser(first.getAsString()))?.emails).toEqual([
      'phone.user@example.com',
    ]);
    expect(
      (await Passwordless.updateUser({ recipeUserId: first, phoneNumber: '+16505550141' })).status,
    ).toBe('PHONE_NUMBER_ALREADY_EXISTS_ERROR');
    expect(await Passwordless.updateUser({ recipeUserId: first, phoneNumber: null })).toEqual({
      status: 'OK',
    });
    await expect(Passwordless.updateUser({ recipeUserId: first, email: null })).rejects.toThrow(
      'You cannot clear both email and phone number of a user',
    );
    const user = await supertokens.getUser(first.getAsString());
    expect(user?.phoneNumbers).toEqual([]);
    expect(user?.emails).toEqual(['phone.user@example.com']);
  });

  it('revokes codes', async () => {
    const created = await code({ email: 'revoke@example.com' });
    await Passwordless.revokeCode({ tenantId: 'public', codeId: created.codeId });
    expect(
      await Passwordless.listCodesByEmail({ tenantId: 'public', email: 'revoke@example.com' }),
    ).toEqual([]);
    await code({ email: 'revoke@example.com' });
    await Passwordless.revokeAllCodes({ tenantId: 'public', email: 'revoke@example.com' });
    expect(
      await Passwordless.listCodesByEmail({ tenantId: 'public', email: 'revoke@example.com' }),
    ).toEqual([]);
  });

  it('answers bad input with the real core 400s (check 35)', async () => {
    const created = await code({ email: 'bad@example.com' });
    const post = async (body: unknown) => {
      const response = await fetch(`${core.connectionURI}/public/recipe/signinup/code/consume`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': core.apiKey! },
        body: JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    };
    expect(
      await post({ preAuthSessionId: 'x', deviceId: created.deviceId, userInputCode: '1' }),
    ).toEqual({
      status: 400,
      text: "preAuthSessionId and deviceId doesn't match",
    });
    expect(
      await post({
        preAuthSessionId: created.preAuthSessionId,
        linkCode: created.linkCode,
        deviceId: created.deviceId,
      }),
    ).toEqual({
      status: 400,
      text: 'Please provide exactly one of linkCode or deviceId+userInputCode',
    });
    expect(
      await post({ preAuthSessionId: created.preAuthSessionId, linkCode: 'garbage-link-code' }),
    ).toEqual({
      status: 400,
      text: 'Input encoding error in linkCode',
    });
  });
});
