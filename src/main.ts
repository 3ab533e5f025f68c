import 'reflect-metadata';
import { createServer } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import {
  AuthInfo,
  type AuthModuleOptions,
  getAuthOptionsToken,
  superTokensCors,
  withSuperTokens,
} from './auth/index.js';
import { pageProviders, SignInPage } from './sign-in-page/sign-in-page.js';

const logger = new Logger('Example');

/**
 * With WEBSITE_DOMAIN on another local port (e.g. http://localhost:3001), the same sign-in page
 * is served there too, calling the API across origins: the set-up of a separate frontend, with
 * the CORS lines in `bootstrap` below.
 */
function serveWebsite(
  websiteDomain: string,
  apiDomain: string,
  apiBasePath: string,
  providers: { id: string; name: string }[],
  webauthn: boolean,
): void {
  const url = new URL(websiteDomain);
  if (!['localhost', '127.0.0.1'].includes(url.hostname) || !url.port) return;
  const page = new SignInPage({ apiDomain, apiBasePath, providers, webauthn });
  createServer((req, res) => {
    const file = req.method === 'GET' ? page.get(req.url ?? '/') : undefined;
    res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain; charset=utf-8' });
    res.end(file?.body ?? 'Not found');
  })
    .on('error', (error) =>
      logger.warn(`Sign-in page not served on ${websiteDomain}: ${error.message}`),
    )
    .listen(Number(url.port), url.hostname, () =>
      logger.log(`Sign-in page, across origins: ${websiteDomain}/`),
    );
}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  const { appInfo } = app.get<AuthModuleOptions>(getAuthOptionsToken());
  const apiOrigin = new URL(appInfo.apiDomain).origin;
  const websiteOrigin = new URL(appInfo.websiteDomain ?? apiOrigin).origin;
  // A frontend on another origin needs CORS with credentials and the SDK's headers.
  app.enableCors(superTokensCors({ origin: websiteOrigin }));
  app.enableShutdownHooks();
  // The OpenAPI document at /docs: guarded routes marked as secured, the auth APIs included.
  const openApi = new DocumentBuilder().setTitle('nest-supertokens example').build();
  SwaggerModule.setup(
    'docs',
    app,
    withSuperTokens(app, SwaggerModule.createDocument(app, openApi)),
  );
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);

  const info = app.get(AuthInfo);
  const base = `http://localhost:${port}`;
  logger.log(`Sign-in page: ${base}/ (sign up, sign in with a phone code, call the API)`);
  logger.log(
    `API: GET /public, GET /me and GET /profile (need a session), GET /optional, ` +
      'GET /admin (role admin), GET /verified (verified email), GET /health, OpenAPI at /docs',
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
  const options = app.get<AuthModuleOptions>(getAuthOptionsToken());
  const providers = pageProviders(options);
  if (providers.length > 0) {
    logger.log(`Sign in with ${providers.map((p) => p.name).join(', ')} on the sign-in page`);
  }
  if (websiteOrigin !== apiOrigin) {
    serveWebsite(websiteOrigin, apiOrigin, info.apiBasePath, providers, Boolean(options.webauthn));
  }
}

void bootstrap();
