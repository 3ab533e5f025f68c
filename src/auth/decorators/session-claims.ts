import type { SessionContainer } from 'supertokens-node/recipe/session';

/**
 * Your app's own access-token claims, declared once by declaration merging; every typed session
 * view then carries them:
 *
 * @example
 * declare module 'nest-supertokens' {
 *   interface AccessTokenClaims {
 *     plan: 'free' | 'pro';
 *   }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the app
export interface AccessTokenClaims {}

/** The claims SuperTokens itself puts in a v5 access token. */
export interface StandardAccessTokenClaims {
  sub: string;
  rsub: string;
  tId: string;
  sessionHandle: string;
  iat: number;
  exp: number;
  iss?: string;
  /** Roles and permissions (`roles: true`), email state (`emailVerification`): value and fetch time. */
  'st-role'?: { v: string[]; t: number };
  'st-perm'?: { v: string[]; t: number };
  'st-ev'?: { v: boolean; t: number };
}

/** The whole access-token payload: SuperTokens' claims and yours (`TClaims`, by default the merged `AccessTokenClaims`). */
export type AccessTokenPayload<TClaims extends object = AccessTokenClaims> =
  StandardAccessTokenClaims & TClaims;

/**
 * `@Session('claims')`: the session's identity and claims in one typed object, with your own
 * claims (see `AccessTokenClaims`) at the top level.
 */
export type SessionClaims<TClaims extends object = AccessTokenClaims> = TClaims & {
  userId: string;
  recipeUserId: string;
  tenantId: string;
  sessionHandle: string;
  /** Empty without `roles: true` or when the user has none. */
  roles: string[];
  permissions: string[];
  /** Undefined without the email verification recipe. */
  emailVerified: boolean | undefined;
};

/** `@Session()` typed with your claims: the SDK's session whose payload getter knows them. */
export interface TypedSession<TClaims extends object = AccessTokenClaims> extends SessionContainer {
  getAccessTokenPayload(): AccessTokenPayload<TClaims>;
}

/** The claims object of a session (what `@Session('claims')` answers). */
export function sessionClaims<TClaims extends object = AccessTokenClaims>(
  session: SessionContainer,
): SessionClaims<TClaims> {
  const payload = session.getAccessTokenPayload() as AccessTokenPayload<Record<string, unknown>>;
  const own: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (!STANDARD.has(name)) own[name] = value;
  }
  return {
    ...(own as TClaims),
    userId: session.getUserId(),
    recipeUserId: session.getRecipeUserId().getAsString(),
    tenantId: session.getTenantId(),
    sessionHandle: session.getHandle(),
    roles: payload['st-role']?.v ?? [],
    permissions: payload['st-perm']?.v ?? [],
    emailVerified: payload['st-ev']?.v,
  };
}

/** Claims that are SuperTokens' own: left out of the top level of `SessionClaims`. */
const STANDARD = new Set([
  'sub',
  'rsub',
  'tId',
  'sessionHandle',
  'iat',
  'exp',
  'iss',
  'refreshTokenHash1',
  'parentRefreshTokenHash1',
  'antiCsrfToken',
  'st-role',
  'st-perm',
  'st-ev',
]);
