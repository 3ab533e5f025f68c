import {
  BadRequestException,
  type HttpException,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';

import { classifySdkError, lookUpSigningKey } from '../sdk/sdk-internals.js';

const logger = new Logger('AuthModule');

/**
 * What a request gets when supertokens-node fails talking to the core, instead of a bare 500:
 * - the core cannot be reached: 503, saying so (no URI, no stack, no key);
 * - the core refused the input (400 with its reason): 400 with that reason, as the core's
 *   validation texts name the field and never carry secrets; a tenant that does not exist
 *   (`<apiBasePath>/<tenantId>/…`): 400 naming it;
 * - anything else from the core (401 wrong api key, 5xx): 503, with the detail only in the log.
 * Undefined for errors that are not about the core.
 */
export function coreFailureException(error: unknown): HttpException | undefined {
  if (!(error instanceof Error)) return undefined;
  const failure = classifySdkError(error);
  if (failure?.kind === 'core-unreachable') return unreachableException('cannot be reached');
  if (failure?.kind !== 'core-status') return undefined;
  const { path, status, message } = failure;
  // `/auth/<tenantId>/...` for a tenant that does not exist (or was deleted): say which.
  const unknownTenant = /^AppId or tenantId not found => .*\(([^,]*), ([^,]*), ([^)]*)\)$/.exec(
    message,
  );
  if (status === 400 && unknownTenant) {
    const [, , appId, tenantId] = unknownTenant;
    return new BadRequestException(
      appId === 'public'
        ? `Unknown tenant '${tenantId}'`
        : `Unknown app '${appId}' or tenant '${tenantId}'`,
    );
  }
  if (status === 400)
    return new BadRequestException(`Rejected by the authentication core: ${message}`);
  logger.error(`The SuperTokens core answered ${status} to ${path}: answering 503`);
  return new ServiceUnavailableException('Authentication is unavailable. Try again shortly.');
}

/**
 * Whether the core's signing keys cannot be fetched for this token. The SDK reports any failure
 * to verify an access token as `try refresh token`, including a core it cannot reach for the
 * keys (cold key cache): only then is this a 503, not a 401. Asked only after a failed
 * verification; a reachable core answers from the SDK's key cache.
 */
export async function signingKeysUnreachable(token: string): Promise<boolean> {
  const header = protectedHeader(token);
  if (!header) return false;
  try {
    await lookUpSigningKey(header.alg ?? 'RS256', header.kid);
    return false;
  } catch (error) {
    // jose's own answers (no matching key, ...) mean the keys were fetched.
    const code = (error as { code?: unknown }).code;
    return !(typeof code === 'string' && code.startsWith('ERR_J') && code !== 'ERR_JWKS_TIMEOUT');
  }
}

/** The `alg` and `kid` of a JWS's header, or undefined when it is not a JWS. */
function protectedHeader(token: string): { alg?: string; kid?: string } | undefined {
  const [part, ...rest] = token.split('.');
  if (!part || rest.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof header !== 'object' || header === null || Array.isArray(header)) return undefined;
    const { alg, kid } = header as Record<string, unknown>;
    return {
      alg: typeof alg === 'string' ? alg : undefined,
      kid: typeof kid === 'string' ? kid : undefined,
    };
  } catch {
    return undefined;
  }
}

/** The 503 for a core that cannot be reached; what failed goes to the log only. */
export function unreachableException(what: string): ServiceUnavailableException {
  logger.error(`The SuperTokens core ${what}: answering 503`);
  return new ServiceUnavailableException(
    'Authentication is unavailable: the authentication core cannot be reached. Try again shortly.',
  );
}
