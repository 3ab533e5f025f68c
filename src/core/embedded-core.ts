import type { AddressInfo } from 'node:net';
import { type CoreConfig, resolveCoreConfig } from './core.config.js';
import type { CoreContext } from './core.context.js';
import { coreRoutes } from './core.routes.js';
import { createCoreServer } from './http/core.server.js';
import { SigningKeys } from './keys/signing-keys.js';
import { AccessTokens } from './sessions/access-token.js';
import { RefreshTokens } from './sessions/refresh-token.js';
import { MemoryStore } from './store/memory.store.js';
import type { Store } from './store/store.interface.js';

export interface EmbeddedCoreOptions {
  /** Interface to listen on. Anything but loopback exposes the core to the network. @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /**
   * Require this key (or any of these keys) in the `api-key` header, as a real core's `api_keys`.
   * Each is at least 20 characters of `a-z A-Z 0-9 = -`. @default no key
   */
  apiKey?: string | string[];
  /** Where users, sessions and keys live. @default a new MemoryStore */
  store?: Store;
  /** Token and code lifetimes (the real core's config keys). */
  config?: Partial<CoreConfig>;
  /** App ids to create besides `public`, for `connectionURI`s ending in `/appid-<id>`. */
  apps?: string[];
  /** Gets unexpected internal failures (answered with a 500). @default console.error */
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
  /** Stops listening and closes open connections; calling it again is a no-op. */
  stop(): Promise<void>;
}

const API_KEY = /^[a-zA-Z0-9=-]{20,}$/;
const APP_ID = /^[a-z0-9-]+$/;
/** How often expired sessions and tokens are dropped (the real core runs a cron job). */
const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

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
  const apiKeys = options.apiKey === undefined ? [] : [options.apiKey].flat();
  const apps = options.apps ?? [];
  checkOptions(apiKeys, apps);
  const store = options.store ?? new MemoryStore();
  for (const app of apps) await store.createApp(app);
  const now = options.now ?? Date.now;
  const config = resolveCoreConfig(options.config);
  const keys = new SigningKeys(store, config, now);
  const ctx: CoreContext = {
    store,
    config,
    keys,
    accessTokens: new AccessTokens(keys, config.accessTokenValidity, now),
    refreshTokens: new RefreshTokens(store),
    now,
  };
  const onError =
    options.onError ?? ((error: unknown) => console.error('[embedded core] internal error', error));
  const server = createCoreServer({
    routes: coreRoutes(ctx),
    apiKeys,
    jwks: (appId) => keys.jwks(appId),
    appExists: (appId) => store.hasApp(appId),
    tenantExists: (appId, tenantId) => store.hasTenant(appId, tenantId),
    onError,
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const cleanup = setInterval(
    () => void store.deleteExpired(now()).catch(onError),
    CLEANUP_INTERVAL_MS,
  );
  cleanup.unref();
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    connectionURI: `http://${urlHost}:${port}`,
    host,
    port,
    store,
    // Idempotent: stopping a stopped core (an app closing after a test stopped it) is fine.
    stop: () =>
      (stopped ??= new Promise<void>((resolve, reject) => {
        clearInterval(cleanup);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}
