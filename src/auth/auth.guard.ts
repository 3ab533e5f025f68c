import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import Session, {
  type SessionContainer,
  type VerifySessionOptions,
} from 'supertokens-node/recipe/session';
import { PUBLIC_ROUTE, REQUEST_SESSION, VERIFY_SESSION_OPTIONS } from './auth.constants.js';
import { isSuperTokensError, toHttpException } from './supertokens-http.exception.js';
import { getRequestResponse, type RequestResponse } from './utils/execution-context.util.js';

type RequestWithSession = Record<symbol, SessionContainer | undefined>;

/**
 * Verifies the SuperTokens session of a request: `@UseGuards(AuthGuard)` on a controller or route,
 * or every route with `globalGuard: true` (`@Public()` opts out). The session is then available
 * through `@Session()`. No or an invalid session answers as the SDK does (401 `try refresh token`
 * / `unauthorised`, 403 for a failed claim), as a `SuperTokensHttpException`, never a 500.
 *
 * Extend it and override the protected hooks to change one step.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(protected readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    const { req, res } = this.getRequestResponse(context);
    const holder = req as unknown as RequestWithSession;
    // Already verified in this request (route guard under a global guard): don't do it twice.
    if (REQUEST_SESSION in holder) return true;
    let session: SessionContainer | undefined;
    try {
      session = await Session.getSession(req, res, this.getVerifyOptions(context));
    } catch (error) {
      throw await this.handleError(error, { req, res });
    }
    holder[REQUEST_SESSION] = session;
    return true;
  }

  /** `@Public()` on the handler or its class. */
  protected isPublic(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }

  protected getRequestResponse(context: ExecutionContext): RequestResponse {
    return getRequestResponse(context);
  }

  /** `@VerifySession()` options; the handler's win over the class's. */
  protected getVerifyOptions(context: ExecutionContext): VerifySessionOptions {
    return (
      this.reflector.getAllAndOverride<VerifySessionOptions | undefined>(VERIFY_SESSION_OPTIONS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? {}
    );
  }

  /** Turns a verification failure into the exception the request ends with. */
  protected async handleError(error: unknown, { req, res }: RequestResponse): Promise<unknown> {
    if (isSuperTokensError(error)) {
      const mapped = await toHttpException(error, req, res);
      if (mapped) return mapped;
      return new UnauthorizedException();
    }
    return error;
  }
}

/** Alias of `AuthGuard` for files that also import `AuthGuard` from `@nestjs/passport`. */
export const SuperTokensAuthGuard = AuthGuard;
