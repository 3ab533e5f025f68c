import type { CoreContext } from '../core.context.js';
import { badRequest, invalidField } from '../http/core-error.js';
import { body, type JsonObject } from '../http/json-input.js';
import { normaliseEmail } from '../crypto.util.js';
import { normalisePhoneNumber } from '../users/phone-number.js';

/** A key absent = no change, JSON `null` = clear, a string = set (normalised). */
function change(
  input: JsonObject,
  field: string,
  normalise: (v: string) => string,
): string | null | undefined {
  const value = input[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw invalidField(field);
  return normalise(value);
}

/** `PUT /recipe/user` with `rid: passwordless` (spec §4.2): change or clear email / phone number. */
export async function updatePasswordlessUser(
  { store }: CoreContext,
  appId: string,
  input: JsonObject,
): Promise<JsonObject> {
  const recipeUserId = body.string(input, 'recipeUserId');
  const email = change(input, 'email', normaliseEmail);
  const phoneNumber = change(input, 'phoneNumber', normalisePhoneNumber);
  if (email === undefined && phoneNumber === undefined) {
    return (await store.getUser(appId, recipeUserId))
      ? { status: 'OK' }
      : { status: 'UNKNOWN_USER_ID_ERROR' };
  }
  const before = await store.getUser(appId, recipeUserId);
  const result = await store.updatePasswordlessLogin(appId, recipeUserId, { email, phoneNumber });
  if (result === 'CLEARS_BOTH')
    throw badRequest('You cannot clear both email and phone number of a user');
  if (result !== 'OK') return { status: `${result}_ERROR` };
  // Pending sign-ins of the old and the new contact values end.
  const method = before?.loginMethods.find((m) => m.recipeUserId === recipeUserId);
  for (const tenantId of method?.tenantIds ?? []) {
    for (const contact of [
      { email: method?.email, phoneNumber: method?.phoneNumber },
      { email: email ?? undefined, phoneNumber: phoneNumber ?? undefined },
    ]) {
      const pending = await store.findPasswordlessDevices(appId, tenantId, contact);
      await store.deletePasswordlessDevices(
        appId,
        pending.map((d) => d.preAuthSessionId),
      );
    }
  }
  return { status: 'OK' };
}
