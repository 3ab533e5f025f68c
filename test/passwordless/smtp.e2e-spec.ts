import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { createTestApp } from '../support/test-app.js';

/** Email through a real SMTP server on 127.0.0.1, with supertokens-node's own SMTP service. */
describe('email delivery over SMTP', () => {
  let app: INestApplication<App>;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await createTestApp({
      passwordless: { contactMethod: 'EMAIL', flowType: 'USER_INPUT_CODE' },
      emailDelivery: { smtp: smtp.settings },
    });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('delivers the sign-in code by SMTP', async () => {
    await request(app.getHttpServer())
      .post('/auth/signinup/code')
      .send({ email: 'smtp-user@example.com' })
      .expect(200);
    await smtp.waitFor();
    const { received } = smtp;
    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual(['smtp-user@example.com']);
    expect(received[0].raw).toMatch(/From: Acme <auth@acme\.test>/);
    expect(received[0].raw).toMatch(/\b\d{6}\b/);
  });
});
