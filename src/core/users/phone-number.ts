import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * The real core's phone normalisation: E.164 when libphonenumber can parse the input without a
 * default region (so it needs a leading `+`), otherwise the input trimmed.
 */
export function normalisePhoneNumber(input: string): string {
  const trimmed = input.trim();
  return parsePhoneNumberFromString(trimmed)?.number ?? trimmed;
}
