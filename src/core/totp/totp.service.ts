import type { CoreContext } from '../core.context.js';
import type { TotpDeviceRecord } from '../store/records.js';
import type { TotpStorage } from '../store/storage/totp.storage.js';
import { checkTotpAttempt, type TotpCheck } from './totp-attempts.js';
import { newTotpSecret } from './totp-code.js';

/** A device's settings as created or imported. */
export interface TotpDeviceInput {
  userId: string;
  /** Absent: the real core's `TOTP Device <n>`. */
  deviceName?: string;
  period: number;
  skew: number;
}

type CheckFailure = Exclude<TotpCheck, { status: 'OK' }>;

export type VerifyDeviceResult =
  { status: 'OK'; wasAlreadyVerified: boolean } | { status: 'UNKNOWN_DEVICE_ERROR' } | CheckFailure;

export type VerifyCodeResult =
  { status: 'OK' } | { status: 'UNKNOWN_USER_ID_ERROR' } | CheckFailure;

/**
 * TOTP devices and codes (docs/embedded-core.md, TOTP), as the real core 11.4's `Totp` does it:
 * devices per user (any user id), codes checked against verified devices, each code used once,
 * and wrong codes limited per user and tenant (`totp_max_attempts`, `totp_rate_limit_cooldown_sec`).
 */
export class TotpService {
  constructor(private readonly ctx: CoreContext<TotpStorage>) {}

  /** A new, unverified device with a new secret. */
  async register(
    appId: string,
    input: TotpDeviceInput,
  ): Promise<
    { status: 'OK'; deviceName: string; secret: string } | { status: 'DEVICE_ALREADY_EXISTS_ERROR' }
  > {
    const secret = newTotpSecret();
    const deviceName = await this.create(appId, input, secret, false);
    return deviceName === undefined
      ? { status: 'DEVICE_ALREADY_EXISTS_ERROR' }
      : { status: 'OK', deviceName, secret };
  }

  /** A device with the caller's secret, verified already (moving users in). */
  async import(
    appId: string,
    input: TotpDeviceInput & { secretKey: string },
  ): Promise<{ status: 'OK'; deviceName: string } | { status: 'DEVICE_ALREADY_EXISTS_ERROR' }> {
    const deviceName = await this.create(appId, input, input.secretKey, true);
    return deviceName === undefined
      ? { status: 'DEVICE_ALREADY_EXISTS_ERROR' }
      : { status: 'OK', deviceName };
  }

  /** The name it was created under, or undefined when a verified device has it. */
  private async create(
    appId: string,
    input: TotpDeviceInput,
    secretKey: string,
    verified: boolean,
  ): Promise<string | undefined> {
    const { store, now } = this.ctx;
    const device = (name: string): TotpDeviceRecord => ({
      userId: input.userId,
      name,
      secretKey,
      period: input.period,
      skew: input.skew,
      verified,
      createdAt: now(),
    });
    if (input.deviceName !== undefined) {
      const created = await store.createTotpDevice(appId, device(input.deviceName));
      return created === 'OK' ? input.deviceName : undefined;
    }
    // The real core's default names: `TOTP Device <n>` from the number of verified devices up.
    const devices = await store.listTotpDevices(appId, input.userId);
    for (let n = devices.filter((d) => d.verified).length; ; n++) {
      const name = `TOTP Device ${n}`;
      if ((await store.createTotpDevice(appId, device(name))) === 'OK') return name;
    }
  }

  list(appId: string, userId: string): Promise<TotpDeviceRecord[]> {
    return this.ctx.store.listTotpDevices(appId, userId);
  }

  async rename(appId: string, userId: string, name: string, newName: string) {
    const renamed = await this.ctx.store.renameTotpDevice(appId, userId, name, newName);
    return { status: renamed === 'OK' ? 'OK' : `${renamed}_ERROR` };
  }

  async remove(appId: string, userId: string, name: string) {
    return {
      status: 'OK',
      didDeviceExist: await this.ctx.store.removeTotpDevice(appId, userId, name),
    };
  }

  /** Per user, in the order asked: null (no device), false (none verified) or true. */
  async deviceStatus(
    appId: string,
    userIds: string[],
  ): Promise<{ userId: string; hasVerifiedDevice: boolean | null }[]> {
    const devices = await this.ctx.store.listTotpDevicesOfUsers(appId, [...new Set(userIds)]);
    return userIds.map((userId) => {
      const own = devices.get(userId);
      return { userId, hasVerifiedDevice: own ? own.some((d) => d.verified) : null };
    });
  }

  /**
   * Finishes an enrolment: a code of this (unverified) device verifies it. A verified device
   * answers at once, without checking the code, as the real core does.
   */
  async verifyDevice(
    appId: string,
    tenantId: string,
    userId: string,
    deviceName: string,
    code: string,
  ): Promise<VerifyDeviceResult> {
    const rules = await this.rules(appId, tenantId);
    return this.ctx.store.recordTotpAttempt<VerifyDeviceResult>(
      appId,
      tenantId,
      userId,
      ({ devices, usedCodes }) => {
        const device = devices.find((d) => d.name === deviceName);
        if (!device) return { result: { status: 'UNKNOWN_DEVICE_ERROR' } };
        if (device.verified) return { result: { status: 'OK', wasAlreadyVerified: true } };
        const { check, record } = checkTotpAttempt(code, [device], usedCodes, rules);
        if (check.status !== 'OK') return { result: check, usedCode: record };
        return {
          result: { status: 'OK', wasAlreadyVerified: false },
          usedCode: record,
          verifiedDevice: deviceName,
        };
      },
    );
  }

  /** A sign-in's second factor: a code of any verified device, used once. */
  async verifyCode(
    appId: string,
    tenantId: string,
    userId: string,
    code: string,
  ): Promise<VerifyCodeResult> {
    const rules = await this.rules(appId, tenantId);
    return this.ctx.store.recordTotpAttempt<VerifyCodeResult>(
      appId,
      tenantId,
      userId,
      ({ devices, usedCodes }) => {
        if (devices.length === 0) return { result: { status: 'UNKNOWN_USER_ID_ERROR' } };
        const verified = devices.filter((d) => d.verified);
        const { check, record } = checkTotpAttempt(code, verified, usedCodes, rules);
        return {
          result: check.status === 'OK' ? { status: 'OK' } : check,
          usedCode: record,
        };
      },
    );
  }

  private async rules(appId: string, tenantId: string) {
    const settings = await this.ctx.settings(appId, tenantId);
    return {
      maxAttempts: settings.totpMaxAttempts,
      cooldownMs: settings.totpRateLimitCooldownSec * 1000,
      now: this.ctx.now(),
    };
  }
}
