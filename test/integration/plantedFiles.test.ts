// Files a repository can commit to stop or fool the extension (issue 24), in the real extension host: an image
// whose "parameters" text makes a backtracking parser run for minutes, links to /dev/zero where an image, its
// recipe sidecar or a document is expected, and a document too big to read. The hover must answer while the
// host stays responsive, nothing endless is read, and Find Unused Images says what it could not search.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import { renderImage } from '../fake-segmind/image';
import { writePngText } from '../../src/core/imageMetadata';
import { MAX_RECIPE_TEXT_LENGTH } from '../../src/core/recipeMetadata';
import { MAX_DOCUMENT_BYTES } from '../../src/gallery/unusedImages';
import { describeUntypedGeneration } from '../../src/generation/unattendedRuns';
import { fileGalleryPersistence } from '../../src/gallery/galleryPersistence';
import { validateRequest } from '../../src/core/request';
import { activateExtension, closeAllEditors, removeAssets, useFakeSegmind, waitFor, workspaceFolder } from './helpers';

const FOLDER = 'planted';
const folder = () => path.join(workspaceFolder().uri.fsPath, FOLDER);

/** Our hover's Markdown at a position (other extensions' hovers are left out). */
async function hoverAt(document: vscode.TextDocument, position: vscode.Position): Promise<string | undefined> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    position,
  );
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .find((value) => value.includes('command:ideogram.') || value.includes('No recipe') || value.includes('Made with'));
}

/** The longest gap between ticks of a 20 ms timer while `work` runs: how long the extension host was frozen. */
async function longestFreeze<T>(work: () => Promise<T>): Promise<{ value: T; freezeMs: number }> {
  let last = Date.now();
  let freezeMs = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    freezeMs = Math.max(freezeMs, now - last);
    last = now;
  }, 20);
  try {
    const value = await work();
    freezeMs = Math.max(freezeMs, Date.now() - last);
    return { value, freezeMs };
  } finally {
    clearInterval(timer);
  }
}

async function openMarkdown(name: string, text: string): Promise<vscode.TextDocument> {
  const file = path.join(folder(), name);
  fs.writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(document);
  return document;
}

describe('files a repository plants (issue 24)', () => {
  let fake: FakeSegmind;
  let api: Awaited<ReturnType<typeof activateExtension>>;

  before(async () => {
    api = await activateExtension();
    fake = await useFakeSegmind();
    await api.keys.store('planted-files-key');
  });
  beforeEach(() => {
    fs.rmSync(folder(), { recursive: true, force: true });
    fs.mkdirSync(folder(), { recursive: true });
  });
  after(async () => {
    await closeAllEditors();
    fs.rmSync(folder(), { recursive: true, force: true });
    await fake.close();
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
    await removeAssets();
  });

  it('the hover on an image with a 1 MB hostile "parameters" text answers, and the host never freezes', async () => {
    // A run of key characters without a colon: AUTOMATIC1111's pattern took minutes over it (40 KB: 5 s).
    const text = `A lighthouse\n${'ab cd/e-f '.repeat(Math.floor((MAX_RECIPE_TEXT_LENGTH - 13) / 10))}`;
    const image = writePngText(new Uint8Array(renderImage(3, 256, 256, 'png', { scale: 0.25 })), [
      { keyword: 'parameters', text },
    ]);
    assert.ok(image.ok);
    fs.writeFileSync(path.join(folder(), 'hostile.png'), image.value);
    const document = await openMarkdown('hover.md', '![hostile](hostile.png)\n');
    const { value: markdown, freezeMs } = await longestFreeze(() =>
      waitFor(() => hoverAt(document, new vscode.Position(0, 3)), 'the hover on the hostile image', 30_000),
    );
    assert.ok(markdown.includes('Made with AUTOMATIC1111'), markdown);
    assert.ok(markdown.includes('A lighthouse'), 'the prompt is shown');
    console.log(
      `      hover on a 1 MB hostile parameters text: the extension host was busy for at most ${freezeMs} ms at a time`,
    );
    // Loose on purpose (a shared, loaded machine): the parser before this fix blocked the host for minutes.
    assert.ok(freezeMs < 2000, `the extension host was frozen for ${freezeMs} ms`);
  });

  it('an image or a recipe sidecar linked to /dev/zero is not read: the hover answers at once', async function () {
    if (process.platform === 'win32') this.skip();
    fs.symlinkSync('/dev/zero', path.join(folder(), 'logo.png'));
    fs.writeFileSync(path.join(folder(), 'photo.png'), renderImage(4, 256, 256, 'png', { scale: 0.25 }));
    fs.symlinkSync('/dev/zero', path.join(folder(), 'photo.ideogram.json'));
    const document = await openMarkdown('zero.md', '![logo](logo.png)\n\n![photo](photo.png)\n');
    assert.strictEqual(
      await hoverAt(document, new vscode.Position(0, 3)),
      undefined,
      'a device is not an image: no hover of ours',
    );
    const photo = await hoverAt(document, new vscode.Position(2, 3));
    assert.ok(photo?.includes('No recipe'), `the photo's hover says it has no recipe: ${photo}`);
  });

  it('Find Unused Images reads no device, offers nothing while a document could not be searched, and says which', async function () {
    if (process.platform === 'win32') this.skip();
    this.timeout(120_000);
    const result = await vscode.commands.executeCommand<{ uri: string }>('ideogram.generateImage', {
      prompt: 'A lonely image nobody links',
    });
    assert.ok(result);
    fs.symlinkSync('/dev/zero', path.join(folder(), 'endless.md'));
    const huge = path.join(folder(), 'huge.md');
    fs.writeFileSync(huge, Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0x61));
    type Search = {
      unused: string[];
      notOffered: string[];
      removed: string[];
      unsearched: string[];
      truncated: boolean;
    };
    const found = await waitFor(
      async () => {
        const search = await vscode.commands.executeCommand<Search>('ideogram.findUnusedImages', { dryRun: true });
        return search.notOffered.includes(result.uri) ? search : undefined;
      },
      'the new image to be found unlinked',
      30_000,
    );
    assert.deepStrictEqual(
      found.unsearched,
      [vscode.Uri.file(huge).toString()],
      'the document too big to read is named; the device is not a document',
    );
    assert.deepStrictEqual(found.unused, [], 'nothing is offered: the unread document may name the image');
    assert.strictEqual(found.truncated, false);

    // As the user runs it: no quick pick and no confirmation (either would keep the command waiting), nothing
    // deleted, and a message that names the document and says what to do.
    const before = api.recentFailures().length;
    let timer: NodeJS.Timeout | undefined;
    const run = await Promise.race([
      vscode.commands.executeCommand<Search>('ideogram.findUnusedImages'),
      new Promise<'waiting'>((resolve) => (timer = setTimeout(() => resolve('waiting'), 20_000))),
    ]);
    clearTimeout(timer);
    if (run === 'waiting') assert.fail('the command asked the user to pick or confirm a deletion');
    assert.deepStrictEqual([run.unused, run.removed], [[], []]);
    assert.ok(fs.existsSync(vscode.Uri.parse(result.uri).fsPath), 'the image is still on disk');
    const shown = api.recentFailures().slice(before);
    assert.strictEqual(shown.length, 1, JSON.stringify(shown));
    const [message] = shown;
    assert.strictEqual(message.kind, 'unused-images-search-incomplete');
    assert.match(
      message.message,
      /^Nothing is offered for deletion: 1 documents could not be searched \(planted\/huge\.md\)/,
    );
    assert.match(message.message, /smaller than 16 MB, or move them out of the workspace, then search again\.$/);
    assert.deepStrictEqual(message.actions, ['Show Log']);

    // Doing what the message says makes the search complete: the image is offered again.
    fs.rmSync(huge);
    const complete = await vscode.commands.executeCommand<Search>('ideogram.findUnusedImages', { dryRun: true });
    assert.deepStrictEqual(complete.unsearched, []);
    assert.ok(complete.unused.includes(result.uri), 'offered once every document was searched');
  });

  it('a file name with quotes, brackets and line breaks cannot inject Markdown or command links into the trusted hover', async function () {
    if (process.platform === 'win32') this.skip();
    const name = 'logo" onerror="x\n\n[Run](command:workbench.action.terminal.new) <b>.png';
    fs.writeFileSync(path.join(folder(), name), renderImage(5, 256, 256, 'png', { scale: 0.25 }));
    const document = await openMarkdown('names.md', `![logo](${encodeURIComponent(name)})\n`);
    const markdown = await waitFor(
      () => hoverAt(document, new vscode.Position(0, 3)),
      'the hover on the oddly named image',
    );
    assert.ok(!markdown.includes('command:workbench'), `no injected command link: ${markdown}`);
    const tag = /<img [^>]*>/.exec(markdown)?.[0] ?? '';
    assert.ok(tag.includes(`src="./${encodeURIComponent(name)}"`), `the address is percent-encoded: ${tag}`);
    assert.ok(
      !/[\n"<]/.test(tag.slice(tag.indexOf('alt="') + 5, -2)),
      `the alt text holds no raw quote, bracket or line break: ${tag}`,
    );
  });

  it('a paid generation the user did not type confirms the whole request, the number of images and the cost', () => {
    // A recipe as a repository could write it: a negative prompt, a palette, four variations, a prompt with line breaks.
    const validated = validateRequest({
      prompt: 'A logo\nCost: 0.00 credits',
      negative_prompt: 'text, watermark',
      style_type: 'DESIGN',
      resolution: 'RESOLUTION_1280_720',
      magic_prompt_option: 'OFF',
      seed: 7,
      color_palette: { name: 'EMBER' },
    });
    assert.ok(validated.ok);
    const detail = describeUntypedGeneration(validated.request, 4, api.spending).split('\n');
    assert.strictEqual(
      detail[0],
      'Prompt: A logo Cost: 0.00 credits',
      'the prompt on one line: it cannot forge a line of its own',
    );
    for (const expected of [
      'Negative prompt: text, watermark',
      'Style: DESIGN',
      '1280 × 720',
      'Magic Prompt: OFF',
      'Palette: EMBER',
      'Seed: 7',
      'Images: 4',
    ]) {
      assert.ok(
        detail.some((line) => line.includes(expected)),
        `shows ${expected}: ${detail.join(' | ')}`,
      );
    }
    assert.ok(detail.at(-1)?.startsWith('Cost: '), detail.join(' | '));
    assert.strictEqual(detail.filter((line) => line.startsWith('Cost: ')).length, 1, 'one cost line');
  });

  it('a gallery file of a newer format is kept whole before it is first written, once', async () => {
    const storage = vscode.Uri.file(path.join(folder(), 'storage'));
    fs.mkdirSync(storage.fsPath, { recursive: true });
    const newer = JSON.stringify({ format: 'ideogram-gallery', version: 2, entries: [], albums: [{ name: 'Logos' }] });
    fs.writeFileSync(path.join(storage.fsPath, 'gallery.json'), newer);
    // And the leftover of a replace that a crash cut off an hour ago (a fresh one may be another window's write).
    const stale = path.join(storage.fsPath, 'gallery.json.0123abcd.partial');
    const fresh = path.join(storage.fsPath, 'gallery.json.4567ef01.partial');
    fs.writeFileSync(stale, '{"format"');
    fs.writeFileSync(fresh, '{"format"');
    const anHourAgo = new Date(Date.now() - 60 * 60_000);
    fs.utimesSync(stale, anHourAgo, anHourAgo);
    const persistence = fileGalleryPersistence(storage);
    await persistence.read();
    assert.ok(!fs.existsSync(stale) && fs.existsSync(fresh), 'the stale leftover is removed, the fresh one kept');
    fs.rmSync(fresh);
    await persistence.read();
    await persistence.write({ format: 'ideogram-gallery', version: 1, entries: [] });
    const kept = fs.readdirSync(storage.fsPath).filter((name) => name.startsWith('gallery.kept-'));
    assert.strictEqual(kept.length, 1, `one copy: ${kept.join(', ')}`);
    assert.strictEqual(
      fs.readFileSync(path.join(storage.fsPath, kept[0]), 'utf8'),
      newer,
      'the copy is the file as it was',
    );
  });

  it('Rebuild Gallery marks images it adopts from a recipe found in the workspace, and Find Unused Images does not offer them', async function () {
    this.timeout(120_000);
    // A forged recipe beside any image: anyone can write one.
    const image = path.join(folder(), 'forged.png');
    fs.writeFileSync(image, renderImage(6, 256, 256, 'png', { scale: 0.25 }));
    fs.writeFileSync(
      path.join(folder(), 'forged.ideogram.json'),
      JSON.stringify({
        generator: 'ideogram-vscode',
        version: 1,
        image: 'forged.png',
        createdAt: '2026-12-01T10:00:00.000Z',
        prompt: 'Forged',
        request: {
          prompt: 'Forged',
          resolution: 'RESOLUTION_1024_1024',
          style_type: 'GENERAL',
          magic_prompt_option: 'AUTO',
        },
      }),
    );
    await vscode.commands.executeCommand('ideogram.rebuildGallery');
    const uri = vscode.Uri.file(image);
    const entry = await waitFor(() => api.sidebar.gallery.entryFor(uri), 'the adopted entry');
    assert.strictEqual(entry.adopted, true);
    const search = await vscode.commands.executeCommand<{ unused: string[] }>('ideogram.findUnusedImages', {
      dryRun: true,
    });
    assert.ok(!search.unused.includes(uri.toString()), 'an adopted image is not offered for deletion');
  });
});
