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
    const allowed = String(response.headers['access-control-allow-headers']).split(',');
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
