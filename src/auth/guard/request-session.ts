import type { SessionContainer } from 'supertokens-node/recipe/session';
import { nodeRequest, type PlatformRequest } from '../utils/http-platform.js';

/**
 * The session AuthGuard verified for a request, for `@Session()`. A WeakMap rather than a
 * property on the request: adding properties to Node's request objects changes their shape and
 * slows every later access to them; entries go away with the request. Keyed by Node's request,
 * which Fastify's middleware sees where its handlers see a `FastifyRequest` around it.
 */
const sessions = new WeakMap<object, SessionContainer | undefined>();

export const requestSession = {
  /** Whether the request was already verified (a session, or none on an optional route). */
  verified: (req: PlatformRequest): boolean => sessions.has(nodeRequest(req)),
  get: (req: PlatformRequest): SessionContainer | undefined => sessions.get(nodeRequest(req)),
  set: (req: PlatformRequest, session: SessionContainer | undefined): void => {
    sessions.set(nodeRequest(req), session);
  },
};
