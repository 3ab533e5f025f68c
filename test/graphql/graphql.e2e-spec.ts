import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type INestApplication, UseGuards } from '@nestjs/common';
import { Field, GraphQLModule, ObjectType, Query, ResolveField, Resolver } from '@nestjs/graphql';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import {
  AuthGuard,
  AuthModule,
  type AuthModuleOptions,
  Public,
  Roles,
  Session,
  type SessionContainer,
} from '../../src/auth/index.js';
import { authTestingOptions, createUserAndSession } from '../../src/testing/index.js';
import { startModuleApp } from '../support/test-app.js';
import { E2E_PLATFORM } from '../support/platform.js';

@ObjectType()
class Profile {
  @Field()
  userId!: string;
}

@Resolver(() => Profile)
class ProfileResolver {
  @Query(() => Profile)
  @UseGuards(AuthGuard)
  me(@Session('userId') userId: string): Profile {
    return { userId };
  }

  /** A field resolver reads the session the query's guard verified. */
  @ResolveField(() => String)
  tenant(@Session() session: SessionContainer): string {
    return session.getTenantId();
  }

  @Query(() => String)
  @UseGuards(AuthGuard)
  @Roles('admin')
  adminOnly(): string {
    return 'admin';
  }

  @Query(() => String)
  @Public()
  hello(): string {
    return 'hello';
  }
}

async function graphqlApp(options: Partial<AuthModuleOptions> & { globalGuard?: boolean } = {}) {
  const app = await startModuleApp({
    imports: [
      AuthModule.forRoot(authTestingOptions({ roles: true, ...options })),
      GraphQLModule.forRoot<ApolloDriverConfig>({
        driver: ApolloDriver,
        autoSchemaFile: true,
        // Express passes `{ req, res }`, Fastify `(request, reply)`: the context carries both ways.
        context: (express: { req: unknown; res: unknown }, fastifyReply?: unknown) =>
          fastifyReply
            ? { req: express, res: fastifyReply }
            : { req: express.req, res: express.res },
      }),
    ],
    providers: [ProfileResolver],
  });
  return app;
}

const query = (app: INestApplication<App>, text: string, headers: Record<string, string> = {}) =>
  request(app.getHttpServer()).post('/graphql').set(headers).send({ query: text });

const errorOf = (body: { errors?: { message: string; extensions?: unknown }[] }) =>
  body.errors?.map(({ message, extensions }) => ({ message, extensions }));

/** The errors of a query refused for failed claims. */
const invalidClaim = (claimValidationErrors: unknown[]) => [
  {
    message: 'invalid claim',
    extensions: {
      code: 'FORBIDDEN',
      superTokens: { message: 'invalid claim', claimValidationErrors },
    },
  },
];

describe(`GraphQL resolvers (Apollo on ${E2E_PLATFORM})`, () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await graphqlApp();
  });
  afterAll(() => app.close());

  it('answers a guarded query and a field resolver with the session', async () => {
    const user = await createUserAndSession(app);
    const ok = await query(app, '{ me { userId tenant } }', user.headers);
    expect(ok.body).toEqual({ data: { me: { userId: user.userId, tenant: 'public' } } });
    const cookie = await createUserAndSession(app);
    const byCookie = await query(app, '{ me { userId } }', { cookie: cookie.cookie });
    expect(byCookie.body).toEqual({ data: { me: { userId: cookie.userId } } });
  });

  it('refuses a query without a session as UNAUTHENTICATED, never an internal error', async () => {
    const none = await query(app, '{ me { userId } }');
    expect(errorOf(none.body)).toEqual([
      {
        message: 'unauthorised',
        extensions: { code: 'UNAUTHENTICATED', superTokens: { message: 'unauthorised' } },
      },
    ]);
  });

  it('tells the frontend to refresh when the access token is no longer valid', async () => {
    const user = await createUserAndSession(app);
    const [head, payload] = user.accessToken.split('.');
    const forged = `${head}.${payload}.${'A'.repeat(342)}`;
    const stale = await query(app, '{ me { userId } }', { authorization: `Bearer ${forged}` });
    expect(errorOf(stale.body)).toEqual([
      {
        message: 'try refresh token',
        extensions: {
          code: 'UNAUTHENTICATED',
          superTokens: { message: 'try refresh token', tryRefresh: true },
        },
      },
    ]);
  });

  it('refuses a failed claim as FORBIDDEN with the claim errors, and lets an admin in', async () => {
    const user = await createUserAndSession(app);
    const refused = await query(app, '{ adminOnly }', user.headers);
    expect(errorOf(refused.body)).toEqual(
      invalidClaim([
        {
          id: 'st-role',
          reason: { message: 'wrong value', expectedToInclude: ['admin'], actualValue: [] },
        },
      ]),
    );
    const admin = await createUserAndSession(app, { roles: ['admin'] });
    expect((await query(app, '{ adminOnly }', admin.headers)).body).toEqual({
      data: { adminOnly: 'admin' },
    });
  });
});

describe('GraphQL with the global guard', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await graphqlApp({ globalGuard: true });
  });
  afterAll(() => app.close());

  it('guards every resolver but the @Public() ones', async () => {
    expect((await query(app, '{ hello }')).body).toEqual({ data: { hello: 'hello' } });
    const none = await query(app, '{ me { userId } }');
    expect(errorOf(none.body)?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const user = await createUserAndSession(app);
    expect((await query(app, '{ me { userId } }', user.headers)).body).toEqual({
      data: { me: { userId: user.userId } },
    });
  });
});

describe('GraphQL with a second factor required (mfa)', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await graphqlApp({ mfa: { requiredSecondaryFactors: ['totp'], totp: true } });
  });
  afterAll(() => app.close());

  it('refuses a first-factor session as FORBIDDEN with the st-mfa claim error', async () => {
    const user = await createUserAndSession(app);
    const refused = await query(app, '{ me { userId } }', user.headers);
    expect(errorOf(refused.body)).toEqual(
      invalidClaim([expect.objectContaining({ id: 'st-mfa' })]),
    );
  });
});
