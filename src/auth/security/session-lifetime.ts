import Session, { type SessionContainer } from 'supertokens-node/recipe/session';
import type { RecipeInterface } from 'supertokens-node/recipe/session/types';

/**
 * Access-token claim: when the session must end (epoch seconds), however often it is refreshed.
 * Set at sign-in; the payload carries it through every refresh.
 */
export const SESSION_DEADLINE_CLAIM = 'nst_deadline';

/** The session's deadline in ms, if it has one. */
export function sessionDeadline(payload: Record<string, unknown>): number | undefined {
  const deadline = payload[SESSION_DEADLINE_CLAIM];
  return typeof deadline === 'number' ? deadline * 1000 : undefined;
}

/** The session, unless its deadline has passed: then it is revoked and the request is a 401. */
async function unlessEnded(
  session: SessionContainer,
  now: number,
  userContext: Parameters<SessionContainer['revokeSession']>[0],
): Promise<SessionContainer> {
  const payload = session.getAccessTokenPayload() as Record<string, unknown>;
  if ((sessionDeadline(payload) ?? Infinity) > now) return session;
  await session.revokeSession(userContext);
  throw new Session.Error({
    type: Session.Error.UNAUTHORISED,
    message: 'The session reached its absolute lifetime: sign in again',
    payload: { clearTokens: true },
  });
}

/**
 * Session recipe functions with an absolute lifetime (OWASP ASVS 4.0 V3.3.2: re-authentication
 * after a fixed time even while in use): a new session gets a deadline `seconds` ahead; once it
 * has passed, the session is revoked and every use or refresh answers 401, so the user signs in
 * again. Sessions created before the option was set have no deadline.
 */
export function withAbsoluteLifetime(
  original: RecipeInterface,
  seconds: number,
  now: () => number = Date.now,
): RecipeInterface {
  return {
    ...original,
    createNewSession: (input) =>
      original.createNewSession({
        ...input,
        accessTokenPayload: {
          ...(input.accessTokenPayload as Record<string, unknown> | undefined),
          [SESSION_DEADLINE_CLAIM]: Math.floor(now() / 1000) + seconds,
        },
      }),
    getSession: async (input) => {
      const session = await original.getSession(input);
      return session && unlessEnded(session, now(), input.userContext);
    },
    refreshSession: async (input) =>
      unlessEnded(await original.refreshSession(input), now(), input.userContext),
  };
}
