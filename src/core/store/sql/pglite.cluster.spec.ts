import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractTar } from './pglite.cluster.js';

/** A ustar archive of `entries` (type '0' file, '5' directory, anything else as given). */
function tar(entries: { name: string; type?: string; data?: string }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { name, type = '0', data = '' } of entries) {
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'latin1');
    header.write('0000600\0', 100);
    header.write(`${Buffer.byteLength(data).toString(8).padStart(11, '0')}\0`, 124);
    header.write(type, 156);
    header.write('ustar\0', 257);
    blocks.push(header);
    const body = Buffer.from(data);
    blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

describe('extractTar (PGlite cluster template)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nst-tar-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes directories and files, leading slashes stripped', async () => {
    await extractTar(
      tar([
        { name: '/base', type: '5' },
        { name: '/base/1/1259', data: 'x'.repeat(700) },
        { name: 'PG_VERSION', data: '17\n' },
      ]),
      join(dir, 'out'),
    );
    expect(readFileSync(join(dir, 'out/base/1/1259'), 'utf8')).toBe('x'.repeat(700));
    expect(readFileSync(join(dir, 'out/PG_VERSION'), 'utf8')).toBe('17\n');
  });

  it('refuses names that leave the target, links and truncated archives', async () => {
    await expect(
      extractTar(tar([{ name: '../escape', data: 'x' }]), join(dir, 'out')),
    ).rejects.toThrow("unexpected entry '../escape'");
    expect(existsSync(join(dir, 'escape'))).toBe(false);
    await expect(
      extractTar(tar([{ name: 'a/../../escape', data: 'x' }]), join(dir, 'out')),
    ).rejects.toThrow('unexpected entry');
    await expect(extractTar(tar([{ name: 'link', type: '2' }]), join(dir, 'out'))).rejects.toThrow(
      "unexpected entry type '2'",
    );
    const whole = tar([{ name: 'f', data: 'y'.repeat(2000) }]);
    await expect(extractTar(whole.subarray(0, 1024), join(dir, 'out'))).rejects.toThrow(
      'truncated cluster archive',
    );
  });
});
