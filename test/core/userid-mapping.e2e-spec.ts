import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import UserMetadata from 'supertokens-node/recipe/usermetadata';
import UserRoles from 'supertokens-node/recipe/userroles';
import { coreClient } from '../support/core-client.js';
import { coreWithSdk, type CoreStorage } from '../support/sdk.js';

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
