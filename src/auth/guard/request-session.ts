import type { SessionContainer } from 'supertokens-node/recipe/session';

/**
 * The session AuthGuard verified for a request, for `@Session()`. A WeakMap rather than a
 * property on the request: adding properties to Node's request objects changes their shape and
 * slows every later access to them; entries go away with the request.
 */
const sessions = new WeakMap<object, SessionContainer | undefined>();

export const requestSession = {
  /** Whether the request was already verified (a session, or none on an optional route). */
  verified: (req: object): boolean => sessions.has(req),
  get: (req: object): SessionContainer | undefined => sessions.get(req),
  set: (req: object, session: SessionContainer | undefined): void => {
    sessions.set(req, session);
  },
};
