// What the gallery knows of the files behind its entries: whether an image is on disk, and the events of files
// created and deleted outside the extension (a checkout, an undo, a delete in the Explorer).
import { promises as nodeFs } from 'fs';
import * as vscode from 'vscode';
import type { GalleryEntry } from '../core/galleryStore';
import { isNotFound } from '../common/boundedFiles';
import { localFilePath } from './thumbnails';

/** Where the gallery hears of files created and deleted outside it: the workspace's watcher, or a test's events. */
export interface FileEvents extends vscode.Disposable {
  readonly onDidCreate: vscode.Event<vscode.Uri>;
  readonly onDidDelete: vscode.Event<vscode.Uri>;
  /** Also a path deleted and created again within one batch of the watcher: VS Code reports that as a change. */
  readonly onDidChange: vscode.Event<vscode.Uri>;
}
export const workspaceFileEvents = (): FileEvents =>
  vscode.workspace.createFileSystemWatcher('**/*', false, false, false);

export function parseUri(value: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(value, true);
  } catch {
    return undefined;
  }
}

/** Whether an entry's image is on disk. Only "not found" means gone: a permission or network error keeps it shown. */
export async function imageExists(entry: GalleryEntry): Promise<boolean> {
  const uri = parseUri(entry.imageUri);
  if (!uri) return true;
  // Node's `fs` where it can see the file (a page of 60: ~1 ms instead of ~9 ms of workspace.fs round trips in a
  // remote extension host); any answer but "not found" is asked again through workspace.fs.
  const local = localFilePath(uri);
  if (local) {
    const found = await nodeFs.stat(local).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : undefined),
    );
    if (found !== undefined) return found;
  }
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
