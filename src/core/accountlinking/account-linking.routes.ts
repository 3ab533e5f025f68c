import type { CoreContext } from '../core.context.js';
import { body, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { UserIdMappingService } from '../userid/userid-mapping.service.js';
import { linkView, primaryUserView } from '../views.js';
import { AccountLinkingService } from './account-linking.service.js';

/**
 * Account linking (docs/embedded-core.md, Account linking): app-level APIs, answered as the real
 * core 11.4 does (an unknown user is a 400, every refusal a 200 with its `status`).
 */
export function accountLinkingRoutes(ctx: CoreContext): CoreRoute[] {
  const { store } = ctx;
  const linking = new AccountLinkingService(ctx);
  // Each takes a SuperTokens or an external id.
  const ids = new UserIdMappingService(ctx);
  const userId = (appId: string, id: string) => ids.toSuperTokensId(appId, id);
  return [
    {
      method: 'GET',
      path: '/recipe/accountlinking/user/primary/check',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        const recipeUserId = await userId(appId, query.string(q, 'recipeUserId'));
        const outcome = await linking.primaryUser(appId, recipeUserId, false);
        return primaryUserView(store, appId, outcome, false);
      },
    },
    {
      method: 'POST',
      path: '/recipe/accountlinking/user/primary',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const recipeUserId = await userId(appId, body.string(read(), 'recipeUserId'));
        const outcome = await linking.primaryUser(appId, recipeUserId, true);
        return primaryUserView(store, appId, outcome, true);
      },
    },
    {
      method: 'GET',
      path: '/recipe/accountlinking/user/link/check',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        const recipeUserId = await userId(appId, query.string(q, 'recipeUserId'));
        const primaryUserId = await userId(appId, query.string(q, 'primaryUserId'));
        const outcome = await linking.link(appId, recipeUserId, primaryUserId, false);
        return linkView(store, appId, outcome, false);
      },
    },
    {
      method: 'POST',
      path: '/recipe/accountlinking/user/link',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const recipeUserId = await userId(appId, body.string(input, 'recipeUserId'));
        const primaryUserId = await userId(appId, body.string(input, 'primaryUserId'));
        const outcome = await linking.link(appId, recipeUserId, primaryUserId, true);
        return linkView(store, appId, outcome, true);
      },
    },
    {
      method: 'POST',
      path: '/recipe/accountlinking/user/unlink',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const recipeUserId = await userId(appId, body.string(read(), 'recipeUserId'));
        const outcome = await linking.unlink(appId, recipeUserId);
        return { status: 'OK', ...outcome };
      },
    },
  ];
}
