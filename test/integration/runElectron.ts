// Runs the integration tests in a downloaded VS Code (Electron) with @vscode/test-electron: the ecosystem's
// standard runner, for machines with internet access (`npm run test:electron`). Offline machines and CI use
// scripts/vscode-harness.mjs (code-server + Chromium), which loads the same test/integration/index.ts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // out/test/integration/runElectron.js → repository root.
  const extensionDevelopmentPath = path.resolve(__dirname, '../../..');
  const extensionTestsPath = path.resolve(__dirname, './index');
  const fixture = path.join(extensionDevelopmentPath, 'test', 'fixtures', 'workspace');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ideogram-electron-'));
  fs.cpSync(fixture, workspace, { recursive: true });
  try {
    const exitCode = await runTests({
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    });
    process.exitCode = exitCode;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error('Failed to run the integration tests:', error);
  process.exit(1);
});
