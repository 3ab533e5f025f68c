import type { CoreContext } from '../core.context.js';
import { badRequest, invalidField } from '../http/core-error.js';
import { body, type JsonObject, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { totpDevicesView } from '../views.js';
import { TotpService, type TotpDeviceInput } from './totp.service.js';

/** Required strings, in order (a missing one is `Field name '<f>' is invalid in JSON input`). */
const strings = (input: JsonObject, ...fields: string[]): string[] =>
  fields.map((field) => body.string(input, field));

/** The real core's `<field> cannot be empty`, checked once every field was read, in order. */
function notEmpty(values: Record<string, string>): void {
  for (const [field, value] of Object.entries(values)) {
    if (value === '') throw badRequest(`${field} cannot be empty`);
  }
}

/** A device's settings (an import's `secretKey` too, read last and checked before the numbers). */
function deviceInput(
  input: JsonObject,
  withSecret: boolean,
): TotpDeviceInput & { secretKey?: string } {
  const userId = body.string(input, 'userId');
  const deviceName = body.optionalString(input, 'deviceName');
  const skew = body.int(input, 'skew');
  const period = body.int(input, 'period');
  const secretKey = withSecret ? body.string(input, 'secretKey') : undefined;
  notEmpty({
    userId,
    ...(deviceName !== undefined && { deviceName }),
    ...(secretKey !== undefined && { secretKey }),
  });
  if (skew < 0) throw badRequest('skew must be >= 0');
  if (period <= 0) throw badRequest('period must be > 0');
  return { userId, deviceName, skew, period, ...(secretKey !== undefined && { secretKey }) };
}

/** The most users `device/status/bulk` answers for at once. */
const MAX_BULK_USERS = 500;

/** TOTP devices and codes (docs/embedded-core.md, TOTP), as supertokens-core 11.4's handlers. */
export function totpRoutes(ctx: CoreContext): CoreRoute[] {
  const totp = new TotpService(ctx);
  return [
    {
      method: 'POST',
      path: '/recipe/totp/device',
      scope: 'public-only',
      handler: ({ appId, body: read }) => totp.register(appId, deviceInput(read(), false)),
    },
    {
      method: 'PUT',
      path: '/recipe/totp/device',
      scope: 'public-only',
      handler: ({ appId, body: read }) => {
        const [userId, existingDeviceName, newDeviceName] = strings(
          read(),
          'userId',
          'existingDeviceName',
          'newDeviceName',
        ) as [string, string, string];
        notEmpty({ userId, existingDeviceName, newDeviceName });
        return totp.rename(appId, userId, existingDeviceName, newDeviceName);
      },
    },
    {
      method: 'GET',
      path: '/recipe/totp/device/list',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        const userId = query.string(q, 'userId');
        notEmpty({ userId });
        return { status: 'OK', devices: totpDevicesView(await totp.list(appId, userId)) };
      },
    },
    {
      method: 'POST',
      path: '/recipe/totp/device/remove',
      scope: 'public-only',
      handler: ({ appId, body: read }) => {
        const [userId, deviceName] = strings(read(), 'userId', 'deviceName') as [string, string];
        notEmpty({ userId, deviceName });
        return totp.remove(appId, userId, deviceName);
      },
    },
    {
      method: 'POST',
      path: '/recipe/totp/device/import',
      scope: 'public-only',
      handler: ({ appId, body: read }) => {
        const input = read();
        const { secretKey, ...device } = deviceInput(input, true);
        return totp.import(appId, { ...device, secretKey: secretKey! });
      },
    },
    {
      method: 'POST',
      path: '/recipe/totp/device/verify',
      scope: 'tenant',
      handler: ({ appId, tenantId, body: read }) => {
        const [userId, deviceName, code] = strings(read(), 'userId', 'deviceName', 'totp') as [
          string,
          string,
          string,
        ];
        notEmpty({ userId, deviceName });
        return totp.verifyDevice(appId, tenantId, userId, deviceName, code);
      },
    },
    {
      method: 'POST',
      path: '/recipe/totp/verify',
      scope: 'tenant',
      handler: ({ appId, tenantId, body: read }) => {
        const [userId, code] = strings(read(), 'userId', 'totp') as [string, string];
        notEmpty({ userId });
        return totp.verifyCode(appId, tenantId, userId, code);
      },
    },
    {
      method: 'POST',
      path: '/recipe/totp/device/status/bulk',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const userIds = read().userIds;
        if (!Array.isArray(userIds)) throw invalidField('userIds');
        if (userIds.length > MAX_BULK_USERS) {
          throw badRequest(`You can only query up to ${MAX_BULK_USERS} users at a time.`);
        }
        if (!userIds.every((id): id is string => typeof id === 'string')) {
          throw badRequest('userIds array must contain only strings');
        }
        return { status: 'OK', users: await totp.deviceStatus(appId, userIds) };
      },
    },
  ];
}
