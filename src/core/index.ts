/**
 * The embedded SuperTokens-compatible core (CDI 5.4): `nest-supertokens/core`. One line per name
 * says what it is.
 */
/** Starts the core on 127.0.0.1 (a free port with `port: 0`) and returns its handle. */
export { startEmbeddedCore } from './embedded-core.js';
/** The running core (URL, API key, store, `stop()`) and its start options. */
export type { EmbeddedCore, EmbeddedCoreOptions } from './embedded-core.js';
/** Token and code lifetimes, with the official core's defaults. */
export { DEFAULT_CORE_CONFIG } from './core.config.js';
export type { CoreConfig } from './core.config.js';
/** The in-memory store (tests); the durable ones are chosen with `storage`. */
export { MemoryStore } from './store/memory/memory.store.js';
/** Where the core keeps its data: `'memory'`, `{ dir }` (PGlite) or `{ postgres }`. */
export type { EmbeddedCoreStorage } from './store/open-store.js';
/**
 * The storage a custom store implements: `Store`, the sum of one interface per recipe
 * (`SessionStorage`, `TotpStorage`, …), and the types of their methods.
 */
export type * from './store/store.interface.js';
/** The records the store keeps (users, sessions, keys, codes, tokens, dashboard logins). */
export type * from './store/records.js';
