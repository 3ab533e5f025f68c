import type { AddressInfo, Server } from 'node:net';
import { type INestApplication, UseGuards } from '@nestjs/common';
import { type OnGatewayConnection, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import SessionRecipe from 'supertokens-node/recipe/session';
import {
  AuthGuard,
  AuthModule,
  connectWithSession,
  Roles,
  Session,
  type WsAuthError,
} from '../../src/auth/index.js';
import { authTestingOptions, createUserAndSession } from '../../src/testing/index.js';
import { startModuleApp } from '../support/test-app.js';

@WebSocketGateway()
class ChatGateway implements OnGatewayConnection {
  async handleConnection(client: object) {
    await connectWithSession(client, { checkDatabase: true });
  }

  @SubscribeMessage('whoami')
  @UseGuards(AuthGuard)
  whoami(@Session('userId') userId: string) {
    return userId;
  }

  @SubscribeMessage('admin')
  @UseGuards(AuthGuard)
  @Roles('admin')
  admin() {
    return 'admin';
  }
}

async function socketApp() {
  const app = await startModuleApp(
    {
      imports: [
        AuthModule.forRoot(
          authTestingOptions({
            roles: true,
            embeddedCore: { storage: 'memory' },
          }),
        ),
      ],
      providers: [ChatGateway],
    },
    { listen: true },
  );
  return app;
}

describe('socket.io gateways', () => {
  let app: INestApplication;
  let url: string;
  const clients: ClientSocket[] = [];
  beforeAll(async () => {
    app = await socketApp();
    url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => app.close());

  /** Connects and answers how it ended: connected, or refused with the auth_error payload. */
  const connect = (options: Parameters<typeof io>[1]) =>
    new Promise<{ client: ClientSocket; refused?: WsAuthError }>((resolve) => {
      const client = io(url, { transports: ['websocket'], reconnection: false, ...options });
      clients.push(client);
      let refused: WsAuthError | undefined;
      client.on('auth_error', (payload: WsAuthError) => (refused = payload));
      client.on('disconnect', () => resolve({ client, refused }));
      client.on('connect', () => setTimeout(() => client.connected && resolve({ client }), 150));
    });
  const exceptionOf = (client: ClientSocket, event: string) =>
    new Promise<unknown>((resolve) => {
      client.once('exception', resolve);
      client.emit(event);
    });

  it('lets a client in with its access token, from auth.token or the Authorization header', async () => {
    const user = await createUserAndSession(app);
    const byAuth = await connect({ auth: { token: user.accessToken } });
    expect(byAuth.refused).toBeUndefined();
    expect(await byAuth.client.emitWithAck('whoami')).toBe(user.userId);
    const byHeader = await connect({
      extraHeaders: { authorization: `Bearer ${user.accessToken}` },
    });
    expect(byHeader.refused).toBeUndefined();
    expect(await byHeader.client.emitWithAck('whoami')).toBe(user.userId);
  });

  it('refuses a client without a token, with an invalid one, or with a revoked session', async () => {
    expect((await connect({})).refused).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'unauthorised',
    });
    const user = await createUserAndSession(app);
    const [head, payload] = user.accessToken.split('.');
    const forged = await connect({ auth: { token: `${head}.${payload}.${'A'.repeat(342)}` } });
    expect(forged.refused).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'try refresh token',
      tryRefresh: true,
    });
    await SessionRecipe.revokeSession(user.sessionHandle);
    const revoked = await connect({ auth: { token: user.accessToken } });
    expect(revoked.refused).toEqual({ code: 'UNAUTHENTICATED', message: 'unauthorised' });
  });

  it('checks claims per message, and refuses a message once the token expired', async () => {
    const user = await createUserAndSession(app);
    const { client } = await connect({ auth: { token: user.accessToken } });
    expect(await exceptionOf(client, 'admin')).toMatchObject({
      code: 'FORBIDDEN',
      message: 'invalid claim',
      claimValidationErrors: [expect.objectContaining({ id: 'st-role' })],
    });
    // Two hours later (the token lives one): the clock moves instead of the test waiting, so a
    // slow machine can neither outlive the token early nor make the test wait. It moves once the
    // client has sent the message (socket.io's client reads the clock when it sends).
    const realNow = Date.now;
    const later = realNow() + 2 * 3_600_000;
    const refused = new Promise<unknown>((resolve) => client.once('exception', resolve));
    client.emit('whoami');
    Date.now = () => later;
    try {
      expect(await refused).toEqual({
        code: 'UNAUTHENTICATED',
        message: 'try refresh token',
        tryRefresh: true,
      });
    } finally {
      Date.now = realNow;
    }
  });
});
