import type { CoreContext } from '../core.context.js';
import { normaliseEmail } from '../crypto.util.js';
import { body } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { recipeUserIdView, userView } from '../views.js';
import { ThirdPartyService } from './thirdparty.service.js';

/** ThirdParty sign-in-up (docs/embedded-core.md, ThirdParty). */
export function thirdPartyRoutes(ctx: CoreContext): CoreRoute[] {
  const service = new ThirdPartyService(ctx);
  return [
    {
      method: 'POST',
      path: '/recipe/signinup',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const id = body.string(input, 'thirdPartyId');
        const userId = body.string(input, 'thirdPartyUserId');
        const emailObject = body.object(input, 'email');
        const email = normaliseEmail(body.string(emailObject, 'id'));
        const isVerified = body.boolean(emailObject, 'isVerified');
        const outcome = await service.signInUp(appId, tenantId, { id, userId }, email, isVerified);
        if (outcome.status !== 'OK') return { ...outcome };
        return {
          status: 'OK',
          createdNewUser: outcome.createdNewUser,
          user: await userView(ctx.store, appId, outcome.user),
          recipeUserId: await recipeUserIdView(ctx.store, appId, outcome.recipeUserId),
        };
      },
    },
  ];
}
