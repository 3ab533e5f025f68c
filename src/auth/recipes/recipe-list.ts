import { Logger } from '@nestjs/common';
import type { SuperTokensConfig } from 'supertokens-node';
import AccountLinking from 'supertokens-node/recipe/accountlinking';
import Dashboard from 'supertokens-node/recipe/dashboard';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import EmailVerification from 'supertokens-node/recipe/emailverification';
import Multitenancy from 'supertokens-node/recipe/multitenancy';
import Passwordless from 'supertokens-node/recipe/passwordless';
import Session from 'supertokens-node/recipe/session';
import ThirdParty from 'supertokens-node/recipe/thirdparty';
import UserMetadata from 'supertokens-node/recipe/usermetadata';
import UserRoles from 'supertokens-node/recipe/userroles';
import type {
  AccountLinkingOptions,
  AuthDashboardOptions,
  AuthModuleOptions,
} from '../module/auth-options.interface.js';
import {
  hardenEmailPasswordApis,
  hardenEmailPasswordFunctions,
} from '../security/emailpassword-hardening.js';
import { sdkRequestPath } from '../utils/request-path.util.js';
import { editDashboardPage } from '../dashboard/dashboard-page.js';
import type { AuthHooksRunner, AuthOverridesBinding } from '../hooks/auth-hooks.js';
import { beneathUserOverride, injected } from './recipe-overrides.js';
import {
  emailPasswordApisWithHooks,
  emailVerificationApisWithHooks,
  passwordlessApisWithHooks,
  thirdPartyApisWithHooks,
  sessionApisWithHooks,
  sessionFunctionsWithHooks,
} from '../hooks/hooked-recipes.js';
import type { DashboardSettings } from '../dashboard/dashboard-settings.js';
import type { VerifiedTokenCache } from '../guard/verified-token.cache.js';
import { securitySettings, type SecuritySettings } from '../security/security-profile.js';
import { withAbsoluteLifetime } from '../security/session-lifetime.js';
import { mfaRecipes } from './mfa-recipes.js';
import { webauthnRecipe } from './webauthn-recipe.js';
import type { EmailServices } from '../delivery/provider-delivery.js';
import type { SmsService } from '../delivery/sms-delivery.js';

type SessionConfig = NonNullable<AuthModuleOptions['session']>;

/**
 * The user's Session config with, under their own overrides, the verified-token cache and the
 * absolute session lifetime; anti-CSRF tokens on in the hardened profile unless they chose.
 */
function sessionConfig(
  options: AuthModuleOptions,
  security: SecuritySettings,
  cache?: VerifiedTokenCache,
  hooks?: AuthHooksRunner,
  overrides?: AuthOverridesBinding,
): SessionConfig {
  const session = options.session ?? {};
  const lifetime = security.absoluteSessionLifetime;
  const antiCsrf = session.antiCsrf ?? (security.hardened ? 'VIA_TOKEN' : undefined);
  if (!cache && lifetime === false && antiCsrf === session.antiCsrf && !hooks && !overrides) {
    return session;
  }
  return {
    ...session,
    ...(antiCsrf && { antiCsrf }),
    override: {
      ...session.override,
      functions: beneathUserOverride(session.override?.functions, (original) => {
        const cached = cache ? cache.wrap(original) : original;
        const limited = lifetime === false ? cached : withAbsoluteLifetime(cached, lifetime);
        const hooked = hooks ? sessionFunctionsWithHooks(limited, hooks) : limited;
        return injected(overrides, 'sessionFunctions', hooked);
      }),
      ...((hooks || overrides) && {
        apis: beneathUserOverride(session.override?.apis, (original) =>
          injected(
            overrides,
            'sessionApis',
            hooks ? sessionApisWithHooks(original, hooks) : original,
          ),
        ),
      }),
    },
  };
}

/** The parts of the runtime the recipes are wired to. */
export interface RecipeWiring {
  cache?: VerifiedTokenCache;
  /** What the module made of the `dashboard` option (undefined when it is off). */
  dashboard?: DashboardSettings;
  /** Each recipe's SDK `emailDelivery.service`, built from `options.emailDelivery`. */
  email: EmailServices;
  /** The SDK `smsDelivery.service` built from `options.smsDelivery` (with passwordless only). */
  sms?: SmsService;
  /** Runs the app's `hooks` and `auth.*` events after auth events (a no-op without either). */
  hooks?: AuthHooksRunner;
  /** The app's `overrides` class (only when the option is set). */
  overrides?: AuthOverridesBinding;
}

/**
 * `Dashboard.init` (the SDK normalises `admins` the way the core stores dashboard emails) with a
 * 401 for requests without a session id, the bundle location and the page edits (see
 * `dashboardSettings`), beneath the user's overrides.
 */
function dashboardRecipe(
  {
    bundleLocation: _location,
    bundleDir: _dir,
    allowExternal: _external,
    users: _users,
    csp: _csp,
    ...sdk
  }: AuthDashboardOptions,
  settings: DashboardSettings,
) {
  const { sdkBundleLocation, pageEdits } = settings;
  return Dashboard.init({
    ...sdk,
    override: {
      ...sdk.override,
      apis: beneathUserOverride(sdk.override?.apis, (original) =>
        !original.dashboardGET
          ? original
          : {
              ...original,
              dashboardGET: async (input) =>
                editDashboardPage(await original.dashboardGET!(input), pageEdits),
            },
      ),
      functions: beneathUserOverride(sdk.override?.functions, (original) => ({
        ...original,
        // Without a bearer session id the SDK would still ask the core, whose 400 for the
        // missing id the SDK turns into a 500: a request without credentials is a 401.
        shouldAllowAccess: (input) => {
          const token = input.req.getHeaderValue('authorization')?.split(' ')[1]?.trim();
          if (!input.config.apiKey && !token) return Promise.resolve(false);
          // supertokens-node 24.0.3 lets a read-only login (not in `admins`) write when the URL
          // *ends with* /api/signout or /api/analytics, query string included: `?x=/api/signout`
          // opened every write API, password changes among them. Decide on the routed path.
          const path = sdkRequestPath(input.req.getOriginalURL());
          const req = Object.create(input.req, {
            getOriginalURL: { value: () => path },
          }) as typeof input.req;
          return original.shouldAllowAccess({ ...input, req });
        },
        ...(sdkBundleLocation && {
          getDashboardBundleLocation: () => Promise.resolve(sdkBundleLocation),
        }),
      })),
    },
  });
}

const config = <T extends object>(value: boolean | T | undefined): T | undefined =>
  typeof value === 'object' ? value : undefined;

/** Account-linking set-ups that work, but not as their authors likely expect. */
function warnAboutLinking(options: AuthModuleOptions): void {
  const linking = options.accountLinking === true ? {} : options.accountLinking || {};
  const logger = new Logger('AuthModule');
  if (linking.automatic !== false && linking.requireVerification === false) {
    logger.warn(
      'accountLinking.requireVerification is false: whoever signs up first with someone ' +
        "else's email gets their account when they later sign in with that email elsewhere. " +
        'Keep it unless every login method you offer proves the email.',
    );
  }
  if (options.emailPassword !== false && !options.emailVerification) {
    logger.warn(
      'accountLinking without emailVerification: email-password accounts are never verified, ' +
        'so they are never linked automatically (and a password sign-up with the email of a ' +
        'verified social user is refused). Add emailVerification: { mode: ... }.',
    );
  }
}

/**
 * `accountLinking`: the SDK's AccountLinking recipe, with `automatic` and `requireVerification`
 * turned into its `shouldDoAutomaticAccountLinking` answer.
 */
function accountLinkingRecipe(
  option: true | AccountLinkingOptions,
): ReturnType<typeof AccountLinking.init> {
  const {
    automatic = true,
    requireVerification = true,
    onAccountLinked,
  } = option === true ? {} : option;
  return AccountLinking.init({
    shouldDoAutomaticAccountLinking: async (newAccount, user, session, tenantId) => {
      const link =
        typeof automatic === 'function'
          ? await automatic({ newAccount, user, tenantId, session })
          : automatic;
      return link
        ? { shouldAutomaticallyLink: true, shouldRequireVerification: requireVerification }
        : { shouldAutomaticallyLink: false };
    },
    ...(onAccountLinked && {
      onAccountLinked: async (user, newAccount) => {
        await onAccountLinked(user, newAccount);
      },
    }),
  });
}

/** The SDK recipes the options ask for, then the user's own `recipeList`. */
export function buildRecipeList(
  options: AuthModuleOptions,
  { cache, dashboard, email, sms, hooks, overrides }: RecipeWiring,
): SuperTokensConfig['recipeList'] {
  const list: SuperTokensConfig['recipeList'] = [];
  const security = securitySettings(options);
  const { emailPassword = true } = options;
  if (emailPassword !== false) {
    const own = config(emailPassword);
    const hardening = {
      revokeSessionsOnPasswordChange: security.revokeSessionsOnPasswordChange,
      decoyHash: security.equalSignInTiming,
      hardened: security.hardened,
    };
    list.push(
      EmailPassword.init({
        ...own,
        emailDelivery: own?.emailDelivery ?? { service: email.emailPassword },
        override: {
          ...own?.override,
          functions: beneathUserOverride(own?.override?.functions, (original) =>
            injected(
              overrides,
              'emailPasswordFunctions',
              hardenEmailPasswordFunctions(original, hardening),
            ),
          ),
          apis: beneathUserOverride(own?.override?.apis, (original) => {
            const hardened = hardenEmailPasswordApis(original, hardening);
            const hooked = hooks ? emailPasswordApisWithHooks(hardened, hooks) : hardened;
            return injected(overrides, 'emailPasswordApis', hooked);
          }),
        },
      }),
    );
  }
  if (options.passwordless) {
    const own = options.passwordless;
    list.push(
      Passwordless.init({
        ...own,
        override: {
          ...own.override,
          apis: beneathUserOverride(own.override?.apis, (original) => {
            const apis = security.hardened
              ? { ...original, emailExistsGET: undefined, phoneNumberExistsGET: undefined }
              : original;
            const hooked = hooks ? passwordlessApisWithHooks(apis, hooks) : apis;
            return injected(overrides, 'passwordlessApis', hooked);
          }),
          functions: beneathUserOverride(own.override?.functions, (original) =>
            injected(overrides, 'passwordlessFunctions', original),
          ),
        },
        emailDelivery: own.emailDelivery ?? { service: email.passwordless },
        smsDelivery: own.smsDelivery ?? (sms && { service: sms }),
      }),
    );
  }
  if (options.thirdParty) {
    const { providers, ...own } = options.thirdParty;
    list.push(
      ThirdParty.init({
        ...own,
        signInAndUpFeature: { providers },
        ...(hooks && {
          override: {
            ...own.override,
            apis: beneathUserOverride(own.override?.apis, (original) =>
              thirdPartyApisWithHooks(original, hooks),
            ),
          },
        }),
      }),
    );
  }
  if (options.webauthn) {
    list.push(
      webauthnRecipe(options, {
        email: email.webauthn,
        hooks,
        overrides,
        hardened: security.hardened,
      }),
    );
  }
  if (options.emailVerification) {
    const own = options.emailVerification;
    list.push(
      EmailVerification.init({
        ...own,
        emailDelivery: own.emailDelivery ?? { service: email.emailVerification },
        ...((hooks || overrides) && {
          override: {
            ...own.override,
            apis: beneathUserOverride(own.override?.apis, (original) =>
              injected(
                overrides,
                'emailVerificationApis',
                hooks ? emailVerificationApisWithHooks(original, hooks) : original,
              ),
            ),
            functions: beneathUserOverride(own.override?.functions, (original) =>
              injected(overrides, 'emailVerificationFunctions', original),
            ),
          },
        }),
      }),
    );
  }
  if (options.roles) list.push(UserRoles.init(config(options.roles)));
  if (options.metadata) list.push(UserMetadata.init(config(options.metadata)));
  const allowedDomains =
    typeof options.multitenancy === 'object' ? options.multitenancy.allowedDomains : undefined;
  if (allowedDomains) {
    list.push(
      Multitenancy.init({
        getAllowedDomainsForTenantId: async (tenantId) => await allowedDomains(tenantId),
      }),
    );
  }
  if (options.accountLinking) {
    warnAboutLinking(options);
    list.push(accountLinkingRecipe(options.accountLinking));
  }
  if (options.mfa) list.push(...mfaRecipes({ ...options, mfa: options.mfa }));
  if (dashboard) list.push(dashboardRecipe(config(options.dashboard) ?? {}, dashboard));
  list.push(Session.init(sessionConfig(options, security, cache, hooks, overrides)));
  list.push(...(options.recipeList ?? []));
  return list;
}
