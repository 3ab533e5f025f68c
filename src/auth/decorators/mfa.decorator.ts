import { SetMetadata } from '@nestjs/common';

export const REQUIRE_MFA = 'nest-supertokens:mfa';

/**
 * Whether a route needs the session's required second factors done (the `st-mfa` claim; needs
 * `mfa`). Unfinished answers 403 invalid claim, which the frontend SDKs turn into the factor step.
 * With `mfa.requiredOn: 'marked-routes'` only routes with `@RequireMfa()` need it; with the
 * default `every-route`, `@RequireMfa(false)` exempts a route (the page that shows the step).
 * On a class or a handler; the handler's wins.
 * @example @RequireMfa() @Get('billing') billing() { ... }
 */
export const RequireMfa = (required = true): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRE_MFA, required);
