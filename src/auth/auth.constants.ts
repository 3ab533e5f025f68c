/** Metadata key of `@Public()`. */
export const PUBLIC_ROUTE = 'nest-supertokens:public';
/** Metadata key of `@VerifySession()`. */
export const VERIFY_SESSION_OPTIONS = 'nest-supertokens:verify-session';
/** Where `AuthGuard` leaves the verified session on the request, for `@Session()`. */
export const REQUEST_SESSION = Symbol.for('nest-supertokens:session');
