import { setTimeout as sleep } from 'node:timers/promises';
import {
  Body,
  Controller,
  Get,
  type INestApplication,
  Injectable,
  Post,
  UseGuards,
} from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AuthGuard, AuthModule, CurrentSession, Session } from '../../src/auth/index.js';
import { authTestingOptions, createUserAndSession } from '../../src/testing/index.js';
import { startModuleApp } from '../support/test-app.js';

/** A provider deep in the app that needs the user without being handed the session. */
@Injectable()
class Greeter {
  constructor(private readonly current: CurrentSession) {}

  async greet(): Promise<string | undefined> {
    // Awaits in between, so concurrent requests interleave here.
    await sleep(Math.floor(Math.random() * 20));
    return this.current.userId;
  }

  strict(): string {
    return this.current.require().getUserId();
  }
}

@Controller()
class GreetController {
  constructor(private readonly greeter: Greeter) {}

  @Get('greet')
  @UseGuards(AuthGuard)
  async greet(@Session('userId') userId: string) {
    return { fromDecorator: userId, fromService: await this.greeter.greet() };
  }

  /** A body to parse first: on Fastify that happens after the middleware, in other callbacks. */
  @Post('greet')
  @UseGuards(AuthGuard)
  async greetPost(@Body() body: { note: string }) {
    return { note: body.note, fromService: await this.greeter.greet() };
  }

  @Get('open')
  async open() {
    return { fromService: (await this.greeter.greet()) ?? null };
  }

  @Get('strict-open')
  strictOpen() {
    return this.greeter.strict();
  }
}

describe('CurrentSession', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await startModuleApp({
      imports: [AuthModule.forRoot(authTestingOptions())],
      controllers: [GreetController],
      providers: [Greeter],
    });
  });
  afterAll(() => app.close());

  it("gives each of 100 concurrent requests its own user's session", async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => createUserAndSession(app)));
    const answers = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const user = users[i % users.length];
        const response = await request(app.getHttpServer()).get('/greet').set(user.headers);
        return { expected: user.userId, ...(response.body as object) };
      }),
    );
    for (const answer of answers) {
      expect(answer).toEqual({
        expected: answer.expected,
        fromDecorator: answer.expected,
        fromService: answer.expected,
      });
    }
  });

  it('keeps the request context across body parsing (a POST with a JSON body)', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => createUserAndSession(app)));
    const answers = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const user = users[i % users.length];
        const response = await request(app.getHttpServer())
          .post('/greet')
          .set(user.headers)
          .send({ note: `n${i}` });
        return { status: response.status, body: response.body as unknown, user, i };
      }),
    );
    for (const { status, body, user, i } of answers) {
      expect(status).toBe(201);
      expect(body).toEqual({ note: `n${i}`, fromService: user.userId });
    }
  });

  it('has no session on a route without the guard, nor outside a request', async () => {
    const user = await createUserAndSession(app);
    const open = await request(app.getHttpServer()).get('/open').set(user.headers);
    expect(open.body).toEqual({ fromService: null });
    expect(app.get(CurrentSession).get()).toBeUndefined();
    const strict = await request(app.getHttpServer()).get('/strict-open').set(user.headers);
    expect(strict.status).toBe(500);
  });
});
