// End-to-end (issue 22): an image a reframe made, linked from a Markdown page. Its hover says "Reframed from
// banner.png"; Regenerate asks (the cost), then runs the reframe again on docs/banner.png through the action's own
// command: the source is uploaded and 3.0 Reframe gets the same size with a new seed. After banner.png changed, Same
// Seed says so and runs only on "Use the Changed File", with the recorded seed. With banner.png gone, Regenerate
// says so and sends nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const name =
  'Regenerate a reframed image: the same action on its source, a changed source asked about, a gone one named';
export const timeoutSeconds = 300;

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { embedRecipe, readImageRecipe } = require(path.join(ROOT, 'out/src/core/recipeMetadata.js'));
const { renderImage } = require(path.join(ROOT, 'out/test/fake-segmind/image.js'));

const RESOLUTION = '1312x736';

/** The reframe's result as the extension saves it: its recipe names the source, its hash and the action. */
function reframedImage(sourceBytes) {
  const result = embedRecipe(new Uint8Array(renderImage(7, 1312, 736, 'jpeg', { scale: 0.25 })), {
    request: {
      model: 'ideogram-3-reframe',
      prompt: 'banner',
      resolution: RESOLUTION,
      rendering_speed: 'DEFAULT',
      image: 'https://images.segmind.com/outputs/banner-uploaded-before.png',
      seed: 4242,
    },
    seed: 4242,
    createdAt: '2026-12-04T21:00:00.000Z',
    model: 'ideogram-3-reframe',
    generator: 'Ideogram for VS Code 0.1.0',
    source: {
      path: 'docs/banner.png',
      sha256: createHash('sha256').update(sourceBytes).digest('hex'),
      action: 'reframe',
    },
  });
  assert.ok(result.ok, result.reason);
  return result.value;
}

const reframeRequests = (fake) => fake.requests.filter((request) => request.path === '/v2/ideogram-3-reframe');
const bodyOf = (request) => request.json ?? JSON.parse(request.body);

export async function run({ page, workspace, fake, step, helpers }) {
  const { setApiKey, openFile, waitForExtension, screenshot, waitUntil, expectNotification } = helpers;
  const docs = path.join(workspace, 'docs');
  const source = path.join(docs, 'banner.png');
  fs.copyFileSync(path.join(ROOT, 'media', 'icon.png'), source);
  fs.writeFileSync(path.join(docs, 'banner-reframe-16x9.jpg'), reframedImage(fs.readFileSync(source)));
  fs.writeFileSync(
    path.join(docs, 'lineage.md'),
    ['# Launch', '', '![The launch banner](banner-reframe-16x9.jpg)', '', 'Ships on Monday.', ''].join('\n'),
  );
  await waitForExtension('Ideogram: Generate Image…');
  await setApiKey('e2e-regenerate-lineage-key');

  const editor = await openFile('lineage.md', { expectText: 'Ships on Monday' });
  const line = editor.locator('.view-line', { hasText: '![The launch' }).first();
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Same Seed' }).first();
  const showHover = async () => {
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
    return (await hover.textContent()) ?? '';
  };
  const dialog = page.locator('.monaco-dialog-box');
  const newFiles = (before) =>
    fs.readdirSync(docs).filter((file) => /\.(png|jpe?g)$/i.test(file) && !before.includes(file));

  step('the hover names the source');
  const hoverText = await showHover();
  assert.ok(hoverText.includes('Reframed from banner.png'), `the hover says what it came from: ${hoverText}`);
  await screenshot('hover-reframed-from');

  step("the source's name is a link that opens it");
  await hover.locator('a', { hasText: 'banner.png' }).first().click();
  const tab = page.locator('.tab.active', { hasText: 'banner.png' }).first();
  await tab.waitFor({ state: 'visible', timeout: 15_000 });
  await screenshot('source-opened');
  await page.locator('.tab', { hasText: 'lineage.md' }).first().click();
  await editor.waitFor({ state: 'visible', timeout: 15_000 });
  await showHover();

  step('Regenerate: the cost is confirmed, then the reframe runs again on banner.png');
  await hover.locator('a', { hasText: 'Regenerate' }).first().click();
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  const question = (await dialog.textContent()) ?? '';
  assert.ok(question.includes('Segmind credits'), `the confirmation names the cost: ${question}`);
  await screenshot('regenerate-confirmation');
  assert.equal(fake.requests.length + fake.uploads.length, 0, 'nothing sent before the click');
  let before = fs.readdirSync(docs);
  await dialog
    .locator('.monaco-button', { hasText: /^Generate$/ })
    .first()
    .click();
  // The first upload in the workspace asks for consent.
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  assert.match((await dialog.textContent()) ?? '', /banner\.png .* will be uploaded to Segmind/);
  await screenshot('upload-consent');
  await dialog
    .locator('.monaco-button', { hasText: /^Upload/ })
    .first()
    .click();
  const first = await waitUntil(() => reframeRequests(fake)[0], { timeout: 60_000, message: 'the reframe request' });
  assert.equal(fake.uploads.length, 1, 'the source uploaded again');
  assert.equal(bodyOf(first).resolution, RESOLUTION, 'the same size');
  assert.notEqual(bodyOf(first).seed, 4242, 'Regenerate: a new seed');
  const added = await waitUntil(() => newFiles(before)[0], {
    timeout: 60_000,
    message: 'the new image beside banner.png',
  });
  step(`saved ${added}`);
  const regenerated = readImageRecipe(new Uint8Array(fs.readFileSync(path.join(docs, added))));
  assert.equal(regenerated.kind, 'recipe', `a recipe is embedded in ${added}`);
  assert.deepEqual(
    { path: regenerated.recipe.source?.path, action: regenerated.recipe.source?.action },
    { path: 'docs/banner.png', action: 'reframe' },
    'the new image names the same source',
  );

  step('banner.png changes; Same Seed says so and runs only on "Use the Changed File"');
  fs.writeFileSync(source, renderImage(99, 320, 180, 'png', { scale: 1 }));
  await page.keyboard.press('Escape');
  await showHover();
  await hover.locator('a', { hasText: 'Same Seed' }).first().click();
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  const changed = (await dialog.textContent()) ?? '';
  assert.ok(changed.includes('docs/banner.png has changed since banner-reframe-16x9.jpg was made from it'), changed);
  await screenshot('source-changed');
  before = fs.readdirSync(docs);
  await dialog.locator('.monaco-button', { hasText: 'Use the Changed File' }).first().click();
  const second = await waitUntil(() => reframeRequests(fake)[1], { timeout: 60_000, message: 'the second reframe' });
  assert.equal(bodyOf(second).seed, 4242, 'Same Seed: the recorded seed');
  assert.equal(fake.uploads.length, 2, 'the changed file uploaded');
  await waitUntil(() => newFiles(before)[0], { timeout: 60_000, message: 'the image from the changed source' });

  step('banner.png is gone: Regenerate says so and sends nothing');
  fs.rmSync(source);
  const sent = fake.requests.length;
  await page.keyboard.press('Escape');
  await showHover();
  await hover.locator('a', { hasText: 'Regenerate' }).first().click();
  const message = await expectNotification('which is no longer there', { timeout: 30_000 });
  step(`told: ${message}`);
  await screenshot('source-gone');
  assert.equal(fake.requests.length, sent, 'nothing sent');
}
