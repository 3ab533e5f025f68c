import { parsePhoneNumberFromString } from 'libphonenumber-js/core';
// The metadata as a JavaScript module: the package's default entry imports it as JSON without an
// import attribute, which Jest (ESM) warns about on every import.
import metadata from 'libphonenumber-js/metadata.min.json';

/**
 * The real core's phone normalisation: E.164 when libphonenumber can parse the input without a
 * default region (so it needs a leading `+`), otherwise the input trimmed.
 */
export function normalisePhoneNumber(input: string): string {
  const trimmed = input.trim();
  return parsePhoneNumberFromString(trimmed, metadata)?.number ?? trimmed;
}
