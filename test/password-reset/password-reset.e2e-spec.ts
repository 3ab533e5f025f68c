import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DeliveryInbox } from '../../src/auth/index.js';
import { HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/** The reset email goes to the inbox (never to a hosted service); its link resets the password once. */
describe('password reset over HTTP', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('emails a reset link that sets a new password once', async () => {
    const email = uniqueEmail();
    await new HeaderClient(app).signUp(email);
    const asked = await request(app.getHttpServer())
      .post('/auth/user/password/reset/token')
      .send({ formFields: [{ id: 'email', value: email }] });
    expect(asked.body).toEqual({ status: 'OK' });
    const link = app.get(DeliveryInbox).last(email, 'password-reset')?.link;
    expect(link).toMatch(
      /^http:\/\/localhost:3001\/auth\/reset-password\?token=[A-Za-z0-9]+&tenantId=public$/,
    );
    const token = new URL(link!).searchParams.get('token');

    const reset = () =>
      request(app.getHttpServer())
        .post('/auth/user/password/reset')
        .send({
          method: 'token',
          token,
          formFields: [{ id: 'password', value: 'brand-new-pass-1' }],
        });
    expect((await reset()).body).toEqual({ status: 'OK' });
    expect((await reset()).body).toEqual({ status: 'RESET_PASSWORD_INVALID_TOKEN_ERROR' });
    expect((await new HeaderClient(app).signIn(email, PASSWORD)).body).toEqual({
      status: 'WRONG_CREDENTIALS_ERROR',
    });
    expect((await new HeaderClient(app).signIn(email, 'brand-new-pass-1')).body.status).toBe('OK');
  });

  it('sends nothing, and says OK, for an unknown email', async () => {
    const inbox = app.get(DeliveryInbox);
    const before = inbox.all().length;
    const asked = await request(app.getHttpServer())
      .post('/auth/user/password/reset/token')
      .send({ formFields: [{ id: 'email', value: 'nobody@example.com' }] });
    expect(asked.body).toEqual({ status: 'OK' });
    expect(inbox.all()).toHaveLength(before);
  });
});
