// End-to-end: an image that carries its recipe, linked from Markdown. Hovering the link shows the thumbnail, the
// recipe and the actions (screenshot for the README); Regenerate asks first, showing the prompt, and on
// "Generate" sends the same recipe with a new seed to the (fake) API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export const name =
  'Markdown: hovering an image link shows its recipe; Regenerate asks, then generates the same recipe';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const PROMPT = 'A lighthouse on a cliff at dusk, flat vector illustration, warm light';

/**
 * A PNG from the fake's renderer with a recipe embedded by the extension's own core (compiled into out/). Also used
 * by writingFormatsLoad.e2e.mjs.
 */
export function imageWithRecipe() {
  const { renderImage } = require(path.join(ROOT, 'out/test/fake-segmind/image.js'));
  const { embedRecipe } = require(path.join(ROOT, 'out/src/core/recipeMetadata.js'));
  const result = embedRecipe(new Uint8Array(renderImage(2024, 1280, 720, 'png', { scale: 0.5 })), {
    request: {
      prompt: PROMPT,
      negative_prompt: 'blurry, text',
      magic_prompt_option: 'OFF',
      resolution: 'RESOLUTION_1280_720',
      style_type: 'DESIGN',
      seed: 2024,
      color_palette: {
        members: [
          { color_hex: '#ff8c42', color_weight: 0.6 },
          { color_hex: '#2e1a6b', color_weight: 0.3 },
          { color_hex: '#ffd166' },
        ],
      },
    },
    seed: 2024,
    createdAt: '2026-11-30T05:20:00.000Z',
    model: 'ideogram-txt-2-img',
    generator: 'Ideogram for VS Code 0.1.0',
  });
  assert.ok(result.ok, result.reason);
  return result.value;
}

/** The picture with its recipe in the workspace's assets/, and a document in docs/ that shows it (`lines`). */
export function writeLighthouseDocument(workspace, documentName, lines) {
  fs.mkdirSync(path.join(workspace, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'assets', 'lighthouse-at-dusk.png'), imageWithRecipe());
  fs.writeFileSync(path.join(workspace, 'docs', documentName), lines.join('\n'));
}

export async function run({ page, workspace, shots, fake, step, helpers }) {
  const { setApiKey, openFile, waitForExtension, screenshot, waitUntil, showHover } = helpers;
  writeLighthouseDocument(workspace, 'lighthouse.md', [
    '# The lighthouse',
    '',
    'The path ends at the old lighthouse, best seen at dusk:',
    '',
    '![A lighthouse on a cliff at dusk](../assets/lighthouse-at-dusk.png)',
    '',
    'From there, the steps lead down to the cove.',
    '',
  ]);
  await waitForExtension('Ideogram: Generate Image…');

  step('set the API key');
  await setApiKey('e2e-hover-key');

  step('open docs/lighthouse.md');
  const editor = await openFile('lighthouse.md', { expectText: 'best seen at dusk' });

  step('hover the image link');
  const line = editor.locator('.view-line', { hasText: '![A lighthouse' }).first();
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Regenerate' }).first();
  await showHover(line, hover, { message: 'the hover with the recipe' });
  const text = (await hover.textContent()) ?? '';
  for (const expected of [
    PROMPT,
    'Seed: 2024',
    '1280 × 720 (16:9)',
    'DESIGN',
    'Remix…',
    'Copy Prompt',
    'Show in Gallery',
    'recipe embedded in the image',
  ]) {
    assert.ok(text.includes(expected), `the hover shows "${expected}": ${text}`);
  }
  const thumbnail = hover.locator('img').first();
  await waitUntil(() => thumbnail.evaluate((img) => img.complete && img.naturalWidth > 0), {
    message: 'the thumbnail to load from the workspace',
  });
  const src = await thumbnail.getAttribute('src');
  assert.ok(src && !src.startsWith('data:'), `the thumbnail is the workspace file, not a data URL: ${src}`);
  assert.equal(await hover.locator('span[style*="color"]').count(), 3, 'one swatch per palette colour');
  await screenshot('hover');
  // The README's picture: the editor around the link and the hover.
  const [box, lineBox, editorBox] = [await hover.boundingBox(), await line.boundingBox(), await editor.boundingBox()];
  if (box && lineBox && editorBox) {
    const top = Math.max(0, Math.min(box.y, lineBox.y) - 60);
    const bottom = Math.max(box.y + box.height, lineBox.y + lineBox.height) + 40;
    const left = editorBox.x;
    const right = Math.max(box.x + box.width, lineBox.x + 500) + 40;
    await page.screenshot({
      path: path.join(shots, 'imageHover-readme.png'),
      clip: { x: left, y: top, width: right - left, height: bottom - top },
    });
    step('screenshot test-artifacts/screenshots/imageHover-readme.png');
  }

  step('Regenerate: the confirmation shows the prompt');
  await hover.locator('a', { hasText: 'Regenerate' }).first().click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  const question = (await dialog.textContent()) ?? '';
  assert.ok(question.includes('Segmind credits'), `the dialog says it costs credits: ${question}`);
  assert.ok(question.includes(PROMPT), `the dialog shows the prompt: ${question}`);
  await screenshot('regenerate-confirmation');
  assert.equal(fake.requests.length, 0, 'nothing is sent before the confirmation');

  step('confirm: the same recipe goes to the API with a new seed');
  await dialog
    .locator('.monaco-button', { hasText: /^Generate$/ })
    .first()
    .click();
  await waitUntil(() => fake.requests.length >= 1, { timeout: 30_000, message: 'the generation request' });
  const body = fake.requests[0].json ?? JSON.parse(fake.requests[0].body);
  assert.equal(body.prompt, PROMPT);
  assert.equal(body.style_type, 'DESIGN');
  assert.equal(body.resolution, 'RESOLUTION_1280_720');
  assert.equal(body.negative_prompt, 'blurry, text');
  assert.ok(
    Number.isInteger(body.seed) && body.seed !== 2024,
    `Regenerate uses a new seed (chosen by the extension, so the recipe stays repeatable): ${body.seed}`,
  );
  await waitUntil(
    () => fs.readdirSync(path.join(workspace, 'assets')).filter((file) => /\.(png|jpe?g)$/.test(file)).length === 2,
    { timeout: 60_000, message: 'the new image in assets/' },
  );
  step('the new image is saved next to the first');
}
