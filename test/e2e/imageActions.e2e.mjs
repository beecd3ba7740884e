// End-to-end (#22): right-click an image in the Explorer → Reframe… → tick two sizes (the title shows their total
// cost) → Generate 2 Images → the upload is asked for once → two files beside the source, in the model's pixels.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'Explorer: right-click an image → Reframe… → two sizes at once, saved beside it';
export const timeoutSeconds = 240;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A PNG's or JPEG's pixel size from its header. */
function pixelSize(bytes) {
  if (bytes[0] === 0x89) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  let offset = 2;
  while (offset + 9 < bytes.length) {
    const marker = bytes[offset + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  throw new Error('no JPEG frame header');
}

export async function run({ page, workspace, fake, step, helpers }) {
  const { runCommand, setApiKey, waitForExtension, screenshot, waitUntil, expectNotification } = helpers;
  fake.configure({ latencyMs: 1500, imageScale: 1 }); // pictures at the size asked for
  // The picture to reframe: the extension's own icon, a real PNG, as docs/banner.png.
  const source = path.join(workspace, 'docs', 'banner.png');
  fs.copyFileSync(path.join(ROOT, 'media', 'icon.png'), source);
  await waitForExtension('Ideogram: Generate Image…');

  step('set the API key');
  await setApiKey('e2e-actions-key');

  step('show docs/banner.png in the Explorer');
  await runCommand('View: Show Explorer');
  const tree = page.locator('.explorer-folders-view');
  const rowNamed = (label) => tree.locator('.monaco-list-row', { hasText: label }).first();
  const banner = rowNamed('banner.png');
  if (!(await banner.isVisible().catch(() => false))) await rowNamed('docs').click();
  await banner.waitFor({ state: 'visible', timeout: 15_000 });

  step('right-click banner.png → Reframe…');
  await banner.click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item', { hasText: 'Reframe…' }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  for (const other of ['Remix…', 'Replace Background…', 'New Scene with This Character…'])
    assert.ok(
      await page.locator('.monaco-menu .action-item', { hasText: other }).first().isVisible(),
      `the menu offers ${other}`,
    );
  await screenshot('explorer-context-menu');
  await item.click();

  step('tick 16:9 hero and the 1200 × 630 Open Graph card');
  const widget = page.locator('.quick-input-widget');
  await widget.filter({ hasText: 'Reframe banner.png' }).waitFor({ state: 'visible', timeout: 15_000 });
  const row = (label) => widget.locator('.monaco-list-row', { hasText: label }).first();
  for (const label of ['16:9 hero or banner', '1200 × 630 Open Graph card']) {
    await row(label).locator('input[type=checkbox], .monaco-checkbox, .quick-input-list-checkbox').first().click();
  }
  const title = widget.locator('.quick-input-title');
  await waitUntil(async () => /2 sizes · .*credits/.test((await title.textContent()) ?? ''), {
    message: 'the title to show the total cost of 2 sizes',
  });
  const titleText = (await title.textContent()) ?? '';
  step(`the sizes step says: ${titleText}`);
  await screenshot('two-sizes-with-total');
  assert.equal(fake.requests.length, 0, 'nothing sent while choosing');
  // OK accepts the ticks (Enter on a focused row would toggle it).
  await widget.locator('.quick-input-action .monaco-button', { hasText: 'OK' }).first().click();

  step('Generate 2 Images, with the total cost');
  const generate = row('Generate 2 Images');
  await generate.waitFor({ state: 'visible', timeout: 15_000 });
  const generateText = (await generate.textContent()) ?? '';
  assert.match(generateText, /credits/, `the cost is on the button: ${generateText}`);
  await screenshot('generate-two-images');

  step('Back: the sizes step again, step 1 of 2, the two sizes still ticked with their total');
  await widget.locator('.quick-input-left-action-bar .action-label').first().click();
  await waitUntil(async () => /2 sizes · .*credits.*\(1\/2\)/.test((await title.textContent()) ?? ''), {
    message: 'the sizes step to come back with its 2 sizes ticked',
  });
  // With nothing ticked OK would keep the step open: Generate 2 Images again means both ticks were kept.
  await widget.locator('.quick-input-action .monaco-button', { hasText: 'OK' }).first().click();
  await generate.waitFor({ state: 'visible', timeout: 15_000 });
  await generate.click();

  step('the upload is asked for first');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  assert.match((await dialog.textContent()) ?? '', /banner\.png .* will be uploaded to Segmind/);
  assert.equal(fake.uploads.length, 0, 'nothing uploaded before the consent');
  assert.equal(fake.requests.length, 0, 'nothing billed before the consent');
  await screenshot('upload-consent');
  // Asked once per trusted workspace: Upload goes on (its wording is the uploader's, src/generation/imageInput/).
  await dialog.getByRole('button', { name: 'Upload', exact: true }).click();

  step('waiting for the two files beside banner.png');
  const docs = path.join(workspace, 'docs');
  const expected = ['banner-reframe-16x9.jpg', 'banner-reframe-og-card.jpg'];
  await waitUntil(() => expected.every((file) => fs.existsSync(path.join(docs, file))), {
    timeout: 90_000,
    message: expected.join(' and '),
  });
  assert.deepEqual(pixelSize(fs.readFileSync(path.join(docs, expected[0]))), { width: 1312, height: 736 });
  assert.deepEqual(pixelSize(fs.readFileSync(path.join(docs, expected[1]))), { width: 1344, height: 704 });
  assert.equal(fake.uploads.length, 1, 'one upload for both sizes');
  const sent = fake.requests.filter((request) => request.path === '/v2/ideogram-3-reframe');
  assert.equal(sent.length, 2, 'one job per size');
  assert.deepEqual(sent.map((request) => (request.json ?? JSON.parse(request.body)).resolution).sort(), [
    '1312x736',
    '1344x704',
  ]);
  const message = await expectNotification('beside banner.png', { timeout: 30_000 });
  step(`told: ${message}`);
  await screenshot('saved-beside-source');
  await runCommand('View: Show Explorer');
  await rowNamed('banner-reframe-16x9.jpg').waitFor({ state: 'visible', timeout: 15_000 });
  await page
    .locator('.quick-input-widget')
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => {});
  await screenshot('explorer-with-results');

  step('the gallery tile of a result offers the same actions (VS Code’s own context menu of the webview)');
  await runCommand('Ideogram: Open Generator');
  const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const tile = view.locator('.tile').first();
  await tile.waitFor({ state: 'visible', timeout: 30_000 });
  await waitUntil(async () => (await tile.getAttribute('data-vscode-context'))?.includes('banner-reframe'), {
    message: 'the tile to name its image for the context menu',
  });
  await tile.click({ button: 'right' });
  const tileMenu = page.locator('.monaco-menu .action-item', { hasText: 'Reframe…' }).first();
  await tileMenu.waitFor({ state: 'visible', timeout: 10_000 });
  for (const other of ['Remix…', 'Replace Background…', 'New Scene with This Character…'])
    assert.ok(
      await page.locator('.monaco-menu .action-item', { hasText: other }).first().isVisible(),
      `the tile's menu offers ${other}`,
    );
  await screenshot('gallery-tile-context-menu');
  await page.keyboard.press('Escape');

  step('Remix… banner.png: the prompt box’s Describe button fills in what Ideogram sees');
  await runCommand('View: Show Explorer');
  await banner.click({ button: 'right' });
  const remixItem = page.locator('.monaco-menu .action-item', { hasText: 'Remix…' }).first();
  await remixItem.waitFor({ state: 'visible', timeout: 10_000 });
  // The menu can ignore a click that lands as it opens: hover first, and click once more if no picker came.
  await remixItem.hover();
  await remixItem.click();
  const remixPicker = widget.filter({ hasText: 'Remix banner.png' });
  const opened = await remixPicker
    .waitFor({ state: 'visible', timeout: 3_000 })
    .then(() => true)
    .catch(() => false);
  if (!opened) await remixItem.click({ timeout: 2_000 }).catch(() => {});
  await remixPicker.waitFor({ state: 'visible', timeout: 15_000 });
  await row('Ideogram 3.0 Remix').click(); // the action has two models: 3.0 first
  const describe = widget.getByRole('button', { name: /Describe the Picture as the Prompt \(0\.015 credits\)/ });
  await describe.waitFor({ state: 'visible', timeout: 15_000 });
  const box = widget.locator('input.input').first();
  assert.equal(await box.inputValue(), '', 'the prompt starts empty');
  const describedBefore = fake.requests.filter((request) => request.path === '/v2/ideogram-describe').length;
  await describe.click();
  await waitUntil(async () => /fake description/.test(await box.inputValue()), {
    timeout: 30_000,
    message: "Describe's words in the prompt box",
  });
  const words = await box.inputValue();
  step(`the prompt box now says: ${words}`);
  await screenshot('remix-prompt-described');
  const described = fake.requests.filter((request) => request.path === '/v2/ideogram-describe');
  assert.equal(described.length, describedBefore + 1, 'one Describe call');
  assert.equal(fake.uploads.length, 1, 'the picture uploaded once for both actions: the same bytes reuse its URL');
  await page.keyboard.press('Enter');
  const remixGenerate = row('Generate');
  await remixGenerate.waitFor({ state: 'visible', timeout: 15_000 });
  await remixGenerate.click();
  await waitUntil(
    () => fs.readdirSync(docs).some((file) => file.startsWith('banner-remix') && !file.endsWith('.json')),
    { timeout: 90_000, message: 'banner-remix… beside banner.png' },
  );
  const remixed = fake.requests.filter((request) => request.path === '/v2/ideogram-3-remix');
  assert.equal(remixed.length, 1);
  assert.equal((remixed[0].json ?? JSON.parse(remixed[0].body)).prompt, words, 'the described words were sent');
}
