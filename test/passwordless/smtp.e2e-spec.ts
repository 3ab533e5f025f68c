import type { INestApplication } from '@nestjs/common';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp } from '../support/test-app.js';

/** Email through a real SMTP server on 127.0.0.1, with supertokens-node's own SMTP service. */
describe('email delivery over SMTP', () => {
  let app: INestApplication<App>;
  let smtp: SMTPServer;
  const received: { to: string[]; raw: string }[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onData: (stream, session, callback) => {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as { port: number };
    app = await createTestApp({
      passwordless: { contactMethod: 'EMAIL', flowType: 'USER_INPUT_CODE' },
      emailDelivery: {
        smtp: {
          host: '127.0.0.1',
          port,
          secure: false,
          from: { name: 'Acme', email: 'auth@acme.test' },
          password: 'pw',
        },
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  it('delivers the sign-in code by SMTP', async () => {
    await request(app.getHttpServer())
      .post('/auth/signinup/code')
      .send({ email: 'smtp-user@example.com' })
      .expect(200);
    for (let i = 0; i < 50 && received.length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual(['smtp-user@example.com']);
    expect(received[0].raw).toMatch(/From: Acme <auth@acme\.test>/);
    expect(received[0].raw).toMatch(/\b\d{6}\b/);
  });
});
