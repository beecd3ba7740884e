// End-to-end: in a Markdown editor, select a sentence, right-click → "Generate Image Here"; the prompt box comes
// prefilled with the selection, the image is saved into assets/ and a relative link appears after the paragraph.
// Then the Markdown preview shows the generated image (screenshot for the README and the closing note).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const name = 'Markdown: right-click "Generate Image Here" inserts the link and the preview shows the image';

const SENTENCE = 'A lighthouse above a rocky cove at dawn, watercolour';

export async function run({ page, workspace, fake, step, helpers }) {
  const { runCommand, setApiKey, openFile, waitForExtension, screenshot, waitUntil, waitForInputBox } = helpers;
  fake.configure({ latencyMs: 1500 });
  await waitForExtension('Ideogram: Generate Image…');

  step('set the API key');
  await setApiKey('e2e-markdown-key');

  step('open docs/guide.md');
  const editor = await openFile('guide.md', { expectText: 'Walking guide' });

  step('type a sentence at the end and select it');
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(SENTENCE);
  await page.keyboard.press('Shift+Home');
  await screenshot('selection');

  step('right-click → Generate Image Here');
  const line = editor.locator('.view-line', { hasText: 'rocky cove' }).first();
  await line.click({ button: 'right', position: { x: 40, y: 5 } });
  const item = page.locator('.monaco-menu .action-item', { hasText: 'Generate Image Here' }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await screenshot('context-menu');
  await item.click();

  step('the prompt box is prefilled with the selection: accept it');
  await waitForInputBox({ expect: 'Generate Image Here' });
  const value = await page.locator('.quick-input-widget .quick-input-box input').inputValue();
  assert.equal(value, SENTENCE, 'the selection is the prompt');
  await screenshot('prompt-prefilled');
  await page.keyboard.press('Enter');

  step('waiting for the link in the editor');
  await editor.locator('.view-lines', { hasText: '![A lighthouse above a rocky cove' }).waitFor({ timeout: 60_000 });
  await screenshot('link-inserted');
  await page.keyboard.press('Control+S');

  const file = path.join(workspace, 'docs', 'guide.md');
  const text = await waitUntil(
    () => {
      const content = fs.readFileSync(file, 'utf8');
      return content.includes('![') ? content : undefined;
    },
    { message: 'the saved guide.md to contain the link' },
  );
  const match = /\n\n!\[A lighthouse above a rocky cove at dawn, watercolour\]\(\.\.\/assets\/([^)]+\.jpg)\)/.exec(
    text,
  );
  assert.ok(match, `guide.md ends with the link on its own paragraph:\n${text.slice(-200)}`);
  const image = path.join(workspace, 'assets', decodeURIComponent(match[1]));
  const bytes = fs.readFileSync(image);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'the linked file is the JPEG');
  assert.equal(fake.requests.length, 1);
  assert.equal((fake.requests[0].json ?? JSON.parse(fake.requests[0].body)).prompt, SENTENCE);
  step(`guide.md links ../assets/${match[1]}`);

  step('open the Markdown preview');
  await runCommand('Markdown: Open Preview to the Side');
  const preview = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  const img = preview.locator('img[src*="assets"]').first();
  await img.waitFor({ state: 'visible', timeout: 20_000 });
  await waitUntil(() => img.evaluate((el) => el.complete && el.naturalWidth > 0), {
    message: 'the image to load in the preview',
  });
  await img.scrollIntoViewIfNeeded();
  await screenshot('markdown-preview');
}
