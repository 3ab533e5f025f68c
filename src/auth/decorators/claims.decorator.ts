import { SetMetadata } from '@nestjs/common';
import type { SessionClaimValidator } from 'supertokens-node/recipe/session';

/** How a list of roles or permissions must match. */
export interface ClaimMatchOptions {
  /** `all` (default): every one is needed; `any`: one is enough. */
  match?: 'all' | 'any';
  /**
   * Refetch the claim when the value in the token is older than this (seconds). The SDK's
   * default is 300; 0 asks the core on every request.
   */
  maxAgeInSeconds?: number;
}

export interface ClaimRequirement {
  values: string[];
  match: 'all' | 'any';
  maxAgeInSeconds?: number;
}

export const REQUIRED_ROLES = 'nest-supertokens:roles';
export const REQUIRED_PERMISSIONS = 'nest-supertokens:permissions';
export const REQUIRE_EMAIL_VERIFIED = 'nest-supertokens:email-verified';
export const CLAIM_VALIDATORS = 'nest-supertokens:claim-validators';

/** The arguments of `@Roles()` / `@Permissions()`: names, or a list of names and match options. */
export type ListArgs = string[] | [string[], ClaimMatchOptions?];

function requirement(args: ListArgs): ClaimRequirement {
  if (Array.isArray(args[0])) {
    const [values, options] = args as [string[], ClaimMatchOptions?];
    return { values, match: options?.match ?? 'all', maxAgeInSeconds: options?.maxAgeInSeconds };
  }
  return { values: args as string[], match: 'all' };
}

/**
 * Require roles (the `st-role` claim; needs `roles: true`). All of them by default.
 * On a class or a handler; the handler's list wins. A missing role answers 403 invalid claim.
 * @example @Roles('admin') or @Roles(['admin', 'editor'], { match: 'any' })
 */
export const Roles = (...roles: ListArgs): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, requirement(roles));

/**
 * Require permissions (the `st-perm` claim, from the user's roles; needs `roles: true`).
 * @example @Permissions('orders:write') or @Permissions(['a', 'b'], { match: 'any' })
 */
export const Permissions = (...permissions: ListArgs): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_PERMISSIONS, requirement(permissions));

/**
 * Require a verified email (the `st-ev` claim; needs `emailVerification`), also where the mode
 * is `OPTIONAL`. Unverified answers 403 invalid claim, which the frontend SDKs act on.
 */
export const RequireEmailVerified = (): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRE_EMAIL_VERIFIED, true);

/**
 * Attach claim validators of your own (any `SessionClaim`'s `validators.*`).
 * @example @RequireClaims(MyPlanClaim.validators.hasValue('pro'))
 */
export const RequireClaims = (
  ...validators: SessionClaimValidator[]
): MethodDecorator & ClassDecorator => SetMetadata(CLAIM_VALIDATORS, validators);
