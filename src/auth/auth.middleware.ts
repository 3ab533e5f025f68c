import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { middleware } from 'supertokens-node/framework/express';
import { coreFailureException } from './core-failure.js';

/**
 * Serves the SDK's auth APIs (`<apiBasePath>/signin`, `/session/refresh`, ...). The SDK answers its
 * own errors in place (401 / 403 / field errors); core failures become 503 / 400 answers, and
 * anything else it passes on is rethrown so Nest's exception filters see it, instead of Express'
 * default error page.
 */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  private readonly handle = middleware();

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    let passed = false;
    let failure: Error | undefined;
    await this.handle(req, res, (error?: unknown) => {
      passed = true;
      if (error !== undefined) {
        failure = error instanceof Error ? error : new Error('SuperTokens middleware failed');
      }
    });
    if (failure) throw coreFailureException(failure) ?? failure;
    if (passed) next();
  }
}
