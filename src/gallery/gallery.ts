import { createHash, randomBytes } from 'crypto';
import { promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { writeNewFileIfAbsent } from '../links/imageFiles';
import { Disposable } from '../common/dispose';
import { errorText } from '../common/errorMessages';
import {
  GALLERY_FORMAT,
  GALLERY_VERSION,
  GalleryStore,
  isFullyUnderstood,
  recipeSidecar,
  salvageGalleryEntries,
  sidecarFileName,
  type GalleryEntry,
  type SearchPage,
} from '../core/galleryStore';
import type { GenerationService, SavedGeneration } from '../generation/generationService';
import { STATE_KEY } from '../common/ids';
import type { Settings } from '../common/settings';
import { localFilePath } from './thumbnails';
import { baseName } from '../core/text';

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

/** Where the gallery hears of files created and deleted outside it: the workspace's watcher, or a test's events. */
export interface FileEvents extends vscode.Disposable {
  readonly onDidCreate: vscode.Event<vscode.Uri>;
  readonly onDidDelete: vscode.Event<vscode.Uri>;
}
const workspaceFileEvents = (): FileEvents => vscode.workspace.createFileSystemWatcher('**/*', false, true, false);

/** When hidden entries under a created folder are looked at again: its files may come after it (see #restoreCreated). */
const SETTLE_RECHECK_MS = [500, 2_000, 8_000];

/**
 * Every image generated in this workspace (from the sidebar or the command palette) with its recipe.
 * Records each generation and writes the recipe sidecar next to the image. Entries whose file is gone are hidden,
 * not forgotten (a `git checkout` takes images away and brings them back); only deleting an image from the
 * gallery forgets it.
 */
export class Gallery extends Disposable {
  readonly #changed = this.register(new vscode.EventEmitter<GalleryChange>());
  /** Fires after entries were added, hidden, shown again or removed. */
  readonly onDidChange = this.#changed.event;
  #store = new GalleryStore();
  #loaded: Promise<void> | undefined;
  #saving: Promise<void> | undefined;
  #saveAgain = false;
  /** The stored gallery exists but could not be read: it must not be overwritten (this session keeps memory only). */
  #writeBlocked = false;
  /** Recordings in progress, by image URI, so a caller can wait for the entry of the image it just saved. */
  readonly #recording = new Map<string, Promise<GalleryEntry | undefined>>();
  /** Created paths with hidden entries under them still missing, and the timer of their next look. */
  readonly #settling = new Map<string, ReturnType<typeof setTimeout>>();

  readonly #persistence: GalleryPersistence;
  readonly #log: vscode.LogOutputChannel;
  readonly #settings: Pick<Settings, 'writeRecipeSidecar'>;
  constructor(
    persistence: GalleryPersistence,
    log: vscode.LogOutputChannel,
    settings: Pick<Settings, 'writeRecipeSidecar'>,
    service: GenerationService,
    fileEvents: () => FileEvents = workspaceFileEvents,
  ) {
    super();
    this.#persistence = persistence;
    this.#log = log;
    this.#settings = settings;
    this.register(
      service.onDidGenerate((saved) => {
        const key = saved.uri.toString();
        const recording = this.record(saved)
          .then(undefined, (error: unknown) => {
            // The image is saved and paid for: a gallery problem must never make it look like a failure.
            this.#log.error(`Gallery: could not record ${saved.uri.toString(true)} (${errorText(error)})`);
            return undefined;
          })
          .finally(() => this.#recording.delete(key));
        this.#recording.set(key, recording);
      }),
    );
    // Images deleted outside the extension are hidden; created again (a checkout, an undo), they come back.
    // An event may name each file, or only the folder they were in: both count for every entry under it.
    const events = this.register(fileEvents());
    this.register(
      events.onDidDelete((uri) => {
        void this.#hideDeleted(uri);
      }),
    );
    this.register(
      events.onDidCreate((uri) => {
        void this.#restoreCreated(uri);
      }),
    );
  }

  /** Loads the stored gallery once; later calls wait for the same load, which never rejects. */
  load(): Promise<void> {
    this.#loaded ??= this.#persistence.read().then(
      (stored) => {
        try {
          const { store, dropped } = GalleryStore.fromDocument(stored.document);
          // Generations recorded before the load finished are kept.
          store.merge(this.#store);
          this.#store = store;
          if (dropped > 0)
            this.#log.warn(
              `Gallery: ${dropped} stored entr${dropped === 1 ? 'y' : 'ies'} could not be read; kept in the file as they are`,
            );
          if (stored.damage) this.#reportDamage(stored.damage);
        } catch (error) {
          this.#blockWrites(error);
        }
      },
      (error: unknown) => this.#blockWrites(error),
    );
    return this.#loaded;
  }

  #blockWrites(error: unknown): void {
    this.#writeBlocked = true;
    const reason = errorText(error);
    this.#log.error(
      `Gallery: could not read the stored gallery (${reason}); it is left untouched and this session's images are not added to it`,
    );
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The Ideogram gallery could not be read ({0}). It is left as it is; images you generate now are saved but not added to it until VS Code restarts.',
        reason,
      ),
    );
  }

  #reportDamage(damage: { reason: string; keptAs: string; salvaged: number }): void {
    this.#log.warn(
      `Gallery: the stored gallery did not parse (${damage.reason}); ${damage.salvaged} entries salvaged, the damaged file kept as ${damage.keptAs}`,
    );
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The Ideogram gallery file was damaged ({0}). {1} images were recovered; the damaged file is kept as {2}.',
        damage.reason,
        damage.salvaged,
        damage.keptAs,
      ),
    );
    this.#save(); // the salvaged gallery replaces the damaged one, which is kept
  }

  get size(): number {
    return this.#store.size;
  }

  get(id: string): GalleryEntry | undefined {
    return this.#store.get(id);
  }

  /** The entry of an image, waiting for it if the image is being recorded right now. */
  async entryFor(uri: vscode.Uri): Promise<GalleryEntry | undefined> {
    const key = uri.toString();
    const recording = this.#recording.get(key);
    if (recording) return recording;
    await this.load();
    return this.#store.findByUri(key);
  }

  /** The folders holding gallery images (the webview may load images from them). */
  folders(): vscode.Uri[] {
    const folders: vscode.Uri[] = [];
    for (const folder of this.#store.folders()) {
      const uri = parseUri(folder);
      if (uri) folders.push(uri);
    }
    return folders;
  }

  /** Adds a saved generation and writes its recipe sidecar (unless `ideogram.writeRecipeSidecar` is off). */
  async record(saved: SavedGeneration): Promise<GalleryEntry> {
    const { image } = saved;
    const entry: GalleryEntry = {
      id: globalThis.crypto.randomUUID(),
      imageUri: saved.uri.toString(),
      prompt: saved.prompt,
      request: image.request,
      createdAt: saved.createdAt.toISOString(),
    };
    if (image.seed !== undefined) entry.seed = image.seed;
    if (image.cost !== undefined) entry.cost = image.cost;
    if (image.revisedPrompt !== undefined) entry.revisedPrompt = image.revisedPrompt;
    await this.load();
    const overflow = this.#store.add(entry);
    this.#changed.fire(removal(overflow));
    this.#save();
    await this.#writeSidecar(saved.uri, entry);
    return entry;
  }

  /** The sidecar is written like the image: never over an existing file, never through a planted link. */
  /**
   * Adds entries found in the workspace (a rebuild). Images already in the gallery are skipped, and no
   * sidecar is written: the recipe came from the file or its sidecar. Returns the entries added.
   */
  async restore(entries: readonly GalleryEntry[]): Promise<GalleryEntry[]> {
    await this.load();
    const known = new Set(this.#store.entries.map((entry) => entry.imageUri));
    const added = entries.filter((entry) => !known.has(entry.imageUri));
    const overflow = added.flatMap((entry) => this.#store.add(entry));
    if (added.length === 0) return added;
    this.#log.info(
      `Gallery: ${added.length} entr${added.length === 1 ? 'y' : 'ies'} restored from the workspace's images`,
    );
    this.#changed.fire(removal(overflow));
    this.#save();
    return added;
  }

  async #writeSidecar(imageUri: vscode.Uri, entry: GalleryEntry): Promise<void> {
    if (!this.#settings.writeRecipeSidecar(imageUri)) return;
    const sidecar = sidecarUri(imageUri);
    try {
      const written = await writeNewFileIfAbsent(
        sidecar,
        new TextEncoder().encode(`${JSON.stringify(recipeSidecar(entry), null, 2)}\n`),
      );
      if (!written)
        this.#log.warn(
          `Did not write the recipe ${sidecar.toString(true)}: a file (or link) of that name is already there`,
        );
    } catch (error) {
      this.#log.warn(`Could not write the recipe ${sidecar.toString(true)}: ${errorText(error)}`);
    }
  }

  /** A page of entries matching `query`, after hiding those of the page whose file is gone. */
  async query(query: string, offset: number, limit: number): Promise<SearchPage> {
    await this.load();
    const page = this.#store.search(query, offset, limit);
    const hidden = await this.#store.hideMissing(imageExists, page.items);
    if (hidden.length === 0) return page;
    this.#afterHiding(hidden);
    return this.#store.search(query, offset, limit);
  }

  /** Hides an entry if its file is gone (the webview could not load it). */
  async checkEntry(id: string): Promise<void> {
    const entry = this.#store.get(id);
    if (!entry) return;
    this.#afterHiding(await this.#store.hideMissing(imageExists, [entry]));
  }

  /** Forgets an entry (the user deleted its image). */
  remove(id: string): GalleryEntry | undefined {
    const [removed] = this.#store.remove([id]);
    if (removed) {
      this.#log.info('Gallery: 1 entry removed (image deleted from the gallery)');
      this.#changed.fire(removal([removed]));
      this.#save();
    }
    return removed;
  }

  /**
   * A delete event names a file or a folder. Each entry under it is checked again: the event may arrive
   * after the folder was created anew with new images in it.
   */
  async #hideDeleted(uri: vscode.Uri): Promise<void> {
    await this.load();
    const candidates = this.#store.entriesUnder(uri.toString());
    if (candidates.length === 0) return;
    this.#afterHiding(await this.#store.hideMissing(imageExists, candidates));
  }

  /**
   * A create event (a file, or a folder restored by a checkout): hidden entries under it whose file is back return.
   * A checkout writes a folder's files after the folder, and the watcher may report the folder alone (its files'
   * own events coalesced away or never sent), so hidden entries still missing under a created path are looked at
   * again a few times while the checkout settles.
   */
  async #restoreCreated(uri: vscode.Uri, attempt = 0): Promise<void> {
    if (this.#store.hiddenCount === 0) return;
    const key = uri.toString();
    const candidates = this.#store.entriesUnder(key);
    if (candidates.length === 0) return;
    const back = await this.#store.restorePresent(imageExists, candidates);
    if (back.length > 0) {
      this.#log.info(`Gallery: ${back.length} entr${back.length === 1 ? 'y' : 'ies'} shown again (image back on disk)`);
      this.#changed.fire(removal([]));
    }
    const stillHidden = candidates.some((entry) => this.#store.isMissing(entry.id));
    if (!stillHidden || attempt >= SETTLE_RECHECK_MS.length || this.#settling.has(key) || this.isDisposed) return;
    const timer = setTimeout(() => {
      this.#settling.delete(key);
      void this.#restoreCreated(uri, attempt + 1);
    }, SETTLE_RECHECK_MS[attempt]);
    this.#settling.set(key, timer);
  }

  #afterHiding(hidden: readonly GalleryEntry[]): void {
    if (hidden.length === 0) return;
    this.#log.info(
      `Gallery: ${hidden.length} entr${hidden.length === 1 ? 'y' : 'ies'} hidden (image missing; kept, and shown again when the file is back)`,
    );
    this.#changed.fire(removal(hidden));
  }

  /** Writes the document; changes made while a write runs are written once more afterwards. */
  #save(): void {
    if (this.#writeBlocked) return;
    if (this.#saving) {
      this.#saveAgain = true;
      return;
    }
    this.#saving = (async () => {
      do {
        this.#saveAgain = false;
        try {
          await this.#persistence.write(this.#store.toDocument());
        } catch (error) {
          this.#log.error(`Gallery: could not save (${errorText(error)})`);
        }
      } while (this.#saveAgain);
      this.#saving = undefined;
    })();
  }

  /** Resolves when pending writes are done (tests, deactivation). */
  async flush(): Promise<void> {
    while (this.#saving) await this.#saving;
  }

  /** Stops listening once the pending writes are done: a write in flight at deactivation still lands. */
  override dispose(): void {
    for (const timer of this.#settling.values()) clearTimeout(timer);
    this.#settling.clear();
    void this.flush().finally(() => super.dispose());
  }
}

/** What changed: the entries that left the view (removed, pushed out by the size limit, or their file deleted). */
export interface GalleryChange {
  removedIds: string[];
  /** The image URIs of those entries (their thumbnails go with them). */
  removedUris: string[];
}

function removal(entries: readonly GalleryEntry[]): GalleryChange {
  return { removedIds: entries.map((entry) => entry.id), removedUris: entries.map((entry) => entry.imageUri) };
}

export function sidecarUri(imageUri: vscode.Uri): vscode.Uri {
  const name = baseName(imageUri);
  return vscode.Uri.joinPath(imageUri, '..', sidecarFileName(name));
}

/** What `moveImagesToTrash` did with the images it was given. */
export interface TrashOutcome<T> {
  /** Gone (an image already missing counts), with their recipes; the gallery forgot them. */
  removed: T[];
  /** Still there: not deleted permanently where the file system has no trash, or the delete failed. */
  kept: T[];
  /** How many of `removed` were deleted permanently, the user having agreed. */
  deletedPermanently: number;
  /** The user was asked to delete permanently and did not want to. */
  declined: boolean;
}

/**
 * Moves images and their recipe sidecars to the trash, after the caller's confirmation, and the gallery forgets
 * them. Where the file system has none (a remote or virtual workspace, code-server), asks once for all whether
 * to delete them permanently. The one way every delete goes: a button, Trash the Others, Find Unused Images.
 */
export async function moveImagesToTrash<T extends { uri: vscode.Uri; entryId?: string }>(
  images: readonly T[],
  gallery: Gallery,
  log: vscode.LogOutputChannel,
): Promise<TrashOutcome<T>> {
  const outcome: TrashOutcome<T> = { removed: [], kept: [], deletedPermanently: 0, declined: false };
  const forget = (image: T) => {
    if (image.entryId) gallery.remove(image.entryId);
    outcome.removed.push(image);
  };
  const remove = async (uri: vscode.Uri, useTrash: boolean) => {
    await vscode.workspace.fs.delete(uri, { useTrash });
    await vscode.workspace.fs.delete(sidecarUri(uri), { useTrash }).then(undefined, () => undefined);
  };
  const noTrash: T[] = [];
  for (const image of images) {
    try {
      await remove(image.uri, true);
      forget(image);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
        // gone meanwhile: its recipe goes too
        await vscode.workspace.fs.delete(sidecarUri(image.uri), { useTrash: true }).then(undefined, () => undefined);
        forget(image);
        continue;
      }
      log.warn(`Could not move ${image.uri.toString(true)} to the trash: ${errorText(error)}`);
      noTrash.push(image);
    }
  }
  if (noTrash.length === 0) return outcome;
  const deletePermanently = vscode.l10n.t('Delete Permanently');
  const again = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      '{0} could not be moved to the trash. Delete it permanently?',
      noTrash.map((image) => vscode.workspace.asRelativePath(image.uri)).join(', '),
    ),
    { modal: true },
    deletePermanently,
  );
  outcome.declined = again !== deletePermanently;
  for (const image of noTrash) {
    try {
      if (again !== deletePermanently) throw new Error('kept by the user');
      await remove(image.uri, false);
      forget(image);
      outcome.deletedPermanently += 1;
    } catch (error) {
      if (again === deletePermanently) log.warn(`Could not delete ${image.uri.toString(true)}: ${errorText(error)}`);
      outcome.kept.push(image);
    }
  }
  return outcome;
}

function parseUri(value: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(value, true);
  } catch {
    return undefined;
  }
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

function isNotFound(error: unknown): boolean {
  const code = error instanceof vscode.FileSystemError ? error.code : '';
  return code === 'FileNotFound' || code === 'EntryNotFound' || /ENOENT|FileNotFound/.test(String(error));
}

/** Whether an entry's image is on disk. Only "not found" means gone: a permission or network error keeps it shown. */
async function imageExists(entry: GalleryEntry): Promise<boolean> {
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
