import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { AuthInfo, superTokensCors } from './auth/index.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  const config = app.get(ConfigService);
  app.enableCors(
    superTokensCors({ origin: config.get<string>('WEBSITE_DOMAIN') ?? 'http://localhost:3001' }),
  );
  app.enableShutdownHooks();
  const port = Number(config.get<string>('PORT') ?? 3000);
  await app.listen(port);

  const info = app.get(AuthInfo);
  const base = `http://localhost:${port}`;
  const logger = new Logger('Example');
  logger.log(
    `Listening on ${base}: GET /public, GET /me (needs a session), GET /optional, ` +
      'GET /admin (role admin), GET /verified (verified email)',
  );
  logger.log(`Auth APIs under ${base}${info.apiBasePath} (e.g. POST ${info.apiBasePath}/signup)`);
  logger.log(
    `User management dashboard: ${base}${info.apiBasePath}/dashboard ` +
      '(logins: DASHBOARD_EMAIL / DASHBOARD_PASSWORD, or npm run dashboard -- users create)',
  );
  logger.log(
    info.embeddedCore
      ? `SuperTokens core: embedded (${info.connectionURI}), storage ${info.embeddedCore.storage}; ` +
          'set SUPERTOKENS_CONNECTION_URI for an official core'
      : `SuperTokens core: ${info.connectionURI}`,
  );
}

void bootstrap();
