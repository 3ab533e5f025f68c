import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  type HttpServer,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { HeaderClient } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/**
 * The catch-all filter apps typically write: HttpExceptions keep their status, the rest are 500.
 * It answers through the HTTP adapter, as Nest's docs write platform-neutral filters.
 */
@Catch()
class CatchEverythingFilter implements ExceptionFilter {
  constructor(private readonly adapter: HttpServer) {}
  catch(exception: unknown, host: ArgumentsHost): void {
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    const body = exception instanceof HttpException ? exception.getResponse() : { message: 'oops' };
    this.adapter.reply(host.switchToHttp().getResponse(), { handledBy: 'app', body }, status);
  }
}

describe("the app's own catch-all filter", () => {
  let app: INestApplication<App>;
  /** Moves the embedded core's clock to mint already-expired tokens. */
  let skewMs = 0;
  beforeAll(async () => {
    // useGlobalFilters runs after AuthModule registered its filter, so this one is tried first.
    app = await createTestApp({ embeddedCore: { now: () => Date.now() + skewMs } }, (a) =>
      a.useGlobalFilters(new CatchEverythingFilter(a.getHttpAdapter())),
    );
  });
  afterAll(() => app.close());

  it('sees 401 unauthorised from AuthGuard, not a 500', async () => {
    const response = await request(app.getHttpServer()).get('/me');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ handledBy: 'app', body: { message: 'unauthorised' } });
  });

  it('sees 401 try refresh token for an expired token, not a 500', async () => {
    const client = new HeaderClient(app);
    skewMs = -2 * 3600 * 1000;
    await client.signUp();
    skewMs = 0;
    const response = await client.send('get', '/me');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ handledBy: 'app', body: { message: 'try refresh token' } });
  });
});
