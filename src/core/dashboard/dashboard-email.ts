/**
 * The real core checks dashboard emails with the SDK's email regex whose dots lost their escaping:
 *
 *   ^(([^<>()[\]\\.,;:\s@"]+(.[^<>()[\]\\.,;:\s@"]+)*)|(".+"))@
 *    ((\[[0-9]{1,3}.[0-9]{1,3}.[0-9]{1,3}.[0-9]{1,3}])|(([a-zA-Z\-0-9]+.)+[a-zA-Z]{2,}))$
 *
 * (Java semantics: `\s` is ASCII whitespace, `.` is any character but a line terminator). Run as
 * a regex it backtracks exponentially: `(C+(.C+)*)` and `([W]+.)+` can split a long run of
 * letters in 2^n ways, so a 40-character address without `@` takes minutes, and a request
 * could freeze the core. This decides the same language in linear time per `@`.
 */

/** Java's line terminators: what its `.` does not match. */
const LINE_TERMINATORS = new Set(['\n', '\r', '\u0085', '\u2028', '\u2029']);
/** Characters of `[^<>()[\]\\.,;:\s@"]` (Java's `\s`: space, \t, \n, \x0B, \f, \r). */
const NOT_LOCAL = new Set([...'<>()[]\\.,;:@"', ' ', '\t', '\n', '\x0B', '\f', '\r']);
const isLocalChar = (c: string): boolean => !NOT_LOCAL.has(c);
const isWordChar = (c: string): boolean => /^[a-zA-Z0-9-]$/.test(c);
const isLetter = (c: string): boolean => /^[a-zA-Z]$/.test(c);
const IP_DOMAIN =
  /^\[[0-9]{1,3}[^\n\r\u0085\u2028\u2029][0-9]{1,3}[^\n\r\u0085\u2028\u2029][0-9]{1,3}[^\n\r\u0085\u2028\u2029][0-9]{1,3}\]$/u;

/**
 * `C+(.C+)*`: starts and ends with a C character, and every other character sits alone between
 * two C characters (it is a separator) and is not a line terminator.
 */
function isDotAtom(chars: string[]): boolean {
  if (chars.length === 0) return false;
  if (!isLocalChar(chars[0]) || !isLocalChar(chars[chars.length - 1])) return false;
  for (let i = 1; i < chars.length - 1; i++) {
    const c = chars[i];
    if (isLocalChar(c)) continue;
    if (LINE_TERMINATORS.has(c) || !isLocalChar(chars[i - 1]) || !isLocalChar(chars[i + 1])) {
      return false;
    }
  }
  return true;
}

/** `".+"`: quoted, at least one character inside, none a line terminator. */
const isQuoted = (chars: string[]): boolean =>
  chars.length >= 3 &&
  chars[0] === '"' &&
  chars[chars.length - 1] === '"' &&
  chars.slice(1, -1).every((c) => !LINE_TERMINATORS.has(c));

/**
 * `([W]+.)+[a-zA-Z]{2,}` with W = `[a-zA-Z0-9-]`: a prefix made of groups (one or more W, then
 * any one character) followed by at least two letters. In the prefix, every non-W character ends
 * a group, so it must follow a W character and not be a line terminator; a W run after the last
 * such character must split into groups of two or more.
 */
function isHostName(chars: string[]): boolean {
  const n = chars.length;
  let letters = 0;
  while (letters < n && isLetter(chars[n - 1 - letters])) letters++;
  let words = 0;
  while (words < n && isWordChar(chars[n - 1 - words])) words++;
  // The part before the trailing W run: its non-W characters must each end a group.
  const head = n - words;
  if (head > 0 && !isWordChar(chars[0])) return false;
  for (let i = 1; i < head; i++) {
    const c = chars[i];
    if (!isWordChar(c) && (LINE_TERMINATORS.has(c) || !isWordChar(chars[i - 1]))) return false;
  }
  // Choose how many trailing letters form the final `[a-zA-Z]{2,}`.
  for (let tail = 2; tail <= letters; tail++) {
    const prefix = n - tail;
    const run = words - tail; // W characters at the end of the prefix
    if (prefix < 2) continue;
    if (head === 0 ? run >= 2 : run !== 1) return true;
  }
  return false;
}

/** Whether the real core accepts this (already trimmed, lower-cased) dashboard email. */
export function isValidDashboardEmail(email: string): boolean {
  const chars = [...email];
  for (let at = 0; at < chars.length; at++) {
    if (chars[at] !== '@') continue;
    const local = chars.slice(0, at);
    const domain = chars.slice(at + 1);
    if (!(isDotAtom(local) || isQuoted(local))) continue;
    if (isHostName(domain) || IP_DOMAIN.test(domain.join(''))) return true;
  }
  return false;
}
