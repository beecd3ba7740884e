// The bootstrap's loader of dist/main.js with V8's code cache (src/core/codeCache.ts): the module behaves as if
// required, the cache is written once and then used, and a cache that does not fit costs only the compiling.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeCacheFile, loadWithCodeCache } from '../../src/core/codeCache';

describe('loading the extension with the code cache', () => {
  let root: string;
  let file: string;
  let cacheFolder: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'code-cache-'));
    file = path.join(root, 'dist', 'main.js');
    cacheFolder = path.join(root, 'storage', 'code-cache');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(path.join(root, 'dist', 'helper.js'), 'module.exports = (x) => x * 2;\n');
    fs.writeFileSync(
      file,
      [
        '"use strict";',
        'const helper = require("./helper.js");',
        'const os = require("os");',
        'exports.twice = helper;',
        'exports.where = { filename: __filename, dirname: __dirname, thisIsExports: this === exports };',
        'exports.platform = os.platform();',
        'exports.fail = function fail() { throw new Error("line 8"); };',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  type Main = {
    twice(x: number): number;
    where: { filename: string; dirname: string; thisIsExports: boolean };
    platform: string;
    fail(): never;
  };
  const load = () => loadWithCodeCache<Main>(file, cacheFolder, 0);
  /**
   * A load in a new Node process, as a new window loads the extension (in one process V8 reuses what it compiled
   * already, cache or not): its outcome, once the cache is written.
   */
  const loadInNewProcess = (): { outcome: string; twice: number } => {
    const script = `const { loadWithCodeCache } = require(${JSON.stringify(require.resolve('../../src/core/codeCache'))});
      const load = loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheFolder)}, 0);
      // The timer that writes the cache does not keep a process alive (the extension host lives on anyway).
      const alive = setInterval(() => undefined, 1000);
      load.written.then(() => { console.log(JSON.stringify({ outcome: load.outcome, twice: load.exports.twice(5) })); clearInterval(alive); });`;
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
      outcome: string;
      twice: number;
    };
  };
  const cacheFiles = () => (fs.existsSync(cacheFolder) ? fs.readdirSync(cacheFolder) : []);

  it('runs the module as require would: its own require, __filename, __dirname, this, and line numbers', () => {
    const { exports } = load();
    assert.equal(exports.twice(21), 42, 'a require relative to the module');
    assert.equal(exports.platform, os.platform(), "Node's own modules");
    assert.deepEqual(exports.where, { filename: file, dirname: path.dirname(file), thisIsExports: true });
    assert.throws(exports.fail, (error: Error) => (error.stack ?? '').includes(`${file}:7:`), 'the line of the file');
  });

  it('writes the cache after the first load, then a new process uses it; one file per bundle', () => {
    assert.deepEqual(loadInNewProcess(), { outcome: 'written', twice: 10 });
    const expected = path.basename(codeCacheFile(file, fs.statSync(file), cacheFolder));
    assert.deepEqual(cacheFiles(), [expected]);
    const written = fs.readFileSync(path.join(cacheFolder, expected));
    assert.ok(written.length > 0);
    assert.deepEqual(loadInNewProcess(), { outcome: 'used', twice: 10 });
    assert.deepEqual(fs.readFileSync(path.join(cacheFolder, expected)), written, 'a used cache is not written again');
  });

  it('a damaged cache is refused by V8 and written anew: the module loads all the same', () => {
    loadInNewProcess();
    const [name] = cacheFiles();
    fs.writeFileSync(path.join(cacheFolder, name), Buffer.from('not a V8 code cache, not at all'));
    assert.deepEqual(loadInNewProcess(), { outcome: 'written', twice: 10 });
    assert.deepEqual(loadInNewProcess(), { outcome: 'used', twice: 10 }, 'the new cache is good');
  });

  it("a changed bundle does not read the old bundle's cache, and its own replaces it", () => {
    loadInNewProcess();
    const [old] = cacheFiles();
    fs.appendFileSync(file, 'exports.twice = (x) => x * 3;\n');
    assert.deepEqual(loadInNewProcess(), { outcome: 'written', twice: 15 });
    const now = cacheFiles();
    assert.equal(now.length, 1);
    assert.notEqual(now[0], old);
    assert.deepEqual(loadInNewProcess(), { outcome: 'used', twice: 15 });
  });

  it('a cache folder that cannot be written only costs the compiling: no error, nothing left behind', async () => {
    fs.mkdirSync(path.dirname(cacheFolder), { recursive: true });
    fs.writeFileSync(cacheFolder, 'a file where the folder should be');
    const loaded = load();
    assert.equal(loaded.exports.twice(3), 6);
    await loaded.written;
    assert.equal(fs.readFileSync(cacheFolder, 'utf8'), 'a file where the folder should be');
    assert.deepEqual(fs.readdirSync(path.dirname(cacheFolder)), ['code-cache']);
  });
});
