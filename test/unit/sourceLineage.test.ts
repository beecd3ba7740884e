// The source of an image made by an image action (src/core/sourceLineage.ts), carried by every place a recipe is kept:
// the job record, the gallery entry, the embedded recipe (PNG text, JPEG XMP and Exif) and the sidecar. Old files
// without it read as before; a file naming a lineage this version cannot read (a newer action) is kept whole.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  GalleryStore,
  recipeFromSidecar,
  recipeSidecar,
  type GalleryDocument,
  type GalleryEntry,
} from '../../src/core/galleryStore';
import { type JobRecord, JobStore, parseJobRecord } from '../../src/core/jobStore';
import {
  embedRecipe,
  parametersText,
  readImageRecipe,
  recipeFromParameters,
  type ImageRecipe,
} from '../../src/core/recipeMetadata';
import { validateRequest, type ValidRequest } from '../../src/core/request';
import { reframeSizes, reframeSizesFor } from '../../src/core/imageActions';
import { modelBySlug } from '../../src/core/models/registry';
import {
  actionChoicesOf,
  isWorkspaceRelativePath,
  readSourceLineage,
  sourceCheck,
  sourceFileName,
  type SourceLineage,
} from '../../src/core/sourceLineage';
import { renderImage } from '../fake-segmind/image';

const HASH = 'a'.repeat(64);
const OTHER_HASH = 'b'.repeat(64);
const UPLOADED = 'https://images.segmind.com/assets/banner-1234.jpg';
const SOURCE: SourceLineage = { path: 'docs/assets/banner.jpg', sha256: HASH, action: 'reframe', url: UPLOADED };
/** What a newer version might write: an action this one does not have. */
const NEWER_SOURCE = { path: 'docs/assets/banner.jpg', sha256: HASH, action: 'inpaint' };

function withoutFields(request: object, names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(request).filter(([name]) => !names.includes(name)));
}

function valid(input: Record<string, unknown>): ValidRequest {
  const validated = validateRequest(input);
  assert.ok(validated.ok, JSON.stringify(validated));
  return validated.request;
}

const REFRAME = valid({ model: 'ideogram-3-reframe', prompt: 'banner', image: UPLOADED, resolution: '1280x704' });
const PROMPT_ONLY = valid({ prompt: 'A lighthouse at dusk' });

describe('source lineage', () => {
  describe('reading a stored lineage', () => {
    it('reads what was written, and none where there is none (every file written before image actions)', () => {
      assert.deepEqual(readSourceLineage(SOURCE), { kind: 'lineage', source: SOURCE });
      const { url: _url, ...withoutUrl } = SOURCE;
      assert.deepEqual(readSourceLineage(withoutUrl), { kind: 'lineage', source: withoutUrl });
      assert.deepEqual(readSourceLineage(undefined), { kind: 'none' });
    });

    it('a newer action, an extra field or a damaged hash is unreadable, not guessed at', () => {
      for (const raw of [
        NEWER_SOURCE,
        { ...SOURCE, action: 'describe' }, // makes text: no image comes from it
        { ...SOURCE, region: [0, 0, 10, 10] },
        { ...SOURCE, sha256: 'ABC' },
        { ...SOURCE, url: 'file:///home/me/banner.jpg' },
        null,
        'docs/assets/banner.jpg',
      ])
        assert.deepEqual(readSourceLineage(raw), { kind: 'unreadable' }, JSON.stringify(raw));
    });

    it('a path that would lead out of the workspace folder is refused (a recipe is written by whoever committed it)', () => {
      for (const bad of [
        '../secrets.png',
        'docs/../../etc/passwd',
        '/etc/passwd',
        'C:/Users/me/banner.jpg',
        'docs\\banner.jpg',
        'docs//banner.jpg',
        './banner.jpg',
        'banner.jpg\n',
        '',
      ]) {
        assert.equal(isWorkspaceRelativePath(bad), false, bad);
        assert.deepEqual(readSourceLineage({ ...SOURCE, path: bad }), { kind: 'unreadable' }, bad);
      }
      for (const good of ['banner.jpg', 'docs/assets/My Banner (2).jpg', 'ünïcødé/灯台.png', '..banner.jpg'])
        assert.equal(isWorkspaceRelativePath(good), true, good);
    });

    it('names the file, and tells the same, a changed and a gone source apart', () => {
      assert.equal(sourceFileName(SOURCE), 'banner.jpg');
      assert.equal(sourceFileName({ path: 'banner.jpg' }), 'banner.jpg');
      assert.equal(sourceCheck(SOURCE, HASH), 'same');
      assert.equal(sourceCheck(SOURCE, HASH.toUpperCase()), 'same');
      assert.equal(sourceCheck(SOURCE, OTHER_HASH), 'changed');
      assert.equal(sourceCheck(SOURCE, undefined), 'gone');
    });
  });

  describe('the job record', () => {
    let root: string;
    beforeEach(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), 'ideogram-lineage-'));
    });
    afterEach(async () => {
      await fs.rm(root, { recursive: true, force: true });
    });

    function job(id: string, extra: Partial<JobRecord> = {}): JobRecord {
      return {
        id,
        route: 'v2',
        endpoint: 'https://api.segmind.com/v1/ideogram-3-reframe',
        request: REFRAME,
        origin: 'command',
        workspaceFolder: 'file:///w',
        folder: 'file:///w/docs/assets',
        state: 'queued',
        createdAt: 1_700_000_000_000,
        requestId: 'abcdef0123456789',
        ...extra,
      };
    }

    it('keeps the source through a write and a read (what a resumed job saves its image with)', async () => {
      const store = new JobStore(root, 'window-a');
      await store.write(job('11111111-aaaa', { source: SOURCE }));
      assert.deepEqual((await store.read('11111111-aaaa'))?.source, SOURCE);
      assert.deepEqual((await store.listActive()).jobs[0]?.source, SOURCE);
    });

    it('reads a record written before image actions exactly as it was', () => {
      const old = JSON.parse(JSON.stringify(job('22222222-bbbb', { request: PROMPT_ONLY }))) as unknown;
      assert.deepEqual(parseJobRecord(old), old);
    });

    it('a record with a newer lineage is not read but kept whole on disk, like one of a model this version lacks', async () => {
      const store = new JobStore(root, 'window-a');
      await fs.mkdir(path.join(root, 'active'), { recursive: true });
      const text = JSON.stringify({ ...job('33333333-cccc'), source: NEWER_SOURCE });
      await fs.writeFile(path.join(root, 'active', '33333333-cccc.json'), text);
      assert.equal(parseJobRecord(JSON.parse(text)), undefined);
      const { jobs, damaged } = await store.listActive();
      assert.deepEqual(jobs, []);
      assert.deepEqual(damaged, ['33333333-cccc.json']);
      assert.equal(await fs.readFile(path.join(root, 'active', '33333333-cccc.json'), 'utf8'), text);
    });
  });

  describe('the gallery entry and its sidecar', () => {
    const entry = (extra: Partial<GalleryEntry> = {}): GalleryEntry => ({
      id: 'id-1',
      imageUri: 'file:///w/docs/assets/banner-reframe-16x9.jpg',
      prompt: 'banner',
      request: REFRAME,
      seed: 4242,
      createdAt: '2026-12-04T22:00:00.000Z',
      ...extra,
    });
    const stored = (entries: unknown[]): GalleryDocument =>
      JSON.parse(JSON.stringify({ format: 'ideogram-gallery', version: 1, entries })) as GalleryDocument;

    it('keeps the source through the stored document', () => {
      const document = stored([entry({ source: SOURCE })]);
      const { store, dropped } = GalleryStore.fromDocument(document);
      assert.equal(dropped, 0);
      assert.deepEqual(store.get('id-1')?.source, SOURCE);
      assert.deepEqual(JSON.parse(JSON.stringify(store.toDocument())), document);
    });

    it('reads an entry written before image actions unchanged', () => {
      const old = entry({ request: PROMPT_ONLY, prompt: PROMPT_ONLY.prompt });
      const { store } = GalleryStore.fromDocument(stored([old]));
      assert.deepEqual(store.get('id-1'), JSON.parse(JSON.stringify(old)));
      assert.equal(store.get('id-1')?.source, undefined);
    });

    it('an entry with a newer lineage leaves the list but is written back exactly as it was', () => {
      const newer = { ...entry({ id: 'id-2' }), source: NEWER_SOURCE };
      const ours = entry({ source: SOURCE, createdAt: '2026-12-04T21:00:00.000Z' });
      const { store } = GalleryStore.fromDocument(stored([newer, ours]));
      assert.equal(store.get('id-2'), undefined);
      assert.equal(store.search('').items.length, 1);
      assert.equal(store.setAsideOnUse, 1);
      const written = JSON.parse(JSON.stringify(store.toDocument())) as GalleryDocument;
      assert.deepEqual(written.entries, JSON.parse(JSON.stringify([ours, newer])));
    });

    it('the sidecar names the source, and reads back with it', () => {
      const sidecar = JSON.parse(JSON.stringify(recipeSidecar(entry({ source: SOURCE })))) as Record<string, unknown>;
      assert.deepEqual(sidecar.source, SOURCE);
      assert.deepEqual(recipeFromSidecar(sidecar)?.source, SOURCE);
      assert.equal(recipeFromSidecar(sidecar)?.request.image, UPLOADED);
    });

    it('an old sidecar reads as before; one with a newer lineage is not read', () => {
      const old = JSON.parse(JSON.stringify(recipeSidecar(entry({ request: PROMPT_ONLY })))) as Record<string, unknown>;
      assert.equal('source' in old, false);
      const read = recipeFromSidecar(old);
      assert.equal(read?.request.prompt, PROMPT_ONLY.prompt);
      assert.equal(read?.seed, 4242);
      assert.equal(read?.source, undefined);
      assert.equal(recipeFromSidecar({ ...old, source: NEWER_SOURCE }), undefined);
    });
  });

  describe('the recipe embedded in the image', () => {
    const png = new Uint8Array(renderImage(3, 64, 64, 'png', { scale: 1 }));
    const jpeg = new Uint8Array(renderImage(3, 64, 64, 'jpeg', { scale: 1 }));
    const recipe: ImageRecipe = {
      request: REFRAME,
      seed: 4242,
      createdAt: '2026-12-04T22:00:00.000Z',
      model: 'ideogram-3-reframe',
      generator: 'Ideogram for VS Code 0.1.0',
      source: SOURCE,
    };
    const embed = (bytes: Uint8Array, what: ImageRecipe) => {
      const result = embedRecipe(bytes, what);
      assert.ok(result.ok, result.ok ? '' : result.reason);
      return result.value;
    };

    it('PNG and JPEG carry the source in their XMP recipe and read it back', () => {
      for (const image of [png, jpeg])
        assert.deepEqual(readImageRecipe(embed(image, recipe)), { kind: 'recipe', recipe, source: 'xmp' });
    });

    it('the parameters text names the source and its picture, and alone gives back the action and its source', () => {
      const text = parametersText(recipe);
      assert.match(text, /Source image: https:\/\/images\.segmind\.com\/assets\/banner-1234\.jpg/);
      assert.match(text, new RegExp(`Source: docs/assets/banner.jpg, Source action: reframe, Source SHA-256: ${HASH}`));
      const back = recipeFromParameters(text);
      assert.equal(back?.request.model, 'ideogram-3-reframe');
      assert.equal(back?.request.image, UPLOADED);
      const { url: _url, ...withoutUrl } = SOURCE;
      assert.deepEqual(back?.source, withoutUrl, 'the upload URL is the picture field, not repeated');
    });

    it('an image written before image actions reads as before: no source', () => {
      const { source: _source, ...old } = recipe;
      const prompt: ImageRecipe = { ...old, request: PROMPT_ONLY, model: 'ideogram-txt-2-img' };
      const reading = readImageRecipe(embed(png, prompt));
      assert.deepEqual(reading, { kind: 'recipe', recipe: prompt, source: 'xmp' });
      assert.doesNotMatch(parametersText(prompt), /Source/);
    });

    it("an image with a newer lineage is not read as this version's recipe", () => {
      const newer = { ...recipe, source: NEWER_SOURCE as unknown as SourceLineage };
      for (const image of [png, jpeg]) assert.notEqual(readImageRecipe(embed(image, newer)).kind, 'recipe');
      assert.equal(recipeFromParameters(parametersText(newer)), undefined);
    });
  });

  describe('Regenerate: the action again on its source', () => {
    it('the same model, words and options, without the uploaded picture (the source is uploaded again)', () => {
      const remix = valid({ model: 'ideogram-3-remix', prompt: 'at night', image: UPLOADED, image_weight: 70 });
      const choices = actionChoicesOf(remix, undefined);
      assert.deepEqual(choices, {
        model: 'ideogram-3-remix',
        prompt: 'at night',
        options: { ...withoutFields(remix, ['model', 'prompt', 'image', 'seed']) },
      });
      assert.equal(choices.options.image_weight, 70);
      const character = valid({
        model: 'ideogram-character',
        prompt: 'in a café',
        character_reference_image: UPLOADED,
      });
      assert.equal('character_reference_image' in actionChoicesOf(character, undefined).options, false);
    });

    it('Same Seed keeps the seed; Regenerate leaves it to the API', () => {
      const seeded = valid({ model: 'ideogram-3-remix', prompt: 'at night', image: UPLOADED, seed: 4242 });
      assert.equal(actionChoicesOf(seeded, 4242).options.seed, 4242);
      assert.equal('seed' in actionChoicesOf(seeded, undefined).options, false);
    });

    it('Reframe asks for the same size, by the purpose it was made for when one resolves to it', () => {
      const model = modelBySlug('ideogram-3-reframe')!;
      const hero = reframeSizes(model).find((size) => size.purpose === 'hero')!;
      const forHero = valid({ model: model.slug, prompt: 'banner', image: UPLOADED, resolution: hero.choice });
      assert.deepEqual(actionChoicesOf(forHero, undefined).sizes, ['hero']);
      const own = actionChoicesOf(REFRAME, undefined).sizes;
      assert.deepEqual(
        reframeSizesFor(model, own ?? []).sizes.map((size) => size.choice),
        ['1280x704'],
      );
    });
  });
});
