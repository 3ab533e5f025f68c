import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { AUTH_RUNTIME, type AuthRuntime, superTokensCors } from './auth/index.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  const config = app.get(ConfigService);
  app.enableCors(
    superTokensCors({ origin: config.get<string>('WEBSITE_DOMAIN') ?? 'http://localhost:3001' }),
  );
  app.enableShutdownHooks();
  const port = Number(config.get<string>('PORT') ?? 3000);
  await app.listen(port);

  const runtime = app.get<AuthRuntime>(AUTH_RUNTIME);
  const base = `http://localhost:${port}`;
  const logger = new Logger('Example');
  logger.log(
    `Listening on ${base}: GET /public, GET /me (needs a session), GET /optional, ` +
      'GET /admin (role admin), GET /verified (verified email)',
  );
  logger.log(
    `Auth APIs under ${base}${runtime.apiBasePath} (e.g. POST ${runtime.apiBasePath}/signup)`,
  );
  logger.log(
    `User management dashboard: ${base}${runtime.apiBasePath}/dashboard ` +
      '(logins: DASHBOARD_EMAIL / DASHBOARD_PASSWORD, or npm run dashboard -- users create)',
  );
  logger.log(
    runtime.embeddedCore
      ? `SuperTokens core: embedded (${runtime.connectionURI}), storage ${runtime.embeddedCore.storage}; ` +
          'set SUPERTOKENS_CONNECTION_URI for an official core'
      : `SuperTokens core: ${runtime.connectionURI}`,
  );
}

void bootstrap();
