import 'reflect-metadata';
import {
  type CanActivate,
  Controller,
  Get,
  type INestApplication,
  Module,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express from 'express';
import fastify, { type preHandlerHookHandler } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import { verifySession } from 'supertokens-node/recipe/session/framework/express';
import { verifySession as verifyFastifySession } from 'supertokens-node/recipe/session/framework/fastify';
import { BENCH_APP_INFO } from '../shared.js';
import { AuthGuard, AuthModule } from '../../src/auth/index.js';

/**
 * The servers the guard benchmark loads on one platform (`BENCH_PLATFORM`: express or fastify),
 * in one process started by main.ts (one per platform: the SDK is a process-wide singleton): a
 * Nest app with AuthModule (open and guarded route), the same Nest app without AuthModule, and a
 * plain app of the platform guarded by supertokens-node's own verifySession. Reports its CPU
 * over IPC.
 */
const platform = process.env.BENCH_PLATFORM === 'fastify' ? 'fastify' : 'express';

/** The cheapest possible guard: what any Nest guard costs before it does anything. */
class NoopGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Controller()
class BenchController {
  @Get('open')
  open() {
    return { ok: true };
  }

  @Get('guarded')
  @UseGuards(AuthGuard)
  guarded() {
    return { ok: true };
  }

  @Get('noop-guarded')
  @UseGuards(NoopGuard)
  noopGuarded() {
    return { ok: true };
  }
}

let coreCalls = 0;

@Module({
  imports: [
    AuthModule.forRoot({
      appInfo: BENCH_APP_INFO,
      // One core per platform's process, in memory: nothing left behind, nothing shared.
      embeddedCore: { storage: 'memory' },
      // Counts every call the SDK makes to the core (the JWKS fetch of jose is not one of them).
      override: (config) => ({
        ...config,
        supertokens: {
          // Keeps the embedded core's per-start API key (the core refuses calls without it).
          ...config.supertokens!,
          networkInterceptor: (request) => {
            coreCalls++;
            return request;
          },
        },
      }),
    }),
  ],
  controllers: [BenchController],
})
class WithAuthModule {}

@Module({ controllers: [BenchController] })
class WithoutAuthModule {}

const port = (server: Server): number => (server.address() as AddressInfo).port;

async function listen(app: INestApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return port(app.getHttpServer() as Server);
}

const nestApp = (module: object) =>
  platform === 'fastify'
    ? NestFactory.create(module, new FastifyAdapter(), { logger: false })
    : NestFactory.create(module, { logger: false });

/** The platform without Nest, its route guarded by the SDK's own verifySession. */
async function plainSdkServer(): Promise<number> {
  if (platform === 'fastify') {
    const app = fastify();
    // The SDK's types name Fastify's hook types loosely: the same function, typed for this app.
    const preHandler = verifyFastifySession() as unknown as preHandlerHookHandler;
    app.get('/sdk-own', { preHandler }, () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return port(app.server);
  }
  const plain = express();
  plain.get('/sdk-own', verifySession(), (_req, res) => {
    res.json({ ok: true });
  });
  const server = await new Promise<Server>((resolve) => {
    const started = plain.listen(0, '127.0.0.1', () => resolve(started));
  });
  return port(server);
}

async function main(): Promise<void> {
  const withAuth = await nestApp(WithAuthModule);
  const withoutAuth = await nestApp(WithoutAuthModule);

  const signUp = await EmailPassword.signUp('public', 'bench@example.com', 'bench-password-1');
  if (signUp.status !== 'OK') throw new Error(signUp.status);
  const session = await Session.createNewSessionWithoutRequestResponse(
    'public',
    signUp.recipeUserId,
  );

  process.on('message', (message: string) => {
    if (message === 'stats') process.send!({ cpu: process.cpuUsage(), coreCalls });
    if (message === 'stop') process.exit(0);
  });
  process.send!({
    ports: {
      openWithAuth: await listen(withAuth),
      openWithoutAuth: await listen(withoutAuth),
      sdkOwn: await plainSdkServer(),
    },
    accessToken: session.getAllSessionTokensDangerously().accessToken,
  });
}

void main();
