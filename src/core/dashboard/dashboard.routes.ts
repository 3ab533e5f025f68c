import type { CoreContext } from '../core.context.js';
import { javaTrim } from '../crypto.util.js';
import { CoreHttpError, badRequest, invalidField, missingQuery } from '../http/core-error.js';
import type { JsonObject } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import type { DashboardUserKey } from '../store/store.interface.js';
import { dashboardSessionView, dashboardUserOutcomeView, dashboardUserView } from '../views.js';
import { DashboardService } from './dashboard.service.js';

const EITHER_FIELD = "Either field 'email' or 'userId' must be present";

const emptyString = (field: string): CoreHttpError =>
  badRequest(`Field name '${field}' cannot be an empty String`);

/** A string field, trimmed as the real core does; empty after trimming is a 400. */
function bodyString(input: JsonObject, field: string): string;
function bodyString(input: JsonObject, field: string, optional: true): string | undefined;
function bodyString(input: JsonObject, field: string, optional = false): string | undefined {
  const value = input[field];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') throw invalidField(field);
  const trimmed = javaTrim(value);
  if (trimmed === '') throw emptyString(field);
  return trimmed;
}

function queryString(params: URLSearchParams, field: string): string | undefined {
  const value = params.get(field);
  if (value === null) return undefined;
  const trimmed = javaTrim(value);
  if (trimmed === '') throw emptyString(field);
  return trimmed;
}

/** `{userId}` or `{email}` from a body or query; neither is the real core's 400. */
function userKey(userId: string | undefined, email: string | undefined): DashboardUserKey {
  if (userId !== undefined) return { userId };
  if (email !== undefined) return { email: email.toLowerCase() };
  throw badRequest(EITHER_FIELD);
}

/**
 * Dashboard logins and their sessions (docs/embedded-core.md, Dashboard); all app-level, only on
 * the public tenant.
 */
export function dashboardRoutes(ctx: CoreContext): CoreRoute[] {
  const service = new DashboardService(ctx);
  return [
    {
      method: 'POST',
      path: '/recipe/dashboard/user',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const email = bodyString(input, 'email').toLowerCase();
        const password = bodyString(input, 'password');
        return dashboardUserOutcomeView(await service.createUser(appId, email, password));
      },
    },
    {
      method: 'PUT',
      path: '/recipe/dashboard/user',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const key = userKey(bodyString(input, 'userId', true), bodyString(input, 'email', true));
        const email = bodyString(input, 'newEmail', true)?.toLowerCase();
        const password = bodyString(input, 'newPassword', true);
        return dashboardUserOutcomeView(await service.updateUser(appId, key, { email, password }));
      },
    },
    {
      method: 'DELETE',
      path: '/recipe/dashboard/user',
      scope: 'public-only',
      handler: async ({ appId, query }) => {
        const key = userKey(queryString(query, 'userId'), queryString(query, 'email'));
        return { status: 'OK', didUserExist: await service.deleteUser(appId, key) };
      },
    },
    {
      method: 'GET',
      path: '/recipe/dashboard/users',
      scope: 'public-only',
      handler: async ({ appId }) => ({
        status: 'OK',
        users: (await service.listUsers(appId)).map(dashboardUserView),
      }),
    },
    {
      method: 'POST',
      path: '/recipe/dashboard/signin',
      scope: 'public-only',
      handler: ({ appId, body: read }) => {
        const input = read();
        const email = bodyString(input, 'email').toLowerCase();
        return service.signIn(appId, email, bodyString(input, 'password'));
      },
    },
    {
      method: 'POST',
      path: '/recipe/dashboard/session/verify',
      scope: 'public-only',
      handler: ({ appId, body: read }) =>
        service.verifySession(appId, bodyString(read(), 'sessionId')),
    },
    {
      method: 'DELETE',
      path: '/recipe/dashboard/session',
      scope: 'public-only',
      handler: async ({ appId, query }) => {
        const sessionId = queryString(query, 'sessionId');
        if (sessionId === undefined) throw missingQuery('sessionId');
        await service.signOut(appId, sessionId);
        return { status: 'OK' };
      },
    },
    {
      method: 'GET',
      path: '/recipe/dashboard/user/sessions',
      scope: 'public-only',
      handler: async ({ appId, query }) => {
        const userId = queryString(query, 'userId');
        if (userId === undefined) throw missingQuery('userId');
        const sessions = await service.sessionsOf(appId, userId);
        return { status: 'OK', sessions: sessions.map(dashboardSessionView) };
      },
    },
    {
      method: 'GET',
      path: '/recipe/dashboard/tenant/core-config',
      scope: 'tenant',
      // Only displayed by the dashboard; the embedded core's settings are not per tenant.
      handler: () => Promise.resolve({ status: 'OK', config: [] }),
    },
  ];
}
