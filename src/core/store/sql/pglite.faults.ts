import { statfsSync } from 'node:fs';
import { StorageFaultError } from '../storage-unavailable.js';

/**
 * Less free space than this and PostgreSQL cannot start (it writes a WAL segment, 16 MB) nor
 * switch to a new WAL file. PGlite only says "failed to initialize properly" or "Aborted()", so a
 * failed start is diagnosed by looking at the disk.
 */
const ROOM_NEEDED = 32 * 1024 * 1024;

type Fault = 'full' | 'readOnly' | 'denied' | 'damaged';

const WHAT: Record<Fault, string> = {
  full: 'no space left on the disk',
  readOnly: 'the directory is on a read-only file system',
  denied: 'no permission to write in the directory',
  damaged: 'the database files are damaged (a file is truncated, missing or unreadable)',
};

const FIX: Record<Fault, string> = {
  full: 'free space on that disk (a new database needs about 45 MB)',
  readOnly: 'mount it read-write, or point storage.dir at a writable directory',
  denied: "give the app's user write access to it, or point storage.dir at a writable directory",
  damaged:
    'restore the directory from a backup, or move it away to start with an empty database ' +
    '(its users, sessions and keys are then gone)',
};

const ERRNO: Record<string, Fault> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'readOnly',
  EACCES: 'denied',
  EPERM: 'denied',
};

const message = (dir: string, fault: Fault, detail: string, fix = FIX[fault]) =>
  `Embedded core storage ${dir}: ${WHAT[fault]} (${detail}). Fix: ${fix}.`;

const fields = (error: unknown) => {
  const { code, message, severity } = (error ?? {}) as Record<string, unknown>;
  return {
    code: typeof code === 'string' ? code : undefined,
    text: typeof message === 'string' ? message : String(error),
    severity,
  };
};

/** Whether the disk under `dir` has less room than PostgreSQL needs to start or write WAL. */
function diskFull(dir: string): boolean {
  try {
    const { bavail, bsize } = statfsSync(dir);
    return bavail * bsize < ROOM_NEEDED;
  } catch {
    return false;
  }
}

/**
 * A file-system error from preparing the directory (creating it, the lock file, the cluster) as
 * one start-up error naming the directory and the fix; other errors are returned as they are.
 */
export function directoryFault(dir: string, error: unknown): unknown {
  const { code, text } = fields(error);
  const fault = code === undefined ? undefined : ERRNO[code];
  return fault ? new Error(message(dir, fault, `${code}: ${text}`)) : error;
}

/**
 * PGlite failed to start on an existing cluster. The lock file was just written, so the directory
 * is writable: a full disk, or else damaged files (truncated pg_control or WAL: PGlite aborts).
 */
export function startFault(dir: string, error: unknown): Error {
  const { text } = fields(error);
  const fault: Fault = diskFull(dir) ? 'full' : 'damaged';
  return new Error(message(dir, fault, `PGlite could not start: ${text}`));
}

/** What a failed statement says about the files, if anything (SQLSTATE, errno text). */
function statementFault(error: unknown): Fault | undefined {
  const { code, text } = fields(error);
  if (code === '53100' || /No space left on device/i.test(text)) return 'full';
  if (/Read-only file system/i.test(text)) return 'readOnly';
  if (/^could not .*Permission denied/i.test(text)) return 'denied';
  // data_corrupted, index_corrupted, a relation file gone, an I/O error.
  if (code === 'XX001' || code === 'XX002' || code === '58P01' || code === '58030') {
    return 'damaged';
  }
  return undefined;
}

/** PostgreSQL gave up on itself: PGlite's WASM instance has aborted and must not be used again. */
export const stoppedPglite = (error: unknown): boolean => {
  const { severity } = fields(error);
  // Not `instanceof`: WebAssembly's errors may come from another realm (a test runner's VM).
  return (
    severity === 'PANIC' || severity === 'FATAL' || (error as Error | null)?.name === 'RuntimeError'
  );
};

/**
 * A statement that failed on the files (a write on a full or read-only disk, a damaged file) as a
 * `StorageFaultError` (answered 503: nothing was written); any other error as it is.
 */
export function runtimeFault(dir: string, error: unknown): unknown {
  if (error instanceof StorageFaultError) return error;
  const fault = statementFault(error);
  if (!fault) return error;
  const { code, text } = fields(error);
  const fix =
    fault === 'full' ? `${FIX.full}: writes succeed again as soon as there is room` : FIX[fault];
  return new StorageFaultError(message(dir, fault, code ? `${code}: ${text}` : text, fix));
}

/**
 * PGlite stopped (a PANIC: PostgreSQL could not write its WAL). The core starts a new PGlite on
 * the directory at a later request, as PostgreSQL's postmaster restarts its backends, which
 * recovers from the WAL; until that works, this is the answer.
 */
export function stoppedFault(dir: string, cause: unknown): StorageFaultError {
  const { text } = fields(cause);
  const fault = statementFault(cause) ?? (diskFull(dir) ? 'full' : 'damaged');
  return new StorageFaultError(
    message(
      dir,
      fault,
      `PGlite stopped: ${text}`,
      `${FIX[fault]}; the core starts PGlite again at the next request once that is fixed, ` +
        'or restart the app',
    ),
  );
}
