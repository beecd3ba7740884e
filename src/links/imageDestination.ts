import * as vscode from 'vscode';
import { isInside, matchDestination, resolveDestination } from '../core/copyFilesDestination';
import { IdeogramError } from '../core/errors';
import { checkFileNameTemplate, templatedFileName } from '../core/fileNameTemplate';
import { relativePath } from '../core/linkText';
import { safeRelativeFolder } from '../core/naming';
import { linkDocumentUri } from './insertionPoint';
import type { Settings } from '../common/settings';
import { baseName, stem } from '../core/text';

// Where a new image goes and under what name, beyond `ideogram.assetsFolder`: VS Code's own
// `markdown.copyFiles.destination` for Markdown documents, and `ideogram.fileNameTemplate`.

/** How the file of a new image is named, decided before the generation and applied when it is saved. */
export interface FileNaming {
  template: string;
  documentBaseName?: string;
  /** An image action's source name and the action (`${sourceName}`, `${action}`). */
  sourceName?: string;
  action?: string;
  /** The file name `markdown.copyFiles.destination` asks for, with FILE_NAME standing for our own name. */
  destinationName?: string;
}

/** Stand-ins for `${fileName}` and `${fileExtName}` while the name is not known yet (never in a real name). */
const FILE_NAME = '\u0000name\u0000';
const EXTENSION = '\u0000ext\u0000';

/** The document a generation is for, as a file: the notebook for a notebook cell; undefined when untitled. */
export function documentFile(document: vscode.TextDocument | undefined): vscode.Uri | undefined {
  return document && !document.isUntitled ? linkDocumentUri(document) : undefined;
}

/** The naming for a document, after checking the template (an error the user can fix, before anything is paid). */
export function fileNaming(settings: Settings, document: vscode.TextDocument | undefined): FileNaming {
  const file = documentFile(document);
  const template = settings.fileNameTemplate(file);
  const problem = checkFileNameTemplate(template);
  if (problem) throw problem;
  return { template, documentBaseName: file ? stem(baseName(file)) : undefined };
}

/**
 * The folder and name from `markdown.copyFiles.destination` for a Markdown document (or notebook Markdown cell),
 * or undefined when it does not apply: another language, nothing configured or matching, or
 * `ideogram.assetsFolder` set explicitly. In an untrusted workspace only the user's own value counts.
 */
export function copyFilesDestination(
  settings: Settings,
  workspaceFolder: vscode.WorkspaceFolder,
  document: vscode.TextDocument | undefined,
): { folder: vscode.Uri; destinationName?: string } | undefined {
  const file = documentFile(document);
  if (!file || document?.languageId !== 'markdown' || settings.assetsFolderIsSet(file)) return undefined;
  const inspected = vscode.workspace
    .getConfiguration('markdown', file)
    .inspect<Record<string, unknown>>('copyFiles.destination');
  const configured = vscode.workspace.isTrusted
    ? vscode.workspace.getConfiguration('markdown', file).get<Record<string, unknown>>('copyFiles.destination')
    : inspected?.globalValue;
  if (!configured || typeof configured !== 'object' || Object.keys(configured).length === 0) return undefined;
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.path);
  const documentPath = { path: file.path, workspaceFolder: vscode.workspace.getWorkspaceFolder(file)?.uri.path };
  const destination = matchDestination(configured, documentPath, folders);
  if (destination === undefined) return undefined;
  const resolved = resolveDestination(destination, documentPath, `${FILE_NAME}.${EXTENSION}`);
  const slash = resolved.lastIndexOf('/');
  const folderPath = resolved.slice(0, slash) || '/';
  const name = resolved.slice(slash + 1);
  const root = workspaceFolder.uri.path;
  const relative = isInside(root, folderPath) ? relativePath(root, `${folderPath}/x`).replace(/\/?x$/, '') : undefined;
  const checked = relative === undefined ? undefined : safeRelativeFolder(relative);
  if (!checked?.ok || folderPath.includes('\u0000')) {
    throw new IdeogramError({
      kind: 'invalid-setting',
      reason: 'copy-files-outside',
      path: folderPath.split(FILE_NAME).join('…').split(EXTENSION).join('…'),
      folderName: workspaceFolder.name,
    });
  }
  return {
    folder: vscode.Uri.joinPath(workspaceFolder.uri, ...checked.segments),
    destinationName: name === `${FILE_NAME}.${EXTENSION}` ? undefined : name,
  };
}

/** The file name for a new image under `naming`, or undefined for the built-in name. */
export function namedImageFile(
  naming: FileNaming | undefined,
  image: { prompt: string; extension: string; seed?: number },
): string | undefined {
  if (!naming) return undefined;
  const own = templatedFileName(
    naming.template,
    {
      prompt: image.prompt,
      documentBaseName: naming.documentBaseName,
      sourceName: naming.sourceName,
      action: naming.action,
      seed: image.seed,
    },
    image.extension,
  );
  if (!naming.destinationName) return own;
  let name = naming.destinationName
    .split(`${FILE_NAME}.${EXTENSION}`)
    .join(own)
    .split(FILE_NAME)
    .join(stem(own))
    .split(EXTENSION)
    .join(image.extension)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f<>:"/\\|?*]/g, '-');
  if (!name.toLowerCase().endsWith(`.${image.extension}`))
    name = `${name.replace(/\.(png|jpe?g|webp|gif)$/i, '')}.${image.extension}`;
  return name.replace(/^[.\s]+/, '') || own;
}
