import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PasskeyRegisterOptions, PasskeySignInOptions, TestPasskey } from './passkey.js';

/** Where the passkey helpers send requests: a base URL, or the app's HTTP server as supertest takes it. */
export type PasskeyTarget = string | Server;

/** How `passkeySignUp` / `passkeySignIn` call the app. */
export interface PasskeyRequestOptions {
  /** The SDK's `apiBasePath`, with `/<tenantId>` after it for another tenant. @default '/auth' */
  basePath?: string;
  /** More request headers: `st-auth-mode: cookie`, a session's (to link the passkey)... */
  headers?: Record<string, string>;
}

/** The app's answer to a passkey sign-up or sign-in, and the session it made. */
export interface PasskeyAuthResult {
  /** The JSON body: `{ status: 'OK', user }` or an error status. */
  body: { status: string } & Record<string, unknown>;
  /**
   * `{ authorization: 'Bearer …' }` when the app answered with header tokens (what the SDK does
   * unless the request says `st-auth-mode: cookie`), else `{}`.
   */
  headers: Record<string, string>;
  /** The cookies the app set (with `st-auth-mode: cookie`), as a `Cookie` header value, or `''`. */
  cookie: string;
}

/**
 * Signs `email` up with a new passkey: register options, the passkey's attestation, sign-up.
 * @example
 * const passkey = new TestPasskey({ origin: 'http://localhost:3001' });
 * const { body, headers } = await passkeySignUp(app.getHttpServer(), 'ann@example.com', passkey);
 * await request(app.getHttpServer()).get('/profile').set(headers).expect(200);
 */
export async function passkeySignUp(
  target: PasskeyTarget,
  email: string,
  passkey: TestPasskey,
  options: PasskeyRequestOptions = {},
): Promise<PasskeyAuthResult> {
  return withBaseUrl(target, async (url) => {
    const post = poster(url, passkey, options);
    const registerOptions = await optionsFrom(await post('/webauthn/options/register', { email }));
    return authResult(
      await post('/webauthn/signup', {
        webauthnGeneratedOptionsId: registerOptions.webauthnGeneratedOptionsId,
        credential: passkey.register(registerOptions),
      }),
    );
  });
}

/**
 * Signs in with the passkey's newest credential (or `options.credentialId`): sign-in options, the
 * passkey's assertion, sign-in.
 * @example
 * const { cookie } = await passkeySignIn(app.getHttpServer(), passkey, {
 *   headers: { 'st-auth-mode': 'cookie' },
 * });
 * await request(app.getHttpServer()).get('/profile').set('cookie', cookie).expect(200);
 */
export async function passkeySignIn(
  target: PasskeyTarget,
  passkey: TestPasskey,
  options: PasskeyRequestOptions & { credentialId?: string } = {},
): Promise<PasskeyAuthResult> {
  return withBaseUrl(target, async (url) => {
    const post = poster(url, passkey, options);
    const signInOptions = await optionsFrom(await post('/webauthn/options/signin', {}));
    return authResult(
      await post('/webauthn/signin', {
        webauthnGeneratedOptionsId: signInOptions.webauthnGeneratedOptionsId,
        credential: passkey.authenticate(signInOptions, { credentialId: options.credentialId }),
      }),
    );
  });
}

/** A JSON POST to `<url><basePath><path>` from the passkey's origin. */
function poster(url: string, passkey: TestPasskey, options: PasskeyRequestOptions) {
  return (path: string, body: unknown) =>
    fetch(`${url}${options.basePath ?? '/auth'}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: passkey.origin, ...options.headers },
      body: JSON.stringify(body),
    });
}

/** The options in an answer; anything but a 200 `OK` fails the helper with what came back. */
async function optionsFrom(
  response: Response,
): Promise<PasskeyRegisterOptions & PasskeySignInOptions & { webauthnGeneratedOptionsId: string }> {
  const text = await response.text();
  const body = (response.ok ? JSON.parse(text) : undefined) as
    (PasskeyRegisterOptions & { status: string; webauthnGeneratedOptionsId: string }) | undefined;
  if (body?.status !== 'OK') {
    throw new Error(`${response.url} answered ${response.status} ${text}; expected status OK`);
  }
  return body;
}

/** The body, the access token header and the cookies of a sign-up / sign-in answer. */
async function authResult(response: Response): Promise<PasskeyAuthResult> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.url} answered ${response.status} ${text}`);
  const accessToken = response.headers.get('st-access-token');
  const cookie = response.headers
    .getSetCookie()
    .map((set) => set.split(';')[0])
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
  return {
    body: JSON.parse(text) as PasskeyAuthResult['body'],
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    cookie,
  };
}

/** Runs `call` with the target's base URL; a server not listening yet listens on a free port meanwhile. */
async function withBaseUrl<T>(target: PasskeyTarget, call: (url: string) => Promise<T>) {
  if (typeof target === 'string') return call(target.replace(/\/$/, ''));
  if (target.listening) return call(baseUrlOf(target));
  await new Promise<void>((resolve, reject) => {
    target.once('error', reject).listen(0, '127.0.0.1', () => {
      target.off('error', reject);
      resolve();
    });
  });
  try {
    return await call(baseUrlOf(target));
  } finally {
    // fetch keeps connections alive; close() alone would wait for them.
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
  }
}

/** `http://host:port` of a listening server (loopback for a wildcard address). */
function baseUrlOf(server: Server): string {
  const { address, port, family } = server.address() as AddressInfo;
  if (address === '::' || address === '0.0.0.0') return `http://127.0.0.1:${port}`;
  return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}
