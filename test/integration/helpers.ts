// Shared set-up for tests that run inside the real extension host.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startFakeSegmind, type FakeSegmind, type FakeSegmindOptions } from '../fake-segmind/server';

export const EXTENSION_ID = 'ideogram-vscode.ideogram-vscode';

export interface TestingApi {
  keys: { store(key: string): Promise<void>; get(): Promise<string | undefined>; clear(): Promise<void> };
  service: { runningCount: number };
}

export async function activateExtension(): Promise<TestingApi> {
  const extension = vscode.extensions.getExtension<TestingApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  assert.ok(api, 'the extension returns its testing API in Test mode');
  return api;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'tests need an open workspace folder');
  return folder;
}

/** Starts a fake Segmind server and points the user-level endpoint setting at it. */
export async function useFakeSegmind(options?: FakeSegmindOptions): Promise<FakeSegmind> {
  const fake = await startFakeSegmind(options);
  await vscode.workspace.getConfiguration('ideogram').update('apiEndpoint', fake.endpoint, vscode.ConfigurationTarget.Global);
  return fake;
}

export async function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  return vscode.workspace.fs.readFile(uri);
}

/** Lists the files in the workspace's assets folder (empty when it does not exist), without recipe sidecars. */
export async function assetFiles(folder = 'assets'): Promise<string[]> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, folder);
  try {
    return (await vscode.workspace.fs.readDirectory(uri)).filter(([name, type]) => type === vscode.FileType.File && !name.endsWith('.ideogram.json'))
      .map(([name]) => name).sort();
  } catch {
    return [];
  }
}

export async function removeAssets(folder = 'assets'): Promise<void> {
  await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceFolder().uri, folder), { recursive: true, useTrash: false }).then(undefined, () => undefined);
}

export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The bytes the fake server returns for a seed, fetched directly (the fake is deterministic per seed). */
export async function expectedImageBytes(fake: FakeSegmind, seed: number, resolution = 'RESOLUTION_1024_1024'): Promise<Uint8Array> {
  const response = await fetch(fake.endpoint, {
    method: 'POST',
    headers: { 'x-api-key': 'reference-fetch', 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'reference', seed, resolution }),
  });
  assert.strictEqual(response.status, 200);
  return new Uint8Array(await response.arrayBuffer());
}
