// The README's production sequence, as written: the built example app (`npm run build`, then
// `npm run start:prod`) with NODE_ENV=production, on the embedded core on a PostgreSQL server,
// emails through SMTP (a capture server here) and text messages through Twilio (configured, not
// reached: nothing here sends one). A user signs up, signs in and gets a password-reset email.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuiltApp, ensureBuilt, startBuiltApp } from '../support/built.js';
import { freePort } from '../support/free-port.js';
import { freshPostgresDatabase } from '../support/postgres.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

describe('the example app in production (built, NODE_ENV=production)', () => {
  let work: string;
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let smtp: TestSmtpServer;
  let app: BuiltApp | undefined;
  let port: number;

  const production = () => ({
    NODE_ENV: 'production',
    API_DOMAIN: `http://localhost:${port}`,
    SUPERTOKENS_STORAGE: database.url,
    SUPERTOKENS_EMBEDDED_IN_PRODUCTION: 'true',
    SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${smtp.port}`,
    SMTP_FROM: 'Acme <auth@acme.test>',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'test-token-not-used',
    TWILIO_FROM: '+15005550006',
  });

  beforeAll(async () => {
    await ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'nst-production-'));
    database = await freshPostgresDatabase();
    smtp = await startSmtpServer();
    port = await freePort();
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await smtp?.close();
    await database?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  const post = (path: string, body: object) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'st-auth-mode': 'header' },
      body: JSON.stringify(body),
    });
  const form = (email: string, password?: string) => ({
    formFields: [
      { id: 'email', value: email },
      ...(password ? [{ id: 'password', value: password }] : []),
    ],
  });

  it('refuses to start without senders for emails and text messages, naming the variables', async () => {
    const { SMTP_URL: _url, SMTP_FROM: _from, ...withoutSmtp } = production();
    await expect(startBuiltApp(withoutSmtp, work, port)).rejects.toThrow(
      /SMTP_URL is not set: with NODE_ENV=production/,
    );
    const { TWILIO_ACCOUNT_SID: _sid, TWILIO_AUTH_TOKEN: _token, ...withoutTwilio } = production();
    await expect(startBuiltApp(withoutTwilio, work, port)).rejects.toThrow(
      /TWILIO_ACCOUNT_SID is not set: with NODE_ENV=production/,
    );
  }, 90_000);

  it('starts, signs a user up and in, and sends the reset email through SMTP', async () => {
    app = await startBuiltApp(production(), work, port);
    expect(app.output()).toContain('storage PostgreSQL');

    const signUp = await post('/auth/signup', form('ada@acme.test', 'correct-horse-9'));
    expect(signUp.status).toBe(200);
    expect(await signUp.json()).toMatchObject({ status: 'OK' });
    const token = signUp.headers.get('st-access-token');
    const me = await fetch(`http://127.0.0.1:${port}/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    const signIn = await post('/auth/signin', form('ada@acme.test', 'correct-horse-9'));
    expect(await signIn.json()).toMatchObject({ status: 'OK' });

    const reset = await post('/auth/user/password/reset/token', form('ada@acme.test'));
    expect(await reset.json()).toEqual({ status: 'OK' });
    await smtp.waitFor(1);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual(['ada@acme.test']);
    expect(smtp.received[0].raw).toContain('From: Acme <auth@acme.test>');
    expect(smtp.received[0].raw).toMatch(/reset-password\?token=/);
    // Nothing a production log must not hold: no code or link printed for the console.
    expect(app.output()).not.toMatch(/token=/);
  }, 90_000);
});
