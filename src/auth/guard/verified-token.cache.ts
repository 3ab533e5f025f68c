import { accessTokenUpdated, copySession } from '../sdk/sdk-internals.js';
import { sessionDeadline } from '../security/session-lifetime.js';
import type { SessionContainer } from 'supertokens-node/recipe/session';
import type { RecipeInterface } from 'supertokens-node/recipe/session/types';

type GetSessionInput = Parameters<RecipeInterface['getSession']>[0];

interface Entry {
  template: SessionContainer;
  sessionHandle: string;
  /** Access-token expiry, epoch ms. */
  expiresAt: number;
  /** The full request path found no claim validator for this session: the guard may skip it. */
  claimFree: boolean;
}

/** Options of the verified-access-token cache. */
export interface VerificationCacheOptions {
  /** Most tokens remembered; the oldest are dropped first. @default 10000 */
  maxEntries?: number;
}

/**
 * Remembers access tokens whose signature supertokens-node already verified, keyed by the whole
 * token (the session kept for it holds that same string, so the key costs no memory; a SHA-256 of
 * it cost more than the rest of a cache hit), until they expire, so a token is RSA-verified once, not on every request. A
 * hit gives exactly what a verification would: an unexpired token the SDK accepted with no core
 * call. Tokens that need the core (`checkDatabase`, a refreshed token not promoted yet), tokens
 * carrying an anti-CSRF token and re-issued tokens are never kept. Revocation semantics are the
 * SDK's: without `checkDatabase` a revoked session's token is accepted until it expires, cached
 * or not.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();
  /** session handle → keys of its cached tokens, so ending a session frees them at once. */
  private readonly bySession = new Map<string, Set<string>>();
  private readonly maxEntries: number;

  constructor(
    options: VerificationCacheOptions = {},
    private readonly now: () => number = () => Date.now(),
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /**
   * The recipe function `getSession` with the cache in front of it; refreshing or revoking a
   * session drops its cached tokens (memory only: the SDK would still accept them until they
   * expire, cached or not).
   */
  wrap(original: RecipeInterface): RecipeInterface {
    return {
      ...original,
      refreshSession: async (input) => {
        const session = await original.refreshSession(input);
        this.forget([session.getHandle()]);
        return session;
      },
      revokeSession: async (input) => {
        this.forget([input.sessionHandle]);
        return original.revokeSession(input);
      },
      revokeMultipleSessions: async (input) => {
        this.forget(input.sessionHandles);
        return original.revokeMultipleSessions(input);
      },
      revokeAllSessionsForUser: async (input) => {
        const revoked = await original.revokeAllSessionsForUser(input);
        this.forget(revoked);
        return revoked;
      },
      getSession: async (input: GetSessionInput) => {
        const { accessToken } = input;
        if (
          accessToken === undefined ||
          input.options?.checkDatabase === true ||
          input.antiCsrfToken !== undefined
        ) {
          return original.getSession(input);
        }
        const hit = this.lookup(accessToken);
        if (hit) return copySession(hit.template);
        const session = await original.getSession(input);
        if (session) this.remember(accessToken, session);
        return session;
      },
    };
  }

  /** A copy of the session of a token the guard may accept without the SDK's request path. */
  claimFreeSession(accessToken: string): SessionContainer | undefined {
    const hit = this.lookup(accessToken);
    return hit?.claimFree ? copySession(hit.template) : undefined;
  }

  /** Whether the token is cached but not yet known to need no claim validator. */
  awaitsClaimCheck(accessToken: string): boolean {
    return this.lookup(accessToken)?.claimFree === false;
  }

  /** Records that verifying this token's session needs no claim validator. */
  markClaimFree(accessToken: string): void {
    const entry = this.lookup(accessToken);
    if (entry) entry.claimFree = true;
  }

  /** How many tokens are remembered. */
  get size(): number {
    return this.entries.size;
  }

  private lookup(accessToken: string): Entry | undefined {
    const key = accessToken;
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.delete(key);
      return undefined;
    }
    return entry;
  }

  private forget(sessionHandles: string[]): void {
    for (const handle of sessionHandles) {
      for (const key of this.bySession.get(handle) ?? []) this.entries.delete(key);
      this.bySession.delete(handle);
    }
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const keys = this.bySession.get(entry.sessionHandle);
    keys?.delete(key);
    if (keys?.size === 0) this.bySession.delete(entry.sessionHandle);
  }

  private remember(accessToken: string, session: SessionContainer): void {
    const payload = session.getAccessTokenPayload() as Record<string, unknown>;
    const updated = accessTokenUpdated(session);
    // Only tokens accepted locally as they are: no new token issued, nothing the core must see.
    if (updated || payload.parentRefreshTokenHash1 !== null || payload.antiCsrfToken !== null)
      return;
    if (typeof payload.exp !== 'number') return;
    // Expired tokens nobody asks for again (sessions left without signing out) go from the front,
    // the oldest first, so memory follows the live tokens rather than reaching maxEntries:
    // lifetimes are alike, so the oldest entries expire first.
    const now = this.now();
    for (const [oldest, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.delete(oldest);
    }
    if (this.entries.size >= this.maxEntries) this.delete(this.entries.keys().next().value!);
    const key = accessToken;
    const sessionHandle = session.getHandle();
    this.entries.set(key, {
      template: copySession(session),
      sessionHandle,
      // A session with an absolute lifetime stops being answered from here at its deadline.
      expiresAt: Math.min(payload.exp * 1000, sessionDeadline(payload) ?? Infinity),
      claimFree: false,
    });
    let keys = this.bySession.get(sessionHandle);
    if (!keys) this.bySession.set(sessionHandle, (keys = new Set()));
    keys.add(key);
  }
}
