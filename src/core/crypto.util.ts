import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TokenRecord } from './store/records.js';

export const sha256Hex = (value: string): string =>
  createHash('sha256').update(value).digest('hex');

export const newId = (): string => randomUUID();

/** An opaque, URL-safe secret of 128 alphanumeric characters (the real core's token shape). */
export const newOpaqueToken = (): string => {
  let token = '';
  while (token.length < 128) token += randomBytes(96).toString('base64').replace(/[=+/]/g, '');
  return token.slice(0, 128);
};

/** A password reset or email verification token, and the row that keeps only its hash. */
export function newEmailToken(
  userId: string,
  email: string,
  expiry: number,
): { token: string; record: TokenRecord } {
  const token = newOpaqueToken();
  return { token, record: { userId, email, tokenHash: sha256Hex(token), expiry } };
}

/**
 * Java's `String.trim`, which the real core applies to its inputs: only characters <= U+0020
 * (JavaScript's `trim` also strips U+00A0 and other spaces).
 */
export const javaTrim = (value: string): string =>
  value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');

/** The real core's email normalisation: Java's trim, then lower-case. */
export const normaliseEmail = (email: string): string => javaTrim(email).toLowerCase();
