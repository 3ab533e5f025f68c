import type { SessionContainer } from 'supertokens-node/recipe/session';
import type { RecipeInterface } from 'supertokens-node/recipe/session/types';
import { VerifiedTokenCache } from './verified-token.cache.js';

/** Stands in for supertokens-node's Session class (same constructor order). */
class FakeSession {
  constructor(
    readonly helpers: unknown,
    readonly accessToken: string,
    readonly frontToken: string,
    readonly refreshToken: unknown,
    readonly antiCsrfToken: unknown,
    readonly sessionHandle: string,
    readonly userId: string,
    readonly recipeUserId: unknown,
    readonly userDataInAccessToken: Record<string, unknown>,
    readonly reqResInfo: unknown,
    readonly accessTokenUpdated: boolean,
    readonly tenantId: string,
  ) {}
  getAccessTokenPayload() {
    return this.userDataInAccessToken;
  }
  getHandle() {
    return this.sessionHandle;
  }
}

const EXP = 2_000_000_000; // seconds
const session = (token: string, extra: Record<string, unknown> = {}, updated = false) =>
  new FakeSession(
    {},
    token,
    'front',
    undefined,
    undefined,
    token.startsWith('other') ? 'h2' : 'h',
    'u',
    'u',
    {
      exp: EXP,
      parentRefreshTokenHash1: null,
      antiCsrfToken: null,
      ...extra,
    },
    undefined,
    updated,
    'public',
  );

function setup(make: (token: string) => FakeSession = (t) => session(t), maxEntries = 100) {
  let now = EXP * 1000 - 60_000;
  const calls: string[] = [];
  const original = {
    getSession: (input: { accessToken?: string }) => {
      calls.push(input.accessToken!);
      return Promise.resolve(make(input.accessToken!) as unknown as SessionContainer);
    },
    refreshSession: () => Promise.resolve(session('refreshed') as unknown as SessionContainer),
    revokeSession: () => Promise.resolve(true),
    revokeMultipleSessions: (input: { sessionHandles: string[] }) =>
      Promise.resolve(input.sessionHandles),
    revokeAllSessionsForUser: () => Promise.resolve(['h']),
  } as unknown as RecipeInterface;
  const cache = new VerifiedTokenCache({ maxEntries }, () => now);
  const wrapped = cache.wrap(original);
  const get = (accessToken: string, options?: { checkDatabase?: boolean }) =>
    wrapped.getSession({ accessToken, options, userContext: {} as never });
  return { cache, calls, get, wrapped, advance: (ms: number) => (now += ms) };
}

describe('VerifiedTokenCache', () => {
  it('drops the tokens of a session when it is refreshed or revoked, and only those', async () => {
    const userContext = {} as never;
    const ended: ((w: RecipeInterface) => Promise<unknown>)[] = [
      (w) => w.revokeSession({ sessionHandle: 'h', userContext }),
      (w) => w.revokeMultipleSessions({ sessionHandles: ['h'], userContext }),
      (w) =>
        w.revokeAllSessionsForUser({
          userId: 'u',
          tenantId: 'public',
          revokeSessionsForLinkedAccounts: true,
          userContext,
        }),
      (w) => w.refreshSession({ refreshToken: 'r', disableAntiCsrf: false, userContext }),
    ];
    for (const end of ended) {
      const { cache, calls, get, wrapped } = setup();
      await get('token-a');
      await get('token-b');
      await get('other-c');
      expect(cache.size).toBe(3);
      await end(wrapped);
      expect(cache.size).toBe(1);
      await get('other-c');
      await get('token-a');
      expect(calls).toEqual(['token-a', 'token-b', 'other-c', 'token-a']);
    }
  });

  it('verifies a token once and serves later requests their own copy of the session', async () => {
    const { calls, get } = setup();
    const first = await get('token-a');
    const second = await get('token-a');
    expect(calls).toEqual(['token-a']);
    expect(second).toBeInstanceOf(FakeSession);
    expect(second).not.toBe(first);
    expect(second!.getAccessTokenPayload()).toEqual(first!.getAccessTokenPayload());
    expect(second!.getAccessTokenPayload()).not.toBe(first!.getAccessTokenPayload());
  });

  it('never answers from the cache when the request needs the core', async () => {
    const { calls, get } = setup();
    await get('token-a');
    await get('token-a', { checkDatabase: true });
    expect(calls).toEqual(['token-a', 'token-a']);
  });

  it('does not keep tokens not yet promoted, re-issued, or carrying an anti-CSRF token', async () => {
    const made: Record<string, FakeSession> = {
      child: session('child', { parentRefreshTokenHash1: 'p' }),
      csrf: session('csrf', { antiCsrfToken: 'c' }),
      updated: session('updated', {}, true),
    };
    const { calls, get } = setup((token) => made[token]);
    for (const token of ['child', 'csrf', 'updated']) {
      await get(token);
      await get(token);
    }
    expect(calls).toEqual(['child', 'child', 'csrf', 'csrf', 'updated', 'updated']);
  });

  it('forgets a token when it expires and stays within maxEntries', async () => {
    const { calls, get, advance } = setup(undefined, 2);
    await get('a');
    await get('b');
    await get('c'); // evicts a
    await get('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
    advance(61_000); // past exp
    await get('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a', 'a']);
  });

  it('lets go of expired tokens nobody asks for again as new ones come in', async () => {
    const { cache, get, advance } = setup((t) =>
      session(t, { exp: EXP + (t === 'new' ? 3600 : 0) }),
    );
    await get('a');
    await get('b');
    expect(cache.size).toBe(2);
    advance(61_000); // a and b expire; neither is asked for again
    await get('new');
    expect(cache.size).toBe(1);
  });

  it('offers a session to the guard only once it is known to need no claim check', async () => {
    const { cache, get } = setup();
    expect(cache.claimFreeSession('a')).toBeUndefined();
    await get('a');
    expect(cache.awaitsClaimCheck('a')).toBe(true);
    expect(cache.claimFreeSession('a')).toBeUndefined();
    cache.markClaimFree('a');
    expect(cache.awaitsClaimCheck('a')).toBe(false);
    expect(cache.claimFreeSession('a')).toBeInstanceOf(FakeSession);
  });
});
