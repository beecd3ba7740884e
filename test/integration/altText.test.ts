// Describe → alt text in the real extension host against the fake Segmind: the quick fix on an image link without
// alt text uploads the picture, asks Describe once and writes its text as the alt text (one undo restores the link);
// the Problems panel lists such links only while `ideogram.altText.diagnostics` is on; the budget refuses before
// anything is uploaded.
import { WORKSPACE_STATE_KEY } from '../../src/common/workspaceStateKeys';
import * as assert from 'assert';
import * as vscode from 'vscode';
import { renderImage } from '../fake-segmind/image';
import { fakeDescriptionOf, type FakeSegmind } from '../fake-segmind/server';
import { altTextFrom } from '../../src/core/describe';
import {
  activateExtension,
  closeAllEditors,
  type TestingApi,
  useFakeSegmind,
  waitFor,
  workspaceFolder,
} from './helpers';

const QUICK_FIX_TITLE = 'Write Alt Text (0.015 credits)';

function describeSubmits(fake: FakeSegmind) {
  return fake.requests.filter((request) => /\/v[12]\/ideogram-describe$/.test(request.path));
}

async function writeFile(relative: string, content: string | Uint8Array): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, relative);
  await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  return uri;
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  // The providers return CodeActions (a bare Command has no title's kind): those are the quick fixes.
  return actions.filter(
    (action): action is vscode.CodeAction => action instanceof vscode.CodeAction || 'kind' in action,
  );
}

function ideogramDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Ideogram');
}

async function setDiagnostics(on: boolean | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('ideogram')
    .update('altText.diagnostics', on, vscode.ConfigurationTarget.Workspace);
}

describe('Describe → alt text', () => {
  let api: TestingApi;
  let fake: FakeSegmind;
  let picture: Uint8Array;

  before(async () => {
    api = await activateExtension();
    fake = await useFakeSegmind({ cost: 0.015 });
    picture = renderImage(7, 96, 64, 'png');
    await writeFile('alttext/shot.png', picture);
  });
  after(async () => {
    await fake.close();
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('dailyCreditLimit', undefined, vscode.ConfigurationTarget.Global);
    await setDiagnostics(undefined);
    await closeAllEditors();
    await vscode.workspace.fs
      .delete(vscode.Uri.joinPath(workspaceFolder().uri, 'alttext'), { recursive: true, useTrash: false })
      .then(undefined, () => undefined);
  });
  beforeEach(async () => {
    fake.reset();
    await api.keys.store('integration-test-key');
    // The upload's consent, given once for this workspace (the consent dialog is the uploader's own test).
    await api.state.workspace.update(WORKSPACE_STATE_KEY.uploadConsent, true);
    await closeAllEditors();
  });

  it('the quick fix on ![](shot.png) writes the fake’s description as alt text; one undo restores the link', async () => {
    const original = '# Screenshots\n\nThe settings page:\n\n![](shot.png)\n';
    const uri = await writeFile('alttext/quickfix.md', original);
    const editor = await vscode.window.showTextDocument(uri);
    const spentBefore = api.spending.spentToday();

    // As the light bulb does: asked until the providers answer (the first request may come before the document's
    // language is settled in a freshly started host).
    let fixes: vscode.CodeAction[] = [];
    const fix = await waitFor(async () => {
      fixes = await quickFixes(uri, new vscode.Range(4, 3, 4, 3));
      return fixes.find((action) => action.title === QUICK_FIX_TITLE);
    }, 'the quick fix').catch(() => undefined);
    assert.ok(
      fix?.command,
      `the quick fix is offered with its price (got ${fixes.map((each) => each.title).join(', ')})`,
    );
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    const result = await vscode.commands.executeCommand<{ written?: string }>(
      fix.command.command,
      ...(fix.command.arguments ?? []),
    );

    const description = altTextFrom(fakeDescriptionOf(picture));
    assert.equal(result.written, description);
    assert.equal(editor.document.getText(), `# Screenshots\n\nThe settings page:\n\n![${description}](shot.png)\n`);
    // One upload of the picture, one Describe job submitted to the V2 route, nothing else billed.
    assert.equal(fake.uploads.length, 1);
    assert.deepEqual(
      describeSubmits(fake).map((request) => request.path),
      ['/v2/ideogram-describe'],
    );
    const sent = describeSubmits(fake)[0]?.json as Record<string, unknown>;
    assert.ok(typeof sent.image_file === 'string' && sent.image_file.startsWith(fake.url), 'the uploaded URL is sent');
    assert.equal(sent.prompt, undefined, 'Describe is not sent a prompt');
    // Recorded in the spend ledger like any generation.
    await waitFor(() => api.spending.spentToday() - spentBefore >= 0.015 - 1e-9, 'the cost in the ledger');
    assert.ok(Math.abs(api.spending.spentToday() - spentBefore - 0.015) < 1e-9);

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'one undo restores the link as it was');
  });

  it('from the palette, writes the alt text of the <img> at the cursor in HTML; the same picture is uploaded once', async () => {
    const uri = await writeFile(
      'alttext/page.html',
      '<main>\n  <img src="shot.png" width="96">\n  <img src=shot.png>\n</main>\n',
    );
    const editor = await vscode.window.showTextDocument(uri);
    const description = altTextFrom(fakeDescriptionOf(picture));

    editor.selection = new vscode.Selection(1, 8, 1, 8);
    const first = await vscode.commands.executeCommand<{ written?: string }>('ideogram.writeAltText');
    assert.equal(first.written, description);
    const uploads = fake.uploads.length;
    assert.ok(uploads <= 1);

    editor.selection = new vscode.Selection(2, 4, 2, 4);
    const second = await vscode.commands.executeCommand<{ written?: string }>('ideogram.writeAltText');
    assert.equal(second.written, description);
    assert.equal(
      editor.document.getText(),
      `<main>\n  <img alt="${description}" src="shot.png" width="96">\n  <img alt="${description}" src=shot.png>\n</main>\n`,
    );
    assert.equal(fake.uploads.length, uploads, 'the second link of the same picture uploads nothing');
    assert.equal(describeSubmits(fake).length, 2, 'each link is described once');
  });

  it('refuses before anything is uploaded or sent when the daily limit would be passed', async () => {
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('dailyCreditLimit', 0.001, vscode.ConfigurationTarget.Global);
    try {
      const original = '![shot.png](shot.png)\n';
      const uri = await writeFile('alttext/budget.md', original);
      const editor = await vscode.window.showTextDocument(uri);
      const result = await vscode.commands.executeCommand<{ written?: string }>('ideogram.writeAltText', {
        document: uri.toString(),
        line: 0,
        character: 2,
      });
      assert.equal(result.written, undefined);
      const failure = await waitFor(
        () => api.recentFailures().find((shown) => shown.kind === 'budget-exceeded'),
        'the budget refusal',
      );
      assert.match(failure.message, /daily limit/);
      assert.equal(fake.uploads.length, 0, 'nothing uploaded');
      assert.equal(describeSubmits(fake).length, 0, 'nothing sent');
      assert.equal(editor.document.getText(), original);
    } finally {
      await vscode.workspace
        .getConfiguration('ideogram')
        .update('dailyCreditLimit', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('lists images without alt text in the Problems panel only while the setting is on, with the quick fix', async () => {
    const markdown = await writeFile(
      'alttext/problems.md',
      '![](shot.png)\n\n![A cat on a mat](shot.png)\n\n```\n![](in-code.png)\n```\n',
    );
    const html = await writeFile('alttext/problems.html', '<p><img src="shot.png"> <img src="shot.png" alt=""></p>\n');
    await setDiagnostics(false);
    await vscode.window.showTextDocument(markdown);
    await vscode.window.showTextDocument(html, { preview: false });

    await setDiagnostics(true);
    const listed = await waitFor(() => {
      const found = ideogramDiagnostics(markdown);
      return found.length > 0 ? found : undefined;
    }, 'the Markdown diagnostics');
    assert.deepEqual(
      listed.map((diagnostic) => [diagnostic.range.start.line, diagnostic.message]),
      [[0, 'Image without alt text: shot.png']],
    );
    const htmlListed = await waitFor(() => {
      const found = ideogramDiagnostics(html);
      return found.length > 0 ? found : undefined;
    }, 'the HTML diagnostics');
    // `alt=""` marks a decorative image: only the <img> without alt is listed.
    assert.deepEqual(
      htmlListed.map((diagnostic) => [diagnostic.range.start.character, diagnostic.message]),
      [[3, 'Image without alt text: shot.png']],
    );
    const fixes = await quickFixes(markdown, listed[0].range);
    assert.ok(fixes.some((action) => action.title === QUICK_FIX_TITLE));

    // Edits update the list: the link given alt text leaves it.
    const document = await vscode.workspace.openTextDocument(markdown);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(markdown, new vscode.Position(0, 2), 'A settings page');
    await vscode.workspace.applyEdit(edit);
    await waitFor(() => ideogramDiagnostics(markdown).length === 0, 'the fixed link to leave the list');
    assert.ok(document.isDirty);
    await document.save();

    await setDiagnostics(false);
    await waitFor(() => ideogramDiagnostics(html).length === 0, 'the list to be cleared when the setting goes off');
    assert.equal(describeSubmits(fake).length, 0, 'listing costs nothing');
  });
});
