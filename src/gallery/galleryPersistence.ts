// Where the gallery document is kept: gallery.json in the workspace storage (atomic replace, damage kept aside)
// or the workspace Memento. The gallery service (gallery.ts) reads and writes only through `GalleryPersistence`.
import { createHash, randomBytes } from 'crypto';
import { promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { STATE_KEY } from '../common/ids';
import { errorText } from '../common/errorMessages';
import { isNotFound } from '../common/boundedFiles';
import { GALLERY_FORMAT, GALLERY_VERSION, isFullyUnderstood, salvageGalleryEntries } from '../core/galleryStore';

/** What was read: the stored document, and what went wrong if the file was damaged. */
export interface StoredGallery {
  document: unknown;
  /** The file did not parse: what could be salvaged is in `document`, the file itself was kept as `keptAs`. */
  damage?: { reason: string; keptAs: string; salvaged: number };
}

/** Where the gallery document lives. Injected so the host can pick a file or a Memento. */
export interface GalleryPersistence {
  /** Rejects when the gallery exists but cannot be read (then nothing may be written over it). */
  read(): Promise<StoredGallery>;
  write(document: unknown): Promise<void>;
}

/**
 * `gallery.json` in the workspace's storage folder: one document per workspace. A write goes to a temporary file
 * (flushed to disk) that then replaces the old one in one atomic rename, so a crash or a reader never finds half
 * a gallery or none. A file that does not parse is kept beside it, and what parses of it is salvaged.
 */
export function fileGalleryPersistence(storageUri: vscode.Uri): GalleryPersistence {
  const file = vscode.Uri.joinPath(storageUri, 'gallery.json');
  return {
    async read() {
      if (storageUri.scheme === 'file') await removeStaleTemporaries(storageUri.fsPath);
      let bytes: Uint8Array;
      try {
        bytes = await vscode.workspace.fs.readFile(file);
      } catch (error) {
        if (isNotFound(error)) return { document: undefined }; // no gallery yet
        throw error;
      }
      const text = new TextDecoder().decode(bytes);
      try {
        const document = JSON.parse(text) as unknown;
        if (!isFullyUnderstood(document)) {
          // A newer format, another shape, entries this version cannot read: kept whole before anything is written
          // (named after its content, so the same file is kept once however often it is read).
          const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
          await vscode.workspace.fs
            .copy(file, vscode.Uri.joinPath(storageUri, `gallery.kept-${digest}.json`), { overwrite: false })
            .then(undefined, (error: unknown) => {
              if (!isFileExists(error)) throw error;
            });
        }
        return { document };
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        const keptAs = vscode.Uri.joinPath(
          storageUri,
          `gallery.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
        );
        await vscode.workspace.fs.copy(file, keptAs, { overwrite: false });
        const entries = salvageGalleryEntries(text);
        return {
          document: { format: GALLERY_FORMAT, version: GALLERY_VERSION, entries },
          damage: {
            reason: errorText(error),
            keptAs: keptAs.scheme === 'file' ? keptAs.fsPath : keptAs.toString(true),
            salvaged: entries.length,
          },
        };
      }
    },
    async write(document) {
      const bytes = new TextEncoder().encode(JSON.stringify(document));
      if (storageUri.scheme === 'file') {
        await replaceFileAtomically(file.fsPath, bytes);
        return;
      }
      // Other file systems: the best workspace.fs offers (a rename that may delete the target first).
      const temporary = vscode.Uri.joinPath(storageUri, `gallery.json.${randomBytes(6).toString('hex')}.partial`);
      await vscode.workspace.fs.createDirectory(storageUri);
      await vscode.workspace.fs.writeFile(temporary, bytes);
      await vscode.workspace.fs.rename(temporary, file, { overwrite: true });
    },
  };
}

/**
 * Replaces `target` with `bytes` so that at every moment it is either the old file or the new one: Node's rename
 * replaces atomically (POSIX rename(2), Windows MoveFileEx with REPLACE_EXISTING), where workspace.fs's rename
 * with `overwrite` deletes the target first and leaves a moment with no file at all.
 */
async function replaceFileAtomically(target: string, bytes: Uint8Array): Promise<void> {
  await nodeFs.mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${randomBytes(6).toString('hex')}.partial`;
  const handle = await nodeFs.open(temporary, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.datasync(); // the new content is on disk before it takes the name
  } finally {
    await handle.close();
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await nodeFs.rename(temporary, target);
        return;
      } catch (error) {
        // Windows refuses to replace a file another process is reading for a moment.
        const code = (error as NodeJS.ErrnoException).code;
        if (attempt >= 10 || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
      }
    }
  } catch (error) {
    await nodeFs.unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** The fallback without a workspace storage folder (no folder open): the workspace Memento. */
export function mementoGalleryPersistence(memento: vscode.Memento): GalleryPersistence {
  const key = STATE_KEY.gallery;
  return {
    read: async () => ({ document: memento.get<unknown>(key) }),
    write: async (document) => memento.update(key, document),
  };
}

/** Temporary gallery files a crash left in the middle of a replace (`gallery.json.<hex>.partial`), once old. */
async function removeStaleTemporaries(folder: string): Promise<void> {
  const names = await nodeFs.readdir(folder).catch(() => [] as string[]);
  const before = Date.now() - 10 * 60_000;
  for (const name of names.filter((candidate) => /^gallery\.json\.[0-9a-f]+\.partial$/.test(candidate))) {
    const file = path.join(folder, name);
    const stat = await nodeFs.stat(file).catch(() => undefined);
    if (stat && stat.mtimeMs < before) await nodeFs.unlink(file).catch(() => undefined);
  }
}

function isFileExists(error: unknown): boolean {
  const code = error instanceof vscode.FileSystemError ? error.code : '';
  return code === 'FileExists' || /EEXIST|FileExists/.test(String(error));
}
