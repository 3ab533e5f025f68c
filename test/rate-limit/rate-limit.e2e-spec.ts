import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DeliveryInbox } from '../../src/auth/index.js';
import { DEFAULT_RATE_LIMITS } from '../../src/auth/security/rate-limit/rate-limit.options.js';
import { formFields, HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

const tight = (limit: number) => ({ limit, windowSeconds: 60 });

/** A refusal as the limits give it: 429, Retry-After, and the SDK's `{ message }` shape. */
function expect429(response: request.Response) {
  expect(response.status).toBe(429);
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(response.body).toEqual({
    message: expect.stringMatching(/^Too many requests: try again in \d+ seconds$/) as string,
  });
}

/**
 * Every built-in limit, each on its own: past it the API answers 429 with Retry-After and the
 * SDK's `{ message }` shape, without doing the work (no hash, no message sent). Honest users
 * (other accounts, other contacts) keep working.
 */
describe('built-in rate limits', () => {
  let app: INestApplication<App>;
  let inbox: DeliveryInbox;
  const http = () => request(app.getHttpServer());
  const ALL_OFF = Object.fromEntries(Object.keys(DEFAULT_RATE_LIMITS).map((k) => [k, false]));

  async function appWith(limits: object) {
    await app?.close();
    app = await createTestApp({
      passwordless: { contactMethod: 'EMAIL_OR_PHONE', flowType: 'USER_INPUT_CODE' },
      emailVerification: { mode: 'OPTIONAL' },
      dashboard: { users: [{ email: 'ops@example.com', password: 'ops-pass-1' }] },
      rateLimit: { limits: { ...ALL_OFF, ...limits } },
    });
    inbox = app.get(DeliveryInbox);
  }
  afterAll(() => app?.close());

  it('signInPerIp: refuses the attempt past the limit without checking the password', async () => {
    await appWith({ signInPerIp: tight(3) });
    const email = uniqueEmail();
    await new HeaderClient(app).signUp(email);
    for (let i = 0; i < 3; i++) {
      expect((await http().post('/auth/signin').send(formFields(email, 'wrong-1'))).status).toBe(
        200,
      );
    }
    // The right password, but over the limit: refused before the SDK, so no session either.
    const blocked = await http().post('/auth/signin').send(formFields(email, PASSWORD));
    expect429(blocked);
    expect(blocked.headers['st-access-token']).toBeUndefined();
  });

  it('signInBackoff: doubles the wait after the free failures; the right password clears it', async () => {
    await appWith({
      signInBackoff: { freeFailures: 2, maxDelaySeconds: 900, windowSeconds: 3600 },
    });
    const email = uniqueEmail();
    const other = uniqueEmail();
    await new HeaderClient(app).signUp(email);
    await new HeaderClient(app).signUp(other);
    const guess = () => http().post('/auth/signin').send(formFields(email, 'wrong-1'));
    expect((await guess()).body).toEqual({ status: 'WRONG_CREDENTIALS_ERROR' });
    expect((await guess()).body).toEqual({ status: 'WRONG_CREDENTIALS_ERROR' });
    // The third attempt takes a 1 s lock; the next one waits for it.
    expect((await guess()).body).toEqual({ status: 'WRONG_CREDENTIALS_ERROR' });
    expect429(await guess());
    // Another account is not affected.
    expect((await new HeaderClient(app).signIn(other)).body.status).toBe('OK');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // Fourth attempt: a 2 s lock now; the owner gets in after it, which clears the back-off.
    expect((await guess()).body).toEqual({ status: 'WRONG_CREDENTIALS_ERROR' });
    const locked = await guess();
    expect429(locked);
    expect(Number(locked.headers['retry-after'])).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await new HeaderClient(app).signIn(email)).body.status).toBe('OK');
    expect((await guess()).body).toEqual({ status: 'WRONG_CREDENTIALS_ERROR' });
    expect((await guess()).body).toEqual({ status: 'WRONG_CREDENTIALS_ERROR' });
  });

  it('signInBackoff: 32 concurrent guesses past the free ones let exactly one through', async () => {
    await appWith({
      signInBackoff: { freeFailures: 2, maxDelaySeconds: 900, windowSeconds: 3600 },
    });
    const email = uniqueEmail();
    await new HeaderClient(app).signUp(email);
    for (let i = 0; i < 2; i++) await http().post('/auth/signin').send(formFields(email, 'w'));
    const answers = await Promise.all(
      Array.from({ length: 32 }, () => http().post('/auth/signin').send(formFields(email, 'w'))),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(31);
  });

  it('signUpPerIp', async () => {
    await appWith({ signUpPerIp: tight(2) });
    for (let i = 0; i < 2; i++) {
      expect((await new HeaderClient(app).signUp()).body.status).toBe('OK');
    }
    const email = uniqueEmail();
    expect429(await new HeaderClient(app).signUp(email));
    // Nothing was created: the email is still free once the window has passed.
    expect((await http().get(`/auth/emailpassword/email/exists?email=${email}`)).body).toEqual({
      status: 'OK',
      exists: false,
    });
  });

  it('resetRequestPerAccount and resetRequestPerIp: no email goes out past them', async () => {
    await appWith({ resetRequestPerAccount: tight(2), resetRequestPerIp: tight(4) });
    const email = uniqueEmail();
    await new HeaderClient(app).signUp(email);
    const ask = (address: string) =>
      http()
        .post('/auth/user/password/reset/token')
        .send({ formFields: [{ id: 'email', value: address }] });
    expect((await ask(email)).body).toEqual({ status: 'OK' });
    expect((await ask(` ${email.toUpperCase()} `)).body).toEqual({ status: 'OK' });
    const sent = inbox.all().length;
    expect429(await ask(email));
    expect(inbox.all()).toHaveLength(sent);
    // The IP has made 3 requests (the refused one counts too): one more, then it is refused.
    expect((await ask(uniqueEmail())).body).toEqual({ status: 'OK' });
    expect429(await ask(uniqueEmail()));
  });

  it('resetSubmitPerIp: token guesses stop', async () => {
    await appWith({ resetSubmitPerIp: tight(2) });
    const submit = () =>
      http()
        .post('/auth/user/password/reset')
        .send({
          method: 'token',
          token: 'guess',
          formFields: [{ id: 'password', value: 'new-pass-123' }],
        });
    expect((await submit()).body).toEqual({ status: 'RESET_PASSWORD_INVALID_TOKEN_ERROR' });
    expect((await submit()).body).toEqual({ status: 'RESET_PASSWORD_INVALID_TOKEN_ERROR' });
    expect429(await submit());
  });

  it('verifyEmailPerIp', async () => {
    await appWith({ verifyEmailPerIp: tight(1) });
    const client = new HeaderClient(app);
    await client.signUp();
    const send = () => client.authed('post', '/auth/user/email/verify/token');
    expect((await send()).body).toEqual({ status: 'OK' });
    expect429(await send());
  });

  it('codeRequestPerContact: one phone number gets 2 codes, spellings included; others are served', async () => {
    await appWith({ codeRequestPerContact: tight(2) });
    const code = (body: object) => http().post('/auth/signinup/code').send(body);
    expect((await code({ phoneNumber: '+16505550101' })).body.status).toBe('OK');
    expect((await code({ phoneNumber: '+1 (650) 555-0101' })).body.status).toBe('OK');
    const sent = inbox.all().length;
    expect429(await code({ phoneNumber: '+1 650 555 0101' }));
    expect(inbox.all()).toHaveLength(sent);
    expect((await code({ phoneNumber: '+16505550102' })).body.status).toBe('OK');
    expect((await code({ email: 'A@example.com' })).body.status).toBe('OK');
    expect((await code({ email: 'a@example.com' })).body.status).toBe('OK');
    expect429(await code({ email: 'a@EXAMPLE.com' }));
  });

  it('codeRequestPerIp', async () => {
    await appWith({ codeRequestPerIp: tight(2) });
    const code = (phoneNumber: string) => http().post('/auth/signinup/code').send({ phoneNumber });
    expect((await code('+16505550111')).status).toBe(200);
    expect((await code('+16505550112')).status).toBe(200);
    expect429(await code('+16505550113'));
  });

  it('codeResendPerDevice: a device holds a bounded number of codes', async () => {
    await appWith({ codeResendPerDevice: tight(2) });
    const started = await http().post('/auth/signinup/code').send({ phoneNumber: '+16505550121' });
    const { deviceId, preAuthSessionId } = started.body as Record<string, string>;
    const resend = () =>
      http().post('/auth/signinup/code/resend').send({ deviceId, preAuthSessionId });
    expect((await resend()).body).toEqual({ status: 'OK' });
    expect((await resend()).body).toEqual({ status: 'OK' });
    expect429(await resend());
    expect(inbox.all().filter((m) => m.to === '+16505550121')).toHaveLength(3);
  });

  it('codeConsumePerIp: code guesses stop', async () => {
    await appWith({ codeConsumePerIp: tight(2) });
    const started = await http().post('/auth/signinup/code').send({ phoneNumber: '+16505550131' });
    const { deviceId, preAuthSessionId } = started.body as Record<string, string>;
    const consume = () =>
      http()
        .post('/auth/signinup/code/consume')
        .send({ deviceId, preAuthSessionId, userInputCode: '000000' });
    expect((await consume()).body.status).toBe('INCORRECT_USER_INPUT_CODE_ERROR');
    expect((await consume()).body.status).toBe('INCORRECT_USER_INPUT_CODE_ERROR');
    expect429(await consume());
  });

  it('dashboardSignInPerIp and dashboardSignInBackoff', async () => {
    await appWith({
      dashboardSignInPerIp: tight(4),
      dashboardSignInBackoff: { freeFailures: 1, maxDelaySeconds: 900, windowSeconds: 3600 },
    });
    const signIn = (password: string) =>
      http().post('/auth/dashboard/api/signin').send({ email: 'ops@example.com', password });
    expect((await signIn('wrong-1')).body.status).toBe('INVALID_CREDENTIALS_ERROR');
    expect((await signIn('wrong-2')).body.status).toBe('INVALID_CREDENTIALS_ERROR');
    expect429(await signIn('ops-pass-1'));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await signIn('ops-pass-1')).body.status).toBe('OK');
    expect429(await signIn('ops-pass-1'));
  });

  it('tenant-prefixed paths and path tricks count against the same limits', async () => {
    await appWith({ signUpPerIp: tight(1) });
    expect((await new HeaderClient(app).signUp()).body.status).toBe('OK');
    for (const path of [
      '/auth/public/signup',
      '/auth/./signup',
      '/auth/signup/?x=1',
      '/auth/x/../signup',
    ]) {
      expect429(await http().post(path).send(formFields(uniqueEmail(), PASSWORD)));
    }
  });
});

describe('rate limits: trustProxy and the default', () => {
  let app: INestApplication<App>;
  afterEach(() => app.close());

  it('ignores X-Forwarded-For unless trustProxy says how many proxies append to it', async () => {
    app = await createTestApp({ rateLimit: { limits: { signUpPerIp: tight(1) } } });
    const signUp = (forwardedFor: string) =>
      request(app.getHttpServer())
        .post('/auth/signup')
        .set('x-forwarded-for', forwardedFor)
        .send(formFields(uniqueEmail(), PASSWORD));
    expect((await signUp('203.0.113.1')).status).toBe(200);
    expect429(await signUp('203.0.113.2'));
    await app.close();

    app = await createTestApp({ rateLimit: { trustProxy: 1, limits: { signUpPerIp: tight(1) } } });
    expect((await signUp('198.51.100.7, 203.0.113.1')).status).toBe(200);
    expect((await signUp('198.51.100.7, 203.0.113.2')).status).toBe(200);
    expect429(await signUp('10.0.0.1, 203.0.113.2'));
  });

  it('is on by default (without authTestingOptions / rateLimit: false)', async () => {
    app = await createTestApp({ rateLimit: undefined });
    const email = uniqueEmail();
    await new HeaderClient(app).signUp(email);
    const limit = (DEFAULT_RATE_LIMITS.signInPerIp as { limit: number }).limit;
    const answers = [];
    for (let i = 0; i <= limit; i++) {
      answers.push(
        (await request(app.getHttpServer()).post('/auth/signin').send(formFields(email, 'w')))
          .status,
      );
    }
    expect(answers.at(-1)).toBe(429);
  });
});
