import type { CoreContext } from '../core.context.js';
import { body, type JsonObject, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import type { Store } from '../store/store.interface.js';
import { userView } from '../views.js';
import {
  AccountLinkingService,
  type LinkOutcome,
  type PrimaryUserOutcome,
} from './account-linking.service.js';

/** A check answers the outcome without the user the real core leaves out of it. */
async function primaryUserAnswer(
  store: Store,
  appId: string,
  outcome: PrimaryUserOutcome,
  withUser: boolean,
): Promise<JsonObject> {
  if (outcome.status !== 'OK') return { ...outcome };
  return {
    status: 'OK',
    wasAlreadyAPrimaryUser: outcome.wasAlreadyAPrimaryUser,
    ...(withUser && { user: await userView(store, appId, outcome.user) }),
  };
}

async function linkAnswer(
  store: Store,
  appId: string,
  outcome: LinkOutcome,
  withUser: boolean,
): Promise<JsonObject> {
  switch (outcome.status) {
    case 'OK': {
      const user = withUser ? await store.getUser(appId, outcome.primaryUserId) : undefined;
      return {
        status: 'OK',
        accountsAlreadyLinked: outcome.accountsAlreadyLinked,
        ...(user && { user: await userView(store, appId, user) }),
      };
    }
    case 'RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR':
      return {
        status: outcome.status,
        primaryUserId: outcome.primaryUserId,
        description: outcome.description,
        ...(withUser && { user: await userView(store, appId, outcome.user) }),
      };
    default:
      return { ...outcome };
  }
}

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
        return primaryUserAnswer(store, appId, outcome, false);
      },
    },
    {
      method: 'POST',
      path: '/recipe/accountlinking/user/primary',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const outcome = await linking.primaryUser(appId, body.string(read(), 'recipeUserId'), true);
        return primaryUserAnswer(store, appId, outcome, true);
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
        return linkAnswer(store, appId, outcome, false);
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
        return linkAnswer(store, appId, outcome, true);
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
