import { randomBytes } from 'crypto';
import { promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { IdeogramError } from '../core/errors';
import { imageFileName, nextCandidateName, resolveAssetsFolder } from '../core/naming';
import { copyFilesDestination, documentFile, fileNaming, type FileNaming } from './imageDestination';
import type { Settings } from '../common/settings';
import { firstRefusedLink, leadsOut, linkLeadingOutOf } from '../core/linksOnTheWay';
import { baseName, stem } from '../core/text';
import { sidecarFileName } from '../core/galleryStore';

/** Where an image goes: the workspace folder it belongs to and the assets folder inside it. */
export interface AssetsTarget {
  workspaceFolder: vscode.WorkspaceFolder;
  folder: vscode.Uri;
  /** How the file is named (`ideogram.fileNameTemplate`, `markdown.copyFiles.destination`); the built-in name without. */
  naming?: FileNaming;
}

/**
 * The workspace folder for a generation: the one holding `document` (or the active editor), the only one,
 * or the user's pick in a multi-root workspace. Undefined when the user cancels or no folder is open.
 */
export async function chooseWorkspaceFolder(
  document?: vscode.TextDocument,
): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const documentUri = documentFile(document) ?? document?.uri ?? vscode.window.activeTextEditor?.document.uri;
  const owner = documentUri ? vscode.workspace.getWorkspaceFolder(documentUri) : undefined;
  if (owner) return owner;
  if (folders.length === 1) return folders[0];
  if (folders.length === 0) return undefined;
  return vscode.window.showWorkspaceFolderPick({
    placeHolder: vscode.l10n.t('Which workspace folder should the image be saved in?'),
    ignoreFocusOut: true,
  });
}

/** The assets folder for a workspace folder (and optionally the document the image is for), from the setting. */
export function assetsTarget(
  settings: Settings,
  workspaceFolder: vscode.WorkspaceFolder,
  document?: vscode.TextDocument,
): AssetsTarget {
  const naming: FileNaming = fileNaming(settings, document);
  const copyFiles = copyFilesDestination(settings, workspaceFolder, document);
  if (copyFiles)
    return {
      workspaceFolder,
      folder: copyFiles.folder,
      naming: { ...naming, destinationName: copyFiles.destinationName },
    };
  const pattern = settings.assetsFolder(workspaceFolder.uri);
  let documentDirName: string | undefined;
  let documentBaseName: string | undefined;
  const file = documentFile(document);
  if (file && vscode.workspace.getWorkspaceFolder(file)?.uri.toString() === workspaceFolder.uri.toString()) {
    const relative = vscode.workspace.asRelativePath(file, false);
    const slash = relative.lastIndexOf('/');
    documentDirName = slash >= 0 ? relative.slice(0, slash) : '';
    documentBaseName = stem(relative.slice(slash + 1));
  }
  const resolved = resolveAssetsFolder(pattern, { documentDirName, documentBaseName });
  if (!resolved.ok) throw resolved.error;
  return { workspaceFolder, folder: vscode.Uri.joinPath(workspaceFolder.uri, ...resolved.segments), naming };
}

/** Only VS Code's own "file exists" answer: a message test would also match "nonexistent". */
function isFileExists(error: unknown): boolean {
  return (
    error instanceof vscode.FileSystemError &&
    (error.code === 'FileExists' || /\bEEXIST\b|already exists/i.test(error.message))
  );
}

/**
 * The errors `link()` gives where a file system has no hard links (FAT and exFAT, some network and FUSE file
 * systems; EISDIR is how libuv reports Windows' ERROR_INVALID_FUNCTION). Only these fall back to workspace.fs:
 * anything else (no space, no permission, a read-only disk) is a real failure and is reported as one.
 */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EISDIR']);

class HardLinksUnsupported extends Error {}

/**
 * Saves image bytes under a unique name in `folder`: written to a hidden temporary file first, then given its
 * final name without overwriting, so no partial file ever has the final name, no existing file is replaced and no
 * planted link is followed. A folder inside a workspace folder must really be inside it: a symbolic link in the
 * way (a repository can commit `assets -> ../../elsewhere`) is refused (an IdeogramError, `symlink-outside`).
 * `fileName` (from the user's naming settings) replaces the built-in `<prompt slug>-<date>-<time>-<random>`.
 */
export async function saveImageFile(
  folder: vscode.Uri,
  prompt: string,
  extension: string,
  bytes: Uint8Array,
  fileName?: string,
): Promise<vscode.Uri> {
  const baseName = fileName ?? imageFileName(prompt, extension);
  const saved = await writeNewFile(
    folder,
    baseName,
    (attempt) => (attempt === 0 ? baseName : nextCandidateName(baseName, attempt)),
    MAX_NAME_ATTEMPTS,
    bytes,
  );
  if (!saved)
    throw new IdeogramError({
      kind: 'file-system',
      reason: 'no-free-name',
      fileName: baseName,
      path: folder.scheme === 'file' ? folder.fsPath : folder.toString(true),
    });
  return saved;
}

/**
 * Writes `bytes` as `uri` only if nothing (no file, no link) has that name, with the same care as an image: the
 * folder checked against the workspace folder, a temporary file, no overwrite, no following links. Resolves false
 * when the name is taken.
 */
export async function writeNewFileIfAbsent(uri: vscode.Uri, bytes: Uint8Array): Promise<boolean> {
  const slash = uri.path.lastIndexOf('/');
  const name = uri.path.slice(slash + 1);
  const folder = uri.with({ path: uri.path.slice(0, slash) || '/' });
  return (await writeNewFile(folder, name, () => name, 1, bytes)) !== undefined;
}

const MAX_NAME_ATTEMPTS = 100;

async function writeNewFile(
  folder: vscode.Uri,
  baseName: string,
  nameFor: (attempt: number) => string,
  attempts: number,
  bytes: Uint8Array,
): Promise<vscode.Uri | undefined> {
  await prepareFolder(folder);
  if (folder.scheme === 'file') {
    // A `file:` URI is on the extension host's own disk (locally, and in SSH, WSL, containers, Codespaces), where
    // Node's fs avoids workspace.fs's round trips through the window (about 35 ms a save in a remote host).
    try {
      return await writeWithNodeFs(folder.fsPath, baseName, nameFor, attempts, bytes);
    } catch (error) {
      if (!(error instanceof HardLinksUnsupported)) throw error;
    }
  }
  return writeWithWorkspaceFs(folder, baseName, nameFor, attempts, bytes);
}

function temporaryName(baseName: string): string {
  return `.${baseName}.${randomBytes(6).toString('hex')}.partial`;
}

async function writeWithNodeFs(
  folder: string,
  baseName: string,
  nameFor: (attempt: number) => string,
  attempts: number,
  bytes: Uint8Array,
): Promise<vscode.Uri | undefined> {
  const temporary = path.join(folder, temporaryName(baseName));
  await nodeFs.writeFile(temporary, bytes, { flag: 'wx' }); // O_CREAT | O_EXCL: fails on anything there, a link included
  try {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const candidate = path.join(folder, nameFor(attempt));
      try {
        await nodeFs.link(temporary, candidate); // atomic, and fails with EEXIST instead of overwriting or following a link
        return vscode.Uri.file(candidate);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST') continue;
        if (NO_HARD_LINKS.has(code)) throw new HardLinksUnsupported(code);
        throw error;
      }
    }
    return undefined;
  } finally {
    await nodeFs.unlink(temporary).catch(() => undefined);
  }
}

async function writeWithWorkspaceFs(
  folder: vscode.Uri,
  baseName: string,
  nameFor: (attempt: number) => string,
  attempts: number,
  bytes: Uint8Array,
): Promise<vscode.Uri | undefined> {
  const temporary = vscode.Uri.joinPath(folder, temporaryName(baseName)); // unguessable, so no link can be waiting there
  await vscode.workspace.fs.writeFile(temporary, bytes);
  try {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const candidate = vscode.Uri.joinPath(folder, nameFor(attempt));
      try {
        await vscode.workspace.fs.rename(temporary, candidate, { overwrite: false });
        return candidate;
      } catch (error) {
        if (!isFileExists(error)) throw error;
      }
    }
    await vscode.workspace.fs.delete(temporary).then(undefined, () => undefined);
    return undefined;
  } catch (error) {
    await vscode.workspace.fs.delete(temporary).then(undefined, () => undefined);
    throw error;
  }
}

/** A save that would leave the workspace folder through a symbolic link. */
function outsideWorkspace(folder: vscode.Uri, workspaceFolder: vscode.WorkspaceFolder, through: string): IdeogramError {
  return new IdeogramError({
    kind: 'invalid-setting',
    reason: 'symlink-outside',
    path: vscode.workspace.asRelativePath(folder),
    through,
    folderName: workspaceFolder.name,
  });
}

/**
 * Refuses (`symlink-outside`) a folder inside a workspace folder that leads outside `realpath(workspace
 * folder)`: the folder or any existing ancestor up to the workspace folder being a symbolic link out (or to
 * nothing, whose target mkdir would create). Creates nothing. Called before a generation is sent, so nothing is
 * billed for an image that cannot be saved where it should, and again before each write.
 */
export async function checkFolderInsideWorkspace(folder: vscode.Uri): Promise<void> {
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(folder);
  if (!workspaceFolder) return;
  if (folder.scheme === 'file' && workspaceFolder.uri.scheme === 'file') {
    const root = await nodeFs.realpath(workspaceFolder.uri.fsPath);
    // Every existing ancestor, from the workspace folder down: the first link that leads out is the one to name.
    // Where the rest does not exist yet, creating the folder reports the real problem (the paid image is then kept
    // in the extension's storage).
    const link = await firstRefusedLink(workspaceFolder.uri.fsPath, folder.fsPath, linkLeadingOutOf(root));
    if (link) throw outsideWorkspace(folder, workspaceFolder, vscode.workspace.asRelativePath(vscode.Uri.file(link)));
    return;
  }
  // workspace.fs has no realpath: refuse any link on the way (virtual file systems seldom have them).
  const relative = folder.path.slice(workspaceFolder.uri.path.replace(/\/$/, '').length).split('/').filter(Boolean);
  let current = workspaceFolder.uri;
  for (const segment of relative) {
    current = vscode.Uri.joinPath(current, segment);
    let type: vscode.FileType;
    try {
      type = (await vscode.workspace.fs.stat(current)).type;
    } catch {
      break;
    }
    if (type & vscode.FileType.SymbolicLink)
      throw outsideWorkspace(folder, workspaceFolder, vscode.workspace.asRelativePath(current));
  }
}

/** Creates `folder` after `checkFolderInsideWorkspace`, and checks the created folder's real path once more. */
async function prepareFolder(folder: vscode.Uri): Promise<void> {
  await checkFolderInsideWorkspace(folder);
  await createFolder(folder);
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(folder);
  if (
    workspaceFolder &&
    folder.scheme === 'file' &&
    workspaceFolder.uri.scheme === 'file' &&
    (await leadsOut(folder.fsPath, await nodeFs.realpath(workspaceFolder.uri.fsPath)))
  ) {
    throw outsideWorkspace(folder, workspaceFolder, vscode.workspace.asRelativePath(folder));
  }
}

async function createFolder(folder: vscode.Uri): Promise<void> {
  if (folder.scheme === 'file') await nodeFs.mkdir(folder.fsPath, { recursive: true });
  else await vscode.workspace.fs.createDirectory(folder);
}

/** The path of `uri` relative to its workspace folder, with `/`, for messages (the folder name is prepended in multi-root workspaces). */
export function workspaceRelativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri);
}

/** The recipe sidecar beside an image (`banner.jpg` → `banner.ideogram.json`). */
export function sidecarUri(imageUri: vscode.Uri): vscode.Uri {
  const name = baseName(imageUri);
  return vscode.Uri.joinPath(imageUri, '..', sidecarFileName(name));
}
