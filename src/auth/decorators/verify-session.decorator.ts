import { SetMetadata } from '@nestjs/common';
import type { VerifySessionOptions } from 'supertokens-node/recipe/session';
import { VERIFY_SESSION_OPTIONS } from '../module/auth.constants.js';

/**
 * How `AuthGuard` verifies the session of a route or controller (the handler's options win):
 * - `sessionRequired: false` lets requests without a session through (`@Session()` is then undefined);
 * - `checkDatabase: true` asks the core on every request, so a revoked session is refused at once;
 * - `antiCsrfCheck` forces the anti-CSRF check on or off;
 * - `overrideGlobalClaimValidators` adds or removes claim checks (roles, email verification, ...);
 * - `mfa` (with the `mfa` option): whether the route needs the required second factors done, as
 *   `@RequireMfa()` says it.
 * @example @VerifySession({ checkDatabase: true }) @Delete('account') remove() { ... }
 */
export const VerifySession = (
  options: VerifySessionOptions & { mfa?: boolean },
): MethodDecorator & ClassDecorator => SetMetadata(VERIFY_SESSION_OPTIONS, options);
