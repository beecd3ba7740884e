import * as vscode from 'vscode';
import { sidecarUri, writeNewFileIfAbsent } from '../links/imageFiles';
import { Disposable } from '../common/dispose';
import { errorText } from '../common/errorMessages';
import { GalleryStore, recipeSidecar, type GalleryEntry, type SearchPage } from '../core/galleryStore';
import type { GeneratedImage } from '../core/client';
import type { SourceLineage } from '../core/sourceLineage';
import type { Settings } from '../common/settings';
import { imageExists, parseUri, workspaceFileEvents, type FileEvents } from './imageChecks';
import { type GalleryPersistence } from './galleryPersistence';

/** A saved image as the gallery records it (what a generation hands over). */
export interface RecordedImage {
  uri: vscode.Uri;
  prompt: string;
  createdAt: Date;
  image: GeneratedImage;
  /** The workspace image an image action made it from. */
  source?: SourceLineage;
}

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
  #revision = 0;
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
    fileEvents: () => FileEvents = workspaceFileEvents,
  ) {
    super();
    this.#persistence = persistence;
    this.#log = log;
    this.#settings = settings;
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
    this.register(
      // A checkout away and back within one batch of the watcher (a delete, then a create of the same folder) comes
      // as a change of the folder: VS Code flattens the two. Nothing to do (and nothing scanned) while nothing is hidden.
      events.onDidChange((uri) => {
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

  /**
   * A generation just saved (src/generation calls it through its `GalleryRecorder` port): its entry, or undefined
   * when the gallery could not take it. Never rejects: the image is saved and paid for, and a gallery problem must
   * never make it look like a failure. `entryFor` waits for a recording in progress.
   */
  recordGeneration(saved: RecordedImage): Promise<GalleryEntry | undefined> {
    const key = saved.uri.toString();
    const recording = this.record(saved)
      .then(undefined, (error: unknown) => {
        this.#log.error(`Gallery: could not record ${saved.uri.toString(true)} (${errorText(error)})`);
        return undefined;
      })
      .finally(() => this.#recording.delete(key));
    this.#recording.set(key, recording);
    return recording;
  }

  /**
   * Counts the gallery's changes: a page that loaded while changes went by compares it with the revision its
   * gallery page came from (the size alone misses an image added and another removed meanwhile).
   */
  get revision(): number {
    return this.#revision;
  }

  #announce(change: GalleryChange): void {
    this.#revision++;
    this.#changed.fire(change);
  }

  /** Adds a saved generation and writes its recipe sidecar (unless `ideogram.writeRecipeSidecar` is off). */
  async record(saved: RecordedImage): Promise<GalleryEntry> {
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
    if (saved.source !== undefined) entry.source = saved.source;
    await this.load();
    const overflow = this.#store.add(entry);
    this.#announce(removal(overflow));
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
    this.#announce(removal(overflow));
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
      this.#announce(removal([removed]));
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
      this.#announce(removal([]));
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
    this.#announce(removal(hidden));
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
