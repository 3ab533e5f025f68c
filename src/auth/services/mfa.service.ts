import { Injectable } from '@nestjs/common';
import MultiFactorAuth from 'supertokens-node/recipe/multifactorauth';
import TOTP from 'supertokens-node/recipe/totp';

/** A TOTP device of a user, without its secret. */
export interface TotpDevice {
  name: string;
  period: number;
  skew: number;
  verified: boolean;
}

/**
 * A user's second factors (needs `mfa`): which are set up, which the user must complete, and
 * the user's TOTP devices. The SDK's MultiFactorAuth and TOTP functions, not copies: a user's
 * required factors live in its metadata, where the SDK reads them at every sign-in.
 * @example await mfa.addRequiredFactor(userId, 'totp') // from now on, this user needs TOTP
 */
@Injectable()
export class MfaService {
  /** The factors the user has set up (`emailpassword`, `totp`, `otp-phone`, …). */
  factorsSetUp(userId: string): Promise<string[]> {
    return MultiFactorAuth.getFactorsSetupForUser(userId);
  }

  /** The second factors this user must complete (its own, besides the tenant's and the app's). */
  requiredFactors(userId: string): Promise<string[]> {
    return MultiFactorAuth.getRequiredSecondaryFactorsForUser(userId);
  }

  /** Requires `factorId` of this user at its next sign-ins. */
  addRequiredFactor(userId: string, factorId: string): Promise<void> {
    return MultiFactorAuth.addToRequiredSecondaryFactorsForUser(userId, factorId);
  }

  /** No longer requires `factorId` of this user (the tenant's and the app's still apply). */
  removeRequiredFactor(userId: string, factorId: string): Promise<void> {
    return MultiFactorAuth.removeFromRequiredSecondaryFactorsForUser(userId, factorId);
  }

  /** The user's TOTP devices (needs `mfa.totp`). */
  async totpDevices(userId: string): Promise<TotpDevice[]> {
    return (await TOTP.listDevices(userId)).devices;
  }

  /**
   * Removes a TOTP device, e.g. when it is lost (needs `mfa.totp`). Whether it existed. The user
   * enrols a new one at its next sign-in if TOTP is still required of it.
   */
  async removeTotpDevice(userId: string, deviceName: string): Promise<boolean> {
    return (await TOTP.removeDevice(userId, deviceName)).didDeviceExist;
  }
}
