import { Logger } from '@nestjs/common';
import {
  nodeRequest,
  type PlatformRequest,
  type PlatformResponse,
  responseHeader,
} from '../utils/http-platform.js';

const logger = new Logger('AuthModule');

/**
 * Warns, once per origin, when browser requests from the app's website cannot work because of
 * CORS, which browsers report only in their own console:
 * - a preflight (`OPTIONS` with `Access-Control-Request-Method`) reached the auth APIs, so no
 *   CORS middleware answered it (the browser gets a 404 and never sends the request);
 * - a request from `websiteDomain` got no `Access-Control-Allow-Credentials: true`, or `*` as
 *   allowed origin (plain `app.enableCors()`), so the browser drops the answer or the cookies.
 * Only the website's own origin, and only when it differs from the API's, is judged.
 */
export class CorsHint {
  private readonly warned = new Set<string>();

  constructor(
    private readonly websiteOrigin: string | undefined,
    private readonly apiOrigin: string,
  ) {}

  check(request: PlatformRequest, res: PlatformResponse): void {
    const req = nodeRequest(request);
    const origin = req.headers.origin;
    if (!origin || origin !== this.websiteOrigin || origin === this.apiOrigin) return;
    const fix =
      `call app.enableCors(superTokensCors({ origin: '${origin}' })) in main.ts before listen() ` +
      '(credentials and the SDK headers; see the README, "Using it in your app")';
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      this.warn(
        `${origin}:preflight`,
        `A browser preflight from ${origin} got no CORS answer: ${fix}.`,
      );
      return;
    }
    const allowed = responseHeader(res, 'access-control-allow-origin');
    const credentials = responseHeader(res, 'access-control-allow-credentials');
    if (allowed === '*' || credentials !== 'true') {
      this.warn(
        `${origin}:credentials`,
        `Requests from ${origin} are answered without Access-Control-Allow-Credentials: true` +
          `${allowed === '*' ? " (and with origin '*')" : ''}, so browsers drop the session ` +
          `cookies or the answer: ${fix}.`,
      );
    }
  }

  private warn(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    logger.warn(message);
  }
}
