import { Logger } from '@nestjs/common';
import type { SuperTokensConfig } from 'supertokens-node';
import WebAuthn from 'supertokens-node/recipe/webauthn';
import type {
  APIInterface,
  APIOptions,
  TypeInputGetOrigin,
} from 'supertokens-node/recipe/webauthn/types';
import type { UserContext } from 'supertokens-node/types';
import type { AuthModuleOptions } from '../module/auth-options.interface.js';
import {
  webauthnOptions,
  webauthnSettings,
  webauthnWarnings,
} from '../module/webauthn-options.validation.js';
import type { AuthHooksRunner, AuthOverridesBinding } from '../hooks/auth-hooks.js';
import { webauthnApisWithHooks } from '../hooks/hooked-recipes.js';
import type { EmailService } from '../delivery/email-delivery.js';
import { beneathUserOverride, injected } from './recipe-overrides.js';

type Recipe = SuperTokensConfig['recipeList'][number];

/** The parts of the runtime the WebAuthn recipe is wired to. */
export interface WebAuthnWiring {
  /** The `emailDelivery.service` recovery emails go through (the module's `emailDelivery`). */
  email: EmailService;
  hooks?: AuthHooksRunner;
  overrides?: AuthOverridesBinding;
  /** The hardened profile: no email-exists API (it tells anyone which accounts exist). */
  hardened: boolean;
}

/**
 * The origin of a request: its `Origin` header when that is one of `origins`, else the first.
 * The core checks the browser's signed origin against it, so a page on a second origin needs its
 * own named here.
 */
function requestOrigin(origins: string[]): TypeInputGetOrigin {
  return ({ request }) => {
    const asked = request.getHeaderValue('origin')?.trim().toLowerCase();
    return Promise.resolve(origins.find((origin) => origin === asked) ?? origins[0]);
  };
}

/** What the sign-up and add-a-passkey APIs are called with, as far as the options go. */
interface WithOptions {
  webauthnGeneratedOptionsId: string;
  tenantId: string;
  options: APIOptions;
  userContext: UserContext;
}

/**
 * supertokens-node 24.0.3 throws "Should never come here" (a 500) when a sign-up or
 * `POST /webauthn/credential` names sign-in options, which carry no email: such a request gets
 * `INVALID_OPTIONS_ERROR`, as for other options of the wrong kind. The SDK's own read of the
 * options right after is answered from its per-request cache of core reads.
 */
function registrationOptionsOnly<I extends WithOptions, R>(
  api: ((input: I) => Promise<R>) | undefined,
): ((input: I) => Promise<R | { status: 'INVALID_OPTIONS_ERROR' }>) | undefined {
  return (
    api &&
    (async (input) => {
      const generated = await input.options.recipeImplementation.getGeneratedOptions({
        webauthnGeneratedOptionsId: input.webauthnGeneratedOptionsId,
        tenantId: input.tenantId,
        userContext: input.userContext,
      });
      if (generated.status === 'OK' && !generated.email) return { status: 'INVALID_OPTIONS_ERROR' };
      return api(input);
    })
  );
}

/** The SDK's APIs with the module's fixes, and without email-exists in the hardened profile. */
function moduleApis(original: APIInterface, hardened: boolean): APIInterface {
  return {
    ...original,
    signUpPOST: registrationOptionsOnly(original.signUpPOST),
    registerCredentialPOST: registrationOptionsOnly(original.registerCredentialPOST),
    ...(hardened && { emailExistsGET: undefined }),
  };
}

/**
 * `webauthn`: the SDK's WebAuthn recipe with the relying party id of the site (not the SDK's API
 * host), the origin of the request among the configured ones, recovery emails through the
 * module's delivery, and the app's hooks and injectable overrides beneath the user's own.
 */
export function webauthnRecipe(options: AuthModuleOptions, wiring: WebAuthnWiring): Recipe {
  const {
    relyingPartyId: _id,
    relyingPartyName,
    origin: _origin,
    ...sdk
  } = webauthnOptions(options) ?? {};
  // validateAuthOptions has refused a webauthn option without settings before this runs.
  const settings = webauthnSettings(options)!;
  const logger = new Logger('AuthModule');
  for (const warning of webauthnWarnings(settings)) logger.warn(warning);
  const { email, hooks, overrides, hardened } = wiring;
  return WebAuthn.init({
    ...sdk,
    getRelyingPartyId: settings.relyingPartyId,
    ...(relyingPartyName !== undefined && { getRelyingPartyName: relyingPartyName }),
    ...(settings.origins && { getOrigin: requestOrigin(settings.origins) }),
    emailDelivery: sdk.emailDelivery ?? { service: email },
    override: {
      ...sdk.override,
      functions: beneathUserOverride(sdk.override?.functions, (original) =>
        injected(overrides, 'webauthnFunctions', original),
      ),
      apis: beneathUserOverride(sdk.override?.apis, (original) => {
        const apis = moduleApis(original, hardened);
        const hooked = hooks ? webauthnApisWithHooks(apis, hooks) : apis;
        return injected(overrides, 'webauthnApis', hooked);
      }),
    },
  });
}
