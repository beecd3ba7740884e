// Loads a CommonJS bundle with V8's code cache: the first load compiles it and, a moment later, keeps what V8
// compiled (the top level and every function run so far) in a file; the next load in another window skips that
// compiling. For dist/main.js (~330 KB minified) that is a good part of what the first command of a new window
// costs (issue #25, figure 3c: 133 and 140 ms → 108 and 93 ms with a CPU hog). Only this bundle: Node's own `module.enableCompileCache()` would
// switch the cache on for every extension in the extension host, and cannot be switched off again.
// A cache that does not fit (another Node or V8, a damaged file, a changed bundle) is refused by V8 and written
// anew; one of another bundle version is never read, as the file's name carries the bundle's size and time.
// Named imports only: the bootstrap bundles this file, and esbuild copies every property of a namespace import's
// module at load (`import * as`), which cost the bootstrap's start ~1 ms.
import { promises as fsPromises, readFileSync, statSync, type Stats } from 'fs';
import { createRequire } from 'module';
import { basename, dirname, join } from 'path';
import { Script } from 'vm';

/** Under the extension's global storage. */
export const CODE_CACHE_FOLDER = 'code-cache';

/**
 * How long after the load the cache is written: once the first command has done its own work (its prompt box shows
 * ~100–150 ms after the load), so the cache holds what that compiled too. Keeping it costs ~3 ms of CPU, once per
 * build of the bundle.
 */
export const CODE_CACHE_WRITE_DELAY_MS = 200;

export interface CodeCacheLoad<T> {
  exports: T;
  /** 'used': compiled from the cache; 'written': compiled, the cache written after `writeDelayMs`. */
  outcome: 'used' | 'written';
  /** Settles when the cache has been written (or could not be): for tests. */
  written: Promise<void>;
}

/**
 * The cache file of `file` in `cacheFolder`: named after the bundle's size and modification time and the Node
 * version and architecture, so a bundle of another build or another runtime never reads it.
 */
export function codeCacheFile(file: string, stat: Stats, cacheFolder: string): string {
  const key = `${stat.size}-${Math.round(stat.mtimeMs)}-${process.version}-${process.arch}`;
  return join(cacheFolder, `${cachePrefix(file)}${key}.v8cache`);
}

const cachePrefix = (file: string) => `${basename(file, '.js')}.`;

/**
 * Loads the CommonJS module `file` as `require` would (its own `require`, `module`, `exports`, `__filename`,
 * `__dirname`), compiled with the code cache kept in `cacheFolder` (created when needed). Any trouble with the cache
 * (unreadable, refused, not writable) only costs the compiling it would have saved.
 */
export function loadWithCodeCache<T>(
  file: string,
  cacheFolder: string,
  writeDelayMs = CODE_CACHE_WRITE_DELAY_MS,
): CodeCacheLoad<T> {
  const source = readFileSync(file, 'utf8');
  const cacheFile = codeCacheFile(file, statSync(file), cacheFolder);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // none yet
  }
  // The wrapper Node puts around a CommonJS module, on one line so that line numbers stay the file's.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  // V8 says whether it took the cache (`false`: taken); without one given, it says nothing.
  if (cachedData && script.cachedDataRejected === false) {
    return { exports: module.exports as T, outcome: 'used', written: Promise.resolve() };
  }
  const written = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      void writeCodeCache(script, file, cacheFile).finally(resolve);
    }, writeDelayMs);
    timer.unref?.();
  });
  return { exports: module.exports as T, outcome: 'written', written };
}

/** Writes the cache whole or not at all (another window may read it meanwhile), and removes the bundle's older ones. */
async function writeCodeCache(script: Script, file: string, cacheFile: string): Promise<void> {
  const folder = dirname(cacheFile);
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    await fsPromises.mkdir(folder, { recursive: true });
    await fsPromises.writeFile(partial, script.createCachedData());
    await fsPromises.rename(partial, cacheFile);
    for (const name of await fsPromises.readdir(folder)) {
      if (name.startsWith(cachePrefix(file)) && name.endsWith('.v8cache') && name !== basename(cacheFile))
        await fsPromises.rm(join(folder, name), { force: true });
    }
  } catch {
    await fsPromises.rm(partial, { force: true }).catch(() => undefined);
  }
}
