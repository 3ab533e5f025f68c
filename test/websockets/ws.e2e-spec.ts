import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { type INestApplication, UseGuards } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { type OnGatewayConnection, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { WebSocket } from 'ws';
import {
  AuthGuard,
  AuthModule,
  type AuthModuleOptions,
  connectWithSession,
  Session,
} from '../../src/auth/index.js';
import { authTestingOptions, createUserAndSession } from '../../src/testing/index.js';
import { startModuleApp } from '../support/test-app.js';

/** The `ws` library keeps no request on the client: the gateway hands it over at connection. */
@WebSocketGateway()
class PlainGateway implements OnGatewayConnection {
  async handleConnection(client: object, request: IncomingMessage) {
    await connectWithSession(client, { request });
  }

  @SubscribeMessage('whoami')
  @UseGuards(AuthGuard)
  whoami(@Session('userId') userId: string) {
    return { event: 'whoami', data: userId };
  }
}

describe.each([
  ['ws gateways', {}],
  [
    'ws gateways with a second factor required (mfa)',
    { mfa: { requiredSecondaryFactors: ['totp'], totp: true } },
  ],
] as [string, Partial<AuthModuleOptions>][])('%s', (_name, extra) => {
  const mfa = extra.mfa !== undefined;
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    app = await startModuleApp(
      {
        imports: [AuthModule.forRoot(authTestingOptions({ ...extra }))],
        providers: [PlainGateway],
      },
      { configure: (a) => a.useWebSocketAdapter(new WsAdapter(a)), listen: true },
    );
    url = `ws://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  /** Opens a socket, optionally sends one message, and collects what comes back until it closes or 300 ms pass. */
  const session = (headers: Record<string, string>, send?: object) =>
    new Promise<{ messages: unknown[]; closed?: number }>((resolve) => {
      const socket = new WebSocket(url, { headers });
      const messages: unknown[] = [];
      let closed: number | undefined;
      socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8'))));
      socket.on('open', () => setTimeout(() => send && socket.send(JSON.stringify(send)), 50));
      socket.on('close', (code) => (closed = code));
      setTimeout(() => {
        socket.close();
        resolve({ messages, closed });
      }, 300);
    });

  // A first-factor session is refused at connection while its second factor is not done.
  (mfa ? it.skip : it)(
    'lets a client in with its Authorization header and answers its messages',
    async () => {
      const user = await createUserAndSession(app);
      const result = await session(
        { authorization: `Bearer ${user.accessToken}` },
        { event: 'whoami', data: {} },
      );
      expect(result).toEqual({ messages: [{ event: 'whoami', data: user.userId }] });
    },
  );

  (mfa ? it.skip : it)(
    'accepts the sAccessToken cookie, and refuses a client without a session with 4401',
    async () => {
      const user = await createUserAndSession(app);
      const byCookie = await session(
        { cookie: `sAccessToken=${user.accessToken}` },
        { event: 'whoami', data: {} },
      );
      expect(byCookie.messages).toEqual([{ event: 'whoami', data: user.userId }]);
      const none = await session({});
      expect(none).toEqual({
        messages: [
          { event: 'auth_error', data: { code: 'UNAUTHENTICATED', message: 'unauthorised' } },
        ],
        closed: 4401,
      });
    },
  );

  (mfa ? it : it.skip)(
    'refuses a first-factor session with the st-mfa claim error and 4403',
    async () => {
      const user = await createUserAndSession(app);
      const result = await session({ authorization: `Bearer ${user.accessToken}` });
      expect(result).toEqual({
        messages: [
          {
            event: 'auth_error',
            data: {
              code: 'FORBIDDEN',
              message: 'invalid claim',
              claimValidationErrors: [expect.objectContaining({ id: 'st-mfa' })],
            },
          },
        ],
        closed: 4403,
      });
    },
  );
});
