#!/usr/bin/env node
// Runs the extension in a REAL VS Code, offline: code-server (VS Code server + web workbench, from npm) and
// the Debian Chromium driven by playwright-core. One code-server serves both modes.
//
//   node scripts/vscode-harness.mjs integration   mocha suites in test/integration/*.test.ts, inside the real
//                                                  (Node) extension host, extension loaded from the repository
//   node scripts/vscode-harness.mjs e2e           test/e2e/*.e2e.mjs drive the workbench UI against the
//                                                  packaged .vsix, installed as a user would
//   node scripts/vscode-harness.mjs all           both (default)
//
// Environment: IDEOGRAM_TEST_GREP (mocha --grep for integration), E2E_FILTER (substrings of e2e file names, comma-separated),
// HARNESS_MULTI_ROOT=only (integration: only the multi-root pass, test/integration/multiRoot/, IDEOGRAM_TEST_GREP applies),
// VERBOSE=1 (forward every workbench log line), HARNESS_SKIP_BUILD=1 (trust dist/ and out/ as they are),
// HARNESS_TESTS_PATH (another compiled tests folder with an index.js), CHROMIUM_PATH, TOOLS_DIR (see scripts/provision-tools.sh), HARNESS_TIMEOUT (seconds for the integration run).
// Artifacts: test-artifacts/run/ (profile, workspaces, code-server.log, the .vsix; wiped at start),
// test-artifacts/screenshots/ (e2e steps and failures).
//
// Also a library: scripts/demo.mjs imports the provisioning, packaging and code-server pieces.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXTENSION_ID = 'ideogram-vscode.ideogram-vscode';
const require = createRequire(path.join(ROOT, 'package.json'));
const SHOTS = path.join(ROOT, 'test-artifacts/screenshots');

/** User settings of every test profile: no welcome page, no AI features, no updates, no trust prompt. */
export const CI_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false, // a late-opening editor would steal the palette's focus
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const T0 = Date.now();
const elapsed = () => `${((Date.now() - T0) / 1000).toFixed(1)}s`;
export function logger(prefix) {
  return (...args) => {
    const text = util.format(...args);
    for (const line of text.split('\n')) console.log(`[${prefix} +${elapsed()}] ${line}`);
  };
}
const log = logger('harness');

// ---------------------------------------------------------------- processes

/** Runs a command, forwarding its output line by line with a prefix. Rejects on a non-zero exit. */
export function run(
  cmd,
  args,
  { cwd = ROOT, env = process.env, prefix = path.basename(cmd), capture = false, quiet = false } = {},
) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let all = '';
    const forward = (stream, keep) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        if (keep) out += chunk;
        all += chunk;
        if (quiet) return;
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        for (const line of lines) if (!isNpmNoise(line)) console.log(`[${prefix}] ${line}`);
      });
      stream.on('end', () => {
        if (rest && !quiet && !isNpmNoise(rest)) console.log(`[${prefix}] ${rest}`);
      });
    };
    forward(child.stdout, capture);
    forward(child.stderr, false);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else {
        if (quiet)
          process.stdout.write(
            all
              .split('\n')
              .map((l) => `[${prefix}] ${l}`)
              .join('\n') + '\n',
          );
        reject(Object.assign(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}`), { output: all }));
      }
    });
  });
}
const isNpmNoise = (line) => /npm warn Unknown user config "nodedir"/.test(line);

const CODE_SERVER_START_LIMIT_MS = 300_000;

/** A failure whose message says all a user needs: printed as one line, without a stack trace. */
export class UserFacingError extends Error {
  name = 'UserFacingError';
}
/** How the harness and the demo report an error that ends them. */
export const describeFatal = (error) =>
  error instanceof UserFacingError ? error.message : (error?.stack ?? String(error));

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const cleanups = [];
/** Registers work to do on exit, Ctrl-C or a crash; runs last-registered first. */
export function onCleanup(fn) {
  cleanups.push(fn);
}
let cleaning;
export function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try {
        await fn();
      } catch (error) {
        console.error(`[cleanup] ${error.message}`);
      }
    }
  })();
  return cleaning;
}
const killers = new Set(); // synchronous last resort, on 'exit'
process.on('exit', () => {
  for (const kill of killers) {
    try {
      kill();
    } catch {
      /* best effort */
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.log(`\n[harness] ${signal}: stopping`);
    const hard = setTimeout(() => process.exit(130), 5000);
    hard.unref();
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- one run at a time per checkout

const LOCK = path.join(ROOT, 'test-artifacts', '.harness.lock');
let lockHeld = false;
/**
 * Several people (or agents) may share a checkout: two runs would rebuild dist/ under each other and wipe each
 * other's run folder. Waits (up to HARNESS_LOCK_WAIT seconds, default 900) while another live process holds it.
 */
export async function acquireLock(what = 'harness') {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const t = Date.now();
  let said = 0;
  for (;;) {
    try {
      fs.writeFileSync(LOCK, `${process.pid} ${what}\n`, { flag: 'wx' });
      lockHeld = true;
      killers.add(releaseLock);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const [pid, holder] = (fs.readFileSync(LOCK, 'utf8').trim() || '0').split(' ');
    let alive = false;
    try {
      process.kill(Number(pid), 0);
      alive = Number(pid) > 0;
    } catch (error) {
      alive = error.code === 'EPERM';
    }
    if (!alive) {
      fs.rmSync(LOCK, { force: true });
      continue;
    } // left behind by a killed run
    const waited = (Date.now() - t) / 1000;
    if (waited > Number(process.env.HARNESS_LOCK_WAIT ?? 900))
      throw new Error(
        `another ${holder} run (pid ${pid}) has held ${path.relative(ROOT, LOCK)} for ${waited.toFixed(0)}s`,
      );
    if (waited >= said) {
      log(`waiting for another ${holder} run in this checkout (pid ${pid}) to finish...`);
      said += 30;
    }
    await sleep(1000);
  }
}
export function releaseLock() {
  if (!lockHeld) return;
  lockHeld = false;
  try {
    if (fs.readFileSync(LOCK, 'utf8').startsWith(`${process.pid} `)) fs.rmSync(LOCK, { force: true });
  } catch {
    /* gone */
  }
}

// ---------------------------------------------------------------- tools, build, package

/** Runs scripts/provision-tools.sh (a no-op when cached) and returns {TOOLS_DIR, NODE24, CODE_SERVER}. */
export async function ensureTools() {
  let out;
  try {
    out = await run('bash', [path.join(ROOT, 'scripts/provision-tools.sh')], { prefix: 'provision', capture: true });
  } catch (error) {
    // The script's last line says what failed and where its log is; a stack trace of the harness would bury it.
    const failed = String(error.output ?? '')
      .split('\n')
      .reverse()
      .find((line) => line.startsWith('[provision] FAILED: '));
    throw new UserFacingError(
      failed
        ? `could not install the test tools: ${failed.slice('[provision] FAILED: '.length)}`
        : `could not install the test tools (${error.message})`,
    );
  }
  const line = out.split('\n').find((l) => l.startsWith('export '));
  if (!line) throw new Error('scripts/provision-tools.sh printed no export line');
  const tools = {};
  for (const match of line.matchAll(/(\w+)='([^']*)'/g)) tools[match[1]] = match[2];
  for (const key of ['NODE24', 'CODE_SERVER']) {
    if (!tools[key] || !fs.existsSync(tools[key]))
      throw new Error(`provision-tools.sh: ${key} missing (${tools[key]})`);
  }
  tools.CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(tools.CHROMIUM))
    throw new UserFacingError(
      `no Chromium at ${tools.CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`,
    );
  return tools;
}

/** `npm run build` + `npm run compile-tests`: dist/extension.js with source maps, and out/ for the tests. */
export async function buildForTests() {
  await run('npm', ['run', '--silent', 'build'], { prefix: 'build' });
  await run('npm', ['run', '--silent', 'compile-tests'], { prefix: 'tsc' });
}

/**
 * Packages the extension as a user gets it: production bundle, `vsce package --no-dependencies`. Leaves the
 * development build in dist/ afterwards (source maps for the integration tests and for debugging).
 */
export async function packageExtension(vsix) {
  // The repository's .vscodeignore decides what ships; without one vsce would pack everything (test-artifacts/,
  // .work/, out/, ...), so fall back to a minimal list and say so.
  const ignoreArgs = [];
  if (!fs.existsSync(path.join(ROOT, '.vscodeignore'))) {
    const fallback = path.join(path.dirname(vsix), 'fallback.vscodeignore');
    fs.mkdirSync(path.dirname(fallback), { recursive: true });
    fs.writeFileSync(fallback, FALLBACK_VSCODEIGNORE);
    ignoreArgs.push('--ignoreFile', fallback);
    log(
      'WARNING: no .vscodeignore in the repository; packaging with a fallback list (dist/, media/, package.json, README, LICENSE)',
    );
  }
  // With the webview's timing marks (IDEOGRAM_MEASURE, see esbuild.js): the UI tests wait for and report them.
  const env = { ...process.env, IDEOGRAM_MEASURE: '1' };
  await run('node', ['esbuild.js', '--production'], { prefix: 'esbuild', env });
  try {
    await run('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', ...ignoreArgs, '-o', vsix], {
      prefix: 'vsce',
      quiet: true,
      env,
    });
  } finally {
    await run('npm', ['run', '--silent', 'build'], { prefix: 'build' });
  }
  const kb = (fs.statSync(vsix).size / 1024).toFixed(1);
  log(`packaged ${path.relative(ROOT, vsix)} (${kb} KB)`);
  // What a user would get: warn about files that have no business in the .vsix.
  const listing = await run('npx', ['--no-install', 'vsce', 'ls', '--no-dependencies', ...ignoreArgs], {
    prefix: 'vsce',
    capture: true,
    quiet: true,
  });
  const stray = listing
    .split('\n')
    .filter((f) => /^(test-artifacts|\.work|\.vscode|out|src|test|node_modules|\.ci|bench|demo|scripts)\//.test(f));
  if (stray.length)
    log(
      `WARNING: the .vsix contains ${stray.length} development files (e.g. ${stray.slice(0, 3).join(', ')}); see .vscodeignore`,
    );
}

const FALLBACK_VSCODEIGNORE = `# written by scripts/vscode-harness.mjs because the repository has no .vscodeignore
**/*.map
**/*.ts
.*/**
.*
out/**
src/**
test/**
test-artifacts/**
scripts/**
bench/**
demo/**
node_modules/**
*.vsix
esbuild.js
eslint.config.mjs
tsconfig*.json
`;

// ---------------------------------------------------------------- code-server

/**
 * Starts code-server in its own process group with an isolated HOME/XDG/TMPDIR. Resolves once /healthz answers.
 * options: {tools, stateDir, port, host, settings (user settings on top of CI_SETTINGS), env, vsix (installed
 * first), logFile, smokeTestDriver, workspaceTrust (false: --disable-workspace-trust, every folder trusted; true: VS Code's
 * workspace trust is on, so an unknown folder opens in Restricted Mode)}. The result's stop() ends it before the harness does.
 */
export async function startCodeServer({
  tools,
  stateDir,
  port,
  host = '127.0.0.1',
  settings = {},
  env: extraEnv = {},
  vsix,
  logFile,
  smokeTestDriver = true,
  workspaceTrust = false,
  locale,
}) {
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  const home = path.join(stateDir, 'home');
  // Unix sockets (VS Code's IPC, code-server's session socket) need a short path: keep them in the real tmp.
  const shortTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ideogram-cs-'));
  const removeTmp = () => fs.rmSync(shortTmp, { recursive: true, force: true });
  onCleanup(removeTmp);
  for (const dir of [path.join(userDataDir, 'User'), extensionsDir, home]) fs.mkdirSync(dir, { recursive: true });
  const seedSettings = () =>
    fs.writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ ...CI_SETTINGS, ...settings }, null, 2) + '\n',
    );
  seedSettings();

  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    // Inside a VS Code terminal these make code-server hand over to that VS Code instead of starting.
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  delete env.IDEOGRAM_API_KEY; // never a developer's real key; callers pass one explicitly
  // code-server reads these before its flags: a PORT in the caller's shell (the demo's own, or any other) would make
  // it listen there instead of on --bind-addr, and a PASSWORD would put a login page in front of the workbench.
  for (const key of ['PORT', 'PASSWORD', 'HASHED_PASSWORD']) delete env[key];
  Object.assign(env, {
    PATH: `${path.dirname(tools.NODE24)}:${process.env.PATH}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_RUNTIME_DIR: shortTmp,
    TMPDIR: shortTmp,
    EXTENSIONS_GALLERY: '{"serviceUrl":""}', // no marketplace look-ups
    ...extraEnv,
  });
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  for (const file of [vsix].flat().filter(Boolean)) {
    const t = Date.now();
    await run(tools.CODE_SERVER, [...common, '--force', '--install-extension', file], {
      env,
      prefix: 'install',
      quiet: true,
    });
    log(`installed ${path.basename(file)} in ${((Date.now() - t) / 1000).toFixed(1)}s`);
  }

  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    tools.CODE_SERVER,
    [
      ...common,
      '--bind-addr',
      `${host}:${port}`,
      '--auth',
      'none',
      '--session-socket',
      path.join(shortTmp, 'cs.sock'),
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
      // The display language VS Code reports to extensions (vscode.env.language), which picks their l10n bundles.
      ...(locale ? ['--locale', locale] : []),
      // The built workbench honours ?payload= (extensionDevelopmentPath/extensionTestsPath) only in smoke-test mode.
      ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ],
    { env, detached: true, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = code ?? signal;
  });
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* gone */
    }
  };
  const kill = () => killGroup('SIGKILL');
  killers.add(kill);
  killers.add(removeTmp); // after the kill (a Set keeps insertion order)
  let stopped = false;
  const stop = async () => {
    if (stopped) return; // its process group id could belong to someone else by now
    stopped = true;
    if (exited === null) {
      killGroup('SIGTERM');
      for (let i = 0; i < 30 && exited === null; i++) await sleep(100);
    }
    killGroup('SIGKILL');
    killers.delete(kill);
    killers.delete(removeTmp);
  };
  onCleanup(stop);

  const url = `http://${host}:${port}`;
  const t = Date.now();
  for (;;) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before answering:\n${tail(logFile, 40)}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
      if (response.ok) break;
    } catch {
      /* not yet */
    }
    // A bound for a code-server that never comes up, not a speed goal: beside a CPU hog on two cores its first
    // start (loading VS Code's server bundle) took over 60 s.
    if (Date.now() - t > CODE_SERVER_START_LIMIT_MS)
      throw new Error(
        `code-server did not answer /healthz within ${CODE_SERVER_START_LIMIT_MS / 1000} s:\n${tail(logFile, 40)}`,
      );
    await sleep(150);
  }
  log(
    `code-server up on ${url} in ${((Date.now() - t) / 1000).toFixed(1)}s (pid ${child.pid}, log ${path.relative(ROOT, logFile)})`,
  );
  // seedSettings(): back to the seeded user settings (tests may change user settings, e.g. the endpoint).
  return { url, port, pid: child.pid, userDataDir, extensionsDir, logFile, env, seedSettings, stop };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

/** Tails of code-server's own log, the remote extension host log and the extension's output channel. */
export function diagnostics(server, lines = 30, { extensionOnly = false } = {}) {
  const parts = extensionOnly
    ? []
    : [`--- ${path.relative(ROOT, server.logFile)} (last ${lines} lines) ---`, tail(server.logFile, lines)];
  const logsDir = path.join(server.userDataDir, 'logs');
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if ((!extensionOnly && /remoteexthost\.log$|exthost\.log$/.test(entry.name)) || p.includes(EXTENSION_ID))
        found.push(p);
    }
  };
  walk(logsDir);
  for (const file of found
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs)
    .slice(extensionOnly ? -1 : -3)) {
    parts.push(`--- ${path.relative(ROOT, file)} (last ${lines} lines) ---`, tail(file, lines));
  }
  return parts.join('\n');
}

export async function launchChromium(tools) {
  const { chromium } = require('playwright-core');
  // Playwright gives every launch a fresh temporary profile; no --user-data-dir.
  return chromium.launch({ executablePath: tools.CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** The fake Segmind API (test/fake-segmind, compiled to out/). */
export async function startFake(options = {}) {
  const file = path.join(ROOT, 'out/test/fake-segmind/server.js');
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run npm run compile-tests`);
  const mod = await import(pathToFileURL(file).href);
  const startFakeSegmind = mod.startFakeSegmind ?? mod.default?.startFakeSegmind;
  const fake = await startFakeSegmind(options);
  onCleanup(() => fake.close());
  return fake;
}

/** A fresh copy of a workspace folder. */
/** The user-data folders the harness (and the dev loop) give code-server, where they exist. */
export function userDataDirs() {
  return [path.join(ROOT, 'test-artifacts/run/user-data'), path.join(ROOT, '.work/dev-run/user-data')].filter((dir) =>
    fs.existsSync(dir),
  );
}

/** A workspace's gallery.json (in the extension's workspace storage), found by the images it names. */
export function findGalleryFile(workspace) {
  const needle = encodeURI(workspace);
  for (const userData of userDataDirs()) {
    const storage = path.join(userData, 'User/workspaceStorage');
    for (const id of fs.existsSync(storage) ? fs.readdirSync(storage) : []) {
      const file = path.join(storage, id, 'ideogram-vscode.ideogram-vscode', 'gallery.json');
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(needle)) return file;
    }
  }
  return undefined;
}

export function copyWorkspace(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
  return to;
}

// ---------------------------------------------------------------- integration mode

/** Two copies of the test workspace in one multi-root workspace (`site` and `blog`); returns the .code-workspace. */
function createMultiRootWorkspace(runDir) {
  const dir = path.join(runDir, 'ws-multi-root');
  for (const name of ['site', 'blog']) copyWorkspace(path.join(ROOT, 'test/fixtures/workspace'), path.join(dir, name));
  const file = path.join(dir, 'multi-root.code-workspace');
  fs.writeFileSync(file, JSON.stringify({ folders: [{ path: 'site' }, { path: 'blog' }] }, null, 2));
  return file;
}

/** `multiRoot`: run out/test/integration/multiRoot/ in a two-folder workspace instead of the main suite. */
async function runIntegration({ browser, server, runDir, multiRoot = false }) {
  const plog = logger(multiRoot ? 'integration:multi-root' : 'integration');
  const defaultTests = path.join(ROOT, 'out/test/integration', multiRoot ? 'multiRoot' : '');
  const testsPath = path.resolve((!multiRoot && process.env.HARNESS_TESTS_PATH) || defaultTests);
  if (!fs.existsSync(path.join(testsPath, 'index.js')))
    throw new Error(`${path.relative(ROOT, testsPath)}/index.js is missing: run npm run compile-tests`);
  const workspace = multiRoot
    ? createMultiRootWorkspace(runDir)
    : copyWorkspace(path.join(ROOT, 'test/fixtures/workspace'), path.join(runDir, 'ws-integration'));
  const authority = new URL(server.url).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  const url = `${server.url}/?${multiRoot ? 'workspace' : 'folder'}=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const timeoutMs = Number(process.env.HARNESS_TIMEOUT || 1200) * 1000;

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  let output = '';
  let exitResolve;
  const exited = new Promise((resolve) => {
    exitResolve = resolve;
  });
  // The workbench reports the extension host's exit after the test runner finishes...
  await page.exposeFunction('codeAutomationExit', (code) => exitResolve(Number(code)));
  // ...and forwards the extension host's console (the mocha report) as (level, [format, ...args]).
  const consoleLog = path.join(runDir, multiRoot ? 'integration-multi-root-console.log' : 'integration-console.log'); // everything, unfiltered
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    let text = Array.isArray(args) ? util.format(...args) : String(args);
    text = text
      .replace(/^%c/, '')
      .replace(/\s*(background|color): [^;]*;?\s*/g, ' ')
      .trimEnd();
    fs.appendFileSync(consoleLog, `${level}\t${text}\n`);
    if (!process.env.VERBOSE && (/^(trace|debug)$/.test(String(level)) || isWorkbenchNoise(text))) return;
    output += text + '\n';
    for (const line of text.split('\n')) console.log(`[mocha] ${line}`);
  });
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  if (process.env.VERBOSE) page.on('console', (msg) => console.log(`[browser] ${msg.text()}`));

  plog(`opening the workbench with the test payload on ${path.relative(ROOT, workspace)}`);
  const t = Date.now();
  await page.goto(url, { timeout: 120_000 }); // a busy machine can take longer than the default 30 s
  const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const result = await Promise.race([exited, timer]);
  let exitCode;
  if (result === 'timeout') {
    plog(`TIMEOUT after ${timeoutMs / 1000}s`);
    await page.screenshot({ path: path.join(SHOTS, 'integration-timeout.png') }).catch(() => {});
    exitCode = 2;
  } else {
    exitCode = result;
  }
  await context.close();
  const passing = Number(/^\s*(\d+) passing/m.exec(output)?.[1] ?? 0);
  const failing = Number(/^\s*(\d+) failing/m.exec(output)?.[1] ?? 0);
  const pending = Number(/^\s*(\d+) pending/m.exec(output)?.[1] ?? 0);
  plog(
    `extension host exit code ${exitCode} after ${((Date.now() - t) / 1000).toFixed(1)}s: ${passing} passing, ${failing} failing, ${pending} pending`,
  );
  if (exitCode !== 0) {
    if (pageErrors.length) plog(`page errors:\n${pageErrors.slice(-5).join('\n')}`);
    // Failing tests: mocha said why; the extension's own log adds what it did. No report at all: everything.
    console.log(diagnostics(server, 30, { extensionOnly: failing > 0 }));
    plog(
      `full logs: ${path.relative(ROOT, server.logFile)}, ${path.relative(ROOT, path.join(server.userDataDir, 'logs'))}/, ${path.relative(ROOT, consoleLog)}`,
    );
  }
  // A crash before mocha reported (or a non-zero exit with no failing test) still counts as a failure.
  const failed = failing + (exitCode !== 0 && failing === 0 ? 1 : 0);
  return { passed: passing, failed, exitCode };
}

/** The workbench's own chatter, which arrives through the same channel as the extension host's console. */
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^\[reconnection-grace-time\]/,
  /^\[Service Worker\]/,
  /^Ignoring fetching additional builtin extensions/,
  /^\[AgentHost:/,
  /^\[AccountPolicyGate\]/,
  /^\[lifecycle\]/,
  /^No search provider registered/,
  /Timed out waiting for authentication provider/,
  /\(Canceled: Canceled\)/,
  /^Canceled: Canceled/,
  /^Ignoring the error while validating workspace folder/,
  /^Updating additional builtin extensions cache/,
  /^\[RemoteAgentHostProtocol\]/,
];
function isWorkbenchNoise(text) {
  return WORKBENCH_NOISE.some((re) => re.test(text));
}

// ---------------------------------------------------------------- e2e mode

/** UI helpers given to every e2e module. */
export function makeHelpers(page, { shots, prefix, step }) {
  let shot = 0;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const exact = (label) => new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

  async function openPalette(text) {
    for (let attempt = 1; ; attempt++) {
      // Keys pressed while a webview (an iframe, e.g. the Markdown preview) has focus go to the webview.
      await page.evaluate(() => {
        if (document.activeElement?.tagName === 'IFRAME') document.activeElement.blur();
      });
      await page.keyboard.press('Escape'); // close whatever quick input is open...
      await widget.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => {}); // ...and let it finish closing
      await page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw new Error(`F1 does not open the command palette: ${error.message}`);
      }
    }
    await input.fill(text);
  }

  /** Command palette: runs the command whose label ("Category: Title") is `label`. `screenshot`: name of a
   *  screenshot taken with the command highlighted in the palette, just before running it. */
  async function runCommand(label, { timeout = 15_000, screenshot: shotName } = {}) {
    // Retried: the palette closes when something takes the focus (a webview or editor opening late).
    for (let attempt = 1; ; attempt++) {
      await openPalette('>' + label);
      const row = rows.filter({ has: page.locator('.label-name', { hasText: exact(label) }) }).first();
      try {
        await row.waitFor({ state: 'visible', timeout });
      } catch {
        const shown = await rows.allTextContents().catch(() => []);
        throw new Error(
          `command "${label}" is not in the palette (shows: ${shown.slice(0, 5).join(' | ') || 'nothing'})`,
        );
      }
      if (shotName && attempt === 1) await screenshot(shotName);
      try {
        await row.click({ timeout: 3_000 });
        return;
      } catch (error) {
        if (attempt === 3) throw new Error(`could not pick "${label}" in the palette: ${error.message.split('\n')[0]}`);
        step(`the palette closed before "${label}" was picked; retrying`);
      }
    }
  }

  /** Waits until the extension's commands are in the palette (its contributions are registered). */
  async function waitForExtension(label = 'Ideogram: Generate Image…', { timeout = 60_000 } = {}) {
    const t = Date.now();
    for (;;) {
      await openPalette('>' + label);
      const row = rows.filter({ has: page.locator('.label-name', { hasText: exact(label) }) }).first();
      try {
        await row.waitFor({ state: 'visible', timeout: 2_000 });
        await page.keyboard.press('Escape');
        step(`extension ready ("${label}" in the palette) after ${((Date.now() - t) / 1000).toFixed(1)}s`);
        return;
      } catch {
        if (Date.now() - t > timeout)
          throw new Error(`"${label}" did not appear in the command palette within ${timeout / 1000}s`);
        await page.keyboard.press('Escape');
        await sleep(1_000);
      }
    }
  }

  /** Waits for an input box that is not the command palette (optionally one whose title/prompt contains `expect`). */
  async function waitForInputBox({ expect, timeout = 15_000 } = {}) {
    await page.waitForFunction(
      () => {
        const w = document.querySelector('.quick-input-widget');
        const i = w?.querySelector('.quick-input-box input');
        return (
          !!w && !!i && w.offsetParent !== null && getComputedStyle(w).display !== 'none' && !i.value.startsWith('>')
        );
      },
      null,
      { timeout },
    );
    if (expect) await widget.filter({ hasText: expect }).waitFor({ state: 'visible', timeout });
  }

  /** Types into the open input box and presses Enter. `expect`: text of its title or prompt; `screenshot`: name
   *  of a screenshot taken after typing, before Enter. Never logs what was typed. */
  async function quickInputType(text, { expect, timeout = 15_000, screenshot: shotName } = {}) {
    await waitForInputBox({ expect, timeout });
    await input.fill(text);
    if (shotName) await screenshot(shotName);
    await input.press('Enter');
    // Accepted when the box goes away or is replaced by the next one; still there = a validation message.
    try {
      await page.waitForFunction(
        (typed) => {
          const w = document.querySelector('.quick-input-widget');
          const i = w?.querySelector('.quick-input-box input');
          return !w || !i || w.offsetParent === null || getComputedStyle(w).display === 'none' || i.value !== typed;
        },
        text,
        { timeout: 30_000 },
      ); // 5 s was not enough beside a CPU hog
    } catch {
      const message = await widget
        .locator('.quick-input-message')
        .textContent()
        .catch(() => '');
      throw new Error(`the input box did not accept the value: ${message || '(no message)'}`);
    }
  }

  /** Picks the item labelled `label` in the open quick pick. */
  async function quickInputPick(label, { timeout = 15_000 } = {}) {
    const row = rows.filter({ hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout });
    await row.click();
  }

  const center = page.locator('.notifications-center');
  /** Opens the notification center (headless Chromium shows no toasts) and waits for an item containing `text`.
   *  Returns that notification's message. */
  async function expectNotification(text, { timeout = 30_000 } = {}) {
    if (!(await page.evaluate(() => !!document.querySelector('.notifications-center.visible')))) {
      await runCommand('Notifications: Show Notifications');
      await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {}); // palette fully gone (screenshots)
    }
    const item = center.locator('.notification-list-item', { hasText: text }).first();
    try {
      await item.waitFor({ state: 'visible', timeout });
    } catch {
      const shown = await center
        .locator('.notification-list-item')
        .allTextContents()
        .catch(() => []);
      throw new Error(
        `no notification containing "${text}" within ${timeout / 1000}s (shown: ${shown.join(' | ') || 'none'})`,
      );
    }
    // The message alone, without the source and the button labels.
    return (
      (await item
        .locator('.notification-list-item-message')
        .first()
        .textContent()
        .catch(() => null)) ??
      (await item.textContent()) ??
      ''
    ).trim();
  }

  /** Developer: Reload Window, then waits for the new workbench and for the extension's command `ready`.
   *  The page navigates: waiting for the old document's workbench would let the next step talk to a page that is
   *  going away ("Execution context was destroyed"). */
  async function reloadWindow({ ready = 'Ideogram: Generate Image…', timeout = 60_000 } = {}) {
    const loaded = page.waitForEvent('load', { timeout });
    await runCommand('Developer: Reload Window');
    await loaded;
    await page.locator('.monaco-workbench').waitFor({ timeout });
    await waitForExtension(ready, { timeout });
  }

  /** Ideogram: Set API Key, typed into its password box. */
  async function setApiKey(key) {
    await runCommand('Ideogram: Set API Key');
    await quickInputType(key, { expect: 'Segmind API Key' });
  }

  /** Opens a workspace file by name with Quick Open and waits for its editor (showing `expectText`). */
  async function openFile(name, { expectText, editorSelector = '.editor-instance .monaco-editor' } = {}) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await waitForInputBox({});
    await input.fill(name);
    await rows.filter({ hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator(editorSelector, expectText ? { hasText: expectText } : {}).first();
    await editor.waitFor({ timeout: 30_000 });
    return editor;
  }

  /**
   * Runs `body(server)` in a code-server of its own (a fresh profile under test-artifacts/run/cs-`name`, with the
   * given settings, env, locale, trust, extensions…), the page opened on `workspace`. `prepare(stateDir)` runs
   * before the start, `beforeOpen(server)` before the page opens. A failure is photographed in that workbench;
   * the server is stopped (its whole process group) whatever happens.
   */
  async function inOwnCodeServer({ name, workspace, prepare, beforeOpen, ...options }, body) {
    const stateDir = path.join(ROOT, 'test-artifacts/run', `cs-${name}`);
    fs.rmSync(stateDir, { recursive: true, force: true });
    await prepare?.(stateDir);
    const server = await startCodeServer({
      tools: await ensureTools(),
      stateDir,
      port: await freePort(),
      smokeTestDriver: false,
      logFile: path.join(stateDir, 'code-server.log'),
      ...options,
    });
    try {
      await beforeOpen?.(server);
      step(`own code-server (${name}): ${server.url} (pid ${server.pid})`);
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
      await page.locator('.statusbar').waitFor({ timeout: 120_000 });
      return await body(server);
    } catch (error) {
      await screenshot('FAILED-in-own-code-server').catch(() => {}); // the harness photographs the page only after we leave it
      throw error;
    } finally {
      await page.goto('about:blank').catch(() => {});
      await server.stop();
      step(`stopped code-server pid ${server.pid}`);
    }
  }

  /** Opens the editor's context menu (on the line showing `lineText`, else at the cursor), photographs it as
   *  `shot`, picks "Generate Image Here" and returns its prompt box. */
  async function generateImageHereFromMenu(editor, { lineText, shot }) {
    if (lineText)
      await editor
        .locator('.view-line', { hasText: lineText })
        .first()
        .click({ button: 'right', position: { x: 10, y: 5 } });
    else await page.keyboard.press('Shift+F10');
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Generate Image Here' }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(shot);
    await item.click();
    await waitForInputBox({ expect: 'Generate Image Here' });
    return input;
  }

  async function clearNotifications() {
    await runCommand('Notifications: Clear All Notifications');
  }

  async function screenshot(name) {
    shot += 1;
    const file = path.join(shots, `${prefix}-${String(shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    step(`screenshot ${path.relative(ROOT, file)}`);
    return file;
  }

  /** Polls `fn` until it returns a truthy value. */
  async function waitUntil(fn, { timeout = 15_000, interval = 200, message = 'condition' } = {}) {
    const t = Date.now();
    for (;;) {
      const value = await fn();
      if (value) return value;
      if (Date.now() - t > timeout) throw new Error(`timed out after ${timeout / 1000}s waiting for ${message}`);
      await sleep(interval);
    }
  }

  /**
   * Hovers `target` (an editor line) until the `hover` locator shows: a hover asked before the extension has loaded,
   * or while the mouse is still on the line, shows nothing, so the mouse leaves and comes back.
   */
  async function showHover(
    target,
    hover,
    { message = 'the hover', position = { x: 60, y: 8 }, timeout = 45_000 } = {},
  ) {
    await waitUntil(
      async () => {
        await page.mouse.move(0, 0);
        await target.hover({ position });
        return hover.waitFor({ state: 'visible', timeout: 4_000 }).then(
          () => true,
          () => false,
        );
      },
      { timeout, message },
    );
  }

  return {
    runCommand,
    reloadWindow,
    setApiKey,
    openFile,
    inOwnCodeServer,
    generateImageHereFromMenu,
    waitForExtension,
    waitForInputBox,
    quickInputType,
    quickInputPick,
    expectNotification,
    clearNotifications,
    screenshot,
    waitUntil,
    showHover,
  };
}

async function runE2E({ browser, server, runDir, fake }) {
  const dir = path.join(ROOT, 'test/e2e');
  const filter = process.env.E2E_FILTER;
  const filters = filter
    ? filter
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
    : [];
  const files = (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    .filter((f) => f.endsWith('.e2e.mjs') && (!filters.length || filters.some((part) => f.includes(part))))
    .sort();
  const results = [];
  if (!files.length) logger('e2e')('no test/e2e/*.e2e.mjs files');
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(dir, file)).href);
    const name = mod.name ?? file.replace(/\.e2e\.mjs$/, '');
    const id = file.replace(/\.e2e\.mjs$/, '');
    const step = logger(`e2e:${id}`);
    const workspace = copyWorkspace(path.join(ROOT, 'test/fixtures/workspace'), path.join(runDir, `ws-e2e-${id}`));
    await fake.reset?.();
    server.seedSettings(); // the integration tests point ideogram.apiEndpoint at their own (closed) fakes
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.setDefaultNavigationTimeout(120_000); // loading the workbench took over 30 s beside a CPU hog
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const helpers = makeHelpers(page, { shots: SHOTS, prefix: id, step });
    const t = Date.now();
    step(`START ${name}`);
    let error;
    try {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
      await page.locator('.statusbar').waitFor({ timeout: 120_000 });
      const timeout = Number(mod.timeoutSeconds ?? 180) * 1000;
      await Promise.race([
        mod.run({ page, server: server.url, workspace, shots: SHOTS, fake, step, helpers }),
        sleep(timeout).then(() => {
          throw new Error(`timed out after ${timeout / 1000}s`);
        }),
      ]);
    } catch (e) {
      error = e;
    }
    const seconds = ((Date.now() - t) / 1000).toFixed(1);
    if (error) {
      const shot = path.join(SHOTS, `${id}-FAILED.png`);
      await page.screenshot({ path: shot }).catch(() => {});
      step(`FAIL ${name} (${seconds}s): ${error.stack ?? error}`);
      step(`failure screenshot: ${path.relative(ROOT, shot)}`);
      if (pageErrors.length) step(`page errors:\n${pageErrors.slice(-5).join('\n')}`);
      console.log(diagnostics(server));
    } else {
      step(`PASS ${name} (${seconds}s)`);
    }
    await context.close().catch(() => {});
    results.push({ name, ok: !error, seconds, error: error?.message });
  }
  return results;
}

// ---------------------------------------------------------------- main

async function main() {
  const mode = process.argv[2] ?? 'all';
  if (!['integration', 'e2e', 'all'].includes(mode)) {
    console.error('usage: node scripts/vscode-harness.mjs integration|e2e|all');
    process.exit(64);
  }
  const wantIntegration = mode !== 'e2e';
  const wantE2E = mode !== 'integration';
  const timings = [];
  const timed = async (label, fn) => {
    const t = Date.now();
    try {
      return await fn();
    } finally {
      timings.push([label, (Date.now() - t) / 1000]);
    }
  };

  await timed('lock wait', () => acquireLock('vscode-harness'));
  onCleanup(releaseLock);
  const runDir = path.join(ROOT, 'test-artifacts/run');
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  fs.mkdirSync(SHOTS, { recursive: true });

  const tools = await timed('tools', ensureTools);
  if (!process.env.HARNESS_SKIP_BUILD) await timed('build', buildForTests);
  const vsix = path.join(runDir, 'ideogram.vsix');
  if (wantE2E) await timed('package', () => packageExtension(vsix));
  // Declares the language ids VS Code does not ship (MDX, AsciiDoc, Vue, Svelte), as their extensions would.
  const testLanguages = path.join(runDir, 'test-languages.vsix');
  await timed('package test languages', () =>
    run(
      'npx',
      ['--no-install', 'vsce', 'package', '--allow-missing-repository', '--skip-license', '-o', testLanguages],
      { prefix: 'vsce', quiet: true, cwd: path.join(ROOT, 'test/fixtures/test-languages') },
    ),
  );

  let fake;
  try {
    fake = await startFake();
    log(`fake Segmind API on ${fake.endpoint}`);
  } catch (error) {
    if (wantE2E) throw error;
    log(`no fake Segmind API for the user settings (${error.message}); integration tests start their own`);
  }
  const server = await timed('code-server', async () =>
    startCodeServer({
      tools,
      stateDir: runDir,
      port: await freePort(),
      settings: fake ? { 'ideogram.apiEndpoint': fake.endpoint } : {},
      vsix: [wantE2E ? vsix : undefined, testLanguages],
      logFile: path.join(runDir, 'code-server.log'),
    }),
  );
  const browser = await launchChromium(tools);
  onCleanup(() => Promise.race([browser.close(), sleep(3_000)])); // Playwright may already be closing it (Ctrl-C)

  let integration;
  let e2e = [];
  if (wantIntegration && process.env.HARNESS_MULTI_ROOT === 'only') {
    integration = await timed('multi-root', () => runIntegration({ browser, server, runDir, multiRoot: true }));
  } else if (wantIntegration) {
    integration = await timed('integration', () => runIntegration({ browser, server, runDir }));
    if (!process.env.IDEOGRAM_TEST_GREP && !process.env.HARNESS_TESTS_PATH) {
      let multiRoot = await timed('multi-root', () => runIntegration({ browser, server, runDir, multiRoot: true }));
      if (multiRoot.failed && !multiRoot.passed) {
        // Seen once in five runs: the workbench started the tests before the .code-workspace's folders were
        // known. A second window on the same workspace says whether it is that or a real failure.
        logger('integration:multi-root')('no multi-root test passed: running the pass once more in a fresh window');
        multiRoot = await timed('multi-root', () => runIntegration({ browser, server, runDir, multiRoot: true }));
      }
      integration = {
        passed: integration.passed + multiRoot.passed,
        failed: integration.failed + multiRoot.failed,
        exitCode: integration.exitCode || multiRoot.exitCode,
      };
    }
  }
  if (wantE2E) e2e = await timed('e2e', () => runE2E({ browser, server, runDir, fake }));

  const summary = logger('summary');
  summary(
    `timings: ${timings
      .filter(([l, s]) => l !== 'lock wait' || s >= 1)
      .map(([l, s]) => `${l} ${s.toFixed(1)}s`)
      .join(', ')}; total ${elapsed()}`,
  );
  if (integration)
    summary(
      `integration (mocha): ${integration.passed} passed, ${integration.failed} failed${integration.exitCode ? ` (extension host exit code ${integration.exitCode})` : ''}`,
    );
  for (const r of e2e) summary(`e2e ${r.ok ? 'PASS' : 'FAIL'} ${r.name} (${r.seconds}s)${r.ok ? '' : `: ${r.error}`}`);
  if (wantE2E) summary(`screenshots: ${path.relative(ROOT, SHOTS)}/`);
  const passed = (integration?.passed ?? 0) + e2e.filter((r) => r.ok).length;
  const failed = (integration?.failed ?? 0) + e2e.filter((r) => !r.ok).length;
  await cleanup();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch(async (error) => {
    console.error(`[harness] ERROR: ${describeFatal(error)}`);
    await cleanup();
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
}
