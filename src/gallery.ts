import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { GalleryStore, recipeSidecar, sidecarFileName, type GalleryEntry, type SearchPage } from './core/galleryStore';
import type { GenerationService, SavedGeneration } from './generationService';

/** Where the gallery document lives. Injected so the host can pick a file or a Memento. */
export interface GalleryPersistence {
  read(): Promise<unknown>;
  write(document: unknown): Promise<void>;
}

/**
 * `gallery.json` in the workspace's storage folder: one document per workspace, written to a temporary file
 * and renamed so a crash never leaves half a gallery.
 */
export function fileGalleryPersistence(storageUri: vscode.Uri): GalleryPersistence {
  const file = vscode.Uri.joinPath(storageUri, 'gallery.json');
  const temporary = vscode.Uri.joinPath(storageUri, 'gallery.json.partial');
  return {
    async read() {
      let bytes: Uint8Array;
      try {
        bytes = await vscode.workspace.fs.readFile(file);
      } catch {
        return undefined; // no gallery yet
      }
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    },
    async write(document) {
      await vscode.workspace.fs.createDirectory(storageUri);
      await vscode.workspace.fs.writeFile(temporary, new TextEncoder().encode(JSON.stringify(document)));
      await vscode.workspace.fs.rename(temporary, file, { overwrite: true });
    },
  };
}

/** The fallback without a workspace storage folder (no folder open): the workspace Memento. */
export function mementoGalleryPersistence(memento: vscode.Memento): GalleryPersistence {
  const key = 'ideogram.gallery';
  return {
    read: async () => memento.get<unknown>(key),
    write: async (document) => memento.update(key, document),
  };
}

const sidecarSetting = z.catch(z.boolean(), true);

/**
 * Every image generated in this workspace (from the sidebar or the command palette) with its recipe.
 * Records each generation, writes the recipe sidecar next to the image, and drops entries whose file is gone.
 */
export class Gallery implements vscode.Disposable {
  readonly #changed = new vscode.EventEmitter<{ removedIds: string[] }>();
  /** Fires after entries were added or removed. */
  readonly onDidChange = this.#changed.event;
  readonly #subscriptions: vscode.Disposable[] = [];
  #store = new GalleryStore();
  #loaded: Promise<void> | undefined;
  #saving: Promise<void> | undefined;
  #saveAgain = false;
  /** Recordings in progress, by image URI, so a caller can wait for the entry of the image it just saved. */
  readonly #recording = new Map<string, Promise<GalleryEntry>>();

  constructor(
    private readonly persistence: GalleryPersistence,
    private readonly log: vscode.LogOutputChannel,
    service: GenerationService,
  ) {
    this.#subscriptions.push(
      this.#changed,
      service.onDidGenerate((saved) => {
        const key = saved.uri.toString();
        const recording = this.record(saved).finally(() => this.#recording.delete(key));
        this.#recording.set(key, recording);
      }),
    );
    // Images deleted outside the extension drop out. Folder deletes arrive as one event for the folder.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    this.#subscriptions.push(watcher, watcher.onDidDelete((uri) => { void this.#removeDeleted(uri); }));
  }

  /** Loads the stored gallery once; later calls wait for the same load. */
  load(): Promise<void> {
    this.#loaded ??= this.persistence.read().then(
      (raw) => {
        const { store, dropped } = GalleryStore.fromDocument(raw);
        // Generations recorded before the load finished are kept.
        for (const entry of this.#store.entries) store.add(entry);
        this.#store = store;
        if (dropped > 0) this.log.warn(`Gallery: ${dropped} stored entr${dropped === 1 ? 'y' : 'ies'} could not be read and were dropped`);
      },
      (error: unknown) => {
        this.log.warn(`Gallery: could not read the stored gallery (${error instanceof Error ? error.message : String(error)}); starting empty`);
      });
    return this.#loaded;
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
    return this.#store.folders().map((folder) => vscode.Uri.parse(folder, true));
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
    this.#store.add(entry);
    this.#changed.fire({ removedIds: [] });
    this.#save();
    await this.#writeSidecar(saved.uri, entry);
    return entry;
  }

  /**
   * Adds entries found in the workspace (a rebuild). Images already in the gallery are skipped, and no
   * sidecar is written: the recipe came from the file or its sidecar. Returns the entries added.
   */
  async restore(entries: readonly GalleryEntry[]): Promise<GalleryEntry[]> {
    await this.load();
    const added = entries.filter((entry) => !this.#store.findByUri(entry.imageUri));
    for (const entry of added) this.#store.add(entry);
    if (added.length === 0) return added;
    this.log.info(`Gallery: ${added.length} entr${added.length === 1 ? 'y' : 'ies'} restored from the workspace's images`);
    this.#changed.fire({ removedIds: [] });
    this.#save();
    return added;
  }

  async #writeSidecar(imageUri: vscode.Uri, entry: GalleryEntry): Promise<void> {
    const enabled = sidecarSetting.parse(vscode.workspace.getConfiguration('ideogram', imageUri).get('writeRecipeSidecar'));
    if (!enabled) return;
    const sidecar = sidecarUri(imageUri);
    try {
      await vscode.workspace.fs.writeFile(sidecar, new TextEncoder().encode(`${JSON.stringify(recipeSidecar(entry), null, 2)}\n`));
    } catch (error) {
      this.log.warn(`Could not write the recipe ${sidecar.toString(true)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A page of entries matching `query`, after dropping those of the page whose file is gone. */
  async query(query: string, offset: number, limit: number): Promise<SearchPage> {
    await this.load();
    const page = this.#store.search(query, offset, limit);
    const removed = await this.#store.removeMissing((entry) => fileExists(vscode.Uri.parse(entry.imageUri, true)), page.items);
    if (removed.length === 0) return page;
    this.#afterRemoval(removed);
    return this.#store.search(query, offset, limit);
  }

  /** Drops an entry if its file is gone (the webview could not load it). */
  async checkEntry(id: string): Promise<void> {
    const entry = this.#store.get(id);
    if (!entry) return;
    const removed = await this.#store.removeMissing((candidate) => fileExists(vscode.Uri.parse(candidate.imageUri, true)), [entry]);
    this.#afterRemoval(removed);
  }

  /** Forgets an entry (the caller deleted its file). */
  remove(id: string): GalleryEntry | undefined {
    const [removed] = this.#store.remove([id]);
    if (removed) this.#afterRemoval([removed]);
    return removed;
  }

  /**
   * A delete event names a file or a folder. Each entry under it is checked again: the event may arrive
   * after the folder was created anew with new images in it.
   */
  async #removeDeleted(uri: vscode.Uri): Promise<void> {
    await this.load();
    const candidates = this.#store.entriesUnder(uri.toString());
    if (candidates.length === 0) return;
    this.#afterRemoval(await this.#store.removeMissing((entry) => fileExists(vscode.Uri.parse(entry.imageUri, true)), candidates));
  }

  #afterRemoval(removed: readonly GalleryEntry[]): void {
    if (removed.length === 0) return;
    this.log.info(`Gallery: ${removed.length} entr${removed.length === 1 ? 'y' : 'ies'} removed (image deleted)`);
    this.#changed.fire({ removedIds: removed.map((entry) => entry.id) });
    this.#save();
  }

  /** Writes the document; changes made while a write runs are written once more afterwards. */
  #save(): void {
    if (this.#saving) {
      this.#saveAgain = true;
      return;
    }
    this.#saving = (async () => {
      do {
        this.#saveAgain = false;
        try {
          await this.persistence.write(this.#store.toDocument());
        } catch (error) {
          this.log.error(`Gallery: could not save (${error instanceof Error ? error.message : String(error)})`);
        }
      } while (this.#saveAgain);
      this.#saving = undefined;
    })();
  }

  /** Resolves when pending writes are done (tests, deactivation). */
  async flush(): Promise<void> {
    while (this.#saving) await this.#saving;
  }

  dispose(): void {
    for (const subscription of this.#subscriptions) subscription.dispose();
  }
}

export function sidecarUri(imageUri: vscode.Uri): vscode.Uri {
  const name = imageUri.path.slice(imageUri.path.lastIndexOf('/') + 1);
  return vscode.Uri.joinPath(imageUri, '..', sidecarFileName(name));
}

async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (error) {
    // Only "not found" means gone: a permission or network error must not cost the user their gallery.
    const code = error instanceof vscode.FileSystemError ? error.code : '';
    if (code === 'FileNotFound' || code === 'EntryNotFound' || /ENOENT|FileNotFound/.test(String(error))) return false;
    throw error;
  }
}
