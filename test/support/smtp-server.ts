import { SMTPServer } from 'smtp-server';

/** A message the test SMTP server received. */
export interface ReceivedMail {
  to: string[];
  raw: string;
}

/** A plain SMTP server on 127.0.0.1 (a free port) that keeps what it receives, for one suite. */
export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  /** The module's `emailDelivery.smtp` settings pointing at this server. */
  settings: {
    host: string;
    port: number;
    secure: false;
    from: { name: string; email: string };
    password: string;
  };
  /** Resolves once `count` messages arrived (polls for up to 5 s; the caller asserts). */
  waitFor(count?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
    onData: (stream, session, callback) => {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as { port: number };
  return {
    port,
    received,
    settings: {
      host: '127.0.0.1',
      port,
      secure: false,
      from: { name: 'Acme', email: 'auth@acme.test' },
      password: 'pw',
    },
    async waitFor(count = 1) {
      for (let i = 0; i < 50 && received.length < count; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>((resolve) => smtp.close(resolve)),
  };
}
