// End-to-end: the packaged extension, installed in code-server, driven through the workbench UI like a user.
// Set API Key (password box) → Generate Image… (prompt box) → progress → "Saved assets/…jpg" → file on disk
// and exactly one request at the fake Segmind API with the key and the prompt.
// Run by scripts/vscode-harness.mjs (e2e mode), which gives a fresh page, workspace copy and fake server state.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const name = 'command palette: set the API key, generate an image, save it into assets/';

const API_KEY = 'e2e-test-key';
const PROMPT = 'A lighthouse at dawn, flat illustration';

function jpegsIn(dir) {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.toLowerCase().endsWith('.jpg'))
        .sort()
    : [];
}

export async function run({ workspace, fake, step, helpers }) {
  const {
    runCommand,
    waitForExtension,
    quickInputType,
    expectNotification,
    clearNotifications,
    screenshot,
    waitUntil,
  } = helpers;
  const assets = path.join(workspace, 'assets');
  const before = jpegsIn(assets);
  // Slow enough that the progress notification can be seen (and photographed).
  fake.configure({ latencyMs: 3000 });

  await waitForExtension('Ideogram: Generate Image…');
  await screenshot('workbench');

  step('Ideogram: Set API Key');
  await runCommand('Ideogram: Set API Key', { screenshot: 'palette-set-api-key' });
  await quickInputType(API_KEY, { expect: 'Segmind API Key', screenshot: 'api-key-box' });
  await expectNotification('API key saved');
  await clearNotifications();

  step('Ideogram: Generate Image…');
  // The fake answers after 15 s, so the progress notification is there to be seen even on a busy machine (with an
  // instant answer it was sometimes gone before the notification center was read).
  fake.configure({ latencyMs: 15_000 });
  await runCommand('Ideogram: Generate Image…', { screenshot: 'palette-generate-image' });
  await quickInputType(PROMPT, { expect: 'Describe the image', screenshot: 'prompt-box' });

  step('waiting for the progress notification');
  await expectNotification('Generating', { timeout: 15_000 });
  await screenshot('progress');

  step('waiting for "Saved …"');
  const message = await expectNotification('Saved assets/', { timeout: 60_000 });
  fake.configure({ latencyMs: 0 });
  await screenshot('saved');
  step(`notification: ${message.trim()}`);
  // "Saved assets/….jpg": relative to the (single) workspace folder, without the folder's name in front.
  const saved = /^Saved (assets\/\S+\.jpg)(?: \([^)]*credits[^)]*\))?$/.exec(message)?.[1]; // and what it cost, when Segmind said
  assert.ok(saved, `the notification names the saved file: "${message}"`);
  assert.match(saved, /^assets\/a-lighthouse-at-dawn-flat-illustration-.+\.jpg$/);

  // On disk: exactly one new JPEG, the one the notification names, with JPEG magic bytes.
  const created = await waitUntil(
    () => {
      const now = jpegsIn(assets).filter((f) => !before.includes(f));
      return now.length ? now : undefined;
    },
    { message: 'a new .jpg in assets/' },
  );
  assert.deepEqual(created, [path.basename(saved)], 'exactly one new .jpg, the one the notification names');
  const bytes = fs.readFileSync(path.join(assets, created[0]));
  assert.ok(bytes.length > 100, `the image has content (${bytes.length} bytes)`);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'the file starts with the JPEG signature FF D8 FF');
  step(`on disk: assets/${created[0]} (${bytes.length} bytes, JPEG)`);

  // At the API: exactly one request, with the key from SecretStorage and the prompt typed in the box.
  assert.equal(fake.requests.length, 1, `the fake API received ${fake.requests.length} requests, expected 1`);
  const [request] = fake.requests;
  assert.equal(request.method, 'POST');
  assert.ok(
    request.headers['x-api-key'] === API_KEY,
    'the request carries x-api-key set through "Ideogram: Set API Key"',
  );
  const body = request.json ?? JSON.parse(request.body);
  assert.equal(body.prompt, PROMPT);
  step('fake API: one POST with the stored key and the prompt');
}
