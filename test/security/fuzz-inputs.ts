import fc from 'fast-check';

/** Cases per property: a few hundred in `npm test`, more with `npm run fuzz` (FUZZ_RUNS). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 80);
/**
 * Time for one route's cases: sign-in cases hash a password (on purpose slow, ~50 ms), so a
 * route may need 100 ms a case on a busy machine.
 */
export const FUZZ_TIMEOUT_MS = Math.max(30_000, FUZZ_RUNS * 100);

/** One generated request. */
export interface Sent {
  body?: unknown;
  query: Record<string, string>;
  headers: Record<string, string>;
  dashboard: boolean;
}

/** Strings a parser may trip on, beside random ones. */
const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\u00a0x@example.com',
  'a@b',
  '+1',
  '+14155550100',
  '../../etc/passwd',
  '{"$gt":""}',
  '__proto__',
  'constructor',
  '%',
  '%00',
  'null',
  'undefined',
  '-1',
  '1e309',
  'x'.repeat(5000),
  '😀',
  'public',
  'emailpassword',
  'passwordless',
  'ASC',
  'DESC',
);

const text = fc.oneof(fc.string({ maxLength: 40 }), nasty, fc.uuid(), fc.emailAddress());

/** Any JSON value, biased toward the types auth inputs get wrong. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(text, { maxLength: 3 }),
  fc.dictionary(text, text, { maxKeys: 3 }),
);

/** The field names the SDK's APIs read. */
const FIELDS = [
  'formFields',
  'email',
  'phoneNumber',
  'deviceId',
  'preAuthSessionId',
  'userInputCode',
  'linkCode',
  'token',
  'method',
  'userId',
  'recipeUserId',
  'recipeId',
  'sessionHandles',
  'newPassword',
  'password',
  'data',
  'role',
  'permissions',
  'tenantId',
  'verified',
  'firstName',
  'lastName',
  'phone',
  'shouldTryLinkingWithSessionUser',
  '__proto__',
];

const formFields = fc.array(
  fc.record(
    { id: fc.oneof(fc.constantFrom('email', 'password'), text), value },
    { requiredKeys: [] },
  ),
  { maxLength: 4 },
);

/** Bodies: raw text, any JSON, or an object of the real field names with odd values. */
export function fuzzBody(): fc.Arbitrary<unknown> {
  const field = fc.constantFrom(...FIELDS);
  const shaped = fc
    .array(fc.tuple(field, fc.oneof(value, formFields)), { maxLength: 6 })
    .map((entries) => Object.fromEntries(entries));
  // Every field a string: gets past the type checks into the handlers' deeper paths.
  const allStrings = fc.record(Object.fromEntries(FIELDS.map((name) => [name, text])), {
    requiredKeys: [],
  });
  return fc.oneof(
    { weight: 4, arbitrary: shaped },
    { weight: 2, arbitrary: allStrings },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  );
}

export function fuzzQuery(names: string[]): fc.Arbitrary<Record<string, string>> {
  if (names.length === 0) return fc.constant({});
  return fc.dictionary(fc.constantFrom(...names), text, { maxKeys: names.length });
}

/**
 * A real access token with one character replaced, or cut short: almost valid, never valid. The
 * last characters stay: a JWT's final base64url character can carry unused bits, so changing it
 * may leave the signature intact (and a valid token could sign the seed user out).
 */
function mutated(seeds: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.nat(), fc.constantFrom('A', 'b', '0', '-', '_', '.', '='))
    .chain(([seed, at, char]) => {
      const i = at % (seed.length - 4);
      const other = seed[i] === char ? (char === 'A' ? 'B' : 'A') : char;
      const changed = `${seed.slice(0, i)}${other}${seed.slice(i + 1)}`;
      return fc.constantFrom(
        `Bearer ${changed}`,
        `Bearer ${seed.slice(0, i)}`,
        `sAccessToken=${changed}`,
      );
    });
}

/**
 * Headers a client controls: credentials, modes, recipe ids, CSRF. `seeds` are real access tokens
 * to mutate into near-misses.
 */
export function fuzzHeaders(seeds: string[] = []): fc.Arbitrary<Record<string, string>> {
  const headerValue = fc.oneof(
    fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')),
    fc.constantFrom('Bearer ', 'Bearer x.y.z', 'header', 'cookie', 'session', 'emailpassword'),
    ...(seeds.length > 0 ? [mutated(seeds)] : []),
  );
  return fc.dictionary(
    fc.constantFrom('authorization', 'st-auth-mode', 'rid', 'anti-csrf', 'cookie', 'fdi-version'),
    headerValue,
    { maxKeys: 3 },
  );
}
