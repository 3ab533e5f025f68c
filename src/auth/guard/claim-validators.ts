import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { SessionClaimValidator, VerifySessionOptions } from 'supertokens-node/recipe/session';
import { EmailVerificationClaim } from 'supertokens-node/recipe/emailverification';
import { MultiFactorAuthClaim } from 'supertokens-node/recipe/multifactorauth';
import { PermissionClaim, UserRoleClaim } from 'supertokens-node/recipe/userroles';
import {
  CLAIM_VALIDATORS,
  type ClaimRequirement,
  REQUIRE_EMAIL_VERIFIED,
  REQUIRED_PERMISSIONS,
  REQUIRED_ROLES,
} from '../decorators/claims.decorator.js';

type ArrayClaim = typeof UserRoleClaim;

function arrayValidator(claim: ArrayClaim, need: ClaimRequirement): SessionClaimValidator {
  return need.match === 'any'
    ? claim.validators.includesAny(need.values, need.maxAgeInSeconds)
    : claim.validators.includesAll(need.values, need.maxAgeInSeconds);
}

/** The claim validators the route's decorators ask for (handler metadata wins over the class's). */
export function routeClaimValidators(
  reflector: Reflector,
  context: ExecutionContext,
): SessionClaimValidator[] {
  const targets = [context.getHandler(), context.getClass()];
  const roles = reflector.getAllAndOverride<ClaimRequirement | undefined>(REQUIRED_ROLES, targets);
  const permissions = reflector.getAllAndOverride<ClaimRequirement | undefined>(
    REQUIRED_PERMISSIONS,
    targets,
  );
  const verified = reflector.getAllAndOverride<boolean | undefined>(
    REQUIRE_EMAIL_VERIFIED,
    targets,
  );
  const custom = reflector.getAllAndOverride<SessionClaimValidator[] | undefined>(
    CLAIM_VALIDATORS,
    targets,
  );
  return [
    ...(roles ? [arrayValidator(UserRoleClaim, roles)] : []),
    ...(permissions ? [arrayValidator(PermissionClaim, permissions)] : []),
    ...(verified ? [EmailVerificationClaim.validators.isVerified()] : []),
    ...(custom ?? []),
  ];
}

/** `options` with `extra` validators added after the global ones (and after the route's own override). */
export function withClaimValidators(
  options: VerifySessionOptions,
  extra: SessionClaimValidator[],
): VerifySessionOptions {
  if (extra.length === 0) return options;
  const own = options.overrideGlobalClaimValidators;
  return {
    ...options,
    overrideGlobalClaimValidators: async (globals, session, userContext) => [
      ...(own ? await own(globals, session, userContext) : globals),
      ...extra,
    ],
  };
}

/**
 * `options` with the MFA check (`st-mfa`, which the SDK adds to every session's global
 * validators) on or off for the route.
 */
export function withMfaRequirement(
  options: VerifySessionOptions,
  required: boolean,
): VerifySessionOptions {
  const own = options.overrideGlobalClaimValidators;
  return {
    ...options,
    overrideGlobalClaimValidators: async (globals, session, userContext) => {
      const rest = (own ? await own(globals, session, userContext) : globals).filter(
        (validator) => validator.id !== MultiFactorAuthClaim.key,
      );
      return required
        ? [...rest, MultiFactorAuthClaim.validators.hasCompletedMFARequirementsForAuth()]
        : rest;
    },
  };
}
