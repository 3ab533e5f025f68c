import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import { formFields, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/**
 * `apis: false`: a service behind a gateway that only checks tokens. No auth route is mounted;
 * the guard still verifies sessions issued elsewhere (here by the SDK directly, same core).
 */
describe('verify-only mode', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ apis: false });
  });
  afterAll(() => app.close());

  it('mounts no auth routes', async () => {
    const response = await request(app.getHttpServer())
      .post('/auth/signup')
      .send(formFields(uniqueEmail(), PASSWORD));
    expect(response.status).toBe(404);
  });

  it('verifies a session created elsewhere and refuses requests without one', async () => {
    const signUp = await EmailPassword.signUp('public', uniqueEmail(), PASSWORD);
    if (signUp.status !== 'OK') throw new Error(signUp.status);
    const session = await Session.createNewSessionWithoutRequestResponse(
      'public',
      signUp.recipeUserId,
    );
    const { accessToken } = session.getAllSessionTokensDangerously();

    const me = await request(app.getHttpServer())
      .get('/me')
      .set('authorization', `Bearer ${accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body.userId).toBe(signUp.user.id);
    expect((await request(app.getHttpServer()).get('/me')).status).toBe(401);
  });
});
