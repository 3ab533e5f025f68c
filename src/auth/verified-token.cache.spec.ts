import type { SessionContainer } from 'supertokens-node/recipe/session';
import type { RecipeInterface } from 'supertokens-node/recipe/session/types';
import { withVerificationCache } from './verified-token.cache.js';

class FakeSession {
  reqResInfo: unknown = undefined;
  accessTokenUpdated = false;
  constructor(readonly userDataInAccessToken: Record<string, unknown>) {}
  getAccessTokenPayload() {
    return this.userDataInAccessToken;
  }
}

const EXP = 2_000_000_000; // seconds
const payload = (extra: Record<string, unknown> = {}) => ({
  exp: EXP,
  parentRefreshTokenHash1: null,
  antiCsrfToken: null,
  sub: 'u',
  ...extra,
});

function setup(
  make: (token: string) => FakeSession = () => new FakeSession(payload()),
  maxEntries = 100,
) {
  let now = EXP * 1000 - 60_000;
  const calls: string[] = [];
  const original = {
    getSession: (input: { accessToken?: string }) => {
      calls.push(input.accessToken!);
      return Promise.resolve(make(input.accessToken!) as unknown as SessionContainer);
    },
  } as unknown as RecipeInterface;
  const cached = withVerificationCache(original, { maxEntries }, () => now);
  const get = (accessToken: string, options?: { checkDatabase?: boolean }) =>
    cached.getSession({ accessToken, options, userContext: {} as never });
  return { calls, get, advance: (ms: number) => (now += ms) };
}

describe('withVerificationCache', () => {
  it('verifies a token once and serves later requests a fresh copy of the session', async () => {
    const { calls, get } = setup();
    const first = await get('token-a');
    const second = await get('token-a');
    expect(calls).toEqual(['token-a']);
    expect(second).not.toBe(first);
    expect(second).toBeInstanceOf(FakeSession);
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
    const sessions: Record<string, FakeSession> = {
      child: new FakeSession(payload({ parentRefreshTokenHash1: 'p' })),
      csrf: new FakeSession(payload({ antiCsrfToken: 'c' })),
      updated: Object.assign(new FakeSession(payload()), { accessTokenUpdated: true }),
    };
    const { calls, get } = setup((token) => sessions[token]);
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
});
