import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import type { App } from 'supertest/types.js';
import {
  AuthGuard,
  AuthModule,
  type AuthModuleOptions,
  MfaService,
  RequireMfa,
  Session,
  VerifySession,
} from '../../src/auth/index.js';
import { testInbox, totpCode } from '../../src/testing/index.js';
import { HeaderClient, uniqueEmail } from '../support/auth-client.js';
import { APP_INFO, startModuleApp } from '../support/test-app.js';

@Controller()
@UseGuards(AuthGuard)
class MfaController {
  @Get('secret')
  secret(@Session('userId') userId: string) {
    return { userId };
  }

  /** Where the second-factor step is shown: open to a session that has not done it yet. */
  @Get('step')
  @RequireMfa(false)
  step() {
    return { step: 'totp' };
  }

  @Get('billing')
  @RequireMfa()
  billing() {
    return { billing: true };
  }

  @Get('reports')
  @VerifySession({ mfa: true })
  reports() {
    return { reports: true };
  }
}

const options = (mfa: AuthModuleOptions['mfa']): AuthModuleOptions => ({
  appInfo: APP_INFO,
  emailDelivery: 'inbox',
  rateLimit: false,
  ...(process.env.AUTH_ROUTES === 'middleware' && { routes: 'middleware' as const }),
  mfa,
});

const mfaRefusal = {
  message: 'invalid claim',
  claimValidationErrors: [expect.objectContaining({ id: 'st-mfa' })],
};

describe('multi-factor sign-in with TOTP (mfa option)', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await startModuleApp(
      {
        imports: [
          AuthModule.forRoot(
            options({ requiredSecondaryFactors: ['totp'], totp: { issuer: 'Acme' } }),
          ),
        ],
        controllers: [MfaController],
      },
      { listen: true },
    );
  });
  afterAll(() => app.close());

  it('holds a first-factor session at 403 until a TOTP device is enrolled and its code given', async () => {
    const client = new HeaderClient(app);
    const email = uniqueEmail();
    expect((await client.signUp(email)).status).toBe(200);
    const refused = await client.send('get', '/secret');
    expect([refused.status, refused.body]).toEqual([403, mfaRefusal]);
    expect((await client.send('get', '/step')).body).toEqual({ step: 'totp' });

    const device = await client.send('post', '/auth/totp/device', {});
    expect(device.body).toMatchObject({ status: 'OK', deviceName: 'TOTP Device 0' });
    expect(device.body.qrCodeString).toMatch(/^otpauth:\/\/totp\/Acme:/);
    const secret = device.body.secret as string;
    const wrong = await client.send('post', '/auth/totp/device/verify', {
      deviceName: device.body.deviceName,
      totp: '000000',
    });
    expect(wrong.body).toMatchObject({
      status: 'INVALID_TOTP_ERROR',
      currentNumberOfFailedAttempts: 1,
    });
    expect((await client.send('get', '/secret')).status).toBe(403);
    const verified = await client.send('post', '/auth/totp/device/verify', {
      deviceName: device.body.deviceName,
      totp: totpCode(secret),
    });
    expect(verified.body).toEqual({ status: 'OK', wasAlreadyVerified: false });
    const opened = await client.send('get', '/secret');
    expect([opened.status, opened.body.userId]).toEqual([200, expect.any(String)]);

    // The next sign-in needs a code again, and a code is accepted once.
    const again = new HeaderClient(app);
    expect((await again.signIn(email)).status).toBe(200);
    expect((await again.send('get', '/secret')).status).toBe(403);
    const next = totpCode(secret, { at: Date.now() + 30_000 });
    expect((await again.send('post', '/auth/totp/verify', { totp: next })).body).toEqual({
      status: 'OK',
    });
    expect((await again.send('get', '/secret')).status).toBe(200);
    const third = new HeaderClient(app);
    await third.signIn(email);
    expect((await third.send('post', '/auth/totp/verify', { totp: next })).body).toMatchObject({
      status: 'INVALID_TOTP_ERROR',
    });
    expect((await third.send('get', '/billing')).status).toBe(403);
  });

  it('lets MfaService read and change a user’s factors and devices', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    const userId = userIdOf(client);
    const mfa = app.get(MfaService);
    expect(await mfa.factorsSetUp(userId)).toEqual(['emailpassword']);
    expect(await mfa.requiredFactors(userId)).toEqual([]);
    await mfa.addRequiredFactor(userId, 'otp-email');
    expect(await mfa.requiredFactors(userId)).toEqual(['otp-email']);
    await mfa.removeRequiredFactor(userId, 'otp-email');
    expect(await mfa.requiredFactors(userId)).toEqual([]);
    await client.send('post', '/auth/totp/device', { deviceName: 'Phone' });
    expect(await mfa.totpDevices(userId)).toEqual([
      { name: 'Phone', period: 30, skew: 1, verified: false },
    ]);
    expect(await mfa.removeTotpDevice(userId, 'Phone')).toBe(true);
    expect(await mfa.totpDevices(userId)).toEqual([]);
  });

  /** The session's user id, read from its access token. */
  function userIdOf(client: HeaderClient): string {
    const payload = client.access?.split('.')[1] ?? '';
    return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string }).sub;
  }
});

describe("mfa.requiredOn: 'marked-routes'", () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await startModuleApp(
      {
        imports: [
          AuthModule.forRoot(
            options({
              requiredSecondaryFactors: ['totp'],
              totp: true,
              requiredOn: 'marked-routes',
            }),
          ),
        ],
        controllers: [MfaController],
      },
      { listen: true },
    );
  });
  afterAll(() => app.close());

  it('asks for the second factor only on routes marked with @RequireMfa() or { mfa: true }', async () => {
    const client = new HeaderClient(app);
    await client.signUp();
    expect((await client.send('get', '/secret')).status).toBe(200);
    for (const path of ['/billing', '/reports']) {
      const refused = await client.send('get', path);
      expect([path, refused.status, refused.body]).toEqual([path, 403, mfaRefusal]);
    }
  });
});

describe('mfa options checked at start-up', () => {
  it.each([
    [
      { requiredSecondaryFactors: ['totp'] },
      "- mfa.requiredSecondaryFactors: 'totp' needs its recipe: set mfa.totp as well",
    ],
    [
      { requiredSecondaryFactors: ['otp-phone'], totp: true },
      "- mfa.requiredSecondaryFactors: 'otp-phone' needs its recipe: set passwordless as well",
    ],
    [{ firstFactors: ['password'] }, "- mfa.firstFactors: 'password' is not one of"],
    [{ totp: { period: 0 } }, '- mfa.totp must be true or {'],
    [{ requiredOn: 'some-routes' }, "- mfa.requiredOn must be 'every-route' or 'marked-routes'"],
  ] as [AuthModuleOptions['mfa'], string][])('refuses %j', async (mfa, message) => {
    await expect(
      startModuleApp({ imports: [AuthModule.forRoot(options(mfa))], controllers: [] }),
    ).rejects.toThrow(message);
  });

  it('refuses @RequireMfa() without the mfa option, naming it', async () => {
    await expect(
      startModuleApp({
        imports: [AuthModule.forRoot({ ...options(undefined), mfa: undefined })],
        controllers: [MfaController],
      }),
    ).rejects.toThrow('@RequireMfa()');
  });
});

describe('a one-time code by email as the second factor', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await startModuleApp(
      {
        imports: [
          AuthModule.forRoot({
            ...options({ requiredSecondaryFactors: ['otp-email'] }),
            passwordless: { contactMethod: 'EMAIL_OR_PHONE', flowType: 'USER_INPUT_CODE' },
          }),
        ],
        controllers: [MfaController],
      },
      { listen: true },
    );
  });
  afterAll(() => app.close());

  it('sends a code to the user’s email through the inbox delivery, and the code completes the factor', async () => {
    const client = new HeaderClient(app);
    const email = uniqueEmail();
    await client.signUp(email);
    expect((await client.send('get', '/secret')).status).toBe(403);
    // As the frontend SDKs send it in the factor step: this code is for the session's user.
    const started = await client.send('post', '/auth/signinup/code', {
      email,
      shouldTryLinkingWithSessionUser: true,
    });
    expect(started.body).toMatchObject({ status: 'OK' });
    const code = testInbox(app).last(email, 'passwordless')?.code;
    expect(code).toMatch(/^\d{6}$/);
    const consumed = await client.send('post', '/auth/signinup/code/consume', {
      preAuthSessionId: started.body.preAuthSessionId,
      deviceId: started.body.deviceId,
      userInputCode: code,
      shouldTryLinkingWithSessionUser: true,
    });
    expect(consumed.body).toMatchObject({ status: 'OK' });
    const opened = await client.send('get', '/secret');
    expect(opened.status).toBe(200);
    // One user with both login methods: the code's login joined the session's user.
    expect(consumed.body.user).toMatchObject({ id: opened.body.userId });
    const { loginMethods } = consumed.body.user as { loginMethods: { recipeId: string }[] };
    expect(loginMethods.map((m) => m.recipeId).sort()).toEqual(['emailpassword', 'passwordless']);
  });
});
