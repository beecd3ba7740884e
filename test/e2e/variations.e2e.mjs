// End-to-end: the cost shown before generating and four variations side by side in the sidebar, driven like a
// user in a real VS Code (code-server) against the fake API: learn the price from a first image, choose 4
// variations (the cost line and the button follow), generate, keep one, insert it into Markdown, trash the others.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const name =
  'variations: cost before generating, 4 variations side by side, insert the chosen one, trash the others';
export const timeoutSeconds = 420;

const API_KEY = 'e2e-variations-key';
const PROMPT = 'A hot air balloon over green hills, flat illustration';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const images = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((file) => /\.(jpe?g|png|webp)$/i.test(file))
        .sort()
    : [];

export async function run({ page, workspace, shots, fake, step, helpers }) {
  const { runCommand, setApiKey, waitForExtension, quickInputPick, waitUntil } = helpers;
  const assets = path.join(workspace, 'assets');
  const sidebar = page.locator('.part.sidebar');
  const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const prompt = view.getByLabel('Prompt', { exact: true });
  const costLine = view.locator('.cost-line');
  const shot = async (file) => {
    await sleep(300);
    await sidebar.screenshot({ path: path.join(shots, `variations-${file}.png`) });
    step(`screenshot test-artifacts/screenshots/variations-${file}.png`);
  };
  fake.configure({ latencyMs: 800, cost: 0.1, credits: 12.5 });

  await waitForExtension('Ideogram: Open Generator');
  step('set the key, open guide.md and the sidebar');
  await setApiKey(API_KEY);
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget .quick-input-box input').fill('guide.md');
  await quickInputPick('guide.md');
  await page.locator('.tab.active', { hasText: 'guide.md' }).waitFor();
  await runCommand('Ideogram: Open Generator');
  await view.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });

  step('before any image the cost is plainly not known; after the first, Generate shows it');
  await prompt.fill(PROMPT);
  await costLine.filter({ hasText: /Cost not known yet|credits/ }).waitFor();
  await view.getByRole('button', { name: 'Generate', exact: true }).click();
  await view.locator('.preview img').waitFor({ timeout: 60_000 });
  await costLine.filter({ hasText: /^0\.10 credits · 12\.30 left$/ }).waitFor({ timeout: 15_000 });

  step('4 variations: the cost line shows the total and what is left; the button says how many');
  await view.getByLabel('Number of images').selectOption('4');
  await costLine.filter({ hasText: /^0\.40 credits for 4 images · 12\.00 left$/ }).waitFor();
  await view.getByRole('button', { name: 'Generate 4 Images' }).waitFor();
  await shot('01-cost-before');

  const before = images(assets);
  await view.getByRole('button', { name: 'Generate 4 Images' }).click();
  await view
    .locator('.run.running')
    .nth(3)
    .waitFor({ timeout: 30_000 })
    .catch(() => undefined);
  await view.locator('.variations .variation').nth(3).waitFor({ timeout: 90_000 });
  const created = await waitUntil(
    () => {
      const now = images(assets).filter((file) => !before.includes(file));
      return now.length === 4 ? now : undefined;
    },
    { message: 'four new images in assets/', timeout: 30_000 },
  );
  const seeds = fake.requests.slice(-4).map((request) => request.json.seed);
  assert.equal(new Set(seeds).size, 4, `four distinct seeds: ${seeds.join(', ')}`);
  assert.equal(await view.locator('.variations .variation').count(), 4);
  await view.locator('.preview').scrollIntoViewIfNeeded();
  await shot('02-four-side-by-side');

  step('keep the third instead of the first, insert it into guide.md');
  await view.locator('.variation').nth(2).click();
  await view.locator('.variation').nth(0).click();
  assert.equal(await view.locator('.variation[aria-pressed="true"]').count(), 1);
  const chosenSeed = Number(/seed (\d+)/.exec(await view.locator('.variation').nth(2).getAttribute('aria-label'))?.[1]);
  await view.getByRole('button', { name: 'Insert Chosen into guide.md' }).click();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+S');
  const guide = path.join(workspace, 'docs/guide.md');
  const inserted = await waitUntil(
    () => created.find((file) => fs.readFileSync(guide, 'utf8').includes(`(../assets/${file})`)),
    { message: 'a variation linked in guide.md' },
  );
  assert.equal(
    created.filter((file) => fs.readFileSync(guide, 'utf8').includes(file)).length,
    1,
    'exactly one variation inserted',
  );
  step(`inserted assets/${inserted} (seed ${chosenSeed})`);
  await shot('03-chosen');

  step('Trash the 3 Others: one confirmation, the kept one stays');
  await view.getByRole('button', { name: 'Trash the 3 Others' }).click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.getByText('Move 3 images to the trash?').waitFor();
  await dialog.getByRole('button', { name: 'Move to Trash' }).click();
  // A remote file system may have no trash: VS Code then offers a permanent delete (once for all three).
  const permanent = dialog.getByRole('button', { name: 'Delete Permanently' });
  await permanent
    .waitFor({ timeout: 10_000 })
    .then(() => permanent.click())
    .catch(() => undefined);
  await waitUntil(() => images(assets).filter((file) => created.includes(file)).length === 1 || undefined, {
    message: 'three variations moved to the trash',
    timeout: 30_000,
  });
  assert.deepEqual(
    images(assets).filter((file) => created.includes(file)),
    [inserted],
    'the inserted one is kept',
  );
  // Each image goes, then its recipe: the last recipe may still be on its way when the last image is gone.
  const recipesOf = () =>
    fs
      .readdirSync(assets)
      .filter((file) => created.some((image) => file === image.replace(/\.[^.]+$/, '.ideogram.json')));
  await waitUntil(() => recipesOf().length === 1 || undefined, {
    message: "the trashed variations' recipes moved to the trash",
    timeout: 30_000,
  }).catch(() => undefined); // the assertion below says what is left
  const recipes = recipesOf();
  assert.deepEqual(
    recipes,
    [inserted.replace(/\.[^.]+$/, '.ideogram.json')],
    "the trashed variations' recipes went with them",
  );
  await view.locator('.preview img').first().waitFor();
  assert.equal(await view.locator('.variations').count(), 0, 'one image left: the usual preview');
  await shot('04-after-trash');
}
