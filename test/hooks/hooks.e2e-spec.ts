import { type INestApplication, Injectable } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import {
  type AuthEmailVerifiedEvent,
  type AuthHooks,
  AuthInfo,
  AuthModule,
  type AuthModuleOptions,
  type AuthPasswordResetEvent,
  type AuthSessionEvent,
  type AuthUserEvent,
  DeliveryInbox,
} from '../../src/auth/index.js';
import { authTestingOptions } from '../../src/testing/index.js';
import { HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { startModuleApp } from '../support/test-app.js';

/** An app service the hooks inject: what a mailer or an audit log would be. */
@Injectable()
class AuditLog {
  readonly entries: string[] = [];
  failSignUp = false;
}

@Injectable()
class AppAuthHooks implements AuthHooks {
  constructor(private readonly audit: AuditLog) {}

  afterSignUp({ user, recipe, tenantId }: AuthUserEvent) {
    if (this.audit.failSignUp) throw new Error('the welcome mail could not be sent');
    this.audit.entries.push(`signUp ${recipe} ${tenantId} ${user.id}`);
  }
  afterSignIn({ user, recipe }: AuthUserEvent) {
    this.audit.entries.push(`signIn ${recipe} ${user.id}`);
  }
  afterSessionCreated({ userId }: AuthSessionEvent) {
    this.audit.entries.push(`session ${userId}`);
  }
  afterSignOut({ userId }: AuthSessionEvent) {
    this.audit.entries.push(`signOut ${userId}`);
  }
  afterPasswordReset({ user, email }: AuthPasswordResetEvent) {
    this.audit.entries.push(`passwordReset ${email} ${user.id}`);
  }
  afterEmailVerified({ recipeUserId, email }: AuthEmailVerifiedEvent) {
    this.audit.entries.push(`emailVerified ${email} ${recipeUserId}`);
  }
}

async function hookedApp(
  options: Partial<AuthModuleOptions> = {},
  providers: unknown[] = [],
  imports: unknown[] = [],
) {
  const app = await startModuleApp({
    imports: [
      ...(imports as never[]),
      AuthModule.forRoot(
        authTestingOptions({
          passwordless: { contactMethod: 'PHONE', flowType: 'USER_INPUT_CODE' },
          emailVerification: { mode: 'OPTIONAL' },
          ...options,
        }),
      ),
    ],
    providers: providers as never[],
  });
  return app;
}

describe('hooks as an injectable class', () => {
  let app: INestApplication<App>;
  let audit: AuditLog;
  beforeAll(async () => {
    app = await hookedApp({ hooks: AppAuthHooks }, [AuditLog, AppAuthHooks]);
    audit = app.get(AuditLog);
  });
  afterAll(() => app.close());
  beforeEach(() => audit.entries.splice(0));
  const post = (path: string, body: object) =>
    request(app.getHttpServer()).post(`/auth${path}`).send(body);

  it('sees email-and-password sign-up, sign-in and sign-out, with the app service injected', async () => {
    const email = uniqueEmail();
    const client = new HeaderClient(app);
    const userId = ((await client.signUp(email)).body as { user: { id: string } }).user.id;
    await client.signIn(email);
    await client.signOut();
    expect(audit.entries).toEqual([
      `session ${userId}`,
      `signUp emailpassword public ${userId}`,
      `session ${userId}`,
      `signIn emailpassword ${userId}`,
      `signOut ${userId}`,
    ]);
  });

  it('sees a passwordless sign-up and then a sign-in', async () => {
    const phone = '+14155550199';
    const signInWithCode = async () => {
      const created = (await post('/signinup/code', { phoneNumber: phone })).body as {
        deviceId: string;
        preAuthSessionId: string;
      };
      const code = app.get(DeliveryInbox).last(phone, 'passwordless')!.code!;
      const consumed = await post('/signinup/code/consume', { ...created, userInputCode: code });
      return (consumed.body as { user: { id: string } }).user.id;
    };
    const userId = await signInWithCode();
    expect(await signInWithCode()).toBe(userId);
    expect(audit.entries).toEqual([
      `session ${userId}`,
      `signUp passwordless public ${userId}`,
      `session ${userId}`,
      `signIn passwordless ${userId}`,
    ]);
  });

  it('sees a password reset and an email verification', async () => {
    const email = uniqueEmail();
    const client = new HeaderClient(app);
    const userId = ((await client.signUp(email)).body as { user: { id: string } }).user.id;
    audit.entries.splice(0);
    const inbox = app.get(DeliveryInbox);
    const tokenOf = (link: string) => new URL(link).searchParams.get('token');

    // Verification first: a password reset ends the user's sessions (security default).
    await client.send('post', '/auth/user/email/verify/token');
    const verifyToken = tokenOf(inbox.last(email, 'email-verification')!.link!);
    await post('/user/email/verify', { method: 'token', token: verifyToken });
    await post('/user/password/reset/token', { formFields: [{ id: 'email', value: email }] });
    const resetToken = tokenOf(inbox.last(email, 'password-reset')!.link!);
    await post('/user/password/reset', {
      method: 'token',
      token: resetToken,
      formFields: [{ id: 'password', value: 'brand-new-pass-1' }],
    });

    expect(audit.entries).toEqual([
      `emailVerified ${email} ${userId}`,
      `passwordReset ${email} ${userId}`,
    ]);
  });

  it('answers 500 when a hook throws, and keeps what the SDK did', async () => {
    const email = uniqueEmail();
    audit.failSignUp = true;
    try {
      const failed = await new HeaderClient(app).signUp(email);
      expect(failed.status).toBe(500);
    } finally {
      audit.failSignUp = false;
    }
    expect((await new HeaderClient(app).signIn(email, PASSWORD)).body).toMatchObject({
      status: 'OK',
    });
  });
});

/** Hooks the app did not register as a provider: the module makes one with what it can see. */
@Injectable()
class UnregisteredHooks implements AuthHooks {
  static seen: string[] = [];
  constructor(private readonly info: AuthInfo) {}
  afterSignUp({ user }: AuthUserEvent) {
    UnregisteredHooks.seen.push(`${this.info.apiBasePath} ${user.id}`);
  }
}

describe('hooks not registered as a provider', () => {
  it('are instantiated by the module, with its injectables', async () => {
    const app = await hookedApp({ hooks: UnregisteredHooks });
    try {
      const userId = ((await new HeaderClient(app).signUp()).body as { user: { id: string } }).user
        .id;
      expect(UnregisteredHooks.seen).toEqual([`/auth ${userId}`]);
    } finally {
      await app.close();
    }
  });

  it('refuses an instance instead of a class', async () => {
    await expect(
      hookedApp({ hooks: new UnregisteredHooks({} as AuthInfo) as never }),
    ).rejects.toThrow(/hooks must be an injectable class/);
  });
});

/** With @nestjs/event-emitter in the app, every hook is also an `auth.*` event. */
@Injectable()
class AuthEventListener {
  static seen: string[] = [];
  @OnEvent('auth.signUp')
  signedUp({ user, recipe }: AuthUserEvent) {
    AuthEventListener.seen.push(`auth.signUp ${recipe} ${user.id}`);
  }
  @OnEvent('auth.signOut')
  signedOut({ userId }: AuthSessionEvent) {
    AuthEventListener.seen.push(`auth.signOut ${userId}`);
  }
}

describe('auth events through @nestjs/event-emitter', () => {
  it('emits auth.signUp and auth.signOut without any hooks class', async () => {
    const app = await hookedApp({}, [AuthEventListener], [EventEmitterModule.forRoot()]);
    try {
      const client = new HeaderClient(app);
      const userId = ((await client.signUp()).body as { user: { id: string } }).user.id;
      await client.signOut();
      expect(AuthEventListener.seen).toEqual([
        `auth.signUp emailpassword ${userId}`,
        `auth.signOut ${userId}`,
      ]);
    } finally {
      await app.close();
    }
  });
});
