import type { RateLimitStore } from './rate-limit.store.js';

/** At most `limit` requests per `windowSeconds` for one key. */
export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

/**
 * Failed sign-ins of one account: the first `freeFailures` cost nothing; after that each attempt
 * waits twice as long as the one before (1 s, 2 s, 4 s … up to `maxDelaySeconds`). A successful
 * sign-in clears it; failures are forgotten `windowSeconds` after the first.
 */
export interface BackoffRule {
  freeFailures: number;
  maxDelaySeconds: number;
  windowSeconds: number;
}

/** Every limit the module applies, by name. `false` turns one off. */
export interface RateLimits {
  /** POST /signin and /webauthn/signin (passkeys) per client IP, one budget for both. */
  signInPerIp: RateLimitRule | false;
  /** POST /signin per email (per tenant): exponential back-off after failures. */
  signInBackoff: BackoffRule | false;
  /** POST /signup and /webauthn/signup (passkeys) per client IP, one budget for both. */
  signUpPerIp: RateLimitRule | false;
  /**
   * POST /user/password/reset/token and /user/webauthn/reset/token (passkey recovery) per email:
   * the emails one address receives, whichever kind.
   */
  resetRequestPerAccount: RateLimitRule | false;
  /** POST /user/password/reset/token and /user/webauthn/reset/token per client IP. */
  resetRequestPerIp: RateLimitRule | false;
  /**
   * POST /user/password/reset and /user/webauthn/reset (a token and a new password or passkey)
   * per client IP.
   */
  resetSubmitPerIp: RateLimitRule | false;
  /** POST /user/email/verify/token per client IP. */
  verifyEmailPerIp: RateLimitRule | false;
  /** POST /signinup/code per email or phone number: new devices, each an email or SMS. */
  codeRequestPerContact: RateLimitRule | false;
  /** POST /signinup/code per client IP. */
  codeRequestPerIp: RateLimitRule | false;
  /** POST /signinup/code/resend per device: codes alive on one device. */
  codeResendPerDevice: RateLimitRule | false;
  /** POST /signinup/code/consume per client IP: guesses at codes (the core allows 5 per device). */
  codeConsumePerIp: RateLimitRule | false;
  /** POST /dashboard/api/signin per client IP. */
  dashboardSignInPerIp: RateLimitRule | false;
  /** POST /dashboard/api/signin per email: exponential back-off after failures. */
  dashboardSignInBackoff: BackoffRule | false;
}

/** `rateLimit` of AuthModuleOptions. */
export interface RateLimitOptions {
  /**
   * Where counters live. Default: the embedded core's store (shared by instances on one
   * PostgreSQL); with `connectionURI`, this process's memory: give several instances a
   * `RedisRateLimitStore`.
   */
  store?: RateLimitStore;
  /**
   * How many proxies in front of the app append to `X-Forwarded-For`. 0: the client IP is the
   * socket's peer address and the header is ignored (a client could write anything in it).
   * @default 0
   */
  trustProxy?: number;
  /** Limits to change or turn off (`false`); the rest keep their defaults. */
  limits?: Partial<RateLimits>;
  /**
   * What a limited request gets while the store fails, or does not answer within
   * `storeTimeoutMs`: `'allow'` lets it through without limits (an outage of the counters is
   * not an outage of sign-in), `'refuse'` answers 503 with `Retry-After` (no request goes
   * unlimited). Either way the outage is logged once, and the health indicator reports it.
   * SECURITY.md weighs the two.
   * @default 'allow'
   */
  onStoreError?: 'allow' | 'refuse';
  /** How long one store call may take, ms, before it counts as failed. @default 250 */
  storeTimeoutMs?: number;
}

/** How long a store call may take by default: a Redis round trip is well under a millisecond. */
export const DEFAULT_STORE_TIMEOUT_MS = 250;

const minutes = (n: number) => n * 60;

/**
 * The defaults, after OWASP ASVS 4.0 V2.2.1 (anti-automation: no more than 100 failed attempts
 * per hour on one account) and V2.5 (recovery): with them one account gets at most ~18 password
 * guesses an hour, one IP 20 a minute, and one phone number 3 codes per 15 minutes.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  signInPerIp: { limit: 20, windowSeconds: 60 },
  signInBackoff: { freeFailures: 5, maxDelaySeconds: minutes(15), windowSeconds: minutes(60) },
  signUpPerIp: { limit: 10, windowSeconds: minutes(10) },
  resetRequestPerAccount: { limit: 3, windowSeconds: minutes(15) },
  resetRequestPerIp: { limit: 10, windowSeconds: minutes(15) },
  resetSubmitPerIp: { limit: 10, windowSeconds: minutes(15) },
  verifyEmailPerIp: { limit: 5, windowSeconds: minutes(15) },
  codeRequestPerContact: { limit: 3, windowSeconds: minutes(15) },
  codeRequestPerIp: { limit: 10, windowSeconds: minutes(15) },
  codeResendPerDevice: { limit: 3, windowSeconds: minutes(15) },
  codeConsumePerIp: { limit: 30, windowSeconds: minutes(15) },
  dashboardSignInPerIp: { limit: 10, windowSeconds: 60 },
  dashboardSignInBackoff: {
    freeFailures: 5,
    maxDelaySeconds: minutes(15),
    windowSeconds: minutes(60),
  },
};
