import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { badRequest } from '../http/core-error.js';

/**
 * The real core's passwordless secrets (docs/embedded-core.md, Passwordless): deviceId is 32 random bytes in standard
 * Base64; preAuthSessionId is base64url(sha256(deviceId bytes)) without padding; the link code is
 * base64url(HMAC-SHA256(deviceId ‖ salt, userInputCode)), stored only as base64(sha256(link code)).
 */
export const newDeviceSecret = (): Buffer => randomBytes(32);
export const newSalt = (): Buffer => randomBytes(32);
export const newUserInputCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export const preAuthSessionIdOf = (deviceId: Buffer): string =>
  createHash('sha256').update(deviceId).digest('base64url');

export const linkCodeOf = (deviceId: Buffer, salt: Buffer, userInputCode: string): Buffer =>
  createHmac('sha256', Buffer.concat([deviceId, salt]))
    .update(userInputCode, 'utf8')
    .digest();

export const linkCodeHashOf = (linkCode: Buffer): string =>
  createHash('sha256').update(linkCode).digest('base64');

/** Standard Base64 that round-trips exactly, else `400 Input encoding error in <field>`. */
export function decodeBase64(value: string, field: string): Buffer {
  const bytes = Buffer.from(value, 'base64');
  if (
    !/^[A-Za-z0-9+/]*={0,2}$/.test(value) ||
    bytes.length === 0 ||
    bytes.toString('base64') !== value
  ) {
    throw badRequest(`Input encoding error in ${field}`);
  }
  return bytes;
}

/** base64url without padding that round-trips exactly, else `400 Input encoding error in <field>`. */
export function decodeBase64Url(value: string, field: string): Buffer {
  const bytes = Buffer.from(value, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(value) || bytes.toString('base64url') !== value) {
    throw badRequest(`Input encoding error in ${field}`);
  }
  return bytes;
}
