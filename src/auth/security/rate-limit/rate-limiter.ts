import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { BackoffRule, RateLimitRule, RateLimits } from './rate-limit.options.js';
import type { RateLimitStore } from './rate-limit.store.js';

/**
 * What the limiter decided: refuse with a wait (429, or 503 when its store is down and
 * `onStoreError` is `'refuse'`), or go on (then report the SDK's answer).
 */
export type RateLimitVerdict =
  | { retryAfterSeconds: number; storeDown?: boolean }
  | { retryAfterSeconds?: undefined; answered?: (body: unknown) => Promise<void> };

/** How long a client refused for a store outage is asked to wait. */
const STORE_DOWN_RETRY_SECONDS = 5;

type Body = Record<string, unknown> | undefined;

interface RouteLimits {
  /** Per-IP and per-identifier fixed windows, checked in order. */
  windows: { name: keyof RateLimits; key: (ip: string, body: Body) => string | undefined }[];
  /** Exponential back-off for the account in the body, cleared by an `OK` answer. */
  backoff?: { name: keyof RateLimits; account: (body: Body) => string | undefined };
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

const formField = (body: Body, id: string): string | undefined => {
  const fields = body?.formFields;
  if (!Array.isArray(fields)) return undefined;
  const field = fields.find((f) => (f as { id?: unknown } | null)?.id === id) as
    { value?: unknown } | undefined;
  return str(field?.value);
};

const email = (value: string | undefined) => value?.trim().toLowerCase();
/** Digits and a leading +: "+1 (555) 010-0000" and "+15550100000" are one contact. */
const phone = (value: string | undefined) => value?.replace(/[^\d+]/g, '');

const perIp = (name: keyof RateLimits) => ({ name, key: (ip: string) => `ip:${ip}` });
const perValue = (name: keyof RateLimits, pick: (body: Body) => string | undefined) => ({
  name,
  key: (_ip: string, body: Body) => pick(body),
});

/** The limited APIs, by their path below apiBasePath (after an optional `/<tenantId>`). */
const ROUTES: Record<string, RouteLimits> = {
  '/signin': {
    windows: [perIp('signInPerIp')],
    backoff: { name: 'signInBackoff', account: (b) => email(formField(b, 'email')) },
  },
  '/signup': { windows: [perIp('signUpPerIp')] },
  '/user/password/reset/token': {
    windows: [
      perIp('resetRequestPerIp'),
      perValue('resetRequestPerAccount', (b) => email(formField(b, 'email'))),
    ],
  },
  '/user/password/reset': { windows: [perIp('resetSubmitPerIp')] },
  // Passkeys share the budgets of their password counterparts: a client gets no more sign-ins,
  // sign-ups or recovery emails by switching recipe. A passkey cannot be guessed, so its sign-in
  // has no back-off, and the options routes only store a challenge.
  '/webauthn/signin': { windows: [perIp('signInPerIp')] },
  '/webauthn/signup': { windows: [perIp('signUpPerIp')] },
  '/user/webauthn/reset/token': {
    windows: [
      perIp('resetRequestPerIp'),
      perValue('resetRequestPerAccount', (b) => email(str(b?.email))),
    ],
  },
  '/user/webauthn/reset': { windows: [perIp('resetSubmitPerIp')] },
  '/user/email/verify/token': { windows: [perIp('verifyEmailPerIp')] },
  '/signinup/code': {
    windows: [
      perIp('codeRequestPerIp'),
      perValue('codeRequestPerContact', (b) => email(str(b?.email)) ?? phone(str(b?.phoneNumber))),
    ],
  },
  '/signinup/code/resend': {
    windows: [perValue('codeResendPerDevice', (b) => str(b?.deviceId))],
  },
  '/signinup/code/consume': { windows: [perIp('codeConsumePerIp')] },
  '/dashboard/api/signin': {
    windows: [perIp('dashboardSignInPerIp')],
    backoff: { name: 'dashboardSignInBackoff', account: (b) => email(str(b?.email)) },
  },
};

/** Identifiers are stored hashed: counters hold no email addresses or phone numbers. */
const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * The module's built-in limits on the auth APIs, decided before supertokens-node sees the
 * request, so a refused request never hashes a password, sends a message or asks the core.
 */
export class RateLimiter {
  constructor(
    /** With `down` (a `GuardedRateLimitStore`), the limiter can say whether its store is down. */
    private readonly store: RateLimitStore & { readonly down?: string },
    private readonly limits: RateLimits,
    private readonly trustProxy: number,
    private readonly policy: { onStoreError: 'allow' | 'refuse' } = { onStoreError: 'allow' },
    private readonly now: () => number = Date.now,
  ) {}

  /** Why the counters' store is down (its last call failed or timed out), if it is. */
  get storeDown(): string | undefined {
    return this.store.down;
  }

  /** The client's IP: the socket's peer, or the entry `trustProxy` proxies before it. */
  clientIp(req: IncomingMessage): string {
    const peer = req.socket.remoteAddress ?? 'unknown';
    if (this.trustProxy <= 0) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    return hops[Math.max(0, hops.length - this.trustProxy)] ?? peer;
  }

  /**
   * `relativePath`: the routed path below apiBasePath, e.g. `/signin` or `/acme/signin`. A store
   * that fails (or times out) lets the request go on, or refuses it, as `onStoreError` says.
   */
  async check(relativePath: string, req: IncomingMessage, body: Body): Promise<RateLimitVerdict> {
    try {
      return await this.decide(relativePath, req, body);
    } catch {
      // The store logs the outage once; a request is not the place to say it again.
      return this.policy.onStoreError === 'refuse'
        ? { retryAfterSeconds: STORE_DOWN_RETRY_SECONDS, storeDown: true }
        : {};
    }
  }

  private async decide(
    relativePath: string,
    req: IncomingMessage,
    body: Body,
  ): Promise<RateLimitVerdict> {
    const match = matchRoute(relativePath);
    if (!match) return {};
    const [tenant, route] = match;
    const ip = this.clientIp(req);
    for (const window of route.windows) {
      const rule = this.limits[window.name] as RateLimitRule | false;
      const id = window.key(ip, body);
      if (!rule || id === undefined) continue;
      const counter = await this.store.hit(
        `rl:${window.name}:${tenant}:${digest(id)}`,
        rule.windowSeconds * 1000,
      );
      if (counter.count > rule.limit) return this.wait(counter.resetAt);
    }
    const backoff = route.backoff;
    const rule = backoff && (this.limits[backoff.name] as BackoffRule | false);
    const account = backoff && backoff.account(body);
    if (!backoff || !rule || account === undefined) return {};
    return this.backoff(`${backoff.name}:${tenant}:${digest(account)}`, rule);
  }

  /**
   * Counts every attempt on the account since its last success. Past the free ones, the attempt
   * that takes the lock goes on and locks the next ones out for its delay; attempts racing it
   * find the lock taken (one atomic counter), so concurrency buys an attacker nothing.
   */
  private async backoff(key: string, rule: BackoffRule): Promise<RateLimitVerdict> {
    const lockKey = `rl:lock:${key}`;
    const attemptsKey = `rl:attempts:${key}`;
    const lock = await this.store.get(lockKey);
    if (lock) return this.wait(lock.resetAt);
    const attempts = await this.store.hit(attemptsKey, rule.windowSeconds * 1000);
    if (attempts.count > rule.freeFailures) {
      const delay = Math.min(2 ** (attempts.count - rule.freeFailures - 1), rule.maxDelaySeconds);
      const taken = await this.store.hit(lockKey, delay * 1000);
      if (taken.count > 1) return this.wait(taken.resetAt);
    }
    return {
      answered: async (answer) => {
        if ((answer as { status?: unknown } | null)?.status !== 'OK') return;
        // A store down now keeps the back-off until its window ends: logged once by the store.
        await Promise.all([this.store.delete(attemptsKey), this.store.delete(lockKey)]).catch(
          () => undefined,
        );
      },
    };
  }

  private wait(resetAt: number): RateLimitVerdict {
    return { retryAfterSeconds: Math.max(1, Math.ceil((resetAt - this.now()) / 1000)) };
  }
}

function matchRoute(path: string): [tenant: string, route: RouteLimits] | undefined {
  const direct = ROUTES[path];
  if (direct) return ['public', direct];
  const tenant = /^\/([a-z0-9-]+)(\/.*)$/i.exec(path);
  const route = tenant?.[2] === undefined ? undefined : ROUTES[tenant[2]];
  return route && tenant?.[1] && !tenant[2].startsWith('/dashboard')
    ? [tenant[1], route]
    : undefined;
}
