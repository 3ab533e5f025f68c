import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
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
