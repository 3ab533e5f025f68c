import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types.js';
import EmailVerification from 'supertokens-node/recipe/emailverification';
import { HeaderClient } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/**
 * A session with a claim to check (email verification REQUIRED) is checked on every request:
 * the verified-token cache never lets the guard skip a claim validator.
 */
describe('claim validation with the verified-token cache', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({
      recipeList: [
        EmailVerification.init({
          mode: 'REQUIRED',
          emailDelivery: {
            override: (original) => ({ ...original, sendEmail: () => Promise.resolve() }),
          },
        }),
      ],
    });
  });
  afterAll(() => app.close());

  it('answers 403 invalid claim on every request while the email is unverified', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    for (let i = 0; i < 3; i++) {
      const me = await client.send('get', '/me');
      expect(me.status).toBe(403);
      expect(me.body).toMatchObject({
        message: 'invalid claim',
        claimValidationErrors: [{ id: 'st-ev' }],
      });
    }
  });
});
