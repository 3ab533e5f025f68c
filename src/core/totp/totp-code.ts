import { Secret, TOTP } from 'otpauth';
import type { TotpDeviceRecord } from '../store/records.js';

/** The real core's codes: RFC 6238, HMAC-SHA1, 6 digits (its devices have no other setting). */
const DIGITS = 6;
const BASE32 = /[A-Z2-7]/g;

/** A new device secret as the real core makes one: 20 random bytes in Base32 (32 characters). */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/**
 * The key of a stored secret. Decoded as the real core's lenient Base32 decoder does: case and
 * anything outside the alphabet (spaces, `=` padding, dashes of an imported secret) are ignored.
 */
function keyOf(secretKey: string): Secret | undefined {
  const letters = secretKey.toUpperCase().match(BASE32)?.join('') ?? '';
  return letters === '' ? undefined : Secret.fromBase32(letters);
}

/** Whether `code` is the device's code at `now`, or `skew` periods before or after it. */
export function matchesCode(device: TotpDeviceRecord, code: string, now: number): boolean {
  const secret = keyOf(device.secretKey);
  if (!secret || code.length !== DIGITS) return false;
  const totp = new TOTP({ secret, algorithm: 'SHA1', digits: DIGITS, period: device.period });
  return totp.validate({ token: code, timestamp: now, window: device.skew }) !== null;
}

/** The device's current code (tests, and the module's testing helper). */
export function currentCode(device: Pick<TotpDeviceRecord, 'secretKey' | 'period'>, now: number) {
  const secret = keyOf(device.secretKey);
  if (!secret) throw new Error('The device has no usable secret');
  return new TOTP({ secret, algorithm: 'SHA1', digits: DIGITS, period: device.period }).generate({
    timestamp: now,
  });
}
