import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import type { JsonObject } from '../http/json-input.js';
import type { SessionRecord } from '../store/records.js';
import { newId, sha256Hex } from '../crypto.util.js';
import {
  type AccessTokenClaims,
  customClaims,
  hasProtectedClaim,
  InvalidAccessTokenError,
  type SignedAccessToken,
} from './access-token.js';

export interface CreateSessionInput {
  userId: string;
  userDataInJWT: JsonObject;
  userDataInDatabase: JsonObject;
  enableAntiCsrf: boolean;
  useDynamicSigningKey: boolean;
}

export interface VerifyInput {
  accessToken: string;
  antiCsrfToken?: string;
  doAntiCsrfCheck: boolean;
  enableAntiCsrf: boolean;
  checkDatabase: boolean;
}

export interface RefreshInput {
  refreshToken: string;
  antiCsrfToken?: string;
  enableAntiCsrf: boolean;
  useDynamicSigningKey: boolean;
}

const unauthorised = (message: string): JsonObject => ({ status: 'UNAUTHORISED', message });
const tryRefresh = (message: string): JsonObject => ({ status: 'TRY_REFRESH_TOKEN', message });
const hash = sha256Hex;

export const sessionView = (s: SessionRecord, userDataInJWT = s.userDataInJWT): JsonObject => ({
  handle: s.handle,
  userId: s.userId,
  recipeUserId: s.recipeUserId,
  userDataInJWT,
  tenantId: s.tenantId,
});

export function assertNoProtectedClaims(userDataInJWT: JsonObject): void {
  if (hasProtectedClaim(userDataInJWT))
    throw badRequest('The user payload contains protected field');
}

/** Session creation, verification, refresh-token rotation with theft detection (spec §3.6–§3.11). */
export class SessionService {
  constructor(private readonly ctx: CoreContext) {}

  private refreshExpiry(): number {
    return this.ctx.now() + this.ctx.config.refreshTokenValidity * 60_000;
  }

  /** A live (stored, not expired) session. */
  async liveSession(appId: string, handle: string): Promise<SessionRecord | undefined> {
    const session = await this.ctx.store.getSession(appId, handle);
    return session && session.expiry >= this.ctx.now() ? session : undefined;
  }

  async create(appId: string, tenantId: string, input: CreateSessionInput): Promise<JsonObject> {
    assertNoProtectedClaims(input.userDataInJWT);
    const { store, refreshTokens } = this.ctx;
    const handle = tenantId === 'public' ? newId() : `${newId()}_${tenantId}`;
    const antiCsrfToken = input.enableAntiCsrf ? newId() : undefined;
    const refreshToken = await refreshTokens.create(appId, {
      sessionHandle: handle,
      userId: input.userId,
      antiCsrfToken,
      tenantId: tenantId === 'public' ? undefined : tenantId,
    });
    const session = await store.createSession(appId, {
      handle,
      recipeUserId: input.userId,
      tenantId,
      refreshTokenHash2: hash(hash(refreshToken)),
      expiry: this.refreshExpiry(),
      timeCreated: this.ctx.now(),
      userDataInJWT: input.userDataInJWT,
      userDataInDatabase: input.userDataInDatabase,
      useStaticKey: !input.useDynamicSigningKey,
    });
    let accessToken: SignedAccessToken;
    try {
      accessToken = await this.sign(
        appId,
        session,
        hash(refreshToken),
        null,
        antiCsrfToken ?? null,
      );
    } catch (error) {
      // Stored first so its user id comes with the insert; unusable without a token.
      await store.deleteSessions(appId, [handle]).catch(() => undefined);
      throw error;
    }
    return this.tokens(session, accessToken, refreshToken, antiCsrfToken);
  }

  async verify(appId: string, input: VerifyInput): Promise<JsonObject> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.ctx.accessTokens.verify(appId, input.accessToken);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) return tryRefresh(error.message);
      throw error;
    }
    if (
      input.enableAntiCsrf &&
      input.doAntiCsrfCheck &&
      claims.antiCsrfToken !== input.antiCsrfToken
    ) {
      return tryRefresh('Provided antiCsrfToken is not the same as the one in the access token');
    }
    const fromToken = customClaims(claims);
    const parent = claims.parentRefreshTokenHash1;
    if (parent === null && !input.checkDatabase) {
      return { status: 'OK', session: tokenSession(claims, fromToken) };
    }
    const session = await this.liveSession(appId, claims.sessionHandle);
    if (!session) {
      return unauthorised(
        input.checkDatabase
          ? 'Either the session has ended or has been blacklisted'
          : 'Session missing in db',
      );
    }
    const payloadChanged = !sameJson(session.userDataInJWT, fromToken);
    if (parent === null && !payloadChanged) return { status: 'OK', session: sessionView(session) };

    const promotable = parent !== null && hash(parent) === session.refreshTokenHash2;
    if (promotable) {
      // Compare-and-set: of two concurrent first uses of the child token, one promotes.
      await this.ctx.store.updateSession(
        appId,
        session.handle,
        { refreshTokenHash2: hash(claims.refreshTokenHash1), expiry: this.refreshExpiry() },
        session.refreshTokenHash2,
      );
    }
    if (
      promotable ||
      session.refreshTokenHash2 === hash(claims.refreshTokenHash1) ||
      payloadChanged
    ) {
      const accessToken = await this.sign(
        appId,
        session,
        claims.refreshTokenHash1,
        null,
        claims.antiCsrfToken,
      );
      return { status: 'OK', session: sessionView(session), accessToken };
    }
    return { status: 'OK', session: tokenSession(claims, fromToken) };
  }

  async refresh(appId: string, input: RefreshInput): Promise<JsonObject> {
    const { store, refreshTokens } = this.ctx;
    const payload = await refreshTokens.open(appId, input.refreshToken);
    if (!payload) return unauthorised('Refresh token is invalid or has been tampered with');
    if (
      input.enableAntiCsrf &&
      payload.antiCsrfToken !== undefined &&
      payload.antiCsrfToken !== input.antiCsrfToken
    ) {
      return unauthorised('Anti CSRF token missing, or not matching');
    }
    const session = await this.liveSession(appId, payload.sessionHandle);
    if (!session) return unauthorised('Session missing in db or has expired');
    const hash1 = hash(input.refreshToken);
    const keyPatch = { useStaticKey: !input.useDynamicSigningKey };
    let current = session.refreshTokenHash2 === hash(hash1);
    if (!current && payload.parentRefreshTokenHash1 !== undefined) {
      // A child token that was never promoted by a verify: promote it now.
      current =
        hash(payload.parentRefreshTokenHash1) === session.refreshTokenHash2 &&
        (await store.updateSession(
          appId,
          session.handle,
          { refreshTokenHash2: hash(hash1), expiry: this.refreshExpiry() },
          session.refreshTokenHash2,
        ));
    }
    if (!current) {
      return {
        status: 'TOKEN_THEFT_DETECTED',
        session: {
          handle: session.handle,
          userId: session.userId,
          recipeUserId: session.recipeUserId,
        },
      };
    }
    if (keyPatch.useStaticKey !== session.useStaticKey) {
      await store.updateSession(appId, session.handle, keyPatch);
      session.useStaticKey = keyPatch.useStaticKey;
    }
    const antiCsrfToken = input.enableAntiCsrf ? newId() : undefined;
    const refreshToken = await refreshTokens.create(appId, {
      sessionHandle: session.handle,
      userId: session.recipeUserId,
      parentRefreshTokenHash1: hash1,
      antiCsrfToken,
      tenantId: session.tenantId === 'public' ? undefined : session.tenantId,
    });
    const accessToken = await this.sign(
      appId,
      session,
      hash(refreshToken),
      hash1,
      antiCsrfToken ?? null,
    );
    return this.tokens(session, accessToken, refreshToken, antiCsrfToken);
  }

  /** Replaces the stored claims and re-signs the token with the same expiry (spec §3.11). */
  async regenerate(
    appId: string,
    accessToken: string,
    userDataInJWT?: JsonObject,
  ): Promise<JsonObject> {
    if (userDataInJWT) assertNoProtectedClaims(userDataInJWT);
    let claims: AccessTokenClaims;
    try {
      claims = await this.ctx.accessTokens.verifyIgnoringExpiry(appId, accessToken);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) return unauthorised(error.message);
      throw error;
    }
    const session = await this.liveSession(appId, claims.sessionHandle);
    if (!session) return unauthorised('Session does not exist.');
    if (userDataInJWT) {
      await this.ctx.store.updateSession(appId, session.handle, { userDataInJWT });
      session.userDataInJWT = userDataInJWT;
    }
    if (claims.exp * 1000 <= this.ctx.now()) return { status: 'OK', session: sessionView(session) };
    const token = await this.ctx.accessTokens.sign(appId, {
      ...signFields(session),
      refreshTokenHash1: claims.refreshTokenHash1,
      parentRefreshTokenHash1: claims.parentRefreshTokenHash1,
      antiCsrfToken: claims.antiCsrfToken,
      exp: claims.exp,
    });
    return { status: 'OK', session: sessionView(session), accessToken: token };
  }

  private sign(
    appId: string,
    session: SessionRecord,
    refreshTokenHash1: string,
    parentRefreshTokenHash1: string | null,
    antiCsrfToken: string | null,
  ): Promise<SignedAccessToken> {
    return this.ctx.accessTokens.sign(appId, {
      ...signFields(session),
      refreshTokenHash1,
      parentRefreshTokenHash1,
      antiCsrfToken,
    });
  }

  private tokens(
    session: SessionRecord,
    accessToken: SignedAccessToken,
    refreshToken: string,
    antiCsrfToken: string | undefined,
  ): JsonObject {
    return {
      status: 'OK',
      session: sessionView(session),
      accessToken,
      refreshToken: { token: refreshToken, expiry: session.expiry, createdTime: this.ctx.now() },
      ...(antiCsrfToken !== undefined && { antiCsrfToken }),
    };
  }
}

const signFields = (session: SessionRecord) => ({
  sessionHandle: session.handle,
  userId: session.userId,
  recipeUserId: session.recipeUserId,
  tenantId: session.tenantId,
  userDataInJWT: session.userDataInJWT,
  useStaticKey: session.useStaticKey,
});

const tokenSession = (claims: AccessTokenClaims, userDataInJWT: JsonObject): JsonObject => ({
  handle: claims.sessionHandle,
  userId: claims.sub,
  recipeUserId: claims.rsub,
  userDataInJWT,
  tenantId: claims.tId,
});

/** Key-order-insensitive equality of two JSON values. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && sameJson((a as JsonObject)[k], (b as JsonObject)[k]))
  );
}
