import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'ideogram-vscode.ideogram-vscode';

describe('smoke: the extension in a real VS Code', () => {
  it('is present and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} not found`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('registers ideogram.generateImage', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('ideogram.generateImage'), 'ideogram.generateImage is not registered');
  });

  it('has the test workspace folder open', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1, `expected one workspace folder, got ${folders.length}`);
    const readme = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folders[0].uri, 'README.md'));
    assert.strictEqual(readme.type, vscode.FileType.File);
  });
});
