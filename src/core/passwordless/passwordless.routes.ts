import type { CoreContext } from '../core.context.js';
import { badRequest, invalidField } from '../http/core-error.js';
import { body, type JsonObject, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import type { PasswordlessDeviceRecord } from '../store/records.js';
import { newId, normaliseEmail } from '../crypto.util.js';
import { normalisePhoneNumber } from '../users/phone-number.js';
import {
  decodeBase64,
  linkCodeHashOf,
  linkCodeOf,
  newDeviceSecret,
  newSalt,
  newUserInputCode,
  preAuthSessionIdOf,
} from './passwordless.codes.js';
import { type CodeInput, PasswordlessService } from './passwordless.service.js';

const count = (...values: unknown[]): number => values.filter((v) => v !== undefined).length;

function codeInput(input: JsonObject): CodeInput {
  return {
    preAuthSessionId: body.string(input, 'preAuthSessionId'),
    linkCode: body.optionalString(input, 'linkCode'),
    deviceId: body.optionalString(input, 'deviceId'),
    userInputCode: body.optionalString(input, 'userInputCode'),
  };
}

const deviceView = (device: PasswordlessDeviceRecord, lifetime: number): JsonObject => ({
  preAuthSessionId: device.preAuthSessionId,
  failedCodeInputAttemptCount: device.failedAttempts,
  ...(device.email !== undefined && { email: device.email }),
  ...(device.phoneNumber !== undefined && { phoneNumber: device.phoneNumber }),
  codes: device.codes.map((c) => ({
    codeId: c.codeId,
    timeCreated: c.timeCreated,
    codeLifetime: lifetime,
  })),
});

/** Passwordless codes: create / resend, consume, check, list, revoke (spec §4.2). */
export function passwordlessRoutes(ctx: CoreContext): CoreRoute[] {
  const { store, config, now } = ctx;
  const service = new PasswordlessService(ctx);
  const lifetime = config.passwordlessCodeLifetime;

  return [
    {
      method: 'POST',
      path: '/recipe/signinup/code',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        if (input.email === null) throw invalidField('email');
        const email = body.optionalString(input, 'email');
        const phone = body.optionalString(input, 'phoneNumber');
        const deviceIdText = body.optionalString(input, 'deviceId');
        if (count(email, phone, deviceIdText) !== 1) {
          throw badRequest('Please provide exactly one of email, phoneNumber or deviceId');
        }
        const userInputCode = body.optionalString(input, 'userInputCode') ?? newUserInputCode();
        if (userInputCode === '') throw badRequest('userInputCode cannot be an empty string.');
        let deviceId: Buffer;
        let newDevice: PasswordlessDeviceRecord | undefined;
        let salt: Buffer;
        if (deviceIdText !== undefined) {
          deviceId = decodeBase64(deviceIdText, 'deviceId');
          const device = await store.getPasswordlessDevice(appId, preAuthSessionIdOf(deviceId));
          if (!device || device.tenantId !== tenantId) return { status: 'RESTART_FLOW_ERROR' };
          salt = Buffer.from(device.linkCodeSalt, 'base64');
        } else {
          deviceId = newDeviceSecret();
          salt = newSalt();
          newDevice = {
            preAuthSessionId: preAuthSessionIdOf(deviceId),
            tenantId,
            ...(email !== undefined && { email: normaliseEmail(email) }),
            ...(phone !== undefined && { phoneNumber: normalisePhoneNumber(phone) }),
            linkCodeSalt: salt.toString('base64'),
            failedAttempts: 0,
            codes: [],
          };
        }
        const preAuthSessionId = preAuthSessionIdOf(deviceId);
        const linkCode = linkCodeOf(deviceId, salt, userInputCode);
        const code = {
          codeId: newId(),
          linkCodeHash: linkCodeHashOf(linkCode),
          timeCreated: now(),
        };
        const added = await store.addPasswordlessCode(appId, preAuthSessionId, code, newDevice);
        if (added === 'UNKNOWN_DEVICE') return { status: 'RESTART_FLOW_ERROR' };
        if (added === 'CODE_ALREADY_USED') return { status: 'USER_INPUT_CODE_ALREADY_USED_ERROR' };
        return {
          status: 'OK',
          preAuthSessionId,
          codeId: code.codeId,
          deviceId: deviceId.toString('base64'),
          userInputCode,
          linkCode: linkCode.toString('base64url'),
          timeCreated: code.timeCreated,
          codeLifetime: lifetime,
        };
      },
    },
    {
      method: 'POST',
      path: '/recipe/signinup/code/consume',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const checked = await service.check(appId, tenantId, codeInput(read()));
        return 'failure' in checked
          ? checked.failure
          : service.consume(appId, tenantId, checked.device);
      },
    },
    {
      method: 'POST',
      path: '/recipe/signinup/code/check',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const checked = await service.check(appId, tenantId, codeInput(read()));
        if ('failure' in checked) return checked.failure;
        return { status: 'OK', consumedDevice: service.consumedDevice(checked.device) };
      },
    },
    {
      method: 'GET',
      path: '/recipe/signinup/codes',
      scope: 'tenant',
      handler: async ({ appId, tenantId, query: q }) => {
        const email = query.optionalString(q, 'email');
        const phone = query.optionalString(q, 'phoneNumber');
        const deviceId = query.optionalString(q, 'deviceId');
        const preAuth = query.optionalString(q, 'preAuthSessionId');
        if (count(email, phone, deviceId, preAuth) !== 1) {
          throw badRequest(
            'Please provide exactly one of email, phoneNumber, deviceId or preAuthSessionId',
          );
        }
        let devices: PasswordlessDeviceRecord[];
        if (email !== undefined || phone !== undefined) {
          devices = await store.findPasswordlessDevices(appId, tenantId, {
            email: email === undefined ? undefined : normaliseEmail(email),
            phoneNumber: phone === undefined ? undefined : normalisePhoneNumber(phone),
          });
        } else {
          const id = preAuth ?? preAuthSessionIdOf(decodeBase64(deviceId!, 'deviceId'));
          const device = await store.getPasswordlessDevice(appId, id);
          devices = device && device.tenantId === tenantId ? [device] : [];
        }
        return { status: 'OK', devices: devices.map((d) => deviceView(d, lifetime)) };
      },
    },
    {
      method: 'POST',
      path: '/recipe/signinup/code/remove',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const codeId = body.optionalString(input, 'codeId');
        const preAuth = body.optionalString(input, 'preAuthSessionId');
        if (codeId === undefined && preAuth === undefined) {
          throw badRequest("Please provide either 'codeId' or 'preAuthSessionId'");
        }
        if (codeId !== undefined && preAuth !== undefined) {
          throw badRequest("Please provide only one of 'codeId' or 'preAuthSessionId'");
        }
        if (codeId !== undefined) await store.removePasswordlessCode(appId, codeId);
        else {
          const device = await store.getPasswordlessDevice(appId, preAuth!);
          if (device?.tenantId === tenantId)
            await store.deletePasswordlessDevices(appId, [preAuth!]);
        }
        return { status: 'OK' };
      },
    },
    {
      method: 'POST',
      path: '/recipe/signinup/codes/remove',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const email = body.optionalString(input, 'email');
        const phone = body.optionalString(input, 'phoneNumber');
        if (count(email, phone) !== 1)
          throw badRequest('Please provide exactly one of email or phoneNumber');
        const devices = await store.findPasswordlessDevices(appId, tenantId, {
          email: email === undefined ? undefined : normaliseEmail(email),
          phoneNumber: phone === undefined ? undefined : normalisePhoneNumber(phone),
        });
        await store.deletePasswordlessDevices(
          appId,
          devices.map((d) => d.preAuthSessionId),
        );
        return { status: 'OK' };
      },
    },
  ];
}
