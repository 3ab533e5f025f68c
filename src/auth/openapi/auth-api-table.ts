import type { AuthModuleOptions } from '../module/auth-options.interface.js';

type Recipe = 'emailPassword' | 'passwordless' | 'webauthn' | 'session' | 'emailVerification';

interface AuthApi {
  recipe: Recipe;
  method: 'get' | 'post';
  path: string;
  summary: string;
  /**
   * Request body fields, each `'string'`, `'object'` (a JSON object, e.g. a WebAuthn credential),
   * `'boolean'` or a quoted constant (`"'token'"`); or `formFields`.
   */
  body?: 'formFields' | Record<string, string>;
  /** The `status` values of a 200 answer. */
  statuses: string[];
  /** Needs a session (header or cookie). */
  session?: boolean;
}

/** The auth APIs the module serves, per recipe: the one table the OpenAPI paths come from. */
export const AUTH_APIS: readonly AuthApi[] = [
  {
    recipe: 'emailPassword',
    method: 'post',
    path: '/signup',
    summary: 'Sign up with email and password',
    body: 'formFields',
    statuses: ['OK', 'FIELD_ERROR', 'SIGN_UP_NOT_ALLOWED'],
  },
  {
    recipe: 'emailPassword',
    method: 'post',
    path: '/signin',
    summary: 'Sign in with email and password',
    body: 'formFields',
    statuses: ['OK', 'WRONG_CREDENTIALS_ERROR', 'FIELD_ERROR', 'SIGN_IN_NOT_ALLOWED'],
  },
  {
    recipe: 'emailPassword',
    method: 'post',
    path: '/user/password/reset/token',
    summary: 'Email a password reset link',
    body: 'formFields',
    statuses: ['OK', 'FIELD_ERROR', 'PASSWORD_RESET_NOT_ALLOWED'],
  },
  {
    recipe: 'emailPassword',
    method: 'post',
    path: '/user/password/reset',
    summary: "Set a new password with the link's token",
    body: { method: "'token'", token: 'string', formFields: 'password' },
    statuses: ['OK', 'RESET_PASSWORD_INVALID_TOKEN_ERROR', 'FIELD_ERROR'],
  },
  {
    recipe: 'passwordless',
    method: 'post',
    path: '/signinup/code',
    summary: 'Send a one-time code (email or phone number)',
    body: { email: 'string', phoneNumber: 'string' },
    statuses: ['OK', 'SIGN_IN_UP_NOT_ALLOWED'],
  },
  {
    recipe: 'passwordless',
    method: 'post',
    path: '/signinup/code/resend',
    summary: 'Send a new code for the same sign-in',
    body: { deviceId: 'string', preAuthSessionId: 'string' },
    statuses: ['OK', 'RESTART_FLOW_ERROR'],
  },
  {
    recipe: 'passwordless',
    method: 'post',
    path: '/signinup/code/consume',
    summary: "Sign in or up with the code (or a magic link's linkCode)",
    body: {
      preAuthSessionId: 'string',
      deviceId: 'string',
      userInputCode: 'string',
      linkCode: 'string',
    },
    statuses: [
      'OK',
      'INCORRECT_USER_INPUT_CODE_ERROR',
      'EXPIRED_USER_INPUT_CODE_ERROR',
      'RESTART_FLOW_ERROR',
    ],
  },
  {
    recipe: 'webauthn',
    method: 'post',
    path: '/webauthn/options/register',
    summary: 'Options to create a passkey (for an email, or a recovery token)',
    body: { email: 'string', recoverAccountToken: 'string' },
    statuses: [
      'OK',
      'INVALID_EMAIL_ERROR',
      'RECOVER_ACCOUNT_TOKEN_INVALID_ERROR',
      'INVALID_OPTIONS_ERROR',
    ],
  },
  {
    recipe: 'webauthn',
    method: 'post',
    path: '/webauthn/signup',
    summary: "Sign up with a new passkey (the browser's registration response)",
    body: {
      webauthnGeneratedOptionsId: 'string',
      credential: 'object',
      shouldTryLinkingWithSessionUser: 'boolean',
    },
    statuses: [
      'OK',
      'EMAIL_ALREADY_EXISTS_ERROR',
      'INVALID_CREDENTIALS_ERROR',
      'OPTIONS_NOT_FOUND_ERROR',
      'INVALID_OPTIONS_ERROR',
      'INVALID_AUTHENTICATOR_ERROR',
      'SIGN_UP_NOT_ALLOWED',
    ],
  },
  {
    recipe: 'webauthn',
    method: 'post',
    path: '/webauthn/options/signin',
    summary: 'A challenge to sign in with a passkey',
    statuses: ['OK', 'INVALID_OPTIONS_ERROR'],
  },
  {
    recipe: 'webauthn',
    method: 'post',
    path: '/webauthn/signin',
    summary: "Sign in with a passkey (the browser's authentication response)",
    body: {
      webauthnGeneratedOptionsId: 'string',
      credential: 'object',
      shouldTryLinkingWithSessionUser: 'boolean',
    },
    statuses: ['OK', 'INVALID_CREDENTIALS_ERROR', 'SIGN_IN_NOT_ALLOWED'],
  },
  {
    recipe: 'webauthn',
    method: 'post',
    path: '/user/webauthn/reset/token',
    summary: 'Email a passkey account-recovery link',
    body: { email: 'string' },
    statuses: ['OK', 'RECOVER_ACCOUNT_NOT_ALLOWED'],
  },
  {
    recipe: 'webauthn',
    method: 'post',
    path: '/user/webauthn/reset',
    summary: "Add a new passkey with the recovery link's token",
    body: { token: 'string', webauthnGeneratedOptionsId: 'string', credential: 'object' },
    statuses: [
      'OK',
      'RECOVER_ACCOUNT_TOKEN_INVALID_ERROR',
      'INVALID_CREDENTIALS_ERROR',
      'OPTIONS_NOT_FOUND_ERROR',
      'INVALID_OPTIONS_ERROR',
      'INVALID_AUTHENTICATOR_ERROR',
    ],
  },
  {
    recipe: 'webauthn',
    method: 'post',
    path: '/webauthn/credential',
    summary: 'Add a passkey to the session user',
    body: { webauthnGeneratedOptionsId: 'string', recipeUserId: 'string', credential: 'object' },
    statuses: ['OK', 'REGISTER_CREDENTIAL_NOT_ALLOWED'],
    session: true,
  },
  {
    recipe: 'webauthn',
    method: 'get',
    path: '/webauthn/credential/list',
    summary: "The session user's passkeys",
    statuses: ['OK'],
    session: true,
  },
  {
    recipe: 'webauthn',
    method: 'post',
    path: '/webauthn/credential/remove',
    summary: 'Remove a passkey of the session user',
    body: { webauthnCredentialId: 'string' },
    statuses: ['OK', 'CREDENTIAL_NOT_FOUND_ERROR'],
    session: true,
  },
  {
    recipe: 'emailVerification',
    method: 'post',
    path: '/user/email/verify/token',
    summary: 'Email a verification link to the session user',
    statuses: ['OK', 'EMAIL_ALREADY_VERIFIED_ERROR'],
    session: true,
  },
  {
    recipe: 'emailVerification',
    method: 'post',
    path: '/user/email/verify',
    summary: "Verify an email with the link's token",
    body: { method: "'token'", token: 'string' },
    statuses: ['OK', 'EMAIL_VERIFICATION_INVALID_TOKEN_ERROR'],
  },
  {
    recipe: 'emailVerification',
    method: 'get',
    path: '/user/email/verify',
    summary: "Whether the session user's email is verified",
    statuses: ['OK'],
    session: true,
  },
  {
    recipe: 'session',
    method: 'post',
    path: '/session/refresh',
    summary: 'New access and refresh tokens from the refresh token',
    statuses: [],
  },
  {
    recipe: 'session',
    method: 'post',
    path: '/signout',
    summary: 'End the session',
    statuses: ['OK'],
    session: true,
  },
];

function requestBody(body: AuthApi['body']): Record<string, unknown> | undefined {
  if (!body) return undefined;
  const schema =
    body === 'formFields'
      ? {
          type: 'object',
          required: ['formFields'],
          properties: {
            formFields: {
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'value'],
                properties: { id: { type: 'string', example: 'email' }, value: { type: 'string' } },
              },
            },
          },
        }
      : {
          type: 'object',
          properties: Object.fromEntries(
            Object.entries(body).map(([name, kind]) => [
              name,
              name === 'formFields'
                ? { type: 'array', description: `[{ id: '${kind}', value }]` }
                : kind === 'object' || kind === 'boolean'
                  ? { type: kind }
                  : { type: 'string', ...(kind.startsWith("'") && { enum: [kind.slice(1, -1)] }) },
            ]),
          ),
        };
  return { required: true, content: { 'application/json': { schema } } };
}

/** OpenAPI operations of the auth APIs the options enable, by full path. */
export function authApiOperations(
  options: AuthModuleOptions,
  apiBasePath: string,
): Record<string, Record<string, Record<string, unknown>>> {
  if (options.apis === false) return {};
  const enabled: Record<Recipe, boolean> = {
    emailPassword: options.emailPassword !== false,
    passwordless: Boolean(options.passwordless),
    webauthn: Boolean(options.webauthn),
    emailVerification: Boolean(options.emailVerification),
    session: true,
  };
  const base = apiBasePath.replace(/\/+$/, '');
  const paths: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const api of AUTH_APIS) {
    if (!enabled[api.recipe]) continue;
    const statuses = api.statuses.length > 0 ? ` (status: ${api.statuses.join(', ')})` : '';
    (paths[`${base}${api.path}`] ??= {})[api.method] = {
      tags: ['auth'],
      summary: api.summary,
      operationId: `auth_${api.method}_${api.path.replace(/\W+/g, '_').replace(/^_|_$/g, '')}`,
      ...(api.body && { requestBody: requestBody(api.body) }),
      ...(api.session && {
        security: [{ 'supertokens-header': [] }, { 'supertokens-cookie': [] }],
      }),
      responses: {
        '200': { description: `Answered${statuses}` },
        ...(api.session && { '401': { description: 'No session, or the access token expired' } }),
        '429': { description: 'Over a rate limit (Retry-After)' },
      },
    };
  }
  return paths;
}
