/** The embedded SuperTokens-compatible core: `nest-supertokens/core`. */
export { startEmbeddedCore } from './embedded-core.js';
export type { EmbeddedCore, EmbeddedCoreOptions } from './embedded-core.js';
export { DEFAULT_CORE_CONFIG } from './core.config.js';
export type { CoreConfig } from './core.config.js';
export { MemoryStore } from './store/memory.store.js';
export type { EmbeddedCoreStorage } from './store/open-store.js';
export type {
  AccountInfoQuery,
  CounterState,
  DashboardUserKey,
  SessionPatch,
  Store,
  UserListQuery,
} from './store/store.interface.js';
export type * from './store/records.js';
