// Loaded by the harness with a two-folder workspace (scripts/vscode-harness.mjs, multi-root pass).
import { runTestsIn } from '../index';

export function run(): Promise<void> {
  return runTestsIn(__dirname);
}
