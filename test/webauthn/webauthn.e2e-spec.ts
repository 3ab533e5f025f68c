import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import request, { type Response } from 'supertest';
import type { App } from 'supertest/types.js';
import {
  AuthGuard,
  type AuthHooks,
  AuthModule,
  type AuthModuleOptions,
  type AuthUserEvent,
  Session,
} from '../../src/auth/index.js';
import { authApiOperations } from '../../src/auth/openapi/auth-api-table.js';
import { webauthnWarnings } from '../../src/auth/module/webauthn-options.validation.js';
import { TestPasskey, testInbox } from '../../src/testing/index.js';
import { HeaderClient, uniqueEmail } from '../support/auth-client.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { APP_INFO, createTestApp, startModuleApp } from '../support/test-app.js';

/** The website's origin in APP_INFO: where the browser that holds the passkeys runs. */
const ORIGIN = APP_INFO.websiteDomain;

/** What the hooks saw, in order. */
const hookEvents: string[] = [];

class RecordingHooks implements AuthHooks {
  afterSignUp({ recipe, user }: AuthUserEvent) {
    hookEvents.push(`signUp ${recipe} ${user.id}`);
  }
  afterSignIn({ recipe, user }: AuthUserEvent) {
    hookEvents.push(`signIn ${recipe} ${user.id}`);
  }
}

interface LoginMethod {
  recipeId: string;
  recipeUserId: string;
  email?: string;
}
interface UserJson {
  id: string;
  loginMethods: LoginMethod[];
}

/**
 * A browser with a passkey authenticator, keeping its session in headers: it sends its page's
 * `Origin`, as browsers do on these cross-origin POSTs.
 */
class PasskeyBrowser {
  access?: string;

  constructor(
    private readonly app: INestApplication<App>,
    readonly passkey = new TestPasskey({ origin: ORIGIN }),
  ) {}

  async call(method: 'get' | 'post', path: string, body?: object): Promise<Response> {
    let test = request(this.app.getHttpServer())
      [method](path)
      .set('st-auth-mode', 'header')
      .set('origin', this.passkey.origin);
    if (this.access) test = test.set('authorization', `Bearer ${this.access}`);
    const response = await (body ? test.send(body) : test);
    const token = response.headers['st-access-token'] as string | undefined;
    if (token !== undefined) this.access = token || undefined;
    return response;
  }

  /** Register options for `email`, the passkey's attestation, and `finish` with both. */
  async register(
    email: string,
    finish: string,
    extra: object = {},
    passkey = this.passkey,
  ): Promise<Response> {
    const options = await this.call('post', '/auth/webauthn/options/register', { email });
    expect(options.body).toMatchObject({ status: 'OK' });
    return this.call('post', finish, {
      webauthnGeneratedOptionsId: options.body.webauthnGeneratedOptionsId as string,
      credential: passkey.register(options.body),
      ...extra,
    });
  }

  signUp(email: string, extra: object = {}): Promise<Response> {
    return this.register(email, '/auth/webauthn/signup', extra);
  }

  async signIn(credentialId?: string, extra: object = {}): Promise<Response> {
    const options = await this.call('post', '/auth/webauthn/options/signin', {});
    expect(options.body).toMatchObject({ status: 'OK', rpId: 'localhost' });
    return this.call('post', '/auth/webauthn/signin', {
      webauthnGeneratedOptionsId: options.body.webauthnGeneratedOptionsId as string,
      credential: this.passkey.authenticate(options.body, { credentialId }),
      ...extra,
    });
  }
}

describe('passkeys (webauthn option)', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ webauthn: true, hooks: RecordingHooks });
  });
  afterAll(() => app.close());

  it('signs up with a passkey: register options for the site, a session, a guarded route', async () => {
    const browser = new PasskeyBrowser(app);
    const email = uniqueEmail();
    const options = await browser.call('post', '/auth/webauthn/options/register', { email });
    // The relying party is the website's host (the SDK alone would take the API's) and the app's name.
    expect(options.body).toMatchObject({
      status: 'OK',
      rp: { id: 'localhost', name: APP_INFO.appName },
      user: { name: email, displayName: email },
      challenge: expect.any(String),
    });
    const signUp = await browser.call('post', '/auth/webauthn/signup', {
      webauthnGeneratedOptionsId: options.body.webauthnGeneratedOptionsId as string,
      credential: browser.passkey.register(options.body),
    });
    expect(signUp.body).toMatchObject({ status: 'OK' });
    const user = signUp.body.user as UserJson;
    expect(user.loginMethods).toEqual([expect.objectContaining({ recipeId: 'webauthn', email })]);
    expect(browser.access).toBeDefined();
    const me = await browser.call('get', '/me');
    expect([me.status, me.body.userId]).toEqual([200, user.id]);
    expect(hookEvents).toContain(`signUp webauthn ${user.id}`);

    const exists = await browser.call('get', `/auth/webauthn/email/exists?email=${email}`);
    expect(exists.body).toEqual({ status: 'OK', exists: true });
    // The same email again is refused: one passkey account per email.
    const again = await new PasskeyBrowser(app).signUp(email);
    expect(again.body).toEqual({ status: 'EMAIL_ALREADY_EXISTS_ERROR' });
  });

  it('signs in with the passkey as the same user, and refuses a passkey it does not know', async () => {
    const browser = new PasskeyBrowser(app);
    const signUp = await browser.signUp(uniqueEmail());
    const userId = (signUp.body.user as UserJson).id;

    const later = new PasskeyBrowser(app, browser.passkey);
    const signIn = await later.signIn();
    expect(signIn.body).toMatchObject({ status: 'OK', user: { id: userId } });
    expect((await later.call('get', '/me')).body.userId).toBe(userId);
    expect(hookEvents).toContain(`signIn webauthn ${userId}`);
    // Twice: the counter moves on, and the options of each sign-in are its own.
    expect((await later.signIn()).body).toMatchObject({ status: 'OK' });

    const stranger = new PasskeyBrowser(app);
    const options = await stranger.call('post', '/auth/webauthn/options/register', {
      email: uniqueEmail(),
    });
    stranger.passkey.register(options.body); // made, never sent: the app does not know it
    const refused = await stranger.signIn();
    expect(refused.body).toEqual({ status: 'INVALID_CREDENTIALS_ERROR' });
    expect(refused.headers['st-access-token']).toBeUndefined();
  });

  it("adds a second passkey to the session's user, lists and removes passkeys", async () => {
    const browser = new PasskeyBrowser(app);
    const email = uniqueEmail();
    const signUp = await browser.signUp(email);
    const user = signUp.body.user as UserJson;
    const recipeUserId = user.loginMethods[0].recipeUserId;
    const [first] = browser.passkey.credentials;

    const added = await browser.register(email, '/auth/webauthn/credential', { recipeUserId });
    expect(added.body).toEqual({ status: 'OK' });
    const second = browser.passkey.credentials[1];

    const list = await browser.call('get', '/auth/webauthn/credential/list');
    expect(list.body.status).toBe('OK');
    const listed = list.body.credentials as { webauthnCredentialId: string }[];
    expect(listed.map((c) => c.webauthnCredentialId).sort()).toEqual([first.id, second.id].sort());
    expect(listed[0]).toMatchObject({
      recipeUserId,
      relyingPartyId: 'localhost',
      createdAt: expect.any(Number),
    });

    // Either passkey signs in as the user.
    const withSecond = await new PasskeyBrowser(app, browser.passkey).signIn(second.id);
    expect(withSecond.body).toMatchObject({ status: 'OK', user: { id: user.id } });

    const removed = await browser.call('post', '/auth/webauthn/credential/remove', {
      webauthnCredentialId: first.id,
    });
    expect(removed.body).toEqual({ status: 'OK' });
    const after = await browser.call('get', '/auth/webauthn/credential/list');
    expect(
      (after.body.credentials as { webauthnCredentialId: string }[]).map(
        (c) => c.webauthnCredentialId,
      ),
    ).toEqual([second.id]);
    const withRemoved = await new PasskeyBrowser(app, browser.passkey).signIn(first.id);
    expect(withRemoved.body).toEqual({ status: 'INVALID_CREDENTIALS_ERROR' });

    // Without a session, none of the three.
    const anonymous = request(app.getHttpServer());
    expect((await anonymous.get('/auth/webauthn/credential/list')).status).toBe(401);
    expect(
      (await anonymous.post('/auth/webauthn/credential/remove').send({ webauthnCredentialId: 'x' }))
        .status,
    ).toBe(401);
  });

  it('recovers an account by email: the link in the inbox, a new passkey, sign-in with it', async () => {
    const lost = new PasskeyBrowser(app);
    const email = uniqueEmail();
    const userId = ((await lost.signUp(email)).body.user as UserJson).id;

    const browser = new PasskeyBrowser(app);
    const asked = await browser.call('post', '/auth/user/webauthn/reset/token', { email });
    expect(asked.body).toEqual({ status: 'OK' });
    const message = testInbox(app).last(email, 'passkey-recovery');
    expect(message).toMatchObject({ channel: 'email', to: email, tenantId: 'public' });
    const link = new URL(message!.link!);
    expect(`${link.origin}${link.pathname}`).toBe(`${ORIGIN}/auth/webauthn/recover`);
    expect(link.searchParams.get('tenantId')).toBe('public');
    const token = link.searchParams.get('token')!;
    expect(token).toMatch(/^[\w-]{20,}$/);

    const options = await browser.call('post', '/auth/webauthn/options/register', {
      recoverAccountToken: token,
    });
    expect(options.body).toMatchObject({ status: 'OK', user: { name: email } });
    const recovered = await browser.call('post', '/auth/user/webauthn/reset', {
      token,
      webauthnGeneratedOptionsId: options.body.webauthnGeneratedOptionsId as string,
      credential: browser.passkey.register(options.body),
    });
    expect(recovered.body).toEqual({ status: 'OK' });
    // Recovery signs nobody in: the new passkey does.
    expect(recovered.headers['st-access-token']).toBeUndefined();
    const signIn = await browser.signIn();
    expect(signIn.body).toMatchObject({ status: 'OK', user: { id: userId } });

    // A link works once.
    const reused = await browser.call('post', '/auth/webauthn/options/register', {
      recoverAccountToken: token,
    });
    expect(reused.body).toEqual({ status: 'RECOVER_ACCOUNT_TOKEN_INVALID_ERROR' });
    // An unknown email is answered the same, and nothing is sent.
    const stranger = uniqueEmail();
    const unknown = await browser.call('post', '/auth/user/webauthn/reset/token', {
      email: stranger,
    });
    expect(unknown.body).toEqual({ status: 'OK' });
    expect(testInbox(app).last(stranger)).toBeUndefined();
  });

  it('refuses sign-in options where a new passkey is registered (the SDK alone answers 500)', async () => {
    const browser = new PasskeyBrowser(app);
    const email = uniqueEmail();
    const signUp = await browser.signUp(email);
    const recipeUserId = (signUp.body.user as UserJson).loginMethods[0].recipeUserId;
    for (const [path, extra] of [
      ['/auth/webauthn/signup', {}],
      ['/auth/webauthn/credential', { recipeUserId }],
    ] as const) {
      const signInOptions = await browser.call('post', '/auth/webauthn/options/signin', {});
      const registerOptions = await browser.call('post', '/auth/webauthn/options/register', {
        email: uniqueEmail(),
      });
      const refused = await browser.call('post', path, {
        webauthnGeneratedOptionsId: signInOptions.body.webauthnGeneratedOptionsId as string,
        credential: browser.passkey.register(registerOptions.body),
        ...extra,
      });
      expect([path, refused.status, refused.body]).toEqual([
        path,
        200,
        { status: 'INVALID_OPTIONS_ERROR' },
      ]);
    }
  });

  it('answers a mistyped field with 400 before the SDK sees it', async () => {
    const response = await request(app.getHttpServer())
      .post('/auth/webauthn/options/register')
      .send({ email: 42 });
    expect([response.status, response.body.message]).toEqual([
      400,
      "Field 'email' must be a string",
    ]);
  });
});

describe("the recovery email over SMTP (the SDK's WebAuthn SMTP service)", () => {
  let app: INestApplication<App>;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await createTestApp({ webauthn: true, emailDelivery: { smtp: smtp.settings } });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('sends the recovery link with the SDK template', async () => {
    const email = uniqueEmail();
    const browser = new PasskeyBrowser(app);
    expect((await browser.signUp(email)).body).toMatchObject({ status: 'OK' });
    const asked = await browser.call('post', '/auth/user/webauthn/reset/token', { email });
    expect(asked.body).toEqual({ status: 'OK' });
    await smtp.waitFor();
    const { received } = smtp;
    expect(received.map((message) => message.to)).toEqual([[email]]);
    // Quoted-printable: soft line breaks and encoded '=' undone.
    const text = received[0].raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    expect(text).toMatch(/Subject: Account recovery instructions/);
    expect(text).toContain(`${ORIGIN}/auth/webauthn/recover?token=`);
  });
});

describe('passkeys from several origins', () => {
  const SECOND = 'http://localhost:3002';
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ webauthn: { origin: [ORIGIN, SECOND] } });
  });
  afterAll(() => app.close());

  it('binds each ceremony to the origin the request comes from', async () => {
    for (const origin of [ORIGIN, SECOND]) {
      const browser = new PasskeyBrowser(app, new TestPasskey({ origin }));
      expect((await browser.signUp(uniqueEmail())).body).toMatchObject({ status: 'OK' });
      expect((await browser.signIn()).body).toMatchObject({ status: 'OK' });
    }
  });

  it('refuses a passkey answer from an origin other than the one its options were made for', async () => {
    const browser = new PasskeyBrowser(app, new TestPasskey({ origin: SECOND }));
    const options = await request(app.getHttpServer())
      .post('/auth/webauthn/options/register')
      .send({ email: uniqueEmail() }); // no Origin: the first origin's options
    const signUp = await browser.call('post', '/auth/webauthn/signup', {
      webauthnGeneratedOptionsId: options.body.webauthnGeneratedOptionsId as string,
      credential: browser.passkey.register(options.body),
    });
    expect(signUp.body.status).not.toBe('OK');
    expect(signUp.headers['st-access-token']).toBeUndefined();
  });
});

@Controller()
@UseGuards(AuthGuard)
class SecretController {
  @Get('secret')
  secret(@Session('userId') userId: string) {
    return { userId };
  }
}

const mfaApp = (mfa: AuthModuleOptions['mfa']) =>
  startModuleApp(
    {
      imports: [
        AuthModule.forRoot({
          appInfo: APP_INFO,
          emailDelivery: 'inbox',
          rateLimit: false,
          ...(process.env.AUTH_ROUTES === 'middleware' && { routes: 'middleware' as const }),
          webauthn: true,
          mfa,
        }),
      ],
      controllers: [SecretController],
    },
    { listen: true },
  );

describe('a passkey as the second factor (mfa)', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await mfaApp({ requiredSecondaryFactors: ['webauthn'] });
  });
  afterAll(() => app.close());

  it('holds a password session at 403 until a passkey is set up, then asks for it at each sign-in', async () => {
    const password = new HeaderClient(app);
    const email = uniqueEmail();
    await password.signUp(email);
    const refused = await password.send('get', '/secret');
    expect([refused.status, refused.body.message]).toEqual([403, 'invalid claim']);

    // Set-up: a passkey for the session's user, linked to it.
    const browser = new PasskeyBrowser(app);
    browser.access = password.access;
    const setUp = await browser.signUp(email, { shouldTryLinkingWithSessionUser: true });
    expect(setUp.body).toMatchObject({ status: 'OK' });
    const opened = await browser.call('get', '/secret');
    expect(opened.status).toBe(200);
    const user = setUp.body.user as UserJson;
    expect(user.id).toBe(opened.body.userId);
    expect(user.loginMethods.map((m) => m.recipeId).sort()).toEqual(['emailpassword', 'webauthn']);

    // The next sign-in: the password, then the passkey.
    const next = new HeaderClient(app);
    await next.signIn(email);
    expect((await next.send('get', '/secret')).status).toBe(403);
    const second = new PasskeyBrowser(app, browser.passkey);
    second.access = next.access;
    const factor = await second.signIn(undefined, { shouldTryLinkingWithSessionUser: true });
    expect(factor.body).toMatchObject({ status: 'OK', user: { id: user.id } });
    expect((await second.call('get', '/secret')).body.userId).toBe(user.id);
  });
});

describe('a passkey as the only first factor (mfa.firstFactors)', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await mfaApp({ firstFactors: ['webauthn'] });
  });
  afterAll(() => app.close());

  it('signs up with a passkey, and gives a password sign-up no session', async () => {
    const browser = new PasskeyBrowser(app);
    expect((await browser.signUp(uniqueEmail())).body).toMatchObject({ status: 'OK' });
    expect((await browser.call('get', '/secret')).status).toBe(200);
    const password = new HeaderClient(app);
    const refused = await password.signUp();
    expect(refused.status).toBe(401);
    expect(refused.headers['st-access-token']).toBeFalsy();
  });
});

describe('webauthn options checked at start-up', () => {
  const start = (options: Partial<AuthModuleOptions>) =>
    startModuleApp({
      imports: [AuthModule.forRoot({ appInfo: APP_INFO, rateLimit: false, ...options })],
    });
  const SITES = {
    appName: 'Acme',
    apiDomain: 'https://api.example.com',
    websiteDomain: 'https://app.example.com',
  };

  it.each([
    [
      'the API host as relying party id',
      { appInfo: SITES, webauthn: { relyingPartyId: 'api.example.com' } },
      "- webauthn.relyingPartyId 'api.example.com' does not cover the origin https://app.example.com: " +
        "browsers accept a passkey only on its relying party's host or a subdomain of it. Fix: set " +
        "webauthn.relyingPartyId to 'example.com' (a parent domain of both hosts) or " +
        "'app.example.com' (the site's host)",
    ],
    [
      'a relying party id with a scheme',
      { appInfo: SITES, webauthn: { relyingPartyId: 'https://example.com' } },
      `- webauthn.relyingPartyId must be a host name alone, without scheme, port or path (got "https://example.com"). Fix: relyingPartyId: 'example.com'`,
    ],
    [
      'a relying party id with a port',
      { webauthn: { relyingPartyId: 'localhost:3001' } },
      "Fix: relyingPartyId: 'localhost'",
    ],
    [
      'a top-level domain as relying party id',
      { appInfo: SITES, webauthn: { relyingPartyId: 'com' } },
      'does not cover the origin https://app.example.com',
    ],
    [
      'a plain-http site',
      { appInfo: { ...SITES, websiteDomain: 'http://app.example.com' } },
      "- appInfo.websiteDomain 'http://app.example.com' is plain http: browsers offer passkeys " +
        'only to https pages (and http://localhost). Fix: serve the site over https ' +
        "('https://app.example.com')",
    ],
    [
      'origins of two sites without a shared relying party id',
      {
        appInfo: SITES,
        webauthn: { origin: ['https://app.example.com', 'https://admin.example.com'] },
      },
      "- the relying party id 'app.example.com' (by default the host of the first origin) does " +
        'not cover the origin https://admin.example.com: browsers accept a passkey only on its ' +
        "relying party's host or a subdomain of it. Fix: set webauthn.relyingPartyId to 'example.com'",
    ],
    [
      'an origin with a path',
      { appInfo: SITES, webauthn: { origin: 'https://app.example.com/login' } },
      '- webauthn.origin "https://app.example.com/login" has a path: an origin is scheme://host[:port]. Fix: \'https://app.example.com\'',
    ],
    [
      "the SDK's option name",
      { webauthn: { getOrigin: () => Promise.resolve(ORIGIN) } as never },
      "- webauthn.getOrigin is supertokens-node's name: here it is webauthn.origin",
    ],
    [
      'a second factor without its recipe',
      { mfa: { requiredSecondaryFactors: ['webauthn'] } },
      "- mfa.requiredSecondaryFactors: 'webauthn' needs its recipe: set webauthn as well",
    ],
  ] as [string, Partial<AuthModuleOptions>, string][])(
    'refuses %s, naming the fix',
    async (_case, options, message) => {
      const webauthn = options.webauthn ?? (options.mfa ? undefined : true);
      await expect(start({ ...options, webauthn })).rejects.toThrow(message);
    },
  );

  it('starts with a parent domain of the site as relying party id', async () => {
    const app = await start({
      appInfo: SITES,
      webauthn: { relyingPartyId: 'example.com', relyingPartyName: 'Acme sign-in' },
    });
    await app.close();
  });

  it('warns (browsers refuse it) but starts with an IP address as relying party id', () => {
    expect(webauthnWarnings({ relyingPartyId: '127.0.0.1', origins: undefined })).toEqual([
      expect.stringContaining(
        "relying party id is the IP address '127.0.0.1', which browsers refuse",
      ),
    ]);
    expect(webauthnWarnings({ relyingPartyId: 'localhost', origins: undefined })).toEqual([]);
  });
});

describe('the rest of the module knows passkeys', () => {
  it('documents the passkey routes in the OpenAPI document when webauthn is on', () => {
    const off = authApiOperations({ appInfo: APP_INFO }, '/auth');
    expect(off['/auth/webauthn/signin']).toBeUndefined();
    const on = authApiOperations({ appInfo: APP_INFO, webauthn: true }, '/auth');
    expect(
      Object.keys(on)
        .filter((path) => path.includes('webauthn'))
        .sort(),
    ).toEqual([
      '/auth/user/webauthn/reset',
      '/auth/user/webauthn/reset/token',
      '/auth/webauthn/credential',
      '/auth/webauthn/credential/list',
      '/auth/webauthn/credential/remove',
      '/auth/webauthn/options/register',
      '/auth/webauthn/options/signin',
      '/auth/webauthn/signin',
      '/auth/webauthn/signup',
    ]);
    expect(on['/auth/webauthn/signup'].post.requestBody).toMatchObject({
      content: {
        'application/json': { schema: { properties: { credential: { type: 'object' } } } },
      },
    });
    expect(on['/auth/webauthn/credential/list'].get.security).toBeDefined();
  });

  it('limits recovery emails per address with the password-reset budget', async () => {
    const app = await createTestApp({
      webauthn: true,
      rateLimit: { limits: { resetRequestPerAccount: { limit: 1, windowSeconds: 60 } } },
    });
    try {
      const email = uniqueEmail();
      const ask = () =>
        request(app.getHttpServer()).post('/auth/user/webauthn/reset/token').send({ email });
      expect((await ask()).body).toEqual({ status: 'OK' });
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
    }
  });

  it('has no email-exists API in the hardened profile', async () => {
    const app = await createTestApp({ webauthn: true, security: 'hardened' });
    try {
      const exists = await request(app.getHttpServer()).get(
        '/auth/webauthn/email/exists?email=a@example.com',
      );
      expect(exists.status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
