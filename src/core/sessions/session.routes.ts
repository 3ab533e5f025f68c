import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import { body, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { assertNoProtectedClaims, SessionService } from './session.service.js';

const noSession = { status: 'UNAUTHORISED', message: 'Session does not exist.' };

/** Every `/recipe/session…` and `/recipe/jwt/data` endpoint (spec §3.6–§3.11). */
export function sessionRoutes(ctx: CoreContext): CoreRoute[] {
  const sessions = new SessionService(ctx);
  const { store } = ctx;

  /** The recipe user ids whose sessions a by-user call covers. */
  async function sessionUserIds(appId: string, userId: string, linked: boolean): Promise<string[]> {
    const user = linked ? await store.getUser(appId, userId) : undefined;
    return [...new Set([userId, ...(user?.loginMethods.map((m) => m.recipeUserId) ?? [])])];
  }

  return [
    {
      method: 'POST',
      path: '/recipe/session',
      scope: 'tenant',
      handler: ({ appId, tenantId, body: read }) => {
        const input = read();
        return sessions.create(appId, tenantId, {
          userId: body.string(input, 'userId'),
          userDataInJWT: body.object(input, 'userDataInJWT'),
          userDataInDatabase: body.object(input, 'userDataInDatabase'),
          enableAntiCsrf: body.boolean(input, 'enableAntiCsrf'),
          useDynamicSigningKey: body.optionalBoolean(input, 'useDynamicSigningKey') ?? true,
        });
      },
    },
    {
      method: 'POST',
      path: '/recipe/session/verify',
      scope: 'app',
      handler: ({ appId, body: read }) => {
        const input = read();
        return sessions.verify(appId, {
          accessToken: body.string(input, 'accessToken'),
          antiCsrfToken: body.optionalString(input, 'antiCsrfToken'),
          doAntiCsrfCheck: body.boolean(input, 'doAntiCsrfCheck'),
          enableAntiCsrf: body.boolean(input, 'enableAntiCsrf'),
          checkDatabase: body.boolean(input, 'checkDatabase'),
        });
      },
    },
    {
      method: 'POST',
      path: '/recipe/session/refresh',
      scope: 'app',
      handler: ({ appId, body: read }) => {
        const input = read();
        return sessions.refresh(appId, {
          refreshToken: body.string(input, 'refreshToken'),
          antiCsrfToken: body.optionalString(input, 'antiCsrfToken'),
          enableAntiCsrf: body.boolean(input, 'enableAntiCsrf'),
          useDynamicSigningKey: body.boolean(input, 'useDynamicSigningKey'),
        });
      },
    },
    {
      method: 'POST',
      path: '/recipe/session/regenerate',
      scope: 'app',
      handler: ({ appId, body: read }) => {
        const input = read();
        return sessions.regenerate(
          appId,
          body.string(input, 'accessToken'),
          body.optionalObject(input, 'userDataInJWT'),
        );
      },
    },
    {
      method: 'POST',
      path: '/recipe/session/remove',
      scope: 'app',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const hasUser = input.userId !== undefined;
        const hasHandles = input.sessionHandles !== undefined;
        if (hasUser === hasHandles) {
          throw badRequest('Invalid JSON input - use one of userId or sessionHandles array');
        }
        if (hasHandles) {
          for (const flag of ['revokeAcrossAllTenants', 'revokeSessionsForLinkedAccounts']) {
            if (input[flag] !== undefined) {
              throw badRequest(`Invalid JSON input - ${flag} can only be set if userId is set`);
            }
          }
          const handles = body.stringArray(input, 'sessionHandles');
          return {
            status: 'OK',
            sessionHandlesRevoked: await store.deleteSessions(appId, handles),
          };
        }
        const userId = body.string(input, 'userId');
        const allTenants = body.optionalBoolean(input, 'revokeAcrossAllTenants') ?? true;
        const linked = body.optionalBoolean(input, 'revokeSessionsForLinkedAccounts') ?? true;
        const userIds = await sessionUserIds(appId, userId, linked);
        const handles = await store.listSessionHandles(
          appId,
          userIds,
          allTenants ? undefined : tenantId,
        );
        return { status: 'OK', sessionHandlesRevoked: await store.deleteSessions(appId, handles) };
      },
    },
    {
      method: 'GET',
      path: '/recipe/session/user',
      scope: 'app',
      handler: async ({ appId, tenantId, query: q }) => {
        const userId = query.string(q, 'userId');
        const linked = query.flag(q, 'fetchSessionsForAllLinkedAccounts', true);
        const allTenants = query.flag(q, 'fetchAcrossAllTenants', true);
        const userIds = await sessionUserIds(appId, userId, linked);
        const handles = await store.listSessionHandles(
          appId,
          userIds,
          allTenants ? undefined : tenantId,
        );
        const live = await Promise.all(handles.map((h) => sessions.liveSession(appId, h)));
        return { status: 'OK', sessionHandles: live.flatMap((s) => (s ? [s.handle] : [])) };
      },
    },
    {
      method: 'GET',
      path: '/recipe/session',
      scope: 'app',
      handler: async ({ appId, query: q }) => {
        const session = await sessions.liveSession(appId, query.string(q, 'sessionHandle'));
        if (!session) return noSession;
        return {
          status: 'OK',
          sessionHandle: session.handle,
          userId: session.userId,
          recipeUserId: session.recipeUserId,
          userDataInDatabase: session.userDataInDatabase,
          expiry: session.expiry,
          userDataInJWT: session.userDataInJWT,
          timeCreated: session.timeCreated,
          tenantId: session.tenantId,
        };
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
        if (!(await sessions.liveSession(appId, handle))) return noSession;
        await store.updateSession(appId, handle, { userDataInDatabase });
        return { status: 'OK' };
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
        assertNoProtectedClaims(userDataInJWT);
        if (!(await sessions.liveSession(appId, handle))) return noSession;
        await store.updateSession(appId, handle, { userDataInJWT });
        return { status: 'OK' };
      },
    },
  ];
}
