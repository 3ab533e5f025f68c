/** Segments that are never tenant ids (the real core reserves them). */
const RESERVED = new Set(['recipe', 'config', 'users', 'hello']);
const ID = /^[a-z0-9-]+$/;

export interface ResolvedPath {
  appId: string;
  /** Undefined when the path named no tenant. */
  tenantId: string | undefined;
  apiPath: string;
}

/**
 * Splits `[/appid-<app>][/<tenant>]<apiPath>` the way the real core does: case-insensitive, an
 * optional trailing slash, and a first segment taken as a tenant only when the rest is not
 * itself an API path. `isApiPath` tells which paths exist.
 */
export function resolvePath(
  pathname: string,
  isApiPath: (path: string) => boolean,
): ResolvedPath | undefined {
  let path = pathname.toLowerCase();
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  let appId = 'public';
  const appMatch = /^\/appid-([^/]*)(\/.*)?$/.exec(path);
  if (appMatch) {
    const id = appMatch[1] ?? '';
    if (id !== '' && !ID.test(id)) return undefined;
    appId = id === '' ? 'public' : id;
    path = appMatch[2] ?? '/';
  }
  if (isApiPath(path)) return { appId, tenantId: undefined, apiPath: path };
  const tenantMatch = /^\/([^/]+)(\/.*)$/.exec(path);
  const tenantId = tenantMatch?.[1];
  const rest = tenantMatch?.[2];
  if (
    tenantId === undefined ||
    rest === undefined ||
    RESERVED.has(tenantId) ||
    !ID.test(tenantId)
  ) {
    return undefined;
  }
  return isApiPath(rest) ? { appId, tenantId, apiPath: rest } : undefined;
}
