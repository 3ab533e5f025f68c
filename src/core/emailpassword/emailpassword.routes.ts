import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import { body } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { newId, newOpaqueToken, normaliseEmail, sha256Hex } from '../crypto.util.js';
import { userView } from '../users/user.view.js';
import { updatePasswordlessUser } from '../passwordless/passwordless-user.update.js';
import { decoyHash, hashPassword, verifyPassword } from './password-hash.js';

/** Addresses the SDK invents for users without an email; the real core treats them as verified. */
const isFakeEmail = (email: string): boolean =>
  email.endsWith('@stfakeemail.supertokens.com') || email.endsWith('.fakeemail.com');

/** EmailPassword sign up / in, password reset tokens and `PUT /recipe/user` (spec §3.5). */
export function emailPasswordRoutes(ctx: CoreContext): CoreRoute[] {
  const { store, config, now } = ctx;
  return [
    {
      method: 'POST',
      path: '/recipe/signup',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const email = normaliseEmail(body.string(input, 'email'));
        const password = body.string(input, 'password');
        if (password === '') throw badRequest('Password cannot be an empty string');
        const recipeUserId = newId();
        const status = await store.createEmailPasswordUser(appId, tenantId, {
          recipeUserId,
          recipeId: 'emailpassword',
          tenantIds: [tenantId],
          timeJoined: now(),
          email,
          passwordHash: await hashPassword(password, email),
        });
        if (status === 'EMAIL_ALREADY_EXISTS') return { status: 'EMAIL_ALREADY_EXISTS_ERROR' };
        if (isFakeEmail(email)) await store.setEmailVerified(appId, recipeUserId, email, true);
        const user = await store.getUser(appId, recipeUserId);
        return { status: 'OK', user: await userView(store, appId, user!), recipeUserId };
      },
    },
    {
      method: 'POST',
      path: '/recipe/signin',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const email = normaliseEmail(body.string(input, 'email'));
        const password = body.string(input, 'password');
        const [user] = (await store.findUsers(appId, tenantId, { email })).filter((u) =>
          u.loginMethods.some((m) => m.recipeId === 'emailpassword' && m.email === email),
        );
        const method = user?.loginMethods.find(
          (m) =>
            m.recipeId === 'emailpassword' && m.email === email && m.tenantIds.includes(tenantId),
        );
        const ok = await verifyPassword(
          password,
          method?.passwordHash ?? (await decoyHash()),
          email,
        );
        if (!user || !method || !ok) return { status: 'WRONG_CREDENTIALS_ERROR' };
        return {
          status: 'OK',
          user: await userView(store, appId, user),
          recipeUserId: method.recipeUserId,
        };
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/password/reset/token',
      scope: 'tenant',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const userId = body.string(input, 'userId');
        const email = body.string(input, 'email');
        if (!(await store.getUser(appId, userId))) return { status: 'UNKNOWN_USER_ID_ERROR' };
        const token = newOpaqueToken();
        await store.addPasswordResetToken(appId, {
          userId,
          email,
          tokenHash: sha256Hex(token),
          expiry: now() + config.passwordResetTokenLifetime,
        });
        return { status: 'OK', token };
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/password/reset/token/consume',
      scope: 'tenant',
      handler: async ({ appId, body: read }) => {
        const token = body.string(read(), 'token');
        const row = await store.consumePasswordResetToken(appId, sha256Hex(token));
        if (!row || row.expiry < now()) return { status: 'RESET_PASSWORD_INVALID_TOKEN_ERROR' };
        return { status: 'OK', userId: row.userId, email: row.email };
      },
    },
    {
      method: 'PUT',
      path: '/recipe/user',
      scope: 'public-only',
      handler: async ({ appId, headers, body: read }) => {
        // The real core routes this path by rid: passwordless users have their own update.
        if (headers.rid === 'passwordless') return updatePasswordlessUser(ctx, appId, read());
        const input = read();
        const recipeUserId = body.string(input, 'recipeUserId');
        const emailInput = body.optionalString(input, 'email');
        const password = body.optionalString(input, 'password');
        if (emailInput === undefined && password === undefined) {
          throw badRequest('You have to provide either email or password.');
        }
        const result = await store.updateEmailPasswordLogin(appId, recipeUserId, {
          email: emailInput === undefined ? undefined : normaliseEmail(emailInput),
          passwordHash:
            password === undefined ? undefined : await hashPassword(password, recipeUserId),
        });
        if (result === 'UNKNOWN_USER_ID') return { status: 'UNKNOWN_USER_ID_ERROR' };
        if (result === 'EMAIL_ALREADY_EXISTS') return { status: 'EMAIL_ALREADY_EXISTS_ERROR' };
        return { status: 'OK' };
      },
    },
  ];
}
