import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import { body, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { normaliseEmail } from '../crypto.util.js';
import { normalisePhoneNumber } from './phone-number.js';
import { userView } from './user.view.js';

/**
 * `GET /user/id`, `GET /<t>/users/by-accountinfo`, `POST /user/remove` (spec §3.3, §3.4, §5.3),
 * and account unlinking, which with no account linking here only tells whether the user exists.
 */
export function usersRoutes({ store }: CoreContext): CoreRoute[] {
  return [
    {
      method: 'GET',
      path: '/user/id',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        const user = await store.getUser(appId, query.string(q, 'userId'));
        if (!user) return { status: 'UNKNOWN_USER_ID_ERROR' };
        return { status: 'OK', user: await userView(store, appId, user) };
      },
    },
    {
      method: 'GET',
      path: '/users/by-accountinfo',
      scope: 'tenant',
      handler: async ({ appId, tenantId, query: q }) => {
        const union = query.string(q, 'doUnionOfAccountInfo');
        if (union !== 'true' && union !== 'false') {
          throw badRequest("'doUnionOfAccountInfo' should be either 'true' or 'false'");
        }
        if (q.has('thirdPartyId') !== q.has('thirdPartyUserId')) {
          throw badRequest(
            "If 'thirdPartyId' is provided, 'thirdPartyUserId' must also be provided, and vice versa",
          );
        }
        const emailParam = query.optionalString(q, 'email');
        const phoneParam = query.optionalString(q, 'phoneNumber');
        const email = emailParam === undefined ? undefined : normaliseEmail(emailParam);
        const phoneNumber = phoneParam === undefined ? undefined : normalisePhoneNumber(phoneParam);
        // Nobody logs in with a third-party account or passkey here yet, so those can only miss.
        const unmatchable = q.has('thirdPartyId') || q.has('webauthnCredentialId');
        if (email === undefined && phoneNumber === undefined) return { status: 'OK', users: [] };
        let users = await store.findUsers(appId, tenantId, { email, phoneNumber });
        if (union === 'false') {
          if (unmatchable) users = [];
          users = users.filter((user) => {
            const inTenant = user.loginMethods.filter((m) => m.tenantIds.includes(tenantId));
            return (
              (email === undefined || inTenant.some((m) => m.email === email)) &&
              (phoneNumber === undefined || inTenant.some((m) => m.phoneNumber === phoneNumber))
            );
          });
        }
        return {
          status: 'OK',
          users: await Promise.all(users.map((u) => userView(store, appId, u))),
        };
      },
    },
    {
      method: 'POST',
      path: '/user/remove',
      scope: 'public-only',
      handler: async (request) => {
        await store.deleteUser(request.appId, body.string(request.body(), 'userId'));
        return { status: 'OK' };
      },
    },
    {
      method: 'POST',
      path: '/recipe/accountlinking/user/unlink',
      scope: 'public-only',
      handler: async (request) => {
        const recipeUserId = body.string(request.body(), 'recipeUserId');
        if (!(await store.getUser(request.appId, recipeUserId))) {
          throw badRequest('Unknown user ID provided');
        }
        // No user here is a primary user with linked accounts: the real core's answer for that.
        return { status: 'OK', wasRecipeUserDeleted: false, wasLinked: false };
      },
    },
  ];
}
