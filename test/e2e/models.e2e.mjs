// End-to-end: the sidebar's model picker, driven like a user. Picks Ideogram 3.0: the form shows exactly its options
// (rendering speed, its WxH sizes, its four styles, no palette), chooses Quality and 1344 × 768, generates, and the
// fake Segmind received exactly those fields on 3.0's route. Then Ideogram 4.0: presets, images per job, prompt
// expansion, file format. Photographs the form for each model family.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const name = 'models: the form for Ideogram 3.0 and 4.0, a 3.0 generation with Quality and a WxH size';
export const timeoutSeconds = 420;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const images = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((file) => /\.(jpe?g|png)$/i.test(file))
        .sort()
    : [];

export async function run({ page, workspace, shots, fake, step, helpers }) {
  const { runCommand, waitForExtension, setApiKey, waitUntil, quickInputType, quickInputPick, screenshot } = helpers;
  const sidebar = page.locator('.part.sidebar');
  const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const shot = async (file) => {
    await sleep(300);
    await sidebar.screenshot({ path: path.join(shots, `models-${file}.png`) });
    step(`screenshot test-artifacts/screenshots/models-${file}.png`);
  };
  const assets = path.join(workspace, 'assets');
  const before = images(assets);

  await waitForExtension('Ideogram: Open Generator');
  await setApiKey('e2e-models-key');
  await runCommand('Ideogram: Open Generator');
  await view.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
  const model = view.getByLabel('Model', { exact: true });
  await model.waitFor();
  assert.equal(await model.inputValue(), 'ideogram-txt-2-img', 'the default model until the user picks another');

  step('pick Ideogram 3.0: its options, and only its options');
  await model.selectOption({ label: 'Ideogram 3.0' });
  await view
    .getByRole('radiogroup')
    .filter({ has: view.getByRole('radio', { name: 'Quality' }) })
    .waitFor();
  // The V2 palette left with the model; 3.0's speeds and styles came.
  assert.equal(await view.getByRole('radio', { name: 'Preset' }).count(), 0, 'no palette for 3.0');
  assert.deepEqual(
    await view
      .getByRole('group', { name: 'Style', exact: true })
      .getByRole('radio')
      .evaluateAll((radios) => radios.map((radio) => radio.value)),
    ['AUTO', 'GENERAL', 'REALISTIC', 'DESIGN'],
    "3.0's four styles, exactly as Segmind takes them",
  );
  await view.getByRole('radio', { name: 'Quality' }).check();
  await view.getByLabel('Aspect ratio', { exact: true }).selectOption({ label: '16:9 landscape' });
  await view.getByLabel('Size', { exact: true }).selectOption('1344x768');
  await view.getByLabel('Prompt', { exact: true }).fill('A poster that says "Harbour Days", flat design');
  const cost = await view.locator('.cost-line').textContent();
  assert.match(cost ?? '', /0\.1125/, `the cost line prices 3.0 at Quality: ${cost}`);
  await shot('01-ideogram-3-form');

  step("generate: the fake received exactly 3.0's fields on its route");
  const sent = fake.requests.length;
  await view.getByRole('button', { name: 'Generate', exact: true }).click();
  await waitUntil(() => images(assets).length > before.length, { message: 'the image to be saved', timeout: 60_000 });
  const bodies = fake.requests
    .slice(sent)
    .filter((request) => request.method === 'POST')
    .map((request) => ({ path: request.path, json: request.json }));
  assert.equal(bodies.length, 1, JSON.stringify(bodies));
  assert.equal(bodies[0].path, '/v2/ideogram-3');
  assert.deepEqual(Object.keys(bodies[0].json).sort(), [
    'magic_prompt',
    'prompt',
    'rendering_speed',
    'resolution',
    'seed',
    'style_type',
  ]);
  assert.equal(bodies[0].json.rendering_speed, 'QUALITY');
  assert.equal(bodies[0].json.resolution, '1344x768');
  await shot('02-ideogram-3-generated');

  step('pick Ideogram 4.0: presets, images per job, prompt expansion, file format');
  await model.selectOption({ label: 'Ideogram 4.0' });
  await view.getByLabel('Images in one job', { exact: true }).waitFor();
  await view.getByLabel('Image size', { exact: true }).waitFor();
  await view.getByLabel('Expand the prompt', { exact: true }).waitFor();
  assert.equal(await view.getByLabel('Negative prompt', { exact: true }).count(), 0, '4.0 takes no negative prompt');
  await view.getByLabel('Images in one job', { exact: true }).fill('4');
  await view.getByLabel('Model', { exact: true }).scrollIntoViewIfNeeded();
  await shot('03-ideogram-4-form');

  step("the palette: Generate Image…, the gear, Model: Ideogram 3.0, then 3.0's own steps");
  const palettePosts = fake.requests.length;
  await runCommand('Ideogram: Generate Image…');
  const box = page.locator('.quick-input-widget .quick-input-box input');
  await page.locator('.quick-input-widget').filter({ hasText: 'Describe the image' }).waitFor();
  await box.fill('A lighthouse poster, chosen in the palette');
  await page
    .locator('.quick-input-widget [aria-label="Adjust Options…"], .quick-input-widget [title="Adjust Options…"]')
    .first()
    .click();
  await page.locator('.quick-input-widget').filter({ hasText: 'Model' }).waitFor();
  await screenshot('palette-model-step');
  await quickInputPick('Ideogram 3.0');
  await quickInputType('fog', { expect: 'Negative prompt' });
  await quickInputPick('QUALITY');
  await quickInputPick('DESIGN');
  await quickInputPick('Use the prompt exactly as written');
  await quickInputPick('1344 × 768');
  await quickInputType('4242', { expect: 'Seed' });
  await quickInputPick('1 image');
  const palette = await waitUntil(
    () => fake.requests.slice(palettePosts).find((request) => request.method === 'POST'),
    { message: "the palette's generation to reach Segmind", timeout: 60_000 },
  );
  assert.equal(palette.path, '/v2/ideogram-3');
  assert.deepEqual(palette.json, {
    prompt: 'A lighthouse poster, chosen in the palette',
    negative_prompt: 'fog',
    rendering_speed: 'QUALITY',
    style_type: 'DESIGN',
    magic_prompt: 'OFF',
    resolution: '1344x768',
    seed: 4242,
  });
}
