// Nothing leaked: after successful and failing generations, the API key appears nowhere a user, a log
// reader or another extension could see it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import type { HostMessage } from '../../src/common/protocol';
import { activateExtension, removeAssets, type TestingApi, useFakeSegmind, waitFor, workspaceFolder } from './helpers';

const KEY = 'SG_leakcheck_7f3a9b2c4d';

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
    if (type === vscode.FileType.Directory) files.push(...(await filesBelow(child)));
    else if (type === vscode.FileType.File) files.push(child);
  }
  return files;
}

/** The files that hold the key; a file that cannot be read is listed too (it cannot be shown clean), unless it is absent and may be. */
async function filesContainingKey(files: vscode.Uri[], mayBeAbsent: vscode.Uri[] = []): Promise<string[]> {
  const hits: string[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await vscode.workspace.fs.readFile(file));
    } catch (error) {
      const absent = error instanceof vscode.FileSystemError && error.code === 'FileNotFound';
      if (!(absent && mayBeAbsent.some((allowed) => allowed.toString() === file.toString())))
        hits.push(`unreadable: ${file.toString(true)} (${String(error)})`);
      continue;
    }
    if (bytes.includes(KEY) || bytes.includes(Buffer.from(KEY, 'utf16le'))) hits.push(file.toString(true));
  }
  return hits;
}

/** The extension's own log file (the "Ideogram" output channel) among the extension host's logs. */
async function ideogramLogFile(api: TestingApi): Promise<vscode.Uri | undefined> {
  return (await filesBelow(vscode.Uri.joinPath(api.logUri, '..'))).find((file) => /Ideogram\.log$/i.test(file.path));
}

describe('Nothing leaked: the API key stays in SecretStorage', function () {
  this.timeout(60_000);
  let api: TestingApi;
  let fake: FakeSegmind;
  /** Everything the host posted to the sidebar webview during the suite, and the webview views it resolved. */
  const posted: HostMessage[] = [];
  const views: vscode.WebviewView[] = [];
  const subscriptions: vscode.Disposable[] = [];
  let lastSavedLine = '';

  /** Runs a generation from the sidebar, as its form would, and waits until its row finishes or fails. */
  async function sidebarGenerate(runId: string, prompt: string): Promise<void> {
    const requestsBefore = fake.requests.length;
    await api.webview.send({ type: 'generate', runId, request: { prompt } });
    // Its end is posted as runFinished, or, when the webview happened to reload meanwhile (a late file-watcher
    // event widening its resource roots), carried by the next snapshot: wait for the generation itself to end.
    await waitFor(
      () =>
        posted.some(
          (message) =>
            (message.type === 'runFinished' && message.runId === runId) ||
            (message.type === 'run' && message.run.runId === runId && message.run.status === 'failed'),
        ) ||
        (fake.requests.length > requestsBefore && api.service.runningCount === 0),
      `sidebar run ${runId} to end`,
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the run's last messages be posted
  }

  before(async () => {
    api = await activateExtension();
    fake = await useFakeSegmind();
    // Watch the sidebar from its start: the view VS Code hands the provider (its HTML) and every message posted.
    const provider = api.sidebar.provider;
    const resolve = provider.resolveWebviewView.bind(provider);
    provider.resolveWebviewView = (view, ...rest) => {
      views.push(view);
      return resolve(view, ...rest);
    };
    subscriptions.push(
      api.webview.onDidPost((message) => posted.push(message)),
      {
        dispose: () => {
          delete (provider as Partial<typeof provider>).resolveWebviewView;
        },
      },
    );
    await api.keys.store(KEY);
    await removeAssets();
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => provider.isReady, 'the sidebar webview to send "ready"', 30_000);
    await vscode.commands.executeCommand('ideogram.generateImage', { prompt: 'Leak check success' });
    for (const status of [400, 401, 403, 406, 422, 500]) {
      fake.failNext(status);
      await vscode.commands.executeCommand('ideogram.generateImage', { prompt: `Leak check ${status}` });
    }
    fake.faultNext('reset-mid-body');
    await vscode.commands.executeCommand('ideogram.generateImage', { prompt: 'Leak check network' });
    fake.faultNext('not-an-image');
    await vscode.commands.executeCommand('ideogram.generateImage', { prompt: 'Leak check not an image' });
    // The same through the sidebar: a success, failures shown inline with their buttons, the gallery, validation.
    await sidebarGenerate('leak-ok', 'Leak check sidebar success');
    for (const status of [401, 406, 500]) {
      fake.failNext(status);
      await sidebarGenerate(`leak-${status}`, `Leak check sidebar ${status}`);
    }
    await api.webview.send({ type: 'queryGallery', requestId: 'leak-q', query: '', offset: 0, limit: 50 });
    await api.webview.send({ type: 'validate', requestId: 'leak-v', request: { prompt: ' ', seed: 'x' } });
    await waitFor(
      () => posted.some((message) => message.type === 'validation' && message.requestId === 'leak-v'),
      'the validation answer',
    );
    // One more image, whose "Saved" line is the last of the run: once the log file on disk holds it, it holds the
    // lines of every generation above (the channel writes in order).
    const last = await vscode.commands.executeCommand<{ uri: string } | undefined>('ideogram.generateImage', {
      prompt: 'Leak check last',
    });
    assert.ok(last, 'the last generation saved its image');
    lastSavedLine = `Saved ${vscode.Uri.parse(last.uri).toString(true)}`;
    await waitFor(
      async () => {
        const file = await ideogramLogFile(api);
        return file &&
          Buffer.from(await vscode.workspace.fs.readFile(file))
            .toString('utf8')
            .includes(lastSavedLine)
          ? true
          : undefined;
      },
      "the log file on disk to hold the last generation's line",
      30_000,
    );
  });
  after(async () => {
    for (const status of [401, 406, 500]) await api.webview.send({ type: 'dismissRun', runId: `leak-${status}` });
    for (const subscription of subscriptions) subscription.dispose();
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
    assert.deepStrictEqual(
      await filesContainingKey([userSettings, workspaceSettings], [userSettings, workspaceSettings]),
      [],
    );
    const inspected = JSON.stringify(vscode.workspace.getConfiguration('ideogram'));
    assert.ok(!inspected.includes(KEY));
  });

  it('is not in the log or any other file of the extension host logs', async () => {
    const logFolder = vscode.Uri.joinPath(api.logUri, '..');
    const logFiles = await filesBelow(logFolder);
    const ideogramLog = await ideogramLogFile(api);
    assert.ok(ideogramLog, `the Ideogram log is among ${logFiles.length} log files`);
    const text = Buffer.from(await vscode.workspace.fs.readFile(ideogramLog)).toString('utf8');
    assert.ok(text.includes(lastSavedLine), "the log scanned holds this run's lines");
    assert.ok(/POST .*\/v1\/ideogram-txt-2-img|POST .*\/v2\/ideogram-txt-2-img/.test(text), 'and its requests');
    assert.deepStrictEqual(await filesContainingKey(logFiles), []);
  });

  it("is not in workspace or global state, nor in the extension's storage", async () => {
    for (const memento of [api.state.workspace, api.state.global]) {
      for (const key of memento.keys()) assert.ok(!JSON.stringify(memento.get(key)).includes(KEY), `state ${key}`);
    }
    assert.deepStrictEqual(await filesContainingKey(await filesBelow(api.globalStorageUri)), []);
  });

  it('is not in the generated files or anywhere in the workspace', async () => {
    const files = await filesBelow(workspaceFolder().uri);
    assert.ok(
      files.some((file) => file.path.includes('/assets/')),
      'the successful image is on disk',
    );
    assert.deepStrictEqual(await filesContainingKey(files), []);
  });

  it('is not in any message posted to the sidebar webview, from its first snapshot on', () => {
    const types = new Set(posted.map((message) => message.type));
    for (const type of ['run', 'galleryPage', 'credits', 'validation'] as const)
      assert.ok(types.has(type), `a "${type}" message was posted (${[...types].join(', ')})`);
    // The first snapshot is written into the page (checked with the HTML below), or posted when the page missed updates.
    assert.ok(
      types.has('state') || views.some((view) => view.webview.html.includes('<script id="snapshot"')),
      'a snapshot reached the webview',
    );
    // A finished run reaches the webview as runFinished, or inside the next snapshot when the webview reloaded.
    assert.ok(
      types.has('runFinished') || posted.filter((message) => message.type === 'state').length > 1,
      `a finished run was posted (${[...types].join(', ')})`,
    );
    assert.ok(
      posted.some(
        (message) =>
          message.type === 'run' && message.run.error?.actions.some((action) => action.action === 'setApiKey'),
      ),
      'the 401 was shown inline',
    );
    const leaking = posted.filter((message) => JSON.stringify(message).includes(KEY)).map((message) => message.type);
    assert.deepStrictEqual(leaking, [], 'messages posted to the webview that carry the key');
    console.log(`      ${posted.length} messages posted to the sidebar scanned`);
  });

  it("is not in the sidebar webview's HTML or options", () => {
    assert.ok(
      views.length > 0,
      'the sidebar view was resolved while this suite watched (it must be the first to open it)',
    );
    for (const view of views) {
      assert.match(view.webview.html, /<html/i, 'the webview has its HTML');
      assert.ok(!view.webview.html.includes(KEY), 'the key is in the webview HTML');
      assert.ok(!JSON.stringify(view.webview.options).includes(KEY), 'the key is in the webview options');
    }
  });
});
