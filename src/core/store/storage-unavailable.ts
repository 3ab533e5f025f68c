/**
 * The store cannot be reached right now (a PostgreSQL restart or failover, a network split): the
 * request may succeed when retried, so the core answers 503, not 500. Its message names the
 * cause, never the server's address or credentials.
 */
export class StorageUnavailableError extends Error {
  constructor(cause: string) {
    super(`Storage unavailable (${cause})`);
    this.name = 'StorageUnavailableError';
  }
}

/**
 * The embedded core's own files failed under a request (a full disk, a read-only mount, a damaged
 * file, or PGlite stopped after one): still a 503, as the write did not happen, but retrying only
 * helps once someone acts, so the message is what the operator needs: the directory, what failed
 * and the fix.
 */
export class StorageFaultError extends StorageUnavailableError {
  constructor(message: string) {
    super('storage fault');
    this.message = message;
    this.name = 'StorageFaultError';
  }
}

/** Node's socket errors that mean "no connection to the server". */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** PostgreSQL's SQLSTATEs of a server going away or not taking connections yet. */
const SERVER_GONE = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * Whether a database error means the server could not be talked to (retry later), as opposed to
 * a query that failed (a bug or a constraint, answered as such): socket errors, SQLSTATE class 08
 * (connection exception), an administrator or crash shutdown, a server still starting, too many
 * connections, and `pg`'s own "connection terminated" / "timeout … to connect".
 */
export function connectionFailure(error: unknown): string | undefined {
  // Not `instanceof Error`: socket errors may come from another realm (a test runner's VM).
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_GONE.has(code))) return code;
  if (typeof code === 'string' && code.startsWith('08')) return code;
  const lost = /Connection terminated|timeout exceeded when trying to connect|connection error/i;
  if (typeof message === 'string' && lost.test(message)) {
    return 'connection lost';
  }
  return undefined;
}
