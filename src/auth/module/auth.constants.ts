/** Metadata key of `@Public()`. */
export const PUBLIC_ROUTE = 'nest-supertokens:public';
/** Metadata key of `@VerifySession()`. */
export const VERIFY_SESSION_OPTIONS = 'nest-supertokens:verify-session';
/** Injection token of the module's runtime (`AuthRuntime`): the core in use, settled paths, caches. */
export const AUTH_RUNTIME = Symbol('nest-supertokens:runtime');
