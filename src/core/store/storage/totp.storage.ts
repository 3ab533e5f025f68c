import type { TotpDeviceRecord, TotpUsedCodeRecord } from '../records.js';

/** What a TOTP code check reads: the user's devices and its codes tried in the tenant. */
export interface TotpAttemptState {
  devices: TotpDeviceRecord[];
  /** Newest first. */
  usedCodes: TotpUsedCodeRecord[];
}

/** What a code check decided: its answer, the attempt to record, the device it verified. */
export interface TotpAttemptDecision<T> {
  result: T;
  usedCode?: TotpUsedCodeRecord;
  verifiedDevice?: string;
}

/**
 * Authenticator devices and the codes tried with them (official tables `totp_users`,
 * `totp_user_devices`, `totp_used_codes`): the plugin interface's `TOTPStorage`.
 */
export interface TotpStorage {
  /**
   * Adds a device. A device of that user and name that is not verified yet is replaced (a new
   * secret for an enrolment that was never finished); a verified one refuses.
   */
  createTotpDevice(
    appId: string,
    device: TotpDeviceRecord,
  ): Promise<'OK' | 'DEVICE_ALREADY_EXISTS'>;
  /** In the order they were created. */
  listTotpDevices(appId: string, userId: string): Promise<TotpDeviceRecord[]>;
  /** The devices of several users at once, by user id (users without any are absent). */
  listTotpDevicesOfUsers(
    appId: string,
    userIds: string[],
  ): Promise<Map<string, TotpDeviceRecord[]>>;
  renameTotpDevice(
    appId: string,
    userId: string,
    name: string,
    newName: string,
  ): Promise<'OK' | 'UNKNOWN_DEVICE' | 'DEVICE_ALREADY_EXISTS'>;
  /**
   * Deletes a device; whether it existed. The user's last device takes its TOTP state (the codes
   * tried, in every tenant) with it, as in the real core.
   */
  removeTotpDevice(appId: string, userId: string, name: string): Promise<boolean>;
  /**
   * A code check, atomic per user (two uses of one code: one wins): loads the user's devices and
   * the codes tried in the tenant, runs `decide` and records what it decided. A user without a
   * device has nothing to record (`decide` sees no device). `decide` must not throw.
   */
  recordTotpAttempt<T>(
    appId: string,
    tenantId: string,
    userId: string,
    decide: (state: TotpAttemptState) => TotpAttemptDecision<T>,
  ): Promise<T>;
}
