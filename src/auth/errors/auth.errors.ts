/** A configuration mistake, found at start-up: names the option, the problem and the fix. */
export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
}
