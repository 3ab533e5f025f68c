import type { AuthModuleOptions } from './auth-options.interface.js';

/** The option that turns a recipe on, and whether it is on. */
interface Recipe {
  option: string;
  on: (options: AuthModuleOptions) => boolean;
}
const PASSWORDLESS: Recipe = { option: 'passwordless', on: (o) => Boolean(o.passwordless) };

/** Every factor id the SDK knows (`FactorIds`), with the recipe that serves it. */
const FACTORS: Readonly<Record<string, Recipe>> = {
  emailpassword: { option: 'emailPassword', on: (o) => o.emailPassword !== false },
  thirdparty: { option: 'thirdParty', on: (o) => Boolean(o.thirdParty) },
  'otp-email': PASSWORDLESS,
  'otp-phone': PASSWORDLESS,
  'link-email': PASSWORDLESS,
  'link-phone': PASSWORDLESS,
  totp: { option: 'mfa.totp', on: (o) => Boolean(o.mfa?.totp) },
  webauthn: { option: 'webauthn', on: (o) => Boolean(o.webauthn) },
};
const FIRST_FACTORS = [
  'emailpassword',
  'thirdparty',
  'otp-email',
  'otp-phone',
  'link-email',
  'link-phone',
  'webauthn',
];
const SECOND_FACTORS = ['totp', 'otp-email', 'otp-phone', 'webauthn'];
const KEYS = ['firstFactors', 'requiredSecondaryFactors', 'totp', 'requiredOn'];

function factorProblems(
  options: AuthModuleOptions,
  field: string,
  value: unknown,
  allowed: string[],
): string[] {
  if (!Array.isArray(value) || !value.every((f) => typeof f === 'string')) {
    return [`- mfa.${field} must be a list of factor ids (${allowed.join(', ')})`];
  }
  return value.flatMap((factor: string) => {
    if (!allowed.includes(factor)) {
      return [`- mfa.${field}: '${factor}' is not one of ${allowed.join(', ')}`];
    }
    const recipe = FACTORS[factor];
    if (recipe.on(options)) return [];
    return [`- mfa.${field}: '${factor}' needs its recipe: set ${recipe.option} as well`];
  });
}

/** `mfa: { firstFactors, requiredSecondaryFactors, totp, requiredOn }`, with the fix named. */
export function mfaProblems(options: AuthModuleOptions): string[] {
  const mfa: unknown = options.mfa;
  if (mfa === undefined) return [];
  if (typeof mfa !== 'object' || mfa === null || Array.isArray(mfa)) {
    return ["- mfa must be an object, e.g. { requiredSecondaryFactors: ['totp'], totp: true }"];
  }
  const given = mfa as Record<string, unknown>;
  const problems = Object.keys(given)
    .filter((key) => !KEYS.includes(key))
    .map((key) => `- mfa.${key} is not an option (they are ${KEYS.join(', ')})`);
  if (given.firstFactors !== undefined) {
    problems.push(...factorProblems(options, 'firstFactors', given.firstFactors, FIRST_FACTORS));
  }
  const required = given.requiredSecondaryFactors;
  if (required !== undefined && typeof required !== 'function') {
    problems.push(...factorProblems(options, 'requiredSecondaryFactors', required, SECOND_FACTORS));
  }
  const totp = given.totp;
  if (totp !== undefined && typeof totp !== 'boolean') {
    const own = (typeof totp === 'object' && totp !== null ? totp : {}) as Record<string, unknown>;
    const positive = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;
    if (
      typeof totp !== 'object' ||
      totp === null ||
      (own.issuer !== undefined && (typeof own.issuer !== 'string' || own.issuer === '')) ||
      (own.period !== undefined && !positive(own.period, 1)) ||
      (own.skew !== undefined && !positive(own.skew, 0))
    ) {
      problems.push(
        "- mfa.totp must be true or { issuer?: 'Your app', period?: seconds (>= 1), skew?: periods (>= 0) }",
      );
    }
  }
  if (
    given.requiredOn !== undefined &&
    given.requiredOn !== 'every-route' &&
    given.requiredOn !== 'marked-routes'
  ) {
    problems.push("- mfa.requiredOn must be 'every-route' or 'marked-routes'");
  }
  return problems;
}
