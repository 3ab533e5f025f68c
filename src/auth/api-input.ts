import { BadRequestException, type HttpException, Logger } from '@nestjs/common';

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
};

function rulesFor(method: string, relativePath: string): string[] | undefined {
  const direct = STRING_FIELDS[`${method} ${relativePath}`];
  if (direct) return direct;
  // `/<tenantId>/signinup/code` serves the same API for one tenant.
  const withoutTenant = relativePath.replace(/^\/[^/]+/, '');
  return STRING_FIELDS[`${method} ${withoutTenant}`];
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
  const fields = rulesFor(method, relativePath);
  if (!fields || typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const input = body as Record<string, unknown>;
  const wrong = fields.find(
    (field) => input[field] !== undefined && typeof input[field] !== 'string',
  );
  return wrong ? new BadRequestException(`Field '${wrong}' must be a string`) : undefined;
}

/**
 * The last line of defence for the auth APIs: a TypeError or RangeError thrown from inside
 * supertokens-node while it handles a request is its handler tripping over input of an
 * unexpected shape, so the client gets a 400, not a 500; the error is logged for a bug report.
 */
export function malformedInputException(error: Error): HttpException | undefined {
  if (!(error instanceof TypeError || error instanceof RangeError)) return undefined;
  if (!error.stack?.includes('supertokens-node')) return undefined;
  logger.warn(`supertokens-node failed on a malformed request (answered 400): ${error.message}`);
  return new BadRequestException('Malformed request: an input has the wrong type or shape');
}
