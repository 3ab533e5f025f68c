import { AccountLinkingService } from '../accountlinking/account-linking.service.js';
import type { CoreContext } from '../core.context.js';
import { normaliseEmail } from '../crypto.util.js';
import { EmailPasswordService } from '../emailpassword/emailpassword.service.js';
import { badRequest, CoreHttpError, invalidField } from '../http/core-error.js';
import { body, type JsonObject, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { type ContactChange, PasswordlessService } from '../passwordless/passwordless.service.js';
import { UserIdMappingService } from '../userid/userid-mapping.service.js';
import { userView, usersView } from '../views.js';
import { normalisePhoneNumber } from './phone-number.js';
import { UsersService } from './users.service.js';

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

function contactChange(input: JsonObject): ContactChange {
  return {
    email: change(input, 'email', normaliseEmail),
    phoneNumber: change(input, 'phoneNumber', normalisePhoneNumber),
  };
}

/** The deprecated `GET /recipe/user` of each recipe, routed by `rid` as the real core does. */
function recipeUserLookup(q: URLSearchParams, rid: string | string[] | undefined) {
  const recipeId =
    rid === 'thirdparty' ? 'thirdparty' : rid === 'passwordless' ? 'passwordless' : 'emailpassword';
  const userId = query.optionalString(q, 'userId');
  const email = query.optionalString(q, 'email');
  if (recipeId === 'passwordless') {
    const phone = query.optionalString(q, 'phoneNumber');
    if ([userId, email, phone].filter((v) => v !== undefined).length !== 1) {
      throw badRequest('Please provide exactly one of userId, email or phoneNumber');
    }
    return {
      recipeId,
      userId,
      info: {
        email: email === undefined ? undefined : normaliseEmail(email),
        phoneNumber: phone === undefined ? undefined : normalisePhoneNumber(phone),
      },
      unknown:
        userId !== undefined
          ? 'UNKNOWN_USER_ID_ERROR'
          : email !== undefined
            ? 'UNKNOWN_EMAIL_ERROR'
            : 'UNKNOWN_PHONE_NUMBER_ERROR',
    } as const;
  }
  if (recipeId === 'thirdparty') {
    const id = query.optionalString(q, 'thirdPartyId');
    const providerUserId = query.optionalString(q, 'thirdPartyUserId');
    if (userId !== undefined && (id !== undefined || providerUserId !== undefined)) {
      throw badRequest('Please provide only one of userId or (thirdPartyId & thirdPartyUserId)');
    }
    if (userId === undefined && (id === undefined || providerUserId === undefined)) {
      throw badRequest('Please provide one of userId or (thirdPartyId & thirdPartyUserId)');
    }
    return {
      recipeId,
      userId,
      info: { thirdParty: id === undefined ? undefined : { id, userId: providerUserId! } },
      unknown: userId !== undefined ? 'UNKNOWN_USER_ID_ERROR' : 'UNKNOWN_THIRD_PARTY_USER_ERROR',
    } as const;
  }
  if (userId !== undefined && email !== undefined) {
    throw badRequest('Please provide only one of userId or email');
  }
  if (userId === undefined && email === undefined) {
    throw badRequest('Please provide one of userId or email');
  }
  return {
    recipeId,
    userId,
    info: { email: email === undefined ? undefined : normaliseEmail(email) },
    unknown: userId !== undefined ? 'UNKNOWN_USER_ID_ERROR' : 'UNKNOWN_EMAIL_ERROR',
  } as const;
}

/**
 * `GET /user/id`, `GET /recipe/user` (deprecated, by rid), `GET /<t>/users/by-accountinfo`, `PUT /recipe/user` and `POST /user/remove`
 * (docs/embedded-core.md, Users).
 */
export function usersRoutes(ctx: CoreContext): CoreRoute[] {
  const { store } = ctx;
  const users = new UsersService(ctx);
  const emailPassword = new EmailPasswordService(ctx);
  const passwordless = new PasswordlessService(ctx);
  const linking = new AccountLinkingService(ctx);
  // A user id given to these may be a SuperTokens or an external one.
  const ids = new UserIdMappingService(ctx);
  return [
    {
      method: 'GET',
      path: '/user/id',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        const userId = await ids.toSuperTokensId(appId, query.string(q, 'userId'));
        const user = await users.get(appId, userId);
        if (!user) return { status: 'UNKNOWN_USER_ID_ERROR' };
        return { status: 'OK', user: await userView(store, appId, user) };
      },
    },
    {
      method: 'GET',
      path: '/users/by-accountinfo',
      scope: 'tenant',
      handler: async ({ appId, tenantId, query: q }) => {
        const union = query.string(q, 'doUnionOfAccountInfo');
        if (union !== 'true' && union !== 'false') {
          throw badRequest("'doUnionOfAccountInfo' should be either 'true' or 'false'");
        }
        if (q.has('thirdPartyId') !== q.has('thirdPartyUserId')) {
          throw badRequest(
            "If 'thirdPartyId' is provided, 'thirdPartyUserId' must also be provided, and vice versa",
          );
        }
        const email = query.optionalString(q, 'email');
        const phoneNumber = query.optionalString(q, 'phoneNumber');
        const found = await users.byAccountInfo(appId, tenantId, {
          email: email === undefined ? undefined : normaliseEmail(email),
          phoneNumber: phoneNumber === undefined ? undefined : normalisePhoneNumber(phoneNumber),
          thirdParty: q.has('thirdPartyId')
            ? { id: query.string(q, 'thirdPartyId'), userId: query.string(q, 'thirdPartyUserId') }
            : undefined,
          webauthnCredentialId: query.optionalString(q, 'webauthnCredentialId'),
          union: union === 'true',
        });
        return { status: 'OK', users: await usersView(store, appId, found) };
      },
    },
    {
      method: 'GET',
      path: '/recipe/user',
      scope: 'tenant',
      handler: async ({ appId, tenantId, headers, query: q }) => {
        const lookup = recipeUserLookup(q, headers.rid);
        // By user id the API is app-wide (public tenant only); by login it is the tenant's.
        if (lookup.userId !== undefined && tenantId !== 'public') {
          throw new CoreHttpError(403, 'Only public tenantId can call this app specific API');
        }
        const user =
          lookup.userId !== undefined
            ? await users.recipeUser(
                appId,
                await ids.toSuperTokensId(appId, lookup.userId),
                lookup.recipeId,
              )
            : await users.byRecipeLogin(appId, tenantId, lookup.recipeId, lookup.info);
        if (!user) return { status: lookup.unknown };
        return { status: 'OK', user: await userView(store, appId, user) };
      },
    },
    {
      method: 'PUT',
      path: '/recipe/user',
      scope: 'public-only',
      handler: async ({ appId, headers, body: read }) => {
        const input = read();
        const recipeUserId = await ids.toSuperTokensId(appId, body.string(input, 'recipeUserId'));
        // The real core routes this path by rid: passwordless users have their own update.
        if (headers.rid === 'passwordless') {
          return passwordless.updateUser(appId, recipeUserId, contactChange(input));
        }
        const email = body.optionalString(input, 'email');
        const password = body.optionalString(input, 'password');
        if (email === undefined && password === undefined) {
          throw badRequest('You have to provide either email or password.');
        }
        return emailPassword.updateLogin(appId, recipeUserId, {
          email: email === undefined ? undefined : normaliseEmail(email),
          password,
        });
      },
    },
    {
      method: 'POST',
      path: '/user/remove',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const userId = await ids.toSuperTokensId(appId, body.string(input, 'userId'));
        // Without it, only this login method goes; the user keeps its other linked ones.
        if (body.optionalBoolean(input, 'removeAllLinkedAccounts') === false) {
          await linking.deleteLoginMethod(appId, userId);
        } else {
          await users.delete(appId, userId);
        }
        return { status: 'OK' };
      },
    },
  ];
}
