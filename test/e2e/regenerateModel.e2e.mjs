// End-to-end (issue 21): Regenerate on an image made with another model than the user's. The image's recipe names
// Ideogram 3.0 at Quality while the user's default (and the sidebar form's) model is the V2 one. Hovering its link
// and clicking Regenerate asks first, naming the model and its options; clicking the modal's Generate sends 3.0's
// own fields to 3.0's route (with a new seed), and the new file on disk carries a recipe that names Ideogram 3.0.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export const name = 'Regenerate an Ideogram 3.0 image: the confirmation names the model, and 3.0 gets its own fields';
export const timeoutSeconds = 300;

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { readImageRecipe } = require(path.join(ROOT, 'out/src/core/recipeMetadata.js'));
const PROMPT = 'A poster that says "Harbour Days", flat design';
const REQUEST = {
  model: 'ideogram-3',
  prompt: PROMPT,
  negative_prompt: 'fog',
  rendering_speed: 'QUALITY',
  style_type: 'DESIGN',
  magic_prompt: 'OFF',
  resolution: '1344x768',
  seed: 4242,
};

/** A PNG from the fake's renderer with a 3.0 recipe embedded by the extension's own core (compiled into out/). */
function imageOfIdeogram3() {
  const { renderImage } = require(path.join(ROOT, 'out/test/fake-segmind/image.js'));
  const { embedRecipe } = require(path.join(ROOT, 'out/src/core/recipeMetadata.js'));
  const result = embedRecipe(new Uint8Array(renderImage(4242, 1344, 768, 'png', { scale: 0.25 })), {
    request: REQUEST,
    seed: 4242,
    createdAt: '2026-12-01T09:30:00.000Z',
    model: 'ideogram-3',
    generator: 'Ideogram for VS Code 0.1.0',
  });
  assert.ok(result.ok, result.reason);
  return result.value;
}

const images = (dir) =>
  fs
    .readdirSync(dir)
    .filter((file) => /\.(png|jpe?g)$/i.test(file))
    .sort();

export async function run({ page, workspace, fake, step, helpers }) {
  const { setApiKey, openFile, waitForExtension, screenshot, waitUntil } = helpers;
  const assets = path.join(workspace, 'assets');
  fs.mkdirSync(assets, { recursive: true });
  fs.writeFileSync(path.join(assets, 'harbour-days.png'), imageOfIdeogram3());
  fs.writeFileSync(
    path.join(workspace, 'docs', 'harbour.md'),
    [
      '# Harbour Days',
      '',
      '![Harbour Days poster](../assets/harbour-days.png)',
      '',
      'Posters go up on Monday.',
      '',
    ].join('\n'),
  );
  await waitForExtension('Ideogram: Generate Image…');
  await setApiKey('e2e-regenerate-model-key');

  step('hover the link to the Ideogram 3.0 image');
  const editor = await openFile('harbour.md', { expectText: 'Posters go up' });
  const line = editor.locator('.view-line', { hasText: '![Harbour Days' }).first();
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Regenerate' }).first();
  await waitUntil(
    async () => {
      await page.mouse.move(0, 0);
      await line.hover({ position: { x: 60, y: 8 } });
      return hover.waitFor({ state: 'visible', timeout: 4_000 }).then(
        () => true,
        () => false,
      );
    },
    { timeout: 45_000, message: 'the hover with the recipe' },
  );
  const hoverText = (await hover.textContent()) ?? '';
  assert.ok(hoverText.includes('Ideogram 3.0'), `the hover names the model: ${hoverText}`);

  step('Regenerate: the confirmation names the model, its options and the cost');
  await hover.locator('a', { hasText: 'Regenerate' }).first().click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  const question = (await dialog.textContent()) ?? '';
  step(`the confirmation: ${question.replace(/\s+/g, ' ').slice(0, 400)}`);
  for (const expected of ['Segmind credits', PROMPT, 'Ideogram 3.0', 'fog', '1344', '768', '0.1125']) {
    assert.ok(question.includes(expected), `the confirmation shows "${expected}": ${question}`);
  }
  await screenshot('regenerate-ideogram-3-confirmation');
  assert.equal(fake.requests.filter((request) => request.method === 'POST').length, 0, 'nothing sent before the click');

  step("click Generate: 3.0's own fields go to 3.0's route, with a new seed");
  const before = images(assets);
  await dialog
    .locator('.monaco-button', { hasText: /^Generate$/ })
    .first()
    .click();
  const sent = await waitUntil(() => fake.requests.find((request) => request.method === 'POST'), {
    timeout: 30_000,
    message: 'the generation request',
  });
  assert.equal(sent.path, '/v2/ideogram-3', 'the model of the recipe, not the default model');
  const { seed, ...fields } = sent.json;
  const { seed: _oldSeed, model: _model, ...expected } = REQUEST;
  assert.deepEqual(fields, expected, "exactly 3.0's fields, as the recipe has them");
  assert.ok(
    Number.isInteger(seed) && seed !== 4242 && seed >= 100 && seed <= 999999,
    `a new seed in 3.0's range: ${seed}`,
  );
  assert.equal(
    fake.requests.filter((request) => request.method === 'POST' && request.path !== '/v2/ideogram-3').length,
    0,
    'no other model was asked',
  );

  step('the new file on disk carries a recipe that names Ideogram 3.0');
  const added = await waitUntil(
    () => {
      const now = images(assets).filter((file) => !before.includes(file));
      return now.length === 1 ? now[0] : undefined;
    },
    { timeout: 60_000, message: 'the regenerated image in assets/' },
  );
  const reading = readImageRecipe(new Uint8Array(fs.readFileSync(path.join(assets, added))));
  assert.equal(reading.kind, 'recipe', `a recipe is embedded in ${added}`);
  assert.equal(reading.recipe.model, 'ideogram-3');
  assert.equal(reading.recipe.request.model, 'ideogram-3');
  assert.equal(reading.recipe.request.rendering_speed, 'QUALITY');
  assert.equal(reading.recipe.request.resolution, '1344x768');
  assert.equal(reading.recipe.seed ?? reading.recipe.request.seed, seed, 'the seed that was sent');
  // The recipe file beside it (ideogram.writeRecipeSidecar is on by default) is written just after the image.
  const sidecar = path.join(assets, added.replace(/\.\w+$/, '.ideogram.json'));
  await waitUntil(() => fs.existsSync(sidecar), { message: `the recipe file ${path.basename(sidecar)}` });
  assert.equal(JSON.parse(fs.readFileSync(sidecar, 'utf8')).request.model, 'ideogram-3', 'the sidecar too');
  step(`saved ${added}`);
}
