import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { cose, isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/** How a `TestPasskey` behaves, as a browser's virtual authenticator is configured. */
export interface TestPasskeyOptions {
  /** The page's origin the browser reports: the SDK's `appInfo.origin` / `websiteDomain`. */
  origin: string;
  /** The relying party id used when the options name none. @default the hostname of `origin` */
  rpId?: string;
  /** `'packed'`: self attestation signed by the credential's own key. @default 'none' */
  attestation?: 'none' | 'packed';
  /** Sets the UV flag. @default true */
  userVerified?: boolean;
  /** Sets the UP flag. @default true */
  userPresent?: boolean;
  /** `'increment'`: the signature counter counts the sign-ins; `'zero'`: always 0. @default 'increment' */
  counter?: 'increment' | 'zero';
}

/** What `register` reads from the register options (`/auth/webauthn/options/register`'s answer). */
export interface PasskeyRegisterOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
}

/** What `authenticate` reads from the sign-in options (`/auth/webauthn/options/signin`'s answer). */
export interface PasskeySignInOptions {
  challenge: string;
  rpId?: string;
}

/** Per-call overrides that forge what an honest authenticator never sends, to test refusals. */
export interface PasskeyTamper {
  /** The origin written into clientDataJSON. */
  origin?: string;
  /** The challenge written into clientDataJSON. */
  challenge?: string;
  /** The relying party id whose hash starts the authenticator data. */
  rpId?: string;
  /** The signature counter, this once (the passkey's own counter does not move). */
  signCount?: number;
  /** Signs other bytes: a well-formed signature that does not verify (packed attestation, assertion). */
  corruptSignature?: boolean;
  /** clientDataJSON's `type` (`'webauthn.create'` / `'webauthn.get'`). */
  type?: string;
  /** The UP flag, this once. */
  userPresent?: boolean;
  /** The UV flag, this once. */
  userVerified?: boolean;
}

/** Which credential `authenticate` uses, and what to forge. */
export interface PasskeyUse extends PasskeyTamper {
  /** @default the most recently registered credential */
  credentialId?: string;
}

/**
 * What `register` answers: `@simplewebauthn/browser`'s `startRegistration` result, its extension
 * results typed as a plain record too so it also fits supertokens-node's `RegistrationPayload`.
 */
export type TestPasskeyRegistration = RegistrationResponseJSON & {
  clientExtensionResults: Record<string, unknown>;
};

/**
 * What `authenticate` answers: `@simplewebauthn/browser`'s `startAuthentication` result, its
 * extension results typed as a plain record too so it also fits supertokens-node's
 * `AuthenticationPayload`.
 */
export type TestPasskeyAssertion = AuthenticationResponseJSON & {
  clientExtensionResults: Record<string, unknown>;
};

/** A credential a `TestPasskey` holds. */
export interface TestPasskeyCredential {
  /** base64url, as `id` in the responses and `webauthnCredentialId` in the SDK. */
  readonly id: string;
  /** The registration options' `user.id` (base64url), sent back as `userHandle`. */
  readonly userHandle: string;
  /** The counter the next honest assertion exceeds. */
  readonly signCount: number;
}

interface HeldCredential {
  id: string;
  userHandle: string;
  signCount: number;
  rpId: string;
  key: KeyObject;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();
// isoBase64URL takes ArrayBuffer-backed arrays only; Node's Buffers may sit on a shared pool.
const base64url = (bytes: Uint8Array): string => isoBase64URL.fromBuffer(new Uint8Array(bytes));

/**
 * A software authenticator (a browser's virtual authenticator without the browser): it makes ES256
 * (P-256) passkeys and answers register and sign-in options with the JSON `@simplewebauthn/browser`
 * sends, so an e2e test signs up and in with passkeys over plain HTTP.
 * @example
 * const passkey = new TestPasskey({ origin: 'http://localhost:3001' }); // appInfo.websiteDomain
 * const server = app.getHttpServer();
 * const options = await request(server).post('/auth/webauthn/options/register')
 *   .send({ email: 'ann@example.com' });
 * await request(server).post('/auth/webauthn/signup').send({
 *   webauthnGeneratedOptionsId: options.body.webauthnGeneratedOptionsId,
 *   credential: passkey.register(options.body),
 * }).expect(200);
 * const signIn = await request(server).post('/auth/webauthn/options/signin').send({});
 * const res = await request(server).post('/auth/webauthn/signin').send({
 *   webauthnGeneratedOptionsId: signIn.body.webauthnGeneratedOptionsId,
 *   credential: passkey.authenticate(signIn.body),
 * });
 * expect(res.body.status).toBe('OK');
 */
export class TestPasskey {
  /** The origin this passkey's browser reports. */
  readonly origin: string;
  private readonly settings: Required<Omit<TestPasskeyOptions, 'origin'>>;
  private readonly held: HeldCredential[] = [];

  constructor(options: TestPasskeyOptions) {
    this.origin = options.origin;
    this.settings = {
      rpId: options.rpId ?? new URL(options.origin).hostname,
      attestation: options.attestation ?? 'none',
      userVerified: options.userVerified ?? true,
      userPresent: options.userPresent ?? true,
      counter: options.counter ?? 'increment',
    };
  }

  /** The credentials made so far, oldest first. */
  get credentials(): readonly TestPasskeyCredential[] {
    return this.held.map(({ id, userHandle, signCount }) => ({ id, userHandle, signCount }));
  }

  /** Makes a new credential for the options' user and answers with its attestation. */
  register(options: PasskeyRegisterOptions, tamper: PasskeyTamper = {}): TestPasskeyRegistration {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rawId = randomBytes(32);
    const credential: HeldCredential = {
      id: base64url(rawId),
      userHandle: options.user.id,
      signCount: 0,
      rpId: options.rp.id ?? this.settings.rpId,
      key: privateKey,
    };
    const clientData = this.clientData('webauthn.create', options.challenge, tamper);
    const authData = Buffer.concat([
      this.authDataHead(credential, tamper, FLAG_AT),
      Buffer.alloc(16), // AAGUID: none, as a self-attesting authenticator says
      Buffer.from([rawId.length >> 8, rawId.length & 0xff]),
      rawId,
      coseKey(publicKey),
    ]);
    const attStmt = new Map<string, number | Uint8Array>();
    if (this.settings.attestation === 'packed') {
      attStmt.set('alg', cose.COSEALG.ES256);
      attStmt.set('sig', signOver(privateKey, authData, clientData, tamper));
    }
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, number | Uint8Array>>([
        ['fmt', this.settings.attestation],
        ['attStmt', attStmt],
        ['authData', authData],
      ]),
    );
    this.held.push(credential);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: base64url(clientData),
        attestationObject: base64url(attestationObject),
        authenticatorData: base64url(authData),
        transports: ['internal'],
        publicKeyAlgorithm: cose.COSEALG.ES256,
        publicKey: base64url(publicKey.export({ type: 'spki', format: 'der' })),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** Signs the sign-in options' challenge with a held credential (the newest unless `use` names one). */
  authenticate(options: PasskeySignInOptions, use: PasskeyUse = {}): TestPasskeyAssertion {
    const credential = use.credentialId
      ? this.held.find((held) => held.id === use.credentialId)
      : this.held.at(-1);
    if (!credential) {
      throw new Error(
        `TestPasskey.authenticate: no credential ${use.credentialId ?? ''} here; register one first`,
      );
    }
    if (use.signCount === undefined && this.settings.counter === 'increment') {
      credential.signCount++;
    }
    const clientData = this.clientData('webauthn.get', options.challenge, use);
    const authData = this.authDataHead(credential, { ...use, rpId: use.rpId ?? options.rpId }, 0);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: base64url(clientData),
        authenticatorData: base64url(authData),
        signature: base64url(signOver(credential.key, authData, clientData, use)),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** clientDataJSON's bytes, in the key order browsers use. */
  private clientData(type: string, challenge: string, tamper: PasskeyTamper): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: tamper.type ?? type,
        challenge: tamper.challenge ?? challenge,
        origin: tamper.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }

  /** rpIdHash ‖ flags ‖ signCount: the authenticator data every response starts with. */
  private authDataHead(credential: HeldCredential, tamper: PasskeyTamper, extra: number): Buffer {
    const present = tamper.userPresent ?? this.settings.userPresent;
    const verified = tamper.userVerified ?? this.settings.userVerified;
    const flags = (present ? FLAG_UP : 0) | (verified ? FLAG_UV : 0) | extra;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(tamper.signCount ?? credential.signCount);
    return Buffer.concat([sha256(tamper.rpId ?? credential.rpId), Buffer.from([flags]), count]);
  }
}

/** The credential's public key as a COSE EC2 map (kty, alg, crv, x, y: CTAP2's canonical order). */
function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [cose.COSEKEYS.kty, cose.COSEKTY.EC2],
      [cose.COSEKEYS.alg, cose.COSEALG.ES256],
      [cose.COSEKEYS.crv, cose.COSECRV.P256],
      [cose.COSEKEYS.x, isoBase64URL.toBuffer(jwk.x ?? '')],
      [cose.COSEKEYS.y, isoBase64URL.toBuffer(jwk.y ?? '')],
    ]),
  );
}

/** ECDSA-SHA256 (DER) over authData ‖ sha256(clientDataJSON), or over other bytes when corrupted. */
function signOver(key: KeyObject, authData: Buffer, clientData: Buffer, tamper: PasskeyTamper) {
  const signed = Buffer.concat([authData, sha256(clientData)]);
  return sign(
    'sha256',
    tamper.corruptSignature ? Buffer.concat([signed, Buffer.of(0)]) : signed,
    key,
  );
}

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
