import { HttpException } from '@nestjs/common';
import supertokens from 'supertokens-node';
import { errorHandler } from 'supertokens-node/framework/custom';
import {
  nodeRequest,
  type PlatformRequest,
  type PlatformResponse,
  sdkRequest,
  sdkResponse,
  setResponseHeader,
} from '../utils/http-platform.js';

/**
 * An SDK error (try refresh token, unauthorised, invalid claim, token theft) as a Nest
 * HttpException carrying the exact status and body the SDK would send. Headers and cookies the
 * SDK sets with it (cleared session cookies, `front-token` removal) are already on the response.
 * Being an HttpException, it keeps its 401/403 through any catch-all filter that respects
 * HttpException, which a raw SDK error would not (such filters turn it into a 500).
 */
export class SuperTokensHttpException extends HttpException {
  constructor(
    status: number,
    body: Record<string, unknown>,
    /** The SDK error it was made from. */
    readonly sdkError: Error,
  ) {
    super(body, status, { cause: sdkError });
  }
}

export const isSuperTokensError = (error: unknown): error is Error =>
  supertokens.Error.isErrorFromSuperTokens(error);

/**
 * Runs the SDK's own error handler for `error` against the real request, but captures the JSON
 * answer instead of sending it. Returns undefined when the SDK does not handle the error.
 */
export async function toHttpException(
  error: Error,
  req: PlatformRequest,
  res: PlatformResponse,
): Promise<SuperTokensHttpException | undefined> {
  // The platform's own response wrapper (headers and cookies go to the real response), with the
  // status and the JSON body kept here instead of sent.
  const response = sdkResponse(res);
  let status = 200;
  let captured: { status: number; body: Record<string, unknown> } | undefined;
  response.setStatusCode = (code: number) => {
    status = code;
  };
  response.sendJSONResponse = (body: Record<string, unknown>) => {
    captured = { status, body };
  };
  let unhandled = false;
  await errorHandler()(error, sdkRequest(req), response, (failure?: unknown) => {
    unhandled = failure !== undefined;
  });
  if (unhandled || !captured) return undefined;
  if (captured.status === 401) {
    setResponseHeader(res, 'www-authenticate', authenticateChallenge(req, captured.body));
  }
  return new SuperTokensHttpException(captured.status, captured.body, error);
}

const quoted = (value: string) => `"${value.replace(/["\\]/g, '')}"`;

/**
 * The `WWW-Authenticate` of a 401 (RFC 9110 11.6.1), in the terms of RFC 6750 3: for the scheme
 * the request used, `error="invalid_token"` with the SDK's message when its token was refused,
 * `error="invalid_request"` for an `Authorization` header that is not `Bearer <token>`, and both
 * schemes without an error code when it carried no credentials (a client then knows it may send
 * `Authorization: Bearer` or the `sAccessToken` cookie). The body stays the SDK's, which its
 * frontends read.
 */
export function authenticateChallenge(req: PlatformRequest, body: Record<string, unknown>): string {
  const { headers } = nodeRequest(req);
  const description = quoted(typeof body.message === 'string' ? body.message : 'unauthorised');
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    return /^Bearer \S/.test(authorization)
      ? `Bearer error="invalid_token", error_description=${description}`
      : 'Bearer error="invalid_request", error_description="send the access token as Authorization: Bearer <token>"';
  }
  if (/(?:^|;)\s*sAccessToken=/.test(headers.cookie ?? '')) {
    return `Cookie cookie-name="sAccessToken", error="invalid_token", error_description=${description}`;
  }
  return 'Bearer, Cookie cookie-name="sAccessToken"';
}
