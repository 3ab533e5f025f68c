import type { CoreContext } from '../core.context.js';
import { body, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { linkView, primaryUserView } from '../views.js';
import { AccountLinkingService } from './account-linking.service.js';

/**
 * Account linking (docs/embedded-core.md, Account linking): app-level APIs, answered as the real
 * core 11.4 does (an unknown user is a 400, every refusal a 200 with its `status`).
 */
export function accountLinkingRoutes(ctx: CoreContext): CoreRoute[] {
  const { store } = ctx;
  const linking = new AccountLinkingService(ctx);
  return [
    {
      method: 'GET',
      path: '/recipe/accountlinking/user/primary/check',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        const outcome = await linking.primaryUser(appId, query.string(q, 'recipeUserId'), false);
        return primaryUserView(store, appId, outcome, false);
      },
    },
    {
      method: 'POST',
      path: '/recipe/accountlinking/user/primary',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const outcome = await linking.primaryUser(appId, body.string(read(), 'recipeUserId'), true);
        return primaryUserView(store, appId, outcome, true);
      },
    },
    {
      method: 'GET',
      path: '/recipe/accountlinking/user/link/check',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        const recipeUserId = query.string(q, 'recipeUserId');
        const primaryUserId = query.string(q, 'primaryUserId');
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
        const recipeUserId = body.string(input, 'recipeUserId');
        const primaryUserId = body.string(input, 'primaryUserId');
        const outcome = await linking.link(appId, recipeUserId, primaryUserId, true);
        return linkView(store, appId, outcome, true);
      },
    },
    {
      method: 'POST',
      path: '/recipe/accountlinking/user/unlink',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const outcome = await linking.unlink(appId, body.string(read(), 'recipeUserId'));
        return { status: 'OK', ...outcome };
      },
    },
  ];
}
