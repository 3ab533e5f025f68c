import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { SessionContainer } from 'supertokens-node/recipe/session';
import { requestSession } from '../guard/request-session.js';
import { sessionClaims } from './session-claims.js';
import { getRequestResponse } from '../utils/execution-context.util.js';

/** What `@Session('...')` can pick from the verified session. */
export type SessionProperty =
  | 'userId'
  | 'recipeUserId'
  | 'handle'
  | 'tenantId'
  | 'accessTokenPayload'
  /** A typed `SessionClaims` object: user, tenant, roles, permissions, email state, your claims. */
  | 'claims';

function pick(session: SessionContainer | undefined, property?: SessionProperty): unknown {
  if (!session || property === undefined) return session;
  switch (property) {
    case 'userId':
      return session.getUserId();
    case 'recipeUserId':
      return session.getRecipeUserId().getAsString();
    case 'handle':
      return session.getHandle();
    case 'tenantId':
      return session.getTenantId();
    case 'accessTokenPayload':
      return session.getAccessTokenPayload() as unknown;
    case 'claims':
      return sessionClaims(session);
  }
}

/**
 * The session `AuthGuard` verified for this request (a `SessionContainer`, or `TypedSession<…>`
 * for a payload typed with your claims), or one property of it: `'claims'` gives a typed
 * `SessionClaims`. Undefined on routes where the session is optional and the request has none.
 * @example @Get('me') me(@Session() session: SessionContainer, @Session('userId') userId: string) {}
 */
export const Session = createParamDecorator(
  (property: SessionProperty | undefined, context: ExecutionContext): unknown => {
    const { req } = getRequestResponse(context);
    return pick(requestSession.get(req), property);
  },
);

/** Alias of `@Session()` for files that also import `Session` from `@nestjs/common`. */
export const SuperTokensSession = Session;
