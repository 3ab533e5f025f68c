import type { CoreContext } from '../core.context.js';
import { normaliseEmail } from '../crypto.util.js';
import { badRequest } from '../http/core-error.js';
import { body, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { EmailVerificationService } from './emailverification.service.js';

/**
 * Email verification (docs/embedded-core.md, Email verification). The SDK reads the state around
 * every session creation and password reset.
 */
export function emailVerificationRoutes(ctx: CoreContext): CoreRoute[] {
  const service = new EmailVerificationService(ctx);
  return [
    {
      method: 'POST',
      path: '/recipe/user/email/verify/token',
      scope: 'tenant',
      handler: ({ appId, tenantId, body: read }) => {
        const input = read();
        const userId = body.string(input, 'userId');
        const email = normaliseEmail(body.string(input, 'email'));
        return service.createToken(appId, tenantId, userId, email);
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/email/verify',
      scope: 'tenant',
      handler: ({ appId, tenantId, body: read }) => {
        const input = read();
        if (body.string(input, 'method') !== 'token')
          throw badRequest('Unsupported method for email verification');
        return service.verify(appId, tenantId, body.string(input, 'token'));
      },
    },
    {
      method: 'GET',
      path: '/recipe/user/email/verify',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        // The real core compares the email as given here, without normalising it.
        const userId = query.string(q, 'userId');
        const isVerified = await service.isVerified(appId, userId, query.string(q, 'email'));
        return { status: 'OK', isVerified };
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/email/verify/remove',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const email = normaliseEmail(body.string(input, 'email'));
        await service.unverify(appId, body.string(input, 'userId'), email);
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
        await service.removeTokens(appId, tenantId, body.string(input, 'userId'), email);
        return { status: 'OK' };
      },
    },
  ];
}
