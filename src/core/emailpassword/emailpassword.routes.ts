import type { CoreContext } from '../core.context.js';
import { normaliseEmail } from '../crypto.util.js';
import { badRequest } from '../http/core-error.js';
import { body } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { signedInView } from '../views.js';
import { EmailPasswordService } from './emailpassword.service.js';

/**
 * EmailPassword sign up / in and password reset tokens (docs/embedded-core.md, EmailPassword).
 * `PUT /recipe/user`, shared with passwordless, is with the user routes.
 */
export function emailPasswordRoutes(ctx: CoreContext): CoreRoute[] {
  const service = new EmailPasswordService(ctx);
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
        const outcome = await service.signUp(appId, tenantId, email, password);
        return outcome.status === 'OK' ? signedInView(ctx.store, appId, outcome) : outcome;
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
        const outcome = await service.signIn(appId, tenantId, email, password);
        return outcome.status === 'OK' ? signedInView(ctx.store, appId, outcome) : outcome;
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/password/reset/token',
      scope: 'tenant',
      handler: ({ appId, tenantId, body: read }) => {
        const input = read();
        const userId = body.string(input, 'userId');
        return service.createResetToken(appId, tenantId, userId, body.string(input, 'email'));
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/password/reset/token/consume',
      scope: 'tenant',
      handler: ({ appId, body: read }) =>
        service.consumeResetToken(appId, body.string(read(), 'token')),
    },
  ];
}
