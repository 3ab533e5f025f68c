/** Where a queued user is: waiting, taken by an import run, or refused (with its reason). */
export type BulkImportStatus = 'NEW' | 'PROCESSING' | 'FAILED';

/** One user waiting to be imported (official table `bulk_import_users`). */
export interface BulkImportUserRow {
  id: string;
  /** The user as queued: its JSON (the official `raw_data`), read back exactly as written. */
  rawData: string;
  status: BulkImportStatus;
  primaryUserId?: string;
  errorMessage?: string;
  createdAt: number;
  updatedAt: number;
}

/** A page of queued users: newest first (`created_at DESC, id DESC`). */
export interface BulkImportListQuery {
  status?: BulkImportStatus;
  limit: number;
  /** Start at this row (inclusive): the decoded pagination token. */
  from?: { id: string; createdAt: number };
}

/**
 * The users queued by `POST /bulk-import/users` for the import job (official table
 * `bulk_import_users`): the plugin interface's `BulkImportStorage`. Imported rows are deleted,
 * so there is no status for them.
 */
export interface BulkImportStorage {
  /**
   * Queues the users as `NEW`, all or none (one transaction): `DUPLICATE_ID` when an id is
   * queued already, and nothing was added.
   */
  addBulkImportUsers(
    appId: string,
    users: { id: string; rawData: string }[],
    now: number,
  ): Promise<'OK' | 'DUPLICATE_ID'>;
  listBulkImportUsers(appId: string, query: BulkImportListQuery): Promise<BulkImportUserRow[]>;
  countBulkImportUsers(appId: string, status?: BulkImportStatus): Promise<number>;
  /** Deletes these rows whatever their status; returns the ids that existed. */
  deleteBulkImportUsers(appId: string, ids: string[]): Promise<string[]>;
  /**
   * Takes up to `limit` rows for an import run, atomically (two instances never take the same
   * row at once: `FOR UPDATE SKIP LOCKED`): `NEW` ones, and `PROCESSING` ones last taken before
   * `staleBefore` (a run that died). Marks them `PROCESSING` at `now`.
   */
  takeBulkImportUsers(
    appId: string,
    limit: number,
    now: number,
    staleBefore: number,
  ): Promise<BulkImportUserRow[]>;
  /** Marks rows `FAILED` with their error message (id → message); unknown ids are skipped. */
  failBulkImportUsers(appId: string, errors: Map<string, string>, now: number): Promise<void>;
  /**
   * Runs `work` on a view of this store whose every write is part of one transaction: committed
   * when `work` resolves, undone when it throws (on the memory store: the app's tables are put
   * back as they were). `work` must use only the store it is given.
   */
  importTransaction<T>(appId: string, work: (store: this) => Promise<T>): Promise<T>;
}
