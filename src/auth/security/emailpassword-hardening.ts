import { randomUUID } from 'node:crypto';
import { compare } from '@node-rs/bcrypt';
import type { APIInterface, RecipeInterface } from 'supertokens-node/recipe/emailpassword/types';
import Session from 'supertokens-node/recipe/session';
import { BCRYPT_MAX_PASSWORD_BYTES } from './security-profile.js';

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

type FormFields = { id: string; value: unknown }[];

/** A form field's value when it is a string, else ''. */
const formText = (fields: FormFields, id: string): string => {
  const value = fields.find((field) => field.id === id)?.value;
  return typeof value === 'string' ? value : '';
};

/** Whether bcrypt would ignore part of the password (it reads the first 72 bytes). */
const cutByBcrypt = (password: string): boolean =>
  Buffer.byteLength(password) > BCRYPT_MAX_PASSWORD_BYTES;

const CHECKED = Symbol('nest-supertokens:credentials-checked');
const TOKEN_MADE = Symbol('nest-supertokens:reset-token-made');
type Marked = Record<string | symbol, unknown>;

export interface EmailPasswordHardening {
  /** Revoke a user's sessions when their password changes. */
  revokeSessionsOnPasswordChange: boolean;
  /** Run a decoy hash for sign-ins the SDK refuses without asking the core. */
  decoyHash: boolean;
  /** The hardened profile: passwords over 72 bytes refused, no email-exists endpoint. */
  hardened?: boolean;
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
    createResetPasswordToken: (input) => {
      (input.userContext as Marked)[TOKEN_MADE] = true;
      return original.createResetPasswordToken(input);
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
  hardening: EmailPasswordHardening,
): APIInterface {
  const apis = hardening.hardened ? hardenedApis(original) : original;
  return hardening.decoyHash ? withResetDecoy(withDecoy(apis, hardening.verify)) : apis;
}

/**
 * A reset request for a known email makes a token in the core before answering; for an unknown
 * one the SDK answers after the user lookup. When no token was made, the same core call is made
 * for a user id that does not exist (the core answers UNKNOWN_USER_ID_ERROR), so both answers
 * cost one more round trip to the core.
 */
function withResetDecoy(original: APIInterface): APIInterface {
  if (!original.generatePasswordResetTokenPOST) return original;
  return {
    ...original,
    generatePasswordResetTokenPOST: async (input) => {
      const result = await original.generatePasswordResetTokenPOST!(input);
      const marked = input.userContext as Marked;
      if ('status' in result && result.status === 'OK' && !marked[TOKEN_MADE]) {
        await input.options.recipeImplementation
          .createResetPasswordToken({
            tenantId: input.tenantId,
            userId: randomUUID(),
            email: formText(input.formFields, 'email'),
            userContext: input.userContext,
          })
          .catch(() => undefined);
      }
      return result;
    },
  };
}

/**
 * The hardened profile's EmailPassword APIs: no email-exists endpoint (it answers whether an account exists),
 * and passwords bcrypt would cut (over 72 bytes in UTF-8) refused with a field error on sign-up
 * and reset instead of being shortened without a word (ASVS V2.1.2, V2.4.1).
 */
function hardenedApis(original: APIInterface): APIInterface {
  const refuseLong =
    <I extends { formFields: FormFields }, R>(api: ((input: I) => Promise<R>) | undefined) =>
    (
      input: I,
    ): Promise<R | { status: 'FIELD_ERROR'; formFields: { id: string; error: string }[] }> => {
      if (cutByBcrypt(formText(input.formFields, 'password'))) {
        return Promise.resolve({
          status: 'FIELD_ERROR',
          formFields: [
            {
              id: 'password',
              error: `Password must be at most ${BCRYPT_MAX_PASSWORD_BYTES} bytes (longer ones would be cut)`,
            },
          ],
        });
      }
      return api!.call(original, input);
    };
  return {
    ...original,
    emailExistsGET: undefined,
    // No stored password is longer: such a guess is wrong without asking the core (the decoy
    // hash, when on, still makes it cost what a checked one costs).
    signInPOST:
      original.signInPOST &&
      ((input) => {
        if (cutByBcrypt(formText(input.formFields, 'password'))) {
          return Promise.resolve({ status: 'WRONG_CREDENTIALS_ERROR' as const });
        }
        return original.signInPOST!(input);
      }),
    signUpPOST:
      original.signUpPOST && (refuseLong(original.signUpPOST) as APIInterface['signUpPOST']),
    passwordResetPOST:
      original.passwordResetPOST &&
      (refuseLong(original.passwordResetPOST) as APIInterface['passwordResetPOST']),
  };
}

function withDecoy(
  original: APIInterface,
  verify: (password: string, hash: string) => Promise<unknown> = compare,
): APIInterface {
  if (!original.signInPOST) return original;
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
        await verify(formText(input.formFields, 'password'), DECOY_PASSWORD_HASH).catch(
          () => false,
        );
      }
      return result;
    },
  };
}
