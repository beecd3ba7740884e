// An image made by an image action, in the real extension host: its hover names the source it came from with a link
// to it, and a link to the source in a Markdown document is replaced by a link to the new image (one Undo restores
// it) or gets the new one beside it.
import { WORKSPACE_STATE_KEY } from '../../src/common/workspaceStateKeys';
import * as assert from 'assert';
import * as vscode from 'vscode';
import { renderImage } from '../fake-segmind/image';
import { parseJobRecord } from '../../src/core/jobStore';
import { JOBS_FOLDER, DONE_JOBS_FOLDER } from '../../src/core/jobPaths';
import { embedRecipe, readImageRecipe, type ImageRecipe } from '../../src/core/recipeMetadata';
import { validateRequest } from '../../src/core/request';
import { insertBesideLinks, replaceImageLink } from '../../src/links/linkReplacement';
import type { FakeSegmind } from '../fake-segmind/server';
import { activateExtension, closeAllEditors, type TestingApi, useFakeSegmind, workspaceFolder } from './helpers';

const SOURCE_BYTES = new Uint8Array(renderImage(11, 320, 180, 'jpeg'));

describe('Source lineage (hover, Replace the Link, Insert Beside)', () => {
  const folder = () => vscode.Uri.joinPath(workspaceFolder().uri, 'docs', 'lineage');
  const file = (name: string) => vscode.Uri.joinPath(folder(), name);

  let api: TestingApi;
  let fake: FakeSegmind;
  before(async function () {
    this.timeout(60_000);
    api = await activateExtension();
    fake = await useFakeSegmind();
    await api.keys.store('integration-lineage-key');
    await api.state.workspace.update(WORKSPACE_STATE_KEY.uploadConsent, true); // the consent dialog is the UI test's
  });
  after(async () => {
    await api.state.workspace.update(WORKSPACE_STATE_KEY.uploadConsent, undefined);
    await fake.close();
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
  });

  afterEach(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.delete(folder(), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  /** Each test its own document: VS Code keeps a closed document's model for a while, under its old text. */
  async function openMarkdown(name: string, text: string): Promise<vscode.TextEditor> {
    await vscode.workspace.fs.writeFile(file(name), new TextEncoder().encode(text));
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file(name)));
  }

  /** An image as a reframe of `docs/lineage/banner.jpg` would be saved: its recipe names the source. */
  async function writeReframed(name: string): Promise<vscode.Uri> {
    const validated = validateRequest({
      model: 'ideogram-3-reframe',
      prompt: 'banner',
      image: 'https://images.segmind.com/assets/banner.jpg',
      resolution: '1280x704',
    });
    assert.ok(validated.ok);
    const recipe: ImageRecipe = {
      request: validated.request,
      seed: 4242,
      createdAt: new Date().toISOString(),
      generator: 'Ideogram for VS Code',
      source: { path: 'docs/lineage/banner.jpg', sha256: 'a'.repeat(64), action: 'reframe' },
    };
    const embedded = embedRecipe(new Uint8Array(renderImage(12, 1280, 704, 'jpeg')), recipe);
    assert.ok(embedded.ok);
    await vscode.workspace.fs.writeFile(file(name), embedded.value);
    return file(name);
  }

  it('the hover of an image made by an action says what it came from, with a link that opens the source', async () => {
    await vscode.workspace.fs.writeFile(file('banner.jpg'), SOURCE_BYTES);
    await writeReframed('banner-reframe-16x9.jpg');
    const editor = await openMarkdown('hover.md', 'Hero:\n\n![](banner-reframe-16x9.jpg)\n');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(2, 5),
    );
    const markdown = hovers
      .flatMap((hover) => hover.contents)
      .map((content) => (typeof content === 'string' ? content : content.value))
      .find((value) => value.includes('command:ideogram.'));
    assert.ok(markdown, 'our hover');
    const line = markdown.split('\n').find((each) => each.startsWith('Reframed from '));
    assert.ok(line, markdown);
    // The name is written with entities (the hover shows file names literally); the link is relative to the image.
    // It shares its line with the date and where the recipe was found (` · …`).
    const link = /^Reframed from \[(.+?)\]\((\S+) "(.+?)"\)(?: · |$)/.exec(line);
    assert.ok(link, line);
    assert.strictEqual(
      link[1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
      'banner.jpg',
    );
    assert.strictEqual(link[2], 'banner.jpg');
    // VS Code resolves the link against the hover's base URI (the image): that is the source file.
    assert.strictEqual(
      vscode.Uri.joinPath(file('banner-reframe-16x9.jpg'), '..', link[2]).toString(),
      file('banner.jpg').toString(),
    );
  });

  it('Replace the Link points the Markdown link at the new image, alt text and title kept; one Undo restores it', async () => {
    await vscode.workspace.fs.writeFile(file('banner.jpg'), SOURCE_BYTES);
    const result = await writeReframed('banner-reframe-16x9.jpg');
    const original = 'Intro\n\nSee ![The banner, \\[1\\]](../lineage/banner.jpg "Banner") here.\n';
    const editor = await openMarkdown('replace.md', original);
    const start = original.indexOf('![');
    const end = original.indexOf('") here') + 2;
    const range = new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(end));
    assert.strictEqual(editor.document.getText(range), '![The banner, \\[1\\]](../lineage/banner.jpg "Banner")');
    assert.strictEqual(editor.document.languageId, 'markdown');
    assert.strictEqual(await replaceImageLink(editor.document, range, result), true);
    assert.strictEqual(
      editor.document.getText(),
      'Intro\n\nSee ![The banner, \\[1\\]](banner-reframe-16x9.jpg "Banner") here.\n',
    );
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), original, 'one Undo restores the link');
  });

  it('Insert Beside writes the new link right after the old one; a link edited meanwhile is left alone', async () => {
    const result = await writeReframed('banner-reframe-16x9.jpg');
    const original = '![The banner](banner.jpg)\n';
    const editor = await openMarkdown('beside.md', original);
    const range = new vscode.Range(0, 0, 0, original.length - 1);
    assert.strictEqual(await insertBesideLinks(editor.document, range, [result]), true);
    assert.strictEqual(editor.document.getText(), '![The banner](banner.jpg) ![The banner](banner-reframe-16x9.jpg)\n');
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), original);

    await editor.edit((edit) => edit.replace(new vscode.Range(0, 0, 0, 2), 'No image'));
    const changed = editor.document.getText();
    assert.strictEqual(await replaceImageLink(editor.document, range, result), false);
    assert.strictEqual(await insertBesideLinks(editor.document, range, [result]), false);
    assert.strictEqual(editor.document.getText(), changed, 'the document is untouched');
  });

  it('Regenerate of an image whose source is gone says so, with the path and what to do, and sends nothing', async () => {
    const image = await writeReframed('banner-reframe-16x9.jpg');
    fake.reset();
    const result = await vscode.commands.executeCommand('ideogram.regenerateFromImage', {
      image: image.toString(),
      seed: 'same',
    });
    assert.strictEqual(result, undefined);
    // The newest failure shown (the list keeps the last 50, so a count from before could wrap).
    const shown = api.recentFailures().at(-1);
    assert.strictEqual(shown?.kind, 'source-gone');
    assert.strictEqual(
      shown.message,
      'banner-reframe-16x9.jpg was made from docs/lineage/banner.jpg, which is no longer there. Put it back at that ' +
        'path (restore it, or check it out again) to regenerate banner-reframe-16x9.jpg.',
    );
    assert.deepStrictEqual(fake.requests, [], 'nothing generated');
    assert.deepStrictEqual(fake.uploads, [], 'nothing uploaded');
  });

  it('a run with a source keeps it in the job record, the embedded recipe, the gallery entry and the sidecar', async function () {
    this.timeout(60_000);
    await vscode.workspace.fs.writeFile(file('banner.jpg'), SOURCE_BYTES);
    const source = await api.imageInput.readSourceImage(file('banner.jpg'));
    const url = await api.imageInput.uploader.urlFor(source, {
      endpoint: fake.endpoint,
      apiKey: 'integration-lineage-key',
    });
    const validated = validateRequest({ model: 'ideogram-3-remix', prompt: 'the banner at night', image: url });
    assert.ok(validated.ok, JSON.stringify(validated));
    const preparation = await api.prepare({
      folder: 'document',
      askForKey: false,
      beside: {
        file: source.uri,
        naming: { template: '${sourceName}-${action}', sourceName: 'banner', action: 'remix' },
      },
    });
    assert.ok(preparation.ok, JSON.stringify(preparation));
    const lineage = { path: source.workspacePath, sha256: source.sha256, action: 'remix' as const, url };
    assert.strictEqual(lineage.path, 'docs/lineage/banner.jpg');
    const saved = await api.service.generate(preparation.prepared, { request: validated.request, source: lineage });
    assert.strictEqual(saved.uri.toString(), file('banner-remix.jpg').toString(), 'saved beside its source');

    const embedded = readImageRecipe(await vscode.workspace.fs.readFile(saved.uri));
    assert.strictEqual(embedded.kind, 'recipe');
    assert.deepStrictEqual(embedded.recipe.source, lineage, 'the recipe in the image names its source');
    assert.deepStrictEqual(saved.entry?.source, lineage, 'the gallery entry');
    assert.deepStrictEqual((await api.sidebar.gallery.entryFor(saved.uri))?.source, lineage);
    const sidecar = JSON.parse(
      new TextDecoder().decode(await vscode.workspace.fs.readFile(file('banner-remix.ideogram.json'))),
    ) as { source?: unknown };
    assert.deepStrictEqual(sidecar.source, lineage, 'the sidecar');
    const job = parseJobRecord(
      JSON.parse(
        new TextDecoder().decode(
          await vscode.workspace.fs.readFile(
            vscode.Uri.joinPath(api.globalStorageUri, JOBS_FOLDER, DONE_JOBS_FOLDER, `${saved.jobId}.json`),
          ),
        ),
      ),
    );
    assert.deepStrictEqual(job?.source, lineage, 'the job record');
  });
});
