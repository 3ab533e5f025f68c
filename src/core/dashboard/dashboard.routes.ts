import type { CoreContext } from '../core.context.js';
import { javaTrim, newId } from '../crypto.util.js';
import { decoyHash, hashPassword, verifyPassword } from '../emailpassword/password-hash.js';
import { CoreHttpError, badRequest, invalidField, missingQuery } from '../http/core-error.js';
import type { JsonObject } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import type { DashboardUserRecord } from '../store/records.js';
import type { DashboardUserKey } from '../store/store.interface.js';
import { isValidDashboardEmail } from './dashboard-email.js';

/** Dashboard sessions last 30 days (the real core's value). */
const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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

/** The real core's password rule for dashboard users, with its messages, in its order. */
export function dashboardPasswordError(password: string): string | undefined {
  if (password.length < 8) return 'Password must contain at least 8 characters, including a number';
  if (password.length >= 100) return "Password's length must be lesser than 100 characters";
  if (!/[a-zA-Z]/.test(password)) return 'Password must contain at least one alphabet';
  if (!/[0-9]/.test(password)) return 'Password must contain at least one number';
  return undefined;
}

const userView = ({ email, userId, timeJoined }: DashboardUserRecord): JsonObject => ({
  email,
  userId,
  timeJoined,
});

/** Dashboard logins and their sessions (spec §5.1); all app-level, only on the public tenant. */
export function dashboardRoutes({ store, now }: CoreContext): CoreRoute[] {
  /** `{userId}` or `{email}` from a body or query; neither is the real core's 400. */
  const userKey = (userId: string | undefined, email: string | undefined): DashboardUserKey => {
    if (userId !== undefined) return { userId };
    if (email !== undefined) return { email: email.toLowerCase() };
    throw badRequest(EITHER_FIELD);
  };

  return [
    {
      method: 'POST',
      path: '/recipe/dashboard/user',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const email = bodyString(input, 'email').toLowerCase();
        const password = bodyString(input, 'password');
        if (!isValidDashboardEmail(email)) return { status: 'INVALID_EMAIL_ERROR' };
        const weak = dashboardPasswordError(password);
        if (weak) return { status: 'PASSWORD_WEAK_ERROR', message: weak };
        const user: DashboardUserRecord = {
          userId: newId(),
          email,
          passwordHash: await hashPassword(password, `dashboard:${email}`),
          timeJoined: now(),
        };
        const status = await store.createDashboardUser(appId, user);
        if (status === 'EMAIL_ALREADY_EXISTS') return { status: 'EMAIL_ALREADY_EXISTS_ERROR' };
        return { status: 'OK', user: userView(user) };
      },
    },
    {
      method: 'PUT',
      path: '/recipe/dashboard/user',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const key = userKey(bodyString(input, 'userId', true), bodyString(input, 'email', true));
        const newEmail = bodyString(input, 'newEmail', true)?.toLowerCase();
        const newPassword = bodyString(input, 'newPassword', true);
        if (newEmail !== undefined && !isValidDashboardEmail(newEmail)) {
          return { status: 'INVALID_EMAIL_ERROR' };
        }
        const weak = newPassword === undefined ? undefined : dashboardPasswordError(newPassword);
        if (weak) return { status: 'PASSWORD_WEAK_ERROR', message: weak };
        const user = await store.getDashboardUser(appId, key);
        if (!user) return { status: 'UNKNOWN_USER_ERROR' };
        const status = await store.updateDashboardUser(appId, user.userId, {
          email: newEmail,
          passwordHash:
            newPassword === undefined
              ? undefined
              : await hashPassword(newPassword, `dashboard:${user.userId}`),
        });
        if (status === 'EMAIL_ALREADY_EXISTS') return { status: 'EMAIL_ALREADY_EXISTS_ERROR' };
        if (status === 'UNKNOWN_USER') return { status: 'UNKNOWN_USER_ERROR' };
        const updated = await store.getDashboardUser(appId, { userId: user.userId });
        if (!updated) return { status: 'UNKNOWN_USER_ERROR' };
        return { status: 'OK', user: userView(updated) };
      },
    },
    {
      method: 'DELETE',
      path: '/recipe/dashboard/user',
      scope: 'public-only',
      handler: async ({ appId, query }) => {
        const key = userKey(queryString(query, 'userId'), queryString(query, 'email'));
        return { status: 'OK', didUserExist: await store.deleteDashboardUser(appId, key) };
      },
    },
    {
      method: 'GET',
      path: '/recipe/dashboard/users',
      scope: 'public-only',
      handler: async ({ appId }) => ({
        status: 'OK',
        users: (await store.listDashboardUsers(appId)).map(userView),
      }),
    },
    {
      method: 'POST',
      path: '/recipe/dashboard/signin',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const email = bodyString(input, 'email').toLowerCase();
        const password = bodyString(input, 'password');
        const user = await store.getDashboardUser(appId, { email });
        // Compare against a decoy when the email is unknown, so both answers take as long.
        const ok = await verifyPassword(
          password,
          user?.passwordHash ?? (await decoyHash()),
          `dashboard:${email}`,
        );
        if (!user || !ok) return { status: 'INVALID_CREDENTIALS_ERROR' };
        const sessionId = newId();
        const timeCreated = now();
        await store.createDashboardSession(appId, {
          sessionId,
          userId: user.userId,
          timeCreated,
          expiry: timeCreated + SESSION_LIFETIME_MS,
        });
        return { status: 'OK', sessionId };
      },
    },
    {
      method: 'POST',
      path: '/recipe/dashboard/session/verify',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const sessionId = bodyString(read(), 'sessionId');
        // Expired sessions are removed by the cleanup job; until then they verify (real core).
        const session = UUID.test(sessionId)
          ? await store.getDashboardSession(appId, sessionId)
          : undefined;
        const user = session && (await store.getDashboardUser(appId, { userId: session.userId }));
        if (!user) return { status: 'INVALID_SESSION_ERROR' };
        return { status: 'OK', email: user.email };
      },
    },
    {
      method: 'DELETE',
      path: '/recipe/dashboard/session',
      scope: 'public-only',
      handler: async ({ appId, query }) => {
        const sessionId = queryString(query, 'sessionId');
        if (sessionId === undefined) throw missingQuery('sessionId');
        await store.deleteDashboardSession(appId, sessionId);
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
        const sessions = await store.listDashboardSessions(appId, userId);
        return {
          status: 'OK',
          sessions: sessions.map(({ userId: owner, sessionId, timeCreated, expiry }) => ({
            userId: owner,
            sessionId,
            timeCreated,
            expiry,
          })),
        };
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
