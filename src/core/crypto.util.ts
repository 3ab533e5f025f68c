import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const sha256Hex = (value: string): string =>
  createHash('sha256').update(value).digest('hex');

export const newId = (): string => randomUUID();

/** An opaque, URL-safe secret of 128 alphanumeric characters (the real core's token shape). */
export const newOpaqueToken = (): string => {
  let token = '';
  while (token.length < 128) token += randomBytes(96).toString('base64').replace(/[=+/]/g, '');
  return token.slice(0, 128);
};

/**
 * The real core's email normalisation: trim only characters <= U+0020 (like Java's
 * `String.trim`, unlike JavaScript's, which also strips U+00A0), then lower-case.
 */
export const normaliseEmail = (email: string): string =>
  email.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').toLowerCase();
