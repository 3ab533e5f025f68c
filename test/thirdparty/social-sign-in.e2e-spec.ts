import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AuthModule } from '../../src/auth/index.js';
import { authTestingOptions } from '../../src/testing/index.js';
import { LocalOAuthProvider } from '../support/oauth-provider.js';
import { startModuleApp } from '../support/test-app.js';

const CALLBACK = 'http://localhost:3001/auth/callback/local';

describe('social sign-in through a local OAuth 2 provider (no internet)', () => {
  let provider: LocalOAuthProvider;
  let app: INestApplication<App>;
  beforeAll(async () => {
    provider = await new LocalOAuthProvider().start();
    app = await startModuleApp(
      {
        imports: [
          AuthModule.forRoot(
            authTestingOptions({ thirdParty: { providers: [provider.providerConfig()] } }),
          ),
        ],
      },
      { listen: true },
    );
  });
  afterAll(async () => {
    await app.close();
    await provider.stop();
  });

  /** The frontend's part: the authorisation URL, the provider's redirect, then /auth/signinup. */
  async function signInWithProvider(tamper?: (query: Record<string, string>) => void) {
    const server = app.getHttpServer();
    const auth = await request(server)
      .get('/auth/authorisationurl')
      .query({ thirdPartyId: 'local', redirectURIOnProviderDashboard: CALLBACK });
    expect(auth.body).toMatchObject({ status: 'OK' });
    const authorise = await fetch(auth.body.urlWithQueryParams as string, { redirect: 'manual' });
    expect(authorise.status).toBe(302);
    const callback = new URL(authorise.headers.get('location')!);
    const query = Object.fromEntries(callback.searchParams);
    tamper?.(query);
    return request(server)
      .post('/auth/signinup')
      .set('st-auth-mode', 'header')
      .send({
        thirdPartyId: 'local',
        redirectURIInfo: {
          redirectURIOnProviderDashboard: CALLBACK,
          redirectURIQueryParams: query,
          pkceCodeVerifier: auth.body.pkceCodeVerifier,
        },
      });
  }

  it('signs a provider user up, then in as the same user, with a session', async () => {
    provider.user = { sub: 'alice', email: 'alice@example.com', email_verified: true };
    const first = await signInWithProvider();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'OK',
      createdNewRecipeUser: true,
      user: {
        emails: ['alice@example.com'],
        thirdParty: [{ id: 'local', userId: 'alice' }],
        loginMethods: [expect.objectContaining({ recipeId: 'thirdparty', verified: true })],
      },
    });
    expect(first.headers['st-access-token']).toBeTruthy();
    const second = await signInWithProvider();
    expect(second.body).toMatchObject({ status: 'OK', createdNewRecipeUser: false });
    expect(second.body.user.id).toBe(first.body.user.id);
  });

  it('follows an email change at the provider', async () => {
    provider.user = { sub: 'bob', email: 'bob@old.example.com', email_verified: false };
    const first = await signInWithProvider();
    provider.user = { sub: 'bob', email: 'bob@new.example.com', email_verified: false };
    const second = await signInWithProvider();
    expect(second.body.user.id).toBe(first.body.user.id);
    expect(second.body.user.emails).toEqual(['bob@new.example.com']);
  });

  it('answers denied consent and a bad or reused code with a clean 400', async () => {
    provider.denyNext = true;
    const denied = await signInWithProvider();
    expect(denied.status).toBe(400);
    expect(denied.body.message).toBe(
      'The sign-in was not completed at the provider (access_denied): start it again',
    );
    const badCode = await signInWithProvider((q) => (q.code = 'not-a-code'));
    expect(badCode.status).toBe(400);
    expect(badCode.body.message).toBe(
      'The sign-in provider refused the sign-in (invalid_grant): start it again',
    );
    // The state is the frontend's to check (the SDK's web client does); the backend signs in.
    const badState = await signInWithProvider((q) => (q.state = 'forged'));
    expect(badState.status).toBe(200);
  });

  it('refuses a code used twice', async () => {
    let used: Record<string, string> = {};
    await signInWithProvider((q) => (used = { ...q }));
    const replay = await request(app.getHttpServer())
      .post('/auth/signinup')
      .send({
        thirdPartyId: 'local',
        redirectURIInfo: { redirectURIOnProviderDashboard: CALLBACK, redirectURIQueryParams: used },
      });
    expect(replay.status).toBe(400);
  });

  it('says so when the provider is down', async () => {
    await provider.stop();
    const down = await request(app.getHttpServer())
      .post('/auth/signinup')
      .send({
        thirdPartyId: 'local',
        redirectURIInfo: {
          redirectURIOnProviderDashboard: CALLBACK,
          redirectURIQueryParams: { code: 'whatever' },
        },
      });
    expect(down.status).toBe(503);
    expect(down.body.message).toBe(
      'The sign-in provider cannot be reached right now: try again later',
    );
    provider = await new LocalOAuthProvider().start();
  });
});

describe('thirdParty option checks', () => {
  it('refuses providers without an id or a client, naming each', async () => {
    await expect(
      startModuleApp({
        imports: [
          AuthModule.forRoot(
            authTestingOptions({
              thirdParty: {
                providers: [
                  { config: { thirdPartyId: 'github', clients: [] } },
                  { config: { clients: [{ clientId: 'x' }] } } as never,
                ],
              },
            }),
          ),
        ],
      }),
    ).rejects.toThrow(
      /thirdParty\.providers\[0\] \('github'\): config\.clients must list at least one client[\s\S]*thirdParty\.providers\[1\]\.config\.thirdPartyId must be a non-empty string/,
    );
    await expect(
      startModuleApp({
        imports: [AuthModule.forRoot(authTestingOptions({ thirdParty: { providers: [] } }))],
      }),
    ).rejects.toThrow(/thirdParty\.providers must list at least one provider/);
  });
});
