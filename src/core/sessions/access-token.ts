import { compactVerify, SignJWT } from 'jose';
import type { SigningKeys } from '../keys/signing-keys.js';

/** Claims the core owns; `userDataInJWT` may not contain them (400 otherwise). */
export const PROTECTED_CLAIMS: readonly string[] = [
  'sub',
  'exp',
  'iat',
  'sessionHandle',
  'refreshTokenHash1',
  'parentRefreshTokenHash1',
  'antiCsrfToken',
  'tId',
  'rsub',
];

/** The payload of a v5 access token: the core's claims plus the session's custom claims. */
export interface AccessTokenClaims extends Record<string, unknown> {
  sub: string;
  rsub: string;
  exp: number;
  iat: number;
  tId: string;
  sessionHandle: string;
  refreshTokenHash1: string;
  parentRefreshTokenHash1: string | null;
  antiCsrfToken: string | null;
}

export interface SignInput {
  sessionHandle: string;
  userId: string;
  recipeUserId: string;
  tenantId: string;
  userDataInJWT: Record<string, unknown>;
  refreshTokenHash1: string;
  parentRefreshTokenHash1: string | null;
  antiCsrfToken: string | null;
  useStaticKey: boolean;
  /** Keep this expiry (seconds) instead of starting a new validity period (regenerate). */
  exp?: number;
}

export interface SignedAccessToken {
  token: string;
  expiry: number;
  createdTime: number;
}

/** Thrown for any token that must not be trusted; handlers answer TRY_REFRESH_TOKEN. */
export class InvalidAccessTokenError extends Error {}

const isString = (v: unknown): v is string => typeof v === 'string';
const isStringOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
const isInteger = (v: unknown): v is number => Number.isInteger(v);

/** The removal of the core's own claims: what a token carries as `userDataInJWT`. */
export function customClaims(claims: Record<string, unknown>): Record<string, unknown> {
  const custom: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (!PROTECTED_CLAIMS.includes(name)) custom[name] = value;
  }
  return custom;
}

export function hasProtectedClaim(userDataInJWT: Record<string, unknown>): boolean {
  return PROTECTED_CLAIMS.some((name) => Object.hasOwn(userDataInJWT, name));
}

function assertStructure(claims: Record<string, unknown>): AccessTokenClaims {
  const ok =
    isString(claims.sub) &&
    isString(claims.rsub) &&
    isString(claims.tId) &&
    isString(claims.sessionHandle) &&
    isString(claims.refreshTokenHash1) &&
    isInteger(claims.exp) &&
    isInteger(claims.iat) &&
    isStringOrNull(claims.parentRefreshTokenHash1) &&
    isStringOrNull(claims.antiCsrfToken);
  if (!ok)
    throw new InvalidAccessTokenError('Access token does not have the structure of a v5 token');
  return claims as AccessTokenClaims;
}

/** Signs and checks v5 access tokens: RS256, header `{alg, typ: 'JWT', kid, version: '5'}`. */
export class AccessTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly validitySeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async sign(appId: string, input: SignInput): Promise<SignedAccessToken> {
    const iat = Math.floor(this.now() / 1000);
    const exp = input.exp ?? Math.floor((this.now() + this.validitySeconds * 1000) / 1000);
    const payload: AccessTokenClaims = {
      ...input.userDataInJWT,
      iat,
      exp,
      sub: input.userId,
      tId: input.tenantId,
      rsub: input.recipeUserId,
      sessionHandle: input.sessionHandle,
      refreshTokenHash1: input.refreshTokenHash1,
      parentRefreshTokenHash1: input.parentRefreshTokenHash1,
      antiCsrfToken: input.antiCsrfToken,
    };
    const key = await this.keys.signingKey(appId, input.useStaticKey ? 'static' : 'dynamic');
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.record.kid, version: '5' })
      .sign(key.privateKey);
    return { token, expiry: exp * 1000, createdTime: iat * 1000 };
  }

  /** Signature (by a current key of this app), structure and expiry; throws InvalidAccessTokenError. */
  async verify(appId: string, token: string): Promise<AccessTokenClaims> {
    const claims = await this.verifyIgnoringExpiry(appId, token);
    if (claims.exp * 1000 <= this.now()) throw new InvalidAccessTokenError('Access token expired');
    return claims;
  }

  /** Signature and structure only: regenerate must accept an expired token. */
  async verifyIgnoringExpiry(appId: string, token: string): Promise<AccessTokenClaims> {
    let claims: unknown;
    try {
      const { payload, protectedHeader } = await compactVerify(
        token,
        async (header) => {
          const key =
            header.kid === undefined
              ? undefined
              : await this.keys.verificationKey(appId, header.kid);
          if (!key) throw new InvalidAccessTokenError('Access token signed by an unknown key');
          return key;
        },
        { algorithms: ['RS256'] },
      );
      if (protectedHeader.typ !== 'JWT' || protectedHeader.version !== '5') {
        throw new InvalidAccessTokenError('Not a v5 access token');
      }
      claims = JSON.parse(new TextDecoder().decode(payload));
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw error;
      throw new InvalidAccessTokenError(
        error instanceof Error ? error.message : 'Invalid access token',
      );
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      throw new InvalidAccessTokenError('Access token payload is not an object');
    }
    return assertStructure(claims as Record<string, unknown>);
  }
}
