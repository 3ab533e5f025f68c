import type { CoreContext } from '../core.context.js';
import { javaTrim, normaliseEmail } from '../crypto.util.js';
import { badRequest } from '../http/core-error.js';
import { body } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { UserIdMappingService } from '../userid/userid-mapping.service.js';
import { recipeUserIdView, signedInView, userView } from '../views.js';
import { EmailPasswordService } from './emailpassword.service.js';
import { HASHING_ALGORITHMS, type HashingAlgorithm } from './password-hash-format.js';

/** `hashingAlgorithm` as the real core reads it: trimmed, upper-cased, one it knows. */
function hashingAlgorithm(given: string | undefined): HashingAlgorithm | undefined {
  if (given === undefined) return undefined;
  const name = javaTrim(given).toUpperCase();
  if (name === '') throw badRequest('Hashing Algorithm cannot be an empty string');
  const known = HASHING_ALGORITHMS.find((a) => a === name);
  if (!known) throw badRequest('Unsupported password hashing algorithm');
  return known;
}

/**
 * EmailPassword sign up / in, password hash import and password reset tokens
 * (docs/embedded-core.md, EmailPassword).
 * `PUT /recipe/user`, shared with passwordless, is with the user routes.
 */
export function emailPasswordRoutes(ctx: CoreContext): CoreRoute[] {
  const service = new EmailPasswordService(ctx);
  const ids = new UserIdMappingService(ctx);
  return [
    {
      method: 'POST',
      path: '/recipe/signup',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const email = normaliseEmail(body.string(input, 'email'));
        const password = body.string(input, 'password');
        if (password === '') throw badRequest('Password cannot be an empty string');
        const outcome = await service.signUp(appId, tenantId, email, password);
        return outcome.status === 'OK' ? signedInView(ctx.store, appId, outcome) : outcome;
      },
    },
    {
      method: 'POST',
      path: '/recipe/signin',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const email = normaliseEmail(body.string(input, 'email'));
        const password = body.string(input, 'password');
        const outcome = await service.signIn(appId, tenantId, email, password);
        return outcome.status === 'OK' ? signedInView(ctx.store, appId, outcome) : outcome;
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/passwordhash/import',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const email = body.string(input, 'email');
        const passwordHash = javaTrim(body.string(input, 'passwordHash'));
        const algorithmName = body.optionalString(input, 'hashingAlgorithm');
        if (passwordHash === '') throw badRequest('Password hash cannot be an empty string');
        const algorithm = hashingAlgorithm(algorithmName);
        const { user, didUserAlreadyExist } = await service.importUser(
          appId,
          tenantId,
          normaliseEmail(email),
          passwordHash,
          algorithm,
        );
        return { status: 'OK', user: await userView(ctx.store, appId, user), didUserAlreadyExist };
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/password/reset/token',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        // Either id names the user; the token is kept under its SuperTokens id.
        const userId = await ids.toSuperTokensId(appId, body.string(input, 'userId'));
        return service.createResetToken(appId, tenantId, userId, body.string(input, 'email'));
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/password/reset/token/consume',
      scope: 'tenant',
      handler: async ({ appId, body: read }) => {
        const outcome = await service.consumeResetToken(appId, body.string(read(), 'token'));
        if (outcome.status !== 'OK') return outcome;
        return {
          status: 'OK',
          userId: await recipeUserIdView(ctx.store, appId, outcome.userId),
          email: outcome.email,
        };
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/password/reset',
      scope: 'tenant',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const method = body.string(input, 'method');
        const token = body.string(input, 'token');
        const newPassword = body.string(input, 'newPassword');
        if (method !== 'token') throw badRequest('Unsupported method for password reset');
        if (newPassword === '') throw badRequest('Password cannot be an empty string');
        const outcome = await service.resetPassword(appId, token, newPassword);
        if (outcome.status !== 'OK') return outcome;
        return { status: 'OK', userId: await recipeUserIdView(ctx.store, appId, outcome.userId) };
      },
    },
  ];
}
