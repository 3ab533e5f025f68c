import { Inject, Injectable, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { REQUIRED_TENANT } from '../decorators/tenant.decorator.js';
import { REQUIRE_MFA } from '../decorators/mfa.decorator.js';
import { MfaService } from '../services/mfa.service.js';
import { MultitenancyService } from '../services/multitenancy.service.js';
import { AccountLinkingService } from '../services/account-linking.service.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import {
  REQUIRE_EMAIL_VERIFIED,
  REQUIRED_PERMISSIONS,
  REQUIRED_ROLES,
} from '../decorators/claims.decorator.js';
import { AuthConfigError } from '../errors/auth.errors.js';
import { sdkHasRecipe } from '../sdk/sdk-internals.js';
import { classesInjecting, controllerMethods } from '../utils/discovery.util.js';
import { EmailVerificationService } from '../services/email-verification.service.js';
import { UserMetadataService } from '../services/user-metadata.service.js';
import { UserRolesService } from '../services/user-roles.service.js';
import { AUTH_RUNTIME } from './auth.constants.js';
import type { AuthRuntime } from './auth-runtime.interface.js';

const multitenancyOn = (runtime: AuthRuntime): boolean => Boolean(runtime.options.multitenancy);
const mfaOn = (runtime: AuthRuntime): boolean => Boolean(runtime.options.mfa);
const MFA_OPTION =
  "mfa: { requiredSecondaryFactors: ['totp'], totp: true } (or the factors you need)";

/** A decorator that needs a recipe (or an option), and the option that turns it on. */
const NEEDS: {
  key: string;
  decorator: string;
  recipe?: string;
  on?: (runtime: AuthRuntime) => boolean;
  option: string;
}[] = [
  {
    key: REQUIRED_TENANT,
    decorator: '@RequireTenant()',
    on: multitenancyOn,
    option: 'multitenancy: true',
  },
  { key: REQUIRE_MFA, decorator: '@RequireMfa()', on: mfaOn, option: MFA_OPTION },
  { key: REQUIRED_ROLES, decorator: '@Roles()', recipe: 'userroles', option: 'roles: true' },
  {
    key: REQUIRED_PERMISSIONS,
    decorator: '@Permissions()',
    recipe: 'userroles',
    option: 'roles: true',
  },
  {
    key: REQUIRE_EMAIL_VERIFIED,
    decorator: '@RequireEmailVerified()',
    recipe: 'emailverification',
    option: "emailVerification: { mode: 'REQUIRED' | 'OPTIONAL' }",
  },
];

/** A recipe's service, and the option that turns the recipe (or the feature) on. */
const SERVICES: {
  type: Type;
  recipe?: string;
  on?: (runtime: AuthRuntime) => boolean;
  option: string;
}[] = [
  { type: MultitenancyService, on: multitenancyOn, option: 'multitenancy: true' },
  {
    type: AccountLinkingService,
    on: (runtime) => Boolean(runtime.options.accountLinking),
    option: 'accountLinking: true (or { automatic: false } to link only by hand)',
  },
  { type: MfaService, on: mfaOn, option: MFA_OPTION },
  { type: UserRolesService, recipe: 'userroles', option: 'roles: true' },
  { type: UserMetadataService, recipe: 'usermetadata', option: 'metadata: true' },
  {
    type: EmailVerificationService,
    recipe: 'emailverification',
    option: "emailVerification: { mode: 'REQUIRED' | 'OPTIONAL' }",
  },
];

/**
 * Start-up checks of how the app uses the module, once every controller is known: a route
 * decorator or an injected service whose recipe is off would answer with the SDK's 500
 * ("Initialisation not done"). All problems are reported together, each with the route or class
 * and the option that fixes it.
 */
@Injectable()
export class AuthUsageCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(AUTH_RUNTIME) private readonly runtime: AuthRuntime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const problems = [...this.missingRecipes(), ...this.servicesWithoutRecipes()];
    if (problems.length === 0) return;
    // The app will not start: free the SDK and stop the embedded core now.
    await this.runtime.close();
    throw new AuthConfigError(
      `AuthModule: the app uses recipes that are off:\n${problems.join('\n')}`,
    );
  }

  /** Providers and controllers that inject a recipe's service while the recipe is off. */
  private servicesWithoutRecipes(): string[] {
    return SERVICES.filter((service) => !this.isOn(service)).flatMap((service) =>
      classesInjecting(this.discovery, service.type).map(
        (name) =>
          `- ${name} injects ${service.type.name}: add ${service.option} to ` +
          'AuthModule.forRoot() (or its recipe to recipeList)',
      ),
    );
  }

  private isOn(need: { recipe?: string; on?: (runtime: AuthRuntime) => boolean }): boolean {
    return need.on ? need.on(this.runtime) : sdkHasRecipe(need.recipe!);
  }

  /** Route decorators whose recipe is off. */
  private missingRecipes(): string[] {
    const needed = NEEDS.filter((need) => !this.isOn(need));
    return controllerMethods(this.discovery, this.scanner).flatMap(
      ({ controller, name, handler }) =>
        needed
          .filter(
            (need) =>
              this.reflector.getAllAndOverride(need.key, [handler, controller]) !== undefined,
          )
          .map(
            (need) =>
              `- ${need.decorator} on ${controller.name}.${name}: add ${need.option} to ` +
              'AuthModule.forRoot() (or its recipe to recipeList)',
          ),
    );
  }
}
