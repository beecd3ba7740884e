import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
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

async function openScratchMarkdown(name: string, content: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, 'scratch', name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(content));
  return vscode.window.showTextDocument(uri);
}

describe('Ideogram: Generate Image Here (Markdown)', () => {
  let api: TestingApi;
  let fake: FakeSegmind;

  /** Segmind finishes the held jobs, and the extension reads their status at once instead of at its next planned read. */
  async function finishJobsNow(): Promise<void> {
    fake.completeJobs();
    for (const job of api.service.jobs().filter((candidate) => candidate.live))
      await api.service.checkAgain(job.id, () => api.keys.get());
  }

  before(async () => {
    api = (await activateExtension()) as typeof api;
    fake = await useFakeSegmind();
  });
  after(async () => {
    await fake.close();
    await vscode.workspace.fs
      .delete(vscode.Uri.joinPath(workspaceFolder().uri, 'scratch'), { recursive: true })
      .then(undefined, () => undefined);
  });
  beforeEach(async () => {
    fake.reset();
    await api.keys.store('markdown-test-key');
    await removeAssets();
    await closeAllEditors();
  });

  it('uses the selection as the prompt and inserts the link on a new paragraph after it', async () => {
    const editor = await openScratchMarkdown('selection.md', '# Title\n\nA cat reading docs\n\nMore text.\n');
    editor.selection = new vscode.Selection(2, 0, 2, 18);
    const result = await vscode.commands.executeCommand<Result>('ideogram.insertImage', {
      prompt: editor.document.getText(editor.selection),
    });
    assert.ok(result?.inserted);
    const name = path.basename(vscode.Uri.parse(result.uri).fsPath);
    assert.strictEqual(
      editor.document.getText(),
      `# Title\n\nA cat reading docs\n\n![A cat reading docs](../assets/${name})\n\nMore text.\n`,
    );
    // VS Code would grow the selection over the inserted link; the next key typed would then replace both.
    assert.ok(
      editor.selection.isEqual(new vscode.Selection(2, 0, 2, 18)),
      `the selection stays the sentence: ${JSON.stringify(editor.selection)}`,
    );
  });

  it('inserts at the position chosen even when the user typed above it meanwhile, as one undoable edit', async () => {
    fake.configure({ latencyMs: 60_000 }); // held until the edits are done (below)
    const editor = await openScratchMarkdown('tracking.md', 'line one\nline two\n');
    const cursor = new vscode.Position(1, 4);
    editor.selection = new vscode.Selection(cursor, cursor);
    const pending = vscode.commands.executeCommand<Result>('ideogram.insertImage', { prompt: 'Tracked' });
    await waitFor(() => fake.requests.length > 0 || undefined, 'the request to reach the API');
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), 'typed meanwhile\n'));
    await editor.edit((builder) => builder.insert(new vscode.Position(2, 0), '>> '));
    await finishJobsNow();
    const result = await pending;
    assert.ok(result?.inserted);
    const name = path.basename(vscode.Uri.parse(result.uri).fsPath);
    const expectedLink = `![Tracked](../assets/${name})`;
    assert.strictEqual(editor.document.getText(), `typed meanwhile\nline one\n>> line${expectedLink} two\n`);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(
      editor.document.getText(),
      'typed meanwhile\nline one\n>> line two\n',
      'one undo removes the whole link',
    );
  });

  it('encodes spaces and parentheses in the relative path', async () => {
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('assetsFolder', 'my images (2026)', vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await openScratchMarkdown('spaces.md', '');
      const result = await vscode.commands.executeCommand<Result>('ideogram.insertImage', {
        prompt: 'Brackets [x] and (y)',
      });
      assert.ok(result?.inserted);
      const name = path.basename(vscode.Uri.parse(result.uri).fsPath);
      assert.strictEqual(editor.document.getText(), `![Brackets \\[x\\] and (y)](../my%20images%20%282026%29/${name})`);
    } finally {
      await vscode.workspace
        .getConfiguration('ideogram')
        .update('assetsFolder', undefined, vscode.ConfigurationTarget.Workspace);
      await removeAssets('my images (2026)');
    }
  });

  it('saves next to the document with ${documentDirName}/images', async () => {
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('assetsFolder', '${documentDirName}/images', vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await openScratchMarkdown('relative.md', '');
      const result = await vscode.commands.executeCommand<Result>('ideogram.insertImage', {
        prompt: 'Next to the doc',
      });
      assert.ok(result?.inserted);
      assert.strictEqual(
        path.dirname(vscode.Uri.parse(result.uri).fsPath),
        path.join(workspaceFolder().uri.fsPath, 'scratch', 'images'),
      );
      assert.match(editor.document.getText(), /^!\[Next to the doc\]\(images\/next-to-the-doc-[^)]+\.jpg\)$/);
    } finally {
      await vscode.workspace
        .getConfiguration('ideogram')
        .update('assetsFolder', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('works in an untitled document: the image goes to the workspace assets folder', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'Draft\n' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const result = await vscode.commands.executeCommand<Result>('ideogram.insertImage', {
      prompt: 'Untitled draft art',
    });
    assert.ok(result?.inserted);
    const name = path.basename(vscode.Uri.parse(result.uri).fsPath);
    assert.strictEqual(document.getText(), `Draft\n![Untitled draft art](assets/${name})`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('still saves the image and says where when the document was closed before it arrived', async () => {
    fake.configure({ latencyMs: 60_000 }); // held until the editor is closed (below)
    const editor = await openScratchMarkdown('closed.md', 'text\n');
    const pending = vscode.commands.executeCommand<Result>('ideogram.insertImage', { prompt: 'Closed early' });
    await waitFor(() => fake.requests.length > 0 || undefined, 'the request to reach the API');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor(
      () =>
        !vscode.window.tabGroups.all.some((group) =>
          group.tabs.some(
            (tab) =>
              tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === editor.document.uri.toString(),
          ),
        ),
      'the tab to close',
    );
    await finishJobsNow();
    const result = await pending;
    assert.ok(result, 'the image is still saved');
    assert.strictEqual(result.inserted, false, "a closed document is not edited behind the user's back");
    await vscode.workspace.fs.stat(vscode.Uri.parse(result.uri));
  });
});
