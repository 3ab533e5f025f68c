import { HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import supertokens from 'supertokens-node';
import { errorHandler } from 'supertokens-node/framework/express';

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
  req: Request,
  res: Response,
): Promise<SuperTokensHttpException | undefined> {
  let status = 200;
  let captured: { status: number; body: Record<string, unknown> } | undefined;
  const capturing = new Proxy(res, {
    get(target, property) {
      if (property === 'status') {
        return (code: number) => {
          status = code;
          return capturing;
        };
      }
      if (property === 'json') {
        return (body: Record<string, unknown>) => {
          captured = { status, body };
          return capturing;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  let unhandled = false;
  await errorHandler()(error, req, capturing, () => {
    unhandled = true;
  });
  if (unhandled || !captured) return undefined;
  return new SuperTokensHttpException(captured.status, captured.body, error);
}
