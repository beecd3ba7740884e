import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../../fake-segmind/server';
import { activateExtension, closeAllEditors, useFakeSegmind, waitFor } from '../helpers';
// The commands' result, as the extension declares it (a renamed field fails here at compile time).
import type { GenerateImageResult as Result } from '../../../src/generation/paletteResults';

function folderNamed(name: string): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.name === name);
  assert.ok(folder, `workspace folder ${name} is open`);
  return folder;
}

describe('Multi-root workspace: images go to the folder of the document', () => {
  let fake: FakeSegmind | undefined;

  before(async () => {
    // The folders of a .code-workspace can arrive just after the tests start.
    await waitFor(
      () => vscode.workspace.workspaceFolders?.length === 2 || undefined,
      'the two folders of the .code-workspace the harness opens',
      20_000,
    );
    const api = await activateExtension();
    await api.keys.store('multi-root-key');
    fake = await useFakeSegmind();
  });
  after(async () => {
    await fake?.close();
    await closeAllEditors();
  });

  it('Generate Image Here in the second folder saves into its assets and links relatively', async () => {
    const blog = folderNamed('blog');
    const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(blog.uri, 'docs', 'guide.md'));
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    const result = await vscode.commands.executeCommand<Result>('ideogram.insertImage', { prompt: 'Blog banner' });
    assert.ok(result?.inserted);
    const saved = vscode.Uri.parse(result.uri);
    assert.strictEqual(path.dirname(saved.fsPath), path.join(blog.uri.fsPath, 'assets'));
    assert.ok(editor.document.getText().endsWith(`![Blog banner](../assets/${path.basename(saved.fsPath)})`));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('Generate Image… with a document of the first folder active saves into the first folder', async () => {
    const site = folderNamed('site');
    await vscode.window.showTextDocument(vscode.Uri.joinPath(site.uri, 'README.md'));
    const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
      prompt: 'Site hero image',
    });
    assert.ok(result);
    assert.strictEqual(path.dirname(vscode.Uri.parse(result.uri).fsPath), path.join(site.uri.fsPath, 'assets'));
    assert.strictEqual(result.link, `![Site hero image](assets/${path.basename(vscode.Uri.parse(result.uri).fsPath)})`);
  });
});
