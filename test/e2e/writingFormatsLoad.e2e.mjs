// End-to-end: a new window whose only document is an HTML page. Nothing of the extension has run but its small
// bootstrap (no command, no sidebar, no Markdown document): opening the page loads the extension
// (src/core/linkFormats.ts LANGUAGES_LOADED_ON_OPEN, package.json's onLanguage events), so hovering its <img> shows the
// picture's recipe and actions at once, as in Markdown. Before, the hover stayed empty until something else loaded it.
import assert from 'node:assert/strict';
import { writeLighthouseDocument } from './imageHover.e2e.mjs';

export const name = 'A new window with only an HTML page open: its <img> hover shows the recipe, no command run first';

export async function run({ page, workspace, step, helpers }) {
  const { openFile, waitForExtension, screenshot, showHover } = helpers;
  writeLighthouseDocument(workspace, 'tour.html', [
    '<!doctype html>',
    '<html>',
    '  <body>',
    '    <h1>The lighthouse tour</h1>',
    '    <img src="../assets/lighthouse-at-dusk.png" alt="A lighthouse on a cliff at dusk">',
    '    <p>From there, the steps lead down to the cove.</p>',
    '  </body>',
    '</html>',
    '',
  ]);
  // Only looks at the command palette: the commands are the bootstrap's stand-ins, none is run.
  await waitForExtension('Ideogram: Generate Image…');

  step('open docs/tour.html, the only document, and hover its <img>');
  const editor = await openFile('tour.html', { expectText: 'steps lead down' });
  const line = editor.locator('.view-line', { hasText: '<img src=' }).first();
  const hover = page.locator('.monaco-hover:visible', { hasText: 'Regenerate' }).first();
  await showHover(line, hover, {
    message: 'the <img> hover with the recipe, in a window where nothing else loaded the extension',
    position: { x: 80, y: 8 },
  });
  const text = (await hover.textContent()) ?? '';
  for (const expected of ['A lighthouse on a cliff at dusk', 'Seed: 2024', 'Remix…', 'recipe embedded in the image'])
    assert.ok(text.includes(expected), `the hover shows "${expected}": ${text}`);
  await screenshot('html-hover-first');
}
