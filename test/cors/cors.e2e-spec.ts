import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { superTokensCors } from '../../src/auth/index.js';
import { APP_INFO, createTestApp } from '../support/test-app.js';

/** A frontend on another origin: the preflight allows the SDK's headers and credentials. */
describe('CORS with superTokensCors()', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await createTestApp({}, (a) =>
      a.enableCors(superTokensCors({ origin: APP_INFO.websiteDomain })),
    );
  });
  afterAll(() => app.close());

  it('answers the preflight of a sign-in with the SDK headers and credentials', async () => {
    const response = await request(app.getHttpServer())
      .options('/auth/signin')
      .set('origin', APP_INFO.websiteDomain)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type,rid,fdi-version,st-auth-mode');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(APP_INFO.websiteDomain);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    const allowed = String(response.headers['access-control-allow-headers'])
      .split(',')
      .map((header) => header.trim());
    expect(allowed).toEqual(
      expect.arrayContaining(['content-type', 'rid', 'fdi-version', 'anti-csrf', 'st-auth-mode']),
    );
  });

  it('exposes the session headers to the frontend and refuses other origins', async () => {
    const ours = await request(app.getHttpServer())
      .get('/public')
      .set('origin', APP_INFO.websiteDomain);
    expect(String(ours.headers['access-control-expose-headers'])).toContain('front-token');
    const other = await request(app.getHttpServer())
      .get('/public')
      .set('origin', 'http://evil.example');
    // The browser refuses the response: the allowed origin is ours, not the caller's.
    expect(other.headers['access-control-allow-origin']).toBe(APP_INFO.websiteDomain);
  });
});

/** Browsers report CORS failures only in their own console: the module says it in the app's log. */
describe('CORS hints in the log', () => {
  const warningsOf = async (configure: (app: INestApplication) => void) => {
    const warnings: string[] = [];
    const app = await createTestApp({}, (a) => {
      a.useLogger({
        log: () => undefined,
        error: () => undefined,
        warn: (message: string) => warnings.push(message),
      });
      configure(a);
    });
    const server = () => request(app.getHttpServer());
    const preflight = () =>
      server()
        .options('/auth/signin')
        .set('origin', APP_INFO.websiteDomain)
        .set('access-control-request-method', 'POST');
    const signIn = () =>
      server().post('/auth/signin').set('origin', APP_INFO.websiteDomain).send({ formFields: [] });
    return { app, warnings, preflight, signIn };
  };

  it('warns once when no CORS answers the preflight of the website', async () => {
    const { app, warnings, preflight } = await warningsOf(() => undefined);
    try {
      expect((await preflight()).status).toBe(404);
      await preflight();
      expect(warnings).toEqual([
        `A browser preflight from ${APP_INFO.websiteDomain} got no CORS answer: call ` +
          `app.enableCors(superTokensCors({ origin: '${APP_INFO.websiteDomain}' })) in main.ts ` +
          'before listen() (credentials and the SDK headers; see the README, "Using it in your app").',
      ]);
    } finally {
      await app.close();
    }
  });

  it("warns when plain enableCors() answers with '*' and no credentials", async () => {
    const { app, warnings, signIn } = await warningsOf((a) => a.enableCors());
    try {
      await signIn();
      await signIn();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(
        `Requests from ${APP_INFO.websiteDomain} are answered without ` +
          "Access-Control-Allow-Credentials: true (and with origin '*'), so browsers drop the session cookies",
      );
    } finally {
      await app.close();
    }
  });

  it('stays quiet with superTokensCors() and for other origins', async () => {
    const { app, warnings, preflight, signIn } = await warningsOf((a) =>
      a.enableCors(superTokensCors({ origin: APP_INFO.websiteDomain })),
    );
    try {
      expect((await preflight()).status).toBe(204);
      await signIn();
      await request(app.getHttpServer())
        .options('/auth/signin')
        .set('origin', 'http://evil.example')
        .set('access-control-request-method', 'POST');
      expect(warnings).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
