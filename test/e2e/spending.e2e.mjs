// End-to-end: the budget settings (issue 14) as a user meets them. The user's settings ask to confirm every
// generation above 0.05 credits (`ideogram.confirmAboveCredits`) and cap today's spend at 0.25 credits
// (`ideogram.dailyCreditLimit`). The confirmation is a modal, which only the UI can answer: it names the prompt
// and the cost; Cancel sends nothing (the fake counts what it billed), Generate saves the image. Once today's spend
// plus the next image would pass the limit, the generation is refused with a message and an Open Settings action.
//
// Today's spend is kept per machine (global state), and the other e2e modules generate images in the harness's
// shared code-server, so this module starts its own code-server with a fresh profile: a known spend of zero.
// The balance shown before the first image comes from Segmind's free balance route, read when the key is set.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { copyWorkspace, ROOT } from '../../scripts/vscode-harness.mjs';

export const name =
  "budget: the spend confirmation (prompt and cost; Cancel bills nothing, Generate saves) and the daily limit's refusal";
export const timeoutSeconds = 300;

const PROMPTS = [
  'A red kite over a ridge',
  'A blue canoe on a lake',
  'A green tractor in a field',
  'A yellow taxi in the rain',
];
const slug = (prompt) => prompt.toLowerCase().replace(/ /g, '-');
const jpegs = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((file) => file.endsWith('.jpg'))
        .sort()
    : [];

export async function run({ page, fake, step, helpers }) {
  const {
    runCommand,
    waitForExtension,
    setApiKey,
    inOwnCodeServer,
    quickInputType,
    expectNotification,
    clearNotifications,
    screenshot,
    waitUntil,
  } = helpers;
  const runDir = path.join(ROOT, 'test-artifacts/run');
  const vsix = path.join(runDir, 'ideogram.vsix');
  assert.ok(fs.existsSync(vsix), `the harness packaged ${path.relative(ROOT, vsix)}`);
  const workspace = copyWorkspace(path.join(ROOT, 'test/fixtures/workspace'), path.join(runDir, 'ws-e2e-spending-own'));
  const assets = path.join(workspace, 'assets');
  const billed = () =>
    fake.requests.filter((request) => request.method === 'POST' && /^\/v[12]\/ideogram-txt-2-img$/.test(request.path))
      .length;
  fake.configure({ latencyMs: 500, cost: 0.1, credits: 12.5 });

  step('a fresh profile: confirm above 0.05, daily limit 0.25 credits');
  await inOwnCodeServer(
    {
      name: 'spending',
      workspace,
      vsix,
      settings: {
        'ideogram.apiEndpoint': fake.endpoint,
        'ideogram.confirmAboveCredits': 0.05,
        'ideogram.dailyCreditLimit': 0.25,
      },
    },
    async () => {
      await waitForExtension('Ideogram: Generate Image…');
      await setApiKey('e2e-spending-key');

      const dialog = page.locator('.monaco-dialog-box');
      /** Palette → Generate Image… → prompt; returns the confirmation's message and detail. */
      async function generateAndExpectConfirmation(prompt, shot, costInPromptBox = 'Describe the image') {
        await runCommand('Ideogram: Generate Image…');
        await quickInputType(prompt, { expect: costInPromptBox, screenshot: `${shot}-prompt-box` });
        await dialog.waitFor({ state: 'visible', timeout: 30_000 });
        const message = (await dialog.locator('.dialog-message-text').innerText()).trim();
        const detail = (await dialog.locator('.dialog-message-detail').innerText()).trim();
        await screenshot(shot);
        step(`confirmation: "${message}" / "${detail.replace(/\n/g, ' / ')}"`);
        assert.equal(message, `Generate "${prompt}"?`, 'the confirmation names the prompt');
        assert.match(
          detail,
          /You asked to confirm generations above 0\.05 credits \("ideogram\.confirmAboveCredits"\)\./,
        );
        return detail;
      }
      async function expectSaved(prompt) {
        const message = await expectNotification(`Saved assets/${slug(prompt)}-`, { timeout: 60_000 });
        const file = await waitUntil(() => jpegs(assets).find((name) => name.startsWith(slug(prompt))), {
          message: `the image of "${prompt}" in assets/`,
        });
        const bytes = fs.readFileSync(path.join(assets, file));
        assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
        step(`notification: ${message}`);
        await clearNotifications();
        return file;
      }

      step(
        "1: Segmind has reported no cost yet: the model's list price, marked as an estimate, is above 0.05 and confirmed: Generate saves it",
      );
      // The key was just set: Segmind's free balance route told what is left, so the prompt box says it already.
      const firstDetail = await generateAndExpectConfirmation(
        PROMPTS[0],
        'confirm-cost-unknown',
        'Cost: ≈ 0.10 credits (estimate: Segmind has not reported a cost for these options yet) · 12.40 left',
      );
      assert.equal(
        fake.balanceReads.filter((read) => read.status === 200 && read.headers['x-api-key'] === 'e2e-spending-key')
          .length >= 1,
        true,
        'the balance was read with the key',
      );
      assert.match(
        firstDetail,
        /^≈ 0\.10 credits \(estimate: Segmind has not reported a cost for these options yet\) · 12\.40 left\n/,
        'says plainly that the cost is an estimate, and what is left',
      );
      await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
      await expectSaved(PROMPTS[0]);
      assert.equal(billed(), 1);

      step('2: now the confirmation shows the cost and what is left; Cancel sends nothing');
      const secondDetail = await generateAndExpectConfirmation(
        PROMPTS[1],
        'confirm-with-cost',
        'Cost: 0.10 credits · 12.30 left',
      );
      assert.match(
        secondDetail,
        /^0\.10 credits · 12\.30 left\n/,
        'the cost Segmind reported for the last image, and the balance after this one',
      );
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const cancelled = await expectNotification('Not generated. Nothing was sent to Segmind.');
      step(`notification: ${cancelled}`);
      await clearNotifications();

      step('3: confirmed, it is generated and saved');
      await generateAndExpectConfirmation(PROMPTS[2], 'confirm-again');
      await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
      await expectSaved(PROMPTS[2]);
      // Two billed, not three: the cancelled one (asked before the third) was never sent.
      assert.equal(billed(), 2, 'the cancelled generation was never sent');
      assert.deepEqual(
        jpegs(assets)
          .map((file) => PROMPTS.findIndex((prompt) => file.startsWith(slug(prompt))))
          .sort(),
        [0, 2],
        'the first and third images on disk, not the cancelled one',
      );

      step('4: 0.20 spent today, 0.10 more would pass the 0.25 limit: refused, with Open Settings');
      await runCommand('Ideogram: Generate Image…');
      await quickInputType(PROMPTS[3], { expect: 'Describe the image' });
      const refusal = await expectNotification('would pass your daily limit', { timeout: 30_000 });
      await screenshot('daily-limit-refused');
      step(`notification: ${refusal}`);
      assert.equal(
        refusal,
        'Not generated: today\'s spend on this machine (0.20 credits) plus this request (0.10) would pass your daily limit of 0.25 credits. Nothing was sent. To go on, raise "ideogram.dailyCreditLimit" in your user settings.',
      );
      assert.equal(await dialog.count(), 0, 'no confirmation for a refused generation');
      assert.equal(billed(), 2, 'nothing sent');
      assert.equal(jpegs(assets).length, 2);
      const item = page
        .locator('.notifications-center .notification-list-item', { hasText: 'would pass your daily limit' })
        .first();
      await item.getByRole('button', { name: 'Open Settings' }).click();
      const settingsEditor = page.locator('.settings-editor');
      await settingsEditor.waitFor({ state: 'visible', timeout: 15_000 });
      await settingsEditor.locator('.setting-item', { hasText: 'Ideogram' }).first().waitFor({ timeout: 15_000 });
      await screenshot('daily-limit-open-settings');
      step('Open Settings opened the settings editor on the Ideogram settings');
    },
  );
}
