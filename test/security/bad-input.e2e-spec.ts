import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { formFields, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

const OPS = { email: 'ops@example.com', password: 'ops-pass-1' };

/**
 * Inputs that the real core refuses with a 400, or that crash supertokens-node's handlers, and
 * which the plain SDK answers with a 500: here each is a 4xx naming the problem.
 */
describe('bad input gets a 4xx, never a 500', () => {
  let app: INestApplication<App>;
  let bearer: string;
  const server = () => request(app.getHttpServer());
  beforeAll(async () => {
    app = await createTestApp({
      passwordless: { contactMethod: 'EMAIL_OR_PHONE', flowType: 'USER_INPUT_CODE_AND_MAGIC_LINK' },
      dashboard: { users: [OPS] },
    });
    const signIn = await server().post('/auth/dashboard/api/signin').send(OPS);
    bearer = `Bearer ${(signIn.body as { sessionId: string }).sessionId}`;
  });
  afterAll(() => app.close());

  it('a non-string email or phone number for a passwordless code', async () => {
    const answer = await server()
      .post('/auth/signinup/code')
      .send({ email: ['a@example.com'] });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ message: "Field 'email' must be a string" });
    const phone = await server().post('/auth/signinup/code').send({ phoneNumber: 14155550100 });
    expect(phone.body).toMatchObject({ message: "Field 'phoneNumber' must be a string" });
  });

  it('a numeric deviceId on resend and consume', async () => {
    const code = await server().post('/auth/signinup/code').send({ email: uniqueEmail() });
    const { preAuthSessionId } = code.body as { preAuthSessionId: string };
    const resend = await server()
      .post('/auth/signinup/code/resend')
      .send({ preAuthSessionId, deviceId: 12345 });
    expect(resend.status).toBe(400);
    expect(resend.body).toMatchObject({ message: "Field 'deviceId' must be a string" });
    const consume = await server()
      .post('/auth/signinup/code/consume')
      .send({ preAuthSessionId, deviceId: 12345, userInputCode: '123456' });
    expect(consume.status).toBe(400);
  });

  it('an unknown tenant in the path', async () => {
    const answer = await server()
      .post('/auth/no-such-tenant/signin')
      .send(formFields(uniqueEmail(), PASSWORD));
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('no-such-tenant');
  });

  it('a bad pagination token in the dashboard user list', async () => {
    const answer = await server()
      .get('/auth/dashboard/api/users?limit=10&paginationToken=garbage!')
      .set('authorization', bearer);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      message: 'Rejected by the authentication core: invalid pagination token',
    });
  });

  it('a missing or blank dashboard session id is a 401', async () => {
    expect((await server().get('/auth/dashboard/api/users/count')).status).toBe(401);
    const blank = await server()
      .get('/auth/dashboard/api/users/count')
      .set('authorization', 'Bearer  ');
    expect(blank.status).toBe(401);
  });

  it('a dashboard handler tripping over a mistyped field answers 400 after the session check', async () => {
    const unauthenticated = await server()
      .post('/auth/dashboard/api/user/passwordless')
      .send({ tenantId: 'public', email: 5 });
    expect(unauthenticated.status).toBe(401);
    const answer = await server()
      .post('/auth/dashboard/api/user/passwordless')
      .set('authorization', bearer)
      .send({ tenantId: 'public', email: 5 });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      message: 'Malformed request: an input has the wrong type or shape',
    });
  });

  it('a dashboard write or unlink naming an unknown user', async () => {
    const unknown = '0f1e2d3c-0000-4000-8000-000000000000';
    const dashboard = (method: 'put' | 'get', path: string) =>
      server()[method](`/auth/dashboard/api${path}`).set('authorization', bearer);
    const names = await dashboard('put', '/user').send({
      recipeUserId: unknown,
      recipeId: 'emailpassword',
      firstName: 'Ada',
      lastName: '',
      email: '',
      phone: '',
    });
    expect(names.status).toBe(400);
    expect(names.body).toMatchObject({ message: "Unknown 'recipeUserId'" });
    const password = await dashboard('put', '/user/password').send({
      recipeUserId: unknown,
      newPassword: 'new-secret-1',
    });
    expect(password.body).toMatchObject({ message: "Unknown 'recipeUserId'" });
    const unlink = await dashboard('get', `/user/unlink?recipeUserId=${unknown}`);
    expect(unlink.status).toBe(400);
    expect(unlink.body).toMatchObject({
      message: 'Rejected by the authentication core: Unknown user ID provided',
    });
    const signUp = await server().post('/auth/signup').send(formFields(uniqueEmail(), PASSWORD));
    const known = (signUp.body as { user: { id: string } }).user.id;
    expect((await dashboard('get', `/user/unlink?recipeUserId=${known}`)).body).toEqual({
      status: 'OK',
    });
  });

  it('a body that is not JSON, or too large', async () => {
    const notJson = await server()
      .post('/auth/signin')
      .set('content-type', 'application/json')
      .send('{"formFields":');
    expect(notJson.status).toBe(400);
    const huge = await server()
      .post('/auth/signin')
      .send({ formFields: [{ id: 'email', value: 'x'.repeat(2 * 1024 * 1024) }] });
    expect(huge.status).toBe(413);
  });

  it('JSON nested deep enough to overflow a recursive walk, here or in the core', async () => {
    // Within the body limit (100 kB), deeper than a recursive walk of it survives.
    const nested = `${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}`;
    for (const [path, field] of [
      ['/auth/signin', 'formFields'],
      ['/auth/signinup/code', 'email'],
    ]) {
      const deep = await server()
        .post(path)
        .set('content-type', 'application/json')
        .send(`{"${field}":${nested}}`);
      expect([path, deep.status]).toEqual([path, 400]);
    }
    // The dashboard passes metadata on to the core, which refuses what Gson would not parse.
    const signUp = await server().post('/auth/signup').send(formFields(uniqueEmail(), PASSWORD));
    const userId = (signUp.body as { user: { id: string } }).user.id;
    const metadata = await server()
      .put('/auth/dashboard/api/user/metadata')
      .set('authorization', bearer)
      .send({ userId, data: `${'{"a":'.repeat(12_000)}1${'}'.repeat(12_000)}` });
    expect(metadata.status).toBe(400);
  });
});
