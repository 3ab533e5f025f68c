import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Who the provider signs in, and how it behaves, changeable between requests. */
export interface ProviderUser {
  sub: string;
  email: string;
  email_verified: boolean;
}

/**
 * A local OAuth 2 authorization-code provider on 127.0.0.1 (no internet): `/authorize` consents at
 * once (or denies) and redirects with a one-time code, `/token` exchanges it for an access token
 * (checking client id, secret and redirect URI), `/userinfo` answers for the token.
 */
export class LocalOAuthProvider {
  user: ProviderUser = { sub: 'user-1', email: 'someone@example.com', email_verified: true };
  /** The next /authorize answers `error=access_denied`. */
  denyNext = false;
  readonly clientId = 'local-client';
  readonly clientSecret = 'local-secret';
  private readonly codes = new Map<string, { redirectUri: string; user: ProviderUser }>();
  private readonly tokens = new Map<string, ProviderUser>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The custom provider config for supertokens-node. */
  providerConfig(thirdPartyId = 'local', base = this.url) {
    return {
      config: {
        thirdPartyId,
        name: 'Local',
        clients: [{ clientId: this.clientId, clientSecret: this.clientSecret, scope: ['profile'] }],
        authorizationEndpoint: `${base}/authorize`,
        tokenEndpoint: `${base}/token`,
        userInfoEndpoint: `${base}/userinfo`,
        userInfoMap: {
          fromUserInfoAPI: { userId: 'sub', email: 'email', emailVerified: 'email_verified' },
          // No ID token here. The SDK's defaults (merged in with Object.assign) would read
          // email_verified from one and, finding none, call every email unverified.
          fromIdTokenPayload: { userId: undefined, email: undefined, emailVerified: undefined },
        },
      },
    };
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown) => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (url.pathname === '/authorize') {
      const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
      const state = url.searchParams.get('state');
      if (state) redirect.searchParams.set('state', state);
      if (this.denyNext) {
        this.denyNext = false;
        redirect.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(16).toString('hex');
        this.codes.set(code, {
          redirectUri: url.searchParams.get('redirect_uri')!,
          user: { ...this.user },
        });
        redirect.searchParams.set('code', code);
      }
      return { status: 302, headers: { location: redirect.toString() }, body: '' };
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const grant = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (
        form.get('client_id') !== this.clientId ||
        form.get('client_secret') !== this.clientSecret
      ) {
        return json(401, { error: 'invalid_client' });
      }
      if (!grant || grant.redirectUri !== form.get('redirect_uri')) {
        return json(400, { error: 'invalid_grant' });
      }
      const token = randomBytes(16).toString('hex');
      this.tokens.set(token, grant.user);
      return json(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
    }
    if (url.pathname === '/userinfo') {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const user = this.tokens.get(token);
      return user ? json(200, user) : json(401, { error: 'invalid_token' });
    }
    return json(404, { error: 'not_found' });
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
