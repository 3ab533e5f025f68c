import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import {
  REQUIRE_EMAIL_VERIFIED,
  REQUIRED_PERMISSIONS,
  REQUIRED_ROLES,
} from '../decorators/claims.decorator.js';
import { AuthConfigError } from '../errors/auth.errors.js';
import { sdkHasRecipe } from '../sdk/sdk-internals.js';
import { EmailVerificationService } from '../services/email-verification.service.js';
import { UserMetadataService } from '../services/user-metadata.service.js';
import { UserRolesService } from '../services/user-roles.service.js';
import { AUTH_RUNTIME } from './auth.constants.js';
import type { AuthRuntime } from './auth-runtime.interface.js';

/** A decorator that needs a recipe, and the option that turns the recipe on. */
const NEEDS = [
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

/** A recipe's service, and the option that turns the recipe on. */
const SERVICES = [
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
    const problems: string[] = [];
    const wrappers = [...this.discovery.getControllers(), ...this.discovery.getProviders()];
    for (const { metatype } of wrappers) {
      if (typeof metatype !== 'function') continue;
      const injected = (Reflect.getMetadata('design:paramtypes', metatype) ?? []) as unknown[];
      for (const service of SERVICES) {
        if (!injected.includes(service.type) || sdkHasRecipe(service.recipe)) continue;
        problems.push(
          `- ${metatype.name} injects ${service.type.name}: add ${service.option} to ` +
            'AuthModule.forRoot() (or its recipe to recipeList)',
        );
      }
    }
    return problems;
  }

  private missingRecipes(): string[] {
    const problems: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type || !wrapper.instance) continue;
      const prototype = Object.getPrototypeOf(wrapper.instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[method] as () => unknown;
        for (const need of NEEDS) {
          if (sdkHasRecipe(need.recipe)) continue;
          if (this.reflector.getAllAndOverride(need.key, [handler, type]) === undefined) continue;
          problems.push(
            `- ${need.decorator} on ${type.name}.${method}: add ${need.option} to ` +
              'AuthModule.forRoot() (or its recipe to recipeList)',
          );
        }
      }
    }
    return problems;
  }
}
