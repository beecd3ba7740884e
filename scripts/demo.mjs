#!/usr/bin/env node
// `npm run demo`: the extension as a user gets it (production build, packaged .vsix, installed in code-server),
// talking to the local fake Segmind API (no key, no internet, no credits). Open the printed URL in a browser.
//   PORT (default 8080) · binds 127.0.0.1 only · Ctrl-C stops everything.
// The workspace is a copy of demo/workspace in .work/demo-workspace, kept between runs (delete it to start
// over); the profile (settings, extensions, logs) lives in .work/demo/.
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT,
  acquireLock,
  buildForTests,
  cleanup,
  describeFatal,
  ensureTools,
  logger,
  onCleanup,
  packageExtension,
  releaseLock,
  startCodeServer,
  startFake,
  UserFacingError,
} from './vscode-harness.mjs';

const log = logger('demo');
const PORT = Number(process.env.PORT || 8080);
const HOST = '127.0.0.1';
const stateDir = path.join(ROOT, '.work/demo');
const workspace = path.join(ROOT, '.work/demo-workspace');

async function portIsFree(port) {
  try {
    await fetch(`http://${HOST}:${port}/`, { signal: AbortSignal.timeout(1000) });
    return false;
  } catch (error) {
    return error?.cause?.code === 'ECONNREFUSED';
  }
}

async function main() {
  if (!Number.isInteger(PORT) || PORT <= 0 || PORT > 65535)
    throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  if (!(await portIsFree(PORT)))
    throw new UserFacingError(`port ${PORT} on ${HOST} is in use: stop what runs there or set PORT=…`);
  const tools = await ensureTools();
  if (
    !fs.existsSync(path.join(ROOT, 'out/test/fake-segmind/server.js')) ||
    !fs.existsSync(path.join(ROOT, 'dist/extension.js'))
  ) {
    await buildForTests();
  }
  fs.mkdirSync(stateDir, { recursive: true });
  const vsix = path.join(stateDir, 'ideogram.vsix');
  await acquireLock('demo (packaging)'); // packaging rebuilds dist/: not while a test run uses it
  try {
    await packageExtension(vsix);
  } finally {
    releaseLock();
  }

  if (!fs.existsSync(workspace)) {
    fs.cpSync(path.join(ROOT, 'demo/workspace'), workspace, { recursive: true });
    log(`copied demo/workspace to ${path.relative(ROOT, workspace)}`);
  } else {
    log(`reusing ${path.relative(ROOT, workspace)} (delete it for a fresh copy of demo/workspace)`);
  }

  const fake = await startFake({ latencyMs: 1500, log: (line) => console.log(`[fake-api] ${line}`) });
  log(`fake Segmind API on ${fake.endpoint} (1.5 s per image)`);
  const logFile = path.join(stateDir, 'code-server.log');
  fs.rmSync(logFile, { force: true });
  const server = await startCodeServer({
    tools,
    stateDir,
    port: PORT,
    host: HOST,
    settings: { 'ideogram.apiEndpoint': fake.endpoint, 'workbench.startupEditor': 'readme' },
    env: { IDEOGRAM_API_KEY: 'demo-key' }, // used while SecretStorage holds no key
    vsix,
    logFile,
    smokeTestDriver: false,
  });
  onCleanup(() => log('stopped'));
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`
  Ideogram for VS Code — demo
    open      ${url}
    try       F1 → "Ideogram: Generate Image…", or select text in a post → "Ideogram: Generate Image Here"
    API       fake Segmind at ${fake.endpoint} (any key works; the demo provides one)
    logs      ${path.relative(ROOT, logFile)}
    stop      Ctrl-C
`);
  // Runs until Ctrl-C (the harness's signal handlers stop code-server and the fake API).
  await new Promise(() => {});
}

main().catch(async (error) => {
  console.error(`[demo] ERROR: ${describeFatal(error)}`);
  await cleanup();
  process.exit(1);
});
