// End-to-end: "Generate Image Here" from the editor's context menu in an HTML page (the selection is the prompt,
// an <img> follows the paragraph) and in a LaTeX paper (a figure on the empty last line, from the Command
// Palette), then the heron's link copied in the gallery and pasted with Ctrl+V into the LaTeX file (the paste
// provider turns it into \includegraphics), with screenshots.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const name = 'HTML and LaTeX: "Generate Image Here" and a gallery paste write each format\'s own link';

const SENTENCE = 'A heron standing in a misty lake at dawn';
const FIGURE_PROMPT = 'Bar chart of rainfall, 100% flat design';

export async function run({ page, workspace, fake, step, helpers }) {
  const {
    runCommand,
    setApiKey,
    openFile,
    waitForExtension,
    quickInputType,
    screenshot,
    waitUntil,
    generateImageHereFromMenu,
  } = helpers;
  fake.configure({ latencyMs: 800 });
  fs.writeFileSync(path.join(workspace, 'docs', 'birds.html'), '<h1>Birds</h1>\n');
  fs.writeFileSync(path.join(workspace, 'docs', 'paper.tex'), '\\section{Rainfall}\nIt rained a lot.\n\nMore text.\n');
  await waitForExtension('Ideogram: Generate Image…');

  step('set the API key');
  await setApiKey('e2e-formats-key');

  const open = (file, expectText) => openFile(file, { expectText });

  const generateHere = (editor, lineText, { shot }) => generateImageHereFromMenu(editor, { lineText, shot });

  step('HTML: type a sentence, select it, right-click → Generate Image Here');
  const html = await open('birds.html', 'Birds');
  await html.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(SENTENCE);
  await page.keyboard.press('Shift+Home');
  const htmlInput = await generateHere(html, 'misty lake', { shot: 'html-context-menu' });
  assert.equal(await htmlInput.inputValue(), SENTENCE, 'the selection is the prompt');
  await page.keyboard.press('Enter');
  await html.locator('.view-lines', { hasText: '<img src="../assets/' }).waitFor({ timeout: 60_000 });
  await screenshot('html-img-inserted');
  await page.keyboard.press('Control+S');
  const htmlText = await waitUntil(
    () => {
      const text = fs.readFileSync(path.join(workspace, 'docs', 'birds.html'), 'utf8');
      return text.includes('<img') ? text : undefined;
    },
    { message: 'birds.html to be saved with the <img>' },
  );
  const img =
    /\n\n<img src="\.\.\/assets\/([^"]+\.jpg)" alt="A heron standing in a misty lake at dawn" width="1024" height="1024">/.exec(
      htmlText,
    );
  assert.ok(img, `birds.html has the <img> on a new paragraph:\n${htmlText}`);
  assert.deepEqual(
    [...fs.readFileSync(path.join(workspace, 'assets', decodeURIComponent(img[1]))).subarray(0, 3)],
    [0xff, 0xd8, 0xff],
    'the linked file is the JPEG',
  );

  step('LaTeX: cursor on the empty last line, Command Palette → Generate Image Here with a typed prompt');
  const tex = await open('paper.tex', 'Rainfall');
  await tex.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await runCommand('Ideogram: Generate Image Here');
  await quickInputType(FIGURE_PROMPT, { expect: 'Generate Image Here', screenshot: 'latex-prompt' });
  await tex.locator('.view-lines', { hasText: '\\begin{figure}' }).waitFor({ timeout: 60_000 });
  await screenshot('latex-figure-inserted');
  await page.keyboard.press('Control+S');
  const texText = await waitUntil(
    () => {
      const text = fs.readFileSync(path.join(workspace, 'docs', 'paper.tex'), 'utf8');
      return text.includes('\\includegraphics') ? text : undefined;
    },
    { message: 'paper.tex to be saved with the figure' },
  );
  assert.match(
    texText,
    /More text\.\n\\begin\{figure\}\[htbp\]\n {2}\\centering\n {2}\\includegraphics\[width=\\linewidth\]\{\.\.\/assets\/bar-chart-of-rainfall-100-flat-design-[^}]+\.jpg\}\n {2}\\caption\{Bar chart of rainfall, 100\\% flat design\}\n\\end\{figure\}/,
  );
  assert.equal(fake.requests.length, 2);

  step("copy the heron's link in the gallery, paste it into the LaTeX file: it becomes \\includegraphics");
  await page
    .context()
    .grantPermissions(['clipboard-read', 'clipboard-write'])
    .catch(() => undefined);
  await runCommand('Ideogram: Open Generator');
  const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await view.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
  await view.locator(`.tile-button[aria-label^="${SENTENCE}"]`).first().click();
  await view.locator('button[data-action="copyLink"]').first().click();
  await screenshot('gallery-copy-link');
  const texAgain = await open('paper.tex', 'Rainfall');
  await texAgain.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+V');
  await texAgain
    .locator('.view-lines', { hasText: '\\includegraphics{../assets/a-heron' })
    .waitFor({ timeout: 15_000 });
  await screenshot('latex-pasted-from-gallery');
}
