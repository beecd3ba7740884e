// The image actions in the real extension host (#22): a workspace picture reframed to two sizes at once, saved
// beside it with the model's pixels, after one upload and one job per size; from a link's hover, Replace the Link and
// Insert Beside (all of an action's links one edit: one Undo, one Redo); a picture reached through a link out of the
// workspace refused before anything is uploaded or billed.
import { WORKSPACE_STATE_KEY } from '../../src/common/workspaceStateKeys';
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import {
  activateExtension,
  closeAllEditors,
  expectedImageBytes,
  readBytes,
  type TestingApi,
  useFakeSegmind,
  waitFor,
  workspaceFolder,
} from './helpers';
import type { ImageActionResult } from '../../src/generation/imageActions/imageActionCommands';

/** A JPEG's or PNG's pixel size, read from its own header (independently of the extension's readers). */
function pixelSize(bytes: Uint8Array): { width: number; height: number } {
  const data = Buffer.from(bytes);
  if (data[0] === 0x89) return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  assert.ok(data[0] === 0xff && data[1] === 0xd8, 'a JPEG');
  let offset = 2;
  while (offset + 4 <= data.length) {
    assert.strictEqual(data[offset], 0xff, `a JPEG marker at ${offset}`);
    const marker = data[offset + 1];
    const length = data.readUInt16BE(offset + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return { height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) };
    offset += 2 + length;
  }
  assert.fail('no JPEG frame header');
}

/**
 * The command links of the image hover at `position`, with their arguments as a click would pass them (the image, the
 * document, the link's range).
 */
async function hoverCommandLinks(
  document: vscode.Uri,
  position: vscode.Position,
): Promise<Array<{ command: string; args: Array<Record<string, unknown>> }>> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document,
    position,
  );
  const markdown = hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
  return [...markdown.matchAll(/\(command:([\w.]+)\?([^ )]+)/g)].map((match) => ({
    command: match[1],
    args: JSON.parse(decodeURIComponent(match[2])) as Array<Record<string, unknown>>,
  }));
}

describe('Image actions: Reframe…, Remix…, Replace Background…, New Scene… on a workspace picture', () => {
  let api: TestingApi;
  let fake: FakeSegmind;
  const folder = () => vscode.Uri.joinPath(workspaceFolder().uri, 'actions-test');

  before(async () => {
    api = await activateExtension();
    fake = await useFakeSegmind();
  });
  after(async () => {
    await fake.close();
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
    await api.state.workspace.update(WORKSPACE_STATE_KEY.uploadConsent, undefined);
  });
  beforeEach(async () => {
    fake.reset();
    await api.keys.store('integration-test-key');
    // The consent a user gives once per workspace ("Upload, and Do Not Ask Again"): the modal is the uploader's test.
    await api.state.workspace.update(WORKSPACE_STATE_KEY.uploadConsent, true);
    await vscode.workspace.fs.delete(folder(), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await vscode.workspace.fs.createDirectory(folder());
    await closeAllEditors();
  });
  afterEach(async () => {
    await vscode.workspace.fs.delete(folder(), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  it('reframes banner.jpg to 16:9 and 1200×630 at once: two files beside it, with the model’s pixels', async () => {
    const source = vscode.Uri.joinPath(folder(), 'banner.jpg');
    const sourceBytes = await expectedImageBytes(fake, 4711);
    await vscode.workspace.fs.writeFile(source, sourceBytes);
    fake.reset(); // the reference fetch above is not the extension's
    fake.configure({ imageScale: 1 }); // pictures at the size asked for, not the fake's quick quarter size

    const result = await vscode.commands.executeCommand<ImageActionResult>('ideogram.reframeImage', {
      image: source.toString(),
      sizes: ['16:9', '1200x630'],
    });
    assert.ok(result, 'the command returns the saved images');
    assert.strictEqual(result.failed, 0);

    // Beside the source, named after it, the action and the size asked for.
    const names = fs
      .readdirSync(folder().fsPath)
      .filter((name) => !name.endsWith('.ideogram.json'))
      .sort();
    assert.deepStrictEqual(names, ['banner-reframe-16x9.jpg', 'banner-reframe-og-card.jpg', 'banner.jpg']);
    assert.deepStrictEqual(result.uris.map((uri) => path.basename(vscode.Uri.parse(uri).fsPath)).sort(), [
      'banner-reframe-16x9.jpg',
      'banner-reframe-og-card.jpg',
    ]);
    // Ideogram 3.0 makes its own sizes: 16:9 is its 1312 × 736, the 1.91:1 Open Graph card its 1344 × 704.
    assert.deepStrictEqual(pixelSize(await readBytes(vscode.Uri.joinPath(folder(), 'banner-reframe-16x9.jpg'))), {
      width: 1312,
      height: 736,
    });
    assert.deepStrictEqual(pixelSize(await readBytes(vscode.Uri.joinPath(folder(), 'banner-reframe-og-card.jpg'))), {
      width: 1344,
      height: 704,
    });
    // Each recipe names its source (the sidecar beside it): the path, the hash of the bytes it was made from, the action.
    const sidecar = vscode.Uri.joinPath(folder(), 'banner-reframe-16x9.ideogram.json');
    const recipe = JSON.parse(
      Buffer.from(await waitFor(() => readBytes(sidecar).then(undefined, () => undefined), 'the sidecar')).toString(),
    ) as { source?: unknown };
    assert.deepStrictEqual(recipe.source, {
      path: 'actions-test/banner.jpg',
      sha256: createHash('sha256').update(sourceBytes).digest('hex'),
      action: 'reframe',
    });
    // The source is untouched.
    assert.deepStrictEqual(new Uint8Array(await readBytes(source)), new Uint8Array(sourceBytes));

    // One upload of the source's bytes, then one job per size, each naming the uploaded picture and no prompt.
    assert.strictEqual(fake.uploads.length, 1, 'the picture is uploaded once for both sizes');
    const uploaded = fake.uploads[0];
    assert.strictEqual(uploaded.headers['x-api-key'], 'integration-test-key');
    const sent = fake.requests.filter((request) => request.path === '/v2/ideogram-3-reframe');
    assert.strictEqual(sent.length, 2, 'one job per size');
    assert.strictEqual(fake.requests.length, 2, 'nothing else was generated');
    const bodies = sent.map((request) => request.json as Record<string, unknown>);
    assert.deepStrictEqual(bodies.map((body) => body.resolution).sort(), ['1312x736', '1344x704']);
    const url = bodies[0].image;
    assert.ok(typeof url === 'string' && /^https?:\/\//.test(url), `the picture as a URL: ${String(url)}`);
    const asset = fake.assets.get(url);
    assert.ok(asset, 'the URL is the one the upload answered');
    assert.deepStrictEqual(
      new Uint8Array(asset.bytes),
      new Uint8Array(sourceBytes),
      'the source’s bytes were uploaded',
    );
    for (const body of bodies) {
      assert.strictEqual(body.image, url, 'both jobs use the one upload');
      assert.ok(!('prompt' in body), 'Reframe is not sent a prompt');
      assert.deepStrictEqual(Object.keys(body).sort(), ['image', 'rendering_speed', 'resolution', 'seed']);
    }
  });

  it('from a Markdown link’s hover: Replace Background…, then Replace the Link; one Undo restores the link', async () => {
    const picture = vscode.Uri.joinPath(folder(), 'product shot.jpg');
    await vscode.workspace.fs.writeFile(picture, await expectedImageBytes(fake, 812));
    fake.reset();
    const original = 'Intro\n\n![Our product](<product shot.jpg> "The mug")\n\nMore text.\n';
    const page = vscode.Uri.joinPath(folder(), 'page.md');
    await vscode.workspace.fs.writeFile(page, Buffer.from(original));
    const document = await vscode.workspace.openTextDocument(page);
    const editor = await vscode.window.showTextDocument(document);

    const links = await hoverCommandLinks(page, new vscode.Position(2, 5));
    for (const id of [
      'ideogram.remixImage',
      'ideogram.reframeImage',
      'ideogram.replaceImageBackground',
      'ideogram.newSceneWithCharacter',
    ])
      assert.ok(
        links.some((link) => link.command === id),
        `the hover offers ${id}`,
      );
    const replaceBackground = links.find((link) => link.command === 'ideogram.replaceImageBackground');
    assert.ok(replaceBackground);
    const [hoverArgs] = replaceBackground.args;
    assert.strictEqual(hoverArgs.image, picture.toString());

    // What the palette's steps would ask (the words) and the notification's Replace the Link, given as arguments.
    const result = await vscode.commands.executeCommand<ImageActionResult>(replaceBackground.command, {
      ...hoverArgs,
      prompt: 'a sunlit wooden desk by a window',
      link: 'replace',
    });
    assert.ok(result);
    assert.strictEqual(result.link, 'replaced');
    const saved = vscode.Uri.parse(result.uris[0]);
    assert.strictEqual(path.basename(saved.fsPath), 'product shot-replace-background.jpg');
    assert.strictEqual(path.dirname(saved.fsPath), folder().fsPath, 'beside its source');
    const sent = fake.requests.filter((request) => request.path === '/v2/ideogram-3-replace-background');
    assert.strictEqual(sent.length, 1);
    const body = sent[0].json as Record<string, unknown>;
    assert.strictEqual(body.prompt, 'a sunlit wooden desk by a window');
    assert.ok(typeof body.image === 'string' && fake.assets.has(body.image), 'the uploaded picture');

    // Only the link's target changed: alt text and title kept, the path relative to the document (encoded as written).
    assert.strictEqual(
      document.getText(),
      'Intro\n\n![Our product](product%20shot-replace-background.jpg "The mug")\n\nMore text.\n',
    );
    await vscode.window.showTextDocument(document, editor.viewColumn);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(document.getText(), original, 'one Undo restores the link');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  /**
   * banner.jpg and a page with a link to it, open in an editor; the hover's Reframe… arguments for that link. Each test
   * its own page: VS Code keeps a closed document's model for a while, under its old text.
   */
  async function bannerPage(
    name: string,
    original: string,
  ): Promise<{ editor: vscode.TextEditor; reframeArgs: object }> {
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(folder(), 'banner.jpg'),
      await expectedImageBytes(fake, 4712),
    );
    fake.reset(); // the reference fetch above is not the extension's
    const page = vscode.Uri.joinPath(folder(), name);
    await vscode.workspace.fs.writeFile(page, Buffer.from(original));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(page));
    const reframe = (await hoverCommandLinks(page, new vscode.Position(2, 5))).find(
      (link) => link.command === 'ideogram.reframeImage',
    );
    assert.ok(reframe, 'the hover offers Reframe…');
    return { editor, reframeArgs: reframe.args[0] };
  }

  /** The palette's steps (three sizes) and the notification's Insert Beside, given as arguments. */
  async function reframeToThreeSizesBeside(reframeArgs: object): Promise<ImageActionResult> {
    const result = await vscode.commands.executeCommand<ImageActionResult>('ideogram.reframeImage', {
      ...reframeArgs,
      sizes: ['16:9', '1200x630', '1:1'],
      link: 'insert-beside',
    });
    assert.ok(result, 'the command returns the saved images');
    return result;
  }

  /** Undo once, then Redo once, in the document's editor, as Ctrl+Z and Ctrl+Y would. */
  async function undoThenRedo(editor: vscode.TextEditor, original: string, inserted: string): Promise<void> {
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), original, 'one Undo removes every link the action inserted');
    await vscode.commands.executeCommand('redo');
    assert.strictEqual(editor.document.getText(), inserted, 'one Redo brings them all back');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }

  it('from a Markdown link’s hover: Reframe… to three sizes, then Insert Beside: one Undo removes all three links, one Redo restores them', async () => {
    const original = 'Intro\n\n![Our banner](banner.jpg "Wide")\n\nMore text.\n';
    const { editor, reframeArgs } = await bannerPage('three-sizes.md', original);

    const result = await reframeToThreeSizesBeside(reframeArgs);
    assert.strictEqual(result.failed, 0);
    assert.strictEqual(result.link, 'inserted');
    // A link to each result after the original, in the order of the sizes, alt text and title kept.
    const inserted =
      'Intro\n\n![Our banner](banner.jpg "Wide") ![Our banner](banner-reframe-16x9.jpg "Wide") ' +
      '![Our banner](banner-reframe-og-card.jpg "Wide") ![Our banner](banner-reframe-1x1.jpg "Wide")\n\nMore text.\n';
    assert.strictEqual(editor.document.getText(), inserted);
    await undoThenRedo(editor, original, inserted);
  });

  it('Insert Beside after one of three sizes failed: the two saved go in as one edit (one Undo); the failure is counted', async () => {
    const original = 'Intro\n\n![Our banner](banner.jpg)\n\nMore text.\n';
    const { editor, reframeArgs } = await bannerPage('one-failed.md', original);
    fake.failNext(400); // whichever job reaches the API first is refused (not billed); the other two are saved

    const result = await reframeToThreeSizesBeside(reframeArgs);
    assert.strictEqual(result.failed, 1);
    assert.strictEqual(result.link, 'inserted');
    const names = result.uris.map((uri) => path.basename(vscode.Uri.parse(uri).fsPath));
    assert.strictEqual(names.length, 2);
    const order = ['banner-reframe-16x9.jpg', 'banner-reframe-og-card.jpg', 'banner-reframe-1x1.jpg'];
    assert.deepStrictEqual(
      names,
      order.filter((name) => names.includes(name)),
      'the saved ones, in the order of the sizes',
    );
    for (const name of names) assert.ok(fs.existsSync(path.join(folder().fsPath, name)), `${name} is saved`);
    const inserted = `Intro\n\n![Our banner](banner.jpg)${names.map((name) => ` ![Our banner](${name})`).join('')}\n\nMore text.\n`;
    assert.strictEqual(editor.document.getText(), inserted);
    await undoThenRedo(editor, original, inserted);
  });

  it('refuses a picture reached through a link out of the workspace before anything is uploaded or billed', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ideogram-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret.jpg'), await expectedImageBytes(fake, 99));
      fake.reset();
      const linked = path.join(folder().fsPath, 'linked.jpg');
      fs.symlinkSync(path.join(outside, 'secret.jpg'), linked);
      const before = api.recentFailures().length;

      const result = await vscode.commands.executeCommand<ImageActionResult>('ideogram.reframeImage', {
        image: vscode.Uri.file(linked).toString(),
        sizes: ['16:9'],
      });
      assert.strictEqual(result, undefined);
      assert.strictEqual(fake.uploads.length, 0, 'nothing uploaded');
      assert.strictEqual(fake.requests.length, 0, 'nothing billed');
      const [shown] = api.recentFailures().slice(before);
      assert.ok(shown, 'the user is told');
      assert.strictEqual(shown.kind, 'source-image');
      assert.deepStrictEqual(
        fs.readdirSync(folder().fsPath).sort(),
        ['linked.jpg'],
        'nothing was saved beside the link',
      );
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
