import type { SuperTokensConfig } from 'supertokens-node';
import AccountLinking from 'supertokens-node/recipe/accountlinking';
import MultiFactorAuth from 'supertokens-node/recipe/multifactorauth';
import TOTP from 'supertokens-node/recipe/totp';
import type { AuthModuleOptions, MfaOptions } from '../module/auth-options.interface.js';

type Recipes = SuperTokensConfig['recipeList'];

/**
 * `mfa`'s recipes: MultiFactorAuth (our required factors added to the tenant's and the user's),
 * TOTP when asked for, and, when the app did not configure account linking, the linking factor
 * set-up needs (a second factor's login method joins the session's user, and nothing else links:
 * SuperTokens' documented MFA-only set-up).
 */
export function mfaRecipes(options: AuthModuleOptions & { mfa: MfaOptions }): Recipes {
  const { firstFactors, requiredSecondaryFactors: required, totp } = options.mfa;
  const recipes: Recipes = [
    MultiFactorAuth.init({
      ...(firstFactors && { firstFactors }),
      ...(required && {
        override: {
          functions: (original) => ({
            ...original,
            getMFARequirementsForAuth: async (input) => {
              const ours =
                typeof required === 'function'
                  ? await required({
                      user: await input.user,
                      tenantId: input.tenantId,
                      factorsSetUp: await input.factorsSetUpForUser,
                    })
                  : required;
              const tenant = await input.requiredSecondaryFactorsForTenant;
              return original.getMFARequirementsForAuth({
                ...input,
                requiredSecondaryFactorsForTenant: Promise.resolve([...tenant, ...ours]),
              });
            },
          }),
        },
      }),
    }),
  ];
  if (totp) {
    const own = totp === true ? {} : totp;
    recipes.push(
      TOTP.init({
        ...(own.issuer !== undefined && { issuer: own.issuer }),
        ...(own.period !== undefined && { defaultPeriod: own.period }),
        ...(own.skew !== undefined && { defaultSkew: own.skew }),
      }),
    );
  }
  if (!options.accountLinking) {
    recipes.push(
      AccountLinking.init({
        shouldDoAutomaticAccountLinking: (_account, user, session) =>
          Promise.resolve(
            session !== undefined && (user === undefined || user.id === session.getUserId())
              ? { shouldAutomaticallyLink: true, shouldRequireVerification: false }
              : { shouldAutomaticallyLink: false },
          ),
      }),
    );
  }
  return recipes;
}
