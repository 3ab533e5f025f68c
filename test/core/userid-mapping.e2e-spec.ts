import { hash as bcryptHash } from '@node-rs/bcrypt';
import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import UserMetadata from 'supertokens-node/recipe/usermetadata';
import UserRoles from 'supertokens-node/recipe/userroles';
import { TestPasskey, type PasskeyRegisterOptions } from '../../src/testing/passkey.js';
import { coreClient } from '../support/core-client.js';
import { coreWithSdk, type CoreStorage } from '../support/sdk.js';

/** The relying party of the passkey tests; options live long enough for a slow run. */
const RP = {
  relyingPartyId: 'example.com',
  relyingPartyName: 'Acme',
  origin: 'https://login.example.com',
  timeout: 600_000,
};

/**
 * Embedded core, user id mapping (supertokens-core 11.4's UserIdMapping APIs and where the core
 * applies a mapping), through raw CDI and supertokens-node, on the three stores.
 */
describe.each<CoreStorage>(['memory', 'pglite', 'postgres'])(
  'user id mapping on the embedded core (%s)',
  (storage) => {
    const { core } = coreWithSdk(storage, () => [
      EmailPassword.init(),
      Session.init(),
      UserRoles.init(),
      UserMetadata.init(),
    ]);
    const cdi: ReturnType<typeof coreClient> = (...args) => coreClient(core())(...args);

    let n = 0;
    const newUser = async () => {
      const email = `map-${++n}@example.com`;
      const r = await EmailPassword.signUp('public', email, 'password-123');
      if (r.status !== 'OK') throw new Error(r.status);
      return { id: r.user.id, email };
    };
    const map = (body: Record<string, unknown>) => cdi('POST', '/recipe/userid/map', body);
    const get = (userId: string, userIdType?: string) =>
      cdi(
        'GET',
        `/recipe/userid/map?${new URLSearchParams({ userId, ...(userIdType && { userIdType }) }).toString()}`,
      );

    it('validates the create request with the real core’s texts, in its order', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ externalUserId: 'e' }, "Field name 'superTokensUserId' is invalid in JSON input"],
        [
          { superTokensUserId: 1, externalUserId: 'e' },
          "Field name 'superTokensUserId' is invalid in JSON input",
        ],
        [
          { superTokensUserId: '  ', externalUserId: 'e' },
          "Field name 'superTokensUserId' cannot be an empty String",
        ],
        [
          { superTokensUserId: 's', externalUserId: null },
          "Field name 'externalUserId' is invalid in JSON input",
        ],
        [
          { superTokensUserId: 's', externalUserId: ' ' },
          "Field name 'externalUserId' cannot be an empty String",
        ],
        [
          { superTokensUserId: 's', externalUserId: 'e', externalUserIdInfo: 3 },
          "Field name 'externalUserIdInfo' is invalid in JSON input",
        ],
        [
          { superTokensUserId: 's', externalUserId: 'e', externalUserIdInfo: ' ' },
          "Field name 'externalUserIdInfo' cannot be an empty String",
        ],
        [
          { superTokensUserId: 's', externalUserId: 'e', force: 'true' },
          "Field name 'force' is invalid in JSON input",
        ],
      ];
      for (const [body, text] of cases) {
        expect(await map(body)).toMatchObject({ status: 400, text });
      }
      expect(await cdi('GET', '/recipe/userid/map')).toMatchObject({
        status: 400,
        text: "Field name 'userId' is missing in GET request",
      });
      expect(await get(' ')).toMatchObject({
        status: 400,
        text: "Field name 'userId' cannot be an empty String",
      });
      expect(await get('x', 'any')).toMatchObject({
        status: 400,
        text: "Field name 'userIdType' should be one of 'SUPERTOKENS', 'EXTERNAL' or 'ANY'",
      });
    });

    it('creates a mapping and finds it by either id, the type respected', async () => {
      const { id } = await newUser();
      const ext = `ext-${n}`;
      expect(
        (
          await map({
            superTokensUserId: ` ${id} `,
            externalUserId: ` ${ext} `,
            externalUserIdInfo: ' info ',
          })
        ).json,
      ).toEqual({
        status: 'OK',
      });
      const found = {
        status: 'OK',
        superTokensUserId: id,
        externalUserId: ext,
        externalUserIdInfo: 'info',
      };
      expect((await get(id)).json).toEqual(found);
      expect((await get(ext)).json).toEqual(found);
      expect((await get(id, 'SUPERTOKENS')).json).toEqual(found);
      expect((await get(ext, ' EXTERNAL ')).json).toEqual(found);
      expect((await get(ext, 'SUPERTOKENS')).json).toEqual({ status: 'UNKNOWN_MAPPING_ERROR' });
      expect((await get(id, 'EXTERNAL')).json).toEqual({ status: 'UNKNOWN_MAPPING_ERROR' });
      expect((await get('nobody')).json).toEqual({ status: 'UNKNOWN_MAPPING_ERROR' });
      // A user without a mapping has none to show either.
      expect((await get((await newUser()).id)).json).toEqual({ status: 'UNKNOWN_MAPPING_ERROR' });
    });

    it('refuses a second mapping of either id and an unknown user, force or not', async () => {
      const [a, b] = [await newUser(), await newUser()];
      const ext = `taken-${n}`;
      expect((await map({ superTokensUserId: a.id, externalUserId: ext })).json.status).toBe('OK');
      for (const force of [false, true]) {
        expect(
          (await map({ superTokensUserId: a.id, externalUserId: `${ext}-2`, force })).json,
        ).toEqual({
          status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR',
          doesSuperTokensUserIdExist: true,
          doesExternalUserIdExist: false,
        });
        expect((await map({ superTokensUserId: b.id, externalUserId: ext, force })).json).toEqual({
          status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR',
          doesSuperTokensUserIdExist: false,
          doesExternalUserIdExist: true,
        });
        expect((await map({ superTokensUserId: a.id, externalUserId: ext, force })).json).toEqual({
          status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR',
          doesSuperTokensUserIdExist: true,
          doesExternalUserIdExist: true,
        });
        expect(
          (await map({ superTokensUserId: 'no-such-user', externalUserId: `free-${n}`, force }))
            .json,
        ).toEqual({
          status: 'UNKNOWN_SUPERTOKENS_USER_ID_ERROR',
        });
      }
      // The external id is checked first: an unknown user with a taken external id.
      expect((await map({ superTokensUserId: 'no-such-user', externalUserId: ext })).json).toEqual({
        status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR',
        doesSuperTokensUserIdExist: false,
        doesExternalUserIdExist: true,
      });
    });

    it('needs force for an external id that is a user id, or a user with non-auth data', async () => {
      const [a, b, c] = [await newUser(), await newUser(), await newUser()];
      expect(await map({ superTokensUserId: a.id, externalUserId: b.id })).toMatchObject({
        status: 400,
        text: 'Cannot create a userId mapping where the externalId is also a SuperTokens userID',
      });
      expect(
        (await map({ superTokensUserId: a.id, externalUserId: b.id, force: true })).json,
      ).toEqual({ status: 'OK' });
      // As in the real core, b's id now names the mapping's user to the auth APIs.
      expect((await cdi('GET', `/user/id?userId=${b.id}`)).json.user).toMatchObject({
        id: b.id,
        emails: [a.email],
      });

      await UserMetadata.updateUserMetadata(c.id, { plan: 'pro' });
      await UserRoles.createNewRoleOrAddPermissions('member', []);
      await UserRoles.addRoleToUser('public', c.id, 'member');
      expect(await map({ superTokensUserId: c.id, externalUserId: `c-${n}` })).toMatchObject({
        status: 400,
        text: 'UserId is already in use in UserMetadata recipe',
      });
      await UserMetadata.clearUserMetadata(c.id);
      expect(await map({ superTokensUserId: c.id, externalUserId: `c-${n}` })).toMatchObject({
        status: 400,
        text: 'UserId is already in use in UserRoles recipe',
      });
      expect(
        (await map({ superTokensUserId: c.id, externalUserId: `c-${n}`, force: true })).json.status,
      ).toBe('OK');
      // Forced: the roles stay under the SuperTokens id.
      expect((await UserRoles.getRolesForUser('public', c.id)).roles).toEqual(['member']);
    });

    it('moves an email verification to the external id when it is the only non-auth data', async () => {
      const { id, email } = await newUser();
      const token = await cdi('POST', '/recipe/user/email/verify/token', { userId: id, email });
      await cdi('POST', '/recipe/user/email/verify', { method: 'token', token: token.json.token });
      const ext = `verified-${n}`;
      expect((await map({ superTokensUserId: id, externalUserId: ext })).json).toEqual({
        status: 'OK',
      });
      const verified = (userId: string) =>
        cdi(
          'GET',
          `/recipe/user/email/verify?${new URLSearchParams({ userId, email }).toString()}`,
        );
      expect((await verified(ext)).json).toEqual({ status: 'OK', isVerified: true });
      expect((await verified(id)).json).toEqual({ status: 'OK', isVerified: false });
      expect((await cdi('GET', `/user/id?userId=${ext}`)).json.user.loginMethods[0].verified).toBe(
        true,
      );
    });

    it('updates or clears the info, and removes a mapping unless its external id is in use', async () => {
      const { id } = await newUser();
      const ext = `info-${n}`;
      await map({ superTokensUserId: id, externalUserId: ext });
      const put = (body: Record<string, unknown>) =>
        cdi('PUT', '/recipe/userid/external-user-id-info', body);
      expect(await put({ userId: ext })).toMatchObject({
        status: 400,
        text: "Field name 'externalUserIdInfo' is invalid in JSON input",
      });
      expect((await put({ userId: ext, externalUserIdInfo: ' about ' })).json).toEqual({
        status: 'OK',
      });
      expect((await get(id)).json.externalUserIdInfo).toBe('about');
      expect(
        (await put({ userId: id, userIdType: 'SUPERTOKENS', externalUserIdInfo: null })).json,
      ).toEqual({ status: 'OK' });
      expect((await get(id)).json).not.toHaveProperty('externalUserIdInfo');
      expect(
        (await put({ userId: ext, userIdType: 'SUPERTOKENS', externalUserIdInfo: 'x' })).json,
      ).toEqual({
        status: 'UNKNOWN_MAPPING_ERROR',
      });

      const remove = (body: Record<string, unknown>) =>
        cdi('POST', '/recipe/userid/map/remove', body);
      await UserMetadata.updateUserMetadata(ext, { seen: true });
      expect(await remove({ userId: id })).toMatchObject({
        status: 400,
        text: 'UserId is already in use in UserMetadata recipe',
      });
      expect((await remove({ userId: ext, userIdType: 'SUPERTOKENS', force: true })).json).toEqual({
        status: 'OK',
        didMappingExist: false,
      });
      expect((await remove({ userId: ext, force: true })).json).toEqual({
        status: 'OK',
        didMappingExist: true,
      });
      expect((await remove({ userId: ext })).json).toEqual({
        status: 'OK',
        didMappingExist: false,
      });
      expect((await get(id)).json).toEqual({ status: 'UNKNOWN_MAPPING_ERROR' });
    });

    it('answers the auth APIs with the external id and takes it in place of the user id', async () => {
      const { id, email } = await newUser();
      const ext = `app-user-${n}`;
      await map({ superTokensUserId: id, externalUserId: ext });

      const signIn = await cdi('POST', '/recipe/signin', { email, password: 'password-123' });
      expect(signIn.json).toMatchObject({ status: 'OK', recipeUserId: ext, user: { id: ext } });
      expect(signIn.json.user.loginMethods[0].recipeUserId).toBe(ext);
      expect((await cdi('GET', `/user/id?userId=${ext}`)).json.user.id).toBe(ext);
      expect((await cdi('GET', `/user/id?userId=${id}`)).json.user.id).toBe(ext);
      const listed = await cdi('GET', '/users?limit=500');
      const ids = (listed.json.users as { id: string }[]).map((u) => u.id);
      expect(ids).toContain(ext);
      expect(ids).not.toContain(id);
      const byEmail = await cdi(
        'GET',
        `/users/by-accountinfo?email=${email}&doUnionOfAccountInfo=true`,
      );
      expect((byEmail.json.users as { id: string }[]).map((u) => u.id)).toEqual([ext]);

      // Created with either id, the session is the external one's.
      for (const userId of [ext, id]) {
        const created = await cdi('POST', '/recipe/session', {
          userId,
          userDataInJWT: {},
          userDataInDatabase: {},
          enableAntiCsrf: false,
          useDynamicSigningKey: false,
        });
        expect(created.json.session).toMatchObject({ userId: ext, recipeUserId: ext });
        const verified = await cdi('POST', '/recipe/session/verify', {
          accessToken: created.json.accessToken.token,
          doAntiCsrfCheck: false,
          enableAntiCsrf: false,
          checkDatabase: true,
        });
        expect(verified.json.session).toMatchObject({ userId: ext, recipeUserId: ext });
      }

      await cdi('POST', '/user/remove', { userId: ext });
      expect((await cdi('GET', `/user/id?userId=${id}`)).json).toEqual({
        status: 'UNKNOWN_USER_ID_ERROR',
      });
      expect((await get(ext)).json).toEqual({ status: 'UNKNOWN_MAPPING_ERROR' });
      expect((await cdi('GET', `/recipe/session/user?userId=${ext}`)).json.sessionHandles).toEqual(
        [],
      );
    });

    it('takes either id for a password reset token and answers its user as the external id', async () => {
      const { id, email } = await newUser();
      const ext = `reset-user-${n}`;
      await map({ superTokensUserId: id, externalUserId: ext });
      const tokenFor = async (userId: string) => {
        const reply = await cdi('POST', '/recipe/user/password/reset/token', { userId, email });
        expect(reply.json).toEqual({ status: 'OK', token: expect.any(String) });
        return reply.json.token as string;
      };

      const consumed = await cdi('POST', '/recipe/user/password/reset/token/consume', {
        token: await tokenFor(ext),
      });
      expect(consumed.json).toEqual({ status: 'OK', userId: ext, email });

      // The deprecated reset (token and new password in one call) answers the external id too.
      const reset = '/recipe/user/password/reset';
      const token = await tokenFor(id);
      expect(
        await cdi('POST', reset, { method: 'link', token, newPassword: 'password-456' }),
      ).toMatchObject({ status: 400, text: 'Unsupported method for password reset' });
      expect(await cdi('POST', reset, { method: 'token', token, newPassword: '' })).toMatchObject({
        status: 400,
        text: 'Password cannot be an empty string',
      });
      expect(
        (await cdi('POST', reset, { method: 'token', token, newPassword: 'password-456' })).json,
      ).toEqual({ status: 'OK', userId: ext });
      expect(
        (await cdi('POST', reset, { method: 'token', token, newPassword: 'password-789' })).json,
      ).toEqual({ status: 'RESET_PASSWORD_INVALID_TOKEN_ERROR' });
      const signIn = await cdi('POST', '/recipe/signin', { email, password: 'password-456' });
      expect(signIn.json).toMatchObject({ status: 'OK', recipeUserId: ext, user: { id: ext } });

      expect(
        (
          await cdi('POST', '/recipe/user/password/reset/token', {
            userId: `nobody-${n}`,
            email,
          })
        ).json,
      ).toEqual({ status: 'UNKNOWN_USER_ID_ERROR' });

      // A hash imported for the mapped user's email answers that user, external id and all.
      const imported = await cdi('POST', '/recipe/user/passwordhash/import', {
        email,
        passwordHash: await bcryptHash('password-123', 4),
      });
      expect(imported.json).toMatchObject({
        status: 'OK',
        didUserAlreadyExist: true,
        user: { id: ext, loginMethods: [{ recipeUserId: ext, email }] },
      });
    });

    it('takes either recipe user id in the WebAuthn APIs and answers the external id', async () => {
      const email = `passkey-${++n}@example.com`;
      const passkey = new TestPasskey({ origin: RP.origin });
      const registerOptions = async () =>
        (await cdi('POST', '/recipe/webauthn/options/register', { email, ...RP }))
          .json as PasskeyRegisterOptions & { webauthnGeneratedOptionsId: string };
      const options = await registerOptions();
      const signedUp = await cdi('POST', '/recipe/webauthn/signup', {
        webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
        credential: passkey.register(options),
      });
      expect(signedUp.json.status).toBe('OK');
      const id: string = signedUp.json.recipeUserId;
      const ext = `passkey-user-${n}`;
      await map({ superTokensUserId: id, externalUserId: ext });

      const signInOptions = (await cdi('POST', '/recipe/webauthn/options/signin', RP)).json;
      const signedIn = await cdi('POST', '/recipe/webauthn/signin', {
        webauthnGeneratedOptionsId: signInOptions.webauthnGeneratedOptionsId,
        credential: passkey.authenticate({
          challenge: signInOptions.challenge,
          rpId: RP.relyingPartyId,
        }),
      });
      expect(signedIn.json).toMatchObject({ status: 'OK', recipeUserId: ext, user: { id: ext } });
      expect(signedIn.json.user.loginMethods[0].recipeUserId).toBe(ext);

      // The credential APIs find the user by either id and answer with the id they were given.
      const more = await registerOptions();
      const second = passkey.register(more);
      const registered = await cdi('POST', '/recipe/webauthn/user/credential/register', {
        recipeUserId: ext,
        webauthnGeneratedOptionsId: more.webauthnGeneratedOptionsId,
        credential: second,
      });
      expect(registered.json).toMatchObject({
        status: 'OK',
        webauthnCredentialId: second.id,
        recipeUserId: ext,
      });
      const list = async (recipeUserId: string) =>
        (await cdi('GET', `/recipe/webauthn/user/credential/list?recipeUserId=${recipeUserId}`))
          .json.credentials as { recipeUserId: string }[];
      expect((await list(ext)).map((c) => c.recipeUserId)).toEqual([ext, ext]);
      expect((await list(id)).map((c) => c.recipeUserId)).toEqual([id, id]);
      const one = `webauthnCredentialId=${second.id}&recipeUserId=${ext}`;
      expect((await cdi('GET', `/recipe/webauthn/user/credential?${one}`)).json).toMatchObject({
        status: 'OK',
        webauthnCredentialId: second.id,
        recipeUserId: ext,
      });
      expect((await cdi('DELETE', `/recipe/webauthn/user/credential/remove?${one}`)).json).toEqual({
        status: 'OK',
      });
      expect(await list(ext)).toHaveLength(1);

      const newEmail = `passkey-${n}-new@example.com`;
      expect(
        (await cdi('PUT', '/recipe/webauthn/user/email', { recipeUserId: ext, email: newEmail }))
          .json,
      ).toEqual({ status: 'OK' });
      expect((await cdi('GET', `/user/id?userId=${id}`)).json.user.emails).toEqual([newEmail]);

      const recoverToken = await cdi('POST', '/recipe/webauthn/user/recover/token', {
        userId: ext,
        email: newEmail,
      });
      expect(recoverToken.json).toEqual({ status: 'OK', token: expect.any(String) });
      const token: string = recoverToken.json.token;
      const recovering = await cdi('GET', `/recipe/webauthn/user/recover?token=${token}`);
      expect(recovering.json).toMatchObject({
        status: 'OK',
        recipeUserId: ext,
        user: { id: ext, loginMethods: [{ recipeUserId: ext }] },
      });
      expect(
        (await cdi('POST', '/recipe/webauthn/user/recover/token/consume', { token })).json,
      ).toEqual({ status: 'OK', userId: ext, email: newEmail });
      expect(
        (
          await cdi('POST', '/recipe/webauthn/user/recover/token', {
            userId: `nobody-${n}`,
            email: newEmail,
          })
        ).json,
      ).toEqual({ status: 'UNKNOWN_USER_ID_ERROR' });
    });

    it('associates a user with a tenant by either id, and removes it with the tenant data under its external id', async () => {
      const tenant = `map-t-${storage}`;
      await cdi('PUT', '/recipe/multitenancy/tenant/v2', { tenantId: tenant });
      await cdi('PUT', '/recipe/role', { role: 'member' });
      const { id, email } = await newUser();
      const ext = `tenant-user-${n}`;
      await map({ superTokensUserId: id, externalUserId: ext });
      const associate = (recipeUserId: string) =>
        cdi('POST', `/${tenant}/recipe/multitenancy/tenant/user`, { recipeUserId });
      const disassociate = (recipeUserId: string) =>
        cdi('POST', `/${tenant}/recipe/multitenancy/tenant/user/remove`, { recipeUserId });
      const tenantsOf = async () =>
        ((await cdi('GET', `/user/id?userId=${id}`)).json.user.tenantIds as string[]).sort();

      expect((await associate(ext)).json).toEqual({ status: 'OK', wasAlreadyAssociated: false });
      expect((await associate(id)).json).toEqual({ status: 'OK', wasAlreadyAssociated: true });
      expect(await tenantsOf()).toEqual([tenant, 'public'].sort());

      // What the SDK keeps there for the user, under the external id.
      const session = await cdi('POST', `/${tenant}/recipe/session`, {
        userId: ext,
        userDataInJWT: {},
        userDataInDatabase: {},
        enableAntiCsrf: false,
        useDynamicSigningKey: false,
      });
      expect(session.json.session.recipeUserId).toBe(ext);
      await cdi('PUT', `/${tenant}/recipe/user/role`, { userId: ext, role: 'member' });
      await cdi('POST', `/${tenant}/recipe/user/email/verify/token`, { userId: ext, email });
      const rolesThere = async (userId: string) =>
        (await cdi('GET', `/${tenant}/recipe/user/roles?userId=${userId}`)).json.roles as string[];
      expect(await rolesThere(ext)).toEqual(['member']);

      expect((await disassociate(ext)).json).toEqual({ status: 'OK', wasAssociated: true });
      expect(await tenantsOf()).toEqual(['public']);
      expect(await rolesThere(ext)).toEqual([]);
      expect((await cdi('GET', `/recipe/session/user?userId=${ext}`)).json.sessionHandles).toEqual(
        [],
      );
      expect((await disassociate(id)).json).toEqual({ status: 'OK', wasAssociated: false });

      // An id only roles know: its roles there go, and it is no user to associate.
      const roleOnly = `crm-${n}`;
      await cdi('PUT', `/${tenant}/recipe/user/role`, { userId: roleOnly, role: 'member' });
      expect((await disassociate(roleOnly)).json).toEqual({ status: 'OK', wasAssociated: true });
      expect(await rolesThere(roleOnly)).toEqual([]);
      expect((await associate(roleOnly)).json).toEqual({ status: 'UNKNOWN_USER_ID_ERROR' });
      expect((await disassociate(roleOnly)).json).toEqual({ status: 'UNKNOWN_USER_ID_ERROR' });
    });

    it('lists and revokes sessions by user as the real core: only a SuperTokens id expands to linked logins', async () => {
      const primary = await newUser();
      const linked = await newUser();
      const ext = `linked-user-${n}`;
      await map({ superTokensUserId: primary.id, externalUserId: ext });
      expect(
        (await cdi('POST', '/recipe/accountlinking/user/primary', { recipeUserId: ext })).json
          .status,
      ).toBe('OK');
      expect(
        (
          await cdi('POST', '/recipe/accountlinking/user/link', {
            recipeUserId: linked.id,
            primaryUserId: ext,
          })
        ).json.status,
      ).toBe('OK');
      const sessionOf = async (userId: string) =>
        (
          await cdi('POST', '/recipe/session', {
            userId,
            userDataInJWT: {},
            userDataInDatabase: {},
            enableAntiCsrf: false,
            useDynamicSigningKey: false,
          })
        ).json.session.handle as string;
      const own = await sessionOf(ext);
      const other = await sessionOf(linked.id);
      const handles = async (query: string) =>
        (
          (await cdi('GET', `/recipe/session/user?${query}`)).json.sessionHandles as string[]
        ).sort();

      // The external id is no SuperTokens user id: it names its own sessions only.
      expect(await handles(`userId=${ext}`)).toEqual([own]);
      // A SuperTokens id expands to its user's login methods' SuperTokens ids, which miss the
      // sessions kept under the external one.
      expect(await handles(`userId=${primary.id}`)).toEqual([other]);
      expect(await handles(`userId=${linked.id}`)).toEqual([other]);
      expect(await handles(`userId=${primary.id}&fetchSessionsForAllLinkedAccounts=false`)).toEqual(
        [],
      );

      const revoke = async (userId: string) =>
        (await cdi('POST', '/recipe/session/remove', { userId })).json as {
          status: string;
          sessionHandlesRevoked: string[];
        };
      expect(await revoke(primary.id)).toEqual({ status: 'OK', sessionHandlesRevoked: [other] });
      expect(await revoke(ext)).toEqual({ status: 'OK', sessionHandlesRevoked: [own] });
    });

    it('through supertokens-node: sessions, roles and metadata under the external id', async () => {
      const { id, email } = await newUser();
      const ext = `sdk-user-${n}`;
      expect(
        await supertokens.createUserIdMapping({
          superTokensUserId: id,
          externalUserId: ext,
          externalUserIdInfo: 'crm',
        }),
      ).toEqual({ status: 'OK' });
      expect(await supertokens.getUserIdMapping({ userId: ext, userIdType: 'EXTERNAL' })).toEqual({
        status: 'OK',
        superTokensUserId: id,
        externalUserId: ext,
        externalUserIdInfo: 'crm',
      });
      const signedIn = await EmailPassword.signIn('public', email, 'password-123');
      if (signedIn.status !== 'OK') throw new Error(signedIn.status);
      expect(signedIn.user.id).toBe(ext);
      const session = await Session.createNewSessionWithoutRequestResponse(
        'public',
        signedIn.recipeUserId,
      );
      expect(session.getUserId()).toBe(ext);
      expect(session.getRecipeUserId().getAsString()).toBe(ext);

      await UserRoles.createNewRoleOrAddPermissions('admin', ['all']);
      expect(await UserRoles.addRoleToUser('public', ext, 'admin')).toEqual({
        status: 'OK',
        didUserAlreadyHaveRole: false,
      });
      expect((await UserRoles.getRolesForUser('public', session.getUserId())).roles).toEqual([
        'admin',
      ]);
      expect((await UserRoles.getUsersThatHaveRole('public', 'admin')).status === 'OK').toBe(true);
      await UserMetadata.updateUserMetadata(ext, { plan: 'pro' });
      expect((await UserMetadata.getUserMetadata(session.getUserId())).metadata).toEqual({
        plan: 'pro',
      });
      expect((await supertokens.getUser(ext))?.id).toBe(ext);

      expect(await supertokens.deleteUserIdMapping({ userId: ext, force: true })).toEqual({
        status: 'OK',
        didMappingExist: true,
      });
      expect((await supertokens.getUser(id))?.id).toBe(id);
    });
  },
);
