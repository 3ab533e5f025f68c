import 'reflect-metadata';
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Session from 'supertokens-node/recipe/session';
import {
  AuthGuard,
  AuthModule,
  Session as CurrentSession,
  VerifySession,
} from '../../src/auth/index.js';

/**
 * The app the soak loads, in its own process (started by main.ts) so its heap is measured alone:
 * AuthModule on the embedded core, a guarded route and a database-checked one. Answers `heap`
 * (after a full GC) and `sessions <userIds...>` (live sessions of those users) over IPC.
 */
@Controller()
class SoakController {
  @Get('me')
  @UseGuards(AuthGuard)
  me(@CurrentSession('userId') userId: string) {
    return { userId };
  }

  @Get('strict')
  @UseGuards(AuthGuard)
  @VerifySession({ checkDatabase: true })
  strict(@CurrentSession('handle') handle: string) {
    return { handle };
  }
}

@Module({
  imports: [
    AuthModule.forRoot({
      appInfo: {
        appName: 'soak',
        apiDomain: 'http://127.0.0.1',
        websiteDomain: 'http://127.0.0.1',
      },
    }),
  ],
  controllers: [SoakController],
})
class SoakModule {}

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const app = await NestFactory.create(SoakModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  process.on('message', (message: { type: string; userIds?: string[] }) => {
    void (async () => {
      if (message.type === 'heap') {
        for (let i = 0; i < 3; i++) gc?.();
        process.send?.({
          heapUsed: process.memoryUsage().heapUsed,
          rss: process.memoryUsage().rss,
        });
      } else if (message.type === 'sessions') {
        let count = 0;
        for (const userId of message.userIds ?? []) {
          count += (await Session.getAllSessionHandlesForUser(userId)).length;
        }
        process.send?.({ sessions: count });
      } else if (message.type === 'stop') {
        await app.close();
        process.exit(0);
      }
    })();
  });
  process.send?.({ port });
}

void main();
