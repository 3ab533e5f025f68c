import fc from 'fast-check';
import { isValidDashboardEmail } from './dashboard-email.js';

/** The real core's regex, with Java's meaning of `\s` and `.` spelled out for JavaScript. */
const ANY = '[^\\n\\r\\u0085\\u2028\\u2029]';
const NOT_LOCAL = '[^<>()\\[\\]\\\\.,;:\\x20\\t\\n\\x0B\\f\\r@"]';
const CORE_REGEX = new RegExp(
  `^((${NOT_LOCAL}+(${ANY}${NOT_LOCAL}+)*)|("${ANY}+"))@` +
    `((\\[[0-9]{1,3}${ANY}[0-9]{1,3}${ANY}[0-9]{1,3}${ANY}[0-9]{1,3}\\])|(([a-zA-Z\\-0-9]+${ANY})+[a-zA-Z]{2,}))$`,
  'u',
);

describe('isValidDashboardEmail', () => {
  it('accepts and refuses what the real core does (the examples of the spec)', () => {
    for (const valid of [
      'ops@example.com',
      'x@localhost',
      'a.b@c-d.io',
      'a@[1.2.3.4]',
      '"q"@abcd',
    ]) {
      expect(isValidDashboardEmail(valid)).toBe(true);
    }
    for (const invalid of ['x@b', 'x@b.c', 'not-an-email', '@example.com', 'a@', 'a..b@cd']) {
      expect(isValidDashboardEmail(invalid)).toBe(false);
    }
  });

  it('decides exactly like the core regex on short strings (differential, fast-check)', () => {
    const char = fc.constantFrom(...'ab9-.@"[]1 \n\u2028x', 'é');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 12 }), (chars) => {
        const email = chars.join('');
        expect(isValidDashboardEmail(email)).toBe(CORE_REGEX.test(email));
      }),
      { numRuns: 20_000 },
    );
  });

  it('stays linear where the regex backtracks exponentially', () => {
    // The regex takes minutes on these; the check must answer at once (no timing assertion:
    // a hang would time the test out).
    expect(isValidDashboardEmail('x'.repeat(5000))).toBe(false);
    expect(isValidDashboardEmail(`a@${'b'.repeat(5000)}!`)).toBe(false);
    expect(isValidDashboardEmail(`${'a.'.repeat(2000)}a@example.com`)).toBe(true);
  });
});
