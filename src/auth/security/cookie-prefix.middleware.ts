import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Session cookies under prefixed names (OWASP ASVS 4.0 V3.4.4): `__Host-sAccessToken` (Secure,
 * Path=/, no Domain: only this host can set it, so a sibling subdomain cannot plant a session
 * cookie) and `__Secure-sRefreshToken` (its path is the refresh API, which `__Host-` forbids).
 * supertokens-node 24 has no option for cookie names, so the names are translated at the edge:
 * incoming prefixed cookies are renamed for the SDK and plain ones dropped (they could have been
 * planted), outgoing `Set-Cookie` headers are renamed. Only for https API domains (the prefixes
 * require Secure); the hardened profile turns it on.
 */
const PREFIXED: Record<string, string> = {
  sAccessToken: '__Host-sAccessToken',
  sRefreshToken: '__Secure-sRefreshToken',
};
const PLAIN = Object.fromEntries(
  Object.entries(PREFIXED).map(([plain, prefixed]) => [prefixed, plain]),
);

/** The request's Cookie header as the SDK must see it. */
export function unprefixCookies(header: string): string {
  return header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => {
      const name = part.split('=', 1)[0] ?? '';
      return part !== '' && !(name in PREFIXED);
    })
    .map((part) => {
      const eq = part.indexOf('=');
      const plain = eq > 0 ? PLAIN[part.slice(0, eq)] : undefined;
      return plain ? `${plain}${part.slice(eq)}` : part;
    })
    .join('; ');
}

/** One Set-Cookie value under its prefixed name (`__Secure-` when a Domain is set). */
export function prefixSetCookie(cookie: string): string {
  const eq = cookie.indexOf('=');
  const name = eq > 0 ? cookie.slice(0, eq) : '';
  const prefixed = PREFIXED[name];
  if (!prefixed) return cookie;
  const hostOnly = prefixed.startsWith('__Host-') && !/;\s*domain=/i.test(cookie);
  const finalName = hostOnly ? prefixed : `__Secure-${name}`;
  return `${finalName}${cookie.slice(eq)}`;
}

type HeaderValue = number | string | readonly string[];

const prefixed = (value: HeaderValue): string[] =>
  (Array.isArray(value) ? (value as string[]) : [String(value)]).map(prefixSetCookie);

/**
 * Express and Fastify middleware alike see Node's request and response (or Express' objects
 * built on them). Express sets cookies with `setHeader`; Fastify keeps its headers and hands them
 * to `writeHead`, so both are covered.
 */
@Injectable()
export class CookiePrefixMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    if (req.headers.cookie !== undefined) req.headers.cookie = unprefixCookies(req.headers.cookie);
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: HeaderValue) =>
      setHeader(name, name.toLowerCase() === 'set-cookie' ? prefixed(value) : value);
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = (status: number, ...rest: unknown[]) => {
      const headers = rest[rest.length - 1];
      if (headers && typeof headers === 'object' && !Array.isArray(headers)) {
        for (const [name, value] of Object.entries(headers as Record<string, HeaderValue>)) {
          if (name.toLowerCase() === 'set-cookie' && value !== undefined) {
            (headers as Record<string, HeaderValue>)[name] = prefixed(value);
          }
        }
      }
      return writeHead(status, ...rest);
    };
    next();
  }
}
