import { StorageFaultError } from '../storage-unavailable.js';
import { directoryFault, runtimeFault, stoppedPglite } from './pglite.faults.js';

const pgError = (code: string, message: string, severity = 'ERROR') =>
  Object.assign(new Error(message), { code, severity });

describe('PGlite storage faults', () => {
  it.each([
    ['EROFS', 'the directory is on a read-only file system', 'Fix: mount it read-write'],
    ['ENOSPC', 'no space left on the disk', 'Fix: free space on that disk'],
    ['EACCES', 'no permission to write in the directory', "Fix: give the app's user write"],
  ])('names the directory and the fix for %s at start-up', (code, what, fix) => {
    const error = directoryFault('/data/st', Object.assign(new Error('open'), { code }));
    expect((error as Error).message).toContain(`Embedded core storage /data/st: ${what} (${code}`);
    expect((error as Error).message).toContain(fix);
  });

  it('leaves other start-up errors alone', () => {
    const error = Object.assign(new Error('nope'), { code: 'ENOENT' });
    expect(directoryFault('/data/st', error)).toBe(error);
  });

  it.each([
    [pgError('53100', 'could not extend file "base/5/1": No space left on device'), 'no space'],
    [pgError('58030', 'could not write to file "x": Read-only file system'), 'read-only'],
    [pgError('XX001', 'could not read blocks 0..0 in file "base/5/2"'), 'damaged'],
  ])('maps %s to a StorageFaultError (503)', (error, what) => {
    const fault = runtimeFault('/data/st', error);
    expect(fault).toBeInstanceOf(StorageFaultError);
    expect((fault as Error).message).toContain('Embedded core storage /data/st: ');
    expect((fault as Error).message).toContain(what);
    expect((fault as Error).message).toContain('Fix: ');
  });

  it('leaves query errors alone', () => {
    const error = pgError('23505', 'duplicate key value');
    expect(runtimeFault('/data/st', error)).toBe(error);
  });

  it('knows a PANIC or an aborted WASM instance stops PGlite', () => {
    expect(stoppedPglite(pgError('53100', 'could not write', 'PANIC'))).toBe(true);
    expect(stoppedPglite(Object.assign(new Error('Aborted()'), { name: 'RuntimeError' }))).toBe(
      true,
    );
    expect(stoppedPglite(pgError('53100', 'could not extend file'))).toBe(false);
  });
});
