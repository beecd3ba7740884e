// End-to-end: the manifest's promise about untrusted workspaces, in a REAL Restricted Mode.
// package.json declares `untrustedWorkspaces: { supported: "limited", restrictedConfigurations: [assetsFolder,
// defaultNegativePrompt, requestTimeoutSeconds] }`, makes `ideogram.apiEndpoint` application-scoped and the timeout
// machine-scoped. A hostile repository's .vscode/settings.json sets all four: its images would go to hostile-assets/,
// its text would ride along with every prompt, every request would be aborted after 1 s (billed, no image) and the
// API key would go to http://127.0.0.1:1/steal. The extension host's environment carries an IDEOGRAM_API_KEY (as a
// dev container's could, from the repository). Opened untrusted, the extension must still work (limited support):
// ask the user for a key instead of using the environment's, save into the default assets/, send no negative prompt,
// wait as long as the user's settings say, and send the key only to the endpoint of the user's own settings.
//
// The harness's code-server runs with --disable-workspace-trust (every folder trusted), so this module starts its
// own code-server with workspace trust on (startCodeServer's workspaceTrust option) and stops it when done.
// In Restricted Mode a command run with arguments (a keybinding here, as a command link or another extension could)
// is confirmed first: the modal names the prompt; declining sends nothing, accepting saves the image.
// Then, as a control, it trusts the folder: the same workspace setting now moves the images (so Restricted Mode
// is what kept them in assets/), while the endpoint still comes from the user's settings only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { copyWorkspace, freePort, ROOT } from '../../scripts/vscode-harness.mjs';

export const name =
  'restricted mode: an untrusted workspace cannot redirect the images or the key, add a negative prompt, shorten the timeout or plant a key';
export const timeoutSeconds = 300;

const ENVIRONMENT_KEY = 'e2e-planted-environment-key';
const TYPED_KEY = 'e2e-restricted-typed-key';
const HOSTILE_NEGATIVE = 'hostile negative text';
const PROMPT = 'A lighthouse at dawn, flat illustration';
const TRUSTED_PROMPT = 'A harbour at night, after trusting the folder';
const ARGS_PROMPT = 'A red kite over a ridge, asked for by a keybinding';
const ARGS_KEY = 'Control+Shift+Alt+KeyG';

const jpegs = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((file) => file.toLowerCase().endsWith('.jpg'))
        .sort()
    : [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records every request it gets: the hostile workspace's endpoint. Port 1 as the workspace names it when we may bind it. */
async function startHostileServer() {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, apiKey: req.headers['x-api-key'] });
    req.resume();
    res.writeHead(500).end('stolen');
  });
  const listen = (port) =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve(server.address().port);
      });
    });
  let port;
  try {
    port = await listen(1);
  } catch {
    port = await listen(await freePort()); // not root, or port 1 taken
  }
  return {
    endpoint: `http://127.0.0.1:${port}/steal`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function run({ page, fake, step, helpers }) {
  const {
    runCommand,
    waitForExtension,
    quickInputType,
    expectNotification,
    clearNotifications,
    screenshot,
    waitUntil,
    inOwnCodeServer,
  } = helpers;
  const runDir = path.join(ROOT, 'test-artifacts/run');
  const vsix = path.join(runDir, 'ideogram.vsix');
  assert.ok(fs.existsSync(vsix), `the harness packaged ${path.relative(ROOT, vsix)}`);

  const hostile = await startHostileServer();
  // A repository that wants the images elsewhere and the key sent to its own server.
  const workspace = copyWorkspace(
    path.join(ROOT, 'test/fixtures/workspace'),
    path.join(runDir, 'ws-e2e-restricted-untrusted'),
  );
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, '.vscode/settings.json'),
    JSON.stringify(
      {
        'ideogram.assetsFolder': 'hostile-assets',
        'ideogram.apiEndpoint': hostile.endpoint,
        'ideogram.defaultNegativePrompt': HOSTILE_NEGATIVE,
        'ideogram.requestTimeoutSeconds': 1,
      },
      null,
      2,
    ) + '\n',
  );
  const assets = path.join(workspace, 'assets');
  const hostileAssets = path.join(workspace, 'hostile-assets');
  step(
    `hostile workspace ${path.relative(ROOT, workspace)}: assetsFolder "hostile-assets", apiEndpoint ${hostile.endpoint}`,
  );

  step('own code-server with workspace trust on');
  let serverPid;
  try {
    await inOwnCodeServer(
      {
        name: 'restricted',
        workspace,
        vsix,
        workspaceTrust: true,
        settings: {
          'security.workspace.trust.enabled': true,
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.untrustedFiles': 'open',
          'security.workspace.trust.banner': 'always',
          'ideogram.apiEndpoint': fake.endpoint,
        },
        // Used only in a trusted workspace when SecretStorage holds no key: here it must be ignored.
        env: { IDEOGRAM_API_KEY: ENVIRONMENT_KEY },
        // A keybinding that runs ideogram.generateImage with arguments: no prompt box, so Restricted Mode asks first.
        beforeOpen: (server) => {
          serverPid = server.pid;
          fs.writeFileSync(
            path.join(server.userDataDir, 'User', 'keybindings.json'),
            JSON.stringify(
              [{ key: 'ctrl+shift+alt+g', command: 'ideogram.generateImage', args: { prompt: ARGS_PROMPT } }],
              null,
              2,
            ) + '\n',
          );
        },
      },
      async () => {
        step('the folder opens in Restricted Mode');
        const statusItem = page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first();
        await statusItem.waitFor({ state: 'visible', timeout: 30_000 });
        const banner = page.locator('.part.banner', { hasText: 'Restricted Mode' });
        await banner.waitFor({ state: 'visible', timeout: 10_000 });
        step(
          `status bar: "${(await statusItem.textContent()).trim()}"; banner: "${(await banner.innerText()).replace(/\s+/g, ' ').trim()}"`,
        );
        await screenshot('untrusted-restricted-mode');

        // The extension runs in Restricted Mode (limited support): its commands are there.
        await waitForExtension('Ideogram: Generate Image…');
        await runCommand('Workspaces: Manage Workspace Trust');
        const trustEditor = page.locator('.workspace-trust-editor');
        await trustEditor.waitFor({ state: 'visible', timeout: 15_000 });
        await trustEditor.getByText('In Restricted Mode', { exact: false }).first().waitFor({ timeout: 10_000 });
        step('workspace trust editor: "You are in Restricted Mode"');
        await screenshot('trust-editor-restricted');

        // VS Code read the manifest: its "workspace settings are not applied" list has our restricted settings that a
        // workspace could set at all. The endpoint (application scope) and the timeout (machine scope; it is listed as
        // restricted too, in case its scope ever changes) are settings no workspace can set, trusted or not.
        await trustEditor
          .getByText(/\d+ workspace settings/)
          .first()
          .click();
        const settingsEditor = page.locator('.settings-editor');
        await settingsEditor.waitFor({ state: 'visible', timeout: 15_000 });
        await settingsEditor.locator('.search-container .monaco-editor').first().click();
        await page.keyboard.press('ControlOrMeta+A');
        await page.keyboard.type('@tag:requireTrustedWorkspace @ext:ideogram-vscode.ideogram-vscode');
        const assetsRow = settingsEditor.locator('.setting-item', { hasText: 'Assets Folder' }).first();
        await assetsRow.waitFor({ state: 'visible', timeout: 15_000 });
        await sleep(500); // the filtered list settles
        const labels = (await settingsEditor.locator('.setting-item .setting-item-label').allTextContents()).map(
          (label) => label.trim(),
        );
        step(`settings not applied in Restricted Mode, of this extension: ${labels.join(', ')}`);
        await screenshot('restricted-settings');
        assert.deepEqual(
          labels.slice().sort(),
          ['Assets Folder', 'Default Negative Prompt', 'Link Templates'],
          'exactly the restricted settings a workspace can set',
        );

        // ...and the extensions list shows Ideogram among those with limited support (it runs, it is not disabled).
        await runCommand('View: Close All Editors');
        await runCommand('Workspaces: Manage Workspace Trust');
        await trustEditor.waitFor({ state: 'visible', timeout: 15_000 });
        await trustEditor
          .getByText(/\d+ extensions/)
          .first()
          .click();
        await runCommand('View: Close All Editors'); // the trust editor is a modal over the list
        await trustEditor.waitFor({ state: 'hidden', timeout: 10_000 });
        const section = (title) =>
          page.locator('.extensions-viewlet .pane', { has: page.locator('.pane-header', { hasText: title }) });
        const ours = (pane) => pane.locator('.extension-list-item', { hasText: 'Ideogram Image Generator' });
        await ours(section(/Limited in Restricted Mode/i))
          .first()
          .waitFor({ state: 'visible', timeout: 15_000 });
        assert.equal(
          await ours(section(/Disabled in Restricted Mode/i)).count(),
          0,
          'Ideogram is not disabled in Restricted Mode',
        );
        await screenshot('restricted-extensions');
        step('extensions view: Ideogram Image Generator under "Limited in Restricted Mode", not under "Disabled"');
        await runCommand('View: Show Explorer');

        step('Ideogram: Generate Image… in the untrusted workspace');
        await page.keyboard.press('Escape');
        fake.configure({ latencyMs: 2_500 }); // longer than the workspace's 1 s, well within the user's timeout
        await runCommand('Ideogram: Generate Image…', { screenshot: 'palette-generate-image' });
        const promptBox = page.locator('.quick-input-widget').filter({ hasText: 'Describe the image' });
        await promptBox.waitFor({ state: 'visible', timeout: 15_000 });
        assert.ok(
          !(await promptBox.innerText()).includes('Negative prompt from settings'),
          'untrusted: no negative prompt from the workspace',
        );
        await quickInputType(PROMPT, { expect: 'Describe the image', screenshot: 'prompt-box' });
        // The environment's key is not used in Restricted Mode: the user is asked for one.
        await quickInputType(TYPED_KEY, { expect: 'needs a Segmind API key', screenshot: 'asked-for-key' });
        step('untrusted: asked for a key although IDEOGRAM_API_KEY is set');
        const message = await expectNotification('Saved assets/', { timeout: 60_000 });
        fake.configure({ latencyMs: 0 });
        await screenshot('untrusted-saved');
        step(`notification: ${message}`);
        assert.match(
          message,
          /^Saved assets\/a-lighthouse-at-dawn-flat-illustration-\S+\.jpg( \([^)]*credits[^)]*\))?$/,
          'saved into the default assets/ folder',
        );

        const saved = await waitUntil(() => (jpegs(assets).length ? jpegs(assets) : undefined), {
          message: 'a .jpg in assets/',
        });
        assert.equal(saved.length, 1, `one image in assets/ (${saved.join(', ')})`);
        const bytes = fs.readFileSync(path.join(assets, saved[0]));
        assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
        assert.ok(!fs.existsSync(hostileAssets), 'nothing was written to hostile-assets/ (the folder does not exist)');
        assert.equal(
          fake.requests.length,
          1,
          `the fake API (user settings) got ${fake.requests.length} requests, expected 1`,
        );
        assert.equal(
          fake.requests[0].headers['x-api-key'],
          TYPED_KEY,
          "with the key the user typed, not the environment's",
        );
        const sentBody = fake.requests[0].json ?? JSON.parse(fake.requests[0].body);
        assert.equal(sentBody.prompt, PROMPT);
        assert.equal(sentBody.negative_prompt, undefined, 'no negative prompt from the untrusted workspace');
        assert.deepEqual(hostile.requests, [], "nothing reached the workspace's endpoint");
        step(
          `on disk: assets/${saved[0]} (${bytes.length} bytes); hostile-assets/ absent; fake API 1 request; hostile endpoint 0`,
        );

        step('a command with arguments (the keybinding) in Restricted Mode: a modal names what will be generated');
        await clearNotifications();
        const dialog = page.locator('.monaco-dialog-box');
        const argsMessage =
          'Generate an image? A command asked for it in Restricted Mode, and it uses Segmind credits.';
        const pressKeybinding = async () => {
          await page
            .locator('.editor-group-container')
            .first()
            .click()
            .catch(() => {}); // the workbench has the keyboard focus
          await page.keyboard.press(ARGS_KEY);
          await dialog.waitFor({ state: 'visible', timeout: 30_000 });
          await dialog.getByText(argsMessage, { exact: true }).waitFor({ timeout: 10_000 });
          // The detail shows the whole request, the number of images and the cost (issue 24).
          const detail = (await dialog.textContent()) ?? '';
          for (const expected of [`Prompt: ${ARGS_PROMPT}`, 'Images: 1', 'Cost: '])
            assert.ok(detail.includes(expected), `the dialog shows ${expected}: ${detail}`);
        };
        await pressKeybinding();
        await screenshot('command-arguments-confirmation');
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'hidden' });
        step('declined');
        await pressKeybinding();
        await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
        const argsSaved = await expectNotification('Saved assets/a-red-kite-over-a-ridge', { timeout: 60_000 });
        await screenshot('command-arguments-saved');
        step(`accepted; notification: ${argsSaved}`);
        const argsImage = await waitUntil(
          () => jpegs(assets).find((file) => file.startsWith('a-red-kite-over-a-ridge')),
          { message: 'the image of the keybinding in assets/' },
        );
        assert.deepEqual(
          [...fs.readFileSync(path.join(assets, argsImage)).subarray(0, 3)],
          [0xff, 0xd8, 0xff],
          'a JPEG',
        );
        // One more request, not two: the declined run never reached the API.
        assert.equal(
          fake.requests.length,
          2,
          `the fake API got ${fake.requests.length} requests: the declined run sent nothing, the accepted one 1`,
        );
        assert.equal((fake.requests[1].json ?? JSON.parse(fake.requests[1].body)).prompt, ARGS_PROMPT);
        assert.equal(jpegs(assets).length, 2, "two images in assets/: the palette's and the accepted keybinding's");
        const untrustedImages = jpegs(assets);

        // Control: trust the folder. The restricted setting now applies (the images move), which shows it was
        // Restricted Mode that ignored it; the endpoint stays the user's (application scope), trusted or not.
        step('control: trust the folder, generate again');
        await clearNotifications();
        await runCommand('Workspaces: Manage Workspace Trust');
        await trustEditor.waitFor({ state: 'visible', timeout: 15_000 });
        await trustEditor
          .getByRole('button', { name: /^Trust( Folder)?$/ })
          .first()
          .click();
        await statusItem.waitFor({ state: 'hidden', timeout: 15_000 });
        await trustEditor.getByText('Trusted', { exact: false }).first().waitFor({ timeout: 10_000 });
        await screenshot('trusted');
        await sleep(500); // the configuration service re-reads the workspace settings with trust
        await runCommand('Ideogram: Generate Image…');
        // Trusted, the workspace's negative prompt applies, and the prompt box says so before anything is sent.
        await quickInputType(TRUSTED_PROMPT, {
          expect: `Negative prompt from settings: “${HOSTILE_NEGATIVE}”`,
          screenshot: 'trusted-prompt-box-negative',
        });
        const trustedMessage = await expectNotification('Saved hostile-assets/', { timeout: 60_000 });
        await screenshot('trusted-saved');
        step(`notification: ${trustedMessage}`);
        assert.equal(jpegs(hostileAssets).length, 1, "trusted: the workspace's assetsFolder applies");
        assert.deepEqual(jpegs(assets), untrustedImages, 'assets/ unchanged');
        assert.equal(fake.requests.length, 3, 'trusted: still the endpoint of the user settings');
        const trustedBody = fake.requests[2].json ?? JSON.parse(fake.requests[2].body);
        assert.equal(trustedBody.negative_prompt, HOSTILE_NEGATIVE, 'trusted: the shown negative prompt was sent');
        assert.deepEqual(hostile.requests, [], "trusted: still nothing to the workspace's endpoint");
        step('trusted: image in hostile-assets/ (the setting is real), fake API 3 requests, hostile endpoint 0');

        step('trusted: the same keybinding generates without asking');
        await clearNotifications();
        await page
          .locator('.editor-group-container')
          .first()
          .click()
          .catch(() => {});
        await page.keyboard.press(ARGS_KEY);
        await expectNotification('Saved hostile-assets/a-red-kite-over-a-ridge', { timeout: 60_000 });
        assert.equal(await dialog.count(), 0, 'no confirmation in a trusted workspace');
        assert.equal(fake.requests.length, 4);
      },
    );
  } finally {
    await hostile.close();
  }
  // The code-server ended with its whole process group.
  const isAlive = () => {
    try {
      process.kill(-serverPid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 30 && isAlive(); i++) await sleep(100);
  assert.ok(!isAlive(), `code-server's process group ${serverPid} is gone`);
}
