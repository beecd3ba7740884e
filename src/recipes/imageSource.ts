// The workspace side of an image's lineage (src/core/sourceLineage.ts): where its source file is, what the hover
// calls it ("Reframed from banner.jpg"), and whether the file is still the one the action worked on.
import * as vscode from 'vscode';
import type { ImageMakingAction } from '../core/imageActions';
import { sourceCheck, type SourceCheck, type SourceLineage } from '../core/sourceLineage';
import { isNotFound, readFileWithin } from '../common/boundedFiles';

/**
 * Hashing reads the whole file: one bigger than this is not read (the bound of reading an image for its recipe) and
 * counts as changed, since the source an action took was read whole, well within it.
 */
const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/**
 * The source file of an image: the lineage's path in the workspace folder the image is in (an action saves its
 * result beside the source). In a multi-root workspace the path may start with the folder's name, as
 * `workspace.asRelativePath` writes it there. Undefined for an image outside the workspace folders.
 */
export function sourceUriOf(image: vscode.Uri, source: Pick<SourceLineage, 'path'>): vscode.Uri | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(image);
  if (!folder) return undefined;
  const [first, ...rest] = source.path.split('/');
  const folders = vscode.workspace.workspaceFolders ?? [];
  const named = folders.length > 1 && rest.length > 0 ? folders.find((each) => each.name === first) : undefined;
  return named ? vscode.Uri.joinPath(named.uri, ...rest) : vscode.Uri.joinPath(folder.uri, first, ...rest);
}

/** What the action made of its source, for the hover: `name` is already written for the Markdown it goes into. */
export function madeFromText(action: ImageMakingAction, name: string): string {
  switch (action) {
    case 'remix':
      return vscode.l10n.t('Remixed from {0}', name);
    case 'reframe':
      return vscode.l10n.t('Reframed from {0}', name);
    case 'replace-background':
      return vscode.l10n.t('Background replaced in {0}', name);
    case 'character':
      return vscode.l10n.t('New scene with the character of {0}', name);
  }
}

/** SHA-256 of bytes, lower-case hex (WebCrypto: the same in a desktop, remote or web extension host). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Reads the source again and compares it with the hash the action recorded: the same file, a changed one, or none
 * (no file there, or a folder or device in its place). Rejects only for another read failure (permissions).
 */
export async function checkSourceFile(uri: vscode.Uri, source: Pick<SourceLineage, 'sha256'>): Promise<SourceCheck> {
  let read: Awaited<ReturnType<typeof readFileWithin>>;
  try {
    read = await readFileWithin(uri, MAX_SOURCE_BYTES);
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    throw error;
  }
  if (read.kind === 'not-a-file') return 'gone';
  // Bigger than any source an action took: not the same bytes.
  if (read.kind === 'too-big') return 'changed';
  return sourceCheck(source, await sha256Hex(read.bytes));
}
