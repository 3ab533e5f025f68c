import type { SessionStorage } from '../store/storage/session.storage.js';
import type { AuthRecipeStorage } from '../store/storage/auth-recipe.storage.js';
import type { UserIdMappingStorage } from '../store/storage/userid-mapping.storage.js';
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

/** Whose sessions a by-user call covers. */
export interface SessionsOfUser {
  userId: string;
  allTenants: boolean;
  /** Also the sessions of the user's other login methods. */
  linkedAccounts: boolean;
}

export interface RefreshInput {
  refreshToken: string;
  antiCsrfToken?: string;
  enableAntiCsrf: boolean;
  useDynamicSigningKey: boolean;
}

interface Unauthorised {
  status: 'UNAUTHORISED';
  message: string;
}
interface TryRefresh {
  status: 'TRY_REFRESH_TOKEN';
  message: string;
}
const unauthorised = (message: string): Unauthorised => ({ status: 'UNAUTHORISED', message });
const tryRefresh = (message: string): TryRefresh => ({ status: 'TRY_REFRESH_TOKEN', message });
const hash = sha256Hex;

/** A new session's recipe user: its SuperTokens id, and the id the session is kept under. */
interface SessionUser {
  superTokensUserId: string;
  recipeUserId: string;
}

/** Who a session is, from its row or from a still-valid access token's claims. */
export interface SessionIdentity {
  handle: string;
  userId: string;
  recipeUserId: string;
  userDataInJWT: JsonObject;
  tenantId: string;
}

/** A session with a new access and refresh token (create and refresh). */
export interface IssuedTokens {
  status: 'OK';
  session: SessionRecord;
  accessToken: SignedAccessToken;
  refreshToken: { token: string; expiry: number; createdTime: number };
  antiCsrfToken?: string;
}

/** A verified or regenerated session, with a new access token when the old one had to change. */
export interface VerifiedSession {
  status: 'OK';
  session: SessionIdentity;
  accessToken?: SignedAccessToken;
}

export type VerifyOutcome = VerifiedSession | TryRefresh | Unauthorised;
export type RefreshOutcome =
  IssuedTokens | Unauthorised | { status: 'TOKEN_THEFT_DETECTED'; session: SessionRecord };
export type RegenerateOutcome = VerifiedSession | Unauthorised;

const identityOf = (s: SessionRecord): SessionIdentity => ({
  handle: s.handle,
  userId: s.userId,
  recipeUserId: s.recipeUserId,
  userDataInJWT: s.userDataInJWT,
  tenantId: s.tenantId,
});

export function assertNoProtectedClaims(userDataInJWT: JsonObject): void {
  if (hasProtectedClaim(userDataInJWT))
    throw badRequest('The user payload contains protected field');
}

/** Session creation, verification, refresh-token rotation with theft detection (docs/embedded-core.md, Sessions). */
export class SessionService {
  constructor(
    private readonly ctx: CoreContext<SessionStorage & AuthRecipeStorage & UserIdMappingStorage>,
  ) {}

  private refreshExpiry(): number {
    return this.ctx.now() + this.ctx.config.refreshTokenValidity * 60_000;
  }

  /** A live (stored, not expired) session. */
  async liveSession(appId: string, handle: string): Promise<SessionRecord | undefined> {
    const session = await this.ctx.store.getSession(appId, handle);
    return session && session.expiry >= this.ctx.now() ? session : undefined;
  }

  /** The recipe user ids whose sessions a by-user call covers. */
  private async userIdsOf(appId: string, userId: string, linked: boolean): Promise<string[]> {
    const user = linked ? await this.ctx.store.getUser(appId, userId) : undefined;
    return [...new Set([userId, ...(user?.loginMethods.map((m) => m.recipeUserId) ?? [])])];
  }

  /** The handles of a user's sessions, in one tenant or all; live ones only if asked. */
  async handlesOf(appId: string, tenantId: string, by: SessionsOfUser): Promise<string[]> {
    const userIds = await this.userIdsOf(appId, by.userId, by.linkedAccounts);
    return this.ctx.store.listSessionHandles(appId, userIds, by.allTenants ? undefined : tenantId);
  }

  /** Ends these sessions, or a user's; answers the handles that were there. */
  async revoke(
    appId: string,
    tenantId: string,
    what: { handles: string[] } | SessionsOfUser,
  ): Promise<string[]> {
    const handles = 'handles' in what ? what.handles : await this.handlesOf(appId, tenantId, what);
    return this.ctx.store.deleteSessions(appId, handles);
  }

  /** The handles among these whose sessions are live. */
  async liveHandles(appId: string, handles: string[]): Promise<string[]> {
    const live = await Promise.all(handles.map((h) => this.liveSession(appId, h)));
    return live.flatMap((s) => (s ? [s.handle] : []));
  }

  /** Stores new session data or access-token payload; false when the session is not live. */
  async update(
    appId: string,
    handle: string,
    patch: { userDataInDatabase: JsonObject } | { userDataInJWT: JsonObject },
  ): Promise<boolean> {
    if ('userDataInJWT' in patch) assertNoProtectedClaims(patch.userDataInJWT);
    if (!(await this.liveSession(appId, handle))) return false;
    await this.ctx.store.updateSession(appId, handle, patch);
    return true;
  }

  async create(appId: string, tenantId: string, input: CreateSessionInput): Promise<IssuedTokens> {
    assertNoProtectedClaims(input.userDataInJWT);
    const { store, refreshTokens } = this.ctx;
    const handle = tenantId === 'public' ? newId() : `${newId()}_${tenantId}`;
    const antiCsrfToken = input.enableAntiCsrf ? newId() : undefined;
    const user = await this.sessionUser(appId, input.userId);
    const refreshToken = await refreshTokens.create(appId, {
      sessionHandle: handle,
      userId: user.recipeUserId,
      antiCsrfToken,
      tenantId: tenantId === 'public' ? undefined : tenantId,
    });
    const stored = await store.createSession(appId, {
      handle,
      recipeUserId: user.recipeUserId,
      tenantId,
      refreshTokenHash2: hash(hash(refreshToken)),
      expiry: this.refreshExpiry(),
      timeCreated: this.ctx.now(),
      userDataInJWT: input.userDataInJWT,
      userDataInDatabase: input.userDataInDatabase,
      useStaticKey: !input.useDynamicSigningKey,
    });
    const session = { ...stored, userId: await this.primaryUserIdOf(appId, user, stored) };
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

  /**
   * The real core's `createNewSession`: an external id names its SuperTokens user, and the
   * session is kept under the recipe user's external id when it has one.
   */
  private async sessionUser(appId: string, userId: string): Promise<SessionUser> {
    const mappings = await this.ctx.store.findUserIdMappings(appId, userId);
    const byExternal = mappings.find((m) => m.externalUserId === userId);
    const superTokensUserId = byExternal?.superTokensUserId ?? userId;
    const mapping = byExternal ?? mappings.find((m) => m.superTokensUserId === userId);
    return { superTokensUserId, recipeUserId: mapping?.externalUserId ?? superTokensUserId };
  }

  /**
   * The session's user id at creation: its primary user's, as its external id when mapped. The
   * store found the primary user of an unmapped recipe user id; a mapped one's is looked up.
   */
  private async primaryUserIdOf(
    appId: string,
    user: SessionUser,
    stored: SessionRecord,
  ): Promise<string> {
    const { store } = this.ctx;
    const mapped = user.recipeUserId !== user.superTokensUserId;
    const primaryId = mapped
      ? ((await store.getUser(appId, user.superTokensUserId))?.id ?? user.superTokensUserId)
      : stored.userId;
    if (primaryId === user.superTokensUserId) return user.recipeUserId;
    return (await store.externalUserIds(appId, [primaryId])).get(primaryId) ?? primaryId;
  }

  async verify(appId: string, input: VerifyInput): Promise<VerifyOutcome> {
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
    if (parent === null && !payloadChanged) return { status: 'OK', session: identityOf(session) };

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
      return { status: 'OK', session: identityOf(session), accessToken };
    }
    return { status: 'OK', session: tokenSession(claims, fromToken) };
  }

  async refresh(appId: string, input: RefreshInput): Promise<RefreshOutcome> {
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
      return { status: 'TOKEN_THEFT_DETECTED', session };
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

  /** Replaces the stored claims and re-signs the token with the same expiry. */
  async regenerate(
    appId: string,
    accessToken: string,
    userDataInJWT?: JsonObject,
  ): Promise<RegenerateOutcome> {
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
    if (claims.exp * 1000 <= this.ctx.now()) return { status: 'OK', session: identityOf(session) };
    const token = await this.ctx.accessTokens.sign(appId, {
      ...signFields(session),
      refreshTokenHash1: claims.refreshTokenHash1,
      parentRefreshTokenHash1: claims.parentRefreshTokenHash1,
      antiCsrfToken: claims.antiCsrfToken,
      exp: claims.exp,
    });
    return { status: 'OK', session: identityOf(session), accessToken: token };
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
  ): IssuedTokens {
    return {
      status: 'OK',
      session,
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

const tokenSession = (claims: AccessTokenClaims, userDataInJWT: JsonObject): SessionIdentity => ({
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
