import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { BENCH_APP_INFO } from '../shared.js';
import { AuthModule } from '../../src/auth/index.js';

/**
 * The app the auth-abuse benchmark attacks, in its own process: AuthModule on the embedded core
 * (memory), email + password, phone passwordless and the dashboard. RATE_LIMIT=off turns the
 * built-in limits off (the "before" figures); on, they have their defaults and trust one proxy,
 * so the benchmark can speak for many clients through X-Forwarded-For.
 */
const limited = process.env.RATE_LIMIT !== 'off';

@Module({
  imports: [
    AuthModule.forRoot({
      appInfo: BENCH_APP_INFO,
      embeddedCore: { storage: 'memory' },
      passwordless: { contactMethod: 'PHONE', flowType: 'USER_INPUT_CODE' },
      dashboard: { users: [{ email: 'ops@example.com', password: 'ops-pass-1' }] },
      emailDelivery: 'inbox',
      smsDelivery: 'inbox',
      rateLimit: limited ? { trustProxy: 1 } : false,
    }),
  ],
})
class AbuseModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AbuseModule, { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  process.send!({ port });
  process.on('message', (message) => {
    if (message === 'stop') void app.close().then(() => process.exit(0));
  });
}

void main();
