// The recipe inside generated images, in the real extension host: saved images carry it (and the pixels the API
// sent), the hover on a Markdown image link shows it with working command links, "Use Recipe from Image" and a
// drop on the sidebar form fill the form, and a lost gallery comes back from the workspace's images.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import { renderImage } from '../fake-segmind/image';
import { writePngText } from '../../src/core/imageMetadata';
import { DIGITAL_SOURCE_TYPE_AI, readImageRecipe } from '../../src/core/recipeMetadata';
import type { HostMessage } from '../../src/common/protocol';
import {
  activateExtension,
  assertSameImageWithMetadata,
  closeAllEditors,
  expectedImageBytes,
  readBytes,
  removeAssets,
  type TestingApi,
  useFakeSegmind,
  waitFor,
  workspaceFolder,
} from './helpers';

interface Result {
  uri: string;
}

const PROMPT = 'A lighthouse on a cliff at dusk, flat vector, warm palette';
const OPTIONS = {
  seed: 4242,
  style_type: 'DESIGN',
  resolution: 'RESOLUTION_1280_720',
  negative_prompt: 'fog',
  color_palette: { members: [{ color_hex: '#ff8800', color_weight: 0.6 }, { color_hex: '#1e90ff' }] },
};

describe('The recipe inside images (hover, Use Recipe, Rebuild Gallery)', () => {
  let api: TestingApi;
  let fake: FakeSegmind;
  let posted: HostMessage[] = [];
  let subscription: vscode.Disposable | undefined;
  let image: vscode.Uri;
  const docs = () => vscode.Uri.joinPath(workspaceFolder().uri, 'docs');
  const configuration = () => vscode.workspace.getConfiguration('ideogram');

  async function generate(prompt = PROMPT, options: object = OPTIONS): Promise<vscode.Uri> {
    const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', { prompt, options });
    assert.ok(result, 'the image was generated');
    const uri = vscode.Uri.parse(result.uri);
    await waitFor(() => api.sidebar.gallery.entryFor(uri), 'the gallery entry');
    return uri;
  }

  async function writeMarkdown(name: string, text: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.joinPath(docs(), name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    return document;
  }

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
      .find(
        (value) => value.includes('command:ideogram.') || value.includes('No recipe') || value.includes('Made with'),
      );
  }

  /** The command links of a hover: id and arguments, as VS Code would run them on a click. */
  function commandLinks(markdown: string): Array<{ command: string; args: unknown[] }> {
    return [...markdown.matchAll(/\(command:([\w.]+)\?([^ )]+)/g)].map((match) => ({
      command: match[1],
      args: JSON.parse(decodeURIComponent(match[2])) as unknown[],
    }));
  }

  function waitForPosted<T extends HostMessage['type']>(
    type: T,
    what: string,
  ): Promise<Extract<HostMessage, { type: T }>> {
    return waitFor(
      () => posted.find((message): message is Extract<HostMessage, { type: T }> => message.type === type),
      what,
      30_000,
    );
  }

  before(async function () {
    this.timeout(120_000);
    api = (await activateExtension()) as TestingApi;
    fake = await useFakeSegmind();
    subscription = api.webview.onDidPost((message) => posted.push(message));
    await api.keys.store('integration-recipe-key');
    await removeAssets();
    image = await generate();
  });
  after(async () => {
    subscription?.dispose();
    await fake.close();
    await configuration().update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
    await configuration().update('embedRecipe', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs
      .delete(vscode.Uri.joinPath(docs(), 'recipes'), { recursive: true, useTrash: false })
      .then(undefined, () => undefined);
    for (const name of ['hover.md', 'other.md'])
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(docs(), name)).then(undefined, () => undefined);
    await closeAllEditors();
    await removeAssets();
  });
  beforeEach(() => {
    posted = [];
  });

  it('saves the image with its recipe and the AI marker inside, and the pixels the API sent', async () => {
    const bytes = await readBytes(image);
    assertSameImageWithMetadata(bytes, await expectedImageBytes(fake, 4242, 'RESOLUTION_1280_720'));
    const reading = readImageRecipe(bytes);
    assert.strictEqual(reading.kind, 'recipe');
    assert.ok(reading.kind === 'recipe');
    assert.strictEqual(reading.recipe.request.prompt, PROMPT);
    assert.strictEqual(reading.recipe.request.negative_prompt, 'fog');
    assert.strictEqual(reading.recipe.request.style_type, 'DESIGN');
    assert.strictEqual(reading.recipe.seed, 4242);
    assert.strictEqual(reading.recipe.model, 'ideogram-txt-2-img');
    assert.match(reading.recipe.generator, /^Ideogram for VS Code \d+\.\d+\.\d+/);
    const text = Buffer.from(bytes).toString('latin1');
    assert.ok(text.includes(DIGITAL_SOURCE_TYPE_AI), 'the IPTC digital-source-type marker is in the file');
    assert.ok(!text.includes('integration-recipe-key'), 'the key is not in the file');
    assert.ok(!text.includes('127.0.0.1'), "the endpoint's host is not in the file");
  });

  it('with ideogram.embedRecipe off, saves exactly the bytes the API sent', async () => {
    await configuration().update('embedRecipe', false, vscode.ConfigurationTarget.Workspace);
    try {
      const plain = await generate('A plain image without a recipe inside', { seed: 99 });
      assert.deepStrictEqual(Buffer.from(await readBytes(plain)), Buffer.from(await expectedImageBytes(fake, 99)));
    } finally {
      await configuration().update('embedRecipe', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('hovering an image link shows the thumbnail, the recipe and trusted command links, for every link form', async function () {
    this.timeout(60_000);
    const name = image.path.slice(image.path.lastIndexOf('/') + 1);
    const document = await writeMarkdown(
      'hover.md',
      [
        '# Images',
        '',
        `Inline: ![a lighthouse](../assets/${encodeURI(name)} "Dusk")`,
        '',
        `<p><img src="../assets/${name}" width="300"></p>`,
        '',
        'Reference: ![the lighthouse][dusk]',
        '',
        `[dusk]: </assets/${name}>`,
        '',
        '![missing](../assets/nothing-here.png) and ![web](https://example.com/a.png)',
        '',
      ].join('\n'),
    );
    const started = Date.now();
    const inline = await waitFor(() => hoverAt(document, new vscode.Position(2, 12)), 'the hover on the inline link');
    const firstHoverMs = Date.now() - started;
    assert.ok(
      inline.includes(`<img src="./${name}"`),
      `the thumbnail is the workspace image, not a data URL:\n${inline}`,
    );
    assert.ok(!inline.includes('data:image'), 'no data URL');
    for (const expected of [
      'A lighthouse on a cliff at dusk',
      'Seed: 4242',
      '1280 × 720 (16:9)',
      'DESIGN',
      'color:#ff8800;',
      'color:#1e90ff;',
      'recipe embedded in the image',
    ]) {
      assert.ok(
        inline.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).includes(expected),
        `the hover shows ${expected}:\n${inline}`,
      );
    }
    const links = commandLinks(inline);
    assert.deepStrictEqual(
      links.map((link) => link.command),
      [
        'ideogram.regenerateFromImage',
        'ideogram.regenerateFromImage',
        'ideogram.useRecipeFromImage',
        'ideogram.copyPromptFromImage',
        'ideogram.showImageInGallery',
        // The image actions on the picture (#22), with the link's place for Replace the Link.
        'ideogram.remixImage',
        'ideogram.reframeImage',
        'ideogram.replaceImageBackground',
        'ideogram.newSceneWithCharacter',
      ],
    );
    assert.deepStrictEqual(
      links.map((link) => (link.args[0] as { seed?: string }).seed),
      ['new', 'same', undefined, undefined, undefined, undefined, undefined, undefined, undefined],
    );

    for (const [line, character, what] of [
      [4, 10, '<img src>'],
      [6, 15, 'a reference image'],
      [8, 3, 'the reference definition'],
    ] as const) {
      const markdown = await hoverAt(document, new vscode.Position(line, character));
      assert.ok(markdown?.includes('ideogram.copyPromptFromImage'), `the hover on ${what}`);
    }
    assert.strictEqual(
      await hoverAt(document, new vscode.Position(10, 4)),
      undefined,
      'a missing file: no hover of ours',
    );
    assert.strictEqual(
      await hoverAt(document, new vscode.Position(10, 45)),
      undefined,
      'a web image: no hover of ours',
    );

    const timings: number[] = [];
    for (let round = 0; round < 10; round++) {
      const t = performance.now();
      const shown = await hoverAt(document, new vscode.Position(2, 12));
      timings.push(performance.now() - t);
      assert.ok(shown?.includes('ideogram.copyPromptFromImage'), `the hover appears every time (round ${round + 1})`);
    }
    timings.sort((a, b) => a - b);
    // How fast is the bench's figure (goal < 100 ms): printed here, asserted there, never on a busy test machine.
    console.log(
      `      hover on a local image: first ${firstHoverMs} ms, median ${timings[5].toFixed(1)} ms, max ${timings[9].toFixed(1)} ms (all hover providers)`,
    );
  });

  it("the hover's Copy Prompt, Use Recipe… and Show in Gallery links do what they say", async () => {
    const name = image.path.slice(image.path.lastIndexOf('/') + 1);
    const document = await writeMarkdown('hover.md', `![x](../assets/${encodeURI(name)})\n`);
    const markdown = await waitFor(() => hoverAt(document, new vscode.Position(0, 3)), 'the hover');
    const link = (command: string) => commandLinks(markdown).find((candidate) => candidate.command === command);

    await vscode.env.clipboard.writeText('');
    const copy = link('ideogram.copyPromptFromImage');
    assert.ok(copy);
    await vscode.commands.executeCommand(copy.command, ...copy.args);
    assert.strictEqual(await vscode.env.clipboard.readText(), PROMPT);

    const remix = link('ideogram.useRecipeFromImage');
    assert.ok(remix);
    assert.strictEqual(await vscode.commands.executeCommand(remix.command, ...remix.args), true);
    const filled = await waitForPosted('fillForm', 'the form to be filled');
    assert.strictEqual(filled.request.prompt, PROMPT);
    assert.strictEqual(filled.request.style_type, 'DESIGN');
    assert.strictEqual(filled.request.resolution, 'RESOLUTION_1280_720');
    assert.deepStrictEqual(filled.request.color_palette, OPTIONS.color_palette);
    assert.strictEqual(filled.seed, 4242);
    assert.ok(api.sidebar.provider.isReady, 'the sidebar is open');

    const show = link('ideogram.showImageInGallery');
    assert.ok(show);
    assert.strictEqual(await vscode.commands.executeCommand(show.command, ...show.args), true);
    const shown = await waitForPosted('showItem', 'the image to be shown in the gallery');
    assert.strictEqual(shown.item.uri, image.toString());
    assert.strictEqual(shown.item.prompt, PROMPT);
  });

  it('"Use Recipe from Image" (Explorer) and an image dropped on the form fill the form from the file', async () => {
    // A copy of the image elsewhere: no sidecar, not in the gallery. Only the file carries the recipe.
    const copy = vscode.Uri.joinPath(docs(), 'recipes', 'copied.jpg');
    await vscode.workspace.fs.copy(image, copy, { overwrite: true });
    assert.strictEqual(await vscode.commands.executeCommand('ideogram.useRecipeFromImage', copy, [copy]), true);
    const filled = await waitForPosted('fillForm', 'the form to be filled');
    assert.deepStrictEqual({ prompt: filled.request.prompt, seed: filled.seed }, { prompt: PROMPT, seed: 4242 });

    posted = [];
    await api.webview.send({ type: 'useRecipe', uri: copy.toString() });
    const dropped = await waitForPosted('fillForm', 'the form to be filled by the drop');
    assert.strictEqual(dropped.request.negative_prompt, 'fog');
  });

  it('shows plainly that an image has no recipe, and the prompt of an AUTOMATIC1111 image', async () => {
    const folder = vscode.Uri.joinPath(docs(), 'recipes');
    const bare = vscode.Uri.joinPath(folder, 'bare.png');
    await vscode.workspace.fs.writeFile(bare, renderImage(5, 256, 256, 'png', { scale: 0.25 }));
    const a1111 = writePngText(new Uint8Array(renderImage(6, 256, 256, 'png', { scale: 0.25 })), [
      {
        keyword: 'parameters',
        text: 'a red fox in the snow, photo\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x512',
      },
    ]);
    assert.ok(a1111.ok);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'fox.png'), a1111.value);
    const document = await writeMarkdown('other.md', '![bare](recipes/bare.png)\n\n![fox](recipes/fox.png)\n');
    const none = await waitFor(
      () => hoverAt(document, new vscode.Position(0, 3)),
      'the hover on an image without a recipe',
    );
    assert.ok(none.includes('No recipe'), none);
    assert.ok(!none.includes('ideogram.regenerateFromImage'), 'nothing to regenerate');
    const fox = await waitFor(
      () => hoverAt(document, new vscode.Position(2, 3)),
      'the hover on an AUTOMATIC1111 image',
    );
    assert.ok(fox.includes('Made with AUTOMATIC1111'), fox);
    assert.ok(
      fox
        .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
        .includes('a red fox in the snow, photo'),
      fox,
    );
  });

  it('"Rebuild Gallery from Workspace Images" restores lost entries from embedded recipes and sidecars', async function () {
    this.timeout(120_000);
    // One image with its recipe inside only (its sidecar removed), one with a sidecar only (embedding off).
    await vscode.workspace.fs.delete(
      vscode.Uri.joinPath(
        image,
        '..',
        image.path.slice(image.path.lastIndexOf('/') + 1).replace(/\.jpg$/, '.ideogram.json'),
      ),
    );
    await configuration().update('embedRecipe', false, vscode.ConfigurationTarget.Workspace);
    const sidecarOnly = await generate('A windmill in a tulip field, sidecar only', { seed: 777 });
    await configuration().update('embedRecipe', undefined, vscode.ConfigurationTarget.Workspace);
    assert.strictEqual(
      readImageRecipe(await readBytes(sidecarOnly)).kind,
      'none',
      'nothing embedded in the second image',
    );

    // The history is lost.
    for (const uri of [image, sidecarOnly]) {
      const entry = await api.sidebar.gallery.entryFor(uri);
      assert.ok(entry);
      api.sidebar.gallery.remove(entry.id);
      assert.strictEqual(await api.sidebar.gallery.entryFor(uri), undefined);
    }

    const result = await vscode.commands.executeCommand<{ restored: number; alreadyThere: number; examined: number }>(
      'ideogram.rebuildGallery',
    );
    assert.ok(result);
    assert.ok(result.restored >= 2, JSON.stringify(result));
    const restored = await api.sidebar.gallery.entryFor(image);
    assert.ok(restored, 'the image with an embedded recipe is back');
    assert.deepStrictEqual(
      { prompt: restored.prompt, seed: restored.seed, style: restored.request.style_type },
      { prompt: PROMPT, seed: 4242, style: 'DESIGN' },
    );
    const fromSidecar = await api.sidebar.gallery.entryFor(sidecarOnly);
    assert.ok(fromSidecar, 'the image with a sidecar is back');
    assert.strictEqual(fromSidecar.seed, 777);
    assert.strictEqual(
      await api.sidebar.gallery.entryFor(vscode.Uri.joinPath(docs(), 'recipes', 'bare.png')),
      undefined,
      'an image without a recipe is not added',
    );

    const again = await vscode.commands.executeCommand<{ restored: number; alreadyThere: number }>(
      'ideogram.rebuildGallery',
    );
    assert.strictEqual(again?.restored, 0, 'a second rebuild adds nothing');
    await api.sidebar.gallery.flush();
  });
});
