// End-to-end: "Generate Image Here" from the editor's context menu in the families the HTML/LaTeX and Markdown UI
// tests leave out: MDX (the selection is the prompt), AsciiDoc (a block image on an empty line, the menu opened
// with Shift+F10 so the cursor stays there), reStructuredText (the selection is the prompt) and a Jupyter
// notebook's Markdown cell (the link is relative to the notebook). Each: the link in the editor and in the saved
// file, the JPEG on disk, a screenshot. Then "Ideogram: Find Unused Generated Images": two images nobody links
// to, one chosen, the modal confirmation, the chosen one gone from assets/ (code-server's file system has no
// trash, so the permanent delete is confirmed too) while the other unused one and every linked image stay.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const name =
  'MDX, AsciiDoc, reST and a notebook: "Generate Image Here" from the context menu; unused images to the trash';
export const timeoutSeconds = 420;

const MDX_SENTENCE = 'A paper boat on a calm pond';
const ADOC_PROMPT = 'Snowy mountains at dusk';
const RST_SENTENCE = 'A bicycle leaning on a brick wall';
const NOTEBOOK_SENTENCE = 'A scatter plot drawn with crayons';
const UNUSED = ['Unused draft of a teapot', 'Unused draft of a kettle'];

const images = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((file) => file.endsWith('.jpg'))
        .sort()
    : [];
const isJpeg = (file) => {
  const bytes = fs.readFileSync(file);
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
};
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function run({ page, workspace, fake, step, helpers }) {
  const {
    runCommand,
    setApiKey,
    openFile,
    waitForExtension,
    quickInputType,
    screenshot,
    waitUntil,
    expectNotification,
    clearNotifications,
    generateImageHereFromMenu,
  } = helpers;
  const assets = path.join(workspace, 'assets');
  const docs = path.join(workspace, 'docs');
  fs.writeFileSync(path.join(docs, 'page.mdx'), '# Pond\n\nexport const meta = {};\n');
  fs.writeFileSync(path.join(docs, 'guide.adoc'), '= Mountains\n\nFirst paragraph.\n\n');
  fs.writeFileSync(path.join(docs, 'index.rst'), 'Bicycles\n========\n\n');
  fs.mkdirSync(path.join(workspace, 'notebooks'));
  fs.writeFileSync(
    path.join(workspace, 'notebooks', 'analysis.ipynb'),
    JSON.stringify(
      {
        cells: [{ cell_type: 'markdown', metadata: {}, source: ['# Analysis'] }],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 5,
      },
      null,
      1,
    ),
  );
  fake.configure({ latencyMs: 800 });
  await waitForExtension('Ideogram: Generate Image…');

  step('set the API key');
  await setApiKey('e2e-families-key');
  const billed = () =>
    fake.requests.filter((request) => request.method === 'POST' && /^\/v[12]\/ideogram-txt-2-img$/.test(request.path))
      .length;

  const open = (file, expectText, editorSelector) => openFile(file, { expectText, editorSelector });

  /** Types `sentence` on a new last line and selects it. */
  async function typeAndSelect(editor, sentence) {
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(sentence);
    await page.keyboard.press('Shift+Home');
  }

  /** Right-click on the line holding `lineText` (inside the selection), or Shift+F10 at the cursor; picks Generate Image Here. */
  const generateHere = generateImageHereFromMenu;

  /** Saves the active editor and returns the file's text once it holds `expected`. */
  async function saved(file, expected) {
    await page.keyboard.press('Control+S');
    return waitUntil(
      () => {
        const text = fs.readFileSync(file, 'utf8');
        return expected.test(text) ? text : undefined;
      },
      { message: `${path.relative(workspace, file)} saved with the link`, timeout: 20_000 },
    );
  }

  function linkedImage(name) {
    const file = path.join(assets, decodeURIComponent(name));
    assert.ok(fs.existsSync(file) && isJpeg(file), `assets/${name} is a JPEG on disk`);
    return decodeURIComponent(name);
  }
  const linked = [];

  step('MDX: select a sentence, right-click → Generate Image Here: ![alt](path) on a new paragraph');
  const mdx = await open('page.mdx', 'Pond');
  await typeAndSelect(mdx, MDX_SENTENCE);
  const mdxInput = await generateHere(mdx, { lineText: 'paper boat', shot: 'mdx-context-menu' });
  assert.equal(await mdxInput.inputValue(), MDX_SENTENCE, 'the selection is the prompt');
  await page.keyboard.press('Enter');
  await mdx.locator('.view-lines', { hasText: `![${MDX_SENTENCE}](../assets/` }).waitFor({ timeout: 60_000 });
  await screenshot('mdx-link-inserted');
  const mdxLink = new RegExp(
    `\\n${escapeRegExp(MDX_SENTENCE)}\\n\\n!\\[${escapeRegExp(MDX_SENTENCE)}\\]\\(\\.\\./assets/(a-paper-boat-on-a-calm-pond-[^)]+\\.jpg)\\)`,
  );
  const mdxText = await saved(path.join(docs, 'page.mdx'), mdxLink);
  linked.push(linkedImage(mdxLink.exec(mdxText)[1]));
  step(`page.mdx links ../assets/${linked.at(-1)}`);

  step(
    'AsciiDoc: cursor on the empty last line, Shift+F10 → Generate Image Here with a typed prompt: image::path[alt]',
  );
  const adoc = await open('guide.adoc', 'Mountains');
  await adoc.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  const adocInput = await generateHere(adoc, { shot: 'asciidoc-context-menu' });
  assert.equal(await adocInput.inputValue(), '', 'no selection, no prompt yet');
  await quickInputType(ADOC_PROMPT, { expect: 'Generate Image Here' });
  await adoc.locator('.view-lines', { hasText: 'image::../assets/' }).waitFor({ timeout: 60_000 });
  await screenshot('asciidoc-image-inserted');
  const adocLink = new RegExp(
    `First paragraph\\.\\n\\nimage::\\.\\./assets/(snowy-mountains-at-dusk-\\S+\\.jpg)\\[${escapeRegExp(ADOC_PROMPT)}\\]`,
  );
  const adocText = await saved(path.join(docs, 'guide.adoc'), adocLink);
  linked.push(linkedImage(adocLink.exec(adocText)[1]));
  step(`guide.adoc has image::../assets/${linked.at(-1)}`);

  step('reStructuredText: select a sentence, right-click → Generate Image Here: .. image:: with :alt:');
  const rst = await open('index.rst', 'Bicycles');
  await typeAndSelect(rst, RST_SENTENCE);
  const rstInput = await generateHere(rst, { lineText: 'brick wall', shot: 'rst-context-menu' });
  assert.equal(await rstInput.inputValue(), RST_SENTENCE, 'the selection is the prompt');
  await page.keyboard.press('Enter');
  await rst.locator('.view-lines', { hasText: '.. image:: ../assets/' }).waitFor({ timeout: 60_000 });
  await screenshot('rst-directive-inserted');
  // The selection is still the sentence (not grown over the link): the next key typed would replace it.
  await page
    .locator('.statusbar-item', { hasText: `(${RST_SENTENCE.length} selected)` })
    .first()
    .waitFor({ timeout: 10_000 });
  const rstLink = new RegExp(
    `${escapeRegExp(RST_SENTENCE)}\\n\\n\\.\\. image:: \\.\\./assets/(a-bicycle-leaning-on-a-brick-wall-\\S+\\.jpg)\\n {3}:alt: ${escapeRegExp(RST_SENTENCE)}$`,
  );
  const rstText = await saved(path.join(docs, 'index.rst'), rstLink);
  linked.push(linkedImage(rstLink.exec(rstText)[1]));
  step(`index.rst has .. image:: ../assets/${linked.at(-1)}`);

  step('Jupyter notebook: edit the Markdown cell, select a sentence, right-click → Generate Image Here');
  await open('analysis.ipynb', undefined, '.notebook-editor');
  // The notebook widget is drawn in an overlay above its editor pane, not inside it.
  const notebook = page
    .locator('.notebookOverlay')
    .filter({ has: page.locator('.cell-list-container') })
    .first();
  await page.locator('.statusbar-item', { hasText: 'Cell 1 of 1' }).first().waitFor({ timeout: 30_000 });
  // The cell's row is in the DOM, but drawn by the notebook's webview (Playwright calls it hidden).
  await notebook
    .locator('.cell-list-container .monaco-list-row')
    .first()
    .waitFor({ state: 'attached', timeout: 30_000 });
  // The Markdown cell is rendered: with the notebook focused, Enter edits the selected cell; a double-click on the
  // rendered heading (in the notebook's webview) is the fallback.
  const cellEditor = notebook.locator('.cell-editor-container .monaco-editor').first();
  for (let attempt = 1; ; attempt++) {
    if (attempt === 2) {
      const box = await notebook.boundingBox();
      if (box) await page.mouse.dblclick(box.x + 150, box.y + 75);
    } else {
      await runCommand('View: Focus Active Editor Group');
      await page.keyboard.press('Enter');
    }
    try {
      await cellEditor.waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      step(`the cell is not in edit mode yet (attempt ${attempt})`);
    }
  }
  await typeAndSelect(cellEditor, NOTEBOOK_SENTENCE);
  const cellInput = await generateHere(cellEditor, { lineText: 'crayons', shot: 'notebook-context-menu' });
  assert.equal(await cellInput.inputValue(), NOTEBOOK_SENTENCE, 'the selection in the cell is the prompt');
  await page.keyboard.press('Enter');
  await cellEditor
    .locator('.view-lines', { hasText: `![${NOTEBOOK_SENTENCE}](../assets/` })
    .waitFor({ timeout: 60_000 });
  await screenshot('notebook-link-inserted');
  const notebookFile = path.join(workspace, 'notebooks', 'analysis.ipynb');
  const notebookText = await saved(notebookFile, /!\[A scatter plot/);
  const cellSource = JSON.parse(notebookText).cells[0].source;
  const source = Array.isArray(cellSource) ? cellSource.join('') : cellSource;
  const notebookLink = new RegExp(
    `^# Analysis\\n${escapeRegExp(NOTEBOOK_SENTENCE)}\\n\\n!\\[${escapeRegExp(NOTEBOOK_SENTENCE)}\\]\\(\\.\\./assets/(a-scatter-plot-drawn-with-crayons-[^)]+\\.jpg)\\)$`,
  );
  assert.match(source, notebookLink, "the cell's source in the .ipynb links the image relative to the notebook");
  linked.push(linkedImage(notebookLink.exec(source)[1]));
  step(`analysis.ipynb's Markdown cell links ../assets/${linked.at(-1)}`);
  // Leave edit mode (the cell's "Stop Editing Cell" button): the cell renders, the image resolved relative to the notebook.
  await notebook
    .getByRole('button', { name: /Stop Editing Cell/ })
    .first()
    .click({ timeout: 5_000 })
    .catch(() => undefined);
  await screenshot('notebook-cell-rendered');
  assert.equal(billed(), 4, 'four images billed');
  assert.deepEqual(images(assets), [...linked].sort(), 'exactly the four linked images in assets/');

  step('two images nobody links to, from the Command Palette with no document open');
  await runCommand('View: Close All Editors');
  for (const prompt of UNUSED) {
    await runCommand('Ideogram: Generate Image…');
    await quickInputType(prompt, { expect: 'Describe the image' });
    await expectNotification(`Saved assets/${prompt.toLowerCase().replace(/ /g, '-')}-`, { timeout: 60_000 });
  }
  const [chosen, other] = UNUSED.map((prompt) =>
    images(assets).find((file) => file.startsWith(prompt.toLowerCase().replace(/ /g, '-'))),
  );
  assert.ok(chosen && other, `both unused images on disk: ${images(assets).join(', ')}`);
  await waitUntil(() => fs.existsSync(path.join(assets, chosen.replace(/\.jpg$/, '.ideogram.json'))) || undefined, {
    message: "the chosen image's recipe file",
  });
  await clearNotifications();

  step('Ideogram: Find Unused Generated Images → the two unused ones, with their total size');
  await runCommand('Ideogram: Find Unused Generated Images');
  const widget = page.locator('.quick-input-widget');
  await widget
    .filter({ hasText: /2 unused generated images \(\d+(\.\d)? (B|KB|MB)\)/ })
    .waitFor({ state: 'visible', timeout: 30_000 });
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  // Each row: the file name (label), its size and folder, and its prompt (detail).
  const labels = (await rows.locator('.label-name').allTextContents())
    .map((label) => label.trim())
    .filter((label) => label.endsWith('.jpg'))
    .sort();
  assert.deepEqual(
    (await rows.allTextContents()).filter((text) => UNUSED.some((prompt) => text.includes(prompt))).length,
    2,
    'each with its prompt',
  );
  assert.deepEqual(labels, [chosen, other].sort(), 'exactly the two images no document links to');
  await rows
    .filter({ hasText: chosen })
    .first()
    .locator('input[type="checkbox"], .monaco-checkbox, .quick-input-list-checkbox')
    .first()
    .click();
  await widget.getByText('1 Selected').waitFor({ timeout: 5_000 });
  await screenshot('unused-images-chosen');
  // OK, not Enter: with the focus on the list, Enter toggles the row again.
  await widget.locator('.monaco-button', { hasText: /^OK$/ }).first().click();

  step('the modal confirmation → Move to Trash');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.getByText(/^Move 1 unused images \(\d+(\.\d)? (B|KB|MB)\) to the trash\?$/).waitFor({ timeout: 15_000 });
  await dialog.getByText('No document in the workspace links to them').waitFor();
  await screenshot('unused-images-confirmation');
  await dialog.getByRole('button', { name: 'Move to Trash' }).click();
  // code-server's (remote) file system has no trash: the extension then asks before deleting for good.
  const permanent = dialog.getByRole('button', { name: 'Delete Permanently' });
  const noTrash = await Promise.race([
    permanent.waitFor({ timeout: 15_000 }).then(() => true),
    waitUntil(() => !fs.existsSync(path.join(assets, chosen)) || undefined, {
      message: 'the chosen image gone',
      timeout: 15_000,
    }).then(() => false),
  ]);
  if (noTrash) {
    await dialog.getByText(`assets/${chosen} could not be moved to the trash. Delete it permanently?`).waitFor();
    await screenshot('unused-images-no-trash');
    await permanent.click();
  }
  step(noTrash ? 'no trash here: "Delete Permanently" confirmed' : 'moved to the trash');
  await waitUntil(() => !fs.existsSync(path.join(assets, chosen)) || undefined, {
    message: 'the chosen image gone from assets/',
  });
  await waitUntil(() => !fs.existsSync(path.join(assets, chosen.replace(/\.jpg$/, '.ideogram.json'))) || undefined, {
    message: 'its recipe file gone too',
  });
  const message = await expectNotification(noTrash ? 'deleted permanently' : 'to the trash');
  step(`notification: ${message}`);
  await screenshot('unused-images-removed');
  assert.deepEqual(
    images(assets),
    [...linked, other].sort(),
    'the linked images and the unused one not chosen are kept',
  );
  assert.equal(billed(), 6, 'nothing else was billed');
}
