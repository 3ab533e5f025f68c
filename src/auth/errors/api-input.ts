import { BadRequestException, type HttpException, Logger } from '@nestjs/common';
import { classifySdkError } from '../sdk/sdk-internals.js';

const logger = new Logger('AuthModule');

/**
 * Body fields the SDK's APIs use as strings without checking their type first (found by
 * fuzzing): a number or an array there crashes the SDK's handler, which would answer 500. Keyed
 * by method and path below `apiBasePath` (an optional `/<tenantId>` segment is ignored). Only
 * public APIs: dashboard APIs check their session first, so their crashes are left to
 * `malformedInputException`, which answers after that check.
 */
const STRING_FIELDS: Record<string, string[]> = {
  'POST /signinup/code': ['email', 'phoneNumber'],
  'POST /signinup/code/resend': ['deviceId', 'preAuthSessionId'],
  'POST /signinup/code/consume': ['preAuthSessionId', 'linkCode', 'deviceId', 'userInputCode'],
  'POST /webauthn/options/register': ['email', 'recoverAccountToken'],
  'POST /webauthn/signup': ['webauthnGeneratedOptionsId'],
  'POST /webauthn/signin': ['webauthnGeneratedOptionsId'],
  'POST /user/webauthn/reset': ['token', 'webauthnGeneratedOptionsId'],
};

/**
 * Dashboard APIs that throw a bare `Error("Should never come here")` when the `recipeUserId` in the
 * body names no user of that recipe (a plain SDK app answers 500).
 */
const UNKNOWN_USER_APIS: Record<string, true> = {
  'PUT /dashboard/api/user': true,
  'PUT /dashboard/api/user/password': true,
};

/** The table's entry for this API; `/<tenantId>/signinup/code` is the same API for one tenant. */
export function entryFor<T>(
  table: Record<string, T>,
  method: string,
  relativePath: string,
): T | undefined {
  const direct = table[`${method} ${relativePath}`];
  if (direct) return direct;
  return table[`${method} ${relativePath.replace(/^\/[^/]+/, '')}`];
}

/**
 * A 400 naming the first mistyped field of an auth API request, before the SDK sees it; undefined
 * when the request is fine (or not one of those APIs).
 */
export function mistypedInput(
  method: string,
  relativePath: string,
  body: unknown,
): HttpException | undefined {
  const fields = entryFor(STRING_FIELDS, method, relativePath);
  if (!fields || typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const input = body as Record<string, unknown>;
  const wrong = fields.find(
    (field) => input[field] !== undefined && typeof input[field] !== 'string',
  );
  return wrong ? new BadRequestException(`Field '${wrong}' must be a string`) : undefined;
}

/**
 * The 400 for an error supertokens-node's handler threw over the request's input, undefined for
 * any other error:
 * - a dashboard write naming an unknown user: `Unknown 'recipeUserId'`;
 * - a TypeError or RangeError thrown from inside supertokens-node: its handler tripped over input
 *   of a shape it does not check, so the client gets a 400, not a 500 (logged for a bug report).
 */
export function inputFailureException(
  error: Error,
  method: string,
  relativePath: string,
): HttpException | undefined {
  if (
    classifySdkError(error)?.kind === 'unknown-recipe-user' &&
    entryFor(UNKNOWN_USER_APIS, method, relativePath)
  ) {
    return new BadRequestException("Unknown 'recipeUserId'");
  }
  if (!(error instanceof TypeError || error instanceof RangeError)) return undefined;
  if (!error.stack?.includes('supertokens-node')) return undefined;
  logger.warn(`supertokens-node failed on a malformed request (answered 400): ${error.message}`);
  return new BadRequestException('Malformed request: an input has the wrong type or shape');
}
