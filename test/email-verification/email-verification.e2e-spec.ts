import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DeliveryInbox, EmailVerificationService } from '../../src/auth/index.js';
import { HeaderClient, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

describe('email verification', () => {
  let app: INestApplication<App> | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('REQUIRED: 403 until the link from the inbox is consumed, then 200', async () => {
    app = await createTestApp({ emailVerification: { mode: 'REQUIRED' } });
    const client = new HeaderClient(app);
    const email = uniqueEmail();
    await client.signUp(email);
    const refused = await client.send('get', '/me');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      message: 'invalid claim',
      claimValidationErrors: [{ id: 'st-ev' }],
    });

    expect((await client.send('post', '/auth/user/email/verify/token')).body).toEqual({
      status: 'OK',
    });
    const message = app.get(DeliveryInbox).last(email, 'email-verification');
    expect(message?.link).toMatch(
      /^http:\/\/localhost:3001\/auth\/verify-email\?token=[A-Za-z0-9]+&tenantId=public$/,
    );

    const verified = await client
      .authed('post', '/auth/user/email/verify')
      .send({ method: 'token', token: tokenOf(message!.link!) });
    expect(verified.body).toEqual({ status: 'OK' });
    // The SDK updates the session's st-ev claim in that response.
    client.access = verified.headers['st-access-token'] ?? client.access;
    expect((await client.send('get', '/me')).status).toBe(200);

    const reused = await request(app.getHttpServer())
      .post('/auth/user/email/verify')
      .send({ method: 'token', token: tokenOf(message!.link!) });
    expect(reused.body).toEqual({ status: 'EMAIL_VERIFICATION_INVALID_TOKEN_ERROR' });
  });

  it('OPTIONAL: open routes work unverified, @RequireEmailVerified() routes do not', async () => {
    app = await createTestApp({ roles: true, emailVerification: { mode: 'OPTIONAL' } });
    const client = new HeaderClient(app);
    const signUp = await client.signUp();
    expect((await client.send('get', '/me')).status).toBe(200);
    expect((await client.send('get', '/claims/verified')).status).toBe(403);

    const service = app.get(EmailVerificationService);
    expect(await service.isVerified(signUp.body.user.id)).toBe(false);
    expect(await service.markVerified(signUp.body.user.id)).toBe(true);
    expect(await service.isVerified(signUp.body.user.id)).toBe(true);
    const handle = (await client.send('get', '/me')).body.handle as string;
    expect(await service.refreshSessionClaim(handle)).toBe(true);
    await client.refresh();
    expect((await client.send('get', '/claims/verified')).status).toBe(200);
  });
});
