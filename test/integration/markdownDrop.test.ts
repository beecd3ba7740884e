import * as assert from 'assert';
import * as vscode from 'vscode';
import { GALLERY_DRAG_MIME } from '../../src/common/protocol';
import { activateExtension, type TestingApi, workspaceFolder } from './helpers';

describe('Dragging an image from the gallery into Markdown', () => {
  let api: TestingApi;
  before(async () => {
    api = await activateExtension();
  });

  async function dropInto(documentPath: string, payload: unknown): Promise<string | undefined> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder().uri, documentPath));
    const dataTransfer = new vscode.DataTransfer();
    dataTransfer.set(
      GALLERY_DRAG_MIME,
      new vscode.DataTransferItem(typeof payload === 'string' ? payload : JSON.stringify(payload)),
    );
    // The provider the extension registers, handed over by its testing API.
    const edit = await api.galleryDrop.provideDocumentDropEdits(
      document,
      new vscode.Position(0, 0),
      dataTransfer,
      new vscode.CancellationTokenSource().token,
    );
    const insert = (edit as vscode.DocumentDropEdit | undefined)?.insertText;
    return typeof insert === 'string' ? insert : insert?.value;
  }

  it('inserts a link relative to the document with the prompt as alt text', async () => {
    const image = vscode.Uri.joinPath(workspaceFolder().uri, 'assets', 'my robot.png');
    const text = await dropInto('docs/guide.md', { uri: image.toString(), prompt: 'A [friendly] robot' });
    assert.strictEqual(text, '![A \\[friendly\\] robot](../assets/my%20robot.png)');
  });

  it('ignores malformed drag data', async () => {
    assert.strictEqual(await dropInto('README.md', '{not json'), undefined);
    assert.strictEqual(await dropInto('README.md', { uri: 42 }), undefined);
  });
});
