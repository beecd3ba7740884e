// End-to-end (#22): input images leave the machine only with consent. A trusted workspace asks before its first
// upload and remembers the answer; Restricted Mode asks before EVERY upload (src/generation/imageInput/imageUploader.ts).
// The harness's code-server trusts every folder, so this module starts its own with workspace trust on (as
// restrictedMode.e2e.mjs does): the folder opens in Restricted Mode. Three DIFFERENT pictures, since the same bytes
// reuse their upload for a day and would need no consent: A → asked → Upload → saved; B → asked AGAIN, uploaded only
// after Upload; C → asked → Cancel → nothing uploaded, nothing sent, and the user is told it was not uploaded.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { copyWorkspace, ROOT } from '../../scripts/vscode-harness.mjs';

export const name = 'restricted mode: every upload of an input image is asked for; Cancel uploads and sends nothing';
export const timeoutSeconds = 300;

const TYPED_KEY = 'e2e-upload-consent-key';
// Three pictures with different bytes (real PNGs of the repository).
const PICTURES = [
  { name: 'picture-a.png', from: 'media/icon.png' },
  { name: 'picture-b.png', from: 'docs/images/prompt.png' },
  { name: 'picture-c.png', from: 'docs/images/hover.png' },
];

export async function run({ page, fake, step, helpers }) {
  const { runCommand, waitForExtension, setApiKey, expectNotification, clearNotifications, screenshot, waitUntil } =
    helpers;
  const runDir = path.join(ROOT, 'test-artifacts/run');
  const vsix = path.join(runDir, 'ideogram.vsix');
  assert.ok(fs.existsSync(vsix), `the harness packaged ${path.relative(ROOT, vsix)}`);

  const workspace = copyWorkspace(
    path.join(ROOT, 'test/fixtures/workspace'),
    path.join(runDir, 'ws-e2e-upload-consent'),
  );
  const docs = path.join(workspace, 'docs');
  for (const picture of PICTURES) fs.copyFileSync(path.join(ROOT, picture.from), path.join(docs, picture.name));
  fake.configure({ latencyMs: 500, imageScale: 1 });

  await inOwnRestrictedCodeServer(async () => {
    step('the folder opens in Restricted Mode');
    await page
      .locator('.statusbar-item', { hasText: 'Restricted Mode' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await waitForExtension('Ideogram: Generate Image…');
    // Restricted Mode ignores the environment's key; the user's own key, typed in, is kept in SecretStorage.
    step('set the API key');
    await setApiKey(TYPED_KEY);

    await runCommand('View: Show Explorer');
    const tree = page.locator('.explorer-folders-view');
    const rowNamed = (label) => tree.locator('.monaco-list-row', { hasText: label }).first();
    const widget = page.locator('.quick-input-widget');
    const pickRow = (label) => widget.locator('.monaco-list-row', { hasText: label }).first();
    const dialog = page.locator('.monaco-dialog-box');

    /** Right-click → Reframe… → tick the 16:9 size → Generate; returns once the consent dialog names the picture. */
    const reframeUntilAsked = async (picture, shot) => {
      const row = rowNamed(picture);
      if (!(await row.isVisible().catch(() => false))) await rowNamed('docs').click();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      await row.click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: 'Reframe…' }).first();
      await item.waitFor({ state: 'visible', timeout: 10_000 });
      // The menu can ignore a click that lands as it opens: hover first, and click once more if no picker came.
      await item.hover();
      await item.click();
      const picker = widget.filter({ hasText: `Reframe ${picture}` });
      const opened = await picker
        .waitFor({ state: 'visible', timeout: 3_000 })
        .then(() => true)
        .catch(() => false);
      if (!opened) await item.click({ timeout: 2_000 }).catch(() => {});
      await picker.waitFor({ state: 'visible', timeout: 15_000 });
      await pickRow('16:9 hero or banner')
        .locator('input[type=checkbox], .monaco-checkbox, .quick-input-list-checkbox')
        .first()
        .click();
      await widget.locator('.quick-input-action .monaco-button', { hasText: 'OK' }).first().click();
      const generate = pickRow('Generate');
      await generate.waitFor({ state: 'visible', timeout: 15_000 });
      await generate.click();
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      const text = (await dialog.textContent()) ?? '';
      assert.match(
        text,
        new RegExp(`${picture.replace('.', '\\.')} \\(\\d+ KB\\) will be uploaded to Segmind`),
        `the dialog names ${picture}: ${text}`,
      );
      assert.match(text, /Restricted Mode, so every upload is asked for/, `the dialog says why it asks: ${text}`);
      await screenshot(shot);
      step(`asked: ${text.replace(/\s+/g, ' ').trim()}`);
    };
    const reframedFile = (picture) => path.join(docs, picture.replace('.png', '-reframe-16x9.jpg'));
    const reframeRequests = () => fake.requests.filter((request) => request.path === '/v2/ideogram-3-reframe');

    step('picture A: Reframe… → asked → Upload → saved');
    await reframeUntilAsked('picture-a.png', 'consent-picture-a');
    assert.equal(fake.uploads.length, 0, 'nothing uploaded before the consent');
    assert.equal(reframeRequests().length, 0, 'nothing sent before the consent');
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitUntil(() => fs.existsSync(reframedFile('picture-a.png')), {
      timeout: 90_000,
      message: 'picture-a-reframe-16x9.jpg beside picture-a.png',
    });
    assert.deepEqual([...fs.readFileSync(reframedFile('picture-a.png')).subarray(0, 3)], [0xff, 0xd8, 0xff]);
    assert.equal(fake.uploads.length, 1, 'picture A uploaded once');
    assert.equal(reframeRequests().length, 1, 'one Reframe job for picture A');
    assert.equal(fake.requests.at(-1).headers['x-api-key'], TYPED_KEY, 'with the key the user typed');
    await expectNotification('beside picture-a.png', { timeout: 30_000 });
    await screenshot('picture-a-saved');
    await clearNotifications();

    step('picture B: asked AGAIN (Restricted Mode remembers no consent); uploaded only after Upload');
    await runCommand('View: Show Explorer');
    await reframeUntilAsked('picture-b.png', 'consent-picture-b-asked-again');
    assert.equal(fake.uploads.length, 1, 'picture B not uploaded while the dialog is open');
    assert.equal(reframeRequests().length, 1, 'no Reframe job for picture B while the dialog is open');
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitUntil(() => fs.existsSync(reframedFile('picture-b.png')), {
      timeout: 90_000,
      message: 'picture-b-reframe-16x9.jpg beside picture-b.png',
    });
    assert.equal(fake.uploads.length, 2, 'picture B uploaded once, after Upload');
    assert.equal(reframeRequests().length, 2);
    await expectNotification('beside picture-b.png', { timeout: 30_000 });
    await clearNotifications();

    step('picture C: asked → Cancel → nothing uploaded, nothing sent, told so');
    await runCommand('View: Show Explorer');
    const uploadsBefore = fake.uploads.length;
    const requestsBefore = fake.requests.length;
    await reframeUntilAsked('picture-c.png', 'consent-picture-c');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const message = await expectNotification('picture-c.png was not uploaded', { timeout: 30_000 });
    step(`told: ${message}`);
    assert.match(message, /picture-c\.png was not uploaded, so nothing was generated or billed\./);
    await screenshot('picture-c-declined');
    assert.equal(fake.uploads.length, uploadsBefore, 'nothing uploaded after Cancel');
    assert.equal(fake.requests.length, requestsBefore, 'nothing sent after Cancel');
    assert.ok(!fs.existsSync(reframedFile('picture-c.png')), 'no file for picture C');
    assert.ok(
      !fs.readdirSync(docs).some((file) => file.startsWith('picture-c-')),
      `nothing beside picture-c.png: ${fs.readdirSync(docs).join(', ')}`,
    );
  });

  /** Own code-server with workspace trust on, the folder untrusted (see restrictedMode.e2e.mjs). */
  function inOwnRestrictedCodeServer(body) {
    return helpers.inOwnCodeServer(
      {
        name: 'upload-consent',
        workspace,
        vsix,
        workspaceTrust: true,
        settings: {
          'security.workspace.trust.enabled': true,
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.untrustedFiles': 'open',
          'ideogram.apiEndpoint': fake.endpoint,
        },
      },
      body,
    );
  }
}
