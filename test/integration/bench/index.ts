// Benchmark module run INSIDE the real (Node) extension host, launched by scripts/bench.mjs with
// extensionTestsPath pointing at this folder (out/test/integration/bench/). Not a mocha suite: the host
// `require()`s this module and awaits `run()`; a rejection makes the host exit with code 1.
//
// It reports every figure as one console line `IDEOGRAM_BENCH {"kind":…}` that the workbench forwards to
// scripts/bench.mjs (window.codeAutomationLog). Parameters come from the JSON file named by the
// IDEOGRAM_BENCH_CONFIG environment variable (set on code-server, inherited by the extension host).
//
// Phases (mode "full"): activation (first thing), end-to-end command vs bare fetch (interleaved pairs),
// memory after 1 vs 100 generations, concurrency 10 vs 1 generations. Mode "activation": activation only.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';
import * as vscode from 'vscode';
import { COMMAND, PERFORMANCE_MARK, STATE_KEY } from '../../../src/common/ids';
import { WORKSPACE_STATE_KEY } from '../../../src/common/workspaceStateKeys';
import { asyncRoutesFor, fetchJobResult, readJobStatus, submitJob } from '../../../src/core/asyncJob';
import { generateImage } from '../../../src/core/client';
import { validateRequest } from '../../../src/core/request';
// The commands' result, as the extension declares it (a renamed field fails here at compile time).
import type { GenerateImageResult as CommandResult } from '../../../src/generation/paletteResults';

const EXTENSION_ID = 'ideogram-vscode.ideogram-vscode';
const MARKER = 'IDEOGRAM_BENCH';

interface BenchConfig {
  mode: 'full' | 'activation' | 'webview';
  endpoint: string;
  imageBytes: number;
  e2ePairs: number;
  e2eWarmup: number;
  memoryGenerations: number;
  concurrency: number;
  concurrencyLatencyMs: number;
  concurrencyRounds: number;
  /** Also measure the palette flow without a Markdown editor (its notifications stay open). */
  memoryWithoutInsert: boolean;
  /** When set, a CPU profile of 10 commands is written to this file (diagnosis). */
  cpuProfile?: string;
  /** Webview mode: entries seeded into the gallery, view openings, and the folder of the hand-over flags. */
  galleryEntries?: number;
  webviewRounds?: number;
  /** 'full': a 1024 x 1024 JPEG padded to imageBytes (like real images); 'small': the fake's 256 x 256 JPEG. */
  galleryPicture?: 'full' | 'small';
  /**
   * 'seeded': every entry has its thumbnail stored (through the extension's own store, as after a first viewing);
   * 'none': no thumbnails (the tiles show the full images and make them).
   */
  galleryThumbnails?: 'seeded' | 'none';
  flagDir?: string;
  /** Durable jobs: how many at once (each strategy) and how long the fake takes for each. */
  jobCount?: number;
  jobLatencyMs?: number;
  /** Image actions: rounds of upload, submit and a second action on the same picture. */
  uploadRounds: number;
}

interface Prepared {
  apiKey: string;
  endpoint: string;
  target: { workspaceFolder: vscode.WorkspaceFolder; folder: vscode.Uri };
}

/**
 * The pipeline's preparation, with the bench's own assets folder (its clean-ups and timings are about that folder);
 * the request is validated as every entry point does, once, before the pipeline.
 */
async function benchGeneration(
  api: TestingApi,
  assets: vscode.Uri,
  input: Record<string, unknown>,
): Promise<{ uri: vscode.Uri; image?: { requestId?: string } }> {
  const preparation = await api.prepare({ folder: 'document', askForKey: false });
  if (!preparation.ok) throw preparation.failure;
  const validation = validateRequest(input);
  if (!validation.ok) throw new Error(`invalid bench request: ${JSON.stringify(validation.problems)}`);
  const prepared = { ...preparation.prepared, target: { ...preparation.prepared.target, folder: assets } };
  return api.service.generate(prepared, { request: validation.request });
}

interface TestingApi {
  keys: { store(key: string): Promise<void>; get(): Promise<string | undefined> };
  sidebar?: {
    gallery: {
      record(saved: {
        uri: vscode.Uri;
        image: Record<string, unknown>;
        prompt: string;
        createdAt: Date;
      }): Promise<unknown>;
      flush(): Promise<void>;
      query(query: string, offset: number, limit: number): Promise<{ total: number; items: unknown[] }>;
      readonly size: number;
    };
    thumbnails?: { store(imageUri: string, bytes: Uint8Array): Promise<string | undefined> };
  };
  /** src/generation/pipeline.ts: what every entry point does before `service.generate`. */
  prepare(options: {
    folder: 'ask' | 'document';
    askForKey: boolean;
  }): Promise<{ ok: true; prepared: Prepared } | { ok: false; failure: Error }>;
  service: {
    generate(
      prepared: Prepared,
      run: { request: Record<string, unknown> },
    ): Promise<{ uri: vscode.Uri; image?: { requestId?: string } }>;
  };
  state?: { global: vscode.Memento; workspace: vscode.Memento };
  /** src/generation/imageInput (issue #22); absent in a stage from before it. */
  imageInput?: {
    readSourceImage(uri: vscode.Uri): Promise<unknown>;
    uploader: { urlFor(source: never, target: { endpoint: string; apiKey: string }): Promise<string> };
  };
}

interface LoadTiming {
  codeLoadMs?: number;
  activateCallMs?: number;
  activateSyncMs?: number;
}

/**
 * Times the pieces of the first activation from the inside: wraps Node's Module._load for the extension's main
 * file only, once, to time its loading (the require of the bundle) and the call of its exported activate().
 * What remains of extension.activate() is the extension host's own work (context, storage, bookkeeping).
 */
function instrumentFirstLoad(mainFile: string): { timing: LoadTiming; restore(): void } {
  const nodeModule = require('module') as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = nodeModule._load;
  const timing: LoadTiming = {};
  const target = mainFile.replace(/\.js$/, '');
  const restore = () => {
    if (nodeModule._load !== original) nodeModule._load = original;
  };
  nodeModule._load = function (this: unknown, request: string, ...rest: unknown[]) {
    if (typeof request !== 'string' || path.resolve(request).replace(/\.js$/, '') !== target)
      return original.call(this, request, ...rest);
    restore();
    const started = performance.now();
    const exports = original.call(this, request, ...rest) as { activate?: (...args: unknown[]) => unknown } | undefined;
    timing.codeLoadMs = performance.now() - started;
    const activate = exports?.activate;
    if (typeof activate !== 'function') return exports;
    return {
      ...exports,
      activate: (...args: unknown[]) => {
        const called = performance.now();
        const result = activate(...args);
        timing.activateSyncMs = performance.now() - called;
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          return (result as Promise<unknown>).then((value) => {
            timing.activateCallMs = performance.now() - called;
            return value;
          });
        }
        timing.activateCallMs = timing.activateSyncMs;
        return result;
      },
    };
  };
  return { timing, restore };
}

function emit(kind: string, data: Record<string, unknown>): void {
  console.log(`${MARKER} ${JSON.stringify({ kind, ...data })}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A full garbage collection when it can be had: `--expose-gc` set at run time, `gc` taken from a new context. */
function findGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

interface MemorySample {
  heapUsed: number;
  arrayBuffers: number;
  external: number;
  rss: number;
}

/**
 * Memory after settling: (a full GC when available, then) several samples over ~2 s, keeping the minimum of
 * each field, so garbage that V8 has not yet collected and short-lived buffers do not count.
 */
async function settledMemory(gc: (() => void) | undefined, samples = 8, gapMs = 250): Promise<MemorySample> {
  await sleep(500);
  const min: MemorySample = { heapUsed: Infinity, arrayBuffers: Infinity, external: Infinity, rss: Infinity };
  for (let index = 0; index < samples; index++) {
    if (gc) {
      gc();
      gc();
    }
    const usage = process.memoryUsage();
    min.heapUsed = Math.min(min.heapUsed, usage.heapUsed);
    min.arrayBuffers = Math.min(min.arrayBuffers, usage.arrayBuffers);
    min.external = Math.min(min.external, usage.external);
    min.rss = Math.min(min.rss, usage.rss);
    await sleep(gapMs);
  }
  return min;
}

/** Profiles `work` with the inspector of this very process and writes a .cpuprofile (open it in Chrome DevTools). */
async function cpuProfile(file: string, work: () => Promise<void>): Promise<void> {
  const inspector = require('inspector') as typeof import('inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
    await work();
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(file, JSON.stringify(profile));
  } finally {
    session.disconnect();
  }
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 2);

/**
 * Runs Generate Image… as the palette would and waits for the mark its prompt box sets when shown
 * (PERFORMANCE_MARK.promptShown, in the same extension host), then closes the box. The time is the extension's:
 * the command's round trip to the bootstrap's stand-in, loading dist/main.js, activating it, building the box and
 * `show()`; the workbench paints it after (not measured here).
 */
async function timeFirstCommand(): Promise<void> {
  performance.clearMarks(PERFORMANCE_MARK.promptShown);
  const started = performance.now();
  const command = vscode.commands.executeCommand(COMMAND.generateImage);
  let shownAt: number | undefined;
  for (const deadline = started + 30_000; shownAt === undefined && performance.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    shownAt = performance.getEntriesByName(PERFORMANCE_MARK.promptShown, 'mark')[0]?.startTime;
  }
  if (shownAt === undefined) throw new Error('Generate Image… showed no prompt box within 30 s');
  emit('firstCommand', { ms: round(shownAt - started, 3) });
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await command;
}

export async function run(): Promise<void> {
  // ---------------------------------------------------------------- 3. activation (first thing)
  const extension = vscode.extensions.getExtension<TestingApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  const activeAtStart = extension.isActive;
  const packageJson = extension.packageJSON as { activationEvents?: string[]; main?: string };
  const probe = instrumentFirstLoad(path.join(extension.extensionPath, packageJson.main ?? 'dist/extension.js'));
  const started = performance.now();
  let api: TestingApi | undefined;
  try {
    api = await extension.activate();
  } finally {
    probe.restore();
  }
  const activationMs = performance.now() - started;
  const { codeLoadMs, activateCallMs, activateSyncMs } = probe.timing;
  emit('activation', {
    activeAtStart,
    activationMs: round(activationMs, 3),
    codeLoadMs: codeLoadMs === undefined ? null : round(codeLoadMs, 3),
    activateCallMs: activateCallMs === undefined ? null : round(activateCallMs, 3),
    activateSyncMs: activateSyncMs === undefined ? null : round(activateSyncMs, 3),
    hostMs:
      codeLoadMs === undefined || activateCallMs === undefined
        ? null
        : round(activationMs - codeLoadMs - activateCallMs, 3),
    activationEvents: packageJson.activationEvents ?? [],
    main: packageJson.main,
    extensionPath: extension.extensionPath,
    vscodeVersion: vscode.version,
    node: process.version,
  });

  // What the bootstrap measured of itself (the start may have activated it before this module ran), then the
  // extension itself, which loads on first use (here: the testing API).
  // Reading and compiling its file happen before its first line runs: measured here on the same file.
  const bundle = path.join(extension.extensionPath, packageJson.main ?? 'dist/extension.js');
  const readStarted = performance.now();
  new vm.Script(fs.readFileSync(bundle, 'utf8'), { filename: `${bundle}?bench` });
  const readAndCompileMs = performance.now() - readStarted;
  emit('bootstrap', {
    ...((api as { startupTiming?: Record<string, unknown> } | undefined)?.startupTiming ?? {}),
    readAndCompileMs: round(readAndCompileMs, 3),
  });
  const config = JSON.parse(fs.readFileSync(process.env.IDEOGRAM_BENCH_CONFIG ?? '', 'utf8')) as BenchConfig;
  // The first command of a window (issue #25): Generate Image… until its prompt box is shown, the extension itself
  // (dist/main.js) loading on the way. Only in the hosts that do nothing else, before anything else loads it.
  if (config.mode === 'activation') {
    await timeFirstCommand();
    // Whether dist/main.js came from the code cache another host wrote (src/core/codeCache.ts).
    const timing = (api as { startupTiming?: { codeCache?: string } } | undefined)?.startupTiming;
    emit('codeCache', { outcome: timing?.codeCache ?? null });
  }

  const firstUse = performance.now();
  void (api as { keys?: unknown } | undefined)?.keys;
  emit('mainLoad', { ms: round(performance.now() - firstUse, 3) });

  if (config.mode === 'activation') return;
  if (!api) throw new Error('the extension did not return its testing API (not in ExtensionMode.Test?)');
  try {
    if (config.mode === 'webview') await runWebview(config, api);
    else await runPhases(config, api);
  } catch (error) {
    emit('error', { message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    throw error;
  }
}

async function runPhases(config: BenchConfig, api: TestingApi): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the bench needs an open workspace folder');
  const configured = vscode.workspace.getConfiguration('ideogram').inspect<string>('apiEndpoint')?.globalValue;
  if (configured !== config.endpoint)
    throw new Error(`ideogram.apiEndpoint is ${configured}, expected the fake at ${config.endpoint}`);
  const apiKey = 'bench-key';
  await api.keys.store(apiKey);

  const assets = vscode.Uri.joinPath(folder.uri, 'assets');
  const removeAssets = () =>
    vscode.workspace.fs.delete(assets, { recursive: true, useTrash: false }).then(undefined, () => undefined);
  const docUri = vscode.Uri.joinPath(folder.uri, 'bench.md');
  await vscode.workspace.fs.writeFile(docUri, new TextEncoder().encode('# Bench\n\nImages go here:\n\n'));
  const document = await vscode.workspace.openTextDocument(docUri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  const toEnd = () => {
    const end = document.lineAt(document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
  };

  const prompt = 'A lighthouse at dawn, flat illustration';
  const options = { seed: 1234, style_type: 'DESIGN', resolution: 'RESOLUTION_1024_1024', magic_prompt_option: 'OFF' };
  // What the extension sends for these arguments (its defaults filled in): the bare fetch sends the same.
  const body = JSON.stringify({ prompt, ...options });

  const generateInsert = async (): Promise<CommandResult> => {
    toEnd();
    const result = await vscode.commands.executeCommand<CommandResult | undefined>('ideogram.generateImage', {
      prompt,
      options,
      insert: true,
    });
    if (!result)
      throw new Error('ideogram.generateImage returned nothing (failed or cancelled; see the extension log)');
    return result;
  };
  const bareFetch = async (): Promise<number> => {
    const response = await fetch(config.endpoint, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json', accept: 'image/*, application/json' },
      body,
    });
    const bytes = await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`bare fetch: HTTP ${response.status}`);
    return bytes.byteLength;
  };
  const check = async (result: CommandResult) => {
    if (!result.inserted) throw new Error('the Markdown link was not inserted');
    if (!document.getText().includes(result.link)) throw new Error('the document does not contain the link');
    const stat = await vscode.workspace.fs.stat(vscode.Uri.parse(result.uri));
    if (Math.abs(stat.size - config.imageBytes) > config.imageBytes * 0.05)
      throw new Error(`saved ${stat.size} bytes, expected about ${config.imageBytes}`);
  };
  const resetDocument = async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(docUri, new vscode.Range(0, 0, document.lineCount, 0), '# Bench\n\nImages go here:\n\n');
    await vscode.workspace.applyEdit(edit);
  };

  // ---------------------------------------------------------------- 2. end to end, interleaved with a bare fetch
  for (let index = 0; index < config.e2eWarmup; index++) {
    await check(await generateInsert());
    await bareFetch();
  }
  const command: number[] = [];
  const fetchOnly: number[] = [];
  for (let index = 0; index < config.e2ePairs; index++) {
    let t = performance.now();
    const result = await generateInsert();
    command.push(performance.now() - t);
    t = performance.now();
    const received = await bareFetch();
    fetchOnly.push(performance.now() - t);
    await check(result);
    if (Math.abs(received - config.imageBytes) > config.imageBytes * 0.05)
      throw new Error(`bare fetch got ${received} bytes`);
  }
  emit('e2e', {
    commandMs: command.map((v) => round(v)),
    bareFetchMs: fetchOnly.map((v) => round(v)),
    imageBytes: config.imageBytes,
    options,
  });
  await removeAssets();
  await resetDocument();

  // ---------------------------------------------------------------- 2b. where the end-to-end time goes (diagnosis)
  // The pieces of the command, each timed alone, interleaved round by round.
  const image = new Uint8Array(config.imageBytes);
  const keepAlive = new http.Agent({ keepAlive: true });
  const pieces: Record<string, () => Thenable<unknown>> = {
    bareFetch,
    keyGet: () => api.keys.get(),
    serviceGenerate: () => benchGeneration(api, assets, { prompt, ...options }),
    saveLikeExtension: async () => {
      // What src/links/imageFiles.ts saveImageFile does: createDirectory, write a temporary file, rename it.
      await vscode.workspace.fs.createDirectory(assets);
      const temporary = vscode.Uri.joinPath(assets, '.bench.partial');
      await vscode.workspace.fs.writeFile(temporary, image);
      await vscode.workspace.fs.rename(
        temporary,
        vscode.Uri.joinPath(assets, `bench-${Math.random().toString(36).slice(2)}.jpg`),
        { overwrite: false },
      );
    },
    nodeHttp: () =>
      new Promise<number>((resolve, reject) => {
        // node:http with a keep-alive agent, the body copied into one preallocated buffer (what curl does).
        const request = http.request(
          config.endpoint,
          {
            method: 'POST',
            agent: keepAlive,
            headers: { 'x-api-key': apiKey, 'content-type': 'application/json', accept: 'image/*, application/json' },
          },
          (response) => {
            const out = Buffer.allocUnsafe(Number(response.headers['content-length']));
            let offset = 0;
            response.on('data', (chunk: Buffer) => {
              offset += chunk.copy(out, offset);
            });
            response.on('end', () => resolve(offset));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(body);
      }),
    commandNoInsert: async () => {
      const result = await vscode.commands.executeCommand<CommandResult | undefined>('ideogram.generateImage', {
        prompt,
        options,
        insert: false,
      });
      if (!result) throw new Error('ideogram.generateImage returned nothing');
    },
    coreClient: () =>
      generateImage({ prompt, ...options } as Parameters<typeof generateImage>[0], {
        endpoint: config.endpoint,
        apiKey,
      }),
    fsCreateDirectory: () => vscode.workspace.fs.createDirectory(assets),
    fsWriteFile: () => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(assets, '.bench-write.partial'), image),
    fsRename: async () => {
      const from = vscode.Uri.joinPath(assets, '.bench-rename.partial');
      await fs.promises.writeFile(from.fsPath, 'x'); // not timed separately: ~0.1 ms
      await vscode.workspace.fs.rename(
        from,
        vscode.Uri.joinPath(assets, `bench-rename-${Math.random().toString(36).slice(2)}.jpg`),
        { overwrite: false },
      );
    },
    nodeFsSave: async () => {
      const directory = assets.fsPath;
      await fs.promises.mkdir(directory, { recursive: true });
      const temporary = path.join(directory, '.bench-node.partial');
      await fs.promises.writeFile(temporary, image);
      await fs.promises.rename(
        temporary,
        path.join(directory, `bench-node-${Math.random().toString(36).slice(2)}.jpg`),
      );
    },
    withProgress: () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Ideogram', cancellable: true },
        async (progress) => {
          progress.report({ message: 'Generating …' });
          progress.report({ message: 'Saving…' });
        },
      ),
    applyEdit: async () => {
      toEnd();
      const edit = new vscode.WorkspaceEdit();
      edit.insert(
        docUri,
        editor.selection.active,
        '![A lighthouse at dawn, flat illustration](assets/a-lighthouse-at-dawn-20261124-000000-abcd.jpg)',
      );
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error('applyEdit failed');
    },
    informationMessage: async () => {
      void vscode.window.showInformationMessage('Inserted assets/x.jpg');
    },
  };
  const breakdown: Record<string, number[]> = Object.fromEntries(Object.keys(pieces).map((key) => [key, []]));
  for (let index = 0; index < config.e2eWarmup + config.e2ePairs; index++) {
    for (const [key, piece] of Object.entries(pieces)) {
      const t = performance.now();
      await piece();
      if (index >= config.e2eWarmup) breakdown[key].push(round(performance.now() - t));
    }
  }
  emit('e2eBreakdown', { ms: breakdown });
  keepAlive.destroy();
  await vscode.commands.executeCommand('notifications.clearAll'); // releases what their callbacks hold
  await removeAssets();
  await resetDocument();
  if (config.cpuProfile) {
    // A CPU profile of the extension host thread over a few commands (test-artifacts/bench/*.cpuprofile).
    await cpuProfile(config.cpuProfile, async () => {
      for (let index = 0; index < 10; index++) await generateInsert();
    });
    await removeAssets();
    await resetDocument();
  }

  // ---------------------------------------------------------------- 6. memory: after 1 vs after N generations
  const gc = findGc();
  const memory = async (label: string, generate: () => Promise<unknown>) => {
    await generate();
    const afterOne = await settledMemory(gc);
    const t = performance.now();
    for (let index = 1; index < config.memoryGenerations; index++) {
      await generate();
      if (index % 25 === 0) await removeAssets(); // keep the disk use bounded; outside nothing measured here
    }
    const seconds = (performance.now() - t) / 1000;
    await removeAssets();
    const afterN = await settledMemory(gc);
    emit('memory', {
      label,
      generations: config.memoryGenerations,
      method: gc
        ? 'full GC (v8 --expose-gc at run time), then the minimum of 8 samples over 2 s'
        : 'no GC available: the minimum of 8 samples over 2 s after settling',
      gc: !!gc,
      afterOneMB: {
        heapUsed: mb(afterOne.heapUsed),
        arrayBuffers: mb(afterOne.arrayBuffers),
        external: mb(afterOne.external),
        rss: mb(afterOne.rss),
      },
      afterNMB: {
        heapUsed: mb(afterN.heapUsed),
        arrayBuffers: mb(afterN.arrayBuffers),
        external: mb(afterN.external),
        rss: mb(afterN.rss),
      },
      heapGrowthMB: mb(afterN.heapUsed - afterOne.heapUsed),
      arrayBuffersGrowthMB: mb(afterN.arrayBuffers - afterOne.arrayBuffers),
      seconds: round(seconds, 1),
    });
  };
  await memory('insert into Markdown', async () => check(await generateInsert()));
  await resetDocument();

  // ---------------------------------------------------------------- 7. concurrency: 10 at once vs 1
  const slowPrompt = `[[latency:${config.concurrencyLatencyMs}]] A harbour at night`;
  const generateSaved = async () => {
    const result = await vscode.commands.executeCommand<CommandResult | undefined>('ideogram.generateImage', {
      prompt: slowPrompt,
      options: { seed: 1234 },
      insert: false,
    });
    if (!result)
      throw new Error('ideogram.generateImage returned nothing (failed or cancelled; see the extension log)');
    return result;
  };
  const single: number[] = [];
  const many: number[] = [];
  for (let round_ = 0; round_ < config.concurrencyRounds; round_++) {
    let t = performance.now();
    await generateSaved();
    single.push(performance.now() - t);
    t = performance.now();
    const results = await Promise.all(Array.from({ length: config.concurrency }, generateSaved));
    many.push(performance.now() - t);
    if (new Set(results.map((r) => r.uri)).size !== config.concurrency)
      throw new Error('concurrent generations overwrote each other');
    await removeAssets();
  }
  emit('concurrency', {
    concurrency: config.concurrency,
    latencyMs: config.concurrencyLatencyMs,
    singleMs: single.map((v) => round(v)),
    manyMs: many.map((v) => round(v)),
  });

  // ---------------------------------------------------------------- 6b. memory of the palette flow (no Markdown editor)
  if (config.memoryWithoutInsert) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const plain = async () => {
      const result = await vscode.commands.executeCommand<CommandResult | undefined>('ideogram.generateImage', {
        prompt,
        options,
        insert: false,
      });
      if (!result) throw new Error('ideogram.generateImage returned nothing');
    };
    await memory('Generate Image without Markdown (its "Saved …" notifications left open)', plain);
  }
  await removeAssets();
  await benchJobs(config, api, { folder, assets, apiKey });
  await removeAssets();
  await benchUpload(config, api, { folder, apiKey, picture: await pictureOf(config, apiKey) });
  emit('done', {});
}

/** A real picture of the fake's image size (the bench's image bytes), as a reframe would start from. */
async function pictureOf(config: BenchConfig, apiKey: string): Promise<Uint8Array> {
  const response = await fetch(config.endpoint, {
    method: 'POST',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'source picture', seed: 77, resolution: 'RESOLUTION_1280_720' }),
  });
  if (response.status !== 200) throw new Error(`picture: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * 11. An image action's picture (issue #22): the upload the real uploader makes before the submit, side by side
 * with the submit itself, and what a second action on the same picture uploads (the bytes the fake received).
 */
async function benchUpload(
  config: BenchConfig,
  api: TestingApi,
  { folder, apiKey, picture }: { folder: vscode.WorkspaceFolder; apiKey: string; picture: Uint8Array },
): Promise<void> {
  const { imageInput, state } = api;
  if (!imageInput || !state) return; // a stage from before image actions
  const source = vscode.Uri.joinPath(folder.uri, 'bench-source.jpg');
  await vscode.workspace.fs.writeFile(source, picture);
  const origin = new URL(config.endpoint).origin;
  const uploadedBytes = async (): Promise<number> => {
    const uploads = (await (await fetch(`${origin}/__control/uploads`)).json()) as Array<{
      headers: Record<string, unknown>;
    }>;
    return uploads.reduce((sum, upload) => sum + Number(upload.headers['content-length'] ?? 0), 0);
  };
  const consent = state.workspace.get(WORKSPACE_STATE_KEY.uploadConsent);
  await state.workspace.update(WORKSPACE_STATE_KEY.uploadConsent, true);
  const target = { endpoint: config.endpoint, apiKey };
  const submit = (url: string) =>
    fetch(config.endpoint.replace(/\/v1\/[^/]+$/, '/v2/ideogram-3-reframe'), {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ image: url, resolution: '1280x704', rendering_speed: 'TURBO' }),
    }).then(async (response) => {
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`submit: HTTP ${response.status}`);
    });
  const uploadMs: number[] = [];
  const submitMs: number[] = [];
  const reuseMs: number[] = [];
  const firstBytes: number[] = [];
  const secondBytes: number[] = [];
  try {
    for (let index = 0; index < config.uploadRounds; index++) {
      await state.global.update(STATE_KEY.uploads, undefined); // a picture never uploaded before
      const read = (await imageInput.readSourceImage(source)) as never;
      let before = await uploadedBytes();
      let t = performance.now();
      const url = await imageInput.uploader.urlFor(read, target);
      uploadMs.push(performance.now() - t);
      firstBytes.push((await uploadedBytes()) - before);
      t = performance.now();
      await submit(url);
      submitMs.push(performance.now() - t);
      // The second action on the same picture.
      before = await uploadedBytes();
      t = performance.now();
      const again = await imageInput.uploader.urlFor((await imageInput.readSourceImage(source)) as never, target);
      reuseMs.push(performance.now() - t);
      secondBytes.push((await uploadedBytes()) - before);
      if (again !== url) throw new Error('the second action got another URL');
    }
  } finally {
    await state.workspace.update(WORKSPACE_STATE_KEY.uploadConsent, consent);
    await vscode.workspace.fs.delete(source).then(undefined, () => undefined);
  }
  emit('upload', {
    pictureBytes: picture.length,
    uploadMs: uploadMs.map((v) => round(v)),
    submitMs: submitMs.map((v) => round(v)),
    reuseMs: reuseMs.map((v) => round(v)),
    firstBytes,
    secondBytes,
  });
}

/**
 * 8. Durable jobs: from the moment the fake marks a job COMPLETED to the image on disk, and the status reads per
 * job, for the extension (its schedule, on first use: Ideogram's average as the expectation) and, at the same time
 * against the same fake, for the strategy of Segmind's own SDK (a status read every second).
 */
async function benchJobs(
  config: BenchConfig,
  api: TestingApi,
  { assets, apiKey }: { folder: vscode.WorkspaceFolder; assets: vscode.Uri; apiKey: string },
): Promise<void> {
  const count = config.jobCount ?? 5;
  const latencyMs = config.jobLatencyMs ?? 21_000;
  const control = (route: string) => new URL(route, config.endpoint).href;
  await fetch(control('/__control'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ configure: { latencyMs } }),
  });
  await api.state?.global.update('ideogram.jobDurations', undefined);
  const routes = asyncRoutesFor(new URL(config.endpoint));
  if (!routes) throw new Error('the fake endpoint has no async routes');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const sdkStyle = async (index: number): Promise<{ requestId: string; savedAt: number }> => {
    const request = validateRequest({ prompt: `SDK-style job ${index}`, seed: 700 + index });
    if (!request.ok) throw new Error('invalid request');
    const submitted = await submitJob(routes, request.request, { endpoint: config.endpoint, apiKey });
    if (submitted.kind !== 'submitted') throw new Error('no async route');
    for (;;) {
      await sleep(1_000);
      const reading = await readJobStatus(routes, submitted.requestId, { apiKey });
      if (reading.state === 'completed') break;
      if (reading.state !== 'queued' && reading.state !== 'processing' && reading.state !== 'unavailable')
        throw new Error(`SDK-style job ${reading.state}`);
    }
    const result = await fetchJobResult(routes, submitted.requestId, request.request, {
      apiKey,
      endpoint: new URL(config.endpoint),
    });
    if (result.state !== 'image') throw new Error(`SDK-style result ${result.state}`);
    await vscode.workspace.fs.createDirectory(assets);
    fs.writeFileSync(path.join(assets.fsPath, `sdk-style-${index}.jpg`), result.image.bytes);
    return { requestId: submitted.requestId, savedAt: Date.now() };
  };
  const ours = Array.from({ length: count }, async (_, index) => {
    const saved = await benchGeneration(api, assets, { prompt: `Durable job ${index}`, seed: 500 + index });
    return { requestId: saved.image?.requestId ?? '', savedAt: Date.now() };
  });
  const sdk = Array.from({ length: count }, (_, index) => sdkStyle(index));
  const [oursDone, sdkDone] = await Promise.all([Promise.all(ours), Promise.all(sdk)]);
  const jobs = (await (await fetch(control('/__control/jobs'))).json()) as Array<{
    requestId: string;
    finishesAt: number;
    statusReads: number;
    resultReads: number;
  }>;
  const figures = (done: Array<{ requestId: string; savedAt: number }>) =>
    done.map(({ requestId, savedAt }) => {
      const job = jobs.find((candidate) => candidate.requestId === requestId);
      if (!job) throw new Error(`job ${requestId} unknown to the fake`);
      return { lagMs: savedAt - job.finishesAt, statusReads: job.statusReads, resultReads: job.resultReads };
    });
  emit('jobs', { latencyMs, count, ours: figures(oursDone), sdkStyle: figures(sdkDone) });
  await fetch(control('/__control'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ configure: { latencyMs: 0 } }),
  });
}

// ---------------------------------------------------------------- 5. webview (driven together with scripts/bench.mjs)
/**
 * Seeds the gallery with `galleryEntries` images, then opens the sidebar `webviewRounds` times with
 * `ideogram.openPanel`. After each opening it reports the wall-clock time of the call and waits until
 * scripts/bench.mjs (playwright, in the workbench page) has measured the webview and written a flag file;
 * then it hides the view (the Explorer takes the side bar) for the next round.
 */
async function runWebview(config: BenchConfig, api: TestingApi): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || !api.sidebar || !config.flagDir)
    throw new Error('webview bench: needs a workspace folder, the sidebar in the testing API and a flag folder');
  const gallery = api.sidebar.gallery;
  await api.keys.store('bench-key');

  // One real-size picture (1024 x 1024 JPEG, padded to the bench's image size) hard-linked under 1,000 names:
  // distinct URLs for the webview, one file on disk.
  const fakeUrl = new URL(config.endpoint).origin;
  const control = (body: object) =>
    fetch(`${fakeUrl}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await control({ configure: config.galleryPicture === 'small' ? { imageBytes: 0 } : { imageScale: 1 } });
  const response = await fetch(config.endpoint, {
    method: 'POST',
    headers: { 'x-api-key': 'bench-key', 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'gallery picture', seed: 4242, resolution: 'RESOLUTION_1024_1024' }),
  });
  const picture = Buffer.from(await response.arrayBuffer());
  await control({ configure: { imageScale: 0.25, imageBytes: config.imageBytes } });
  const directory = path.join(folder.uri.fsPath, 'assets', 'gallery-bench');
  fs.mkdirSync(directory, { recursive: true });
  const source = path.join(directory, 'source.jpg');
  fs.writeFileSync(source, picture);

  const count = config.galleryEntries ?? 10_000;
  const gc = findGc();
  const heapEmpty = await settledMemory(gc, 4);
  const configuration = vscode.workspace.getConfiguration('ideogram');
  await configuration.update('writeRecipeSidecar', false, vscode.ConfigurationTarget.Global); // seeding only
  const seeded = performance.now();
  const subjects = ['lighthouse', 'harbour', 'robot', 'fox', 'mountain', 'city', 'forest', 'desert', 'logo', 'poster'];
  const base = Date.now() - count * 60_000;
  for (let start = 0; start < count; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - start) }, (_, offset) => {
        const index = start + offset;
        const file = path.join(directory, `image-${String(index).padStart(5, '0')}.jpg`);
        fs.linkSync(source, file);
        const prompt = `A ${subjects[index % subjects.length]} number ${index}, flat illustration`;
        const request = {
          prompt,
          magic_prompt_option: 'AUTO',
          resolution: 'RESOLUTION_1024_1024',
          style_type: 'GENERAL',
          seed: index,
        };
        return gallery.record({
          uri: vscode.Uri.file(file),
          image: { request, seed: index, bytes: new Uint8Array(0) },
          prompt,
          createdAt: new Date(base + index * 60_000),
        });
      }),
    );
  }
  await gallery.flush();
  await configuration.update('writeRecipeSidecar', undefined, vscode.ConfigurationTarget.Global);
  const seededSeconds = round((performance.now() - seeded) / 1000, 1);
  // Thumbnails as the webview would have made them on a first viewing: 224 x 224 JPEGs of the picture, through the
  // extension's own store (checked, named by each image's identity, written into its global storage).
  let thumbnails: Record<string, unknown> = { mode: 'none' };
  if (config.galleryThumbnails !== 'none') {
    if (!api.sidebar.thumbnails) throw new Error('webview bench: the testing API has no thumbnail store');
    await control({ configure: { imageScale: 224 / 1024, imageBytes: 0 } });
    const small = await fetch(config.endpoint, {
      method: 'POST',
      headers: { 'x-api-key': 'bench-key', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'gallery picture', seed: 4242, resolution: 'RESOLUTION_1024_1024' }),
    });
    const thumbnail = new Uint8Array(await small.arrayBuffer());
    await control({ configure: { imageScale: 0.25, imageBytes: config.imageBytes } });
    const started = performance.now();
    for (let start = 0; start < count; start += 100) {
      const refused = await Promise.all(
        Array.from({ length: Math.min(100, count - start) }, (_, offset) =>
          api.sidebar?.thumbnails?.store(
            vscode.Uri.file(path.join(directory, `image-${String(start + offset).padStart(5, '0')}.jpg`)).toString(),
            thumbnail,
          ),
        ),
      );
      const reason = refused.find((value) => value !== undefined);
      if (reason) throw new Error(`webview bench: a thumbnail was refused (${reason})`);
    }
    thumbnails = { mode: 'seeded', bytes: thumbnail.length, seconds: round((performance.now() - started) / 1000, 1) };
  }
  const heapSeeded = await settledMemory(gc, 4);
  emit('gallerySeeded', {
    entries: gallery.size,
    seconds: seededSeconds,
    pictureBytes: picture.length,
    thumbnails,
    galleryHeapMB: mb(heapSeeded.heapUsed - heapEmpty.heapUsed),
  });
  // The host's share of a gallery page: Gallery.query (search + a stat of each entry of the page), 60 entries.
  const queryMs: number[] = [];
  const nodeStatMs: number[] = [];
  for (let index = 0; index < 12; index++) {
    const offset = (index % 6) * 60 + (index >= 6 ? count - 6 * 60 : 0);
    let t = performance.now();
    const page = await gallery.query('', offset, 60);
    queryMs.push(round(performance.now() - t));
    if (page.items.length !== 60) throw new Error(`gallery.query returned ${page.items.length} items`);
    t = performance.now();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fs.promises.stat(path.join(directory, `image-${String(count - 1 - offset - i).padStart(5, '0')}.jpg`)),
      ),
    );
    nodeStatMs.push(round(performance.now() - t));
  }
  emit('galleryQuery', { pageSize: 60, queryMs, nodeStatMs });

  // The search the webview runs per keystroke, alone in the host (10,000 prompts, every prefix of a query).
  const searchMs: number[] = [];
  const typed = 'lighthouse number 7';
  for (let length = 1; length <= typed.length; length++) {
    const t = performance.now();
    await gallery.query(typed.slice(0, length), 0, 60);
    searchMs.push(round(performance.now() - t));
  }
  emit('galleryQuery', { pageSize: 60, queryMs: [], nodeStatMs: [], searchMs });

  await vscode.commands.executeCommand('workbench.view.explorer');
  await sleep(1000);
  const heapBefore = await settledMemory(gc);
  for (let index = 0; index < (config.webviewRounds ?? 3); index++) {
    const startedAt = Date.now();
    const t = performance.now();
    await vscode.commands.executeCommand('ideogram.openPanel');
    emit('webviewOpened', { round: index, startedAt, commandMs: round(performance.now() - t) });
    const flag = path.join(config.flagDir, `webview-${index}.done`);
    const deadline = Date.now() + 180_000;
    while (!fs.existsSync(flag)) {
      if (Date.now() > deadline)
        throw new Error(`webview bench: no ${path.basename(flag)} from scripts/bench.mjs within 180 s`);
      await sleep(20);
    }
    // The host's side of the opening: VS Code asked for the view (resolvedMs), the page was written (pageWrittenMs).
    const opening = (api.sidebar as { provider?: { lastOpening?: { resolvedAt: number; pageWrittenAt: number } } })
      .provider?.lastOpening;
    if (opening)
      emit('webviewHostParts', {
        round: index,
        resolvedMs: opening.resolvedAt - startedAt,
        pageWrittenMs: opening.pageWrittenAt - startedAt,
      });
    await vscode.commands.executeCommand('workbench.view.explorer');
    await sleep(Number(process.env.BENCH_WEBVIEW_GAP_MS ?? 1000));
  }
  // What serving the views (pages, thumbnails, a scroll through everything) left in the extension host.
  const heapAfter = await settledMemory(gc);
  emit('galleryHostHeap', {
    gc: !!gc,
    beforeMB: mb(heapBefore.heapUsed),
    afterMB: mb(heapAfter.heapUsed),
    growthMB: mb(heapAfter.heapUsed - heapBefore.heapUsed),
    arrayBuffersGrowthMB: mb(heapAfter.arrayBuffers - heapBefore.arrayBuffers),
  });
  emit('done', {});
}
