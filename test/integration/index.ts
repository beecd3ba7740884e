// Mocha entry point loaded by the VS Code extension host (extensionTestsPath). The host `require()`s this
// module and calls `run()`; a rejection makes the host exit with code 1. Used by both runners:
// scripts/vscode-harness.mjs (code-server, offline) and test/integration/runElectron.ts (@vscode/test-electron).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  return runTestsIn(__dirname);
}

/** Runs every `*.test.js` directly in `testsRoot` (sub-folders are separate runs, e.g. multiRoot/). */
export function runTestsIn(testsRoot: string): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 60_000,
    // A stray `.only` would run one test and report the tier green.
    forbidOnly: true,
    // `IDEOGRAM_TEST_GREP=<text>` (in the harness's environment, which the extension host inherits) runs a subset.
    grep: process.env.IDEOGRAM_TEST_GREP || undefined,
  });
  for (const file of fs.readdirSync(testsRoot).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(testsRoot, file));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else resolve();
      });
    } catch (error) {
      reject(error);
    }
  });
}
