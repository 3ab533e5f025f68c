import type { SessionContainer } from 'supertokens-node/recipe/session';
import { nodeRequest, type PlatformRequest } from '../utils/http-platform.js';

/** Where the verified session sits on Node's request: a symbol no other code can collide with. */
const SESSION = Symbol('nest-supertokens:session');

type WithSession = { [SESSION]?: SessionContainer | null };

/**
 * The session AuthGuard verified for a request, for `@Session()`: a symbol-keyed property of
 * Node's request (which Fastify's middleware sees where its handlers see a `FastifyRequest`
 * around it), `null` when an optional route had none. Not a WeakMap: a young object used as a
 * WeakMap key survives the young-generation collections, so every request (and its socket
 * buffers) was promoted to the old generation, and collecting them cost more CPU than the guard
 * itself (measured with bench/guard).
 */
export const requestSession = {
  /** Whether the request was already verified (a session, or none on an optional route). */
  verified: (req: PlatformRequest): boolean =>
    (nodeRequest(req) as WithSession)[SESSION] !== undefined,
  get: (req: PlatformRequest): SessionContainer | undefined =>
    (nodeRequest(req) as WithSession)[SESSION] ?? undefined,
  set: (req: PlatformRequest, session: SessionContainer | undefined): void => {
    (nodeRequest(req) as WithSession)[SESSION] = session ?? null;
  },
};
