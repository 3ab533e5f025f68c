import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DeliveryInbox } from '../../src/auth/index.js';
import { uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/** Email OTP, magic links and EMAIL_OR_PHONE over HTTP. */
describe('passwordless: email codes and magic links', () => {
  let app: INestApplication<App>;
  let inbox: DeliveryInbox;
  beforeAll(async () => {
    app = await createTestApp({
      passwordless: { contactMethod: 'EMAIL_OR_PHONE', flowType: 'USER_INPUT_CODE_AND_MAGIC_LINK' },
    });
    inbox = app.get(DeliveryInbox);
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('signs in with the code emailed, and marks the email verified', async () => {
    const email = uniqueEmail();
    const flow = (await http().post('/auth/signinup/code').send({ email })).body;
    const message = inbox.last(email, 'passwordless');
    expect(message).toMatchObject({ channel: 'email', code: expect.stringMatching(/^\d{6}$/) });
    const consumed = await http().post('/auth/signinup/code/consume').send({
      preAuthSessionId: flow.preAuthSessionId,
      deviceId: flow.deviceId,
      userInputCode: message!.code,
    });
    expect(consumed.body).toMatchObject({ status: 'OK', user: { emails: [email] } });
    expect(consumed.body.user.loginMethods[0].verified).toBe(true);
  });

  it('signs in with the magic link emailed', async () => {
    const email = uniqueEmail();
    const flow = (await http().post('/auth/signinup/code').send({ email })).body;
    const link = inbox.last(email, 'passwordless')!.link!;
    expect(link).toMatch(
      /^http:\/\/localhost:3001\/auth\/verify\?preAuthSessionId=[\w-]+&tenantId=public#[\w-]+$/,
    );
    const linkCode = new URL(link).hash.slice(1);
    const consumed = await http()
      .post('/auth/signinup/code/consume')
      .send({ preAuthSessionId: flow.preAuthSessionId, linkCode });
    expect(consumed.body).toMatchObject({ status: 'OK', createdNewRecipeUser: true });
  });

  it('takes a phone number too (EMAIL_OR_PHONE), by text message', async () => {
    await http().post('/auth/signinup/code').send({ phoneNumber: '+16505550177' }).expect(200);
    expect(inbox.last('+16505550177', 'passwordless')).toMatchObject({
      channel: 'sms',
      link: expect.any(String),
    });
  });

  it('answers a malformed link code with 400 naming it, not a 500', async () => {
    const flow = (await http().post('/auth/signinup/code').send({ email: uniqueEmail() })).body;
    const response = await http()
      .post('/auth/signinup/code/consume')
      .send({ preAuthSessionId: flow.preAuthSessionId, linkCode: 'garbage-link-code' });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(
      'Rejected by the authentication core: Input encoding error in linkCode',
    );
  });
});
