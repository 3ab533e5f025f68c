import { HttpException } from '@nestjs/common';

/** What `extensions.code` a GraphQL client gets for the guard's refusals. */
const CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };

/**
 * Makes a refusal of the guard readable as a GraphQL error without depending on `graphql`:
 * graphql-js copies an error's own `extensions` into the GraphQL error it reports, so Apollo (and
 * any other server on graphql-js) answers `extensions.code` `UNAUTHENTICATED` (no or an invalid
 * session; `superTokens.message` is the SDK's `try refresh token` when the frontend should
 * refresh) or `FORBIDDEN` (a failed claim, with `claimValidationErrors`), never an internal error.
 */
export function asGraphqlError(error: unknown): unknown {
  if (!(error instanceof HttpException)) return error;
  const code = CODES[error.getStatus()];
  if (!code) return error;
  const body = error.getResponse();
  const { message, claimValidationErrors } =
    typeof body === 'object' && body !== null
      ? (body as { message?: unknown; claimValidationErrors?: unknown })
      : { message: body, claimValidationErrors: undefined };
  Object.assign(error, {
    extensions: {
      code,
      superTokens: {
        message,
        ...(message === 'try refresh token' && { tryRefresh: true }),
        ...(claimValidationErrors !== undefined && { claimValidationErrors }),
      },
    },
  });
  return error;
}
