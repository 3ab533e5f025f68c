import {
  Controller,
  Get,
  Injectable,
  type INestApplication,
  Logger,
  UseGuards,
} from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import {
  AccountLinkingService,
  AuthGuard,
  AuthModule,
  DeliveryInbox,
  EmailVerificationService,
  Session,
  type AuthModuleOptions,
} from '../../src/auth/index.js';
import type { SessionContainer } from 'supertokens-node/recipe/session';
import { authTestingOptions } from '../../src/testing/index.js';
import { formFields, PASSWORD } from '../support/auth-client.js';
import { LocalOAuthProvider } from '../support/oauth-provider.js';
import { startModuleApp } from '../support/test-app.js';

const CALLBACK = 'http://localhost:3001/auth/callback/local';

@Controller('me')
class MeController {
  @Get()
  @UseGuards(AuthGuard)
  me(@Session() session: SessionContainer) {
    return { userId: session.getUserId(), recipeUserId: session.getRecipeUserId().getAsString() };
  }
}

/** EmailPassword and social sign-in to one user: automatic and manual account linking. */
describe.each([
  ['automatic', true],
  ['manual', false],
] as const)('account linking, %s (EmailPassword + a local OAuth provider)', (_, automatic) => {
  let provider: LocalOAuthProvider;
  let app: INestApplication<App>;
  let linked: string[] = [];
  beforeAll(async () => {
    provider = await new LocalOAuthProvider().start();
    const options: Partial<AuthModuleOptions> = {
      thirdParty: { providers: [provider.providerConfig()] },
      emailVerification: { mode: 'OPTIONAL' },
      passwordless: { contactMethod: 'EMAIL_OR_PHONE', flowType: 'USER_INPUT_CODE' },
      accountLinking: {
        automatic,
        onAccountLinked: (user, newAccount) => {
          linked.push(`${newAccount.recipeId}→${user.id}`);
        },
      },
    };
    app = await startModuleApp(
      { imports: [AuthModule.forRoot(authTestingOptions(options))], controllers: [MeController] },
      { listen: true },
    );
  });
  afterAll(async () => {
    await app.close();
    await provider.stop();
  });
  beforeEach(() => {
    linked = [];
  });

  const server = () => app.getHttpServer();
  /** The recipe user id of a signed-in user's login method of this recipe. */
  const loginOf = (response: request.Response, recipeId: string): string => {
    const methods = response.body.user.loginMethods as { recipeId: string; recipeUserId: string }[];
    return methods.find((m) => m.recipeId === recipeId)!.recipeUserId;
  };

  async function signInWithProvider(): Promise<request.Response> {
    const auth = await request(server())
      .get('/auth/authorisationurl')
      .query({ thirdPartyId: 'local', redirectURIOnProviderDashboard: CALLBACK });
    const authorise = await fetch(auth.body.urlWithQueryParams as string, { redirect: 'manual' });
    const callback = new URL(authorise.headers.get('location')!);
    return request(server())
      .post('/auth/signinup')
      .set('st-auth-mode', 'header')
      .send({
        thirdPartyId: 'local',
        redirectURIInfo: {
          redirectURIOnProviderDashboard: CALLBACK,
          redirectURIQueryParams: Object.fromEntries(callback.searchParams),
          pkceCodeVerifier: auth.body.pkceCodeVerifier,
        },
      });
  }

  const signUp = (email: string) =>
    request(server())
      .post('/auth/signup')
      .set('st-auth-mode', 'header')
      .send(formFields(email, PASSWORD));
  const signIn = (email: string) =>
    request(server())
      .post('/auth/signin')
      .set('st-auth-mode', 'header')
      .send(formFields(email, PASSWORD));
  const me = (response: request.Response) =>
    request(server())
      .get('/me')
      .set('authorization', `Bearer ${response.headers['st-access-token']}`);

  it('signs in with a password or the provider as one user, with either login named in the session', async () => {
    const email = `carol-${automatic}@example.com`;
    const signedUp = await signUp(email);
    expect(signedUp.body.status).toBe('OK');
    const userId = signedUp.body.user.id as string;
    // Verifying the email makes the user one that a verified login with that email can join.
    expect(await app.get(EmailVerificationService).markVerified(userId, email)).toBe(true);

    provider.user = { sub: `carol-${automatic}`, email, email_verified: true };
    const social = await signInWithProvider();
    expect(social.body.status).toBe('OK');
    const socialLogin = loginOf(social, 'thirdparty');
    if (automatic) {
      expect(social.body.user.id).toBe(userId);
      expect(linked).toEqual([`thirdparty→${userId}`]);
    } else {
      // Not linked by itself: two users until the app links them.
      expect(social.body.user.id).toBe(socialLogin);
      const result = await app.get(AccountLinkingService).link(socialLogin, userId);
      expect(result).toMatchObject({ status: 'OK', accountsAlreadyLinked: false });
      expect(linked).toEqual([`thirdparty→${userId}`]);
    }
    const user = await app.get(AccountLinkingService).getUser(socialLogin);
    expect(user?.id).toBe(userId);
    expect(user?.loginMethods.map((m) => m.recipeId).sort()).toEqual([
      'emailpassword',
      'thirdparty',
    ]);

    // Either way in, the same user; the session names the login method used.
    const byPassword = await signIn(email);
    expect(byPassword.body.user.id).toBe(userId);
    expect((await me(byPassword)).body).toEqual({ userId, recipeUserId: userId });
    const byProvider = await signInWithProvider();
    expect(byProvider.body).toMatchObject({ status: 'OK', createdNewRecipeUser: false });
    expect(byProvider.body.user.id).toBe(userId);
    expect((await me(byProvider)).body).toEqual({ userId, recipeUserId: socialLogin });
  });

  it('links a one-time code sign-in (its email proven by the code) to the password account', async () => {
    const email = `fay-${automatic}@example.com`;
    const signedUp = await signUp(email);
    const userId = signedUp.body.user.id as string;
    await app.get(EmailVerificationService).markVerified(userId, email);
    const flow = (await request(server()).post('/auth/signinup/code').send({ email })).body;
    const code = app.get(DeliveryInbox).last(email, 'passwordless')!.code;
    const consumed = await request(server())
      .post('/auth/signinup/code/consume')
      .set('st-auth-mode', 'header')
      .send({
        preAuthSessionId: flow.preAuthSessionId,
        deviceId: flow.deviceId,
        userInputCode: code,
      });
    expect(consumed.body.status).toBe('OK');
    const codeLogin = loginOf(consumed, 'passwordless');
    if (automatic) {
      expect(consumed.body.user.id).toBe(userId);
    } else {
      expect(consumed.body.user.id).toBe(codeLogin);
      await app.get(AccountLinkingService).link(codeLogin, userId);
    }
    expect((await me(consumed)).body.userId).toBe(automatic ? userId : codeLogin);
    const user = await app.get(AccountLinkingService).getUser(userId);
    expect(user?.loginMethods.map((m) => m.recipeId).sort()).toEqual([
      'emailpassword',
      'passwordless',
    ]);
  });

  it('unlinks a login method into a user of its own', async () => {
    const email = `erin-${automatic}@example.com`;
    const signedUp = await signUp(email);
    const userId = signedUp.body.user.id as string;
    await app.get(EmailVerificationService).markVerified(userId, email);
    provider.user = { sub: `erin-${automatic}`, email, email_verified: true };
    const social = await signInWithProvider();
    const socialLogin = loginOf(social, 'thirdparty');
    const service = app.get(AccountLinkingService);
    if (!automatic) await service.link(socialLogin, userId);
    expect(await service.unlink(socialLogin)).toEqual({
      status: 'OK',
      wasLinked: true,
      wasRecipeUserDeleted: false,
    });
    expect((await service.getUser(socialLogin))?.id).toBe(socialLogin);
    expect((await service.getUser(userId))?.loginMethods).toHaveLength(1);
    expect(await service.unlink('00000000-0000-4000-8000-000000000000')).toEqual({
      status: 'UNKNOWN_USER_ID_ERROR',
    });
  });

  it('never lets a sign-up with someone else’s email join their account', async () => {
    const email = `dave-${automatic}@example.com`;
    provider.user = { sub: `dave-${automatic}`, email, email_verified: true };
    const social = await signInWithProvider();
    expect(social.body.status).toBe('OK');
    const signedUp = await signUp(email);
    if (automatic) {
      // The verified social user is primary: an unverified password sign-up with its email is refused.
      expect(signedUp.body.status).toBe('SIGN_UP_NOT_ALLOWED');
    } else {
      expect(signedUp.body.status).toBe('OK');
      expect(signedUp.body.user.id).not.toBe(social.body.user.id);
    }
    expect(linked).toEqual([]);
  });
});

@Injectable()
class UsesLinking {
  constructor(readonly linking: AccountLinkingService) {}
}

describe('accountLinking option checks', () => {
  it('names a mistyped option and the fix', async () => {
    await expect(
      startModuleApp({
        imports: [
          AuthModule.forRoot(
            authTestingOptions({
              accountLinking: { automatic: 'yes', requireVerification: 1, linkAll: true } as never,
            }),
          ),
        ],
      }),
    ).rejects.toThrow(
      /accountLinking\.linkAll is not an option[\s\S]*accountLinking\.automatic must be true, false or a function[\s\S]*accountLinking\.requireVerification must be true or false/,
    );
  });

  it('warns at start-up about set-ups that link less, or less safely, than expected', async () => {
    const warned: string[] = [];
    const original = Logger.prototype.warn;
    Logger.prototype.warn = function (message: unknown) {
      warned.push(String(message));
    };
    try {
      const app = await startModuleApp({
        imports: [
          AuthModule.forRoot(
            authTestingOptions({ accountLinking: { requireVerification: false } }),
          ),
        ],
      });
      await app.close();
    } finally {
      Logger.prototype.warn = original;
    }
    expect(warned).toEqual([
      expect.stringContaining('accountLinking.requireVerification is false'),
      expect.stringContaining('accountLinking without emailVerification'),
    ]);
  });

  it('refuses AccountLinkingService without accountLinking, naming the option', async () => {
    await expect(
      startModuleApp({
        imports: [AuthModule.forRoot(authTestingOptions())],
        providers: [UsesLinking],
      }),
    ).rejects.toThrow(/UsesLinking[\s\S]*accountLinking: true/);
  });
});
