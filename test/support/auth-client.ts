import type { INestApplication } from '@nestjs/common';
import request, { type Response, type Test } from 'supertest';
import type { App } from 'supertest/types.js';

let counter = 0;
/** A fresh email per call, so tests never collide. */
export const uniqueEmail = (): string => `user${Date.now()}-${++counter}@example.com`;
export const PASSWORD = 'correct-horse-9';

export const formFields = (email: string, password: string) => ({
  formFields: [
    { id: 'email', value: email },
    { id: 'password', value: password },
  ],
});

/**
 * A frontend that keeps its session in headers (`st-auth-mode: header`), the way the SDK's mobile
 * and header-mode clients do: it stores the tokens each response hands out and sends them back.
 */
export class HeaderClient {
  access?: string;
  refreshToken?: string;
  antiCsrf?: string;

  constructor(
    private readonly app: INestApplication<App>,
    private readonly basePath = '/auth',
  ) {}

  private capture(response: Response): Response {
    const headers = response.headers as Record<string, string | undefined>;
    if (headers['st-access-token'] !== undefined)
      this.access = headers['st-access-token'] || undefined;
    if (headers['st-refresh-token'] !== undefined) {
      this.refreshToken = headers['st-refresh-token'] || undefined;
    }
    if (headers['anti-csrf'] !== undefined) this.antiCsrf = headers['anti-csrf'];
    return response;
  }

  async signUp(email = uniqueEmail(), password = PASSWORD): Promise<Response> {
    return this.capture(
      await request(this.app.getHttpServer())
        .post(`${this.basePath}/signup`)
        .set('st-auth-mode', 'header')
        .send(formFields(email, password)),
    );
  }

  async signIn(email: string, password = PASSWORD): Promise<Response> {
    return this.capture(
      await request(this.app.getHttpServer())
        .post(`${this.basePath}/signin`)
        .set('st-auth-mode', 'header')
        .send(formFields(email, password)),
    );
  }

  /** A request carrying the current access token. */
  authed(method: 'get' | 'post', path: string): Test {
    const test = request(this.app.getHttpServer())[method](path);
    return this.access ? test.set('authorization', `Bearer ${this.access}`) : test;
  }

  /** A request with the current access token (and a JSON body), keeping any token it hands out. */
  async send(method: 'get' | 'post', path: string, body?: object): Promise<Response> {
    const test = this.authed(method, path);
    return this.capture(await (body ? test.send(body) : test));
  }

  async refresh(token = this.refreshToken): Promise<Response> {
    return this.capture(
      await request(this.app.getHttpServer())
        .post(`${this.basePath}/session/refresh`)
        .set('authorization', `Bearer ${token ?? ''}`),
    );
  }

  async signOut(): Promise<Response> {
    return this.capture(await this.authed('post', `${this.basePath}/signout`));
  }
}

/** The cookies named in a response's Set-Cookie headers, with their attributes. */
export function setCookies(response: Response): Map<string, string> {
  const raw = response.headers['set-cookie'] as unknown as string[] | undefined;
  return new Map((raw ?? []).map((cookie) => [cookie.split('=')[0] ?? '', cookie]));
}
