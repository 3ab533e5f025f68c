import type { INestApplicationContext } from '@nestjs/common';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import UserRoles from 'supertokens-node/recipe/userroles';
import { AUTH_RUNTIME } from '../auth/module/auth.constants.js';
import { EmailVerificationService } from '../auth/services/email-verification.service.js';
import type { AuthRuntime } from '../auth/module/auth-runtime.interface.js';

export interface TestUserOptions {
  /** @default a new unique address */
  email?: string;
  /** @default 'test-password-1' */
  password?: string;
  /** Roles to give the user (created when missing; needs `roles: true`). */
  roles?: string[];
  /** Mark the email verified before the session is made (needs `emailVerification`). */
  emailVerified?: boolean;
  /** Custom access-token claims. */
  accessTokenPayload?: Record<string, unknown>;
}

/** A signed-up user with a session, and what a client sends to use it. */
export interface TestSession {
  userId: string;
  email: string;
  password: string;
  sessionHandle: string;
  accessToken: string;
  refreshToken: string;
  /** For header-based clients: `{ authorization: 'Bearer …' }`. */
  headers: Record<string, string>;
  /** For cookie-based clients: the `Cookie` request header value (access-token cookie). */
  cookie: string;
}

let counter = 0;

/**
 * Signs a user up (EmailPassword), applies roles and email verification, and creates a session
 * through the SDK, in-process and without HTTP: the returned headers or cookie work with
 * supertest, fetch or any in-process request helper, in header and in cookie mode.
 * @example
 * const { headers } = await createUserAndSession(app, { roles: ['admin'] });
 * await request(app.getHttpServer()).get('/admin').set(headers).expect(200);
 */
export async function createUserAndSession(
  app: INestApplicationContext,
  options: TestUserOptions = {},
): Promise<TestSession> {
  const runtime = app.get<AuthRuntime>(AUTH_RUNTIME);
  const email = options.email ?? `test-user-${process.pid}-${Date.now()}-${++counter}@example.com`;
  const password = options.password ?? 'test-password-1';
  const signUp = await EmailPassword.signUp('public', email, password);
  if (signUp.status !== 'OK') {
    throw new Error(`createUserAndSession: sign-up of ${email} failed: ${signUp.status}`);
  }
  const userId = signUp.user.id;
  if (options.roles?.length) {
    if (!runtime.options.roles) {
      throw new Error('createUserAndSession: roles need AuthModule option roles: true');
    }
    for (const role of options.roles) {
      await UserRoles.createNewRoleOrAddPermissions(role, []);
      await UserRoles.addRoleToUser('public', userId, role);
    }
  }
  if (options.emailVerified) {
    if (!runtime.options.emailVerification) {
      throw new Error(
        'createUserAndSession: emailVerified needs the AuthModule option emailVerification',
      );
    }
    await app.get(EmailVerificationService).markVerified(userId, email);
  }
  const session = await Session.createNewSessionWithoutRequestResponse(
    'public',
    signUp.recipeUserId,
    options.accessTokenPayload,
  );
  const tokens = session.getAllSessionTokensDangerously();
  return {
    userId,
    email,
    password,
    sessionHandle: session.getHandle(),
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken!,
    headers: { authorization: `Bearer ${tokens.accessToken}` },
    cookie: `sAccessToken=${encodeURIComponent(tokens.accessToken)}`,
  };
}
