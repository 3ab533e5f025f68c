import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import { body, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { newOpaqueToken, normaliseEmail, sha256Hex } from '../crypto.util.js';

/**
 * Email verification (spec §6.1): verified (recipe user, email) pairs are app-wide, tokens are
 * per tenant. The SDK reads the state around every session creation and password reset.
 */
export function emailVerificationRoutes({ store, config, now }: CoreContext): CoreRoute[] {
  return [
    {
      method: 'POST',
      path: '/recipe/user/email/verify/token',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const userId = body.string(input, 'userId');
        const email = normaliseEmail(body.string(input, 'email'));
        if (await store.isEmailVerified(appId, userId, email))
          return { status: 'EMAIL_ALREADY_VERIFIED_ERROR' };
        const token = newOpaqueToken();
        await store.addEmailVerificationToken(appId, tenantId, {
          userId,
          email,
          tokenHash: sha256Hex(token),
          expiry: now() + config.emailVerificationTokenLifetime,
        });
        return { status: 'OK', token };
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/email/verify',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        if (body.string(input, 'method') !== 'token')
          throw badRequest('Unsupported method for email verification');
        const token = body.string(input, 'token');
        const row = await store.consumeEmailVerificationToken(appId, tenantId, sha256Hex(token));
        if (!row || row.expiry < now()) return { status: 'EMAIL_VERIFICATION_INVALID_TOKEN_ERROR' };
        await store.setEmailVerified(appId, row.userId, row.email, true);
        return { status: 'OK', userId: row.userId, email: row.email };
      },
    },
    {
      method: 'GET',
      path: '/recipe/user/email/verify',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        // The real core compares the email as given here, without normalising it.
        const verified = await store.isEmailVerified(
          appId,
          query.string(q, 'userId'),
          query.string(q, 'email'),
        );
        return { status: 'OK', isVerified: verified };
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/email/verify/remove',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const email = normaliseEmail(body.string(input, 'email'));
        await store.setEmailVerified(appId, body.string(input, 'userId'), email, false);
        return { status: 'OK' };
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/email/verify/token/remove',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const email = normaliseEmail(body.string(input, 'email'));
        await store.removeEmailVerificationTokens(
          appId,
          tenantId,
          body.string(input, 'userId'),
          email,
        );
        return { status: 'OK' };
      },
    },
  ];
}
