import type { CoreContext } from '../core.context.js';
import { newId } from '../crypto.util.js';
import type { JsonObject } from '../http/json-input.js';
import type { UserRecord } from '../store/records.js';
import { StorageUnavailableError } from '../store/storage-unavailable.js';
import type { BulkImportUserRow } from '../store/storage/bulk-import.storage.js';
import { type ImportStorage, importBulkUser } from './bulk-import-steps.js';
import { type BulkImportUser, primaryLoginMethod, rawData } from './bulk-import-user.js';
import {
  type BulkImportAppFacts,
  BulkImportValidator,
  type IdMode,
  InvalidBulkImportUser,
} from './bulk-import-validator.js';

/** The users of a request the real core would refuse: each one's index and texts. */
export class InvalidBulkImportUsers extends Error {
  constructor(readonly users: { index: number; errors: string[] }[]) {
    super('Data has missing or invalid fields. Please check the users field for more details.');
  }
}

/** What an import run did, for logs and tests. */
export interface BulkImportRun {
  imported: number;
  failed: number;
}

/**
 * Bulk import (docs/embedded-core.md, Bulk import): queueing users, the queue's listing, and
 * importing, one user now (`POST /bulk-import/import`) or the queue in batches (the job).
 */
export class BulkImportService {
  constructor(private readonly ctx: CoreContext<ImportStorage>) {}

  /** What validation reads of the app. */
  async appFacts(appId: string): Promise<BulkImportAppFacts> {
    const { store } = this.ctx;
    const settings = await this.ctx.settings(appId, 'public');
    return {
      roles: new Set(await store.listRoles(appId)),
      tenants: new Set(await store.listTenants(appId)),
      hasFirebaseSignerKey: settings.firebasePasswordHashingSignerKey !== undefined,
      now: this.ctx.now(),
    };
  }

  /** Validates every user (one validator: external ids unique in the request) or refuses all. */
  validateAll(facts: BulkImportAppFacts, inputs: JsonObject[]): BulkImportUser[] {
    const validator = new BulkImportValidator(facts);
    const users: BulkImportUser[] = [];
    const invalid: { index: number; errors: string[] }[] = [];
    inputs.forEach((input, index) => {
      try {
        users.push(validator.validate(input, 'GENERATE'));
      } catch (error) {
        if (!(error instanceof InvalidBulkImportUser)) throw error;
        invalid.push({ index, errors: error.errors });
      }
    });
    if (invalid.length > 0) throw new InvalidBulkImportUsers(invalid);
    return users;
  }

  /**
   * Queues the users under their primary login method's id. An id clash (never seen with
   * random UUIDs) gives every login method of every user a new id and tries again, so a row's
   * id stays its primary login method's (the real core renews only the row ids: its job then
   * deleted the wrong row and imported the user again).
   */
  async add(appId: string, users: BulkImportUser[]): Promise<BulkImportUser[]> {
    for (let attempt = 0; ; attempt++) {
      const added = await this.ctx.store.addBulkImportUsers(
        appId,
        users.map((user) => ({ id: user.id, rawData: rawData(user) })),
        this.ctx.now(),
      );
      if (added === 'OK') return users;
      if (attempt >= 3) throw new Error('Bulk import: queued user ids kept clashing');
      users = users.map(renewIds);
    }
  }

  /** Imports one user now, in one transaction; the user as it is afterwards. */
  async importNow(appId: string, user: BulkImportUser): Promise<UserRecord> {
    await importBulkUser(this.ctx, appId, user);
    return (await this.ctx.store.getUser(appId, primaryLoginMethod(user).superTokensUserId))!;
  }

  /**
   * One run of the job over one app: takes the queue in batches of `batchSize`, imports
   * `parallelism` users at once, each in its own transaction; a user refused stays queued as
   * `FAILED` with why. Stops after as many users as were waiting when it started.
   */
  async processQueue(
    appId: string,
    options: {
      parallelism: number;
      batchSize: number;
      staleAfterMs: number;
      /** Checked between users: a stopping core ends the run after the users in progress. */
      stopping?: () => boolean;
    },
  ): Promise<BulkImportRun> {
    const { store, now } = this.ctx;
    const run: BulkImportRun = { imported: 0, failed: 0 };
    const waiting =
      (await store.countBulkImportUsers(appId, 'NEW')) +
      (await store.countBulkImportUsers(appId, 'PROCESSING'));
    let processed = 0;
    const stopping = options.stopping ?? (() => false);
    while (processed < waiting && !stopping()) {
      const rows = await store.takeBulkImportUsers(
        appId,
        options.batchSize,
        now(),
        now() - options.staleAfterMs,
      );
      if (rows.length === 0) break;
      const facts = await this.appFacts(appId);
      let next = 0;
      const worker = async () => {
        // Rows taken and left here stay PROCESSING and are taken again once stale.
        while (next < rows.length && !stopping()) {
          const row = rows[next++];
          const error = await this.importRow(appId, facts, row);
          if (error === undefined) run.imported++;
          else {
            run.failed++;
            await store.failBulkImportUsers(appId, new Map([[row.id, error]]), now());
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.parallelism, rows.length) }, worker));
      processed += rows.length;
    }
    return run;
  }

  /** Imports a queued row; why it failed, or undefined when imported (or gone meanwhile). */
  private async importRow(
    appId: string,
    facts: BulkImportAppFacts,
    row: BulkImportUserRow,
  ): Promise<string | undefined> {
    let user: BulkImportUser;
    try {
      // A validator of its own: an external id is unique among the app's users by then (the
      // mapping step checks it), and a row taken again must not clash with itself.
      const mode: IdMode = 'READ_STORED';
      const input = JSON.parse(row.rawData) as JsonObject;
      user = new BulkImportValidator({ ...facts, now: this.ctx.now() }).validate(input, mode);
    } catch (error) {
      if (error instanceof InvalidBulkImportUser) return `[${error.errors.join(', ')}]`;
      return error instanceof Error ? error.message : String(error);
    }
    try {
      // A row removed or imported by another instance meanwhile is not a failure either.
      await importBulkUser(this.ctx, appId, user, row.id);
      return undefined;
    } catch (error) {
      // Storage down: the run stops, the row stays PROCESSING and is taken again once stale.
      if (error instanceof StorageUnavailableError) throw error;
      return error instanceof Error ? error.message : String(error);
    }
  }
}

function renewIds(user: BulkImportUser): BulkImportUser {
  const loginMethods = user.loginMethods.map((m) => ({ ...m, superTokensUserId: newId() }));
  return { ...user, loginMethods, id: primaryLoginMethod({ loginMethods }).superTokensUserId };
}
