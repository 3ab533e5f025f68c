import { createHash, timingSafeEqual } from 'node:crypto';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoCBOR, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import type { JsonObject } from '../http/json-input.js';
import type { WebAuthnCredentialRecord, WebAuthnOptionsRecord } from '../store/records.js';

/**
 * Why a passkey was refused, with the real core's status and (where it has one) its reason text
 * (webauthn4j's messages): `INVALID_CREDENTIALS_ERROR` for input that is not a credential,
 * `INVALID_OPTIONS_ERROR` for expired options, `INVALID_AUTHENTICATOR_ERROR` for one that failed
 * a check.
 */
export interface WebAuthnRefusal {
  status: 'INVALID_CREDENTIALS_ERROR' | 'INVALID_OPTIONS_ERROR' | 'INVALID_AUTHENTICATOR_ERROR';
  reason: string;
}

class Refused extends Error {
  constructor(readonly refusal: WebAuthnRefusal) {
    super(refusal.reason);
  }
}

const refuse = (status: WebAuthnRefusal['status'], reason: string): never => {
  throw new Refused({ status, reason });
};
const malformed = (): never =>
  refuse('INVALID_CREDENTIALS_ERROR', 'Input data does not match expected form');
const failed = (reason: string): never => refuse('INVALID_AUTHENTICATOR_ERROR', reason);

/** Strict base64url (padding allowed, as Java's URL decoder): Node's decoder skips bad characters. */
const isBase64Url = (value: string): boolean =>
  /^[A-Za-z0-9_-]*={0,2}$/.test(value) && value.replace(/=+$/, '').length % 4 !== 1;

function bytesOf(value: unknown): Uint8Array<ArrayBuffer> {
  if (typeof value !== 'string' || !isBase64Url(value)) return malformed();
  return new Uint8Array(Buffer.from(value, 'base64url'));
}

const unpaddedBase64Url = (value: string): string => value.replace(/=+$/, '');

/**
 * The real core's first look at a credential (`CredentialsValidator`): its id (as sent: the key
 * it is stored and found under) and type. Stricter than the real core: an id that is not
 * base64url is refused here (the real core answers 500).
 */
export function credentialIdOf(credential: JsonObject): string | WebAuthnRefusal {
  const { id, type } = credential;
  const invalid = (reason: string): WebAuthnRefusal => ({
    status: 'INVALID_CREDENTIALS_ERROR',
    reason,
  });
  if (id === undefined || id === null) return invalid('credential id is missing!');
  if (typeof id !== 'string' && typeof id !== 'number') {
    return invalid('Credential ID has to be base64 url encoded');
  }
  const credentialId = String(id);
  if (credentialId === '') return invalid('credential id is empty!');
  if (!isBase64Url(credentialId)) return invalid('Credential ID has to be base64 url encoded');
  if (type === undefined || type === null) return invalid('credential type is missing!');
  if (typeof type !== 'string')
    return invalid(`not supported credential type: '${JSON.stringify(type)}'`);
  if (type === '') return invalid('credential type is empty!');
  if (type.toLowerCase() !== 'public-key')
    return invalid(`not supported credential type: '${type}'`);
  return credentialId;
}

/** An origin as the real core compares them: scheme and host lower-cased, the default port made explicit. */
function sameOrigin(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    if (x.protocol !== 'http:' && x.protocol !== 'https:') return a === b;
    const port = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : '80');
    return x.protocol === y.protocol && x.hostname === y.hostname && port(x) === port(y);
  } catch {
    return a === b;
  }
}

interface ClientData {
  type: unknown;
  challenge: unknown;
  origin: unknown;
  crossOrigin?: unknown;
}

function clientDataOf(response: JsonObject): ClientData {
  try {
    const data: unknown = JSON.parse(
      Buffer.from(bytesOf(response.clientDataJSON)).toString('utf8'),
    );
    if (typeof data !== 'object' || data === null) return malformed();
    return data as ClientData;
  } catch (error) {
    if (error instanceof Refused) throw error;
    return malformed();
  }
}

/** The checks the real core makes with its own messages, before the library verifies the rest. */
function checkClientData(
  data: ClientData,
  options: WebAuthnOptionsRecord,
  ceremony: 'create' | 'get',
): void {
  if (data.type !== `webauthn.${ceremony}`) {
    failed(
      ceremony === 'create'
        ? "ClientData.type must be 'create' on registration, but it isn't."
        : "ClientData.type must be 'get' on authentication, but it isn't.",
    );
  }
  const expected = Buffer.from(options.challenge, 'base64url');
  const actual = typeof data.challenge === 'string' ? bytesOf(data.challenge) : malformed();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    failed('The actual challenge does not match the expected challenge');
  }
  if (typeof data.origin !== 'string' || !sameOrigin(data.origin, options.origin)) {
    failed(
      `The collectedClientData '${String(data.origin)}' origin doesn't match any of the preconfigured server origin.`,
    );
  }
  if (ceremony === 'get' && data.crossOrigin === true) {
    failed(
      'Cross-origin request is prohibited. Relax AuthenticationDataVerifier config if necessary.',
    );
  }
}

/** The authenticator data's relying party, presence and verification flags, as options ask. */
function checkAuthenticatorData(
  authData: Uint8Array<ArrayBuffer>,
  options: WebAuthnOptionsRecord,
  ceremony: 'create' | 'get',
): ReturnType<typeof parseAuthenticatorData> {
  let parsed: ReturnType<typeof parseAuthenticatorData>;
  try {
    parsed = parseAuthenticatorData(authData);
  } catch {
    return refuse('INVALID_CREDENTIALS_ERROR', 'provided data does not have proper byte layout');
  }
  const rpIdHash = createHash('sha256').update(options.relyingPartyId).digest();
  if (!Buffer.from(parsed.rpIdHash).equals(rpIdHash)) {
    failed("rpIdHash doesn't match the hash of preconfigured rpId.");
  }
  // At sign-in a user must always be present (WebAuthn §7.2 step 15): stricter than the real core.
  if ((options.userPresenceRequired || ceremony === 'get') && !parsed.flags.up) {
    failed(
      'Verifier is configured to check user present, but UP flag in authenticatorData is not set.',
    );
  }
  if (options.userVerification === 'required' && !parsed.flags.uv) {
    failed(
      'Verifier is configured to check user verified, but UV flag in authenticatorData is not set.',
    );
  }
  if (!parsed.flags.be && parsed.flags.bs) {
    failed('Backup state bit must not be set if backup eligibility bit is not set');
  }
  return parsed;
}

/**
 * Attestation formats whose statement is verified here: `none` and `packed` (self attestation,
 * or a certificate's signature). Any other format's statement is not checked (as the real core,
 * which trusts every format), and never by fetching anything (revocation lists, metadata).
 */
const VERIFIED_FORMATS = new Set(['none', 'packed']);

/** The attestation object with an unverified format's statement replaced by `none`. */
function attestationToVerify(attestationObject: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  let decoded: Map<string, unknown>;
  try {
    decoded = isoCBOR.decodeFirst<Map<string, unknown>>(attestationObject);
  } catch {
    return malformed();
  }
  if (!(decoded instanceof Map) || !(decoded.get('authData') instanceof Uint8Array)) {
    return malformed();
  }
  if (VERIFIED_FORMATS.has(String(decoded.get('fmt')))) return attestationObject;
  const none = new Map<string, unknown>([
    ['fmt', 'none'],
    ['attStmt', new Map()],
    ['authData', decoded.get('authData')],
  ]);
  return new Uint8Array(isoCBOR.encode(none as Parameters<typeof isoCBOR.encode>[0]));
}

/** The library's verdict; anything it refuses is an authenticator that failed a check. */
async function libraryCheck<T>(verify: () => Promise<T>): Promise<T> {
  try {
    return await verify();
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The start both ceremonies share, run with the real core's order: the options have not expired,
 * the credential has a `response` object, and its client data is for this ceremony, challenge and
 * origin. `work` goes on from there; any refusal on the way is the answer.
 */
async function ceremony<T>(
  credential: JsonObject,
  options: WebAuthnOptionsRecord,
  now: number,
  kind: 'create' | 'get',
  work: (response: JsonObject, clientData: ClientData) => Promise<T>,
): Promise<T | WebAuthnRefusal> {
  try {
    if (options.expiresAt < now) refuse('INVALID_OPTIONS_ERROR', 'Options expired');
    const response = credential.response;
    if (typeof response !== 'object' || response === null || Array.isArray(response)) {
      return malformed();
    }
    const r = response as JsonObject;
    const clientData = clientDataOf(r);
    checkClientData(clientData, options, kind);
    return await work(r, clientData);
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
}

/** A verified registration: what to store. */
export interface RegisteredPasskey {
  /** The signature counter the authenticator reported. */
  counter: number;
  /** AAGUID ‖ credential id length ‖ credential id ‖ COSE key: the official core's `public_key`. */
  publicKey: Uint8Array;
  /** JSON text of the reported transports, or `null`, as the official core stores it. */
  transports: string;
}

/**
 * Verifies a registration (sign-up, another passkey, recovery) against its options: client data
 * (type, challenge, origin), relying party, presence and verification as the options asked, the
 * attestation statement, the key's algorithm, and that the credential id sent is the one the
 * authenticator made.
 */
export async function verifyRegistration(
  credentialId: string,
  credential: JsonObject,
  options: WebAuthnOptionsRecord,
  now: number,
): Promise<RegisteredPasskey | WebAuthnRefusal> {
  return ceremony(credential, options, now, 'create', async (r, clientData) => {
    const attestation = attestationToVerify(bytesOf(r.attestationObject));
    const authData = isoCBOR
      .decodeFirst<Map<string, unknown>>(attestation)
      .get('authData') as Uint8Array<ArrayBuffer>;
    const parsed = checkAuthenticatorData(new Uint8Array(authData), options, 'create');
    if (!parsed.credentialID || !parsed.credentialPublicKey || !parsed.aaguid) {
      failed('attestedCredentialData must not be null on registration');
    }
    const madeId = Buffer.from(parsed.credentialID!).toString('base64url');
    if (madeId !== unpaddedBase64Url(credentialId)) {
      refuse('INVALID_CREDENTIALS_ERROR', 'credential id does not match the authenticator data');
    }
    const result = await libraryCheck(() =>
      verifyRegistrationResponse({
        response: {
          ...(credential as unknown as RegistrationResponseJSON),
          id: madeId,
          rawId: madeId,
          response: {
            ...(r as unknown as RegistrationResponseJSON['response']),
            attestationObject: Buffer.from(attestation).toString('base64url'),
          },
        },
        expectedChallenge: String(clientData.challenge),
        expectedOrigin: String(clientData.origin),
        expectedRPID: options.relyingPartyId,
        requireUserPresence: options.userPresenceRequired,
        requireUserVerification: options.userVerification === 'required',
      }),
    );
    if (!result.verified) failed('Attestation statement is not valid.');
    const idBytes = parsed.credentialID!;
    const length = Buffer.alloc(2);
    length.writeUInt16BE(idBytes.length);
    const transports = Array.isArray(r.transports) ? JSON.stringify(r.transports) : 'null';
    return {
      counter: parsed.counter,
      publicKey: Buffer.concat([parsed.aaguid!, length, idBytes, parsed.credentialPublicKey!]),
      transports,
    };
  });
}

/** The COSE public key inside a stored `public_key` (attested credential data). */
function coseKeyOf(stored: Uint8Array): Uint8Array<ArrayBuffer> {
  if (stored.length < 18) return malformed();
  const idLength = Buffer.from(stored).readUInt16BE(16);
  if (stored.length <= 18 + idLength) return malformed();
  return new Uint8Array(stored.subarray(18 + idLength));
}

/**
 * Verifies a sign-in assertion against its options and the stored passkey: client data, relying
 * party, presence (always) and verification (as asked), the signature, and a counter that moved
 * forward (unless it is always 0). The new counter, or why it was refused.
 */
export async function verifyAssertion(
  credential: JsonObject,
  options: WebAuthnOptionsRecord,
  stored: WebAuthnCredentialRecord,
  now: number,
): Promise<{ counter: number } | WebAuthnRefusal> {
  return ceremony(credential, options, now, 'get', async (r, clientData) => {
    bytesOf(r.signature);
    const parsed = checkAuthenticatorData(bytesOf(r.authenticatorData), options, 'get');
    if ((parsed.counter > 0 || stored.counter > 0) && parsed.counter <= stored.counter) {
      failed('Malicious counter value is detected. Cloned authenticators exist in parallel.');
    }
    const id = unpaddedBase64Url(stored.id);
    const result = await libraryCheck(() =>
      verifyAuthenticationResponse({
        response: {
          ...(credential as unknown as AuthenticationResponseJSON),
          id,
          rawId: id,
        },
        expectedChallenge: String(clientData.challenge),
        expectedOrigin: String(clientData.origin),
        expectedRPID: options.relyingPartyId,
        credential: { id, publicKey: coseKeyOf(stored.publicKey), counter: stored.counter },
        requireUserVerification: options.userVerification === 'required',
      }),
    );
    if (!result.verified) failed('Assertion signature is not valid.');
    return { counter: parsed.counter };
  });
}
