// Nothing leaked: after successful and failing generations, the API key appears nowhere a user, a log
// reader or another extension could see it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import { activateExtension, removeAssets, useFakeSegmind, workspaceFolder } from './helpers';

const KEY = 'SG_leakcheck_7f3a9b2c4d';

interface LeakTestingApi {
  keys: { store(key: string): Promise<void> };
  recentFailures(): ReadonlyArray<{ message: string; actions: string[] }>;
  logUri: vscode.Uri;
  globalStorageUri: vscode.Uri;
  state: { workspace: vscode.Memento; global: vscode.Memento };
}

/** Every file below `folder`, recursively (missing folders give nothing). */
async function filesBelow(folder: vscode.Uri): Promise<vscode.Uri[]> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [];
  }
  const files: vscode.Uri[] = [];
  for (const [name, type] of entries) {
    const child = vscode.Uri.joinPath(folder, name);
    if (type === vscode.FileType.Directory) files.push(...await filesBelow(child));
    else if (type === vscode.FileType.File) files.push(child);
  }
  return files;
}

async function filesContainingKey(files: vscode.Uri[]): Promise<string[]> {
  const hits: string[] = [];
  for (const file of files) {
    const bytes = await vscode.workspace.fs.readFile(file).then((data) => Buffer.from(data), () => Buffer.alloc(0));
    if (bytes.includes(KEY) || bytes.includes(Buffer.from(KEY, 'utf16le'))) hits.push(file.toString(true));
  }
  return hits;
}

describe('Nothing leaked: the API key stays in SecretStorage', function () {
  this.timeout(60_000);
  let api: LeakTestingApi;
  let fake: FakeSegmind;

  before(async () => {
    api = await activateExtension() as unknown as LeakTestingApi;
    fake = await useFakeSegmind();
    await api.keys.store(KEY);
    await removeAssets();
    await vscode.commands.executeCommand('ideogram.generateImage', { prompt: 'Leak check success' });
    for (const status of [400, 401, 403, 406, 422, 500]) {
      fake.failNext(status);
      await vscode.commands.executeCommand('ideogram.generateImage', { prompt: `Leak check ${status}` });
    }
    fake.faultNext('reset-mid-body');
    await vscode.commands.executeCommand('ideogram.generateImage', { prompt: 'Leak check network' });
    fake.faultNext('not-an-image');
    await vscode.commands.executeCommand('ideogram.generateImage', { prompt: 'Leak check not an image' });
    // Give the log channel time to flush to disk.
    await new Promise((resolve) => setTimeout(resolve, 1500));
  });
  after(async () => {
    await fake.close();
    await removeAssets();
  });

  it('sent the key to the API (so the scan below is meaningful)', () => {
    assert.ok(fake.requests.some((request) => request.headers['x-api-key'] === KEY));
  });

  it('is not in any message shown to the user', () => {
    const messages = api.recentFailures().map((failure) => `${failure.message} ${failure.actions.join(' ')}`);
    assert.ok(messages.length >= 7, `the failures were shown (${messages.length})`);
    for (const message of messages) assert.ok(!message.includes(KEY), message);
  });

  it('is not in any setting, user or workspace', async () => {
    const userSettings = vscode.Uri.joinPath(api.globalStorageUri, '..', '..', 'settings.json');
    const workspaceSettings = vscode.Uri.joinPath(workspaceFolder().uri, '.vscode', 'settings.json');
    assert.deepStrictEqual(await filesContainingKey([userSettings, workspaceSettings]), []);
    const inspected = JSON.stringify(vscode.workspace.getConfiguration('ideogram'));
    assert.ok(!inspected.includes(KEY));
  });

  it('is not in the log or any other file of the extension host logs', async () => {
    const logFolder = vscode.Uri.joinPath(api.logUri, '..');
    const logFiles = await filesBelow(logFolder);
    assert.ok(logFiles.some((file) => /Ideogram/i.test(file.path)), `the Ideogram log is among ${logFiles.length} log files`);
    assert.deepStrictEqual(await filesContainingKey(logFiles), []);
  });

  it('is not in workspace or global state, nor in the extension\'s storage', async () => {
    for (const memento of [api.state.workspace, api.state.global]) {
      for (const key of memento.keys()) assert.ok(!JSON.stringify(memento.get(key)).includes(KEY), `state ${key}`);
    }
    assert.deepStrictEqual(await filesContainingKey(await filesBelow(api.globalStorageUri)), []);
  });

  it('is not in the generated files or anywhere in the workspace', async () => {
    const files = await filesBelow(workspaceFolder().uri);
    assert.ok(files.some((file) => file.path.includes('/assets/')), 'the successful image is on disk');
    assert.deepStrictEqual(await filesContainingKey(files), []);
  });
});
