// End-to-end (#22): hover an image link in Markdown → Replace Background… → type the new background → Generate (its
// cost shown) → consent to the upload → the saved result's notification offers "Replace the Link" → the link now
// points at the new file; one Ctrl+Z restores it exactly. Then an HTML page's <img> of that result: its hover shows
// the recipe ("Background replaced in product.png"), so the hover works outside Markdown too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'Hover an image link → Replace Background… → Replace the Link, one undo; the HTML <img> hover';
export const timeoutSeconds = 300;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROMPT = 'a sunlit oak desk beside a tall window';
const ORIGINAL_LINK = '![Product](product.png)';
const RESULT = /^product-replace-background.*\.jpe?g$/;

export async function run({ page, workspace, fake, step, helpers }) {
  const { setApiKey, openFile, waitForExtension, screenshot, waitUntil, expectNotification, showHover } = helpers;
  const docs = path.join(workspace, 'docs');
  fs.copyFileSync(path.join(ROOT, 'media', 'icon.png'), path.join(docs, 'product.png'));
  const markdownPath = path.join(docs, 'page.md');
  const original = ['# Our product', '', ORIGINAL_LINK, '', 'Made to last.', ''].join('\n');
  fs.writeFileSync(markdownPath, original);
  await waitForExtension('Ideogram: Generate Image…');

  step('set the API key');
  await setApiKey('e2e-hover-replace-link-key');

  step('open docs/page.md and hover the link');
  const editor = await openFile('page.md', { expectText: 'Made to last' });
  const line = editor.locator('.view-line', { hasText: ORIGINAL_LINK }).first();
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Replace Background…' }).first();
  await showHover(line, hover, { message: 'the hover with Replace Background…' });
  await screenshot('markdown-hover');

  step('click Replace Background…');
  await hover.locator('a', { hasText: 'Replace Background…' }).first().click();
  const widget = page.locator('.quick-input-widget');
  await widget.filter({ hasText: 'product.png' }).waitFor({ state: 'visible', timeout: 15_000 });
  const box = widget.locator('.quick-input-box input').first();
  await box.waitFor({ state: 'visible', timeout: 15_000 });

  step('type the new background');
  await box.fill(PROMPT);
  await screenshot('background-prompt');
  await box.press('Enter');

  step('Generate, with its cost');
  const generate = widget.locator('.monaco-list-row', { hasText: 'Generate' }).first();
  await generate.waitFor({ state: 'visible', timeout: 15_000 });
  const generateText = (await generate.textContent()) ?? '';
  assert.match(generateText, /credits/, `the cost is shown with Generate: ${generateText}`);
  await screenshot('generate-with-cost');
  assert.equal(fake.requests.length + fake.uploads.length, 0, 'nothing sent before Generate');
  await generate.click();

  step('the upload is asked for');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  assert.match((await dialog.textContent()) ?? '', /product\.png .* will be uploaded to Segmind/);
  assert.equal(fake.uploads.length + fake.requests.length, 0, 'nothing uploaded or billed before the consent');
  await screenshot('upload-consent');
  await dialog.getByRole('button', { name: 'Upload', exact: true }).click();

  step('waiting for the result beside product.png');
  const saved = await waitUntil(() => fs.readdirSync(docs).find((file) => RESULT.test(file)), {
    timeout: 90_000,
    message: 'product-replace-background….jpg in docs/',
  });
  step(`saved ${saved}`);
  const jobs = fake.requests.filter((request) => request.path === '/v2/ideogram-3-replace-background');
  assert.equal(jobs.length, 1, 'one Replace Background job');
  const body = jobs[0].json ?? JSON.parse(jobs[0].body);
  assert.equal(body.prompt, PROMPT, 'the prompt typed was sent');
  assert.ok(!('resolution' in body), `no resolution sent: ${JSON.stringify(Object.keys(body))}`);
  assert.equal(fake.uploads.length, 1, 'product.png uploaded once');

  step('the notification offers Replace the Link');
  const message = await expectNotification('beside product.png', { timeout: 30_000 });
  step(`told: ${message}`);
  const item = page.locator('.notifications-center .notification-list-item', { hasText: 'beside product.png' }).first();
  const replace = item.locator('.monaco-button', { hasText: 'Replace the Link' }).first();
  await replace.waitFor({ state: 'visible', timeout: 10_000 });
  await screenshot('notification-replace-the-link');
  await replace.click();

  step('the link now points at the new file');
  const replacedLink = `![Product](${saved})`;
  const replaced = editor.locator('.view-line', { hasText: replacedLink }).first();
  await replaced.waitFor({ state: 'visible', timeout: 15_000 });
  assert.ok(fs.existsSync(path.join(docs, saved)), `${saved} is on disk`);
  assert.equal(await editor.locator('.view-line', { hasText: ORIGINAL_LINK }).count(), 0, 'the old link is gone');
  await page.keyboard.press('Escape'); // the notification center closed, for the screenshot
  await screenshot('link-replaced');

  step('save: the file on disk has the new link');
  await replaced.click();
  await page.keyboard.press('Control+S');
  await waitUntil(() => fs.readFileSync(markdownPath, 'utf8') === original.replace(ORIGINAL_LINK, replacedLink), {
    timeout: 20_000,
    message: 'the saved document with the new link',
  });

  step('one Ctrl+Z restores the link');
  await page.keyboard.press('Control+Z');
  await editor.locator('.view-line', { hasText: ORIGINAL_LINK }).first().waitFor({ timeout: 15_000 });
  await screenshot('undone');
  await page.keyboard.press('Control+S');
  await waitUntil(() => fs.readFileSync(markdownPath, 'utf8') === original, {
    timeout: 20_000,
    message: 'the restored document on disk',
  });

  step('an HTML page with an <img> of the result: the hover shows its recipe');
  fs.writeFileSync(
    path.join(docs, 'page.html'),
    [
      '<!doctype html>',
      '<html>',
      '  <body>',
      '    <h1>Our product</h1>',
      `    <img src="${saved}" alt="x">`,
      '    <p>Made to last.</p>',
      '  </body>',
      '</html>',
      '',
    ].join('\n'),
  );
  // Opened from the Explorer: Quick Open's file index does not yet know a file written a moment ago.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'page.html' }).first().click();
  const html = page.locator('.editor-instance .monaco-editor', { hasText: 'Made to last' }).first();
  await html.waitFor({ timeout: 30_000 });
  const imgLine = html.locator('.view-line', { hasText: '<img src=' }).first();
  const recipeHover = page.locator('.monaco-hover:visible', { hasText: 'Background replaced in product.png' }).first();
  await showHover(imgLine, recipeHover, { message: 'the hover of the <img> with its recipe' });
  const hoverText = (await recipeHover.textContent()) ?? '';
  for (const expected of [PROMPT, 'Regenerate', 'Remix…', 'Replace Background…'])
    assert.ok(hoverText.includes(expected), `the <img> hover shows "${expected}": ${hoverText}`);
  await screenshot('html-img-hover');
}
