/** A dashboard login as the core reports it (no password). */
export interface DashboardUser {
  userId: string;
  email: string;
  timeJoined: number;
}

/** Which dashboard user: by id or by email. */
export type DashboardUserRef = { userId: string } | { email: string };

export type DashboardUserErrorCode =
  | 'INVALID_EMAIL'
  | 'WEAK_PASSWORD'
  | 'EMAIL_ALREADY_EXISTS'
  | 'UNKNOWN_USER'
  | 'CORE_UNREACHABLE'
  | 'CORE_REFUSED';

/** A refused dashboard-user change; the message never contains the password or the API key. */
export class DashboardUserError extends Error {
  override readonly name = 'DashboardUserError';
  constructor(
    readonly code: DashboardUserErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface DashboardUsersConnection {
  /** The core(s), `;`-separated, optionally ending in `/appid-<id>` (as `connectionURI`). */
  connectionURI: string;
  apiKey?: string;
  /** @default 10000 */
  timeoutMs?: number;
}

export type CoreAnswer = Record<string, unknown> & { status?: string; message?: string };

/**
 * Dashboard logins live in the SuperTokens core, not in your database, and the SDK has no API for
 * them: this talks to the core's `/recipe/dashboard/user*` endpoints directly (embedded or real,
 * with the API key). Used by `npm run dashboard`, by start-up provisioning, and injectable as
 * `DashboardUsers` when the module's `dashboard` option is on.
 */
export class DashboardUsers {
  private readonly core: CoreConnection;

  constructor(connection: DashboardUsersConnection) {
    this.core = new CoreConnection(connection);
  }

  private call(method: string, path: string, body?: object): Promise<CoreAnswer> {
    return this.core.call(method, path, body, 'dashboard');
  }

  async create(email: string, password: string): Promise<DashboardUser> {
    const answer = await this.call('POST', '/recipe/dashboard/user', { email, password });
    return this.user(answer, email);
  }

  /** Changes the email and/or password; with neither it only checks the user exists. */
  async update(
    who: DashboardUserRef,
    change: { newEmail?: string; newPassword?: string },
  ): Promise<DashboardUser> {
    const answer = await this.call('PUT', '/recipe/dashboard/user', { ...who, ...change });
    return this.user(answer, 'email' in who ? who.email : who.userId, change.newEmail);
  }

  /** Deletes the user and ends its dashboard sessions; false when there was no such user. */
  async delete(who: DashboardUserRef): Promise<boolean> {
    const query = new URLSearchParams(who).toString();
    const answer = await this.call('DELETE', `/recipe/dashboard/user?${query}`);
    return answer.didUserExist === true;
  }

  async list(): Promise<DashboardUser[]> {
    const answer = await this.call('GET', '/recipe/dashboard/users');
    return (answer.users as DashboardUser[] | undefined) ?? [];
  }

  /**
   * Makes sure this login exists with this password: creates it, or sets the password of the
   * existing one. Safe to run at every start-up.
   */
  async ensure(email: string, password: string): Promise<'created' | 'updated'> {
    try {
      await this.create(email, password);
      return 'created';
    } catch (error) {
      if (!(error instanceof DashboardUserError) || error.code !== 'EMAIL_ALREADY_EXISTS') {
        throw error;
      }
    }
    await this.update({ email }, { newPassword: password });
    return 'updated';
  }

  private user(answer: CoreAnswer, who: string, newEmail?: string): DashboardUser {
    switch (answer.status) {
      case 'OK':
        return answer.user as DashboardUser;
      case 'INVALID_EMAIL_ERROR':
        throw new DashboardUserError(
          'INVALID_EMAIL',
          `'${newEmail ?? who}' is not a valid email address.`,
        );
      case 'PASSWORD_WEAK_ERROR':
        throw new DashboardUserError(
          'WEAK_PASSWORD',
          `The password is too weak: ${answer.message ?? 'choose a stronger one'}.`,
        );
      case 'EMAIL_ALREADY_EXISTS_ERROR':
        throw new DashboardUserError(
          'EMAIL_ALREADY_EXISTS',
          `A dashboard user with the email '${newEmail ?? who}' already exists.`,
        );
      case 'UNKNOWN_USER_ERROR':
        throw new DashboardUserError('UNKNOWN_USER', `No dashboard user '${who}'.`);
      default:
        throw new DashboardUserError(
          'CORE_REFUSED',
          `The SuperTokens core answered ${String(answer.status)}.`,
        );
    }
  }
}

/**
 * Direct calls to the core's CDI (embedded or real, with the API key), for what the SDK has no
 * API for outside a running app: dashboard logins, and tenants from the command line. Tries each
 * of the `;`-separated cores in turn, as the SDK does.
 */
export class CoreConnection {
  private readonly cores: string[];

  constructor(private readonly connection: DashboardUsersConnection) {
    this.cores = connection.connectionURI
      .split(';')
      .map((uri) => uri.trim().replace(/\/+$/, ''))
      .filter((uri) => uri !== '');
  }

  async call(method: string, path: string, body?: object, rid?: string): Promise<CoreAnswer> {
    const failures: string[] = [];
    for (const core of this.cores) {
      let response: Response;
      try {
        response = await fetch(`${core}${path}`, {
          method,
          headers: {
            'cdi-version': '5.4',
            ...(rid && { rid }),
            ...(this.connection.apiKey && { 'api-key': this.connection.apiKey }),
            ...(body && { 'content-type': 'application/json; charset=utf-8' }),
          },
          body: body && JSON.stringify(body),
          signal: AbortSignal.timeout(this.connection.timeoutMs ?? 10_000),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        failures.push(`${core}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
        continue;
      }
      const text = await response.text();
      if (response.status === 401) {
        throw new DashboardUserError(
          'CORE_REFUSED',
          `The SuperTokens core at ${core} refused the API key (401). Set SUPERTOKENS_API_KEY / --api-key to one of its api_keys.`,
        );
      }
      if (!response.ok) {
        throw new DashboardUserError(
          'CORE_REFUSED',
          `The SuperTokens core at ${core} answered ${response.status}: ${text.slice(0, 200)}`,
        );
      }
      try {
        return JSON.parse(text) as CoreAnswer;
      } catch {
        throw new DashboardUserError(
          'CORE_REFUSED',
          `${core} did not answer like a SuperTokens core.`,
        );
      }
    }
    throw new DashboardUserError(
      'CORE_UNREACHABLE',
      `Cannot reach the SuperTokens core (${failures.join('; ') || 'no connectionURI'}).`,
    );
  }
}
