// Every model in the real extension host: a generation with Ideogram 3.0 (Quality, a WxH size) goes to its own
// route with exactly its fields; the gallery entry, the hover, the embedded recipe (read by us and by exiftool) and
// the sidecar name the model; Regenerate uses it; Ideogram 4.0 with 4 images in one job saves 4 files and offers
// them like variations; the palette's command and the Copilot tool take a model.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import { readImageRecipe } from '../../src/core/recipeMetadata';
import type { GalleryItemView, HostMessage } from '../../src/common/protocol';
import {
  activateExtension,
  closeAllEditors,
  removeAssets,
  type TestingApi,
  useFakeSegmind,
  waitFor,
  workspaceFolder,
} from './helpers';

const KEY = 'integration-models-key';

async function assetImages(): Promise<string[]> {
  const folder = vscode.Uri.joinPath(workspaceFolder().uri, 'assets');
  const entries = await vscode.workspace.fs
    .readDirectory(folder)
    .then(undefined, () => [] as Array<[string, vscode.FileType]>);
  return entries
    .map(([name]) => name)
    .filter((name) => /\.(jpe?g|png)$/.test(name))
    .sort();
}

describe('Ideogram models (3.0, 4.0) in the extension host', () => {
  let api: TestingApi;
  let fake: FakeSegmind;
  let posted: HostMessage[] = [];
  let subscription: vscode.Disposable | undefined;
  let runCounter = 0;
  const nextRunId = () => `it-models-${++runCounter}`;
  const waitForPosted = <T extends HostMessage['type']>(
    type: T,
    match: (message: Extract<HostMessage, { type: T }>) => boolean,
    what: string,
  ) =>
    waitFor(
      () =>
        posted.find(
          (message): message is Extract<HostMessage, { type: T }> =>
            message.type === type && match(message as Extract<HostMessage, { type: T }>),
        ),
      what,
      30_000,
    );
  /** The JSON bodies the fake received on a route, in order. */
  const received = (route: string) =>
    fake.requests.filter((request) => request.path === route).map((request) => request.json as Record<string, unknown>);

  before(async function () {
    this.timeout(60_000);
    api = (await activateExtension()) as TestingApi;
    fake = await useFakeSegmind();
    subscription = api.webview.onDidPost((message) => posted.push(message));
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => api.sidebar.provider.isReady, 'the sidebar to be ready', 30_000);
  });
  after(async () => {
    subscription?.dispose();
    await fake.close();
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
    await removeAssets();
  });
  beforeEach(async () => {
    fake.reset();
    posted = [];
    await api.keys.store(KEY);
    await removeAssets();
    await closeAllEditors();
  });

  it('Ideogram 3.0, Quality, 1344x768: its route and exactly its fields; gallery, recipe, exiftool and Regenerate name the model', async () => {
    const runId = nextRunId();
    await api.webview.send({
      type: 'generate',
      runId,
      request: {
        model: 'ideogram-3',
        prompt: 'A poster that says "Harbour Days", flat design',
        rendering_speed: 'QUALITY',
        resolution: '1344x768',
        seed: 4242,
        style_type: 'DESIGN',
      },
    });
    const finished = await waitForPosted('runFinished', (message) => message.runId === runId, 'the run to finish');
    assert.strictEqual(finished.outcome, 'done');

    // What Segmind received: the model's own route and dialect, nothing of V2's (the fake refuses those with a 400).
    assert.deepStrictEqual(received('/v2/ideogram-3'), [
      {
        prompt: 'A poster that says "Harbour Days", flat design',
        rendering_speed: 'QUALITY',
        resolution: '1344x768',
        seed: 4242,
        style_type: 'DESIGN',
        magic_prompt: 'AUTO',
      },
    ]);
    assert.deepStrictEqual(received('/v2/ideogram-txt-2-img'), [], 'nothing went to the V2 model');

    // The gallery entry names the model and keeps its options.
    const item = finished.item as GalleryItemView;
    const entry = api.sidebar.gallery.get(item.id);
    assert.ok(entry);
    assert.strictEqual(entry.request.model, 'ideogram-3');
    assert.strictEqual(entry.request.rendering_speed, 'QUALITY');
    assert.deepStrictEqual([item.width, item.height], [1344, 768]);

    // The embedded recipe: read by us, and by exiftool (an independent reader).
    const [name] = await assetImages();
    const file = vscode.Uri.joinPath(workspaceFolder().uri, 'assets', name);
    const reading = readImageRecipe(await vscode.workspace.fs.readFile(file));
    assert.ok(reading.kind === 'recipe', reading.kind);
    assert.strictEqual(reading.recipe.request.model, 'ideogram-3');
    assert.strictEqual(reading.recipe.model, 'ideogram-3');
    const tags = (
      JSON.parse(
        execFileSync('exiftool', ['-j', '-G1', '-XMP:all', '-EXIF:UserComment', file.fsPath], { encoding: 'utf8' }),
      ) as Array<Record<string, unknown>>
    )[0];
    const fromExiftool = JSON.parse(String(tags['XMP-ideogram:Recipe'])) as {
      request: { model: string; rendering_speed: string };
    };
    assert.deepStrictEqual(
      [fromExiftool.request.model, fromExiftool.request.rendering_speed],
      ['ideogram-3', 'QUALITY'],
    );
    assert.match(String(tags['ExifIFD:UserComment']), /Model: ideogram-3, Model name: Ideogram 3\.0 · Quality/);

    // The sidecar too.
    const sidecar = JSON.parse(
      Buffer.from(
        await vscode.workspace.fs.readFile(
          vscode.Uri.joinPath(workspaceFolder().uri, 'assets', name.replace(/\.\w+$/, '.ideogram.json')),
        ),
      ).toString('utf8'),
    ) as { request: { model: string } };
    assert.strictEqual(sidecar.request.model, 'ideogram-3');

    // The hover on a Markdown link to it names it as people do.
    const markdown = vscode.Uri.joinPath(workspaceFolder().uri, 'models-hover.md');
    await vscode.workspace.fs.writeFile(markdown, new TextEncoder().encode(`![poster](assets/${encodeURI(name)})\n`));
    try {
      const document = await vscode.workspace.openTextDocument(markdown);
      await vscode.window.showTextDocument(document);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        new vscode.Position(0, 4),
      );
      const hover = hovers
        .flatMap((each) => each.contents)
        .map((content) => (typeof content === 'string' ? content : content.value))
        .find((value) => value.includes('command:ideogram.'));
      assert.ok(hover, 'our hover');
      assert.match(hover, /Ideogram 3&#46;0 · Quality/);
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(markdown).then(undefined, () => undefined);
    }

    // Use Recipe from Image (and Remix) fills the form with the model and its options, so Generate uses the same model.
    await vscode.commands.executeCommand('ideogram.useRecipeFromImage', file);
    const filled = await waitForPosted('fillForm', () => true, 'the form to be filled');
    assert.strictEqual(filled.request.model, 'ideogram-3');
    assert.strictEqual(filled.request.rendering_speed, 'QUALITY');
    // Regenerate asks first (a modal the extension host cannot answer: test/e2e/regenerateModel.e2e.mjs clicks it),
    // then runs Generate Image with the recipe's options: the same command with those options goes to the same model.
    const { prompt, ...options } = filled.request;
    fake.reset();
    await vscode.commands.executeCommand('ideogram.generateImage', { prompt, options });
    assert.strictEqual(received('/v2/ideogram-3').length, 1, 'regenerated with Ideogram 3.0');
    assert.strictEqual(received('/v2/ideogram-3')[0].rendering_speed, 'QUALITY');
    assert.deepStrictEqual(received('/v2/ideogram-txt-2-img'), []);
  });

  it('Ideogram 4.0 with 4 images in one job: one submit, 4 files saved, offered like variations', async () => {
    const runId = nextRunId();
    await api.webview.send({
      type: 'generate',
      runId,
      request: {
        model: 'ideogram-4',
        prompt: 'Four poster ideas for "Open Day"',
        num_images: 4,
        image_size: 'landscape_16_9',
        seed: 500,
      },
    });
    const variations = await waitForPosted('variations', () => true, 'the four images to be offered');
    assert.strictEqual(variations.items.length, 4);
    assert.strictEqual(received('/v2/ideogram-4').length, 1, 'one job');
    assert.strictEqual(received('/v2/ideogram-4')[0].num_images, 4);
    const files = await assetImages();
    assert.strictEqual(files.length, 4, files.join(', '));
    for (const item of variations.items)
      assert.strictEqual(api.sidebar.gallery.get(item.id)?.request.model, 'ideogram-4');
  });

  it('the palette command and its arguments take a model; a field the model does not take is refused before anything is sent', async () => {
    const result = await vscode.commands.executeCommand<{ uri: string } | undefined>('ideogram.generateImage', {
      prompt: 'A quick sketch of a lighthouse',
      options: { model: 'ideogram-turbo-txt-2-img', style_type: 'REALISTIC' },
    });
    assert.ok(result?.uri);
    assert.strictEqual(received('/v2/ideogram-turbo-txt-2-img').length, 1);
    assert.strictEqual(received('/v2/ideogram-turbo-txt-2-img')[0].style_type, 'REALISTIC');
    const refused = await vscode.commands.executeCommand('ideogram.generateImage', {
      prompt: 'x',
      options: { model: 'ideogram-4', negative_prompt: 'fog' },
    });
    assert.strictEqual(refused, undefined);
    assert.strictEqual(received('/v2/ideogram-4').length, 0, 'nothing sent for a request the model cannot take');
  });

  it("the Copilot tool takes a model and its options, and refuses another model's option with a message naming it", async () => {
    const tool = api.tool;
    const source = new vscode.CancellationTokenSource();
    const text = await tool.run(
      { prompt: 'A harbour at dawn', model: 'ideogram-3', options: { rendering_speed: 'TURBO' } },
      source.token,
    );
    assert.match(text, /Saved the image as/);
    assert.strictEqual(received('/v2/ideogram-3')[0].rendering_speed, 'TURBO');
    const refusal = await tool.run(
      { prompt: 'A harbour at dawn', model: 'ideogram-3', options: { magic_prompt_option: 'ON' } },
      source.token,
    );
    assert.match(refusal, /magic_prompt_option/);
    assert.strictEqual(received('/v2/ideogram-3').length, 1);
  });
});
