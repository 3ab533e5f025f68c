import type { IncomingHttpHeaders } from 'node:http';
import type { JsonObject } from './json-input.js';

/**
 * Where a route sits in the real core's path grammar:
 * - `tenant`: the tenant segment names the tenant, which must exist (400 otherwise);
 * - `app`: the tenant segment is ignored;
 * - `public-only`: an app-level API that refuses any tenant segment but `public` (403).
 */
export type RouteScope = 'tenant' | 'app' | 'public-only';

export interface CoreRequest {
  method: string;
  appId: string;
  /** The tenant named in the path, `public` when there was none. */
  tenantId: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The JSON body; throws `400 Invalid Json Input` for anything but an object. */
  body(): JsonObject;
}

/** A handler's answer: a JSON body sent with 200 (business outcomes carry a `status`). */
export type CoreHandler = (request: CoreRequest) => Promise<JsonObject>;

export interface CoreRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  scope: RouteScope;
  handler: CoreHandler;
}
