// End-to-end: the sidebar speaks German under a German VS Code. Its words come from the host's l10n bundle
// (src/sidebar/sidebarStrings.ts → l10n/bundle.l10n.de.json), so this starts its own code-server with
// `--locale de` (the harness's runs in English) and reads the sidebar as a German user sees it. VS Code takes a
// display language only from an installed language pack, and installs one from the marketplace (out of reach
// offline) when it has none: an empty pack (test/fixtures/german-language-pack) is installed instead and registered
// in the profile's languagepacks.json before the start (VS Code writes that file itself only once it runs). The
// workbench stays English (the pack translates nothing); VS Code reports German to extensions, which load their
// German bundles. Artifact: test-artifacts/screenshots/germanSidebar-sidebar-de.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { copyWorkspace, ROOT, run as runProcess } from '../../scripts/vscode-harness.mjs';

export const name = 'German sidebar: under a German VS Code the form, buttons, gallery and error messages are German';
export const timeoutSeconds = 240;

const german = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.de.json'), 'utf8'));
const germanNls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.de.json'), 'utf8'));

export async function run({ page, fake, step, helpers }) {
  const { runCommand, waitUntil, quickInputType, inOwnCodeServer } = helpers;
  const runDir = path.join(ROOT, 'test-artifacts/run');
  const vsix = path.join(runDir, 'ideogram.vsix');
  assert.ok(fs.existsSync(vsix), `the harness packaged ${path.relative(ROOT, vsix)}`);
  const workspace = copyWorkspace(path.join(ROOT, 'test/fixtures/workspace'), path.join(runDir, 'ws-e2e-german'));
  const packDir = path.join(ROOT, 'test/fixtures/german-language-pack');
  const pack = JSON.parse(fs.readFileSync(path.join(packDir, 'package.json'), 'utf8'));
  const packVsix = path.join(runDir, 'german-language-pack.vsix');
  await runProcess(
    'npx',
    ['--no-install', 'vsce', 'package', '--allow-missing-repository', '--skip-license', '-o', packVsix],
    { prefix: 'vsce', quiet: true, cwd: packDir },
  );
  const registerPack = (stateDir) => {
    fs.mkdirSync(path.join(stateDir, 'user-data'), { recursive: true });
    fs.writeFileSync(
      path.join(stateDir, 'user-data/languagepacks.json'),
      JSON.stringify({
        de: {
          hash: `${pack.publisher}.${pack.name}-${pack.version}`,
          label: 'Deutsch',
          extensions: [{ extensionIdentifier: { id: `${pack.publisher}.${pack.name}` }, version: pack.version }],
          translations: { vscode: path.join(packDir, 'translations/main.i18n.json') },
        },
      }),
    );
  };
  step('own code-server with --locale de');
  await inOwnCodeServer(
    {
      name: 'german',
      workspace,
      locale: 'de',
      prepare: registerPack,
      settings: { 'ideogram.apiEndpoint': fake.endpoint },
      vsix: [packVsix, vsix],
    },
    async () => {
      // The command's title comes from package.nls.de.json: VS Code itself runs in German for the extension.
      const openTitle = `Ideogram: ${germanNls['command.openPanel.title']}`;
      await waitUntil(
        async () => {
          try {
            await runCommand(openTitle, { timeout: 3_000 });
            return true;
          } catch {
            await page.keyboard.press('Escape');
            return false;
          }
        },
        { timeout: 60_000, interval: 500, message: `"${openTitle}" in the palette` },
      );
      const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await view.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });

      const generate = (await view.locator('button.generate .button-label').textContent())?.trim();
      const gallery = (await view.locator('#gallery-heading').textContent())?.trim();
      const placeholder = await view.locator('textarea').first().getAttribute('placeholder');
      const language = await view.locator('html').getAttribute('lang');
      step(
        `sidebar: lang="${language}", Generate button "${generate}", gallery heading "${gallery}", prompt placeholder "${placeholder}"`,
      );
      assert.equal(generate, german.Generate, 'the Generate button is German');
      assert.equal(gallery, german.Gallery, 'the gallery heading is German');
      assert.equal(
        placeholder,
        german['Describe the image: subject, style, text to render…'],
        'the prompt placeholder is German',
      );
      assert.match(language ?? '', /^de\b/, 'the page says it is German');
      await view
        .getByText(german['Add your Segmind API key to generate images. It stays in VS Code’s secret storage.'])
        .waitFor();
      await view.getByRole('button', { name: german['Set API Key'] }).waitFor();
      await page
        .locator('.part.sidebar')
        .screenshot({ path: path.join(ROOT, 'test-artifacts/screenshots/germanSidebar-sidebar-de.png') });
      step('screenshot test-artifacts/screenshots/germanSidebar-sidebar-de.png');

      // The form's live validation is worded by the host from the core's problem codes (describeRequestProblem).
      step('live validation reads German: a seed above the range');
      if ((await view.locator('details.options').getAttribute('open')) === null)
        await view.locator('details.options > summary').click();
      const seed = view.getByLabel(german.Seed, { exact: true });
      await seed.fill('99999999999');
      const seedProblem = german['Seed must be between {0} and {1}'].replace('{0}', '0').replace('{1}', '2147483647');
      await view.getByText(seedProblem).waitFor({ timeout: 15_000 });
      assert.equal(await seed.getAttribute('aria-invalid'), 'true');
      step(`the seed field says: "${seedProblem}"`);
      await page
        .locator('.part.sidebar')
        .screenshot({ path: path.join(ROOT, 'test-artifacts/screenshots/germanSidebar-validation-de.png') });
      step('screenshot test-artifacts/screenshots/germanSidebar-validation-de.png');
      await seed.fill('');
      await view.getByText(seedProblem).waitFor({ state: 'hidden' });

      // Error messages are worded by the host too (src/common/errorMessages.ts): a key the fake answers with 402.
      step('a failure reads German too: Segmind answers 402 (no credits left)');
      await view.getByRole('button', { name: german['Set API Key'] }).click();
      await quickInputType('fake-status-402');
      await view.getByRole('button', { name: german['Set API Key'] }).waitFor({ state: 'hidden' });
      await view.locator('textarea').first().fill('Ein Leuchtturm in der Dämmerung');
      await view.locator('button.generate').click();
      const noCredits =
        german['Not enough Segmind credits for this image ({0}). Top up your balance on segmind.com, then try again.'];
      assert.ok(noCredits, 'the 402 message has a German translation');
      const germanStart = noCredits.slice(0, noCredits.indexOf('({0})')).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const failure = view
        .locator('.run')
        .getByText(new RegExp(`${germanStart}\\(402\\)`))
        .first();
      await failure.waitFor({ timeout: 60_000 });
      step(`the sidebar says: "${(await failure.textContent())?.trim()}"`);
      await page
        .locator('.part.sidebar')
        .screenshot({ path: path.join(ROOT, 'test-artifacts/screenshots/germanSidebar-failure-de.png') });
      step('screenshot test-artifacts/screenshots/germanSidebar-failure-de.png');
    },
  );
}
