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
    request: { prompt: 'A lighthouse on a cliff at dusk, flat vector illustration, warm light', negative_prompt: 'blurry', magic_prompt_option: 'AUTO', resolution: 'RESOLUTION_1024_1024', style_type: 'DESIGN', seed: 42 },
    seed: 42, createdAt: new Date().toISOString(), model: 'ideogram-txt-2-img', generator: 'Ideogram for VS Code 0.1.0',
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
    const brief = (values) => { const { samples: _samples, ...rest } = summary(values.slice(10), 3); return rest; };
    result[format] = { bytes: image.length, addedBytes: embedded.length - image.length, embedMs: brief(embedMs), readMs: brief(readMs) };
  }
  return result;
}
