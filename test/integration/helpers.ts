// Shared set-up for tests that run inside the real extension host.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startFakeSegmind, type FakeSegmind, type FakeSegmindOptions } from '../fake-segmind/server';

export const EXTENSION_ID = 'ideogram-vscode.ideogram-vscode';

/** The extension's testing API (ExtensionMode.Test only), typed by its own declaration. */
export type { TestingApi } from '../../src/extension';
import type { TestingApi } from '../../src/extension';

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
  await vscode.workspace
    .getConfiguration('ideogram')
    .update('apiEndpoint', fake.endpoint, vscode.ConfigurationTarget.Global);
  return fake;
}

export async function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  return vscode.workspace.fs.readFile(uri);
}

/** Lists the files in the workspace's assets folder (empty when it does not exist), without recipe sidecars. */
export async function assetFiles(folder = 'assets'): Promise<string[]> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, folder);
  try {
    return (await vscode.workspace.fs.readDirectory(uri))
      .filter(([name, type]) => type === vscode.FileType.File && !name.endsWith('.ideogram.json'))
      .map(([name]) => name)
      .sort();
  } catch {
    return [];
  }
}

export async function removeAssets(folder = 'assets'): Promise<void> {
  await vscode.workspace.fs
    .delete(vscode.Uri.joinPath(workspaceFolder().uri, folder), { recursive: true, useTrash: false })
    .then(undefined, () => undefined);
}

export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
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
export async function expectedImageBytes(
  fake: FakeSegmind,
  seed: number,
  resolution = 'RESOLUTION_1024_1024',
): Promise<Uint8Array> {
  const response = await fetch(fake.endpoint, {
    method: 'POST',
    headers: { 'x-api-key': 'reference-fetch', 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'reference', seed, resolution }),
  });
  assert.strictEqual(response.status, 200);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * The saved file is the API's image with only metadata added (our recipe: JPEG APP1 segments or PNG text
 * chunks inserted in one place): every byte the API sent is there, in order, pixels untouched.
 */
export function assertSameImageWithMetadata(saved: Uint8Array, sent: Uint8Array): void {
  const isPng = sent[0] === 0x89;
  /** Whether `bytes` is whole metadata segments (JPEG APP1) or text chunks (PNG), nothing else. */
  const onlyMetadata = (bytes: Buffer): boolean => {
    let offset = 0;
    while (offset < bytes.length) {
      if (offset + (isPng ? 12 : 4) > bytes.length) return false;
      if (isPng) {
        const type = bytes.toString('latin1', offset + 4, offset + 8);
        if (type !== 'tEXt' && type !== 'iTXt') return false;
        offset += 12 + bytes.readUInt32BE(offset);
      } else {
        if (bytes[offset] !== 0xff || bytes[offset + 1] !== 0xe1) return false;
        offset += 2 + bytes.readUInt16BE(offset + 2);
      }
    }
    return offset === bytes.length && bytes.length > 0;
  };
  let common = 0;
  while (common < sent.length && saved[common] === sent[common]) common++;
  const savedBuffer = Buffer.from(saved);
  // The insertion point is at most the common prefix (the inserted bytes may begin like what follows it).
  for (let split = common; split >= Math.max(0, common - 8); split--) {
    const tail = Buffer.from(sent.subarray(split));
    if (!savedBuffer.subarray(savedBuffer.length - tail.length).equals(tail)) continue;
    if (onlyMetadata(savedBuffer.subarray(split, savedBuffer.length - tail.length))) return;
  }
  assert.fail("the saved file is not the API's image with only metadata segments inserted in one place");
}
