import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import { body, type JsonObject, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { sessionInfoView, theftView, tokensView, verifiedView } from '../views.js';
import { SessionService, type SessionsOfUser } from './session.service.js';

const noSession = { status: 'UNAUTHORISED', message: 'Session does not exist.' };

/**
 * Every `/recipe/session…` and `/recipe/jwt/data` endpoint (docs/embedded-core.md, Sessions).
 * A body that is only a `status` and a message passes through; the rest go through a view.
 */
export function sessionRoutes(ctx: CoreContext): CoreRoute[] {
  const sessions = new SessionService(ctx);

  /** `{userId, …flags}` or `{sessionHandles}` of a remove, with the real core's 400s. */
  function removeTarget(input: JsonObject): { handles: string[] } | SessionsOfUser {
    const hasUser = input.userId !== undefined;
    if (hasUser === (input.sessionHandles !== undefined)) {
      throw badRequest('Invalid JSON input - use one of userId or sessionHandles array');
    }
    if (!hasUser) {
      for (const flag of ['revokeAcrossAllTenants', 'revokeSessionsForLinkedAccounts']) {
        if (input[flag] !== undefined) {
          throw badRequest(`Invalid JSON input - ${flag} can only be set if userId is set`);
        }
      }
      return { handles: body.stringArray(input, 'sessionHandles') };
    }
    return {
      userId: body.string(input, 'userId'),
      allTenants: body.optionalBoolean(input, 'revokeAcrossAllTenants') ?? true,
      linkedAccounts: body.optionalBoolean(input, 'revokeSessionsForLinkedAccounts') ?? true,
    };
  }

  return [
    {
      method: 'POST',
      path: '/recipe/session',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const issued = await sessions.create(appId, tenantId, {
          userId: body.string(input, 'userId'),
          userDataInJWT: body.object(input, 'userDataInJWT'),
          userDataInDatabase: body.object(input, 'userDataInDatabase'),
          enableAntiCsrf: body.boolean(input, 'enableAntiCsrf'),
          useDynamicSigningKey: body.optionalBoolean(input, 'useDynamicSigningKey') ?? true,
        });
        return tokensView(issued);
      },
    },
    {
      method: 'POST',
      path: '/recipe/session/verify',
      scope: 'app',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const outcome = await sessions.verify(appId, {
          accessToken: body.string(input, 'accessToken'),
          antiCsrfToken: body.optionalString(input, 'antiCsrfToken'),
          doAntiCsrfCheck: body.boolean(input, 'doAntiCsrfCheck'),
          enableAntiCsrf: body.boolean(input, 'enableAntiCsrf'),
          checkDatabase: body.boolean(input, 'checkDatabase'),
        });
        return outcome.status === 'OK' ? verifiedView(outcome) : { ...outcome };
      },
    },
    {
      method: 'POST',
      path: '/recipe/session/refresh',
      scope: 'app',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const outcome = await sessions.refresh(appId, {
          refreshToken: body.string(input, 'refreshToken'),
          antiCsrfToken: body.optionalString(input, 'antiCsrfToken'),
          enableAntiCsrf: body.boolean(input, 'enableAntiCsrf'),
          useDynamicSigningKey: body.boolean(input, 'useDynamicSigningKey'),
        });
        if (outcome.status === 'OK') return tokensView(outcome);
        if (outcome.status === 'TOKEN_THEFT_DETECTED') return theftView(outcome.session);
        return { ...outcome };
      },
    },
    {
      method: 'POST',
      path: '/recipe/session/regenerate',
      scope: 'app',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const outcome = await sessions.regenerate(
          appId,
          body.string(input, 'accessToken'),
          body.optionalObject(input, 'userDataInJWT'),
        );
        return outcome.status === 'OK' ? verifiedView(outcome) : { ...outcome };
      },
    },
    {
      method: 'POST',
      path: '/recipe/session/remove',
      scope: 'app',
      handler: async ({ appId, tenantId, body: read }) => {
        const revoked = await sessions.revoke(appId, tenantId, removeTarget(read()));
        return { status: 'OK', sessionHandlesRevoked: revoked };
      },
    },
    {
      method: 'GET',
      path: '/recipe/session/user',
      scope: 'app',
      handler: async ({ appId, tenantId, query: q }) => {
        const handles = await sessions.handlesOf(appId, tenantId, {
          userId: query.string(q, 'userId'),
          linkedAccounts: query.flag(q, 'fetchSessionsForAllLinkedAccounts', true),
          allTenants: query.flag(q, 'fetchAcrossAllTenants', true),
        });
        return { status: 'OK', sessionHandles: await sessions.liveHandles(appId, handles) };
      },
    },
    {
      method: 'GET',
      path: '/recipe/session',
      scope: 'app',
      handler: async ({ appId, query: q }) => {
        const session = await sessions.liveSession(appId, query.string(q, 'sessionHandle'));
        return session ? sessionInfoView(session) : noSession;
      },
    },
    {
      method: 'PUT',
      path: '/recipe/session/data',
      scope: 'app',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const handle = body.string(input, 'sessionHandle');
        const userDataInDatabase = body.object(input, 'userDataInDatabase');
        return (await sessions.update(appId, handle, { userDataInDatabase }))
          ? { status: 'OK' }
          : noSession;
      },
    },
    {
      method: 'PUT',
      path: '/recipe/jwt/data',
      scope: 'app',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const handle = body.string(input, 'sessionHandle');
        const userDataInJWT = body.object(input, 'userDataInJWT');
        return (await sessions.update(appId, handle, { userDataInJWT }))
          ? { status: 'OK' }
          : noSession;
      },
    },
  ];
}
