import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import type { JsonObject } from '../http/json-input.js';
import type { PasswordlessDeviceRecord } from '../store/records.js';
import { newId } from '../crypto.util.js';
import { userView } from '../users/user.view.js';
import {
  decodeBase64,
  decodeBase64Url,
  linkCodeHashOf,
  linkCodeOf,
  preAuthSessionIdOf,
} from './passwordless.codes.js';

export interface CodeInput {
  preAuthSessionId: string;
  linkCode?: string;
  deviceId?: string;
  userInputCode?: string;
}

type Checked = { device: PasswordlessDeviceRecord } | { failure: JsonObject };

const restart: JsonObject = { status: 'RESTART_FLOW_ERROR' };

/** Code checks and consumption (spec §4.2), shared by consume and check. */
export class PasswordlessService {
  constructor(private readonly ctx: CoreContext) {}

  private expired(timeCreated: number): boolean {
    return timeCreated + this.ctx.config.passwordlessCodeLifetime < this.ctx.now();
  }

  /** The checks of consume/check in the real core's order; failed attempts are counted. */
  async check(appId: string, tenantId: string, input: CodeInput): Promise<Checked> {
    const { store, config } = this.ctx;
    const max = config.passwordlessMaxCodeInputAttempts;
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
        this.expired(code.timeCreated)
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
    const expired = code !== undefined && this.expired(code.timeCreated);
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

  consumedDevice(device: PasswordlessDeviceRecord): JsonObject {
    return {
      preAuthSessionId: device.preAuthSessionId,
      failedCodeInputAttemptCount: device.failedAttempts,
      ...(device.email !== undefined && { email: device.email }),
      ...(device.phoneNumber !== undefined && { phoneNumber: device.phoneNumber }),
    };
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
  ): Promise<JsonObject> {
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
    const contacts = { email: method?.email, phoneNumber: method?.phoneNumber };
    const pending = await store.findPasswordlessDevices(appId, tenantId, contacts);
    await store.deletePasswordlessDevices(
      appId,
      pending.map((d) => d.preAuthSessionId),
    );
    const user = await store.getUser(appId, result.recipeUserId);
    return {
      status: 'OK',
      createdNewUser: result.createdNewUser,
      user: await userView(store, appId, user!),
      recipeUserId: result.recipeUserId,
      consumedDevice: this.consumedDevice(device),
    };
  }
}
