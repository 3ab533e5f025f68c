import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import supertokens from 'supertokens-node';
import { DeliveryInbox } from '../../src/auth/index.js';
import { HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/** Two signed-in devices of one user; returns them with the user's id. */
async function twoDevices(app: INestApplication<App>, email = uniqueEmail()) {
  const phone = new HeaderClient(app);
  const signUp = await phone.signUp(email);
  const laptop = new HeaderClient(app);
  await laptop.signIn(email);
  return { email, phone, laptop, userId: (signUp.body as { user: { id: string } }).user.id };
}

async function resetPassword(app: INestApplication<App>, email: string, password: string) {
  await request(app.getHttpServer())
    .post('/auth/user/password/reset/token')
    .send({ formFields: [{ id: 'email', value: email }] });
  const link = app.get(DeliveryInbox).last(email, 'password-reset')!.link!;
  const reset = await request(app.getHttpServer())
    .post('/auth/user/password/reset')
    .send({
      method: 'token',
      token: new URL(link).searchParams.get('token'),
      formFields: [{ id: 'password', value: password }],
    });
  expect(reset.body).toEqual({ status: 'OK' });
}

describe('a changed password ends the other sessions', () => {
  let app: INestApplication<App>;
  const DASHBOARD = { email: 'ops@example.com', password: 'ops-pass-1' };
  beforeAll(async () => {
    app = await createTestApp({ dashboard: { users: [DASHBOARD] } });
  });
  afterAll(() => app.close());

  it('a reset through the API revokes every session: old refresh tokens are refused', async () => {
    const { email, phone, laptop } = await twoDevices(app);
    const stolenRefresh = laptop.refreshToken;
    await resetPassword(app, email, 'brand-new-pass-1');
    expect((await phone.refresh()).status).toBe(401);
    expect((await laptop.refresh(stolenRefresh)).status).toBe(401);
    // The new password works, and its session refreshes.
    const fresh = new HeaderClient(app);
    expect((await fresh.signIn(email, 'brand-new-pass-1')).body.status).toBe('OK');
    expect((await fresh.refresh()).status).toBe(200);
  });

  it('a change from the dashboard revokes them too', async () => {
    const { phone, userId } = await twoDevices(app);
    const signIn = await request(app.getHttpServer())
      .post('/auth/dashboard/api/signin')
      .send(DASHBOARD);
    const change = await request(app.getHttpServer())
      .put('/auth/dashboard/api/user/password')
      .set('authorization', `Bearer ${(signIn.body as { sessionId: string }).sessionId}`)
      .send({ recipeUserId: userId, newPassword: 'set-by-admin-2' });
    expect(change.body).toEqual({ status: 'OK' });
    expect((await phone.refresh()).status).toBe(401);
  });

  it("your own change-password route keeps the caller's session (userContext.keepSessionHandle)", async () => {
    const { phone, laptop, userId } = await twoDevices(app);
    const me = await phone.send('get', '/me');
    const handle = (me.body as { handle: string }).handle;
    const result = await EmailPassword.updateEmailOrPassword({
      recipeUserId: supertokens.convertToRecipeUserId(userId),
      password: 'changed-in-app-3',
      userContext: { keepSessionHandle: handle },
    });
    expect(result.status).toBe('OK');
    expect((await phone.refresh()).status).toBe(200);
    expect((await laptop.refresh()).status).toBe(401);
  });
});

describe('security.revokeSessionsOnPasswordChange: false', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ security: { revokeSessionsOnPasswordChange: false } });
  });
  afterAll(() => app.close());

  it('leaves the sessions alive after a reset', async () => {
    const { email, phone } = await twoDevices(app);
    await resetPassword(app, email, 'brand-new-pass-1');
    expect((await phone.refresh()).status).toBe(200);
    expect((await new HeaderClient(app).signIn(email, PASSWORD)).body.status).toBe(
      'WRONG_CREDENTIALS_ERROR',
    );
  });
});
