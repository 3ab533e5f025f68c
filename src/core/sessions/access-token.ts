import { type KeyObject, sign as signData, verify as verifyData } from 'node:crypto';
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

/** The real core's JWT errors reach the SDK as the Java exception's `toString()`. */
const jwtError = (reason: string): InvalidAccessTokenError =>
  new InvalidAccessTokenError(`io.supertokens.session.jwt.JWT$JWTException: ${reason}`);

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JSON object from one base64url part of a token, or undefined. */
function decodeObject(part: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The header checks of the real core's `JWT.preParseJWTInfo`, in its order and with its
 * messages: three parts, a JSON object header, `typ` JWT, `alg` RS256, a `version` that is not
 * 1 or 2 (absent: the latest), a string `kid`.
 */
function preParse(token: string): { parts: [string, string, string]; kid: string } {
  const parts = token.split('.');
  if (parts.length !== 3) throw jwtError('Invalid JWT');
  const header = decodeObject(parts[0]);
  if (!header) throw jwtError('Invalid JWT');
  const field = (name: string, expected?: string): string => {
    const value = header[name];
    if (value === undefined || value === null || typeof value === 'object') {
      throw jwtError(`JWT header missing - ${name}`);
    }
    if (typeof value !== 'string' || (expected !== undefined && value !== expected)) {
      throw jwtError(`JWT header mismatch - ${name}`);
    }
    return value;
  };
  field('typ', 'JWT');
  field('alg', 'RS256');
  const version = header.version;
  if (version !== undefined && (typeof version !== 'string' || ['1', '2'].includes(version))) {
    throw jwtError('JWT header mismatch - version');
  }
  return { parts: parts as [string, string, string], kid: field('kid') };
}

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
    const header = { alg: 'RS256', typ: 'JWT', kid: key.record.kid, version: '5' };
    const signingInput = `${encode(header)}.${encode(payload)}`;
    const signature = signData('sha256', Buffer.from(signingInput), key.privateKey);
    return {
      token: `${signingInput}.${signature.toString('base64url')}`,
      expiry: exp * 1000,
      createdTime: iat * 1000,
    };
  }

  /** Signature (by a current key of this app), structure and expiry; throws InvalidAccessTokenError. */
  async verify(appId: string, token: string): Promise<AccessTokenClaims> {
    const claims = await this.verifyIgnoringExpiry(appId, token);
    if (claims.exp * 1000 <= this.now()) throw new InvalidAccessTokenError('Access token expired');
    return claims;
  }

  /** Signature and structure only: regenerate must accept an expired token. */
  async verifyIgnoringExpiry(appId: string, token: string): Promise<AccessTokenClaims> {
    const { parts, kid } = preParse(token);
    const key: KeyObject | undefined = await this.keys.verificationKey(appId, kid);
    if (!key) throw new InvalidAccessTokenError('Key not found');
    const [header, payload, signature] = parts;
    let valid = false;
    try {
      valid =
        BASE64URL.test(signature) &&
        verifyData(
          'sha256',
          Buffer.from(`${header}.${payload}`),
          key,
          Buffer.from(signature, 'base64url'),
        );
    } catch {
      // A signature the key cannot even read is a failed verification.
    }
    if (!valid) throw jwtError('JWT verification failed');
    const claims = decodeObject(payload);
    if (!claims) throw new InvalidAccessTokenError('Access token payload is not an object');
    return assertStructure(claims);
  }
}
