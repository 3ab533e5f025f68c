// A type test, checked by `npm run typecheck` (tsc --noEmit over test/): each @ts-expect-error
// line must be an error, or the check fails. Nothing here runs.
import type { AccessTokenPayload, SessionClaims, TypedSession } from 'nest-supertokens';

// An app declares its custom claims once...
declare module 'nest-supertokens' {
  interface AccessTokenClaims {
    plan: 'free' | 'pro';
  }
}

// ...and every typed view of the session knows them.
declare const claims: SessionClaims;
export const plan: 'free' | 'pro' = claims.plan;
export const roles: string[] = claims.roles;
export const userId: string = claims.userId;
export const verified: boolean | undefined = claims.emailVerified;
// @ts-expect-error: 'gold' is not a plan
export const gold: SessionClaims['plan'] = 'gold';
// @ts-expect-error: roles are strings
export const numbers: number[] = claims.roles;

declare const session: TypedSession;
export const fromPayload: 'free' | 'pro' = session.getAccessTokenPayload().plan;
export const tenant: string = session.getAccessTokenPayload().tId;
// @ts-expect-error: a claim nobody declared
export const unknownClaim: unknown = session.getAccessTokenPayload().nope;

// Without declaration merging, per use: the generic parameter.
declare const org: SessionClaims<{ orgId: string }>;
export const orgId: string = org.orgId;
declare const payload: AccessTokenPayload<{ orgId: string }>;
export const expiry: number = payload.exp;
// @ts-expect-error: orgId is a string
export const orgNumber: number = payload.orgId;
