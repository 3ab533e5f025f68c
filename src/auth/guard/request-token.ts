import type { IncomingMessage } from 'node:http';

/** The access token of a request, when where it comes from leaves no doubt. */
export interface RequestToken {
  token: string;
  transferMethod: 'header' | 'cookie';
}

function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The access token as supertokens-node reads it with its default settings, but only in the two
 * unambiguous cases: `Authorization: Bearer` without any cookie, or (for GET, where the SDK makes
 * no anti-CSRF check) the `sAccessToken` cookie without an Authorization header and without the
 * legacy `sIdRefreshToken` cookie. Anything else: undefined, and the SDK decides.
 */
export function unambiguousAccessToken(req: IncomingMessage): RequestToken | undefined {
  const authorization = req.headers.authorization;
  const cookie = req.headers.cookie;
  if (authorization !== undefined) {
    if (cookie !== undefined || !authorization.startsWith('Bearer ')) return undefined;
    const token = authorization.slice('Bearer '.length).trim();
    return token ? { token, transferMethod: 'header' } : undefined;
  }
  if (cookie === undefined || req.method !== 'GET') return undefined;
  if (cookieValue(cookie, 'sIdRefreshToken') !== undefined) return undefined;
  const token = cookieValue(cookie, 'sAccessToken');
  return token ? { token, transferMethod: 'cookie' } : undefined;
}
