import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import {
  type PlatformRequest,
  type PlatformResponse,
  responseStarted,
  sendJson,
} from '../utils/http-platform.js';
import supertokens from 'supertokens-node';
import { toHttpException } from './supertokens-http.exception.js';

/**
 * Answers SuperTokens errors thrown anywhere in a request (a controller calling
 * `session.mergeIntoAccessTokenPayload()` on a revoked session, say) the way the SDK does:
 * 401 `{"message":"try refresh token"}`, 401 `unauthorised`, 403 invalid claim. Registered
 * globally by `AuthModule` unless `exceptionFilter: false`.
 *
 * Errors of `AuthGuard` never reach it: the guard already throws `SuperTokensHttpException`s,
 * which every filter understands. Nest tries the most recently registered global filter first,
 * so a catch-all filter of yours added with `app.useGlobalFilters()` sees raw SDK errors before
 * this one: rethrow them, or call `SuperTokensExceptionFilter.prototype.catch` from it.
 */
@Catch(supertokens.Error)
export class SuperTokensExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(SuperTokensExceptionFilter.name);

  async catch(exception: Error, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const req = http.getRequest<PlatformRequest>();
    const res = http.getResponse<PlatformResponse>();
    const mapped = await toHttpException(exception, req, res);
    if (responseStarted(res)) return;
    if (mapped) return sendJson(res, mapped.getStatus(), mapped.getResponse());
    // An SDK error its handler does not own (e.g. a misconfigured recipe): a 500 without details.
    this.logger.error(`Unhandled SuperTokens error: ${exception.message}`);
    sendJson(res, 500, { statusCode: 500, message: 'Internal server error' });
  }
}
