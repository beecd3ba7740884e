// The cost of the recipe inside images (issue 12), in plain Node on the compiled core: embedding it into a
// 1.5 MB JPEG and PNG as the save step does, and reading it back as the hover does (before any VS Code work).
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { summary } from './lib.mjs';

/** `stage`: the folder holding the compiled out/ (the bench's staged checkout). */
export function recipeCosts({ stage, imageBytes, rounds = 200 }) {
  const require = createRequire(import.meta.url);
  const { embedRecipe, readImageRecipe } = require(path.join(stage, 'out/src/core/recipeMetadata.js'));
  const { renderImage } = require(path.join(stage, 'out/test/fake-segmind/image.js'));
  const recipe = {
    request: {
      prompt: 'A lighthouse on a cliff at dusk, flat vector illustration, warm light',
      negative_prompt: 'blurry',
      magic_prompt_option: 'AUTO',
      resolution: 'RESOLUTION_1024_1024',
      style_type: 'DESIGN',
      seed: 42,
    },
    seed: 42,
    createdAt: new Date().toISOString(),
    model: 'ideogram-txt-2-img',
    generator: 'Ideogram for VS Code 0.1.0',
  };
  const result = {};
  for (const format of ['jpeg', 'png']) {
    const image = new Uint8Array(renderImage(7, 1024, 1024, format, { scale: 1, targetBytes: imageBytes }));
    const embedMs = [];
    const readMs = [];
    let embedded;
    for (let round = 0; round < rounds; round++) {
      let t = performance.now();
      const written = embedRecipe(image, recipe);
      embedMs.push(performance.now() - t);
      if (!written.ok) throw new Error(`embedRecipe (${format}): ${written.reason}`);
      embedded = written.value;
      t = performance.now();
      const reading = readImageRecipe(embedded);
      readMs.push(performance.now() - t);
      if (reading.kind !== 'recipe') throw new Error(`readImageRecipe (${format}) found ${reading.kind}`);
    }
    const brief = (values) => {
      const { samples: _samples, ...rest } = summary(values.slice(10), 3);
      return rest;
    };
    result[format] = {
      bytes: image.length,
      addedBytes: embedded.length - image.length,
      embedMs: brief(embedMs),
      readMs: brief(readMs),
    };
  }
  return result;
}

/**
 * Hostile files refused (the unit tier checks that they are, test/unit/recipeMetadata.test.ts; this, how fast):
 * a PNG of a million empty text chunks, and an XMP packet past the reader's cap.
 */
export function hostileRecipeReads({ stage, rounds = 5 }) {
  const require = createRequire(import.meta.url);
  const { readImageRecipe, recipeXmp } = require(path.join(stage, 'out/src/core/recipeMetadata.js'));
  const { METADATA_LIMITS, pngTextChunk, writePngText } = require(path.join(stage, 'out/src/core/imageMetadata.js'));
  const { renderImage } = require(path.join(stage, 'out/test/fake-segmind/image.js'));
  const png = new Uint8Array(renderImage(7, 1024, 1024, 'png'));
  const tiny = pngTextChunk('a', '');
  const manyChunks = new Uint8Array(33 + tiny.length * 1_000_000);
  manyChunks.set(png.subarray(0, 33), 0);
  for (let i = 0; i < 1_000_000; i++) manyChunks.set(tiny, 33 + i * tiny.length);
  const recipe = {
    request: { prompt: 'x', magic_prompt_option: 'AUTO', resolution: 'RESOLUTION_1024_1024', style_type: 'GENERAL' },
    createdAt: new Date().toISOString(),
    generator: 'Ideogram for VS Code 0.1.0',
  };
  const huge = writePngText(png, [
    {
      keyword: 'XML:com.adobe.xmp',
      text: `${recipeXmp(recipe)}${' '.repeat(METADATA_LIMITS.maxTextBytes)}`,
      international: true,
    },
  ]);
  if (!huge.ok) throw new Error(`writePngText: ${huge.reason}`);
  const time = (bytes, expected) =>
    Array.from({ length: rounds }, () => {
      const t = performance.now();
      const reading = readImageRecipe(bytes);
      const ms = performance.now() - t;
      if (reading.kind !== expected) throw new Error(`readImageRecipe found ${reading.kind}, expected ${expected}`);
      return ms;
    });
  const brief = (values) => {
    const { samples: _samples, ...rest } = summary(values, 3);
    return rest;
  };
  return { millionChunksMs: brief(time(manyChunks, 'unreadable')), hugeXmpMs: brief(time(huge.value, 'none')) };
}

/** The gallery's index in plain Node (test/unit/galleryStore.test.ts checks what it finds): load 1,000 entries, search them. */
export function galleryStoreCosts({ stage, rounds = 50 }) {
  const require = createRequire(import.meta.url);
  const { GalleryStore } = require(path.join(stage, 'out/src/core/galleryStore.js'));
  const entries = Array.from({ length: 1000 }, (_, index) => {
    const prompt = index % 10 === 0 ? `Lighthouse study ${index}` : `Harbour sketch ${index}`;
    return {
      id: `id-${index}`,
      imageUri: `file:///work/assets/image-${index}.jpg`,
      prompt,
      seed: 1000 + index,
      request: { prompt, magic_prompt_option: 'AUTO', resolution: 'RESOLUTION_1024_1024', style_type: 'GENERAL' },
      createdAt: new Date(Date.UTC(2026, 10, 1) + index * 60_000).toISOString(),
    };
  });
  const loadMs = [];
  const searchMs = [];
  for (let round = 0; round < rounds; round++) {
    let t = performance.now();
    const store = new GalleryStore(entries);
    loadMs.push(performance.now() - t);
    t = performance.now();
    const page = store.search('lighthouse', 40, 30);
    searchMs.push(performance.now() - t);
    if (page.total !== 100) throw new Error(`the search found ${page.total}, expected 100`);
  }
  const brief = (values) => {
    const { samples: _samples, ...rest } = summary(values.slice(5), 3);
    return rest;
  };
  return { entries: entries.length, loadMs: brief(loadMs), searchMs: brief(searchMs) };
}

/**
 * 10b. Loading a gallery of 10,000 as a window does on its first use of the gallery (issue #25): the text of a
 * `gallery.json` as the extension writes it (newest first, ~3.5 MB) through `JSON.parse`, `isFullyUnderstood` (the
 * persistence's check) and `GalleryStore.fromDocument`, then the first page (60, each checked in full) and a first
 * search (which builds the search text of every entry). Plain Node, the compiled core; the extension host reads the
 * file before, once a window.
 */
export function galleryFileLoad({ stage, rounds = 20, count = 10_000 }) {
  const require = createRequire(import.meta.url);
  const { GalleryStore, isFullyUnderstood } = require(path.join(stage, 'out/src/core/galleryStore.js'));
  const start = Date.UTC(2026, 0, 1);
  const entries = Array.from({ length: count }, (_, index) => {
    const prompt =
      index % 10 === 0
        ? `Lighthouse study ${index}, ink on paper`
        : `Harbour sketch number ${index}: boats at dusk, warm light over the water`;
    return {
      id: `id-${index}`,
      imageUri: `file:///work/assets/image-${index}.jpg`,
      prompt,
      seed: 1000 + index,
      request: {
        model: 'ideogram-txt-2-img',
        prompt,
        magic_prompt_option: 'AUTO',
        resolution: 'RESOLUTION_1024_1024',
        style_type: 'GENERAL',
      },
      createdAt: new Date(start + index * 60_000).toISOString(),
    };
  });
  const text = JSON.stringify(new GalleryStore(entries.slice(-1)).toDocument()).replace(
    /"entries":\[.*\]/,
    `"entries":${JSON.stringify(entries.reverse())}`,
  );
  const samples = { parseMs: [], checkMs: [], storeMs: [], firstPageMs: [], firstSearchMs: [], totalMs: [] };
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const document = JSON.parse(text);
    const t1 = performance.now();
    if (!isFullyUnderstood(document)) throw new Error('the bench gallery is not understood');
    const t2 = performance.now();
    const { store, dropped } = GalleryStore.fromDocument(document);
    const t3 = performance.now();
    const page = store.search('', 0, 60);
    const t4 = performance.now();
    const found = store.search('lighthouse', 0, 60);
    const t5 = performance.now();
    if (dropped !== 0 || store.size !== count || page.items.length !== 60 || found.total !== count / 10)
      throw new Error(`gallery load: dropped ${dropped}, size ${store.size}, found ${found.total}`);
    samples.parseMs.push(t1 - t0);
    samples.checkMs.push(t2 - t1);
    samples.storeMs.push(t3 - t2);
    samples.firstPageMs.push(t4 - t3);
    samples.firstSearchMs.push(t5 - t4);
    samples.totalMs.push(t4 - t0);
  }
  const brief = (values) => {
    const { samples: _samples, ...rest } = summary(values.slice(2), 2);
    return rest;
  };
  return {
    entries: count,
    bytes: Buffer.byteLength(text),
    ...Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, brief(values)])),
  };
}
