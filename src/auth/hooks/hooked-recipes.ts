import type { APIInterface as EmailPasswordApis } from 'supertokens-node/recipe/emailpassword/types';
import type { APIInterface as EmailVerificationApis } from 'supertokens-node/recipe/emailverification/types';
import type { APIInterface as PasswordlessApis } from 'supertokens-node/recipe/passwordless/types';
import type {
  APIInterface as SessionApis,
  RecipeInterface as SessionFunctions,
  SessionContainer,
} from 'supertokens-node/recipe/session';
import type { AuthHooksRunner } from './auth-hooks.js';

/** The SDK API overrides that call the app's hooks after each successful auth event. */

const sessionEvent = (session: SessionContainer) => ({
  userId: session.getUserId(),
  recipeUserId: session.getRecipeUserId().getAsString(),
  tenantId: session.getTenantId(),
  sessionHandle: session.getHandle(),
});

export function emailPasswordApisWithHooks(
  original: EmailPasswordApis,
  hooks: AuthHooksRunner,
): EmailPasswordApis {
  const { signUpPOST, signInPOST, passwordResetPOST } = original;
  return {
    ...original,
    signUpPOST:
      signUpPOST &&
      (async (input) => {
        const result = await signUpPOST(input);
        if (result.status === 'OK') {
          await hooks.run('afterSignUp', {
            user: result.user,
            recipeUserId: result.session.getRecipeUserId().getAsString(),
            tenantId: input.tenantId,
            recipe: 'emailpassword',
          });
        }
        return result;
      }),
    signInPOST:
      signInPOST &&
      (async (input) => {
        const result = await signInPOST(input);
        if (result.status === 'OK') {
          await hooks.run('afterSignIn', {
            user: result.user,
            recipeUserId: result.session.getRecipeUserId().getAsString(),
            tenantId: input.tenantId,
            recipe: 'emailpassword',
          });
        }
        return result;
      }),
    passwordResetPOST:
      passwordResetPOST &&
      (async (input) => {
        const result = await passwordResetPOST(input);
        if (result.status === 'OK') {
          await hooks.run('afterPasswordReset', {
            user: result.user,
            email: result.email,
            tenantId: input.tenantId,
          });
        }
        return result;
      }),
  };
}

export function passwordlessApisWithHooks(
  original: PasswordlessApis,
  hooks: AuthHooksRunner,
): PasswordlessApis {
  const { consumeCodePOST } = original;
  return {
    ...original,
    consumeCodePOST:
      consumeCodePOST &&
      (async (input) => {
        const result = await consumeCodePOST(input);
        if (result.status === 'OK') {
          await hooks.run(result.createdNewRecipeUser ? 'afterSignUp' : 'afterSignIn', {
            user: result.user,
            recipeUserId: result.session.getRecipeUserId().getAsString(),
            tenantId: input.tenantId,
            recipe: 'passwordless',
          });
        }
        return result;
      }),
  };
}

export function emailVerificationApisWithHooks(
  original: EmailVerificationApis,
  hooks: AuthHooksRunner,
): EmailVerificationApis {
  const { verifyEmailPOST } = original;
  return {
    ...original,
    verifyEmailPOST:
      verifyEmailPOST &&
      (async (input) => {
        const result = await verifyEmailPOST(input);
        if (result.status === 'OK') {
          await hooks.run('afterEmailVerified', {
            recipeUserId: result.user.recipeUserId.getAsString(),
            email: result.user.email,
            tenantId: input.tenantId,
          });
        }
        return result;
      }),
  };
}

export function sessionApisWithHooks(original: SessionApis, hooks: AuthHooksRunner): SessionApis {
  const { signOutPOST } = original;
  return {
    ...original,
    signOutPOST:
      signOutPOST &&
      (async (input) => {
        // Read before the session is revoked.
        const event = sessionEvent(input.session);
        const result = await signOutPOST(input);
        if (result.status === 'OK') await hooks.run('afterSignOut', event);
        return result;
      }),
  };
}

export function sessionFunctionsWithHooks(
  original: SessionFunctions,
  hooks: AuthHooksRunner,
): SessionFunctions {
  return {
    ...original,
    createNewSession: async (input) => {
      const session = await original.createNewSession(input);
      await hooks.run('afterSessionCreated', sessionEvent(session));
      return session;
    },
  };
}
