import type { APIInterface } from 'supertokens-node/recipe/emailpassword/types';
import {
  DECOY_PASSWORD_HASH,
  hardenEmailPasswordApis,
  hardenEmailPasswordFunctions,
} from './emailpassword-hardening.js';
import { verifyPassword } from '../../core/emailpassword/password-hash.js';

type SignInInput = Parameters<NonNullable<APIInterface['signInPOST']>>[0];

/** A signInPOST that, like the SDK, asks the core only for emails with a password login. */
function fakeApis(knownEmails: string[]) {
  let functions = {
    verifyCredentials: (_input: { userContext: object }) =>
      Promise.resolve({ status: 'WRONG_CREDENTIALS_ERROR' as const }),
    updateEmailOrPassword: () => Promise.resolve({ status: 'OK' }),
  };
  functions = hardenEmailPasswordFunctions(functions as never, {
    revokeSessionsOnPasswordChange: false,
    decoyHash: true,
  }) as never;
  const apis = {
    signInPOST: async (input: SignInInput) => {
      const email = input.formFields.find((f) => f.id === 'email')?.value as string;
      if (knownEmails.includes(email)) await functions.verifyCredentials(input);
      return { status: 'WRONG_CREDENTIALS_ERROR' as const };
    },
  } as unknown as APIInterface;
  return apis;
}

const signIn = (email: string): SignInInput =>
  ({
    formFields: [
      { id: 'email', value: email },
      { id: 'password', value: 'guess-1' },
    ],
    userContext: {},
  }) as unknown as SignInInput;

describe('equal sign-in timing (decoy hash)', () => {
  it('hashes once for an email the core was not asked about, never for one it was', async () => {
    const verified: string[] = [];
    const verify = (password: string, hash: string) => {
      verified.push(`${password} ${hash}`);
      return Promise.resolve(false);
    };
    const apis = hardenEmailPasswordApis(fakeApis(['known@example.com']), {
      revokeSessionsOnPasswordChange: true,
      decoyHash: true,
      verify,
    });
    expect(await apis.signInPOST!(signIn('unknown@example.com'))).toEqual({
      status: 'WRONG_CREDENTIALS_ERROR',
    });
    expect(verified).toEqual([`guess-1 ${DECOY_PASSWORD_HASH}`]);
    await apis.signInPOST!(signIn('known@example.com'));
    expect(verified).toHaveLength(1);
  });

  it('is off with equalSignInTiming: false', () => {
    const original = fakeApis([]);
    expect(
      hardenEmailPasswordApis(original, { revokeSessionsOnPasswordChange: true, decoyHash: false }),
    ).toBe(original);
  });

  it('uses a real bcrypt hash of the core default cost that no password matches', async () => {
    expect(DECOY_PASSWORD_HASH).toMatch(/^\$2b\$11\$[./A-Za-z0-9]{53}$/);
    expect(await verifyPassword('', DECOY_PASSWORD_HASH)).toBe(false);
  });

  it('makes the reset-token core call for an unknown email too, once, for a made-up user id', async () => {
    const calls: string[] = [];
    const functions = hardenEmailPasswordFunctions(
      {
        createResetPasswordToken: (input: { userId: string }) => {
          calls.push(input.userId);
          return Promise.resolve({ status: 'UNKNOWN_USER_ID_ERROR' });
        },
      } as never,
      { revokeSessionsOnPasswordChange: false, decoyHash: true },
    );
    const known = 'known@example.com';
    const original = {
      generatePasswordResetTokenPOST: async (input: {
        formFields: { value: string }[];
        userContext: object;
        tenantId: string;
      }) => {
        if (input.formFields[0].value === known) {
          await functions.createResetPasswordToken({
            tenantId: 'public',
            userId: 'real-user',
            email: known,
            userContext: input.userContext as never,
          });
        }
        return { status: 'OK' };
      },
    } as unknown as APIInterface;
    const apis = hardenEmailPasswordApis(original, {
      revokeSessionsOnPasswordChange: false,
      decoyHash: true,
    });
    const ask = (email: string) =>
      apis.generatePasswordResetTokenPOST!({
        formFields: [{ id: 'email', value: email }],
        tenantId: 'public',
        userContext: {},
        options: { recipeImplementation: functions },
      } as never);
    expect(await ask(known)).toEqual({ status: 'OK' });
    expect(calls).toEqual(['real-user']);
    expect(await ask('nobody@example.com')).toEqual({ status: 'OK' });
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
