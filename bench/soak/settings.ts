/** What the soak's driver (main.ts) and its app (server.ts) both need to know. */

/** Where the embedded core keeps its data: the in-memory store or one of the durable ones. */
export type SoakStore = 'memory' | 'pglite' | 'postgres';
export const SOAK_STORES: readonly SoakStore[] = ['memory', 'pglite', 'postgres'];

/**
 * Lifetimes far shorter than the real core's defaults, so that a minute of traffic leaves
 * expired sessions and codes behind and the scheduled clean-up has something to delete: access
 * tokens 20 s (a visit takes a second or two), refresh tokens (and so session rows) 30 s,
 * one-time codes 20 s.
 */
export const SOAK_CORE_CONFIG = {
  accessTokenValidity: 20,
  refreshTokenValidity: 0.5,
  passwordlessCodeLifetime: 20_000,
};
/** The scheduled clean-up's interval (the default is 5 minutes, longer than a CI soak). */
export const SOAK_CLEANUP_INTERVAL_MS = 10_000;

/** Row counts of the tables a soak must keep bounded (null on the in-memory store). */
export interface SoakRows {
  session_info: number;
  passwordless_devices: number;
  passwordless_codes: number;
  /** The built-in rate limits' counters, which live in the core's store too. */
  nest_supertokens_counters: number;
}

/** One scheduled (or final) clean-up run, as the server saw it. */
export interface CleanupRun {
  /** Epoch ms of the run. */
  at: number;
  ms: number;
  before: SoakRows | null;
  after: SoakRows | null;
  /** Rows still past their expiry after the run (must be all 0). */
  expiredAfter: SoakRows | null;
}

/** Messages from main.ts to server.ts; each reply carries the request's id. */
export type SoakRequest =
  | { id: number; type: 'sample' }
  | { id: number; type: 'heap' }
  | { id: number; type: 'cleanup' }
  | { id: number; type: 'cleanups' }
  | { id: number; type: 'stop' };
