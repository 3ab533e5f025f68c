import Multitenancy from 'supertokens-node/recipe/multitenancy';
import Session from 'supertokens-node/recipe/session';
import ThirdParty from 'supertokens-node/recipe/thirdparty';
import { coreClient } from '../support/core-client.js';
import { coreWithSdk, type CoreStorage } from '../support/sdk.js';

/**
 * Embedded core: third-party providers configured per tenant and tenant core config keys, as
 * supertokens-core 11.4 answers them, on memory and PostgreSQL.
 */
describe.each<CoreStorage>(['memory', 'postgres'])(
  'tenant provider config on the embedded core (%s)',
  (storage) => {
    const { core } = coreWithSdk(storage, () => [ThirdParty.init(), Session.init()]);
    const cdi: ReturnType<typeof coreClient> = (...args) => coreClient(core())(...args);
    beforeAll(async () => {
      await Multitenancy.createOrUpdateTenant('sso', { firstFactors: ['thirdparty'] });
    });

    const put = (tenant: string, config: unknown, skipValidation?: boolean) =>
      cdi('PUT', `/${tenant}/recipe/multitenancy/config/thirdparty`, {
        config,
        ...(skipValidation !== undefined && { skipValidation }),
      });
    const providersOf = async (tenant: string) =>
      (await cdi('GET', `/${tenant}/recipe/multitenancy/tenant/v2`)).json.thirdParty
        .providers as unknown[];

    it('adds a provider, shows it in the real core’s shape, replaces it in place and removes it', async () => {
      const okta = {
        thirdPartyId: ' okta ',
        name: 'Okta',
        clients: [
          {
            clientType: '',
            clientId: 'okta-client',
            clientSecret: 'okta-secret',
            scope: ['openid', 'email'],
            forcePKCE: true,
            additionalConfig: { domain: 'acme.okta.com', dropped: null },
          },
        ],
        authorizationEndpointQueryParams: { prompt: 'login', kept: null },
        oidcDiscoveryEndpoint: 'https://acme.okta.com/.well-known/openid-configuration',
        requireEmail: false,
        unknownField: 'ignored',
      };
      expect((await put('sso', okta)).json).toEqual({ status: 'OK', createdNew: true });
      expect(
        (await put('sso', { thirdPartyId: 'github', clients: [{ clientId: 'gh' }] })).json,
      ).toEqual({
        status: 'OK',
        createdNew: true,
      });
      const providers = await providersOf('sso');
      expect(providers).toHaveLength(2);
      const shown = providers.find((p) => (p as { thirdPartyId: string }).thirdPartyId === 'okta');
      expect(shown).toEqual({
        thirdPartyId: 'okta',
        name: 'Okta',
        clients: [
          {
            clientId: 'okta-client',
            clientSecret: 'okta-secret',
            scope: ['openid', 'email'],
            forcePKCE: true,
            additionalConfig: { domain: 'acme.okta.com' },
          },
        ],
        authorizationEndpointQueryParams: { prompt: 'login', kept: null },
        oidcDiscoveryEndpoint: 'https://acme.okta.com/.well-known/openid-configuration',
        requireEmail: false,
        userInfoMap: { fromIdTokenPayload: {}, fromUserInfoAPI: {} },
      });
      // Through the SDK too, and in the tenant list.
      const viaSdk = await Multitenancy.getTenant('sso');
      expect(viaSdk?.thirdParty.providers.map((p) => p.thirdPartyId).sort()).toEqual([
        'github',
        'okta',
      ]);
      const listed = (await cdi('GET', '/recipe/multitenancy/tenant/list/v2')).json as {
        tenants: { tenantId: string; thirdParty: { providers: unknown[] } }[];
      };
      expect(listed.tenants.find((t) => t.tenantId === 'sso')?.thirdParty.providers).toHaveLength(
        2,
      );

      expect(
        (await put('sso', { thirdPartyId: 'okta', clients: [{ clientId: 'okta-2' }] })).json,
      ).toEqual({
        status: 'OK',
        createdNew: false,
      });
      expect(await providersOf('sso')).toContainEqual({
        thirdPartyId: 'okta',
        clients: [{ clientId: 'okta-2' }],
        userInfoMap: { fromIdTokenPayload: {}, fromUserInfoAPI: {} },
      });
      const remove = (thirdPartyId: string) =>
        cdi('POST', '/sso/recipe/multitenancy/config/thirdparty/remove', { thirdPartyId });
      expect((await remove(' okta')).json).toEqual({ status: 'OK', didConfigExist: true });
      expect((await remove('okta')).json).toEqual({ status: 'OK', didConfigExist: false });
      expect(await Multitenancy.deleteThirdPartyConfig('sso', 'github')).toEqual({
        status: 'OK',
        didConfigExist: true,
      });
      expect(await providersOf('sso')).toEqual([]);
    });

    it('refuses bad provider configs with the real core’s texts, and stores nothing', async () => {
      const refused = async (config: unknown, text: string, skipValidation?: boolean) => {
        const reply = await put('sso', config, skipValidation);
        expect([reply.status, reply.text]).toEqual([400, text]);
      };
      const invalid = (message: string) => `Invalid third party config: ${message}`;
      await refused(
        { thirdPartyId: 'apple', clients: [{ clientId: 'a', additionalConfig: { keyId: 'k' } }] },
        invalid(
          'a non empty string value must be specified for keyId, teamId and privateKey in the additionalConfig for Apple provider',
        ),
      );
      await refused(
        {
          thirdPartyId: 'x',
          clients: [
            { clientId: 'a', clientType: 'web' },
            { clientId: 'b', clientType: 'web' },
          ],
        },
        invalid('Duplicate clientType was specified in the clients list.'),
      );
      // '' and no client type are one and the same once stored.
      await refused(
        { thirdPartyId: 'x', clients: [{ clientId: 'a', clientType: '' }, { clientId: 'b' }] },
        invalid('Duplicate clientType was specified in the clients list.'),
      );
      await refused(
        { thirdPartyId: 'x', clients: [{ clientSecret: 's' }] },
        invalid('clientId cannot be null'),
      );
      await refused(
        { thirdPartyId: 'x', clients: [{ clientId: 'a', scope: ['openid', null] }] },
        invalid('scope array cannot contain a null'),
      );
      await refused(
        {
          thirdPartyId: 'google-workspaces',
          clients: [{ clientId: 'a', additionalConfig: { hd: '' } }],
        },
        invalid('hd in additionalConfig must be a non empty string value'),
      );
      await refused(
        { thirdPartyId: '  ', clients: [] },
        invalid('thirdPartyId cannot be null or empty'),
      );
      await refused(
        { thirdPartyId: 'x'.repeat(29), clients: [] },
        invalid('thirdPartyId must be at most 28 characters'),
      );
      await refused(
        { thirdPartyId: 'x', clients: 'many' },
        invalid('clients must be a list of JSON objects'),
      );
      await refused(
        { thirdPartyId: 'x', tokenEndpointBodyParams: 'a=b' },
        invalid('tokenEndpointBodyParams must be a JSON object'),
      );
      await refused({ clients: [] }, "Field name 'thirdPartyId' is invalid in JSON input");
      expect(
        (await cdi('PUT', '/sso/recipe/multitenancy/config/thirdparty', { skipValidation: true }))
          .text,
      ).toBe("Field name 'config' is invalid in JSON input");
      // skipValidation skips the provider rules, not what the tables could not hold.
      expect(
        (await put('sso', { thirdPartyId: 'apple', clients: [{ clientId: 'a' }] }, true)).json,
      ).toEqual({ status: 'OK', createdNew: true });
      await refused(
        { thirdPartyId: 'y', clients: [{ clientId: 'a' }, { clientId: 'b' }] },
        invalid('Duplicate clientType was specified in the clients list.'),
        true,
      );
      // The stored apple config is now checked with every other change, as the real core does.
      await refused(
        { thirdPartyId: 'github', clients: [{ clientId: 'gh' }] },
        invalid(
          'a non empty string value must be specified for keyId, teamId and privateKey in the additionalConfig for Apple provider',
        ),
      );
      expect(
        (await providersOf('sso')).map((p) => (p as { thirdPartyId: string }).thirdPartyId),
      ).toEqual(['apple']);
      await put('sso', {
        thirdPartyId: 'apple',
        clients: [
          { clientId: 'a', additionalConfig: { keyId: 'k', teamId: 't', privateKey: 'p' } },
        ],
      });
      expect(
        (
          await cdi('POST', '/sso/recipe/multitenancy/config/thirdparty/remove', {
            thirdPartyId: 'apple',
          })
        ).json,
      ).toEqual({ status: 'OK', didConfigExist: true });
      // An unknown tenant is the usual 400.
      expect((await put('nope', { thirdPartyId: 'x' })).status).toBe(400);
    });

    it('keeps both of two providers added at the same time', async () => {
      await Multitenancy.createOrUpdateTenant('race', { firstFactors: ['thirdparty'] });
      const ids = Array.from({ length: 6 }, (_, i) => `p${i}`);
      await Promise.all(
        ids.map((id) => put('race', { thirdPartyId: id, clients: [{ clientId: id }] })),
      );
      expect(
        (await providersOf('race')).map((p) => (p as { thirdPartyId: string }).thirdPartyId).sort(),
      ).toEqual(ids);
    });

    it('checks tenant core config keys, and keeps the base tenant’s config in the core’s own', async () => {
      const setConfig = (tenantId: string, coreConfig: unknown) =>
        cdi('PUT', '/recipe/multitenancy/tenant/v2', { tenantId, coreConfig });
      expect((await setConfig('sso', { password_reset_token_lifetime: 60000 })).json).toEqual({
        status: 'OK',
        createdNew: false,
      });
      const bad = await setConfig('sso', { passwrd_reset_token_lifetime: 60000 });
      expect([bad.status, bad.text]).toEqual([
        400,
        'Invalid core config: Invalid config key: passwrd_reset_token_lifetime',
      ]);
      expect((await Multitenancy.getTenant('sso'))?.coreConfig).toEqual({
        password_reset_token_lifetime: 60000,
      });
      const base = await setConfig('public', { password_reset_token_lifetime: 60000 });
      expect([base.status, base.text]).toEqual([400, 'Cannot modify base config']);
      // Keys every tenant of an app shares: a tenant may only repeat the app's value.
      const conflict = await setConfig('sso', { access_token_validity: 7200 });
      expect([conflict.status, conflict.text]).toEqual([
        400,
        'Invalid core config: You cannot set different values for access_token_validity for the same appId',
      ]);
      expect((await setConfig('sso', { access_token_validity: '3600' })).status).toBe(200);
      const yamlOnly = await setConfig('sso', { port: 4000 });
      expect([yamlOnly.status, yamlOnly.text]).toEqual([
        400,
        "Invalid core config: port can only be set via the core's base config setting",
      ]);
      // Another app sets it on its public tenant; its tenants inherit it and may not differ.
      expect(
        (
          await cdi('PUT', '/recipe/multitenancy/app/v2', {
            appId: 'cfg-app',
            coreConfig: { access_token_validity: 7200 },
          })
        ).status,
      ).toBe(200);
      const inApp = (body: unknown) =>
        cdi('PUT', '/appid-cfg-app/recipe/multitenancy/tenant/v2', body);
      expect(
        (await inApp({ tenantId: 't1', coreConfig: { access_token_validity: 7200 } })).status,
      ).toBe(200);
      expect(
        (await inApp({ tenantId: 't2', coreConfig: { access_token_validity: 3600 } })).text,
      ).toBe(
        'Invalid core config: You cannot set different values for access_token_validity for the same appId',
      );
      // Values are checked as the real core checks its config.
      for (const [coreConfig, text] of [
        [{ passwordless_code_lifetime: 0 }, "'passwordless_code_lifetime' must be > 0"],
        [{ password_reset_token_lifetime: -5 }, "'password_reset_token_lifetime' must be >= 0"],
        [
          { email_verification_token_lifetime: 'soon' },
          "'email_verification_token_lifetime' must be of type long",
        ],
        [
          { passwordless_max_code_input_attempts: 2.5 },
          "'passwordless_max_code_input_attempts' must be of type int",
        ],
        [{ refresh_token_validity: 'later' }, "'refresh_token_validity' must be of type double"],
        [{ disable_telemetry: 'yes' }, "'disable_telemetry' must be of type boolean"],
        [
          { access_token_dynamic_signing_key_update_interval: 0.5 },
          "'access_token_dynamic_signing_key_update_interval' must be greater than, equal to 1 hour.",
        ],
        [
          { password_hashing_alg: 'md5' },
          "'password_hashing_alg' must be one of 'ARGON2' or 'BCRYPT'",
        ],
      ] as const) {
        const reply = await setConfig('sso', coreConfig);
        expect([reply.status, reply.text]).toEqual([400, `Invalid core config: ${text}`]);
      }
      expect(
        (await inApp({ tenantId: 't3', coreConfig: { refresh_token_validity: 60 } })).text,
      ).toBe(
        "Invalid core config: 'refresh_token_validity' must be strictly greater than 'access_token_validity'.",
      );
      // Removing nothing from the base tenant is fine.
      expect((await setConfig('public', {})).status).toBe(200);
    });

    it('applies a tenant’s own lifetimes and attempt limit, inherited from its app', async () => {
      await cdi('PUT', '/recipe/multitenancy/tenant/v2', {
        tenantId: 'strict',
        firstFactors: null,
        coreConfig: { passwordless_code_lifetime: 120000, passwordless_max_code_input_attempts: 2 },
      });
      const code = await cdi('POST', '/strict/recipe/signinup/code', {
        email: 'ann@strict.example',
      });
      expect(code.json).toMatchObject({ status: 'OK', codeLifetime: 120000 });
      const wrong = () =>
        cdi('POST', '/strict/recipe/signinup/code/consume', {
          preAuthSessionId: code.json.preAuthSessionId,
          deviceId: code.json.deviceId,
          userInputCode: code.json.userInputCode === '000000' ? '111111' : '000000',
        });
      expect((await wrong()).json).toEqual({
        status: 'INCORRECT_USER_INPUT_CODE_ERROR',
        failedCodeInputAttemptCount: 1,
        maximumCodeInputAttempts: 2,
      });
      expect((await wrong()).json).toEqual({ status: 'RESTART_FLOW_ERROR' });
      // The public tenant keeps the core's own.
      const publicCode = await cdi('POST', '/recipe/signinup/code', {
        email: 'ann@strict.example',
      });
      expect(publicCode.json.codeLifetime).toBe(900000);
      // A tenant of another app inherits the app's public tenant's setting.
      await cdi('PUT', '/recipe/multitenancy/app/v2', {
        appId: 'lifetimes',
        coreConfig: { passwordless_code_lifetime: 300000 },
      });
      await cdi('PUT', '/appid-lifetimes/recipe/multitenancy/tenant/v2', {
        tenantId: 'inner',
        firstFactors: null,
      });
      const inner = await cdi('POST', '/appid-lifetimes/inner/recipe/signinup/code', {
        phoneNumber: '+14155550199',
      });
      expect(inner.json.codeLifetime).toBe(300000);
    });
  },
);
