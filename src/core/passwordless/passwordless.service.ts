import type { PasswordlessStorage } from '../store/storage/passwordless.storage.js';
import type { AuthRecipeStorage } from '../store/storage/auth-recipe.storage.js';
import type { EmailVerificationStorage } from '../store/storage/emailverification.storage.js';
import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import type {
  PasswordlessCodeRecord,
  PasswordlessDeviceRecord,
  UserRecord,
} from '../store/records.js';
import { newId } from '../crypto.util.js';
import {
  decodeBase64,
  decodeBase64Url,
  linkCodeHashOf,
  linkCodeOf,
  newDeviceSecret,
  newSalt,
  preAuthSessionIdOf,
} from './passwordless.codes.js';

/** An email or a phone number (normalised) that codes are sent to. */
export interface Contact {
  email?: string;
  phoneNumber?: string;
}

/** A new code of `POST /recipe/signinup/code`, with the secrets only its caller ever sees. */
export interface IssuedCode {
  preAuthSessionId: string;
  code: PasswordlessCodeRecord;
  /** base64 */
  deviceId: string;
  userInputCode: string;
  /** base64url */
  linkCode: string;
}

/** A user's sign-in or sign-up by a consumed code. */
export interface SignedInUp {
  status: 'OK';
  createdNewUser: boolean;
  user: UserRecord;
  recipeUserId: string;
  consumedDevice: PasswordlessDeviceRecord;
}

/** A key absent = no change, `null` = clear, a string = set (already normalised). */
export interface ContactChange {
  email?: string | null;
  phoneNumber?: string | null;
}

export interface CodeInput {
  preAuthSessionId: string;
  linkCode?: string;
  deviceId?: string;
  userInputCode?: string;
}

export type CodeFailure =
  | { status: 'RESTART_FLOW_ERROR' }
  | {
      status: 'EXPIRED_USER_INPUT_CODE_ERROR' | 'INCORRECT_USER_INPUT_CODE_ERROR';
      failedCodeInputAttemptCount: number;
      maximumCodeInputAttempts: number;
    };

type Checked = { device: PasswordlessDeviceRecord } | { failure: CodeFailure };

const restart = { status: 'RESTART_FLOW_ERROR' } as const;

/**
 * Passwordless sign-in-up (docs/embedded-core.md, Passwordless): devices and their codes,
 * checking and consuming a code, and changing a passwordless user's email or phone number.
 */
export class PasswordlessService {
  constructor(
    private readonly ctx: CoreContext<
      PasswordlessStorage & AuthRecipeStorage & EmailVerificationStorage
    >,
  ) {}

  /**
   * A new code: for a new device (`contact`) or an existing one (`deviceId`, base64). A device
   * that does not exist in this tenant is `RESTART_FLOW_ERROR`.
   */
  async createCode(
    appId: string,
    tenantId: string,
    target: { contact: Contact } | { deviceId: string },
    userInputCode: string,
  ): Promise<
    | ({ status: 'OK' } & IssuedCode)
    | { status: 'RESTART_FLOW_ERROR' | 'USER_INPUT_CODE_ALREADY_USED_ERROR' }
  > {
    const { store, now } = this.ctx;
    let deviceId: Buffer;
    let salt: Buffer;
    let newDevice: PasswordlessDeviceRecord | undefined;
    if ('deviceId' in target) {
      deviceId = decodeBase64(target.deviceId, 'deviceId');
      const device = await store.getPasswordlessDevice(appId, preAuthSessionIdOf(deviceId));
      if (!device || device.tenantId !== tenantId) return restart;
      salt = Buffer.from(device.linkCodeSalt, 'base64');
    } else {
      deviceId = newDeviceSecret();
      salt = newSalt();
      newDevice = {
        preAuthSessionId: preAuthSessionIdOf(deviceId),
        tenantId,
        ...(target.contact.email !== undefined && { email: target.contact.email }),
        ...(target.contact.phoneNumber !== undefined && {
          phoneNumber: target.contact.phoneNumber,
        }),
        linkCodeSalt: salt.toString('base64'),
        failedAttempts: 0,
        codes: [],
      };
    }
    const preAuthSessionId = preAuthSessionIdOf(deviceId);
    const linkCode = linkCodeOf(deviceId, salt, userInputCode);
    const code = { codeId: newId(), linkCodeHash: linkCodeHashOf(linkCode), timeCreated: now() };
    const added = await store.addPasswordlessCode(appId, preAuthSessionId, code, newDevice);
    if (added === 'UNKNOWN_DEVICE') return restart;
    if (added === 'CODE_ALREADY_USED') return { status: 'USER_INPUT_CODE_ALREADY_USED_ERROR' };
    return {
      status: 'OK',
      preAuthSessionId,
      code,
      deviceId: deviceId.toString('base64'),
      userInputCode,
      linkCode: linkCode.toString('base64url'),
    };
  }

  /** This tenant's devices for a contact, or the one device with this id. */
  async devices(
    appId: string,
    tenantId: string,
    by: { contact: Contact } | { deviceId: string } | { preAuthSessionId: string },
  ): Promise<PasswordlessDeviceRecord[]> {
    const { store } = this.ctx;
    if ('contact' in by) return store.findPasswordlessDevices(appId, tenantId, by.contact);
    const id =
      'preAuthSessionId' in by
        ? by.preAuthSessionId
        : preAuthSessionIdOf(decodeBase64(by.deviceId, 'deviceId'));
    const device = await store.getPasswordlessDevice(appId, id);
    return device && device.tenantId === tenantId ? [device] : [];
  }

  /** Revokes one code, or a whole device of this tenant. */
  async revoke(
    appId: string,
    tenantId: string,
    what: { codeId: string } | { preAuthSessionId: string },
  ): Promise<void> {
    const { store } = this.ctx;
    if ('codeId' in what) {
      await store.removePasswordlessCode(appId, what.codeId);
      return;
    }
    const device = await store.getPasswordlessDevice(appId, what.preAuthSessionId);
    if (device?.tenantId === tenantId) {
      await store.deletePasswordlessDevices(appId, [what.preAuthSessionId]);
    }
  }

  /** Ends every pending sign-in of a contact in a tenant. */
  async revokeAll(appId: string, tenantId: string, contact: Contact): Promise<void> {
    const { store } = this.ctx;
    const pending = await store.findPasswordlessDevices(appId, tenantId, contact);
    await store.deletePasswordlessDevices(
      appId,
      pending.map((d) => d.preAuthSessionId),
    );
  }

  private expired(timeCreated: number, lifetime: number): boolean {
    return timeCreated + lifetime < this.ctx.now();
  }

  /** The checks of consume/check in the real core's order; failed attempts are counted. */
  async check(appId: string, tenantId: string, input: CodeInput): Promise<Checked> {
    const { store } = this.ctx;
    // The tenant's own settings: its coreConfig over its app's over the core's.
    const settings = await this.ctx.settings(appId, tenantId);
    const max = settings.passwordlessMaxCodeInputAttempts;
    const lifetime = settings.passwordlessCodeLifetime;
    const byLink = input.linkCode !== undefined;
    if (
      byLink === (input.deviceId !== undefined || input.userInputCode !== undefined) ||
      (!byLink && (input.deviceId === undefined || input.userInputCode === undefined))
    ) {
      throw badRequest('Please provide exactly one of linkCode or deviceId+userInputCode');
    }
    if (byLink) {
      const hash = linkCodeHashOf(decodeBase64Url(input.linkCode!, 'linkCode'));
      const device = await store.findDeviceByLinkCodeHash(appId, hash);
      const code = device?.codes.find((c) => c.linkCodeHash === hash);
      if (
        !device ||
        !code ||
        device.tenantId !== tenantId ||
        device.preAuthSessionId !== input.preAuthSessionId ||
        this.expired(code.timeCreated, lifetime)
      ) {
        return { failure: restart };
      }
      if (device.failedAttempts >= max) {
        await store.deletePasswordlessDevices(appId, [device.preAuthSessionId]);
        return { failure: restart };
      }
      return { device };
    }
    const deviceId = decodeBase64(input.deviceId!, 'deviceId');
    const deviceHash = preAuthSessionIdOf(deviceId);
    if (deviceHash !== input.preAuthSessionId.replace(/=+$/, '')) {
      throw badRequest("preAuthSessionId and deviceId doesn't match");
    }
    const device = await store.getPasswordlessDevice(appId, deviceHash);
    if (!device || device.tenantId !== tenantId) return { failure: restart };
    if (device.failedAttempts >= max) {
      await store.deletePasswordlessDevices(appId, [device.preAuthSessionId]);
      return { failure: restart };
    }
    const typedLinkCodeHash = linkCodeHashOf(
      linkCodeOf(deviceId, Buffer.from(device.linkCodeSalt, 'base64'), input.userInputCode!),
    );
    const code = device.codes.find((c) => c.linkCodeHash === typedLinkCodeHash);
    const expired = code !== undefined && this.expired(code.timeCreated, lifetime);
    if ((!code || expired) && device.failedAttempts + 1 >= max) {
      await store.deletePasswordlessDevices(appId, [device.preAuthSessionId]);
      return { failure: restart };
    }
    if (!code || expired) {
      const count =
        (await store.addFailedAttempt(appId, device.preAuthSessionId)) ?? device.failedAttempts + 1;
      return {
        failure: {
          status: code ? 'EXPIRED_USER_INPUT_CODE_ERROR' : 'INCORRECT_USER_INPUT_CODE_ERROR',
          failedCodeInputAttemptCount: count,
          maximumCodeInputAttempts: max,
        },
      };
    }
    return { device };
  }

  /**
   * Signs the device's contact in or up, marks an email verified, and ends its pending flows.
   * The device is deleted first and only the request that deleted it goes on, so a code is used
   * once even when several consumes race (across processes too).
   */
  async consume(
    appId: string,
    tenantId: string,
    device: PasswordlessDeviceRecord,
  ): Promise<SignedInUp | typeof restart> {
    const { store, now } = this.ctx;
    const claimed = await store.deletePasswordlessDevices(appId, [device.preAuthSessionId]);
    if (claimed.length === 0) return restart;
    const result = await store.signInUpPasswordlessUser(appId, tenantId, {
      recipeUserId: newId(),
      recipeId: 'passwordless',
      tenantIds: [tenantId],
      timeJoined: now(),
      ...(device.email !== undefined && { email: device.email }),
      ...(device.phoneNumber !== undefined && { phoneNumber: device.phoneNumber }),
    });
    if (device.email !== undefined)
      await store.setEmailVerified(appId, result.recipeUserId, device.email, true);
    const method = result.user.loginMethods.find((m) => m.recipeUserId === result.recipeUserId);
    await this.revokeAll(appId, tenantId, {
      email: method?.email,
      phoneNumber: method?.phoneNumber,
    });
    const user = await store.getUser(appId, result.recipeUserId);
    return {
      status: 'OK',
      createdNewUser: result.createdNewUser,
      user: user!,
      recipeUserId: result.recipeUserId,
      consumedDevice: device,
    };
  }

  /**
   * `PUT /recipe/user` with `rid: passwordless`: changes or clears the email and phone number.
   * Pending sign-ins of the old and the new values end.
   */
  async updateUser(
    appId: string,
    recipeUserId: string,
    change: ContactChange,
  ): Promise<{ status: string; reason?: string }> {
    const { store } = this.ctx;
    const { email, phoneNumber } = change;
    if (email === undefined && phoneNumber === undefined) {
      return (await store.getUser(appId, recipeUserId))
        ? { status: 'OK' }
        : { status: 'UNKNOWN_USER_ID_ERROR' };
    }
    const before = await store.getUser(appId, recipeUserId);
    const result = await store.updatePasswordlessLogin(appId, recipeUserId, { email, phoneNumber });
    if (result === 'CLEARS_BOTH')
      throw badRequest('You cannot clear both email and phone number of a user');
    if (result === 'EMAIL_CHANGE_NOT_ALLOWED' || result === 'PHONE_NUMBER_CHANGE_NOT_ALLOWED') {
      const what = result === 'EMAIL_CHANGE_NOT_ALLOWED' ? 'email' : 'phone number';
      return {
        status: `${result}_ERROR`,
        reason: `New ${what} is associated with another primary user ID`,
      };
    }
    if (result !== 'OK') return { status: `${result}_ERROR` };
    const method = before?.loginMethods.find((m) => m.recipeUserId === recipeUserId);
    for (const tenantId of method?.tenantIds ?? []) {
      await this.revokeAll(appId, tenantId, {
        email: method?.email,
        phoneNumber: method?.phoneNumber,
      });
      await this.revokeAll(appId, tenantId, {
        email: email ?? undefined,
        phoneNumber: phoneNumber ?? undefined,
      });
    }
    return { status: 'OK' };
  }
}
