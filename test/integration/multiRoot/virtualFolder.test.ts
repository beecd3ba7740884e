// Issue 11's link check on a workspace folder that is not on the extension host's disk (a virtual or remote file
// system: src/links/imageFiles.ts's workspace.fs branch, which has no realpath and refuses any symbolic link on the way).
// It runs in the multi-root pass because a folder can be added there without restarting the extension host (in a
// single-folder window, adding one turns it into a workspace, which reloads the web workbench and ends the run).
// The folder is served by a small in-memory FileSystemProvider of this test whose `assets` can be a symbolic link.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../../fake-segmind/server';
import { activateExtension, closeAllEditors, type TestingApi, useFakeSegmind, waitFor } from '../helpers';
// The commands' result, as the extension declares it (a renamed field fails here at compile time).
import type { GenerateImageResult as Result } from '../../../src/generation/paletteResults';

const SCHEME = 'ideogram-test-virtual';

interface Entry {
  type: vscode.FileType;
  data?: Uint8Array;
  mtime: number;
}

/** An in-memory file system; a path can be marked a symbolic link to a folder (stat says SymbolicLink | Directory). */
class VirtualFileSystem implements vscode.FileSystemProvider {
  readonly entries = new Map<string, Entry>([['/', { type: vscode.FileType.Directory, mtime: Date.now() }]]);
  readonly #changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.#changed.event;

  #get(uri: vscode.Uri): Entry {
    const entry = this.entries.get(uri.path.replace(/\/$/, '') || '/');
    if (!entry) throw vscode.FileSystemError.FileNotFound(uri);
    return entry;
  }
  #parent(uri: vscode.Uri): void {
    const parent = uri.path.slice(0, uri.path.lastIndexOf('/')) || '/';
    if (!this.entries.has(parent)) throw vscode.FileSystemError.FileNotFound(uri.with({ path: parent }));
  }
  add(path: string, type: vscode.FileType, data?: Uint8Array): void {
    this.entries.set(path, { type, data, mtime: Date.now() });
  }
  files(under: string): string[] {
    return [...this.entries.keys()]
      .filter((path) => path.startsWith(`${under}/`) && this.entries.get(path)?.type === vscode.FileType.File)
      .sort();
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    const entry = this.#get(uri);
    return { type: entry.type, ctime: entry.mtime, mtime: entry.mtime, size: entry.data?.byteLength ?? 0 };
  }
  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const prefix = `${uri.path.replace(/\/$/, '')}/`;
    return [...this.entries]
      .filter(([path]) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/') && path !== prefix)
      .map(([path, entry]) => [path.slice(prefix.length), entry.type]);
  }
  createDirectory(uri: vscode.Uri): void {
    this.#parent(uri);
    if (!this.entries.has(uri.path)) this.add(uri.path, vscode.FileType.Directory);
  }
  readFile(uri: vscode.Uri): Uint8Array {
    const entry = this.#get(uri);
    if (entry.type !== vscode.FileType.File || !entry.data) throw vscode.FileSystemError.FileIsADirectory(uri);
    return entry.data;
  }
  writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): void {
    this.#parent(uri);
    const existing = this.entries.get(uri.path);
    if (existing && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    if (!existing && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    this.add(uri.path, vscode.FileType.File, content);
    this.#changed.fire([{ type: existing ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }
  delete(uri: vscode.Uri): void {
    this.#get(uri);
    for (const path of [...this.entries.keys()])
      if (path === uri.path || path.startsWith(`${uri.path}/`)) this.entries.delete(path);
    this.#changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }
  rename(from: vscode.Uri, to: vscode.Uri, options: { overwrite: boolean }): void {
    const entry = this.#get(from);
    this.#parent(to);
    if (this.entries.has(to.path) && !options.overwrite) throw vscode.FileSystemError.FileExists(to);
    this.entries.delete(from.path);
    this.entries.set(to.path, entry);
    this.#changed.fire([
      { type: vscode.FileChangeType.Deleted, uri: from },
      { type: vscode.FileChangeType.Created, uri: to },
    ]);
  }
}

describe('A workspace folder on another file system (workspace.fs, no realpath)', () => {
  const virtual = new VirtualFileSystem();
  const root = vscode.Uri.from({ scheme: SCHEME, path: '/project' });
  let api: TestingApi;
  let fake: FakeSegmind;
  let registration: vscode.Disposable;

  before(async () => {
    await waitFor(
      () => (vscode.workspace.workspaceFolders?.length ?? 0) >= 2 || undefined,
      'the folders of the .code-workspace',
      20_000,
    );
    api = await activateExtension();
    await api.keys.store('virtual-folder-key');
    fake = await useFakeSegmind();
    registration = vscode.workspace.registerFileSystemProvider(SCHEME, virtual, { isCaseSensitive: true });
    virtual.add('/project', vscode.FileType.Directory);
    virtual.add('/project/docs', vscode.FileType.Directory);
    virtual.add('/project/docs/page.md', vscode.FileType.File, new TextEncoder().encode('# Virtual\n\n'));
    const count = vscode.workspace.workspaceFolders?.length ?? 0;
    // Added last, so the first folder (and the extension host) stays.
    assert.ok(
      vscode.workspace.updateWorkspaceFolders(count, 0, { uri: root, name: 'virtual' }),
      'the folder can be added',
    );
    await waitFor(
      () => vscode.workspace.getWorkspaceFolder(root) ?? undefined,
      'the virtual folder in the workspace',
      20_000,
    );
  });
  after(async () => {
    await closeAllEditors();
    const index = vscode.workspace.getWorkspaceFolder(root)?.index;
    if (index !== undefined) {
      vscode.workspace.updateWorkspaceFolders(index, 1);
      await waitFor(
        () => !vscode.workspace.getWorkspaceFolder(root) || undefined,
        'the virtual folder removed',
        20_000,
      );
    }
    registration?.dispose();
    await fake?.close();
  });
  beforeEach(() => {
    fake.reset();
    for (const path of [...virtual.entries.keys()])
      if (path === '/project/assets' || path.startsWith('/project/assets/')) virtual.entries.delete(path);
  });

  async function generateHere(prompt: string): Promise<Result | undefined> {
    const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(root, 'docs', 'page.md'));
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    return vscode.commands.executeCommand<Result>('ideogram.insertImage', { prompt });
  }
  const billed = () =>
    fake.requests.filter((request) => request.method === 'POST' && /^\/v[12]\/ideogram-txt-2-img$/.test(request.path))
      .length;

  it('an assets folder that is a symbolic link is refused before anything is billed, with a message naming it', async () => {
    virtual.add('/project/assets', vscode.FileType.SymbolicLink | vscode.FileType.Directory);
    const result = await generateHere('A gull behind a virtual link');
    assert.strictEqual(result, undefined, 'no image');
    assert.strictEqual(billed(), 0, 'nothing was sent, so nothing was billed');
    assert.deepStrictEqual(virtual.files('/project/assets'), [], 'nothing written through the link');
    const failure = api.recentFailures().at(-1);
    assert.ok(failure, 'a message was shown');
    assert.ok(
      failure.message.startsWith(
        'Nothing was saved in virtual/assets: virtual/assets is a symbolic link that leads outside the workspace folder "virtual".',
      ),
      failure.message,
    );
    assert.ok(failure.actions.length > 0, `with an action: ${failure.actions.join(', ')}`);
  });

  it('without a link the image is saved through workspace.fs into the folder, and linked relatively', async () => {
    const result = await generateHere('A gull in a virtual folder');
    assert.ok(result?.inserted, 'saved and inserted');
    const saved = vscode.Uri.parse(result.uri);
    assert.strictEqual(saved.scheme, SCHEME);
    assert.deepStrictEqual(
      virtual.files('/project/assets').filter((path) => path.endsWith('.jpg')),
      [saved.path],
      'exactly the image, no temporary file left',
    );
    const bytes = await vscode.workspace.fs.readFile(saved);
    assert.deepStrictEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
    assert.strictEqual(billed(), 1);
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(
      document
        ?.getText()
        .endsWith(`![A gull in a virtual folder](../assets/${saved.path.slice(saved.path.lastIndexOf('/') + 1)})`),
      document?.getText(),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('a second image with the same name gets the next free name; the first is never overwritten (rename without overwrite)', async () => {
    const settings = vscode.workspace.getConfiguration('ideogram');
    await settings.update('fileNameTemplate', '${prompt}', vscode.ConfigurationTarget.Global);
    try {
      const first = await generateHere('A gull twice');
      assert.ok(first?.inserted, 'the first saved');
      const firstUri = vscode.Uri.parse(first.uri);
      assert.strictEqual(firstUri.path, '/project/assets/a-gull-twice.jpg');
      const original = Buffer.from(virtual.readFile(firstUri));
      fake.reset();
      const second = await generateHere('A gull twice');
      assert.ok(second?.inserted, 'the second saved');
      assert.strictEqual(vscode.Uri.parse(second.uri).path, '/project/assets/a-gull-twice-1.jpg');
      assert.deepStrictEqual(Buffer.from(virtual.readFile(firstUri)), original, 'the first image untouched');
      // The recipe sidecars are written after the image (through a temporary file of their own): wait for them.
      await waitFor(
        () => virtual.files('/project/assets').includes('/project/assets/a-gull-twice-1.ideogram.json') || undefined,
        'the second recipe sidecar',
      );
      assert.deepStrictEqual(
        virtual.files('/project/assets'),
        [
          '/project/assets/a-gull-twice-1.ideogram.json',
          '/project/assets/a-gull-twice-1.jpg',
          '/project/assets/a-gull-twice.ideogram.json',
          '/project/assets/a-gull-twice.jpg',
        ],
        'both images and their recipes, no temporary file left',
      );
    } finally {
      await settings.update('fileNameTemplate', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
