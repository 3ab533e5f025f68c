import { wholeNumber } from '../http/json-input.js';

/**
 * What `options/register` and `options/signin` accept, checked in the real core's order and with
 * its texts (`OptionsValidator`): the first problem is the `INVALID_OPTIONS_ERROR` reason.
 */
export interface OptionsInput {
  origin: string;
  relyingPartyId: string;
  timeout: number;
  attestation: string;
  userVerification: string;
  residentKey: string;
  /** Register options only; as sent (numbers or numeric strings). */
  supportedAlgorithmIds: unknown[];
}

const USER_VERIFICATION = ['required', 'discouraged', 'preferred'];
const ATTESTATION = ['none', 'indirect', 'direct', 'enterprise'];
const RESIDENT_KEY = ['required', 'discouraged', 'preferred'];

const ANDROID_ORIGIN = 'android:apk-key-hash:';

/**
 * The origin may use this relying party id: its host is the id or a subdomain of it (a dot
 * boundary, as WebAuthn's "registrable domain suffix"). Stricter than the real core, whose
 * plain suffix test lets `https://evilexample.com` use `example.com`. Android app origins follow
 * the real core's own rules.
 */
export function originProblem(origin: string, relyingPartyId: string): string | undefined {
  if (origin.startsWith(ANDROID_ORIGIN)) {
    const hash = origin.slice(ANDROID_ORIGIN.length);
    if (hash === '') return 'Android origin must contain a valid base64 hash';
    if (!/^[A-Za-z0-9_-]*={0,2}$/.test(hash)) {
      return 'Android origin hash must be valid URL-safe base64 (no padding)';
    }
    if (hash.length !== 43) return 'Android origin hash must be 43 characters (base64url SHA-256)';
    if (Buffer.from(hash, 'base64url').length !== 32) {
      return 'Android origin hash must decode to 32 bytes (SHA-256)';
    }
    return undefined;
  }
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return 'Origin has to be a valid url!';
  }
  const matches =
    relyingPartyId !== '' && (host === relyingPartyId || host.endsWith(`.${relyingPartyId}`));
  return matches ? undefined : 'Origin does not match RelyingParty Id';
}

/** An algorithm id as the real core's `getAsLong` reads it, or its reason. */
export function algorithmId(value: unknown): number | string {
  const id = wholeNumber(typeof value === 'string' ? value.trim() : value);
  if (Number.isSafeInteger(id)) return id;
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return `For input string: "${shown}"`;
}

/** The first problem with these options, as the real core words it. */
export function optionsProblem(input: OptionsInput): string | undefined {
  const origin = originProblem(input.origin, input.relyingPartyId);
  if (origin) return origin;
  if (input.timeout < 0) return 'Timeout must be a positive value';
  const oneOf = (field: string, value: string, allowed: string[]) =>
    allowed.includes(value)
      ? undefined
      : `Invalid value '${value}' for ${field}. Must be one of: ${allowed.join(', ')}`;
  const choice =
    oneOf('userVerification', input.userVerification, USER_VERIFICATION) ??
    oneOf('attestation', input.attestation, ATTESTATION) ??
    oneOf('residentKey', input.residentKey, RESIDENT_KEY);
  if (choice) return choice;
  for (const id of input.supportedAlgorithmIds) {
    const read = algorithmId(id);
    if (typeof read === 'string') return read;
  }
  return undefined;
}
