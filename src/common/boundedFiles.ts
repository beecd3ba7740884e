import * as vscode from 'vscode';
import { readRegularFile, type BoundedRead } from '../core/boundedRead';

/**
 * A workspace file the repository may have planted, read with a cap: on disk through `readRegularFile` (regular
 * files only, after following links; nothing over the cap opened, at most the cap read). Other file systems
 * (remote, virtual) have no partial read: their stat must say a file (not a device or folder) within the cap
 * before the whole file is read, and a file that grew past the cap meanwhile is dropped.
 */
export async function readFileWithin(uri: vscode.Uri, maxBytes: number): Promise<BoundedRead> {
  if (uri.scheme === 'file') return readRegularFile(uri.fsPath, maxBytes);
  const stat = await vscode.workspace.fs.stat(uri);
  if ((stat.type & vscode.FileType.File) === 0) return { kind: 'not-a-file' };
  if (stat.size > maxBytes) return { kind: 'too-big', size: stat.size };
  const bytes = await vscode.workspace.fs.readFile(uri);
  return bytes.length > maxBytes ? { kind: 'too-big', size: bytes.length } : { kind: 'read', bytes };
}

/** Whether a file system error says the file is not there (any file system: disk, remote, virtual). */
export function isNotFound(error: unknown): boolean {
  const code = error instanceof vscode.FileSystemError ? error.code : '';
  return code === 'FileNotFound' || code === 'EntryNotFound' || /ENOENT|FileNotFound/.test(String(error));
}
