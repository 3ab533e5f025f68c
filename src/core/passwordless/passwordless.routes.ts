import type { CoreContext } from '../core.context.js';
import { badRequest, invalidField } from '../http/core-error.js';
import { body, type JsonObject, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { normaliseEmail } from '../crypto.util.js';
import { normalisePhoneNumber } from '../users/phone-number.js';
import { consumedDeviceView, deviceView, issuedCodeView, signedInUpView } from '../views.js';
import { newUserInputCode } from './passwordless.codes.js';
import { type CodeInput, type Contact, PasswordlessService } from './passwordless.service.js';

const count = (...values: unknown[]): number => values.filter((v) => v !== undefined).length;

/** An email or phone number as given, normalised; at most one of them is set by the callers. */
const contactOf = (email: string | undefined, phone: string | undefined): Contact => ({
  email: email === undefined ? undefined : normaliseEmail(email),
  phoneNumber: phone === undefined ? undefined : normalisePhoneNumber(phone),
});

function codeInput(input: JsonObject): CodeInput {
  return {
    preAuthSessionId: body.string(input, 'preAuthSessionId'),
    linkCode: body.optionalString(input, 'linkCode'),
    deviceId: body.optionalString(input, 'deviceId'),
    userInputCode: body.optionalString(input, 'userInputCode'),
  };
}

/** Passwordless codes: create / resend, consume, check, list, revoke (docs/embedded-core.md). */
export function passwordlessRoutes(ctx: CoreContext): CoreRoute[] {
  const { store } = ctx;
  const service = new PasswordlessService(ctx);
  /** The tenant's code lifetime: its coreConfig over its app's over the core's. */
  const lifetimeOf = async (appId: string, tenantId: string) =>
    (await ctx.settings(appId, tenantId)).passwordlessCodeLifetime;

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
        const deviceId = body.optionalString(input, 'deviceId');
        if (count(email, phone, deviceId) !== 1) {
          throw badRequest('Please provide exactly one of email, phoneNumber or deviceId');
        }
        const userInputCode = body.optionalString(input, 'userInputCode') ?? newUserInputCode();
        if (userInputCode === '') throw badRequest('userInputCode cannot be an empty string.');
        const outcome = await service.createCode(
          appId,
          tenantId,
          deviceId !== undefined ? { deviceId } : { contact: contactOf(email, phone) },
          userInputCode,
        );
        if (outcome.status !== 'OK') return outcome;
        return issuedCodeView(outcome, await lifetimeOf(appId, tenantId));
      },
    },
    {
      method: 'POST',
      path: '/recipe/signinup/code/consume',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const checked = await service.check(appId, tenantId, codeInput(read()));
        if ('failure' in checked) return checked.failure;
        const outcome = await service.consume(appId, tenantId, checked.device);
        return outcome.status === 'OK' ? signedInUpView(store, appId, outcome) : outcome;
      },
    },
    {
      method: 'POST',
      path: '/recipe/signinup/code/check',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const checked = await service.check(appId, tenantId, codeInput(read()));
        if ('failure' in checked) return checked.failure;
        return { status: 'OK', consumedDevice: consumedDeviceView(checked.device) };
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
        const preAuthSessionId = query.optionalString(q, 'preAuthSessionId');
        if (count(email, phone, deviceId, preAuthSessionId) !== 1) {
          throw badRequest(
            'Please provide exactly one of email, phoneNumber, deviceId or preAuthSessionId',
          );
        }
        const devices = await service.devices(
          appId,
          tenantId,
          deviceId !== undefined
            ? { deviceId }
            : preAuthSessionId !== undefined
              ? { preAuthSessionId }
              : { contact: contactOf(email, phone) },
        );
        const lifetime = await lifetimeOf(appId, tenantId);
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
        const preAuthSessionId = body.optionalString(input, 'preAuthSessionId');
        if (codeId === undefined && preAuthSessionId === undefined) {
          throw badRequest("Please provide either 'codeId' or 'preAuthSessionId'");
        }
        if (codeId !== undefined && preAuthSessionId !== undefined) {
          throw badRequest("Please provide only one of 'codeId' or 'preAuthSessionId'");
        }
        await service.revoke(
          appId,
          tenantId,
          codeId !== undefined ? { codeId } : { preAuthSessionId: preAuthSessionId! },
        );
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
        await service.revokeAll(appId, tenantId, contactOf(email, phone));
        return { status: 'OK' };
      },
    },
  ];
}
