import {
  BadGatewayException,
  BadRequestException,
  type HttpException,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { classifySdkError } from '../sdk/sdk-internals.js';
import { entryFor } from './api-input.js';

const logger = new Logger('AuthModule');

/** The third-party sign-in API (`POST <apiBasePath>[/<tenantId>]/signinup`). */
const THIRD_PARTY_SIGN_IN_UP: Record<string, true> = { 'POST /signinup': true };
const isThirdPartySignInUp = (method: string, relativePath: string): boolean =>
  entryFor(THIRD_PARTY_SIGN_IN_UP, method, relativePath) === true;

/** An OAuth error code, as RFC 6749 spells them (never echo anything else a provider sends). */
const oauthErrorCode = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[a-z_]{1,64}$/.test(value) ? value : undefined;

/**
 * A callback that carries the provider's error instead of a code (the user denied consent,
 * RFC 6749 §4.1.2.1): a 400 saying so, before the SDK sends a code that is not there to the
 * provider. Undefined for anything else.
 */
export function providerDeniedInput(
  method: string,
  relativePath: string,
  body: unknown,
): HttpException | undefined {
  if (!isThirdPartySignInUp(method, relativePath)) return undefined;
  const params = (
    body as { redirectURIInfo?: { redirectURIQueryParams?: Record<string, unknown> } }
  )?.redirectURIInfo?.redirectURIQueryParams;
  if (!params || typeof params !== 'object' || params.code !== undefined) return undefined;
  if (params.error === undefined) return undefined;
  const code = oauthErrorCode(params.error);
  return new BadRequestException(
    `The sign-in was not completed at the provider${code ? ` (${code})` : ''}: start it again`,
  );
}

/** A fetch that never got an answer: refused, unknown host, timed out. */
function unreachable(error: Error): boolean {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  return (
    error.message === 'fetch failed' ||
    ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(code) ||
    error.name === 'TimeoutError' ||
    error.name === 'AbortError'
  );
}

/**
 * What a third-party sign-in gets when the provider fails, instead of the SDK's 500:
 * - the provider cannot be reached: 503;
 * - it refused the code (expired, reused, forged: `invalid_grant`, ...): 400 with its OAuth error
 *   code, so the frontend starts the sign-in again;
 * - it refused the app's own client credentials (`invalid_client`): 502, logged, as only the
 *   app's configuration can fix it;
 * - it failed (5xx): 502.
 * The provider's answer is never echoed beyond its OAuth error code. Undefined for other APIs
 * and other errors.
 */
export function providerFailureException(
  error: Error,
  method: string,
  relativePath: string,
): HttpException | undefined {
  if (!isThirdPartySignInUp(method, relativePath)) return undefined;
  if (unreachable(error)) {
    return new ServiceUnavailableException(
      'The sign-in provider cannot be reached right now: try again later',
    );
  }
  const answer = classifySdkError(error);
  if (answer?.kind !== 'provider-status') return undefined;
  const { status } = answer;
  let code: string | undefined;
  try {
    code = oauthErrorCode((JSON.parse(answer.body) as { error?: unknown }).error);
  } catch {
    code = undefined;
  }
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    logger.error(
      `The sign-in provider refused this app's client (${code}): check the clientId and ` +
        'clientSecret of thirdParty.providers',
    );
    return new BadGatewayException('The sign-in provider refused this app: try again later');
  }
  if (status >= 500) {
    return new BadGatewayException(
      `The sign-in provider failed (status ${status}): try again later`,
    );
  }
  return new BadRequestException(
    `The sign-in provider refused the sign-in${code ? ` (${code})` : ''}: start it again`,
  );
}
