import {
  type ArgumentsHost,
  Catch,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  HttpException,
  type HttpServer,
  type INestApplication,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { E2E_PLATFORM } from '../support/platform.js';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { HeaderClient, PASSWORD } from '../support/auth-client.js';
import { AuthModule } from '../../src/auth/index.js';
import { APP_INFO, createTestApp, startModuleApp } from '../support/test-app.js';

/** The request's path, on either platform. */
const pathOf = (context: ExecutionContext): string =>
  context.switchToHttp().getRequest<{ originalUrl: string }>().originalUrl.split('?')[0] ?? '';

/** A logging interceptor of the app's: it sees a route only if the route goes through Nest. */
@Injectable()
class SeenRoutes implements NestInterceptor {
  static paths: string[] = [];
  intercept(context: ExecutionContext, next: CallHandler) {
    SeenRoutes.paths.push(pathOf(context));
    return next.handle();
  }
}

/** The default: the auth APIs as a Nest route. */
describe("routes: 'nest'", () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({ routes: 'nest' }, (a) => a.useGlobalInterceptors(new SeenRoutes()));
  });
  afterAll(() => app.close());

  it('refuses an apiBasePath at the app root, where its catch-all would shadow the app', async () => {
    await app.close();
    await expect(
      createTestApp({ routes: 'nest', appInfo: { ...APP_INFO, apiBasePath: '/' } }),
    ).rejects.toThrow(
      /routes: 'nest' serves the auth APIs as a catch-all route .* shadow your own routes/,
    );
    app = await createTestApp({ routes: 'nest' }, (a) => a.useGlobalInterceptors(new SeenRoutes()));
  });

  it('serves the auth APIs through the Nest pipeline (a global interceptor sees them)', async () => {
    const client = new HeaderClient(app);
    expect((await client.signUp()).body).toMatchObject({ status: 'OK' });
    expect((await client.send('get', '/me')).status).toBe(200);
    expect(SeenRoutes.paths).toEqual(expect.arrayContaining(['/auth/signup', '/me']));
  });
});

/** The app's own exception filter, shaping errors its way. */
@Catch(HttpException)
class ShapedErrors implements ExceptionFilter {
  constructor(private readonly adapter: HttpServer) {}
  catch(exception: HttpException, host: ArgumentsHost) {
    const status = exception.getStatus();
    this.adapter.reply(
      host.switchToHttp().getResponse(),
      { error: { code: status, shapedBy: 'app' } },
      status,
    );
  }
}

describe("routes: 'nest' with the app's exception filter", () => {
  it('lets the filter shape the auth errors that Nest answers (bad input)', async () => {
    const app = await createTestApp(
      { routes: 'nest', passwordless: { contactMethod: 'PHONE', flowType: 'USER_INPUT_CODE' } },
      (a) => a.useGlobalFilters(new ShapedErrors(a.getHttpAdapter())),
    );
    try {
      // A phone number that is not a string: the module's own 400, thrown to Nest.
      const response = await request(app.getHttpServer())
        .post('/auth/signinup/code')
        .send({ phoneNumber: 5 });
      expect(response.body).toEqual({ error: { code: 400, shapedBy: 'app' } });
    } finally {
      await app.close();
    }
  });
});

describe("routes: 'nest' and the middleware", () => {
  /** The answers of one app to the same requests (apps run one after the other: one SDK). */
  async function answersOf(routes: 'nest' | 'middleware') {
    // The middleware exists on Express only: on Fastify the route is compared with it.
    const app = await createTestApp(
      { routes },
      undefined,
      routes === 'middleware' ? 'express' : E2E_PLATFORM,
    );
    try {
      const email = 'same@example.com';
      await new HeaderClient(app).signUp(email);
      const answers: unknown[] = [];
      for (const [method, path, body] of [
        [
          'post',
          '/auth/signin',
          {
            formFields: [
              { id: 'email', value: email },
              { id: 'password', value: 'wrong-pass-1' },
            ],
          },
        ],
        ['post', '/auth/signin', { formFields: [] }],
        ['post', '/auth/signin', 'not json'],
        ['get', '/auth/nope', undefined],
        ['post', '/auth/session/refresh', {}],
      ] as const) {
        const response = await request(app.getHttpServer())
          [method](path)
          .set('content-type', 'application/json')
          .send(body);
        answers.push({
          path,
          status: response.status,
          type: response.headers['content-type'],
          body: response.text,
        });
      }
      const signIn = await new HeaderClient(app).signIn(email, PASSWORD);
      answers.push({ signIn: signIn.status, headers: Object.keys(signIn.headers).sort() });
      return answers;
    } finally {
      await app.close();
    }
  }

  /**
   * What is Express' own and not the module's, on Fastify: the words of its JSON parser's 400 (each
   * platform parses the body; both answer 400 JSON) and its `etag` / `x-powered-by` headers.
   */
  const platformNeutral = (answers: unknown[]) =>
    answers.map((answer) => {
      const { body, headers, ...rest } = answer as { body?: string; headers?: string[] };
      return {
        ...rest,
        ...(body !== undefined && { body: body.includes('JSON') ? 'invalid JSON' : body }),
        ...(headers && { headers: headers.filter((h) => h !== 'etag' && h !== 'x-powered-by') }),
      };
    });

  it('answers exactly as the middleware does, errors and unknown auth paths included', async () => {
    const nest = await answersOf('nest');
    const middleware = await answersOf('middleware');
    if (E2E_PLATFORM === 'express') expect(nest).toEqual(middleware);
    else expect(platformNeutral(nest)).toEqual(platformNeutral(middleware));
  });
});

/**
 * A throttling guard of the app's, registered as APP_GUARD (what @nestjs/throttler does; that
 * package is CommonJS requiring Nest 12's ES modules, which Jest cannot load on Node 20).
 */
@Injectable()
class TwoPerPath implements CanActivate {
  private readonly counts = new Map<string, number>();
  canActivate(context: ExecutionContext): boolean {
    const path = pathOf(context);
    const count = (this.counts.get(path) ?? 0) + 1;
    this.counts.set(path, count);
    if (count > 2) throw new HttpException('Too Many Requests', 429);
    return true;
  }
}

describe("routes: 'nest' under the app's global guard", () => {
  it('lets an app-wide throttling guard limit /auth/signin (the middleware could not)', async () => {
    const statusesIn = async (routes: 'nest' | 'middleware') => {
      const app = await startModuleApp(
        {
          imports: [
            AuthModule.forRoot({
              appInfo: APP_INFO,
              emailDelivery: 'inbox',
              rateLimit: false,
              routes,
            }),
          ],
          providers: [{ provide: APP_GUARD, useClass: TwoPerPath }],
        },
        { platform: routes === 'middleware' ? 'express' : E2E_PLATFORM },
      );
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) {
          const response = await request(app.getHttpServer())
            .post('/auth/signin')
            .send({
              formFields: [
                { id: 'email', value: 'x@example.com' },
                { id: 'password', value: 'nope-1234' },
              ],
            });
          statuses.push(response.status);
        }
        return statuses;
      } finally {
        await app.close();
      }
    };
    expect(await statusesIn('nest')).toEqual([200, 200, 429]);
    expect(await statusesIn('middleware')).toEqual([200, 200, 200]);
  });
});

describe("routes: 'middleware' on Fastify", () => {
  it('is refused at start-up, saying the auth APIs are a Nest route there', async () => {
    await expect(createTestApp({ routes: 'middleware' }, undefined, 'fastify')).rejects.toThrow(
      /routes: 'middleware' works on Express only: .* On Fastify they are a Nest route/,
    );
    // The SDK and the embedded core were released: the next app starts.
    const app = await createTestApp({ routes: 'nest' }, undefined, 'fastify');
    expect((await new HeaderClient(app).signUp()).body).toMatchObject({ status: 'OK' });
    await app.close();
  });
});
