import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import supertokens from 'supertokens-node';

/**
 * CORS for a frontend on another origin: the SDK's headers (`rid`, `fdi-version`,
 * `anti-csrf`, `st-auth-mode`, ...), `Content-Type`, credentials allowed, and the SDK's response
 * headers exposed so header-based sessions work. Call it after `AuthModule` has initialised
 * (after `NestFactory.create`).
 * @example app.enableCors(superTokensCors({ origin: 'http://localhost:5173' }))
 */
export function superTokensCors(options: {
  origin: CorsOptions['origin'];
  allowedHeaders?: string[];
}): CorsOptions {
  return {
    origin: options.origin,
    credentials: true,
    allowedHeaders: [
      'content-type',
      ...supertokens.getAllCORSHeaders(),
      ...(options.allowedHeaders ?? []),
    ],
    exposedHeaders: ['front-token', 'st-access-token', 'st-refresh-token', 'anti-csrf'],
  };
}
