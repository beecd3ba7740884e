import { promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { imageFileName, nextCandidateName, resolveAssetsFolder } from './core/naming';
import { copyFilesDestination, DestinationError, documentFile, fileNaming, type FileNaming } from './imageDestination';
import type { Settings } from './settings';

export class UserFacingError extends Error {}

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
export async function chooseWorkspaceFolder(document?: vscode.TextDocument): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const documentUri = documentFile(document) ?? document?.uri ?? vscode.window.activeTextEditor?.document.uri;
  const owner = documentUri ? vscode.workspace.getWorkspaceFolder(documentUri) : undefined;
  if (owner) return owner;
  if (folders.length === 1) return folders[0];
  if (folders.length === 0) return undefined;
  return vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which workspace folder should the image be saved in?'), ignoreFocusOut: true });
}

/** The assets folder for a workspace folder (and optionally the document the image is for), from the setting. */
export function assetsTarget(settings: Settings, workspaceFolder: vscode.WorkspaceFolder, document?: vscode.TextDocument): AssetsTarget {
  let naming: FileNaming;
  let copyFiles;
  try {
    naming = fileNaming(settings, document);
    copyFiles = copyFilesDestination(settings, workspaceFolder, document);
  } catch (error) {
    throw error instanceof DestinationError ? new UserFacingError(error.message) : error;
  }
  if (copyFiles) return { workspaceFolder, folder: copyFiles.folder, naming: { ...naming, destinationName: copyFiles.destinationName } };
  const pattern = settings.assetsFolder(workspaceFolder.uri);
  let documentDirName: string | undefined;
  let documentBaseName: string | undefined;
  const file = documentFile(document);
  if (file && vscode.workspace.getWorkspaceFolder(file)?.uri.toString() === workspaceFolder.uri.toString()) {
    const relative = vscode.workspace.asRelativePath(file, false);
    const slash = relative.lastIndexOf('/');
    documentDirName = slash >= 0 ? relative.slice(0, slash) : '';
    const fileName = relative.slice(slash + 1);
    documentBaseName = fileName.replace(/\.[^.]*$/, '');
  }
  const resolved = resolveAssetsFolder(pattern, { documentDirName, documentBaseName });
  if (!resolved.ok) throw new UserFacingError(resolved.message);
  return { workspaceFolder, folder: vscode.Uri.joinPath(workspaceFolder.uri, ...resolved.segments), naming };
}

function isFileExists(error: unknown): boolean {
  return error instanceof vscode.FileSystemError && (error.code === 'FileExists' || /exist/i.test(error.message));
}

/**
 * Saves image bytes under a unique name in `folder`: written to a hidden temporary file first, then given its
 * final name without overwriting, so no partial file ever has the final name and no existing file is replaced.
 * `fileName` (from the user's naming settings) replaces the built-in `<prompt slug>-<date>-<time>-<random>`.
 */
export async function saveImageFile(folder: vscode.Uri, prompt: string, extension: string, bytes: Uint8Array, fileName?: string): Promise<vscode.Uri> {
  const baseName = fileName ?? imageFileName(prompt, extension);
  if (folder.scheme === 'file') {
    // A `file:` URI is on the extension host's own disk (locally, and in SSH, WSL, containers, Codespaces), where
    // Node's fs avoids workspace.fs's round trips through the window (about 35 ms a save in a remote host).
    try {
      return await saveWithNodeFs(folder.fsPath, baseName, bytes);
    } catch {
      // No hard links on this file system, or a real error: workspace.fs either works or reports it properly.
    }
  }
  return saveWithWorkspaceFs(folder, baseName, bytes);
}

async function saveWithNodeFs(folder: string, baseName: string, bytes: Uint8Array): Promise<vscode.Uri> {
  await nodeFs.mkdir(folder, { recursive: true });
  const temporary = path.join(folder, `.${baseName}.partial`);
  await nodeFs.writeFile(temporary, bytes, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const candidate = path.join(folder, attempt === 0 ? baseName : nextCandidateName(baseName, attempt));
      try {
        await nodeFs.link(temporary, candidate); // atomic, and fails with EEXIST instead of overwriting
        return vscode.Uri.file(candidate);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new UserFacingError(vscode.l10n.t('Could not find a free file name for {0} in {1}.', baseName, folder));
  } finally {
    await nodeFs.unlink(temporary).catch(() => undefined);
  }
}

async function saveWithWorkspaceFs(folder: vscode.Uri, baseName: string, bytes: Uint8Array): Promise<vscode.Uri> {
  await vscode.workspace.fs.createDirectory(folder);
  const temporary = vscode.Uri.joinPath(folder, `.${baseName}.partial`);
  await vscode.workspace.fs.writeFile(temporary, bytes);
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const candidate = vscode.Uri.joinPath(folder, attempt === 0 ? baseName : nextCandidateName(baseName, attempt));
      try {
        await vscode.workspace.fs.rename(temporary, candidate, { overwrite: false });
        return candidate;
      } catch (error) {
        if (!isFileExists(error)) throw error;
      }
    }
    throw new UserFacingError(vscode.l10n.t('Could not find a free file name for {0} in {1}.', baseName, folder.fsPath));
  } catch (error) {
    await vscode.workspace.fs.delete(temporary).then(undefined, () => undefined);
    throw error;
  }
}

/** The path of `uri` relative to its workspace folder, with `/`, for messages (the folder name is prepended in multi-root workspaces). */
export function workspaceRelativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri);
}
