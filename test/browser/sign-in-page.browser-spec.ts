import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { AdminEmails } from '../../src/app.admin-emails.js';
import { AppController } from '../../src/app.controller.js';
import { authOptionsFromEnv } from '../../src/app.config.js';
import {
  AuthModule,
  type AuthModuleOptions,
  superTokensCors,
  UserRolesService,
} from '../../src/auth/index.js';
import { SignInPage } from '../../src/sign-in-page/sign-in-page.js';
import { SignInPageController } from '../../src/sign-in-page/sign-in-page.controller.js';
import { testInbox, totpCode } from '../../src/testing/index.js';

/** Access tokens live 4 s here, so a test can watch the page refresh its session. */
const ACCESS_TOKEN_SECONDS = 4;
const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'browser');

/**
 * The example app (its options, routes, ADMIN_EMAILS and sign-in page), with a short token life,
 * and `extra` options on top.
 */
async function exampleApp(
  appInfo: { apiDomain?: string; websiteDomain?: string } = {},
  env: Record<string, string> = {},
  extra: Partial<AuthModuleOptions> = {},
) {
  const config = new ConfigService(env);
  const options = authOptionsFromEnv(config);
  @Module({
    imports: [
      AuthModule.forRoot({
        ...options,
        appInfo: { ...options.appInfo, ...appInfo },
        embeddedCore: { storage: 'memory', config: { accessTokenValidity: ACCESS_TOKEN_SECONDS } },
        emailDelivery: 'inbox',
        smsDelivery: 'inbox',
        ...extra,
      }),
    ],
    controllers: [AppController, SignInPageController],
    providers: [AdminEmails, { provide: ConfigService, useValue: config }],
  })
  class BrowserTestModule {}
  const moduleRef = await Test.createTestingModule({ imports: [BrowserTestModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  if (appInfo.websiteDomain) app.enableCors(superTokensCors({ origin: appInfo.websiteDomain }));
  return app;
}

const originOf = (server: { address(): AddressInfo | string | null }): string =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** A port nothing listens on now, for an app whose options must name its own origin. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Chromium's virtual authenticator on this page: a passkey device (resident keys, user
 * verification) that answers every prompt by itself.
 */
async function virtualAuthenticator(page: Page, options: { isUserConsenting?: boolean } = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      ...options,
    },
  });
  return {
    /** The ids of the passkeys the device holds (base64url, as the SDK shows them). */
    credentialIds: async () =>
      (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.map(
        ({ credentialId }) => Buffer.from(credentialId, 'base64').toString('base64url'),
      ),
    /** Forgets a passkey, so the next prompt can only use the others. */
    forget: (id: string) =>
      cdp.send('WebAuthn.removeCredential', {
        authenticatorId,
        credentialId: Buffer.from(id, 'base64url').toString('base64'),
      }),
    /** The device is lost. */
    remove: () => cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId }),
  };
}

describe('the example sign-in page in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let failed = false;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
  });
  afterAll(() => browser?.close());

  /** Requests that failed or were answered 404 (a missing favicon, file or route). */
  let broken: string[];
  beforeEach(async () => {
    page = await browser.newPage();
    failed = true;
    broken = [];
    page.on('requestfailed', (r) => broken.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() === 404 && broken.push(`${r.url()} 404`));
  });
  afterEach(async () => {
    // A screenshot of the page as it was when a test failed.
    if (failed) {
      mkdirSync(SHOTS, { recursive: true });
      const name = expect.getState().currentTestName?.replace(/\W+/g, '-') ?? 'failure';
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    }
    await page.close();
  });

  /** The status line once it says something other than "Loading…". */
  const status = async () => {
    await page.locator('#status').filter({ hasNotText: 'Loading…' }).waitFor();
    return page.locator('#status').textContent();
  };
  /** Waits for the status line to say this. */
  const statusSays = (text: string) => page.locator('#status', { hasText: text }).waitFor();
  /** Clicks a call button and returns the answer the page shows. */
  const answer = async (path: string) => {
    await page.locator('#answer').evaluate((element) => (element.textContent = ''));
    await page.getByRole('button', { name: new RegExp(`^GET ${path}\\b`) }).click();
    await page.locator('#answer', { hasText: `GET ${path} →` }).waitFor();
    return page.locator('#answer').textContent();
  };

  describe('on the API origin', () => {
    let app: INestApplication;
    let base: string;
    beforeAll(async () => {
      app = await exampleApp({}, { ADMIN_EMAILS: 'boss@example.com, Chief@Example.com' });
      await app.listen(0, '127.0.0.1');
      base = originOf(app.getHttpServer() as Server);
    });
    afterAll(() => app.close());

    /** A link of an email, on the origin the test app listens on (the options say :3000). */
    const onBase = (link: string) => `${base}${new URL(link).pathname}${new URL(link).search}`;

    it('signs up, calls the API, refreshes the expired session by itself, and signs out', async () => {
      const refreshes: string[] = [];
      page.on(
        'request',
        (r) => r.url().endsWith('/auth/session/refresh') && refreshes.push(r.url()),
      );
      await page.goto(`${base}/`);
      expect(await status()).toBe('Not signed in.');

      await page.getByLabel('Email', { exact: true }).fill('ann@example.com');
      await page.getByLabel('Password').fill('ann-pass-123');
      await page.getByRole('button', { name: 'Sign up', exact: true }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await page.locator('#status').textContent()).toBe('Signed up and signed in.');
      const userId = await page.locator('#user-id').textContent();
      expect(userId).toMatch(/^[0-9a-f-]{36}$/);
      expect(await page.locator('#roles').textContent()).toBe('none');
      expect(await page.locator('#email-verified').textContent()).toBe('no');
      expect(await page.locator('#identity').textContent()).toBe('ann@example.com');
      expect(await page.locator('#tenant').textContent()).toBe('public');
      expect(await page.locator('#login-methods li').allTextContents()).toEqual([
        'Email and password: ann@example.com, not verified',
      ]);
      expect(await page.getByLabel('Password').inputValue()).toBe('');

      expect(await answer('/me')).toContain(`GET /me → 200\n{\n  "userId": "${userId}"`);
      expect(await page.locator('#raw').isHidden()).toBe(true);
      // A refusal says which check failed and what to do; the API's answer is one click away.
      expect(await answer('/admin')).toBe(
        'GET /admin → 403\nYou need the admin role: sign up with an email listed in ADMIN_EMAILS (see .env.example).',
      );
      expect(await page.locator('#status').textContent()).toBe('GET /admin was refused (403).');
      await page.getByText('What the API answered').click();
      expect(JSON.parse((await page.locator('#raw-answer').textContent())!)).toMatchObject({
        message: 'invalid claim',
        claimValidationErrors: [{ id: 'st-role' }],
      });
      expect(await answer('/verified')).toBe(
        'GET /verified → 403\nVerify your email first: use Send verification email, then open the link it contains.',
      );

      // The access token expires; the next call is answered 401 and the SDK refreshes and retries.
      const before = refreshes.length;
      await page.waitForTimeout(ACCESS_TOKEN_SECONDS * 1000 + 500);
      expect(await answer('/me')).toContain('GET /me → 200');
      expect(refreshes.length).toBeGreaterThan(before);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in or sign up' }).waitFor();
      expect(await page.locator('#status').textContent()).toBe('Signed out.');
      // The password typed to sign up is not waiting there for the next person.
      expect(await page.getByLabel('Password').inputValue()).toBe('');
      expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe('ann@example.com');
      expect((await page.request.get(`${base}/me`)).status()).toBe(401);

      // Signing in again with the same account, after a wrong password.
      await page.getByLabel('Email', { exact: true }).fill('ann@example.com');
      await page.getByLabel('Password').fill('wrong-pass-1');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await statusSays('Wrong email or password');
      await page.getByLabel('Password').fill('ann-pass-123');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await page.locator('#user-id').textContent()).toBe(userId);

      // The session is gone (its cookies cleared): the next call says to sign in again.
      await page.context().clearCookies();
      await page.getByRole('button', { name: 'GET /me' }).click();
      await statusSays('Signed out, or your session expired: sign in again.');
      await page.getByRole('heading', { name: 'Sign in or sign up' }).waitFor();
      // No file missing, no request failed; and no /favicon.ico for browsers to ask for (headless
      // Chromium asks for none): the page's icon is inline.
      expect(broken).toEqual([]);
      expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(
        /^data:image\/svg\+xml,<svg /,
      );
      failed = false;
    });

    it('sends a verification email, verifies the email with its link, and opens /verified', async () => {
      await page.goto(`${base}/`);
      await status();
      await page.getByLabel('Email', { exact: true }).fill('vic@example.com');
      await page.getByLabel('Password').fill('vic-pass-123');
      await page.getByRole('button', { name: 'Sign up', exact: true }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await answer('/verified')).toContain('GET /verified → 403\nVerify your email first');

      await page.getByRole('button', { name: 'Send verification email' }).click();
      await statusSays('Verification email sent to vic@example.com: open its link.');
      const link = testInbox(app).last('vic@example.com', 'email-verification')?.link ?? '';
      expect(link).toMatch(
        /^http:\/\/localhost:3000\/auth\/verify-email\?token=[\w-]+&tenantId=public$/,
      );
      await page.goto(onBase(link));
      await statusSays('Email verified.');
      expect(new URL(page.url()).pathname).toBe('/');
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await page.locator('#email-verified').textContent()).toBe('yes');
      expect(await page.locator('#verify-email').isHidden()).toBe(true);
      expect(await page.locator('#login-methods li').allTextContents()).toEqual([
        'Email and password: vic@example.com, verified',
      ]);
      expect(await answer('/verified')).toContain('GET /verified → 200');

      // The link works once.
      await page.goto(onBase(link));
      await statusSays('This verification link was used already or has expired');
      failed = false;
    });

    it('gives a user whose email is in ADMIN_EMAILS the admin role from sign-up', async () => {
      await page.goto(`${base}/`);
      await status();
      await page.getByLabel('Email', { exact: true }).fill('chief@example.com');
      await page.getByLabel('Password').fill('chief-pass-123');
      await page.getByRole('button', { name: 'Sign up', exact: true }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await page.locator('#roles').textContent()).toBe('admin');
      expect(await answer('/admin')).toContain('GET /admin → 200\n{\n  "message": "Hello, admin."');
      failed = false;
    });

    it('says what to do when the dashboard cannot load its user interface', async () => {
      // The CDN the dashboard's page loads its bundle from, unreachable.
      await page.route('https://cdn.jsdelivr.net/**', (route) =>
        route.abort('internetdisconnected'),
      );
      await page.goto(`${base}/`);
      await status();
      await page.getByRole('link', { name: 'User management dashboard' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(
        /did not load from\s+https:\/\/cdn\.jsdelivr\.net\/gh\/supertokens\/dashboard@v[\d.]+\/build\/[\s\S]*dashboard\.bundleDir/,
      );
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await page.locator('#status').getAttribute('class')).toBe('error');

      // Reachable: the link opens the dashboard.
      await page.unroute('https://cdn.jsdelivr.net/**');
      await page.route('https://cdn.jsdelivr.net/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }),
      );
      await page.getByRole('link', { name: 'User management dashboard' }).click();
      await page.waitForURL(`${base}/auth/dashboard`);
      failed = false;
    });

    it('signs in with a phone number and the code from the inbox, and shows the roles', async () => {
      const phone = '+14155550123';
      await page.goto(`${base}/`);
      await status();
      await page.getByLabel('Phone number').fill(phone);
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByLabel(/^Code/).waitFor();
      const code = testInbox(app).last(phone, 'passwordless')?.code;
      expect(code).toMatch(/^\d{6}$/);

      await page.getByLabel(/^Code/).fill('000000' === code ? '111111' : '000000');
      await page.getByRole('button', { name: 'Sign in with the code' }).click();
      await statusSays('attempts left');
      await page.getByLabel(/^Code/).fill(code!);
      await page.getByRole('button', { name: 'Sign in with the code' }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await page.locator('#status').textContent()).toBe('Signed up with your phone number.');
      // A phone number has no email to verify: no email line, no verification button.
      expect(await page.locator('#identity').textContent()).toBe(phone);
      expect(await page.locator('#login-methods li').allTextContents()).toEqual([
        `Phone number and code: ${phone}`,
      ]);
      expect(await page.locator('#email-verified-row').isHidden()).toBe(true);
      expect(await page.locator('#verify-email').isHidden()).toBe(true);

      expect(await answer('/admin')).toMatch(/^GET \/admin → 403\n/);

      // Roles travel in the access token: one given on the server shows from the next sign-in.
      const userId = (await page.locator('#user-id').textContent())!;
      const roles = app.get(UserRolesService);
      await roles.createRole('admin');
      await roles.addRoleToUser(userId, 'admin');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in or sign up' }).waitFor();
      await page.getByLabel('Phone number').fill(phone);
      await page.getByRole('button', { name: 'Send code' }).click();
      await statusSays('Code sent');
      await page.getByLabel(/^Code/).fill(testInbox(app).last(phone, 'passwordless')!.code!);
      await page.getByRole('button', { name: 'Sign in with the code' }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await page.locator('#status').textContent()).toBe('Signed in.');
      expect(await page.locator('#user-id').textContent()).toBe(userId);
      expect(await page.locator('#roles').textContent()).toBe('admin');
      expect(await answer('/admin')).toMatch(/^GET \/admin → 200\n/);
      failed = false;
    });
  });

  describe('with MFA=totp', () => {
    let app: INestApplication;
    let base: string;
    beforeAll(async () => {
      app = await exampleApp({}, { MFA: 'totp' });
      await app.listen(0, '127.0.0.1');
      base = originOf(app.getHttpServer() as Server);
    });
    afterAll(() => app.close());

    it('enrols an authenticator app after sign-up, asks for its code at sign-in, and lists it', async () => {
      await page.goto(`${base}/`);
      expect(await status()).toBe('Not signed in.');
      await page.getByLabel('Email', { exact: true }).fill('mia@example.com');
      await page.getByLabel('Password').fill('mia-pass-123');
      await page.getByRole('button', { name: 'Sign up', exact: true }).click();
      await page.getByRole('heading', { name: 'Second factor' }).waitFor();
      await page.locator('#totp-qr svg').waitFor();
      const secret = (await page.locator('#totp-secret').textContent()) ?? '';
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);

      await page.getByLabel('Authenticator app code').fill('000000');
      await page.getByRole('button', { name: 'Verify the code' }).click();
      await statusSays('Wrong code (4 attempts left)');
      await page.getByLabel('Authenticator app code').fill(totpCode(secret));
      await page.getByRole('button', { name: 'Verify the code' }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await page.locator('#status').textContent()).toBe('Second factor done.');
      expect(await answer('/mfa')).toContain('GET /mfa → 200');
      await page.locator('#device-list', { hasText: 'TOTP Device 0' }).waitFor();

      // Signing in again: the code step, no new device.
      await page.getByRole('button', { name: 'Sign out' }).first().click();
      await page.getByRole('heading', { name: 'Sign in or sign up' }).waitFor();
      await page.getByLabel('Email', { exact: true }).fill('mia@example.com');
      await page.getByLabel('Password').fill('mia-pass-123');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Second factor' }).waitFor();
      expect(await page.locator('#totp-enrol').isHidden()).toBe(true);
      const next = totpCode(secret, { at: Date.now() + 30_000 });
      await page.getByLabel('Authenticator app code').fill(next);
      await page.getByRole('button', { name: 'Verify the code' }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await answer('/mfa')).toContain('GET /mfa → 200');
      failed = false;
    });
  });

  describe('with passkeys (webauthn)', () => {
    let app: INestApplication;
    let port: number;
    /** The origin the app's options name: passkeys are bound to `localhost`. */
    let base: string;
    beforeAll(async () => {
      port = await freePort();
      base = `http://localhost:${port}`;
      app = await exampleApp(
        { apiDomain: base, websiteDomain: base },
        { ADMIN_EMAILS: 'pia@example.com' },
        { webauthn: true },
      );
      await app.listen(port, '127.0.0.1');
    });
    afterAll(() => app.close());

    /** The passkeys the page lists (their short ids). */
    const listed = async () =>
      (await page.locator('#passkey-list li').allTextContents()).map(
        (text) => /passkey (\S{8})/.exec(text)?.[1],
      );
    const signOut = async () => {
      await page.getByRole('button', { name: 'Sign out' }).first().click();
      await page.getByRole('heading', { name: 'Sign in or sign up' }).waitFor();
    };

    it('signs up and in with a passkey, adds a second one, removes one, and recovers the account', async () => {
      const device = await virtualAuthenticator(page);
      await page.goto(`${base}/`);
      expect(await status()).toBe('Not signed in.');
      await page.getByLabel('Email', { exact: true }).fill('pia@example.com');
      await page.getByRole('button', { name: 'Sign up with a passkey', exact: true }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await page.locator('#status').textContent()).toBe(
        'Signed up with a passkey and signed in.',
      );
      const userId = await page.locator('#user-id').textContent();
      expect(userId).toMatch(/^[0-9a-f-]{36}$/);
      // A passkey sign-up with an email of ADMIN_EMAILS: the role from the first token on.
      expect(await page.locator('#roles').textContent()).toBe('admin');
      expect(await page.locator('#login-methods li').allTextContents()).toEqual([
        'Passkey: pia@example.com, not verified',
      ]);
      const held = await device.credentialIds();
      expect(held).toHaveLength(1);
      const first = held[0];
      await page.locator('#passkey-list li').first().waitFor();
      expect(await listed()).toEqual([first.slice(0, 8)]);
      expect(await page.locator('#passkey-list li').textContent()).toMatch(/, created .+\d/);
      expect(await answer('/me')).toContain(`"userId": "${userId}"`);

      await signOut();
      expect((await page.request.get(`${base}/me`)).status()).toBe(401);
      await page.getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await page.locator('#status').textContent()).toBe('Signed in with a passkey.');
      expect(await page.locator('#user-id').textContent()).toBe(userId);

      // A second passkey on the same account: both listed.
      await page.getByRole('button', { name: 'Add a passkey', exact: true }).click();
      await statusSays('Passkey added.');
      await page.locator('#passkey-list li').nth(1).waitFor();
      const both = await device.credentialIds();
      expect(both).toHaveLength(2);
      expect((await listed()).sort()).toEqual(both.map((id) => id.slice(0, 8)).sort());

      // Removing the first: the list keeps the second, and the first no longer signs in.
      await page.getByRole('button', { name: `Remove passkey ${first.slice(0, 8)}` }).click();
      await statusSays(`Removed passkey ${first.slice(0, 8)}.`);
      await page.locator('#passkey-list li').nth(1).waitFor({ state: 'detached' });
      const second = both.find((id) => id !== first)!;
      expect(await listed()).toEqual([second.slice(0, 8)]);
      await signOut();
      await device.forget(second);
      await page.getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
      await statusSays('INVALID_CREDENTIALS_ERROR');
      expect(await page.locator('#status').getAttribute('class')).toBe('error');
      expect((await page.request.get(`${base}/me`)).status()).toBe(401);

      // The device is lost: a recovery link by email, a new passkey on a new device.
      await device.remove();
      const replacement = await virtualAuthenticator(page);
      await page.getByLabel('Email', { exact: true }).fill('pia@example.com');
      await page.getByRole('button', { name: 'Lost your passkey?', exact: true }).click();
      await statusSays('a recovery link is on its way');
      const link = testInbox(app).last('pia@example.com')?.link ?? '';
      expect(link).toMatch(
        new RegExp(`^${base}/auth/webauthn/recover\\?token=[\\w-]+&tenantId=public$`),
      );
      await page.goto(link);
      await page.getByRole('heading', { name: 'Recover your account' }).waitFor();
      expect(await page.locator('#signed-out').isHidden()).toBe(true);
      await page.getByRole('button', { name: 'Create a new passkey', exact: true }).click();
      await statusSays('Passkey saved: sign in with it.');
      expect(new URL(page.url()).pathname).toBe('/');
      await page.getByRole('heading', { name: 'Sign in or sign up' }).waitFor();
      expect(await replacement.credentialIds()).toHaveLength(1);
      await page.getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await page.locator('#user-id').textContent()).toBe(userId);
      expect(await answer('/me')).toContain(`"userId": "${userId}"`);

      // The link is spent.
      await page.goto(link);
      await page.getByRole('button', { name: 'Create a new passkey', exact: true }).click();
      await statusSays('RECOVER_ACCOUNT_TOKEN_INVALID_ERROR');
      failed = false;
    });

    it('says so when the email has a passkey account already, or the prompt is refused', async () => {
      const device = await virtualAuthenticator(page);
      await page.goto(`${base}/`);
      await status();
      await page.getByLabel('Email', { exact: true }).fill('kai@example.com');
      await page.getByRole('button', { name: 'Sign up with a passkey', exact: true }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      await signOut();
      await page.getByLabel('Email', { exact: true }).fill('kai@example.com');
      await page.getByRole('button', { name: 'Sign up with a passkey', exact: true }).click();
      await statusSays('EMAIL_ALREADY_EXISTS_ERROR');
      expect(await page.locator('#status').textContent()).toContain(
        'This email already has a passkey account',
      );

      // The user says no at the device's prompt.
      await device.remove();
      await virtualAuthenticator(page, { isUserConsenting: false });
      await page.getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
      await statusSays('NotAllowedError');
      expect(await page.locator('#status').textContent()).toContain('cancelled');
      expect((await page.request.get(`${base}/me`)).status()).toBe(401);
      failed = false;
    });

    it('refuses passkeys on a host the relying party id does not match', async () => {
      // The same app at 127.0.0.1: its passkeys belong to `localhost`.
      const other = `http://127.0.0.1:${port}`;
      await virtualAuthenticator(page);
      await page.goto(`${other}/`);
      expect(await status()).toBe('Not signed in.');
      await page.getByLabel('Email', { exact: true }).fill('eve@example.com');
      await page.getByRole('button', { name: 'Sign up with a passkey', exact: true }).click();
      await statusSays('FAILED_TO_REGISTER_USER');
      expect(await page.locator('#status').getAttribute('class')).toBe('error');
      await page.getByRole('button', { name: 'Sign in with a passkey', exact: true }).click();
      await statusSays('FAILED_TO_AUTHENTICATE_USER');
      expect(await page.getByRole('heading', { name: 'Signed in' }).isHidden()).toBe(true);
      expect((await page.request.get(`${other}/me`)).status()).toBe(401);
      failed = false;
    });
  });

  describe('on a second origin (a separate frontend)', () => {
    let app: INestApplication;
    let website: Server;
    beforeAll(async () => {
      website = createServer();
      await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
      const websiteDomain = originOf(website);
      app = await exampleApp({ websiteDomain });
      await app.listen(0, '127.0.0.1');
      const apiDomain = originOf(app.getHttpServer() as Server);
      const signInPage = new SignInPage({ apiDomain, apiBasePath: '/auth' });
      website.on('request', (req, res) => {
        const file = signInPage.get(req.url ?? '/');
        res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
        res.end(file?.body ?? 'Not found');
      });
    });
    afterAll(async () => {
      await app.close();
      await new Promise((resolve) => website.close(resolve));
    });

    it('signs up and calls the API across origins with the CORS lines of main.ts', async () => {
      await page.goto(`${originOf(website)}/`);
      expect(await status()).toBe('Not signed in.');
      await page.getByLabel('Email', { exact: true }).fill('bob@example.com');
      await page.getByLabel('Password').fill('bob-pass-123');
      await page.getByRole('button', { name: 'Sign up', exact: true }).click();
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      expect(await answer('/me')).toContain('GET /me → 200');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in or sign up' }).waitFor();
      failed = false;
    });
  });
});
