import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import {
  AuthGuard,
  AuthModule,
  Session,
  type SessionClaims,
  type TypedSession,
} from '../../src/auth/index.js';
import { authTestingOptions, createUserAndSession } from '../../src/testing/index.js';
import { startModuleApp } from '../support/test-app.js';

interface OrgClaims {
  orgId: string;
}

@Controller()
class ClaimsReadController {
  @Get('claims')
  @UseGuards(AuthGuard)
  claims(@Session('claims') claims: SessionClaims<OrgClaims>) {
    return claims;
  }

  @Get('org')
  @UseGuards(AuthGuard)
  org(@Session() session: TypedSession<OrgClaims>) {
    return { orgId: session.getAccessTokenPayload().orgId };
  }
}

describe("@Session('claims')", () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await startModuleApp({
      imports: [
        AuthModule.forRoot(
          authTestingOptions({ roles: true, emailVerification: { mode: 'OPTIONAL' } }),
        ),
      ],
      controllers: [ClaimsReadController],
    });
  });
  afterAll(() => app.close());

  it('gives the identity, roles, permissions, email state and custom claims in one object', async () => {
    const user = await createUserAndSession(app, {
      roles: ['admin'],
      emailVerified: true,
      accessTokenPayload: { orgId: 'acme' },
    });
    const response = await request(app.getHttpServer()).get('/claims').set(user.headers);
    expect(response.body).toEqual({
      orgId: 'acme',
      userId: user.userId,
      recipeUserId: user.userId,
      tenantId: 'public',
      sessionHandle: user.sessionHandle,
      roles: ['admin'],
      permissions: [],
      emailVerified: true,
    });
    const org = await request(app.getHttpServer()).get('/org').set(user.headers);
    expect(org.body).toEqual({ orgId: 'acme' });
  });
});
