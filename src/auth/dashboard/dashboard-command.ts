import { parseArgs } from 'node:util';
import {
  CoreConnection,
  DashboardUserError,
  DashboardUsers,
  type DashboardUserRef,
} from './dashboard-users.js';

export const DASHBOARD_USAGE = `Usage: npm run dashboard -- (users | tenants) <command> [options]

Manages the logins of the user management dashboard (/auth/dashboard), kept in the SuperTokens core.
  users list
  users create  --email E (--password P | --password-stdin)
  users update  (--email E | --user-id ID) [--new-email E2] [--new-password P2 | --password-stdin]
  users delete  (--email E | --user-id ID)

Manages tenants (organisations; the app needs multitenancy: true to scope routes to them).
  tenants list
  tenants create  ID [--first-factors emailpassword,otp-phone,...]   (default: every factor)
  tenants delete  ID

The core: --connection-uri URI (or SUPERTOKENS_CONNECTION_URI), --api-key KEY (or SUPERTOKENS_API_KEY);
both are also read from ./.env. Passwords need 8 to 99 characters with a letter and a number.
--password-stdin reads the password from the first line of standard input (keeps it out of your
shell history and the process list).`;

/** What the command reads and writes; tests pass their own. */
export interface DashboardCliIo {
  print(line: string): void;
  env: NodeJS.ProcessEnv;
  readStdin(): Promise<string>;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class DashboardUsageError extends Error {}

const NO_CORE =
  'No SuperTokens core to talk to: set SUPERTOKENS_CONNECTION_URI or pass --connection-uri. ' +
  "An app on the embedded core logs the core's URI at start-up ('embedded, in memory " +
  "(http://127.0.0.1:<port>)'); pass that while the app runs, or let the app create the first " +
  'login at every start from DASHBOARD_EMAIL / DASHBOARD_PASSWORD.';

/**
 * `npm run dashboard -- users ...`. Returns the exit code: 0 done, 1 refused (weak password,
 * unknown user, core unreachable...), 2 bad command line.
 */
export async function runDashboardCli(argv: string[], io: DashboardCliIo): Promise<number> {
  try {
    await run(argv, io);
    return 0;
  } catch (error) {
    if (error instanceof DashboardUsageError) {
      io.print(`Error: ${error.message}\n\n${DASHBOARD_USAGE}`);
      return 2;
    }
    if (error instanceof DashboardUserError) {
      io.print(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function run(argv: string[], io: DashboardCliIo): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        'user-id': { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        'new-email': { type: 'string' },
        'new-password': { type: 'string' },
        'first-factors': { type: 'string' },
        'connection-uri': { type: 'string' },
        'api-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new DashboardUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  // No command at all: the usage, as --help prints it (not an error about an empty command).
  if (values.help || positionals.length === 0) return io.print(DASHBOARD_USAGE);
  const [group, command, ...extra] = positionals;
  if (group === 'tenants' && command !== undefined) {
    return runTenants(command, extra, values, io);
  }
  if (group !== 'users' || command === undefined || extra.length > 0) {
    throw new DashboardUsageError(`unknown command '${positionals.join(' ')}'`);
  }
  if (!['list', 'create', 'update', 'delete'].includes(command)) {
    throw new DashboardUsageError(`unknown command 'users ${command}'`);
  }
  const users = new DashboardUsers(connectionOf(values, io));
  const stdinPassword = async () => (await io.readStdin()).split(/\r?\n/)[0] ?? '';
  const who = (): DashboardUserRef => {
    if (values['user-id'] !== undefined) return { userId: values['user-id'] };
    if (values.email !== undefined) return { email: values.email };
    throw new DashboardUsageError(`'users ${command}' needs --email or --user-id`);
  };

  switch (command) {
    case 'list': {
      const list = await users.list();
      if (list.length === 0) io.print('No dashboard users.');
      for (const user of list) {
        io.print(`${user.email}\t${user.userId}\t${new Date(user.timeJoined).toISOString()}`);
      }
      return;
    }
    case 'create': {
      if (values.email === undefined) throw new DashboardUsageError("'users create' needs --email");
      const password = values['password-stdin'] ? await stdinPassword() : values.password;
      if (password === undefined) {
        throw new DashboardUsageError("'users create' needs --password or --password-stdin");
      }
      const user = await users.create(values.email, password);
      return io.print(`Created dashboard user ${user.email} (${user.userId}).`);
    }
    case 'update': {
      const newPassword = values['password-stdin'] ? await stdinPassword() : values['new-password'];
      const newEmail = values['new-email'];
      if (newPassword === undefined && newEmail === undefined) {
        throw new DashboardUsageError(
          "'users update' needs --new-email, --new-password or --password-stdin",
        );
      }
      const user = await users.update(who(), { newEmail, newPassword });
      return io.print(`Updated dashboard user ${user.email} (${user.userId}).`);
    }
    case 'delete': {
      const target = who();
      const existed = await users.delete(target);
      const name = 'email' in target ? target.email : target.userId;
      if (!existed) throw new DashboardUserError('UNKNOWN_USER', `No dashboard user '${name}'.`);
      return io.print(`Deleted dashboard user ${name} and ended its dashboard sessions.`);
    }
    default:
      throw new DashboardUsageError(`unknown command 'users ${command}'`);
  }
}

type Values = Record<string, string | boolean | undefined>;

/** The core the command talks to: options first, then the environment. */
function connectionOf(values: Values, io: DashboardCliIo) {
  const connectionURI =
    (values['connection-uri'] as string | undefined) ?? io.env.SUPERTOKENS_CONNECTION_URI;
  if (!connectionURI) throw new DashboardUserError('CORE_UNREACHABLE', NO_CORE);
  return {
    connectionURI,
    apiKey: (values['api-key'] as string | undefined) ?? (io.env.SUPERTOKENS_API_KEY || undefined),
  };
}

/** `tenants list | create ID | delete ID`, through the core's multitenancy API. */
async function runTenants(
  command: string,
  args: string[],
  values: Values,
  io: DashboardCliIo,
): Promise<void> {
  const needsId = command === 'create' || command === 'delete';
  if (!['list', 'create', 'delete'].includes(command) || args.length !== (needsId ? 1 : 0)) {
    throw new DashboardUsageError(
      needsId ? `'tenants ${command}' needs one tenant id` : `unknown command 'tenants ${command}'`,
    );
  }
  const core = new CoreConnection(connectionOf(values, io));
  const tenantId = args[0];
  switch (command) {
    case 'list': {
      const answer = await core.call('GET', '/recipe/multitenancy/tenant/list/v2');
      const tenants = (answer.tenants ?? []) as { tenantId: string; firstFactors?: string[] }[];
      for (const tenant of tenants) {
        io.print(`${tenant.tenantId}\t${tenant.firstFactors?.join(',') ?? '(every factor)'}`);
      }
      return;
    }
    case 'create': {
      const factors = values['first-factors'] as string | undefined;
      const firstFactors = factors === undefined ? null : factors.split(',').map((f) => f.trim());
      const answer = await core.call(
        'PUT',
        '/recipe/multitenancy/tenant/v2',
        { tenantId, firstFactors },
        'multitenancy',
      );
      return io.print(
        `${answer.createdNew ? 'Created' : 'Updated'} tenant ${tenantId.trim().toLowerCase()}: ` +
          `sign-up and sign-in at <apiBasePath>/${tenantId.trim().toLowerCase()}/...`,
      );
    }
    default: {
      const answer = await core.call(
        'POST',
        '/recipe/multitenancy/tenant/remove',
        { tenantId },
        'multitenancy',
      );
      if (!answer.didExist)
        throw new DashboardUserError('CORE_REFUSED', `No tenant '${tenantId}'.`);
      return io.print(`Deleted tenant ${tenantId} with its sessions; its users stay in the app.`);
    }
  }
}
