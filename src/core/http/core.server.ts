import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { CoreHttpError } from './core-error.js';
import { parseJsonObject, type JsonObject } from './json-input.js';
import { resolvePath } from './path.js';
import type { CoreRoute } from './route.js';
import { StorageFaultError, StorageUnavailableError } from '../store/storage-unavailable.js';

/** The CDI versions this core implements (supertokens-node 24 accepts only 5.4). */
export const CDI_VERSIONS: readonly string[] = ['5.4'];

const JSON_TYPE = 'application/json;charset=UTF-8';
const TEXT_TYPE = 'text/html;charset=UTF-8';
/** Larger bodies are refused before parsing; no core API needs more. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface CoreServerOptions {
  routes: CoreRoute[];
  /** Each key accepted in `api-key` or `Authorization`; none means no check (as the real core). */
  apiKeys: string[];
  /** Whether a (lower-cased) `Host` header names this core; others are refused (DNS rebinding). */
  hostAllowed: (host: string) => boolean;
  /** Answers with the JWKS document (open, like `/hello`). */
  jwks: (appId: string) => Promise<{ body: string; maxAgeSeconds: number }>;
  appExists: (appId: string) => Promise<boolean>;
  tenantExists: (appId: string, tenantId: string) => Promise<boolean>;
  /** Told about unexpected failures (answered with a bare 500); never gets request data. */
  onError: (error: unknown) => void;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra?: Record<string, string>,
) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop keeping the body but let it drain, so the 413 still reaches the client.
        req.removeAllListeners('data');
        req.resume();
        reject(new CoreHttpError(413, 'Request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const isJsonType = (type: string | undefined): boolean =>
  type !== undefined && /^application\/json\s*(;|$)/i.test(type.trim());

function keyMatches(candidate: string, keys: Buffer[]): boolean {
  const given = Buffer.from(candidate);
  let match = false;
  for (const key of keys) {
    if (key.length === given.length && timingSafeEqual(key, given)) match = true;
  }
  return match;
}

function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers['api-key'];
  if (typeof header === 'string') return header;
  const authorization = req.headers.authorization;
  return authorization?.replace(/^Bearer /i, '');
}

/**
 * The embedded core's HTTP layer, on plain `node:http`: the core answers one small JSON API to a
 * single client (the SDK), so a framework would only add per-request cost. It reproduces the real
 * core's transport rules: path grammar, api-key and cdi-version checks, and its text error bodies.
 */
export function createCoreServer(options: CoreServerOptions): Server {
  const byPath = new Map<string, Map<string, CoreRoute>>();
  for (const route of options.routes) {
    const methods = byPath.get(route.path) ?? new Map<string, CoreRoute>();
    methods.set(route.method, route);
    byPath.set(route.path, methods);
  }
  const keys = options.apiKeys.map((k) => Buffer.from(k));
  const isApiPath = (path: string): boolean =>
    byPath.has(path) || path === '/hello' || path === '/.well-known/jwks.json';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only the SDK talks to the core. A browser always names the page's origin (cross-site or
    // not), and a DNS-rebinding page reaches us under its own host name: refuse both first.
    if (req.headers.origin !== undefined) {
      throw new CoreHttpError(403, 'Requests from browsers are not accepted by this core');
    }
    if (!options.hostAllowed((req.headers.host ?? '').toLowerCase())) {
      throw new CoreHttpError(403, 'Host not allowed');
    }
    const url = new URL(req.url ?? '/', 'http://core');
    const method = req.method ?? 'GET';
    if (url.pathname === '/' || url.pathname === '') return send(res, 200, TEXT_TYPE, 'Hello');
    const resolved = resolvePath(url.pathname, isApiPath);
    if (!resolved) return send(res, 404, TEXT_TYPE, 'Not found');
    const { appId, apiPath } = resolved;
    const tenantId = resolved.tenantId ?? 'public';

    if (apiPath === '/hello') return send(res, 200, TEXT_TYPE, 'Hello');
    if (apiPath === '/.well-known/jwks.json') {
      if (method !== 'GET') return send(res, 405, TEXT_TYPE, 'Method not supported');
      if (!(await options.appExists(appId))) throw notFoundTenant(appId, tenantId);
      const jwks = await options.jwks(appId);
      return send(res, 200, JSON_TYPE, jwks.body, {
        'cache-control': `max-age=${jwks.maxAgeSeconds}, must-revalidate`,
      });
    }
    const route = byPath.get(apiPath)?.get(method);
    if (!route) return send(res, 405, TEXT_TYPE, 'Method not supported');

    if (keys.length > 0) {
      const key = presentedKey(req);
      if (key === undefined || !keyMatches(key, keys))
        throw new CoreHttpError(401, 'Invalid API key');
    }
    const cdiVersion = req.headers['cdi-version'];
    // Absent (or empty) means the latest version, as on the real core.
    if (typeof cdiVersion === 'string' && cdiVersion !== '' && !CDI_VERSIONS.includes(cdiVersion)) {
      throw new CoreHttpError(400, `cdi-version ${cdiVersion} not supported`);
    }
    if (route.scope === 'public-only' && tenantId !== 'public') {
      throw new CoreHttpError(403, 'Only public tenantId can call this app specific API');
    }
    const exists =
      route.scope === 'tenant'
        ? await options.tenantExists(appId, tenantId)
        : await options.appExists(appId);
    if (!exists) throw notFoundTenant(appId, route.scope === 'tenant' ? tenantId : 'public');

    const raw = method === 'GET' ? '' : await readBody(req);
    if (raw !== '' && !isJsonType(req.headers['content-type'])) {
      // A cross-site "simple" request can carry text/plain or a form, never application/json.
      throw new CoreHttpError(415, 'Content-Type must be application/json');
    }
    let parsed: JsonObject | undefined;
    const answer = await route.handler({
      method,
      appId,
      tenantId,
      query: url.searchParams,
      headers: req.headers,
      body: () => (parsed ??= parseJsonObject(raw)),
    });
    send(res, 200, JSON_TYPE, JSON.stringify(answer));
  }

  // One line when the store becomes unreachable, one when it answers again: not one per request.
  let storageDown = false;
  return createServer((req, res) => {
    handle(req, res).then(
      () => {
        if (storageDown && res.statusCode === 200) storageDown = false;
      },
      (error: unknown) => {
        if (res.headersSent) return void res.destroy();
        if (error instanceof CoreHttpError) {
          send(
            res,
            error.statusCode,
            TEXT_TYPE,
            error.message,
            error.statusCode === 413 ? { connection: 'close' } : {},
          );
          return;
        }
        if (error instanceof StorageUnavailableError) {
          if (!storageDown) options.onError(error);
          storageDown = true;
          // A fault of the core's own files says what to fix instead (docs/embedded-core.md).
          const text =
            error instanceof StorageFaultError
              ? error.message
              : `${error.message}: try again shortly`;
          send(res, 503, TEXT_TYPE, text, { 'retry-after': '1' });
          return;
        }
        options.onError(error);
        send(res, 500, TEXT_TYPE, 'Internal Error');
      },
    );
  });
}

function notFoundTenant(appId: string, tenantId: string): CoreHttpError {
  return new CoreHttpError(
    400,
    'AppId or tenantId not found => Tenant with the following connectionURIDomain, appId and tenantId ' +
      `combination not found: (, ${appId}, ${tenantId})`,
  );
}
