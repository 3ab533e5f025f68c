import type { AuthModuleOptions } from '../module/auth-options.interface.js';

/** 12 hours: ASVS 4.0 V3.3.2 (level 2) re-authentication while in use. */
export const HARDENED_SESSION_LIFETIME_SECONDS = 12 * 60 * 60;
/** 10 minutes: ASVS 4.0 V2.7.2 (out-of-band codes expire after 10 minutes). */
export const HARDENED_CODE_LIFETIME_MS = 10 * 60 * 1000;
/** bcrypt reads the first 72 bytes of a password and ignores the rest. */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;

/** `security` with every setting decided. */
export interface SecuritySettings {
  hardened: boolean;
  revokeSessionsOnPasswordChange: boolean;
  equalSignInTiming: boolean;
  absoluteSessionLifetime: number | false;
}

/**
 * Whether session cookies get `__Host-` / `__Secure-` names: `security.cookiePrefixes`, else on
 * in the hardened profile when the API domain is https (the prefixes require Secure cookies).
 */
export function cookiePrefixesOn(options: AuthModuleOptions): boolean {
  const own = typeof options.security === 'object' ? options.security.cookiePrefixes : undefined;
  const https = options.appInfo.apiDomain.trim().toLowerCase().startsWith('https://');
  return https && (own ?? securitySettings(options).hardened);
}

export function securitySettings(options: AuthModuleOptions): SecuritySettings {
  const own = typeof options.security === 'object' ? options.security : {};
  const hardened = options.security === 'hardened' || own.profile === 'hardened';
  return {
    hardened,
    revokeSessionsOnPasswordChange: own.revokeSessionsOnPasswordChange ?? true,
    equalSignInTiming: own.equalSignInTiming ?? true,
    absoluteSessionLifetime:
      own.absoluteSessionLifetime ?? (hardened ? HARDENED_SESSION_LIFETIME_SECONDS : false),
  };
}
