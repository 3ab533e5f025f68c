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
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import { verifySession } from 'supertokens-node/recipe/session/framework/express';
import { BENCH_APP_INFO } from '../shared.js';
import { AuthGuard, AuthModule } from '../../src/auth/index.js';

/**
 * The servers the guard benchmark loads, in one process (started by main.ts): a Nest app with
 * AuthModule (open and guarded route), the same Nest app without AuthModule, and a plain Express
 * app guarded by supertokens-node's own verifySession middleware. Reports its CPU over IPC.
 */
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

async function main(): Promise<void> {
  const withAuth = await NestFactory.create(WithAuthModule, { logger: false });
  const withoutAuth = await NestFactory.create(WithoutAuthModule, { logger: false });
  const plain = express();
  plain.get('/sdk-express', verifySession(), (_req, res) => {
    res.json({ ok: true });
  });
  const plainServer = await new Promise<Server>((resolve) => {
    const server = plain.listen(0, '127.0.0.1', () => resolve(server));
  });

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
      sdkExpress: port(plainServer),
    },
    accessToken: session.getAllSessionTokensDangerously().accessToken,
  });
}

void main();
