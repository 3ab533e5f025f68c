import { All, Controller, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import {
  nodeRequest,
  originalUrl,
  type PlatformRequest,
  type PlatformResponse,
} from '../utils/http-platform.js';
import { Public } from '../decorators/public.decorator.js';
import { AuthMiddleware } from './auth.middleware.js';

/**
 * `routes: 'nest'`: the auth APIs as a Nest route under `apiBasePath`, so the app's global and
 * module guards (`@nestjs/throttler`), interceptors, pipes and exception filters apply to them
 * like to any other route. The answer is the SDK's, written by the same code as the middleware
 * (byte-identical); a path the SDK does not serve is the 404 Nest gives an unknown route.
 * `@Public()`: a global AuthGuard must not ask for a session to sign in.
 */
@Controller()
@Public()
export class AuthRoutesController {
  constructor(@Inject(AuthMiddleware) private readonly auth: AuthMiddleware) {}

  /** Whether the auth APIs are served (not with `apis: false`). */
  private static mounted = false;

  /**
   * Sets the controller's path (relative to the global prefix) before Nest registers routes;
   * undefined (`apis: false`): a path no request reaches, and every answer a 404. The catch-all
   * is written in the platform's router syntax: path-to-regexp's `{*path}` on Express,
   * find-my-way's `*` on Fastify (Nest passes route paths to Fastify as they are).
   */
  static mountAt(path: string | undefined, platform: 'express' | 'fastify' = 'express'): void {
    AuthRoutesController.mounted = path !== undefined;
    Reflect.defineMetadata(
      PATH_METADATA,
      path ?? '__nest-supertokens-auth-apis-off__',
      AuthRoutesController,
    );
    Reflect.defineMetadata(
      PATH_METADATA,
      platform === 'fastify' ? '*' : '{*path}',
      Object.getOwnPropertyDescriptor(AuthRoutesController.prototype, 'handle')!.value as object,
    );
  }

  @All('{*path}')
  async handle(@Req() req: PlatformRequest, @Res() res: PlatformResponse): Promise<void> {
    const notFound = () =>
      new NotFoundException(`Cannot ${nodeRequest(req).method} ${originalUrl(req).split('?')[0]}`);
    if (!AuthRoutesController.mounted) throw notFound();
    let passed = false;
    await this.auth.use(req, res, () => {
      passed = true;
    });
    if (passed) throw notFound();
  }
}
