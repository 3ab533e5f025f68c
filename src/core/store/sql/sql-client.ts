/** One row as the driver returns it; columns are read through the helpers in `sql-rows.ts`. */
export type SqlRow = Record<string, unknown>;

export interface SqlResult {
  rows: SqlRow[];
  rowCount: number;
}

/** What the SQL store needs of a PostgreSQL connection: PGlite and `pg` both provide it. */
export interface SqlExecutor {
  query(sql: string, params?: unknown[]): Promise<SqlResult>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Where the data lives, for the start-up log line (never includes a password). */
  readonly description: string;
  /**
   * Housekeeping after the scheduled clean-up has deleted rows: what autovacuum does on a
   * PostgreSQL server (which needs nothing here), done by hand where there is no autovacuum.
   */
  maintain?(): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL's SQLSTATE for a unique-constraint violation. */
export const UNIQUE_VIOLATION = '23505';

export const isUniqueViolation = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
