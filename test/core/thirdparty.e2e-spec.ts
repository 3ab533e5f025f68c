import supertokens from 'supertokens-node';
import EmailVerification from 'supertokens-node/recipe/emailverification';
import Multitenancy from 'supertokens-node/recipe/multitenancy';
import Session from 'supertokens-node/recipe/session';
import ThirdParty from 'supertokens-node/recipe/thirdparty';
import { coreClient } from '../support/core-client.js';
import { coreWithSdk, type CoreStorage } from '../support/sdk.js';

/** Embedded core, ThirdParty sign-in-up: through supertokens-node, on memory and PostgreSQL. */
describe.each<CoreStorage>(['memory', 'postgres'])(
  'third-party users on the embedded core (%s)',
  (storage) => {
    const { core } = coreWithSdk(storage, () => [
      ThirdParty.init(),
      EmailVerification.init({ mode: 'OPTIONAL' }),
      Session.init(),
    ]);

    const signInUp = (tenant: string, userId: string, email: string, verified = false) =>
      ThirdParty.manuallyCreateOrUpdateUser(tenant, 'github', userId, email, verified, undefined);

    it('signs a provider user up once, then in as the same user, with the login in the user object', async () => {
      const first = await signInUp('public', 'gh-1', ' Octo@Example.COM ');
      if (first.status !== 'OK') throw new Error(first.status);
      expect(first.createdNewRecipeUser).toBe(true);
      expect(first.user.thirdParty).toEqual([{ id: 'github', userId: 'gh-1' }]);
      expect(first.user.emails).toEqual(['octo@example.com']);
      expect(first.user.loginMethods).toEqual([
        expect.objectContaining({
          recipeId: 'thirdparty',
          thirdParty: { id: 'github', userId: 'gh-1' },
          email: 'octo@example.com',
          verified: false,
          tenantIds: ['public'],
        }),
      ]);
      const again = await signInUp('public', 'gh-1', 'octo@example.com');
      expect(again).toMatchObject({
        status: 'OK',
        createdNewRecipeUser: false,
        user: { id: first.user.id },
      });
    });

    it('updates the email when the provider reports another one, and marks verified ones', async () => {
      const first = await signInUp('public', 'gh-2', 'old@example.com');
      if (first.status !== 'OK') throw new Error();
      const changed = await signInUp('public', 'gh-2', 'new@example.com', true);
      if (changed.status !== 'OK') throw new Error();
      expect(changed.user.id).toBe(first.user.id);
      expect(changed.user.emails).toEqual(['new@example.com']);
      expect(changed.user.loginMethods[0]).toMatchObject({
        email: 'new@example.com',
        verified: true,
      });
      expect(await EmailVerification.isEmailVerified(changed.recipeUserId, 'new@example.com')).toBe(
        true,
      );
      expect(await EmailVerification.isEmailVerified(changed.recipeUserId, 'old@example.com')).toBe(
        false,
      );
    });

    it('finds users by provider account and by email, and lists them by provider', async () => {
      const created = await signInUp('public', 'gh-3', 'findme@example.com');
      if (created.status !== 'OK') throw new Error();
      const byAccount = await supertokens.listUsersByAccountInfo('public', {
        thirdParty: { id: 'github', userId: 'gh-3' },
      });
      expect(byAccount.map((u) => u.id)).toEqual([created.user.id]);
      const byEmail = await supertokens.listUsersByAccountInfo('public', {
        email: 'findme@example.com',
      });
      expect(byEmail.map((u) => u.id)).toEqual([created.user.id]);
      expect(
        await supertokens.listUsersByAccountInfo('public', {
          thirdParty: { id: 'google', userId: 'gh-3' },
        }),
      ).toEqual([]);
      const listed = await supertokens.getUsersNewestFirst({
        tenantId: 'public',
        query: { provider: 'git' },
      });
      expect(listed.users.length).toBeGreaterThan(0);
      expect(listed.users.every((u) => u.thirdParty.some((t) => t.id === 'github'))).toBe(true);
    });

    it('keeps one provider user per tenant, and refuses to associate a clashing one', async () => {
      for (const t of ['tp-a', 'tp-b']) {
        await Multitenancy.createOrUpdateTenant(t, { firstFactors: ['thirdparty'] });
      }
      const a = await signInUp('tp-a', 'gh-9', 'nine@example.com');
      const b = await signInUp('tp-b', 'gh-9', 'nine@example.com');
      if (a.status !== 'OK' || b.status !== 'OK') throw new Error();
      expect(a.user.id).not.toBe(b.user.id);
      expect(await Multitenancy.associateUserToTenant('tp-b', a.recipeUserId)).toEqual({
        status: 'THIRD_PARTY_USER_ALREADY_EXISTS_ERROR',
      });
      const solo = await signInUp('tp-a', 'gh-10', 'ten@example.com');
      if (solo.status !== 'OK') throw new Error();
      expect(await Multitenancy.associateUserToTenant('tp-b', solo.recipeUserId)).toMatchObject({
        status: 'OK',
      });
      expect((await signInUp('tp-b', 'gh-10', 'ten@example.com')).status).toBe('OK');
      const inB = await signInUp('tp-b', 'gh-10', 'ten@example.com');
      expect(inB).toMatchObject({ createdNewRecipeUser: false, user: { id: solo.user.id } });
    });

    it('deletes a third-party user with its login', async () => {
      const created = await signInUp('public', 'gh-del', 'gone@example.com');
      if (created.status !== 'OK') throw new Error();
      await supertokens.deleteUser(created.user.id);
      expect(await supertokens.getUser(created.user.id)).toBeUndefined();
      expect(await signInUp('public', 'gh-del', 'gone@example.com')).toMatchObject({
        createdNewRecipeUser: true,
      });
    });

    it('answers the deprecated GET /recipe/user of each recipe (by rid) as the real core does', async () => {
      const cdi: ReturnType<typeof coreClient> = (...args) => coreClient(core())(...args);
      const tp = { rid: 'thirdparty' };
      const created = await signInUp('public', 'gh-get', 'get@example.com');
      if (created.status !== 'OK') throw new Error(created.status);
      const byId = await cdi('GET', `/recipe/user?userId=${created.user.id}`, undefined, tp);
      expect(byId.status).toBe(200);
      expect(byId.json).toMatchObject({
        status: 'OK',
        user: {
          id: created.user.id,
          thirdParty: [{ id: 'github', userId: 'gh-get' }],
          loginMethods: [{ recipeId: 'thirdparty', recipeUserId: created.user.id }],
        },
      });
      const byLogin = await cdi(
        'GET',
        '/recipe/user?thirdPartyId=github&thirdPartyUserId=gh-get',
        undefined,
        tp,
      );
      expect(byLogin.json).toMatchObject({ status: 'OK', user: { id: created.user.id } });
      expect(
        (
          await cdi(
            'GET',
            '/recipe/user?thirdPartyId=github&thirdPartyUserId=nobody',
            undefined,
            tp,
          )
        ).json,
      ).toEqual({ status: 'UNKNOWN_THIRD_PARTY_USER_ERROR' });
      expect(
        (
          await cdi(
            'GET',
            '/recipe/user?userId=00000000-0000-0000-0000-000000000000',
            undefined,
            tp,
          )
        ).json,
      ).toEqual({ status: 'UNKNOWN_USER_ID_ERROR' });
      // A third-party user is no password user: the default rid (emailpassword) does not find it.
      expect((await cdi('GET', `/recipe/user?userId=${created.user.id}`)).json).toEqual({
        status: 'UNKNOWN_USER_ID_ERROR',
      });
      const both = await cdi(
        'GET',
        `/recipe/user?userId=${created.user.id}&thirdPartyId=github`,
        undefined,
        tp,
      );
      expect([both.status, both.text]).toEqual([
        400,
        'Please provide only one of userId or (thirdPartyId & thirdPartyUserId)',
      ]);
      const none = await cdi('GET', '/recipe/user?thirdPartyId=github', undefined, tp);
      expect([none.status, none.text]).toEqual([
        400,
        'Please provide one of userId or (thirdPartyId & thirdPartyUserId)',
      ]);
    });
  },
);
