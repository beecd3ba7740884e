import { randomBytes } from 'crypto';
import { promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { MAX_THUMBNAIL_BYTES } from '../core/thumbnailLimits';
import { errorText } from '../common/errorMessages';
import {
  checkThumbnail,
  imageKey,
  parseThumbnailFileName,
  thumbnailFileName,
  versionKey,
  type ImageIdentity,
} from '../core/thumbnails';

/**
 * The gallery's thumbnails, in the extension's global storage (`thumbnails/`): one small image per version of a
 * gallery image, made once by the webview from the full image it had to show (media/thumbnailMaker.ts), checked
 * here (core/thumbnails.ts) and named after the image's URI, size and modification time, so an edited image gets a
 * new one and the old one is deleted. Nothing is written anywhere else; files in the folder that are not ours by
 * name, are links, are too large or do not decode as a small image are never offered to the webview (a tile then
 * shows the full image, and a new thumbnail replaces the bad one).
 *
 * Needs the storage on a local disk (`file:`, as durable jobs do): elsewhere there are no thumbnails and the
 * gallery shows full images, as before.
 */
export class Thumbnails {
  readonly folder: vscode.Uri;
  readonly #enabled: boolean;
  /** Image key → the file name of its current thumbnail; read from the folder once. */
  #index: Promise<Map<string, string>> | undefined;
  /**
   * Thumbnails read and checked in this session, with the size and modification time they had: a file is read
   * once, and again only if it changed since (replaced by something else).
   */
  readonly #verified = new Map<string, string>();

  readonly #log: vscode.LogOutputChannel;
  constructor(globalStorageUri: vscode.Uri, log: vscode.LogOutputChannel) {
    this.#log = log;
    this.folder = vscode.Uri.joinPath(globalStorageUri, 'thumbnails');
    this.#enabled = globalStorageUri.scheme === 'file';
    if (!this.#enabled)
      log.info(
        `Gallery: no thumbnails (the extension's storage, ${globalStorageUri.scheme}:, is not on a local disk); tiles show the full images`,
      );
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  #loadIndex(): Promise<Map<string, string>> {
    this.#index ??= (async () => {
      const index = new Map<string, string>();
      let entries: import('fs').Dirent[];
      try {
        entries = await nodeFs.readdir(this.folder.fsPath, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          this.#log.warn(`Gallery: could not read the thumbnails folder (${errorText(error)})`);
        return index;
      }
      for (const entry of entries) {
        const parsed = entry.isFile() ? parseThumbnailFileName(entry.name) : undefined;
        if (parsed) index.set(parsed.imageKey, entry.name);
      }
      return index;
    })();
    return this.#index;
  }

  /**
   * The stored thumbnail of the image as it is now, or undefined (none yet, the image changed, or the stored one
   * is not fit to show). A thumbnail of an earlier version of the image is deleted.
   */
  async thumbnailOf(imageUri: string): Promise<vscode.Uri | undefined> {
    if (!this.#enabled) return undefined;
    const index = await this.#loadIndex();
    const key = imageKey(imageUri);
    const name = index.get(key);
    if (!name) return undefined;
    const identity = await imageIdentity(imageUri);
    if (!identity) return undefined;
    if (parseThumbnailFileName(name)?.versionKey !== versionKey(identity)) {
      await this.#delete(key, name); // the image was edited (or replaced): its old thumbnail goes
      return undefined;
    }
    const file = path.join(this.folder.fsPath, name);
    if (!(await this.#fitToShow(file, name))) return undefined;
    return vscode.Uri.file(file);
  }

  /** A regular file (not a link) of at most MAX_THUMBNAIL_BYTES, that checked as a small image when first read. */
  async #fitToShow(file: string, name: string): Promise<boolean> {
    try {
      const stat = await nodeFs.lstat(file);
      if (!stat.isFile() || !checkSize(stat.size)) return false;
      const version = `${stat.size}:${stat.mtimeMs}`;
      if (this.#verified.get(name) === version) return true;
      const check = checkThumbnail(new Uint8Array(await nodeFs.readFile(file)));
      if (!check.ok) {
        this.#log.warn(`Gallery: the thumbnail ${name} is not used (${check.reason}); the full image is shown`);
        return false;
      }
      this.#verified.set(name, version);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Stores the thumbnail the webview made of an image (replacing any earlier one of that image). Returns why
   * it was refused, or undefined when stored.
   */
  async store(imageUri: string, bytes: Uint8Array): Promise<string | undefined> {
    if (!this.#enabled) return 'thumbnails are off';
    const check = checkThumbnail(bytes);
    if (!check.ok) return check.reason;
    const identity = await imageIdentity(imageUri);
    if (!identity) return 'the image is not on a local disk, or gone';
    const index = await this.#loadIndex();
    const key = imageKey(imageUri);
    const name = thumbnailFileName(identity, check.format);
    const previous = index.get(key);
    await nodeFs.mkdir(this.folder.fsPath, { recursive: true });
    const target = path.join(this.folder.fsPath, name);
    // A temporary name that is never read as a thumbnail, then one atomic rename over any (bad) file of that name.
    const temporary = path.join(this.folder.fsPath, `.${name}.${randomBytes(6).toString('hex')}.partial`);
    try {
      await nodeFs.writeFile(temporary, bytes, { flag: 'wx' });
      await nodeFs.rename(temporary, target);
    } catch (error) {
      await nodeFs.unlink(temporary).catch(() => undefined);
      throw error;
    }
    index.set(key, name);
    if (previous && previous !== name) await this.#removeFile(previous);
    return undefined;
  }

  /** Deletes the thumbnails of these images (their entries left the gallery, or their files were deleted). */
  async deleteFor(imageUris: readonly string[]): Promise<void> {
    if (!this.#enabled || imageUris.length === 0) return;
    const index = await this.#loadIndex();
    let deleted = 0;
    for (const imageUri of imageUris) {
      const key = imageKey(imageUri);
      const name = index.get(key);
      if (!name) continue;
      await this.#delete(key, name);
      deleted++;
    }
    if (deleted > 0)
      this.#log.info(
        `Gallery: ${deleted} thumbnail${deleted === 1 ? '' : 's'} deleted with ${deleted === 1 ? 'its image' : 'their images'}`,
      );
  }

  async #delete(key: string, name: string): Promise<void> {
    const index = await this.#loadIndex();
    if (index.get(key) === name) index.delete(key);
    await this.#removeFile(name);
  }

  /** Only names of our own pattern, only inside the folder (`name` never holds a separator: see the pattern). */
  async #removeFile(name: string): Promise<void> {
    if (!parseThumbnailFileName(name)) return;
    this.#verified.delete(name);
    await nodeFs.unlink(path.join(this.folder.fsPath, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT')
        this.#log.warn(`Gallery: could not delete the thumbnail ${name} (${errorText(error)})`);
    });
  }
}

function checkSize(size: number): boolean {
  return size > 0 && size <= MAX_THUMBNAIL_BYTES;
}

/**
 * The path of a URI on this machine's disk, when Node's `fs` may read it: a `file:` URI, or in a remote extension
 * host (Remote-SSH, WSL, code-server…) a `vscode-remote:` URI of the workspace's own remote, whose files are on the
 * machine this extension host runs on. Undefined for anything else (virtual file systems go through workspace.fs).
 */
export function localFilePath(uri: vscode.Uri): string | undefined {
  if (uri.scheme === 'file') return uri.fsPath;
  if (uri.scheme !== 'vscode-remote' || vscode.env.remoteName === undefined) return undefined;
  const remote = vscode.workspace.workspaceFolders?.some(
    (folder) => folder.uri.scheme === 'vscode-remote' && folder.uri.authority === uri.authority,
  );
  return remote ? uri.fsPath : undefined;
}

/** The image's size and modification time, from Node's `fs` (only images on this machine's disk have thumbnails). */
async function imageIdentity(imageUri: string): Promise<ImageIdentity | undefined> {
  let file: string | undefined;
  try {
    file = localFilePath(vscode.Uri.parse(imageUri, true));
  } catch {
    return undefined;
  }
  if (!file) return undefined;
  try {
    const stat = await nodeFs.stat(file);
    return stat.isFile() ? { imageUri, size: stat.size, mtime: stat.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}
