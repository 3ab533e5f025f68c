import { Controller, Get, UseGuards } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import request from 'supertest';
import {
  AuthGuard,
  AuthModule,
  type AuthModuleOptions,
  Public,
  VerifySession,
  withSuperTokens,
} from '../../src/auth/index.js';
import { authTestingOptions } from '../../src/testing/index.js';
import { startModuleApp } from '../support/test-app.js';

@Controller()
class DocumentedController {
  @Get('public')
  public() {}

  @Get('me')
  @UseGuards(AuthGuard)
  me() {}

  @Get('items/:id')
  @UseGuards(AuthGuard)
  @VerifySession({ sessionRequired: false })
  item() {}
}

@Controller('open')
@Public()
class OpenController {
  @Get()
  open() {}
}

async function documentedApp(options: Partial<AuthModuleOptions> & { globalGuard?: boolean }) {
  const app = await startModuleApp({
    imports: [AuthModule.forRoot(authTestingOptions(options))],
    controllers: [DocumentedController, OpenController],
  });
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('t').build());
  withSuperTokens(app, document);
  return {
    app,
    document: document as unknown as {
      paths: Record<string, Record<string, Record<string, unknown>> | undefined>;
      components?: { securitySchemes?: Record<string, unknown> };
    },
  };
}

const SECURED = [{ 'supertokens-header': [] }, { 'supertokens-cookie': [] }];

describe('withSuperTokens (OpenAPI)', () => {
  it('marks guarded routes as secured and leaves open ones alone', async () => {
    const { app, document } = await documentedApp({});
    try {
      expect(document.components?.securitySchemes).toMatchObject({
        'supertokens-header': { type: 'http', scheme: 'bearer' },
        'supertokens-cookie': { type: 'apiKey', in: 'cookie', name: 'sAccessToken' },
      });
      expect(document.paths['/me']?.get?.security).toEqual(SECURED);
      expect(document.paths['/me']?.get?.responses as object).toHaveProperty('401');
      expect(document.paths['/items/{id}']?.get?.security).toEqual([...SECURED, {}]);
      expect(document.paths['/public']?.get?.security).toBeUndefined();
      expect(document.paths['/open']?.get?.security).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('documents the auth APIs of the enabled recipes only', async () => {
    const { app, document } = await documentedApp({
      passwordless: { contactMethod: 'PHONE', flowType: 'USER_INPUT_CODE' },
    });
    try {
      const auth = Object.keys(document.paths).filter((path) => path.startsWith('/auth/'));
      expect(auth).toEqual(
        expect.arrayContaining([
          '/auth/signup',
          '/auth/signin',
          '/auth/session/refresh',
          '/auth/signout',
          '/auth/signinup/code',
          '/auth/signinup/code/consume',
        ]),
      );
      expect(auth).not.toContain('/auth/user/email/verify');
      expect(document.paths['/auth/signout']?.post?.security).toEqual(SECURED);
      expect(document.paths['/auth/signup']?.post).toMatchObject({
        tags: ['auth'],
        requestBody: { content: { 'application/json': { schema: { required: ['formFields'] } } } },
      });
      // The documented paths are the ones the module serves.
      const signUp = await request(app.getHttpServer())
        .post('/auth/signup')
        .send({
          formFields: [
            { id: 'email', value: 'doc@example.com' },
            { id: 'password', value: 'doc-pass-123' },
          ],
        });
      expect(signUp.body).toMatchObject({ status: 'OK' });
    } finally {
      await app.close();
    }
  });

  it('marks every route under the global guard, except @Public() ones', async () => {
    const { app, document } = await documentedApp({ globalGuard: true });
    try {
      expect(document.paths['/public']?.get?.security).toEqual(SECURED);
      expect(document.paths['/open']?.get?.security).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
