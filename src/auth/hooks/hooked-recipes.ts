import type { APIInterface as EmailPasswordApis } from 'supertokens-node/recipe/emailpassword/types';
import type { APIInterface as EmailVerificationApis } from 'supertokens-node/recipe/emailverification/types';
import type { APIInterface as PasswordlessApis } from 'supertokens-node/recipe/passwordless/types';
import type { APIInterface as ThirdPartyApis } from 'supertokens-node/recipe/thirdparty/types';
import type { APIInterface as WebAuthnApis } from 'supertokens-node/recipe/webauthn/types';
import type {
  APIInterface as SessionApis,
  RecipeInterface as SessionFunctions,
  SessionContainer,
} from 'supertokens-node/recipe/session';
import type { AuthHooksRunner, AuthUserEvent } from './auth-hooks.js';

/** The SDK API overrides that call the app's hooks after each successful auth event. */

type Ok<R> = Extract<R, { status: 'OK' }>;

/**
 * An SDK API function that, after the original answered `OK`, runs `then` before answering.
 * Undefined stays undefined (a disabled API stays disabled).
 */
function afterOk<I, R extends { status: string }>(
  api: ((input: I) => Promise<R>) | undefined,
  then: (result: Ok<R>, input: I) => Promise<void>,
): ((input: I) => Promise<R>) | undefined {
  return (
    api &&
    (async (input) => {
      const result = await api(input);
      if (result.status === 'OK') await then(result as Ok<R>, input);
      return result;
    })
  );
}

const sessionEvent = (session: SessionContainer) => ({
  userId: session.getUserId(),
  recipeUserId: session.getRecipeUserId().getAsString(),
  tenantId: session.getTenantId(),
  sessionHandle: session.getHandle(),
});

/** The event of a sign-up or sign-in answered `OK` (with its user and new session). */
const userEvent = (
  result: { user: AuthUserEvent['user']; session: SessionContainer },
  input: { tenantId: string },
  recipe: AuthUserEvent['recipe'],
): AuthUserEvent => ({
  user: result.user,
  recipeUserId: result.session.getRecipeUserId().getAsString(),
  tenantId: input.tenantId,
  recipe,
});

export function emailPasswordApisWithHooks(
  original: EmailPasswordApis,
  hooks: AuthHooksRunner,
): EmailPasswordApis {
  return {
    ...original,
    signUpPOST: afterOk(original.signUpPOST, (result, input) =>
      hooks.run('afterSignUp', userEvent(result, input, 'emailpassword')),
    ),
    signInPOST: afterOk(original.signInPOST, (result, input) =>
      hooks.run('afterSignIn', userEvent(result, input, 'emailpassword')),
    ),
    passwordResetPOST: afterOk(original.passwordResetPOST, (result, input) =>
      hooks.run('afterPasswordReset', {
        user: result.user,
        email: result.email,
        tenantId: input.tenantId,
      }),
    ),
  };
}

export function passwordlessApisWithHooks(
  original: PasswordlessApis,
  hooks: AuthHooksRunner,
): PasswordlessApis {
  return {
    ...original,
    consumeCodePOST: afterOk(original.consumeCodePOST, (result, input) =>
      hooks.run(
        result.createdNewRecipeUser ? 'afterSignUp' : 'afterSignIn',
        userEvent(result, input, 'passwordless'),
      ),
    ),
  };
}

export function thirdPartyApisWithHooks(
  original: ThirdPartyApis,
  hooks: AuthHooksRunner,
): ThirdPartyApis {
  return {
    ...original,
    signInUpPOST: afterOk(original.signInUpPOST, (result, input) =>
      hooks.run(
        result.createdNewRecipeUser ? 'afterSignUp' : 'afterSignIn',
        userEvent(result, input, 'thirdparty'),
      ),
    ),
  };
}

/** Passkey sign-ups and sign-ins (an account recovery signs nobody in: no hook). */
export function webauthnApisWithHooks(
  original: WebAuthnApis,
  hooks: AuthHooksRunner,
): WebAuthnApis {
  return {
    ...original,
    signUpPOST: afterOk(original.signUpPOST, (result, input) =>
      hooks.run('afterSignUp', userEvent(result, input, 'webauthn')),
    ),
    signInPOST: afterOk(original.signInPOST, (result, input) =>
      hooks.run('afterSignIn', userEvent(result, input, 'webauthn')),
    ),
  };
}

export function emailVerificationApisWithHooks(
  original: EmailVerificationApis,
  hooks: AuthHooksRunner,
): EmailVerificationApis {
  return {
    ...original,
    verifyEmailPOST: afterOk(original.verifyEmailPOST, (result, input) =>
      hooks.run('afterEmailVerified', {
        recipeUserId: result.user.recipeUserId.getAsString(),
        email: result.user.email,
        tenantId: input.tenantId,
      }),
    ),
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
