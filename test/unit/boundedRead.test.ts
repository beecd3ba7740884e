// Reading files a repository may have planted (src/core/boundedRead.ts), on the real file system: links are
// followed, but only to a regular file; a device, a FIFO or a folder is never read, a big file never opened.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRegularFile } from '../../src/core/boundedRead';

describe('reading a planted file (readRegularFile)', () => {
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ideogram-bounded-'));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));
  const at = (name: string) => path.join(folder, name);

  it('reads a regular file, directly and through a link', async () => {
    fs.writeFileSync(at('logo.png'), 'pixels');
    fs.symlinkSync(at('logo.png'), at('linked.png'));
    for (const name of ['logo.png', 'linked.png']) {
      const read = await readRegularFile(at(name), 100);
      assert.equal(read.kind, 'read');
      assert.equal(read.kind === 'read' && Buffer.from(read.bytes).toString(), 'pixels');
    }
  });

  it('without following links, a link is not a regular file; the file itself is read', async () => {
    assert.equal((await readRegularFile(at('linked.png'), 100, { followLinks: false })).kind, 'not-a-file');
    const read = await readRegularFile(at('logo.png'), 100, { followLinks: false });
    assert.equal(read.kind === 'read' && Buffer.from(read.bytes).toString(), 'pixels');
  });

  it('a link to /dev/zero (size 0, endless) is not read', async function () {
    if (process.platform === 'win32') this.skip();
    fs.symlinkSync('/dev/zero', at('zero.png'));
    assert.deepEqual(await readRegularFile(at('zero.png'), 1024), { kind: 'not-a-file' });
  });

  it('a FIFO (opening it would wait for a writer forever) and a folder are not read', async function () {
    if (process.platform === 'win32') this.skip();
    execFileSync('mkfifo', [at('pipe.png')]);
    fs.symlinkSync(at('pipe.png'), at('piped.ideogram.json'));
    fs.mkdirSync(at('folder.png'));
    for (const name of ['pipe.png', 'piped.ideogram.json', 'folder.png'])
      assert.deepEqual(await readRegularFile(at(name), 1024), { kind: 'not-a-file' }, name);
  });

  it('a file over the cap is not opened; one exactly at the cap is read whole', async () => {
    fs.writeFileSync(at('big.md'), Buffer.alloc(1025, 0x61));
    fs.writeFileSync(at('fits.md'), Buffer.alloc(1024, 0x61));
    assert.deepEqual(await readRegularFile(at('big.md'), 1024), { kind: 'too-big', size: 1025 });
    const fits = await readRegularFile(at('fits.md'), 1024);
    assert.equal(fits.kind === 'read' && fits.bytes.length, 1024);
  });

  it('a missing file or a dangling link throws as fs does', async () => {
    fs.symlinkSync(at('nowhere'), at('dangling.png'));
    await assert.rejects(readRegularFile(at('missing.png'), 10), { code: 'ENOENT' });
    await assert.rejects(readRegularFile(at('dangling.png'), 10), { code: 'ENOENT' });
  });
});
