/**
 * The path supertokens-node routes a request by: its `NormalisedURLPath` of the original URL, i.e.
 * the WHATWG URL path of `http://example.com<url>` (dot segments resolved, `\` read as `/`,
 * tabs and newlines dropped, the query string and fragment gone) without a trailing slash.
 * Decisions about a request (which API it reaches, which policy applies) must be made on this,
 * never on the raw URL: `/auth/dashboard/api/user/password?x=/api/signout` reaches the password
 * API, whatever its raw text ends with.
 */
export function sdkRequestPath(originalUrl: string): string {
  const input = originalUrl.trim();
  let path: string;
  try {
    path = new URL(`http://example.com${input.startsWith('/') ? '' : '/'}${input}`).pathname;
  } catch {
    // The SDK answers such a URL with an error of its own; decide nothing on it.
    return '';
  }
  return path.endsWith('/') ? path.slice(0, -1) : path;
}
