// Runs the extension-host bench module (test/integration/bench → out/…/bench/index.js) in the real extension
// host of code-server: opens the workbench with an extensionDevelopmentPath/extensionTestsPath payload in
// headless Chromium and collects the `IDEOGRAM_BENCH {json}` lines the module logs.
// (A minimal version of the harness's integration runner, which the harness does not export.)
import fs from 'node:fs';
import util from 'node:util';

export const MARKER = 'IDEOGRAM_BENCH';

/** Extracts the JSON objects of the marker lines of one forwarded console message. */
export function parseMarkerLines(text) {
  const events = [];
  for (const line of text.split('\n')) {
    const at = line.indexOf(`${MARKER} {`);
    if (at < 0) continue;
    const json = line.slice(at + MARKER.length + 1);
    // The workbench may append styling arguments after the message: cut at the last '}' that parses.
    for (let end = json.lastIndexOf('}'); end > 0; end = json.lastIndexOf('}', end - 1)) {
      try {
        events.push(JSON.parse(json.slice(0, end + 1)));
        break;
      } catch {
        /* shorter */
      }
    }
  }
  return events;
}

/**
 * Opens one workbench window whose extension host runs the bench module; resolves when that host exits.
 * `onEvent(event, page)` is called (not awaited) for every reported event, e.g. to measure in the page.
 */
export async function runInHost({
  browser,
  serverUrl,
  workspace,
  extensionPath,
  testsPath,
  timeoutMs,
  consoleLog,
  log,
  onEvent,
  viewport = { width: 1280, height: 800 },
}) {
  const authority = new URL(serverUrl).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  const url = `${serverUrl}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const events = [];
  let resolveExit;
  const exited = new Promise((resolve) => {
    resolveExit = resolve;
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const text = Array.isArray(args) ? util.format(...args) : String(args);
    fs.appendFileSync(consoleLog, `${level}\t${text}\n`);
    for (const event of parseMarkerLines(text)) {
      events.push(event);
      log?.(`${event.kind}: ${JSON.stringify(event).slice(0, 160)}`);
      onEvent?.(event, page);
    }
  });
  const started = Date.now();
  await page.goto(url);
  const result = await Promise.race([
    exited,
    new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref()),
  ]);
  await context.close().catch(() => undefined);
  return { exitCode: result === 'timeout' ? 'timeout' : result, events, seconds: (Date.now() - started) / 1000 };
}
