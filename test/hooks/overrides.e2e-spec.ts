import { type INestApplication, Injectable } from '@nestjs/common';
import request from 'supertest';
import type { APIInterface, RecipeInterface } from 'supertokens-node/recipe/emailpassword/types';
import type { App } from 'supertest/types.js';
import { type AuthOverrides, AuthModule } from '../../src/auth/index.js';
import { authTestingOptions } from '../../src/testing/index.js';
import { formFields, HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { startModuleApp } from '../support/test-app.js';

/** An app service the overrides inject. */
@Injectable()
class SignUpPolicy {
  readonly blockedDomains = ['blocked.example'];
  readonly signUps: string[] = [];
}

@Injectable()
class AppOverrides implements AuthOverrides {
  constructor(private readonly policy: SignUpPolicy) {}

  emailPasswordApis(original: APIInterface): APIInterface {
    return {
      ...original,
      signUpPOST: async (input) => {
        const value = input.formFields.find((f) => f.id === 'email')?.value;
        const email = typeof value === 'string' ? value : '';
        if (this.policy.blockedDomains.some((domain) => email.endsWith(`@${domain}`))) {
          return { status: 'GENERAL_ERROR', message: 'Sign-ups from this domain are closed' };
        }
        return original.signUpPOST!(input);
      },
    };
  }

  emailPasswordFunctions(original: RecipeInterface): RecipeInterface {
    return {
      ...original,
      signUp: async (input) => {
        const result = await original.signUp(input);
        if (result.status === 'OK') this.policy.signUps.push(input.email);
        return result;
      },
    };
  }
}

describe('SDK overrides as an injectable class', () => {
  let app: INestApplication<App>;
  beforeAll(async () => {
    app = await startModuleApp({
      imports: [AuthModule.forRoot(authTestingOptions({ overrides: AppOverrides }))],
      providers: [SignUpPolicy, AppOverrides],
    });
  });
  afterAll(() => app.close());

  it("runs the app's API and function overrides with its providers injected", async () => {
    const blocked = await request(app.getHttpServer())
      .post('/auth/signup')
      .send(formFields('ann@blocked.example', PASSWORD));
    expect(blocked.body).toEqual({
      status: 'GENERAL_ERROR',
      message: 'Sign-ups from this domain are closed',
    });
    const email = uniqueEmail();
    expect((await new HeaderClient(app).signUp(email)).body).toMatchObject({ status: 'OK' });
    expect(app.get(SignUpPolicy).signUps).toEqual([email]);
    // The module's own wiring still runs beneath: a sign-in works as before.
    expect((await new HeaderClient(app).signIn(email)).body).toMatchObject({ status: 'OK' });
  });
});
