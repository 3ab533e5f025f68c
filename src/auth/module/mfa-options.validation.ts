import type { AuthModuleOptions } from './auth-options.interface.js';

/** Every factor id the SDK knows (`FactorIds`), and which option turns its recipe on. */
const FACTORS: Readonly<Record<string, (options: AuthModuleOptions) => boolean>> = {
  emailpassword: (o) => o.emailPassword !== false,
  thirdparty: (o) => Boolean(o.thirdParty),
  'otp-email': (o) => Boolean(o.passwordless),
  'otp-phone': (o) => Boolean(o.passwordless),
  'link-email': (o) => Boolean(o.passwordless),
  'link-phone': (o) => Boolean(o.passwordless),
  totp: (o) => Boolean(o.mfa?.totp),
};
const FIRST_FACTORS = [
  'emailpassword',
  'thirdparty',
  'otp-email',
  'otp-phone',
  'link-email',
  'link-phone',
];
const SECOND_FACTORS = ['totp', 'otp-email', 'otp-phone'];
const ENABLED_BY: Readonly<Record<string, string>> = {
  emailpassword: 'emailPassword',
  thirdparty: 'thirdParty',
  totp: 'mfa.totp',
};
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
    if (FACTORS[factor]?.(options)) return [];
    const option = ENABLED_BY[factor] ?? 'passwordless';
    return [`- mfa.${field}: '${factor}' needs its recipe: set ${option} as well`];
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
