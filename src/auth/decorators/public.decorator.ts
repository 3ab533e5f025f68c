import { SetMetadata } from '@nestjs/common';
import { PUBLIC_ROUTE } from '../module/auth.constants.js';

/**
 * Opens a route (or every route of a controller) under `globalGuard: true`: `AuthGuard` lets
 * the request through without looking for a session.
 * @example @Public() @Get('health') health() { ... }
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
