import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AuthModule, MultitenancyService } from '../../src/auth/index.js';
import { authTestingOptions } from '../../src/testing/index.js';
import { LocalOAuthProvider } from '../support/oauth-provider.js';
import { startModuleApp } from '../support/test-app.js';

const CALLBACK = 'http://localhost:3001/auth/callback/local';

/** A tenant's own sign-in provider, set at runtime through MultitenancyService (no static one). */
describe('per-tenant third-party providers (multitenancy + thirdParty: { providers: [] })', () => {
  let provider: LocalOAuthProvider;
  let app: INestApplication<App>;
  let tenants: MultitenancyService;
  beforeAll(async () => {
    provider = await new LocalOAuthProvider().start();
    app = await startModuleApp(
      {
        imports: [
          AuthModule.forRoot(
            authTestingOptions({ multitenancy: true, thirdParty: { providers: [] } }),
          ),
        ],
      },
      { listen: true },
    );
    tenants = app.get(MultitenancyService);
    await tenants.createOrUpdateTenant('acme');
  });
  afterAll(async () => {
    await app.close();
    await provider.stop();
  });

  async function signInThrough(tenant: string): Promise<request.Response> {
    const server = app.getHttpServer();
    const auth = await request(server)
      .get(`/auth/${tenant}/authorisationurl`)
      .query({ thirdPartyId: 'local', redirectURIOnProviderDashboard: CALLBACK });
    if (auth.body.status !== 'OK') return auth;
    const authorise = await fetch(auth.body.urlWithQueryParams as string, { redirect: 'manual' });
    const callback = new URL(authorise.headers.get('location')!);
    return request(server)
      .post(`/auth/${tenant}/signinup`)
      .send({
        thirdPartyId: 'local',
        redirectURIInfo: {
          redirectURIOnProviderDashboard: CALLBACK,
          redirectURIQueryParams: Object.fromEntries(callback.searchParams),
          pkceCodeVerifier: auth.body.pkceCodeVerifier,
        },
      });
  }

  it('signs the tenant’s users in with the provider it was given, and nobody else’s', async () => {
    expect(await tenants.setThirdPartyProvider('acme', provider.providerConfig().config)).toEqual({
      status: 'OK',
      createdNew: true,
    });
    expect((await tenants.getTenant('acme'))?.thirdPartyProviders).toEqual([
      expect.objectContaining({ thirdPartyId: 'local', name: 'Local' }),
    ]);
    provider.user = { sub: 'amy', email: 'amy@acme.example', email_verified: true };
    const signedIn = await signInThrough('acme');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({
      status: 'OK',
      createdNewRecipeUser: true,
      user: { tenantIds: ['acme'], thirdParty: [{ id: 'local', userId: 'amy' }] },
    });
    // The public tenant has no such provider: a clean 400, not a 500.
    const elsewhere = await signInThrough('public');
    expect(elsewhere.status).toBe(400);
    expect(JSON.stringify(elsewhere.body)).toMatch(/local/);
  });

  it('answers an invalid provider with the core’s reason, and removes one', async () => {
    expect(
      await tenants.setThirdPartyProvider('acme', {
        thirdPartyId: 'apple',
        clients: [{ clientId: 'com.acme.web' }],
      }),
    ).toEqual({
      status: 'INVALID_CONFIG_ERROR',
      message:
        'Invalid third party config: a non empty string value must be specified for keyId, teamId and privateKey in the additionalConfig for Apple provider',
    });
    expect(await tenants.removeThirdPartyProvider('acme', 'local')).toEqual({ didExist: true });
    expect(await tenants.removeThirdPartyProvider('acme', 'local')).toEqual({ didExist: false });
    expect((await signInThrough('acme')).status).toBe(400);
  });
});
