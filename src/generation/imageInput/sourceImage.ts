// The picture an image action works on (remix, reframe, replace background, character, describe): a workspace
// file, read once and checked before anything leaves the machine. Only regular files inside a workspace folder,
// reached without a link (a link could lead anywhere: ~/.ssh, another project), JPEG, PNG or WebP by their bytes
// (not their name), at most Ideogram's 10 MB.
import * as nodeFs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readRegularFile } from '../../core/boundedRead';
import { IdeogramError } from '../../core/errors';
import { anyLink, firstRefusedLink } from '../../core/linksOnTheWay';
import { createHash } from 'node:crypto';
import { checkUploadable, UPLOAD_MAX_BYTES, type PictureType } from '../../core/imageUpload';
import { pictureSize } from '../../core/thumbnails';
import { workspaceRelativePath } from '../../links/imageFiles';

const SOURCE_MAX_BYTES = UPLOAD_MAX_BYTES;

export interface SourceImage {
  uri: vscode.Uri;
  /** Workspace-relative, with `/` (what recipes store). */
  workspacePath: string;
  fileName: string;
  bytes: Uint8Array;
  /** Hex SHA-256 of the bytes: an upload is reused for the same bytes, a recipe names exactly what it started from. */
  sha256: string;
  type: PictureType;
  width?: number;
  height?: number;
}

const refuse = (reason: ConstructorParameters<typeof IdeogramError>[0]['reason'], uri: vscode.Uri, facts = {}) =>
  new IdeogramError({
    kind: 'source-image',
    reason,
    fileName: path.posix.basename(uri.path),
    path: uri.scheme === 'file' ? uri.fsPath : uri.toString(),
    ...facts,
  });

/** Reads a workspace picture for an action, or throws the reason it cannot be used (nothing uploaded or billed). */
export async function readSourceImage(uri: vscode.Uri): Promise<SourceImage> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) throw refuse('outside-workspace', uri);
  let bytes: Uint8Array;
  if (uri.scheme === 'file') {
    await checkNoLinkOnTheWay(uri, folder.uri);
    // The project's bounded reader (core/boundedRead.ts), without following a link: no device, FIFO or link.
    const read = await readRegularFile(uri.fsPath, SOURCE_MAX_BYTES, { followLinks: false }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw refuse('source-link', uri, { through: '?' });
      throw refuse('source-unreadable', uri, { text: String((error as Error).message ?? error) });
    });
    if (read.kind === 'not-a-file') throw refuse('not-a-file', uri);
    if (read.kind === 'too-big') throw refuse('source-too-large', uri, sizeFacts(read.size));
    bytes = read.bytes;
  } else {
    const stat = await vscode.workspace.fs.stat(uri).then(undefined, (error: unknown) => {
      throw refuse('source-unreadable', uri, { text: String((error as Error).message ?? error) });
    });
    if (stat.type & vscode.FileType.SymbolicLink) throw refuse('source-link', uri, { through: '?' });
    if (!(stat.type & vscode.FileType.File)) throw refuse('not-a-file', uri);
    if (stat.size > SOURCE_MAX_BYTES) throw refuse('source-too-large', uri, sizeFacts(stat.size));
    bytes = await vscode.workspace.fs.readFile(uri);
  }
  // Checked again on the bytes read: the file may have changed between the stat and the read.
  const check = checkUploadable({ bytes });
  if (!check.ok) {
    const problem = check.problem;
    if (problem.code === 'too-large') throw refuse('source-too-large', uri, sizeFacts(problem.size));
    throw refuse('unsupported-type', uri, {
      contentType: problem.code === 'unsupported-type' ? problem.type.toUpperCase() : describeBytes(bytes),
    });
  }
  const size = pictureSize(bytes);
  return {
    uri,
    workspacePath: workspaceRelativePath(uri),
    fileName: path.posix.basename(uri.path),
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    type: check.type,
    ...(size ? { width: size.width, height: size.height } : {}),
  };
}

const sizeFacts = (bytes: number) => ({ bytes, maxBytes: SOURCE_MAX_BYTES });

/** What the bytes look like when they are no picture Ideogram takes, for the message ("empty file", "GIF"). */
function describeBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'empty file';
  const start = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  return start.startsWith('<svg') || start.startsWith('<?xml') ? 'SVG' : 'unknown type';
}

/** Refuses the file or any folder between it and the workspace folder being a symbolic link. */
async function checkNoLinkOnTheWay(uri: vscode.Uri, folder: vscode.Uri): Promise<void> {
  // Where a part is missing the walk stops: the read reports it.
  const link = await firstRefusedLink(folder.fsPath, uri.fsPath, anyLink);
  if (link === undefined) return;
  const target = await nodeFs.readlink(link).catch(() => '?');
  throw refuse('source-link', uri, { through: target });
}
