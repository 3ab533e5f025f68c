import { compare } from '@node-rs/bcrypt';
import type { APIInterface, RecipeInterface } from 'supertokens-node/recipe/emailpassword/types';
import Session from 'supertokens-node/recipe/session';

/**
 * A bcrypt hash (11 log rounds, the official core's default) of a password nobody knows: an
 * unknown email's sign-in is checked against it so that it costs what a known one costs.
 */
export const DECOY_PASSWORD_HASH = '$2b$11$.QWPE9uqh4WXU1IHbNpIIelwxgrIQrgT1MndIlXTUugv73zGTLoxK';

/** What `userContext` may carry into `EmailPassword.updateEmailOrPassword`. */
export interface PasswordChangeContext {
  /** The session that made the change (e.g. `session.getHandle()`): it stays signed in. */
  keepSessionHandle?: string;
}

const CHECKED = Symbol('nest-supertokens:credentials-checked');
type Marked = Record<string | symbol, unknown>;

export interface EmailPasswordHardening {
  /** Revoke a user's sessions when their password changes. */
  revokeSessionsOnPasswordChange: boolean;
  /** Run a decoy hash for sign-ins the SDK refuses without asking the core. */
  decoyHash: boolean;
  /** Verifies a password against a hash (the decoy): bcrypt on libuv's thread pool. */
  verify?: (password: string, hash: string) => Promise<unknown>;
}

/**
 * EmailPassword recipe functions, beneath the user's own overrides:
 * - a changed or reset password (the reset API, the dashboard, or your own call of
 *   `updateEmailOrPassword`) revokes every session of the user in every tenant, except
 *   `userContext.keepSessionHandle`: a stolen session or refresh token dies with the old password;
 * - `verifyCredentials` marks the request's userContext, so the API layer knows the core checked
 *   a password.
 */
export function hardenEmailPasswordFunctions(
  original: RecipeInterface,
  { revokeSessionsOnPasswordChange }: EmailPasswordHardening,
): RecipeInterface {
  return {
    ...original,
    verifyCredentials: (input) => {
      (input.userContext as Marked)[CHECKED] = true;
      return original.verifyCredentials(input);
    },
    updateEmailOrPassword: async (input) => {
      const result = await original.updateEmailOrPassword(input);
      if (
        result.status === 'OK' &&
        input.password !== undefined &&
        revokeSessionsOnPasswordChange
      ) {
        const keep = (input.userContext as PasswordChangeContext).keepSessionHandle;
        const handles = await Session.getAllSessionHandlesForUser(
          input.recipeUserId.getAsString(),
          true,
          undefined,
          input.userContext,
        );
        const revoke = handles.filter((handle) => handle !== keep);
        if (revoke.length > 0) await Session.revokeMultipleSessions(revoke, input.userContext);
      }
      return result;
    },
  };
}

/**
 * The EmailPassword sign-in API, beneath the user's own overrides. supertokens-node answers an
 * unknown email (no emailpassword login to check) without asking the core, so no password is
 * hashed: ~2 ms against ~70 ms for a known one, which tells an attacker which emails have
 * accounts. When the core was not asked, a decoy hash of the same cost runs before the answer.
 */
export function hardenEmailPasswordApis(
  original: APIInterface,
  { decoyHash, verify = compare }: EmailPasswordHardening,
): APIInterface {
  if (!decoyHash || !original.signInPOST) return original;
  return {
    ...original,
    signInPOST: async (input) => {
      // Called on `original`: the SDK's override proxies need their `this`.
      const result = await original.signInPOST!(input);
      if (
        'status' in result &&
        result.status === 'WRONG_CREDENTIALS_ERROR' &&
        !(input.userContext as Marked)[CHECKED]
      ) {
        const password = input.formFields.find((field) => field.id === 'password')?.value;
        await verify(typeof password === 'string' ? password : '', DECOY_PASSWORD_HASH).catch(
          () => false,
        );
      }
      return result;
    },
  };
}
