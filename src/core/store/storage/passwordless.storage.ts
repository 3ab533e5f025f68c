import type {
  LoginMethodRecord,
  PasswordlessCodeRecord,
  PasswordlessDeviceRecord,
  UserRecord,
} from '../records.js';
import type { AccountInfoQuery } from './auth-recipe.storage.js';

/** The outcome of `PasswordlessStorage.updatePasswordlessLogin`. */
export type PasswordlessLoginUpdate =
  | 'OK'
  | 'UNKNOWN_USER_ID'
  | 'EMAIL_ALREADY_EXISTS'
  | 'PHONE_NUMBER_ALREADY_EXISTS'
  | 'CLEARS_BOTH'
  /** The user is a primary user and another primary user has the new value in its tenants. */
  | 'EMAIL_CHANGE_NOT_ALLOWED'
  | 'PHONE_NUMBER_CHANGE_NOT_ALLOWED';

/**
 * One-time-code logins, devices and codes (official tables `passwordless_users`,
 * `passwordless_user_to_tenant`, `passwordless_devices`, `passwordless_codes`): the plugin
 * interface's `PasswordlessStorage`.
 */
export interface PasswordlessStorage {
  /**
   * Adds a code: to a new device (`newDevice`) or to the existing device `preAuthSessionId`.
   * Fails when that device is gone or already has a code with the same link code (which is the
   * same user input code).
   */
  addPasswordlessCode(
    appId: string,
    preAuthSessionId: string,
    code: PasswordlessCodeRecord,
    newDevice?: PasswordlessDeviceRecord,
  ): Promise<'OK' | 'UNKNOWN_DEVICE' | 'CODE_ALREADY_USED'>;
  getPasswordlessDevice(
    appId: string,
    preAuthSessionId: string,
  ): Promise<PasswordlessDeviceRecord | undefined>;
  /** The device holding the code with this link-code hash. */
  findDeviceByLinkCodeHash(
    appId: string,
    linkCodeHash: string,
  ): Promise<PasswordlessDeviceRecord | undefined>;
  /** Devices of a tenant for this email or phone number. */
  findPasswordlessDevices(
    appId: string,
    tenantId: string,
    contact: AccountInfoQuery,
  ): Promise<PasswordlessDeviceRecord[]>;
  /** Adds a failed attempt; returns the new count, or undefined when the device is gone. */
  addFailedAttempt(appId: string, preAuthSessionId: string): Promise<number | undefined>;
  /** Deletes the devices with their codes; returns the ids that existed (claim-by-delete). */
  deletePasswordlessDevices(appId: string, preAuthSessionIds: string[]): Promise<string[]>;
  /** Removes one code; a device left without codes is removed too. */
  removePasswordlessCode(appId: string, codeId: string): Promise<void>;
  /**
   * The passwordless user of this tenant with the email or phone number, created (with
   * `loginMethod`) when there is none. Atomic: two concurrent first sign-ins make one user.
   */
  signInUpPasswordlessUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord,
  ): Promise<{ user: UserRecord; recipeUserId: string; createdNewUser: boolean }>;
  /**
   * Changes a passwordless login's email and/or phone number (`null` clears one; both may not end
   * up empty). Unique per tenant among passwordless logins.
   */
  updatePasswordlessLogin(
    appId: string,
    recipeUserId: string,
    patch: { email?: string | null; phoneNumber?: string | null },
  ): Promise<PasswordlessLoginUpdate>;
}
