import type { CoreContext } from '../core.context.js';
import { normaliseEmail } from '../crypto.util.js';
import { invalidField } from '../http/core-error.js';
import { body, type JsonObject, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import type { WebAuthnOptionsRecord } from '../store/records.js';
import { UserIdMappingService } from '../userid/userid-mapping.service.js';
import {
  recipeUserIdView,
  userView,
  webAuthnCredentialView,
  webAuthnOptionsView,
} from '../views.js';
import { algorithmId, optionsProblem } from './webauthn-options.js';
import { WebAuthnService } from './webauthn.service.js';

/** The real core's defaults when a field is absent (or, for strings, empty). */
const DEFAULT_TIMEOUT = 6000;
const DEFAULT_ALGORITHMS = [-8, -7, -257];

/** An optional string where `""` means "the default", as the real core reads these fields. */
const stringOr = (input: JsonObject, field: string, fallback: string): string =>
  body.optionalString(input, field) || fallback;

/** `webauthnGeneratedOptionsId` and `credential`, as the sign-up, sign-in and register APIs read them. */
function ceremonyInput(input: JsonObject): { optionsId: string; credential: JsonObject } {
  return {
    optionsId: body.string(input, 'webauthnGeneratedOptionsId'),
    credential: body.object(input, 'credential'),
  };
}

/**
 * The relying party and origin of options, as the real core reads them: register options name
 * first, sign-in options the id first (which field a 400 names when both are missing).
 */
function relyingParty(input: JsonObject, order: 'register' | 'signin') {
  if (order === 'signin') body.string(input, 'relyingPartyId');
  return {
    relyingPartyName: body.string(input, 'relyingPartyName'),
    relyingPartyId: body.string(input, 'relyingPartyId'),
    origin: body.string(input, 'origin'),
  };
}

/**
 * `userPresence` defaults to true (a user must touch or unlock the authenticator): stricter than
 * the real core's false (docs/embedded-core.md, WebAuthn).
 */
const userPresenceOf = (input: JsonObject): boolean =>
  body.optionalBoolean(input, 'userPresence') ?? true;

/**
 * Passkeys (docs/embedded-core.md, WebAuthn), as supertokens-core 11.4's handlers: a recipe user
 * id given may be a SuperTokens or an external one, and is answered back as given.
 */
export function webAuthnRoutes(ctx: CoreContext): CoreRoute[] {
  const webauthn = new WebAuthnService(ctx);
  const ids = new UserIdMappingService(ctx);
  const { store } = ctx;
  return [
    {
      method: 'POST',
      path: '/recipe/webauthn/options/register',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const email = normaliseEmail(body.string(input, 'email'));
        const displayName = stringOr(input, 'displayName', email);
        const rp = relyingParty(input, 'register');
        const timeout = body.optionalLong(input, 'timeout') ?? DEFAULT_TIMEOUT;
        const attestation = stringOr(input, 'attestation', 'none');
        const residentKey = stringOr(input, 'residentKey', 'required');
        const userVerification = stringOr(input, 'userVerification', 'preferred');
        const userPresence = userPresenceOf(input);
        const algorithms = input.supportedAlgorithmIDs;
        if (algorithms !== undefined && !Array.isArray(algorithms)) {
          throw invalidField('supportedAlgorithmIDs');
        }
        const supportedAlgorithmIds: unknown[] = algorithms ?? DEFAULT_ALGORITHMS;
        const problem = optionsProblem({
          ...rp,
          timeout,
          attestation,
          userVerification,
          residentKey,
          supportedAlgorithmIds,
        });
        if (problem) return { status: 'INVALID_OPTIONS_ERROR', reason: problem };
        const options = await webauthn.generateOptions(appId, tenantId, {
          ...rp,
          email,
          timeout,
          userPresenceRequired: userPresence,
          userVerification: userVerification as WebAuthnOptionsRecord['userVerification'],
        });
        const handle = await webauthn.userHandle(appId, tenantId, email, options.id);
        return {
          webauthnGeneratedOptionsId: options.id,
          rp: { id: rp.relyingPartyId, name: rp.relyingPartyName },
          user: { id: Buffer.from(handle).toString('base64url'), name: email, displayName },
          email,
          timeout,
          challenge: options.challenge,
          attestation,
          createdAt: options.createdAt,
          expiresAt: options.expiresAt,
          pubKeyCredParams: supportedAlgorithmIds.map((id) => ({
            alg: algorithmId(id),
            type: 'public-key',
          })),
          excludeCredentials: [],
          authenticatorSelection: {
            // Both passed optionsProblem's lists, which are lower-case.
            requireResidentKey: residentKey === 'required',
            residentKey,
            userVerification,
          },
          status: 'OK',
        };
      },
    },
    {
      method: 'POST',
      path: '/recipe/webauthn/options/signin',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const rp = relyingParty(input, 'signin');
        const timeout = body.optionalLong(input, 'timeout') ?? DEFAULT_TIMEOUT;
        const userVerification = stringOr(input, 'userVerification', 'preferred');
        const userPresence = userPresenceOf(input);
        const problem = optionsProblem({
          ...rp,
          timeout,
          attestation: 'none',
          userVerification,
          residentKey: 'required',
          supportedAlgorithmIds: [],
        });
        if (problem) return { status: 'INVALID_OPTIONS_ERROR', reason: problem };
        const options = await webauthn.generateOptions(appId, tenantId, {
          ...rp,
          timeout,
          userPresenceRequired: userPresence,
          userVerification: userVerification as WebAuthnOptionsRecord['userVerification'],
        });
        return {
          webauthnGeneratedOptionsId: options.id,
          relyingPartyId: rp.relyingPartyId,
          challenge: options.challenge,
          timeout,
          userVerification,
          userPresence,
          createdAt: options.createdAt,
          expiresAt: options.expiresAt,
          status: 'OK',
        };
      },
    },
    {
      method: 'GET',
      path: '/recipe/webauthn/options',
      scope: 'tenant',
      handler: async ({ appId, tenantId, query: q }) => {
        const id = query.string(q, 'webauthnGeneratedOptionsId');
        const options = await webauthn.getOptions(appId, tenantId, id);
        return options ? webAuthnOptionsView(options) : { status: 'OPTIONS_NOT_FOUND_ERROR' };
      },
    },
    {
      method: 'DELETE',
      path: '/recipe/webauthn/options/remove',
      scope: 'tenant',
      handler: async ({ appId, tenantId, query: q }) => {
        const id = query.string(q, 'webauthnGeneratedOptionsId');
        const removed = await webauthn.removeOptions(appId, tenantId, id);
        return { status: removed ? 'OK' : 'OPTIONS_NOT_FOUND_ERROR' };
      },
    },
    {
      method: 'POST',
      path: '/recipe/webauthn/signup',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const { optionsId, credential } = ceremonyInput(read());
        const outcome = await webauthn.signUp(appId, tenantId, optionsId, credential);
        if (outcome.status !== 'OK') return { ...outcome };
        return {
          status: 'OK',
          user: await userView(store, appId, outcome.user),
          webauthnCredentialId: outcome.credential.id,
          relyingPartyId: outcome.options.relyingPartyId,
          relyingPartyName: outcome.options.relyingPartyName,
          recipeUserId: outcome.credential.userId,
        };
      },
    },
    {
      method: 'POST',
      path: '/recipe/webauthn/signin',
      scope: 'tenant',
      handler: async ({ appId, body: read }) => {
        const { optionsId, credential } = ceremonyInput(read());
        const outcome = await webauthn.signIn(appId, optionsId, credential);
        if (outcome.status !== 'OK') return { ...outcome };
        return {
          status: 'OK',
          user: await userView(store, appId, outcome.user),
          recipeUserId: await recipeUserIdView(store, appId, outcome.recipeUserId),
        };
      },
    },
    {
      method: 'POST',
      path: '/recipe/webauthn/user/credential/register',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const recipeUserId = body.string(input, 'recipeUserId');
        const { optionsId, credential } = ceremonyInput(input);
        const outcome = await webauthn.registerCredential(
          appId,
          tenantId,
          await ids.toSuperTokensId(appId, recipeUserId),
          optionsId,
          credential,
        );
        if (outcome.status !== 'OK') return { ...outcome };
        return {
          status: 'OK',
          webauthnCredentialId: outcome.credential.id,
          recipeUserId,
          email: outcome.options.email ?? null,
          relyingPartyId: outcome.options.relyingPartyId,
          relyingPartyName: outcome.options.relyingPartyName,
        };
      },
    },
    {
      method: 'GET',
      path: '/recipe/webauthn/user/credential',
      scope: 'tenant',
      handler: async ({ appId, query: q }) => {
        const recipeUserId = query.string(q, 'recipeUserId');
        const credentialId = query.string(q, 'webauthnCredentialId');
        const found = await webauthn.getCredential(
          appId,
          await ids.toSuperTokensId(appId, recipeUserId),
          credentialId,
        );
        if (!found) return { status: 'CREDENTIAL_NOT_FOUND_ERROR' };
        return { ...webAuthnCredentialView(found, recipeUserId, true), status: 'OK' };
      },
    },
    {
      method: 'GET',
      path: '/recipe/webauthn/user/credential/list',
      scope: 'tenant',
      handler: async ({ appId, query: q }) => {
        const recipeUserId = query.string(q, 'recipeUserId');
        const credentials = await webauthn.listCredentials(
          appId,
          await ids.toSuperTokensId(appId, recipeUserId),
        );
        return {
          credentials: credentials.map((c) => webAuthnCredentialView(c, recipeUserId)),
          status: 'OK',
        };
      },
    },
    {
      method: 'DELETE',
      path: '/recipe/webauthn/user/credential/remove',
      scope: 'tenant',
      handler: async ({ appId, query: q }) => {
        const recipeUserId = query.string(q, 'recipeUserId');
        const credentialId = query.string(q, 'webauthnCredentialId');
        const removed = await webauthn.removeCredential(
          appId,
          await ids.toSuperTokensId(appId, recipeUserId),
          credentialId,
        );
        return { status: removed ? 'OK' : 'CREDENTIAL_NOT_FOUND_ERROR' };
      },
    },
    {
      method: 'PUT',
      path: '/recipe/webauthn/user/email',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const recipeUserId = await ids.toSuperTokensId(appId, body.string(input, 'recipeUserId'));
        // Not normalised: the real core stores it as sent.
        const email = body.string(input, 'email');
        const updated = await webauthn.updateEmail(appId, tenantId, recipeUserId, email);
        return { status: updated === 'OK' ? 'OK' : `${updated}_ERROR` };
      },
    },
    {
      method: 'POST',
      path: '/recipe/webauthn/user/recover/token',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const email = normaliseEmail(body.string(input, 'email'));
        const userId = await ids.toSuperTokensId(appId, body.string(input, 'userId'));
        const token = await webauthn.generateRecoveryToken(appId, tenantId, userId, email);
        return token === undefined ? { status: 'UNKNOWN_USER_ID_ERROR' } : { status: 'OK', token };
      },
    },
    {
      method: 'GET',
      path: '/recipe/webauthn/user/recover',
      scope: 'tenant',
      handler: async ({ appId, tenantId, query: q }) => {
        const found = await webauthn.recoveryTokenUser(appId, tenantId, query.string(q, 'token'));
        if (!found) return { status: 'RECOVER_ACCOUNT_TOKEN_INVALID_ERROR' };
        // The last webauthn login of the user in this tenant, as the real core picks it.
        const login = found.user.loginMethods
          .filter((m) => m.recipeId === 'webauthn' && m.tenantIds.includes(tenantId))
          .at(-1);
        return {
          status: 'OK',
          recipeUserId: login ? await recipeUserIdView(store, appId, login.recipeUserId) : null,
          user: await userView(store, appId, found.user),
        };
      },
    },
    {
      method: 'POST',
      path: '/recipe/webauthn/user/recover/token/consume',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const token = body.string(read(), 'token');
        const consumed = await webauthn.consumeRecoveryToken(appId, tenantId, token);
        if (!consumed) return { status: 'RECOVER_ACCOUNT_TOKEN_INVALID_ERROR' };
        return {
          status: 'OK',
          userId: await recipeUserIdView(store, appId, consumed.userId),
          email: consumed.email,
        };
      },
    },
  ];
}
