// End-to-end: a Markdown image link without alt text. The hover offers "Write Alt Text" with its price; the quick
// fix (Ctrl+.) offers it too; choosing it asks once to upload the picture, then the fake Describe's text becomes the
// link's alt text; one Ctrl+Z restores the link. Screenshots of each step.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export const name = 'Markdown: the Write Alt Text quick fix describes the picture and writes its alt text; one undo';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const TITLE = 'Write Alt Text (0.015 credits)';

export async function run({ page, workspace, fake, step, helpers }) {
  const { setApiKey, openFile, waitForExtension, screenshot, waitUntil } = helpers;
  const { renderImage } = require(path.join(ROOT, 'out/test/fake-segmind/image.js'));
  const { fakeDescriptionOf } = require(path.join(ROOT, 'out/test/fake-segmind/server.js'));
  const { altTextFrom } = require(path.join(ROOT, 'out/src/core/describe.js'));
  const picture = new Uint8Array(renderImage(4242, 1280, 720, 'png', { scale: 0.5 }));
  fs.writeFileSync(path.join(workspace, 'docs', 'shot.png'), picture);
  const documentPath = path.join(workspace, 'docs', 'settings-page.md');
  const original = ['# The settings page', '', 'Open the settings from the gear:', '', '![](shot.png)', ''].join('\n');
  fs.writeFileSync(documentPath, original);
  // The Problems panel lists images without alt text (off by default).
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'ideogram.altText.diagnostics': true }),
  );
  const description = altTextFrom(fakeDescriptionOf(picture));
  await waitForExtension('Ideogram: Generate Image…');

  step('set the API key');
  await setApiKey('e2e-alttext-key');

  step('open docs/settings-page.md');
  const editor = await openFile('settings-page.md', { expectText: 'Open the settings' });
  const line = editor.locator('.view-line', { hasText: '![](shot.png)' }).first();

  step('hover the link: Write Alt Text with its price');
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Write Alt Text' }).first();
  await waitUntil(
    async () => {
      await page.mouse.move(0, 0);
      await line.hover({ position: { x: 40, y: 8 } });
      return hover.waitFor({ state: 'visible', timeout: 4_000 }).then(
        () => true,
        () => false,
      );
    },
    { timeout: 45_000, message: 'the hover with Write Alt Text' },
  );
  assert.ok(((await hover.textContent()) ?? '').includes(TITLE), 'the hover shows the price before the click');
  const thumbnail = hover.locator('img').first();
  await waitUntil(() => thumbnail.evaluate((img) => img.complete && img.naturalWidth > 0), {
    message: 'the thumbnail to load',
  });
  await screenshot('hover');
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');

  step('Ctrl+. on the link: the quick fix');
  await line.click({ position: { x: 30, y: 8 } });
  const fix = page.locator('.action-widget .action-item, .action-widget [role="option"]', { hasText: TITLE }).first();
  await waitUntil(
    async () => {
      await page.keyboard.press('Control+Period');
      return fix.waitFor({ state: 'visible', timeout: 4_000 }).then(
        () => true,
        () => false,
      );
    },
    { timeout: 45_000, message: 'the quick fix menu' },
  );
  await screenshot('quick-fix');
  assert.equal(fake.uploads.length, 0, 'nothing is uploaded before the click');

  step('choose it: the upload is asked first');
  await fix.click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 20_000 });
  const question = (await dialog.textContent()) ?? '';
  assert.ok(question.includes('shot.png'), `the dialog names the picture: ${question}`);
  await screenshot('upload-consent');
  await dialog
    .locator('.monaco-button', { hasText: /^Upload$/ })
    .first()
    .click();

  step('the description becomes the alt text');
  const written = editor.locator('.view-line', { hasText: description.slice(0, 40) }).first();
  await written.waitFor({ state: 'visible', timeout: 60_000 });
  await screenshot('alt-text-written');
  assert.equal(fake.uploads.length, 1, 'the picture was uploaded once');
  assert.equal(
    fake.requests.filter((request) => request.path.endsWith('/ideogram-describe')).length,
    1,
    'Describe was asked once',
  );

  step('save, then check the file on disk');
  await page.keyboard.press('Control+S');
  await waitUntil(() => fs.readFileSync(documentPath, 'utf8').includes(description), {
    timeout: 20_000,
    message: 'the saved document',
  });
  assert.equal(fs.readFileSync(documentPath, 'utf8'), original.replace('![](shot.png)', `![${description}](shot.png)`));

  step('one Ctrl+Z restores the link');
  await written.click();
  await page.keyboard.press('Control+Z');
  await editor.locator('.view-line', { hasText: '![](shot.png)' }).first().waitFor({ timeout: 15_000 });
  await screenshot('undone');
  await page.keyboard.press('Control+S');
  await waitUntil(() => fs.readFileSync(documentPath, 'utf8') === original, {
    timeout: 20_000,
    message: 'the restored document on disk',
  });

  step('the Problems panel lists the image without alt text again');
  await page.keyboard.press('Control+Shift+M');
  const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'Image without alt text: shot.png' });
  await problem.first().waitFor({ state: 'visible', timeout: 20_000 });
  await screenshot('problems-panel');
}
