import {
  BadRequestException,
  type HttpException,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';

const logger = new Logger('AuthModule');
const UNREACHABLE = /No SuperTokens core available to query/;
const CORE_STATUS =
  /SuperTokens core threw an error for a \w+ request to path: '([^']*)' with status code: (\d+) and message: (.*)$/s;

/**
 * What a request gets when supertokens-node fails talking to the core, instead of a bare 500:
 * - the core cannot be reached: 503, saying so (no URI, no stack, no key);
 * - the core refused the input (400 with its reason): 400 with that reason, as the core's
 *   validation texts name the field and never carry secrets;
 * - anything else from the core (401 wrong api key, 5xx): 503, with the detail only in the log.
 * Undefined for errors that are not about the core.
 */
export function coreFailureException(error: unknown): HttpException | undefined {
  if (!(error instanceof Error)) return undefined;
  if (UNREACHABLE.test(error.message)) {
    logger.error('The SuperTokens core cannot be reached: answering 503');
    return new ServiceUnavailableException(
      'Authentication is unavailable: the authentication core cannot be reached. Try again shortly.',
    );
  }
  const match = CORE_STATUS.exec(error.message);
  if (!match) return undefined;
  const [, path, status, message] = match;
  if (status === '400')
    return new BadRequestException(`Rejected by the authentication core: ${message.trim()}`);
  logger.error(`The SuperTokens core answered ${status} to ${path}: answering 503`);
  return new ServiceUnavailableException('Authentication is unavailable. Try again shortly.');
}
