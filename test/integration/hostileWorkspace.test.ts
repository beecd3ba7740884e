// Hostile repositories and damaged state (issue 11), in the real extension host: what a repository can plant
// (symbolic links, workspace settings, an environment key) and what a fault does to the gallery file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import { saveImageFile, writeNewFileIfAbsent } from '../../src/links/imageFiles';
import { describeFailure } from '../../src/common/errorMessages';
import { Gallery, type RecordedImage } from '../../src/gallery/gallery';
import type { FileEvents } from '../../src/gallery/imageChecks';
import { fileGalleryPersistence } from '../../src/gallery/galleryPersistence';
import { Settings } from '../../src/common/settings';
import {
  activateExtension,
  closeAllEditors,
  removeAssets,
  type TestingApi,
  useFakeSegmind,
  waitFor,
  workspaceFolder,
} from './helpers';
// The commands' result, as the extension declares it (a renamed field fails here at compile time).
import type { GenerateImageResult as Result } from '../../src/generation/paletteResults';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);

const root = () => workspaceFolder().uri.fsPath;
/** A folder beside the workspace folder: "outside", where a hostile link points. */
const outside = () => path.join(path.dirname(root()), `outside-${path.basename(root())}`);
const listRecursive = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).sort() : [];

async function generate(prompt: string, options: Record<string, unknown> = {}): Promise<Result | undefined> {
  return vscode.commands.executeCommand<Result>('ideogram.generateImage', { prompt, options });
}

/** Writes the workspace's .vscode/settings.json as a repository would (not through the API) and waits until VS Code read it. */
async function plantWorkspaceSettings(settings: Record<string, unknown>): Promise<void> {
  const file = path.join(root(), '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const marker = `marker-${Date.now()}`;
  fs.writeFileSync(file, JSON.stringify({ ...settings, 'ideogram.assetsFolder': marker }, null, 2));
  await waitFor(
    () => vscode.workspace.getConfiguration('ideogram').get('assetsFolder') === marker,
    'VS Code to read the planted settings',
    20_000,
  );
  // The marker only proved the file was read; the real test settings now, without it.
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  await waitFor(
    () => vscode.workspace.getConfiguration('ideogram').get('assetsFolder') !== marker,
    'VS Code to read the settings again',
    20_000,
  );
}

async function removeWorkspaceSettings(): Promise<void> {
  const file = path.join(root(), '.vscode', 'settings.json');
  if (!fs.existsSync(file)) return;
  fs.writeFileSync(file, '{}');
  await waitFor(
    () => vscode.workspace.getConfiguration('ideogram').inspect('defaultNegativePrompt')?.workspaceValue === undefined,
    'the settings cleared',
    20_000,
  );
}

describe('a hostile repository', () => {
  let api: TestingApi;
  let fake: FakeSegmind;

  before(async () => {
    api = await activateExtension();
    fake = await useFakeSegmind();
  });
  after(async () => {
    await fake.close();
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
    await removeWorkspaceSettings();
  });
  beforeEach(async () => {
    fake.reset();
    await api.keys.store('hostile-test-key');
    await removeAssets();
    fs.rmSync(outside(), { recursive: true, force: true });
    fs.mkdirSync(outside(), { recursive: true });
    await closeAllEditors();
  });
  afterEach(async () => {
    for (const name of ['assets', 'linked', 'real-assets'])
      fs.rmSync(path.join(root(), name), { recursive: true, force: true });
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('assetsFolder', undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(outside(), { recursive: true, force: true });
  });

  describe('symbolic links out of the workspace (git recreates them on clone)', () => {
    /** The generation is refused before anything is sent: no request, nothing outside, a message naming the link. */
    async function expectRefused(prompt: string, link: string): Promise<void> {
      const result = await generate(prompt);
      assert.strictEqual(result, undefined, 'no image');
      assert.strictEqual(
        fake.requests.filter(
          (request) => request.method === 'POST' && /^\/v[12]\/ideogram-txt-2-img$/.test(request.path),
        ).length,
        0,
        'nothing was sent, so nothing was billed',
      );
      assert.deepStrictEqual(listRecursive(outside()), [], 'nothing was written outside the workspace');
      const failure = api.recentFailures().at(-1); // newest last
      assert.ok(
        failure && failure.message.includes('symbolic link'),
        `the message is about the link: ${failure?.message}`,
      );
      assert.ok(
        failure.message.includes(`: ${link} is a symbolic link`),
        `the message names ${link}: ${failure.message}`,
      );
      assert.ok(failure.actions.length > 0, 'with an action');
    }

    it('an assets link to a folder outside: refused before generating, with a message naming the link', async () => {
      fs.symlinkSync(outside(), path.join(root(), 'assets'), 'dir');
      await expectRefused('A lighthouse behind a link', 'assets');
    });

    it('a link further up (the folder the assets setting names is under it) is refused, and no folder is created outside', async () => {
      fs.symlinkSync(outside(), path.join(root(), 'linked'), 'dir');
      await vscode.workspace
        .getConfiguration('ideogram')
        .update('assetsFolder', 'linked/images/new', vscode.ConfigurationTarget.Workspace);
      await expectRefused('A gull behind a deeper link', 'linked');
    });

    it('a link to nothing (its target would be created by mkdir) is refused too', async () => {
      const target = path.join(outside(), 'does', 'not', 'exist');
      fs.symlinkSync(target, path.join(root(), 'assets'), 'dir');
      await expectRefused('A dangling link', 'assets');
      assert.ok(!fs.existsSync(target), "the link's target was not created");
    });

    it('a link planted after the check (while the image was generated) still gets nothing: the save refuses it too', async () => {
      fs.symlinkSync(outside(), path.join(root(), 'assets'), 'dir');
      await assert.rejects(
        saveImageFile(vscode.Uri.joinPath(workspaceFolder().uri, 'assets'), 'Too late for a link', 'jpg', JPEG),
        (error: unknown) =>
          /is a symbolic link that leads outside the workspace folder/.test(describeFailure(error).message),
      );
      assert.deepStrictEqual(listRecursive(outside()), []);
    });

    it('a link that stays inside the workspace folder is fine: the image and its recipe land in its target', async () => {
      fs.mkdirSync(path.join(root(), 'real-assets'));
      fs.symlinkSync(path.join(root(), 'real-assets'), path.join(root(), 'assets'), 'dir');
      const result = await generate('A lighthouse behind an inner link');
      assert.ok(result);
      assert.strictEqual(path.dirname(vscode.Uri.parse(result.uri).fsPath), path.join(root(), 'assets'));
      await waitFor(
        () => fs.readdirSync(path.join(root(), 'real-assets')).some((name) => name.endsWith('.ideogram.json')),
        'the recipe next to the image',
      );
      assert.strictEqual(
        fs.readdirSync(path.join(root(), 'real-assets')).filter((name) => name.endsWith('.jpg')).length,
        1,
      );
    });

    it('a recipe is never written over an existing file or through a planted link', async () => {
      const folder = path.join(root(), 'assets');
      fs.mkdirSync(folder, { recursive: true });
      const victim = path.join(outside(), 'victim.sh');
      fs.symlinkSync(victim, path.join(folder, 'planted.ideogram.json'));
      assert.strictEqual(
        await writeNewFileIfAbsent(
          vscode.Uri.file(path.join(folder, 'planted.ideogram.json')),
          new TextEncoder().encode('attacker text'),
        ),
        false,
      );
      assert.ok(!fs.existsSync(victim), 'the link was not followed');
      fs.writeFileSync(path.join(folder, 'existing.ideogram.json'), "the user's own file");
      assert.strictEqual(
        await writeNewFileIfAbsent(
          vscode.Uri.file(path.join(folder, 'existing.ideogram.json')),
          new TextEncoder().encode('new'),
        ),
        false,
      );
      assert.strictEqual(fs.readFileSync(path.join(folder, 'existing.ideogram.json'), 'utf8'), "the user's own file");
      assert.strictEqual(
        await writeNewFileIfAbsent(
          vscode.Uri.file(path.join(folder, 'fresh.ideogram.json')),
          new TextEncoder().encode('{}'),
        ),
        true,
      );
      assert.strictEqual(fs.readFileSync(path.join(folder, 'fresh.ideogram.json'), 'utf8'), '{}');
      assert.deepStrictEqual(
        fs.readdirSync(folder).filter((name) => name.endsWith('.partial')),
        [],
        'no temporary leftovers',
      );
    });
  });

  describe('saving falls back to workspace.fs only where there are no hard links', () => {
    const realLink = fs.promises.link;
    afterEach(() => {
      fs.promises.link = realLink;
    });

    it("another failure of Node's file system is reported as it is, not retried through a path that overwrites", async () => {
      const folder = vscode.Uri.joinPath(workspaceFolder().uri, 'assets');
      fs.promises.link = async () => {
        throw Object.assign(new Error('EIO: i/o error, link'), { code: 'EIO' });
      };
      await assert.rejects(saveImageFile(folder, 'An I/O error', 'jpg', JPEG), /EIO/);
      assert.deepStrictEqual(fs.readdirSync(folder.fsPath), [], 'no image and no temporary file left');
    });

    it('a file system without hard links (EPERM from link) still gets the image, through workspace.fs', async () => {
      const folder = vscode.Uri.joinPath(workspaceFolder().uri, 'assets');
      fs.promises.link = async () => {
        throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
      };
      const saved = await saveImageFile(folder, 'No hard links here', 'jpg', JPEG);
      assert.deepStrictEqual([...fs.readFileSync(saved.fsPath)], [...JPEG]);
      assert.deepStrictEqual(fs.readdirSync(folder.fsPath), [path.basename(saved.fsPath)], 'no temporary leftovers');
    });
  });

  describe('workspace settings', () => {
    afterEach(removeWorkspaceSettings);

    it("a workspace's 1-second timeout is ignored: a 3-second answer is still received (not billed and lost)", async function () {
      this.timeout(60_000);
      await plantWorkspaceSettings({ 'ideogram.requestTimeoutSeconds': 1 });
      fake.configure({ latencyMs: 3_000 });
      const result = await generate('A slow but fine lighthouse');
      assert.ok(result, 'the image arrived');
      assert.deepStrictEqual(
        [...fs.readFileSync(vscode.Uri.parse(result.uri).fsPath).subarray(0, 3)],
        [0xff, 0xd8, 0xff],
      );
    });

    it('a default negative prompt longer than the cap is not sent; a normal one from a trusted workspace is', async () => {
      await plantWorkspaceSettings({ 'ideogram.defaultNegativePrompt': 'x'.repeat(5000) });
      await generate('A lighthouse, no giant negative prompt');
      const sent = fake.requests.filter(
        (request) => request.method === 'POST' && /^\/v[12]\/ideogram-txt-2-img$/.test(request.path),
      );
      assert.strictEqual((sent[0]?.json as { negative_prompt?: string }).negative_prompt, undefined);
      await plantWorkspaceSettings({ 'ideogram.defaultNegativePrompt': 'blurry, watermark' });
      await generate('A lighthouse with a sane negative prompt');
      const again = fake.requests.filter(
        (request) => request.method === 'POST' && /^\/v[12]\/ideogram-txt-2-img$/.test(request.path),
      );
      assert.strictEqual((again[1]?.json as { negative_prompt?: string }).negative_prompt, 'blurry, watermark');
    });
  });

  describe('the IDEOGRAM_API_KEY environment variable', () => {
    const previous = process.env.IDEOGRAM_API_KEY;
    after(() => {
      if (previous === undefined) delete process.env.IDEOGRAM_API_KEY;
      else process.env.IDEOGRAM_API_KEY = previous;
    });

    it('is used in a trusted workspace while SecretStorage has no key, and the log says so', async () => {
      process.env.IDEOGRAM_API_KEY = 'env-planted-key-0123'; // as the extension host's environment would have it from the start
      await api.keys.clear();
      assert.ok(
        vscode.workspace.isTrusted,
        'the integration workspace is trusted (Restricted Mode: test/e2e/restrictedMode.e2e.mjs)',
      );
      const result = await generate('A lighthouse paid with the environment key');
      assert.ok(result);
      const sent = fake.requests.filter(
        (request) => request.method === 'POST' && /^\/v[12]\/ideogram-txt-2-img$/.test(request.path),
      );
      assert.strictEqual(sent[0]?.headers['x-api-key'], 'env-planted-key-0123');
      const logFolder = path.dirname(api.logUri.fsPath);
      const logs = fs
        .readdirSync(logFolder, { recursive: true })
        .map(String)
        .filter((file) => /Ideogram/i.test(file));
      await waitFor(
        () =>
          logs.some((file) => {
            const full = path.join(logFolder, file);
            return (
              fs.statSync(full).isFile() &&
              fs.readFileSync(full, 'utf8').includes('Using the API key from the IDEOGRAM_API_KEY environment variable')
            );
          }),
        'the log line about the environment key',
      );
      delete process.env.IDEOGRAM_API_KEY;
      await api.keys.clear(); // forget the environment's key for the tests that follow
    });
  });
});

describe('the gallery file under faults (history is user data)', () => {
  let storage: string;
  let gallery: Gallery | undefined;
  const log = vscode.window.createOutputChannel('Ideogram gallery test', { log: true });
  const imagesDir = () => path.join(root(), 'gallery-fault-images');

  function entry(id: string, file: string, minutes = 0): Record<string, unknown> {
    const uri = file.includes('%')
      ? `${vscode.Uri.file(imagesDir()).toString()}/${file}`
      : vscode.Uri.file(path.join(imagesDir(), file)).toString();
    return {
      id,
      imageUri: uri,
      prompt: `Prompt of ${id}`,
      request: {
        prompt: `Prompt of ${id}`,
        magic_prompt_option: 'AUTO',
        resolution: 'RESOLUTION_1024_1024',
        style_type: 'GENERAL',
      },
      createdAt: new Date(Date.UTC(2026, 10, 20, 10, minutes)).toISOString(),
    };
  }
  const documentOf = (entries: unknown[]) => ({ format: 'ideogram-gallery', version: 1, entries });
  const galleryFile = () => path.join(storage, 'gallery.json');
  const shownIds = async (target: Gallery) => (await target.query('', 0, 100)).items.map((item) => item.id);
  const storedIds = () =>
    (JSON.parse(fs.readFileSync(galleryFile(), 'utf8')) as { entries: Array<{ id: string }> }).entries.map(
      (item) => item.id,
    );
  function open(events?: FileEvents): Gallery {
    gallery?.dispose();
    gallery = new Gallery(
      fileGalleryPersistence(vscode.Uri.file(storage)),
      log,
      new Settings(log),
      events && (() => events),
    );
    return gallery;
  }
  /** File events the test sends itself, in the shape it chooses (each file, or only their folder). */
  function scriptedEvents() {
    const created = new vscode.EventEmitter<vscode.Uri>();
    const deleted = new vscode.EventEmitter<vscode.Uri>();
    const changed = new vscode.EventEmitter<vscode.Uri>();
    const events: FileEvents = {
      onDidCreate: created.event,
      onDidDelete: deleted.event,
      onDidChange: changed.event,
      dispose: () => {
        created.dispose();
        deleted.dispose();
        changed.dispose();
      },
    };
    return { events, created, deleted, changed };
  }
  /**
   * Waits until the workspace watcher has delivered everything before now (beforeEach created the folder): VS Code
   * coalesces a create and a delete of one path in the same batch into nothing, which would swallow the checkout.
   */
  async function watcherCaughtUp(): Promise<void> {
    const probe = path.join(imagesDir(), `probe-${Date.now()}.txt`);
    // A glob, not a RelativePattern: the same workspace watcher, in the same order, as the gallery's.
    const watcher = vscode.workspace.createFileSystemWatcher('**/gallery-fault-images/probe-*.txt', false, true, true);
    try {
      const seen = new Promise<void>((resolve) =>
        watcher.onDidCreate((uri) => {
          if (uri.fsPath === probe) resolve();
        }),
      );
      // The watcher may start after the first write: write again until it has seen the probe.
      await waitFor(
        async () => {
          fs.writeFileSync(probe, String(Date.now()));
          return Promise.race([
            seen.then(() => true),
            new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 500)),
          ]);
        },
        'the file watcher to report a probe file',
        30_000,
      );
    } finally {
      watcher.dispose();
      fs.rmSync(probe, { force: true });
    }
  }
  function saved(file: string): RecordedImage {
    const uri = vscode.Uri.file(path.join(imagesDir(), file));
    fs.writeFileSync(uri.fsPath, JPEG);
    return {
      uri,
      prompt: 'A new image',
      createdAt: new Date(),
      image: {
        bytes: JPEG,
        type: { format: 'jpeg', extension: 'jpg', mimeType: 'image/jpeg' },
        delivery: 'binary',
        seed: 5,
        request: {
          model: 'ideogram-txt-2-img',
          prompt: 'A new image',
          magic_prompt_option: 'AUTO',
          resolution: 'RESOLUTION_1024_1024',
          style_type: 'GENERAL',
        },
      },
    };
  }

  beforeEach(() => {
    storage = fs.mkdtempSync(path.join(path.dirname(root()), 'gallery-storage-'));
    fs.rmSync(imagesDir(), { recursive: true, force: true });
    fs.mkdirSync(imagesDir(), { recursive: true });
    for (const file of ['a.jpg', 'b.jpg', 'c.jpg']) fs.writeFileSync(path.join(imagesDir(), file), JPEG);
  });
  afterEach(async () => {
    await gallery?.flush();
    gallery?.dispose();
    gallery = undefined;
    fs.rmSync(storage, { recursive: true, force: true });
    fs.rmSync(imagesDir(), { recursive: true, force: true });
  });
  after(() => {
    log.dispose();
  });

  it('one entry with a bad % escape costs nothing: the others show, and a new image is recorded (not reported as failed)', async () => {
    fs.writeFileSync(
      galleryFile(),
      JSON.stringify(documentOf([entry('good', 'a.jpg', 2), entry('percent', 'bad%E0%A4%A.jpg', 1)])),
    );
    const target = open();
    assert.deepStrictEqual((await shownIds(target)).includes('good'), true);
    void target.recordGeneration(saved('new.jpg'));
    const recorded = await target.entryFor(vscode.Uri.file(path.join(imagesDir(), 'new.jpg')));
    assert.ok(recorded, 'the new image has its gallery entry');
    await target.flush();
    assert.ok(storedIds().includes(recorded.id));
    assert.ok(storedIds().includes('percent'), 'the odd entry is kept in the file');
  });

  it('a gallery file cut off mid-write is kept, what parses is salvaged, and the next save does not lose it', async () => {
    const full = JSON.stringify(
      documentOf([entry('newest', 'a.jpg', 3), entry('middle', 'b.jpg', 2), entry('oldest', 'c.jpg', 1)]),
    );
    const truncated = full.slice(0, full.indexOf('"oldest"') + 5);
    fs.writeFileSync(galleryFile(), truncated);
    const target = open();
    await target.load();
    assert.deepStrictEqual(await shownIds(target), ['newest', 'middle']);
    const kept = fs.readdirSync(storage).filter((name) => name.startsWith('gallery.damaged-'));
    assert.strictEqual(kept.length, 1, `the damaged file is kept (${fs.readdirSync(storage).join(', ')})`);
    assert.strictEqual(fs.readFileSync(path.join(storage, kept[0]), 'utf8'), truncated, 'byte for byte');
    void target.recordGeneration(saved('new.jpg'));
    await target.entryFor(vscode.Uri.file(path.join(imagesDir(), 'new.jpg')));
    await target.flush();
    assert.deepStrictEqual(storedIds().slice(1), ['newest', 'middle'], 'the salvaged history survives the next save');
  });

  it('images that vanish in a checkout are hidden, not forgotten, and come back with the files', async function () {
    this.timeout(60_000);
    fs.writeFileSync(galleryFile(), JSON.stringify(documentOf([entry('a', 'a.jpg', 3), entry('b', 'b.jpg', 2)])));
    const target = open();
    await target.load();
    assert.deepStrictEqual(await shownIds(target), ['a', 'b']);
    const changes: string[][] = [];
    target.onDidChange(({ removedIds }) => changes.push(removedIds));
    await watcherCaughtUp();
    fs.rmSync(imagesDir(), { recursive: true, force: true }); // `git checkout` of a branch without them
    await waitFor(
      () => changes.flat().includes('a') && changes.flat().includes('b'),
      'the entries to leave the gallery view',
      20_000,
    );
    assert.deepStrictEqual(await shownIds(target), []);
    await target.flush();
    assert.deepStrictEqual(storedIds(), ['a', 'b'], 'the stored history keeps them');
    fs.mkdirSync(imagesDir(), { recursive: true }); // `git checkout` back
    for (const file of ['a.jpg', 'b.jpg']) fs.writeFileSync(path.join(imagesDir(), file), JPEG);
    await waitFor(async () => (await target.query('', 0, 100)).items.length === 2, 'the entries to come back', 20_000);
  });

  for (const shape of ['only the folder', 'each file'] as const) {
    it(`a checkout counts for every image under the folder when the watcher reports ${shape}, files coming after the folder`, async function () {
      this.timeout(60_000);
      fs.writeFileSync(
        galleryFile(),
        JSON.stringify(documentOf([entry('a', 'a.jpg', 3), entry('b', 'b.jpg', 2), entry('c', 'c.jpg', 1)])),
      );
      const { events, created, deleted } = scriptedEvents();
      const target = open(events);
      await target.load();
      assert.deepStrictEqual(await shownIds(target), ['a', 'b', 'c']);
      const changes: string[][] = [];
      target.onDidChange(({ removedIds }) => changes.push(removedIds));
      const files = ['a.jpg', 'b.jpg', 'c.jpg'].map((file) => vscode.Uri.file(path.join(imagesDir(), file)));
      const folder = vscode.Uri.file(imagesDir());

      fs.rmSync(imagesDir(), { recursive: true, force: true });
      for (const uri of shape === 'each file' ? files : [folder]) deleted.fire(uri);
      await waitFor(
        () => ['a', 'b', 'c'].every((id) => changes.flat().includes(id)),
        'every entry under the folder to leave the view',
        20_000,
      );
      await target.flush();
      assert.deepStrictEqual(storedIds(), ['a', 'b', 'c'], 'the stored history keeps them');

      // The checkout back: the folder's create event comes before its files are written.
      fs.mkdirSync(imagesDir(), { recursive: true });
      created.fire(folder);
      if (shape === 'each file') {
        for (const uri of files) {
          fs.writeFileSync(uri.fsPath, JPEG);
          created.fire(uri);
        }
      } else {
        await new Promise((resolve) => setTimeout(resolve, 200)); // the files land after the folder was looked at
        for (const uri of files) fs.writeFileSync(uri.fsPath, JPEG);
      }
      await waitFor(
        async () => (await target.query('', 0, 100)).items.length === 3,
        'every entry to come back',
        20_000,
      );
      assert.deepStrictEqual(await shownIds(target), ['a', 'b', 'c']);
    });
  }

  it('a checkout away and back that the watcher reports as a change of the folder (a delete and a create flattened) brings the entries back', async function () {
    this.timeout(60_000);
    fs.writeFileSync(galleryFile(), JSON.stringify(documentOf([entry('a', 'a.jpg', 2), entry('b', 'b.jpg', 1)])));
    const { events, deleted, changed } = scriptedEvents();
    const target = open(events);
    await target.load();
    const folder = vscode.Uri.file(imagesDir());
    fs.rmSync(imagesDir(), { recursive: true, force: true });
    deleted.fire(folder);
    await waitFor(async () => (await target.query('', 0, 100)).items.length === 0, 'the entries hidden');
    // Back before the watcher's batch went out: VS Code sends the folder's delete and create as one change.
    fs.mkdirSync(imagesDir(), { recursive: true });
    for (const file of ['a.jpg', 'b.jpg']) fs.writeFileSync(path.join(imagesDir(), file), JPEG);
    changed.fire(folder);
    await waitFor(async () => (await target.query('', 0, 100)).items.length === 2, 'the entries to come back', 20_000);
    assert.deepStrictEqual(await shownIds(target), ['a', 'b']);
  });

  it('the gallery file is replaced atomically: a reader never finds it missing, even while it is rewritten again and again', async function () {
    this.timeout(60_000);
    fs.writeFileSync(galleryFile(), JSON.stringify(documentOf([entry('a', 'a.jpg')])));
    const target = open();
    await target.load();
    let reading = true;
    let reads = 0;
    const failures: string[] = [];
    const reader = (async () => {
      while (reading) {
        try {
          JSON.parse(await fs.promises.readFile(galleryFile(), 'utf8'));
          reads++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    })();
    for (let index = 0; index < 40; index++) {
      void target.recordGeneration(saved(`n${index}.jpg`));
      await target.entryFor(vscode.Uri.file(path.join(imagesDir(), `n${index}.jpg`)));
      await target.flush();
    }
    reading = false;
    await reader;
    assert.deepStrictEqual(failures, [], `${failures.length} of ${reads + failures.length} reads failed`);
    assert.strictEqual(storedIds().length, 41);
    assert.deepStrictEqual(
      fs.readdirSync(storage).filter((name) => name.includes('.partial')),
      [],
      'no temporary files left',
    );
  });
});
