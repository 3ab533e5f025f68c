import { cleanupCutoffs, tenantSettings } from './multitenancy/tenant-settings.js';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { scheduleBulkImport } from './bulkimport/bulk-import.job.js';
import { type CoreConfig, resolveCoreConfig } from './core.config.js';
import type { CoreContext } from './core.context.js';
import { coreRoutes } from './core.routes.js';
import { createCoreServer } from './http/core.server.js';
import { SigningKeys } from './keys/signing-keys.js';
import { AccessTokens } from './sessions/access-token.js';
import { RefreshTokens } from './sessions/refresh-token.js';
import { openStore, type EmbeddedCoreStorage } from './store/open-store.js';
import { StorageFaultError, StorageUnavailableError } from './store/storage-unavailable.js';
import type { Store } from './store/store.interface.js';

export interface EmbeddedCoreOptions {
  /** Interface to listen on. Anything but loopback exposes the core to the network. @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /**
   * Require this key (or any of these keys) in the `api-key` header, as a real core's `api_keys`.
   * Each is at least 20 characters of `a-z A-Z 0-9 = -`. `false` leaves the core open to any
   * local process (as a real core without `api_keys`).
   * @default a random key made at every start, readable only from `EmbeddedCore.apiKey`
   */
  apiKey?: string | string[] | false;
  /**
   * `Host` header values accepted besides the address the core listens on and the loopback names
   * of its port (`127.0.0.1:<port>`, `localhost:<port>`, `[::1]:<port>`),
   * e.g. `['core.internal:3567']` behind a proxy. Any other `Host` is refused, which stops DNS
   * rebinding. @default []
   */
  allowedHosts?: string[];
  /** Where users, sessions and keys live. @default 'memory' */
  storage?: EmbeddedCoreStorage;
  /** A store of your own (overrides `storage`); the core closes it on `stop()`. */
  store?: Store;
  /** How often expired sessions, codes and tokens are deleted, in ms. @default 300000 */
  cleanupIntervalMs?: number;
  /**
   * How often the bulk import job imports the users queued by `POST /bulk-import/users`, in ms
   * (the real core's cron runs every 5 minutes). @default 300000
   */
  bulkImportIntervalMs?: number;
  /** Token and code lifetimes (the real core's config keys). */
  config?: Partial<CoreConfig>;
  /** App ids to create besides `public`, for `connectionURI`s ending in `/appid-<id>`. */
  apps?: string[];
  /**
   * Gets unexpected internal failures (answered with a 500), and the first
   * `StorageUnavailableError` of a storage outage (answered 503 until it is over).
   * @default console.error
   */
  onError?: (error: unknown) => void;
  /** The clock, in epoch ms; tests move it to expire tokens. @default Date.now */
  now?: () => number;
}

export interface EmbeddedCore {
  /** Pass this to supertokens-node as `supertokens.connectionURI`. */
  readonly connectionURI: string;
  readonly host: string;
  readonly port: number;
  readonly store: Store;
  /** Which store is in use and where (never a password), for logs. */
  readonly storage: string;
  /** The key the core requires (undefined when started with `apiKey: false`). Never log it. */
  readonly apiKey: string | undefined;
  /** Stops listening, closes open connections and the store; calling it again is a no-op. */
  stop(): Promise<void>;
}

const API_KEY = /^[a-zA-Z0-9=-]{20,}$/;
const APP_ID = /^[a-z0-9-]+$/;
/** How often expired data is dropped (the real core runs cron jobs for this). */
const CLEANUP_INTERVAL_MS = 5 * 60 * 1000;
/** How often queued users are imported (the real core's `PROCESS_USERS_INTERVAL_SECONDS`). */
const BULK_IMPORT_INTERVAL_MS = 5 * 60 * 1000;

function checkOptions(apiKeys: string[], apps: string[]): void {
  for (const key of apiKeys) {
    if (!API_KEY.test(key)) {
      throw new Error(
        'Embedded core option apiKey: each key must be at least 20 characters of a-z, A-Z, 0-9, "=" and "-" ' +
          '(the real core accepts the same). Generate one with: openssl rand -hex 20',
      );
    }
  }
  for (const app of apps) {
    if (!APP_ID.test(app) || app.startsWith('appid-')) {
      throw new Error(
        `Embedded core option apps: '${app}' is not an app id; use lower-case a-z, 0-9 and '-'.`,
      );
    }
  }
}

/**
 * Starts a SuperTokens-compatible core (CDI 5.4) in this process, over real HTTP, so
 * supertokens-node works with no Docker and no network: for development and tests. Production
 * should use a real SuperTokens core (`connectionURI` + `apiKey`).
 *
 * @example
 * const core = await startEmbeddedCore();
 * supertokens.init({ supertokens: { connectionURI: core.connectionURI }, ... });
 * // ...
 * await core.stop();
 */
export async function startEmbeddedCore(options: EmbeddedCoreOptions = {}): Promise<EmbeddedCore> {
  const host = options.host ?? '127.0.0.1';
  const apiKeys =
    options.apiKey === false
      ? []
      : options.apiKey === undefined
        ? [randomBytes(24).toString('hex')]
        : [options.apiKey].flat();
  const apps = options.apps ?? [];
  checkOptions(apiKeys, apps);
  const config = resolveCoreConfig(options.config);
  const opened = options.store
    ? { store: options.store, description: 'a store of your own' }
    : await openStore(options.storage ?? 'memory');
  const store = opened.store;
  const now = options.now ?? Date.now;
  const keys = new SigningKeys(store, config, now);
  const ctx: CoreContext = {
    store,
    config,
    keys,
    accessTokens: new AccessTokens(keys, config.accessTokenValidity, now),
    refreshTokens: new RefreshTokens(store),
    now,
    settings: (appId, tenantId) => tenantSettings(store, config, appId, tenantId),
  };
  const onError =
    options.onError ??
    ((error: unknown) =>
      error instanceof StorageFaultError
        ? console.error(`[embedded core] ${error.message} Answering 503 until then.`)
        : error instanceof StorageUnavailableError
          ? console.error(`[embedded core] ${error.message}: answering 503 until it is back`)
          : console.error('[embedded core] internal error', error));
  // Its own address and the loopback names with its port: a rebinding attacker cannot make a
  // browser send any of those (the page would have to be on this machine's loopback already).
  let ownHosts = new Set<string>();
  const allowedHosts = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const server = createCoreServer({
    routes: coreRoutes(ctx),
    apiKeys,
    hostAllowed: (hostHeader) => ownHosts.has(hostHeader) || allowedHosts.has(hostHeader),
    jwks: (appId) => keys.jwks(appId),
    appExists: (appId) => store.hasApp(appId),
    tenantExists: (appId, tenantId) => store.hasTenant(appId, tenantId),
    onError,
  });
  server.keepAliveTimeout = 65_000;
  try {
    for (const app of apps) await store.createApp(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  const cleanup = setInterval(
    () =>
      void cleanupCutoffs(store, config, now())
        .then((cutoffs) => store.deleteExpired(now(), cutoffs))
        .catch(onError),
    options.cleanupIntervalMs ?? CLEANUP_INTERVAL_MS,
  );
  cleanup.unref();
  const stopBulkImport = scheduleBulkImport(
    ctx,
    options.bulkImportIntervalMs ?? BULK_IMPORT_INTERVAL_MS,
    onError,
  );
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  ownHosts = new Set(
    [urlHost, '127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${port}`.toLowerCase()),
  );
  let stopped: Promise<void> | undefined;
  return {
    connectionURI: `http://${urlHost}:${port}`,
    host,
    port,
    store,
    storage: opened.description,
    apiKey: apiKeys[0],
    // Idempotent: stopping a stopped core (an app closing after a test stopped it) is fine.
    stop: () =>
      (stopped ??= (async () => {
        clearInterval(cleanup);
        const importing = stopBulkImport();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        });
        // A bulk-import run in progress finishes its user before the store closes.
        await importing;
        await store.close();
      })()),
  };
}
