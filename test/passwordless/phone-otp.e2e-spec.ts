import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DeliveryInbox } from '../../src/auth/index.js';
import { HeaderClient } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/** Phone number + one-time code over HTTP, codes read from the inbox. */
describe('passwordless: phone OTP', () => {
  let app: INestApplication<App>;
  let inbox: DeliveryInbox;
  beforeAll(async () => {
    app = await createTestApp({
      passwordless: { contactMethod: 'PHONE', flowType: 'USER_INPUT_CODE' },
    });
    inbox = app.get(DeliveryInbox);
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  async function startFlow(phoneNumber: string) {
    const response = await http()
      .post('/auth/signinup/code')
      .set('st-auth-mode', 'header')
      .send({ phoneNumber });
    expect(response.body).toMatchObject({ status: 'OK', flowType: 'USER_INPUT_CODE' });
    return response.body as { deviceId: string; preAuthSessionId: string };
  }

  const consume = (flow: { deviceId: string; preAuthSessionId: string }, userInputCode: string) =>
    http()
      .post('/auth/signinup/code/consume')
      .set('st-auth-mode', 'header')
      .send({ ...flow, userInputCode });

  it('signs up with the code from the inbox, and the session opens guarded routes', async () => {
    const flow = await startFlow('+1 650 555 0123');
    const message = inbox.last('+16505550123', 'passwordless');
    expect(message).toMatchObject({ channel: 'sms', code: expect.stringMatching(/^\d{6}$/) });
    expect(message?.link).toBeUndefined();

    const consumed = await consume(flow, message!.code!);
    expect(consumed.body).toMatchObject({
      status: 'OK',
      createdNewRecipeUser: true,
      user: { phoneNumbers: ['+16505550123'] },
    });
    const client = new HeaderClient(app);
    client.access = consumed.headers['st-access-token'];
    const me = await client.send('get', '/me');
    expect(me.status).toBe(200);
    expect(me.body.userId).toBe(consumed.body.user.id);

    // The same phone again signs the same user in.
    const again = await startFlow('+16505550123');
    const second = await consume(again, inbox.last('+16505550123', 'passwordless')!.code!);
    expect(second.body).toMatchObject({
      status: 'OK',
      createdNewRecipeUser: false,
      user: { id: consumed.body.user.id },
    });
  });

  it('shows the attempts left for a wrong code and restarts the flow at the fifth', async () => {
    const flow = await startFlow('+16505550124');
    const right = inbox.last('+16505550124')!.code!;
    const wrong = right === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await consume(flow, wrong)).body).toEqual({
        status: 'INCORRECT_USER_INPUT_CODE_ERROR',
        failedCodeInputAttemptCount: attempt,
        maximumCodeInputAttempts: 5,
      });
    }
    expect((await consume(flow, wrong)).body).toEqual({ status: 'RESTART_FLOW_ERROR' });
    expect((await consume(flow, right)).body).toEqual({ status: 'RESTART_FLOW_ERROR' });
  });

  it('resends a usable code', async () => {
    const flow = await startFlow('+16505550125');
    const resent = await http().post('/auth/signinup/code/resend').send(flow);
    expect(resent.body).toEqual({ status: 'OK' });
    const codes = inbox.all().filter((m) => m.to === '+16505550125');
    expect(codes).toHaveLength(2);
    expect((await consume(flow, codes[1].code!)).body.status).toBe('OK');
  });

  it("answers an invalid phone number with the SDK's error, not a 500", async () => {
    const response = await http().post('/auth/signinup/code').send({ phoneNumber: 'not a phone' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'GENERAL_ERROR',
      message: expect.stringMatching(/phone number is invalid/i),
    });
  });
});
