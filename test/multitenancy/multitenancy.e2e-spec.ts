import { Controller, Get, type INestApplication, Injectable, UseGuards } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import {
  AuthGuard,
  AuthModule,
  MultitenancyService,
  RequireTenant,
  Session,
  Tenant,
  VerifySession,
} from '../../src/auth/index.js';
import { authTestingOptions } from '../../src/testing/index.js';
import { HeaderClient, PASSWORD } from '../support/auth-client.js';
import { startModuleApp } from '../support/test-app.js';

@Controller()
class OrgController {
  @Get('me')
  @UseGuards(AuthGuard)
  me(@Tenant() tenantId: string, @Session('userId') userId: string) {
    return { tenantId, userId };
  }

  /** A route of whichever tenant the path names. */
  @Get('orgs/:tenantId/invoices')
  @UseGuards(AuthGuard)
  @RequireTenant({ param: 'tenantId' })
  invoices(@Tenant() tenantId: string) {
    return { invoicesOf: tenantId };
  }

  /** A route of the tenant the host names: acme.example.com → acme. */
  @Get('dashboard')
  @UseGuards(AuthGuard)
  @RequireTenant({ subdomain: true })
  dashboard(@Tenant() tenantId: string) {
    return { dashboardOf: tenantId };
  }

  /** The host mapped by the app: custom domains of tenants. */
  @Get('portal')
  @UseGuards(AuthGuard)
  @RequireTenant({ subdomain: (host) => ({ 'portal.globex.test': 'globex' })[host] })
  portal() {
    return { ok: true };
  }

  /** A route of one tenant only, checking the session in the database. */
  @Get('acme-only')
  @UseGuards(AuthGuard)
  @RequireTenant('acme')
  @VerifySession({ checkDatabase: true })
  acmeOnly() {
    return { ok: true };
  }
}

describe('tenants through the Nest module (multitenancy: true)', () => {
  let app: INestApplication<App>;
  let tenants: MultitenancyService;
  beforeAll(async () => {
    app = await startModuleApp(
      {
        imports: [AuthModule.forRoot(authTestingOptions({ multitenancy: true }))],
        controllers: [OrgController],
      },
      { listen: true },
    );
    tenants = app.get(MultitenancyService);
    for (const t of ['acme', 'globex']) {
      expect(await tenants.createOrUpdateTenant(t)).toEqual({ createdNew: true });
    }
  });
  afterAll(() => app.close());

  it('creates tenants that accept every factor unless told otherwise, and lists them', async () => {
    expect(await tenants.getTenant('acme')).toEqual({
      tenantId: 'acme',
      thirdPartyProviders: [],
      coreConfig: {},
    });
    await tenants.createOrUpdateTenant('initech', { firstFactors: ['emailpassword'] });
    expect(await tenants.getTenant('initech')).toMatchObject({ firstFactors: ['emailpassword'] });
    expect((await tenants.listTenants()).map((t) => t.tenantId)).toEqual(
      expect.arrayContaining(['public', 'acme', 'globex', 'initech']),
    );
    expect(await tenants.getTenant('nope')).toBeUndefined();
  });

  it('signs the same email up in two tenants as two users, each signing in only to its own', async () => {
    const email = 'same-person@example.com';
    const acme = new HeaderClient(app, '/auth/acme');
    const globex = new HeaderClient(app, '/auth/globex');
    const a = await acme.signUp(email, PASSWORD);
    const g = await globex.signUp(email, 'another-pass-7');
    expect(a.body).toMatchObject({ status: 'OK', user: { tenantIds: ['acme'] } });
    expect(g.body).toMatchObject({ status: 'OK', user: { tenantIds: ['globex'] } });
    expect(a.body.user.id).not.toBe(g.body.user.id);
    expect(
      (await new HeaderClient(app, '/auth/acme').signIn(email, 'another-pass-7')).body,
    ).toEqual({
      status: 'WRONG_CREDENTIALS_ERROR',
    });
    // Not in the public tenant at all.
    expect((await new HeaderClient(app).signIn(email, PASSWORD)).body.status).toBe(
      'WRONG_CREDENTIALS_ERROR',
    );
    const me = await acme.send('get', '/me');
    expect(me.body).toEqual({ tenantId: 'acme', userId: a.body.user.id });
  });

  it("refuses a session of tenant A on tenant B's routes with 403, like a failed claim", async () => {
    const acme = new HeaderClient(app, '/auth/acme');
    await acme.signUp();
    expect((await acme.send('get', '/orgs/acme/invoices')).body).toEqual({ invoicesOf: 'acme' });
    expect((await acme.send('get', '/orgs/ACME/invoices')).status).toBe(200);
    const refused = await acme.send('get', '/orgs/globex/invoices');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      message: 'invalid claim',
      claimValidationErrors: [
        {
          id: 'st-tenant',
          reason: { message: 'wrong tenant', expectedToBe: 'globex', actualValue: 'acme' },
        },
      ],
    });
    expect((await acme.send('get', '/acme-only')).status).toBe(200);
    const globex = new HeaderClient(app, '/auth/globex');
    await globex.signUp();
    expect((await globex.send('get', '/acme-only')).status).toBe(403);
    // No session at all is still the 401 of any guarded route.
    expect((await request(app.getHttpServer()).get('/orgs/acme/invoices')).status).toBe(401);
  });

  it('takes the route’s tenant from the host’s subdomain, or from the app’s mapping', async () => {
    const acme = new HeaderClient(app, '/auth/acme');
    await acme.signUp();
    const at = (host: string, path = '/dashboard') => acme.authed('get', path).set('host', host);
    expect((await at('acme.example.com')).body).toEqual({ dashboardOf: 'acme' });
    expect((await at('ACME.example.com:8443')).status).toBe(200);
    expect((await at('acme.localhost:3000')).status).toBe(200);
    const elsewhere = await at('globex.example.com');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.claimValidationErrors[0].reason).toEqual({
      message: 'wrong tenant',
      expectedToBe: 'globex',
      actualValue: 'acme',
    });
    // No subdomain names no tenant: refused, never "any tenant".
    for (const host of ['example.com', '127.0.0.1:3000', 'localhost']) {
      expect([host, (await at(host)).status]).toEqual([host, 403]);
    }
    expect((await at('portal.globex.test', '/portal')).status).toBe(403);
    const globex = new HeaderClient(app, '/auth/globex');
    await globex.signUp();
    const portal = await globex.authed('get', '/portal').set('host', 'portal.globex.test');
    expect(portal.status).toBe(200);
  });

  it('answers an unknown tenant with a 400 naming it, not a 500', async () => {
    const response = await new HeaderClient(app, '/auth/no-such-org').signIn(
      'x@example.com',
      PASSWORD,
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ message: "Unknown tenant 'no-such-org'" });
  });

  it('moves a user into another tenant, and deleting a tenant ends its sessions', async () => {
    await tenants.createOrUpdateTenant('temp');
    const temp = new HeaderClient(app, '/auth/temp');
    const signUp = await temp.signUp('leaver@example.com', PASSWORD);
    const recipeUserId = signUp.body.user.loginMethods[0].recipeUserId as string;
    expect(await tenants.associateUser('acme', recipeUserId)).toBe('OK');
    expect(await tenants.associateUser('acme', recipeUserId)).toBe('ALREADY_ASSOCIATED');
    const inAcme = new HeaderClient(app, '/auth/acme');
    expect((await inAcme.signIn('leaver@example.com', PASSWORD)).body.status).toBe('OK');
    expect((await inAcme.send('get', '/me')).body.tenantId).toBe('acme');

    await tenants.createOrUpdateTenant('acme2');
    const acme2 = new HeaderClient(app, '/auth/acme2');
    await acme2.signUp();
    expect(await tenants.deleteTenant('acme2')).toEqual({ didExist: true });
    // checkDatabase sees the session is gone; the tenant's APIs no longer exist.
    expect((await acme2.send('get', '/acme-only')).status).toBe(401);
    expect((await acme2.signIn('whoever@example.com')).body).toMatchObject({
      message: "Unknown tenant 'acme2'",
    });
    expect(await tenants.disassociateUser('acme', recipeUserId)).toEqual({ wasAssociated: true });
    expect((await inAcme.signIn('leaver@example.com', PASSWORD)).body.status).toBe(
      'WRONG_CREDENTIALS_ERROR',
    );
  });
});

@Injectable()
class UsesTenants {
  constructor(readonly tenants: MultitenancyService) {}
}

describe('multitenancy off', () => {
  it('refuses @RequireTenant() and MultitenancyService at start-up, naming the option', async () => {
    await expect(
      startModuleApp({
        imports: [AuthModule.forRoot(authTestingOptions())],
        controllers: [OrgController],
        providers: [UsesTenants],
      }),
    ).rejects.toThrow(
      /@RequireTenant\(\) on OrgController\.invoices: add multitenancy: true[\s\S]*UsesTenants injects MultitenancyService: add multitenancy: true/,
    );
  });

  it('refuses a malformed multitenancy option', async () => {
    await expect(
      startModuleApp({
        imports: [
          AuthModule.forRoot(
            authTestingOptions({ multitenancy: { allowedDomains: ['acme.com'] } as never }),
          ),
        ],
      }),
    ).rejects.toThrow(/multitenancy\.allowedDomains must be a function/);
  });
});
