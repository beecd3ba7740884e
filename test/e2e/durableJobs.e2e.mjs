// End-to-end: a paid image survives the window. Start a generation, then reload the window (Developer: Reload
// Window) while Segmind is still working on it: after the reload the extension resumes the job by itself, saves
// the image and says so, without submitting it again. The same when the extension host crashes (killed), and with
// "Generate Image Here", whose link lands where it was asked for after the reload. Then the jobs list.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTENSION_ID, makeHelpers, userDataDirs } from '../../scripts/vscode-harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The extension host processes of this repository's code-server (not another checkout's), newest last. */
function extensionHostPids() {
  const processes = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return {
          pid: Number(pid),
          ppid: Number(fields[1]),
          start: Number(fields[19]),
          cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '),
        };
      } catch {
        return undefined;
      }
    })
    .filter(Boolean);
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const ours = (p) => {
    for (let q = p; q; q = byPid.get(q.ppid)) if (q.cmd.includes(path.join(ROOT, 'test-artifacts'))) return true;
    return false;
  };
  return processes
    .filter((p) => /type=extensionHost/.test(p.cmd) && ours(p))
    .sort((a, b) => a.start - b.start)
    .map((p) => p.pid);
}

export const name =
  'durable generations: reload the window or crash the extension host mid-generation, the image is still saved';
export const timeoutSeconds = 480;

/** The extension's job store (global storage, shared by the windows of one user-data folder): its active jobs. */
function activeJobFiles() {
  return userDataDirs().flatMap((userData) => {
    const active = path.join(userData, 'User/globalStorage', EXTENSION_ID, 'jobs', 'active');
    return fs.existsSync(active)
      ? fs
          .readdirSync(active)
          .filter((name) => name.endsWith('.json'))
          .map((name) => path.join(active, name))
      : [];
  });
}

/** Lines of every window's Ideogram log (the extension's output channel) that contain `text`. */
function logLines(text) {
  const lines = [];
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name === 'Ideogram.log' && file.includes(EXTENSION_ID))
        lines.push(
          ...fs
            .readFileSync(file, 'utf8')
            .split('\n')
            .filter((line) => line.includes(text)),
        );
    }
  };
  for (const userData of userDataDirs()) walk(path.join(userData, 'logs'));
  return lines;
}

function imagesIn(dir) {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => /\.(jpg|png)$/.test(f))
        .sort()
    : [];
}

export async function run({ page, workspace, fake, step, helpers }) {
  const {
    runCommand,
    setApiKey,
    openFile,
    reloadWindow,
    waitForExtension,
    quickInputType,
    expectNotification,
    clearNotifications,
    screenshot,
    waitUntil,
  } = helpers;
  const assets = path.join(workspace, 'assets');
  await waitForExtension('Ideogram: Generate Image…');
  step('set the API key');
  await setApiKey('e2e-durable-key');
  await clearNotifications();

  // Long enough for the reload to land while Segmind is still "generating".
  fake.configure({ latencyMs: 12_000 });

  async function generate(prompt) {
    const submitted = fake.requests.length;
    await runCommand('Ideogram: Generate Image…');
    await quickInputType(prompt, { expect: 'Describe the image' });
    await waitUntil(() => fake.requests.length > submitted && fake.requests.at(-1).status === 200, {
      message: 'the job to be submitted',
      timeout: 20_000,
    });
    await expectNotification('Generating', { timeout: 10_000 });
  }

  /** Like expectNotification, but opens the notification center again whenever something closed it meanwhile. */
  async function awaitNotification(text, timeout) {
    const deadline = Date.now() + timeout;
    const center = page.locator('.notifications-center');
    for (;;) {
      const visible = await page
        .evaluate(() => !!document.querySelector('.notifications-center.visible'))
        .catch(() => false);
      if (!visible) await runCommand('Notifications: Show Notifications').catch(() => undefined);
      const item = center.locator('.notification-list-item', { hasText: text }).first();
      if (await item.isVisible().catch(() => false)) {
        return (
          (await item
            .locator('.notification-list-item-message')
            .first()
            .textContent()
            .catch(() => null)) ?? ''
        ).trim();
      }
      if (Date.now() > deadline) {
        const shown = await center
          .locator('.notification-list-item')
          .allTextContents()
          .catch(() => []);
        throw new Error(
          `no notification containing "${text}" within ${timeout / 1000}s (shown: ${shown.join(' | ') || 'none'})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }

  async function afterRestart(command, label) {
    const before = imagesIn(assets);
    step(`${label}: ${command}`);
    if (command === 'crash') {
      // What a crash does: the extension host process dies (SIGKILL) mid-job; VS Code offers to restart it.
      const pids = extensionHostPids();
      assert.ok(pids.length > 0, 'found the extension host process');
      process.kill(pids.at(-1), 'SIGKILL');
      step(`killed the extension host (pid ${pids.at(-1)})`);
      const restart = page
        .locator('.notifications-toasts .monaco-button, .notifications-center .monaco-button', { hasText: /Restart/ })
        .first();
      await restart.waitFor({ timeout: 30_000 }).then(
        () => restart.click(),
        () => step('no restart button: the host restarted by itself'),
      );
    } else {
      await reloadWindow();
    }
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await waitForExtension('Ideogram: Generate Image…', { timeout: 60_000 });
    step(`${label}: waiting for the resumed job to be saved and announced`);
    const message = await awaitNotification('from a generation that was interrupted by a reload or restart', 60_000);
    step(`notification: ${message.trim()}`);
    const created = await waitUntil(() => imagesIn(assets).filter((f) => !before.includes(f)), {
      message: 'the resumed image on disk',
      timeout: 30_000,
    }).then((files) => (files.length ? files : undefined));
    assert.equal(created?.length, 1, `exactly one new image after the ${label}: ${created}`);
    const bytes = fs.readFileSync(path.join(assets, created[0]));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
    assert.ok(message.includes(created[0]), `the message names the file: ${message}`);
    return { message, file: created[0] };
  }

  step('palette generation, then Developer: Reload Window while Segmind works on it');
  await generate('A lighthouse that survives a reload');
  await screenshot('before-reload');
  const reloaded = await afterRestart('Developer: Reload Window', 'reload');
  assert.match(reloaded.file, /^a-lighthouse-that-survives-a-reload-/);
  assert.equal(fake.requests.length, 1, 'one submit: resuming never submits again');
  await screenshot('resumed-after-reload');
  await clearNotifications();

  step('palette generation, then the extension host crashes');
  await generate('A harbour that survives a restart');
  const restarted = await afterRestart('crash', 'extension host crash');
  assert.match(restarted.file, /^a-harbour-that-survives-a-restart-/);
  assert.equal(fake.requests.length, 2, 'still one submit per generation');
  await clearNotifications();

  step('Generate Image Here in docs/guide.md, then reload: the link goes where it was asked for');
  const editor = await openFile('guide.md', { expectText: 'Walking guide' });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  const submitted = fake.requests.length;
  await runCommand('Ideogram: Generate Image Here');
  await quickInputType('A trail map drawn in ink', { expect: 'Generate Image Here' });
  await waitUntil(() => fake.requests.length > submitted && fake.requests.at(-1).status === 200, {
    message: 'the job to be submitted',
    timeout: 20_000,
  });
  const markdown = await afterRestart('Developer: Reload Window', 'reload with a Markdown link pending');
  assert.match(markdown.message, /inserted its link into guide\.md/);
  const link = `![A trail map drawn in ink](../assets/${markdown.file})`;
  await page
    .locator('.editor-instance .monaco-editor .view-lines', { hasText: 'A trail map drawn in ink' })
    .first()
    .waitFor({ timeout: 30_000 });
  await screenshot('link-inserted-after-reload');
  // Saved by the user, the file on disk has the link at the end, where the cursor was.
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+S');
  const text = await waitUntil(
    () => {
      const t = fs.readFileSync(path.join(workspace, 'docs', 'guide.md'), 'utf8');
      return t.includes(link) ? t : undefined;
    },
    { message: 'the link in docs/guide.md on disk', timeout: 20_000 },
  );
  assert.ok(text.trimEnd().endsWith(link), `the link is where the cursor was (end of the file):\n${text.slice(-300)}`);
  await clearNotifications();

  step('the jobs list in the sidebar shows the three jobs, saved');
  await runCommand('Ideogram: Open Generator');
  const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await view.locator('.jobs .job').first().waitFor({ timeout: 30_000 });
  await waitUntil(async () => (await view.locator('.jobs .job[data-state="saved"]').count()) >= 3, {
    message: 'three saved jobs in the list',
  });
  await screenshot('jobs-list');
  await clearNotifications();

  step('two windows open on the folder after a crash: only one of them resumes the job');
  const jobsBefore = [...fake.jobs.keys()];
  await generate('A beacon resumed by one window only');
  const url = page.url();
  const context = page.context();
  const before = imagesIn(assets);
  await page.close();
  // The window and its extension host are gone before the job is done (the host may end with its window).
  const pids = extensionHostPids();
  let killed = false;
  try {
    if (pids.length > 0) killed = process.kill(pids.at(-1), 'SIGKILL');
  } catch (error) {
    if (error.code !== 'ESRCH') throw error; // it ended with its window between the listing and the kill: the same case
  }
  step(
    `closed the window${killed ? ` and killed its extension host (pid ${pids.at(-1)})` : ' (its extension host ended with it)'}; opening two windows on the folder`,
  );
  const windows = [await context.newPage(), await context.newPage()];
  await Promise.all(windows.map((w) => w.goto(url)));
  const created = await waitUntil(
    () => {
      const now = imagesIn(assets).filter((f) => !before.includes(f));
      return now.length ? now : undefined;
    },
    { message: 'the image resumed by one of the two windows', timeout: 90_000 },
  );
  // Instead of a pause for a second (wrong) save: both windows started (each resumes at its start, or leaves the
  // job to the window that holds it), and the job left the store's active jobs, so no window can take it up any
  // more. A window that had taken it up meanwhile logged "Resuming job" for it: exactly one window may have.
  const requestId = [...fake.jobs.keys()].find((id) => !jobsBefore.includes(id));
  for (const [index, w] of windows.entries())
    await makeHelpers(w, {
      shots: path.join(ROOT, 'test-artifacts/screenshots'),
      prefix: `durable-window-${index + 1}`,
      step,
    }).waitForExtension('Ideogram: Generate Image…');
  await waitUntil(
    () => !activeJobFiles().some((file) => fs.readFileSync(file, 'utf8').includes(requestId)) || undefined,
    { message: 'the job to leave the active jobs', timeout: 60_000 },
  );
  const resumedBy = await waitUntil(
    () => {
      const lines = logLines(`request ${requestId}`).filter((line) => line.includes('Resuming job'));
      return lines.length ? lines : undefined;
    },
    { message: "the resuming window's log line", timeout: 30_000 },
  );
  assert.equal(resumedBy.length, 1, `resumed by one window only: ${resumedBy.join(' | ')}`);
  const after = imagesIn(assets).filter((f) => !before.includes(f));
  assert.deepEqual(after, created, `one image, saved once: ${after}`);
  assert.match(created[0], /^a-beacon-resumed-by-one-window-only-/);
  const resultReads = fake.jobReads.filter((read) => read.path === `/v2/requests/${requestId}`).length;
  assert.equal(resultReads, 1, 'its result was fetched by one window only');
  step(`saved once as assets/${created[0]}; result read ${resultReads} time`);
  for (const w of windows) await w.close();
}
