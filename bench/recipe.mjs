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
