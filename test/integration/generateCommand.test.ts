import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import { startFakeSegmind } from '../fake-segmind/server';
import {
  activateExtension,
  assertSameImageWithMetadata,
  assetFiles,
  closeAllEditors,
  expectedImageBytes,
  readBytes,
  removeAssets,
  type TestingApi,
  useFakeSegmind,
  waitFor,
  workspaceFolder,
} from './helpers';
// The commands' result, as the extension declares it (a renamed field fails here at compile time).
import type { GenerateImageResult as Result } from '../../src/generation/paletteResults';

describe('Ideogram: Generate Image… (command palette)', () => {
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
  });
  beforeEach(async () => {
    fake.reset();
    await api.keys.store('integration-test-key');
    await removeAssets();
    await closeAllEditors();
  });

  it('keeps the API key in SecretStorage: stored, read back, and removed by "Clear API Key"', async () => {
    await api.keys.store('round-trip-key-123');
    assert.strictEqual(await api.keys.get(), 'round-trip-key-123');
    await vscode.commands.executeCommand('ideogram.clearApiKey');
    const previous = process.env.IDEOGRAM_API_KEY;
    delete process.env.IDEOGRAM_API_KEY;
    try {
      assert.strictEqual(await api.keys.get(), undefined);
    } finally {
      if (previous !== undefined) process.env.IDEOGRAM_API_KEY = previous;
    }
    const settings = JSON.stringify(vscode.workspace.getConfiguration('ideogram'));
    assert.ok(!settings.includes('round-trip-key-123'), 'the key is not in settings');
  });

  it('saves the image into assets/ with the bytes the API sent and a readable name', async () => {
    const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
      prompt: 'A lighthouse at dawn, flat illustration',
      options: { seed: 4242, style_type: 'DESIGN' },
    });
    assert.ok(result, 'the command returns the saved image');
    const uri = vscode.Uri.parse(result.uri);
    assert.strictEqual(path.dirname(uri.fsPath), path.join(workspaceFolder().uri.fsPath, 'assets'));
    assert.match(path.basename(uri.fsPath), /^a-lighthouse-at-dawn-flat-illustration-\d{8}-\d{6}-[a-z0-9]{4}\.jpg$/);
    const saved = await readBytes(uri);
    assertSameImageWithMetadata(saved, await expectedImageBytes(fake, 4242));
    assert.deepStrictEqual(await assetFiles(), [path.basename(uri.fsPath)], 'one file, no temporary leftovers');

    // One submit to Segmind's async route; status and result reads are in fake.jobReads.
    const sent = fake.requests.filter((request) => request.path === '/v2/ideogram-txt-2-img');
    assert.strictEqual(sent.length, 1);
    assert.strictEqual(sent[0].headers['x-api-key'], 'integration-test-key');
    assert.deepStrictEqual(sent[0].json, {
      prompt: 'A lighthouse at dawn, flat illustration',
      seed: 4242,
      style_type: 'DESIGN',
      magic_prompt_option: 'AUTO',
      resolution: 'RESOLUTION_1024_1024',
    });
    assert.strictEqual(result.link, `![A lighthouse at dawn, flat illustration](assets/${path.basename(uri.fsPath)})`);
  });

  it('names the file after the real image bytes (PNG), not an assumption', async () => {
    fake.configure({ format: 'png' });
    const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
      prompt: 'Logo with the word DOCS',
    });
    assert.ok(result);
    assert.ok(result.uri.endsWith('.png'), result.uri);
    const bytes = await readBytes(vscode.Uri.parse(result.uri));
    assert.deepStrictEqual(Array.from(bytes.slice(0, 4)), [0x89, 0x50, 0x4e, 0x47]);
  });

  it('gives two generations of the same prompt two distinct files', async () => {
    const [first, second] = await Promise.all([
      vscode.commands.executeCommand<Result>('ideogram.generateImage', { prompt: 'Same prompt', options: { seed: 1 } }),
      vscode.commands.executeCommand<Result>('ideogram.generateImage', { prompt: 'Same prompt', options: { seed: 2 } }),
    ]);
    assert.ok(first && second);
    assert.notStrictEqual(first.uri, second.uri);
    assert.strictEqual((await assetFiles()).length, 2);
  });

  it('honours the assets folder setting', async () => {
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('assetsFolder', 'docs/images', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', { prompt: 'Folder test' });
      assert.ok(result);
      assert.strictEqual(
        path.dirname(vscode.Uri.parse(result.uri).fsPath),
        path.join(workspaceFolder().uri.fsPath, 'docs', 'images'),
      );
    } finally {
      await vscode.workspace
        .getConfiguration('ideogram')
        .update('assetsFolder', undefined, vscode.ConfigurationTarget.Workspace);
      await removeAssets('docs/images');
    }
  });

  it('refuses an assets folder that escapes the workspace, and sends nothing', async () => {
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('assetsFolder', '../../outside', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
        prompt: 'Escape attempt',
      });
      assert.strictEqual(result, undefined);
      assert.strictEqual(fake.requests.length, 0, 'no paid request for an image that cannot be saved');
      assert.ok(!fs.existsSync(path.resolve(workspaceFolder().uri.fsPath, '../../outside')));
    } finally {
      await vscode.workspace
        .getConfiguration('ideogram')
        .update('assetsFolder', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it("ignores an apiEndpoint set in the workspace settings.json: the key goes only to the user's endpoint", async () => {
    const attacker = await startFakeSegmind();
    const settingsFile = vscode.Uri.joinPath(workspaceFolder().uri, '.vscode', 'settings.json');
    const original = await vscode.workspace.fs.readFile(settingsFile).then(
      (bytes) => bytes,
      () => undefined,
    );
    // apiEndpoint is application-scoped, so VS Code never reports its workspace value: a resource setting in the
    // same file proves the file was read before the generation starts, and the image landing in it, that it still was.
    const marker = `endpoint-marker-${Date.now()}`;
    try {
      await vscode.workspace.fs.writeFile(
        settingsFile,
        Buffer.from(
          JSON.stringify({ 'ideogram.apiEndpoint': attacker.endpoint, 'ideogram.assetsFolder': marker }, null, 2),
        ),
      );
      await waitFor(
        () => vscode.workspace.getConfiguration('ideogram').get('assetsFolder') === marker || undefined,
        'VS Code to read the planted settings.json',
        20_000,
      );
      const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
        prompt: 'Where does my key go?',
      });
      assert.ok(result, 'the generation still works against the user endpoint');
      assert.strictEqual(
        path.basename(path.dirname(vscode.Uri.parse(result.uri).fsPath)),
        marker,
        'saved while the planted settings were in effect',
      );
      assert.strictEqual(attacker.requests.length, 0, 'the workspace endpoint received nothing');
      assert.strictEqual(fake.requests.length, 1);
    } finally {
      if (original) await vscode.workspace.fs.writeFile(settingsFile, original);
      else await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
      await waitFor(
        () => vscode.workspace.getConfiguration('ideogram').get('assetsFolder') !== marker || undefined,
        'the planted settings gone',
        20_000,
      );
      await removeAssets(marker);
      await attacker.close();
    }
  });

  it('refuses a plain-http endpoint that is not loopback and never sends the key', async () => {
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', 'http://example.com/v1/ideogram-txt-2-img', vscode.ConfigurationTarget.Global);
    try {
      const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
        prompt: 'Clear text endpoint',
      });
      assert.strictEqual(result, undefined);
      assert.deepStrictEqual(await assetFiles(), []);
    } finally {
      await vscode.workspace
        .getConfiguration('ideogram')
        .update('apiEndpoint', fake.endpoint, vscode.ConfigurationTarget.Global);
    }
  });

  it('inserts a relative link into the active Markdown editor when asked', async () => {
    const docUri = vscode.Uri.joinPath(workspaceFolder().uri, 'docs', 'guide.md');
    const editor = await vscode.window.showTextDocument(docUri);
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
      prompt: 'Architecture banner',
      insert: true,
    });
    assert.ok(result?.inserted);
    const name = path.basename(vscode.Uri.parse(result.uri).fsPath);
    assert.ok(
      editor.document.getText().endsWith(`![Architecture banner](../assets/${name})`),
      editor.document.getText().slice(-120),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it("keeps the paid image in the extension's storage when the assets folder cannot be written", async () => {
    const blocker = vscode.Uri.joinPath(workspaceFolder().uri, 'blocked');
    await vscode.workspace.fs.writeFile(blocker, Buffer.from('a file where the assets folder should be'));
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('assetsFolder', 'blocked/images', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
        prompt: 'Nowhere to go',
        options: { seed: 77 },
      });
      assert.ok(result, 'the image is not lost');
      const uri = vscode.Uri.parse(result.uri);
      assert.ok(uri.path.includes('/unsaved-images/'), uri.toString());
      assertSameImageWithMetadata(await readBytes(uri), await expectedImageBytes(fake, 77));
      await vscode.workspace.fs.delete(uri);
    } finally {
      await vscode.workspace
        .getConfiguration('ideogram')
        .update('assetsFolder', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.delete(blocker);
    }
  });

  it('reports an API error and leaves no file behind', async () => {
    fake.failNext(500);
    const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
      prompt: 'Server error please',
    });
    assert.strictEqual(result, undefined);
    assert.deepStrictEqual(await assetFiles(), []);
    const retry = await vscode.commands.executeCommand<Result>('ideogram.generateImage', { prompt: 'Works again' });
    assert.ok(retry, 'the extension keeps working after a failure');
  });
});
