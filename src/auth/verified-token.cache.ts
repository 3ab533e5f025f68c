import { createHash } from 'node:crypto';
import type { SessionContainer } from 'supertokens-node/recipe/session';
import type { RecipeInterface } from 'supertokens-node/recipe/session/types';

type GetSessionInput = Parameters<RecipeInterface['getSession']>[0];

interface Entry {
  template: SessionContainer;
  /** Access-token expiry, epoch ms. */
  expiresAt: number;
}

/** Options of the verified-access-token cache. */
export interface VerificationCacheOptions {
  /** Most tokens remembered; the oldest are dropped first. @default 10000 */
  maxEntries?: number;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** A fresh container with the same state, as the SDK would build for the same token. */
function copySession(template: SessionContainer): SessionContainer {
  const state = template as unknown as Record<string, unknown>;
  const copy = Object.create(Object.getPrototypeOf(template) as object) as SessionContainer;
  return Object.assign(copy, state, {
    userDataInAccessToken: structuredClone(state.userDataInAccessToken),
    reqResInfo: undefined,
    accessTokenUpdated: false,
  });
}

/**
 * Remembers access tokens whose signature supertokens-node already verified, so the same token
 * is not RSA-verified again on every request. A hit gives exactly what a verification would:
 * the token is still unexpired and was accepted with no core call. It is never used when the
 * request needs the core (`checkDatabase`, a refreshed token not promoted yet), nor for
 * anti-CSRF-by-token checks; revocation semantics are unchanged (without `checkDatabase` the SDK
 * accepts a revoked session's token until it expires, cached or not).
 */
export function withVerificationCache(
  original: RecipeInterface,
  options: VerificationCacheOptions = {},
  now: () => number = Date.now,
): RecipeInterface {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, Entry>();

  const cacheable = (input: GetSessionInput): boolean =>
    input.accessToken !== undefined &&
    input.options?.checkDatabase !== true &&
    input.antiCsrfToken === undefined;

  return {
    ...original,
    async getSession(input) {
      if (!cacheable(input)) return original.getSession(input);
      const key = hashToken(input.accessToken!);
      const hit = entries.get(key);
      if (hit && hit.expiresAt > now()) return copySession(hit.template);
      if (hit) entries.delete(key);

      const session = await original.getSession(input);
      if (session) remember(key, session);
      return session;
    },
  };

  function remember(key: string, session: SessionContainer): void {
    const payload = session.getAccessTokenPayload() as {
      exp?: unknown;
      parentRefreshTokenHash1?: unknown;
      antiCsrfToken?: unknown;
    };
    const updated =
      (session as unknown as { accessTokenUpdated?: boolean }).accessTokenUpdated === true;
    // Only tokens accepted locally as they are: no new token issued, nothing the core must see.
    if (updated || payload.parentRefreshTokenHash1 !== null || typeof payload.exp !== 'number')
      return;
    if (payload.antiCsrfToken !== null) return;
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, { template: copySession(session), expiresAt: payload.exp * 1000 });
  }
}
