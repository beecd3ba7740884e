// One way into a paid generation for every entry point (the palette and its command arguments, Regenerate, the
// sidebar, the Copilot tool): `prepareGeneration` settles the key, the workspace folder and the assets folder, or
// fails with ONE IdeogramError whose fixing actions (Set API Key, Open Folder…, Open Settings) are worded and
// offered the same everywhere (src/common/errorMessages.ts); then `GenerationService.generate` takes the prepared
// generation and a validated request and returns the saved image with its gallery entry.
import * as vscode from 'vscode';
import { validateEndpoint } from '../core/client';
import { IdeogramError } from '../core/errors';
import { asIdeogramError } from '../common/errorMessages';
import type { ApiKeyStore } from '../common/apiKey';
import type { Settings } from '../common/settings';
import {
  assetsTarget,
  checkFolderInsideWorkspace,
  chooseWorkspaceFolder,
  type AssetsTarget,
} from '../links/imageFiles';
import type { FileNaming } from '../links/imageDestination';

declare const preparedBrand: unique symbol;
/** Everything a paid call needs besides the request, checked before anything is sent (only `prepareGeneration` makes one). */
export interface PreparedGeneration {
  readonly apiKey: string;
  /** The endpoint setting, checked: https (or http to loopback), no credentials in it. */
  readonly endpoint: string;
  /** The workspace folder and the assets folder inside it (not leading out through a link). */
  readonly target: AssetsTarget;
  readonly [preparedBrand]: true;
}

export type Preparation = { ok: true; prepared: PreparedGeneration } | { ok: false; failure: IdeogramError };

export interface PrepareOptions {
  /** The document the image is for: its workspace folder, and the assets folder and file name patterns it selects. */
  document?: vscode.TextDocument;
  /**
   * How the workspace folder is found: 'ask' picks the document's (or active editor's) folder, the only one, or
   * asks the user in a multi-root workspace; 'document' takes the document's folder or the first one, without UI
   * (the Copilot tool: a model cannot answer a picker).
   */
  folder: 'ask' | 'document';
  /** Ask for a missing API key in a password box (a person started it); the tool never asks. */
  askForKey: boolean;
  /**
   * Save beside this workspace file (an image action's source) under `naming`, instead of the assets folder: the
   * workspace folder is the file's own, so nothing is asked.
   */
  beside?: { file: vscode.Uri; naming: FileNaming };
  /** Stops before the next step (a sidebar run cancelled while the key box or the picker was open). */
  signal?: AbortSignal;
}

/** Settles the key, the folders and the endpoint before a paid call; nothing is sent to Segmind here. */
export async function prepareGeneration(
  deps: { settings: Settings; keys: ApiKeyStore },
  options: PrepareOptions,
): Promise<Preparation> {
  const fail = (failure: IdeogramError): Preparation => ({ ok: false, failure });
  const cancelled = () => options.signal?.aborted === true;
  const endpoint = deps.settings.apiEndpoint();
  const checked = validateEndpoint(endpoint);
  if (!checked.ok) return fail(checked.error);
  const apiKey = options.askForKey ? await deps.keys.require() : await deps.keys.get();
  if (cancelled()) return fail(new IdeogramError({ kind: 'cancelled', reason: 'before-submit' }));
  if (!apiKey) return fail(new IdeogramError({ kind: 'missing-api-key' }));
  const workspaceFolder = options.beside
    ? vscode.workspace.getWorkspaceFolder(options.beside.file)
    : options.folder === 'ask'
      ? await chooseWorkspaceFolder(options.document)
      : documentFolder(options.document);
  if (cancelled()) return fail(new IdeogramError({ kind: 'cancelled', reason: 'before-submit' }));
  if (!workspaceFolder) {
    const open = vscode.workspace.workspaceFolders?.length ?? 0;
    return fail(new IdeogramError({ kind: 'no-folder', reason: open > 0 ? 'choose-folder' : undefined }));
  }
  try {
    const target: AssetsTarget = options.beside
      ? {
          workspaceFolder,
          folder: vscode.Uri.joinPath(options.beside.file, '..'),
          naming: options.beside.naming,
        }
      : assetsTarget(deps.settings, workspaceFolder, options.document);
    // A folder that leads out of the workspace through a link is refused before anything is billed.
    await checkFolderInsideWorkspace(target.folder);
    return { ok: true, prepared: { apiKey, endpoint, target } as PreparedGeneration };
  } catch (error) {
    return fail(asIdeogramError(error));
  }
}

/** The document's workspace folder, else the first one; undefined for a document outside the workspace. */
function documentFolder(document: vscode.TextDocument | undefined): vscode.WorkspaceFolder | undefined {
  return document ? vscode.workspace.getWorkspaceFolder(document.uri) : vscode.workspace.workspaceFolders?.[0];
}
