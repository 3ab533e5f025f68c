import type { CoreContext } from '../core.context.js';
import type { ImportStorage } from './bulk-import-steps.js';
import { BulkImportService } from './bulk-import.service.js';

/**
 * A queued user taken by a run that has not finished it after this long is taken again (the
 * run died with its process). The real core takes PROCESSING rows again at once, so two
 * instances would import the same user side by side.
 */
const STALE_AFTER_MS = 10 * 60 * 1000;

/**
 * The real core's `ProcessBulkImportUsers` cron: every `intervalMs`, each app's queue in turn.
 * A run never overlaps the previous one. Returns the function that stops it, resolving once the
 * users in progress are imported (the store is closed after it; a shutdown does not wait for a
 * whole batch).
 */
export function scheduleBulkImport(
  ctx: CoreContext<ImportStorage & { listApps(): Promise<string[]> }>,
  intervalMs: number,
  onError: (error: unknown) => void,
): () => Promise<void> {
  const bulk = new BulkImportService(ctx);
  let running: Promise<void> | undefined;
  let stopping = false;
  const run = async () => {
    for (const appId of await ctx.store.listApps()) {
      if (stopping) return;
      await bulk.processQueue(appId, {
        stopping: () => stopping,
        parallelism: ctx.config.bulkMigrationParallelism,
        batchSize: ctx.config.bulkMigrationBatchSize,
        staleAfterMs: STALE_AFTER_MS,
      });
    }
  };
  const timer = setInterval(() => {
    running ??= run()
      .catch(onError)
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return async () => {
    stopping = true;
    clearInterval(timer);
    await running;
  };
}
