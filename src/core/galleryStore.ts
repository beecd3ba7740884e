// The gallery of past generations as plain data: newest first, searchable, paged, and stored as one JSON
// document. No `vscode` here: the host adapts storage and file checks (src/gallery/gallery.ts).
import * as z from 'zod/mini';
import { generationRequestSchema, type GenerationRequest } from './request';
import { sourceLineageSchema, type SourceLineage } from './sourceLineage';
import { withoutUndefined } from './text';
import { GENERATOR_NAME, type ImageRecipe } from './recipeMetadata';

/** One generated image and its full recipe. */
export interface GalleryEntry {
  /** Stable id, unique within the gallery. */
  id: string;
  /** Absolute URI of the image file (`file:///…`, `vscode-remote://…`). */
  imageUri: string;
  prompt: string;
  /** The request as sent: every option, defaults filled in. */
  request: GenerationRequest;
  /** The seed actually used (the API's answer), when known. */
  seed?: number;
  /** ISO 8601 time of the generation. */
  createdAt: string;
  /** Credits the image cost, when the API said. */
  cost?: number;
  /** The prompt after Magic Prompt, when the API said. */
  revisedPrompt?: string;
  /**
   * Taken in from a recipe found in the workspace (Rebuild Gallery), not generated here: anyone can write a
   * recipe, so such an image is not offered for deletion by default.
   */
  adopted?: true;
  /** The workspace image it was made from by an image action (remix, reframe, …); none for a prompt's image. */
  source?: SourceLineage;
}

export const GALLERY_FORMAT = 'ideogram-gallery';
export const GALLERY_VERSION = 1;
/** Beyond this the oldest entries leave the gallery (their files stay on disk). A year of a team's images. */
export const DEFAULT_MAX_ENTRIES = 10_000;
/** Stored entries this version cannot read are kept as they are (written back), up to this many. */
const MAX_KEPT_UNREADABLE = 1000;

/** What is written to disk: a tagged, versioned document, newest entry first. */
export interface GalleryDocument {
  format: typeof GALLERY_FORMAT;
  version: typeof GALLERY_VERSION;
  entries: GalleryEntry[];
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

const entrySchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(100)),
  // An absolute URI with a scheme: `vscode.Uri.parse(…, true)` would throw on anything else.
  imageUri: z.string().check(z.minLength(1), z.maxLength(4096), z.regex(SCHEME)),
  prompt: z.string().check(z.maxLength(20_000)),
  request: generationRequestSchema,
  seed: z.optional(z.number()),
  createdAt: z.iso.datetime({ offset: true }),
  cost: z.optional(z.number()),
  revisedPrompt: z.optional(z.string()),
  adopted: z.optional(z.literal(true)),
  source: z.optional(sourceLineageSchema),
});

const documentSchema = z.object({
  format: z.literal(GALLERY_FORMAT),
  version: z.number(),
  entries: z.array(z.unknown()),
});

/**
 * The cheap check of a stored entry, made for every entry when the gallery loads (10,000 of them within the
 * first command's reach): the fields the store itself reads (id, image URI, prompt, date) and a request with a
 * prompt. The full schema (the model's options) is checked when the entry is used (`GalleryStore#get`, a search
 * page), where an entry that fails it is set aside like one that fails this (kept, written back unchanged).
 */
function looksLikeEntry(raw: unknown): raw is GalleryEntry {
  return shapedEntryTime(raw) !== undefined;
}

/** The entry's time (ms) when it passes the cheap check (`looksLikeEntry`), else undefined. */
function shapedEntryTime(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const entry = raw as Record<string, unknown>;
  const request = entry.request as Record<string, unknown> | null | undefined;
  const time = typeof entry.createdAt === 'string' ? Date.parse(entry.createdAt) : NaN;
  const shaped =
    typeof entry.id === 'string' &&
    entry.id.length >= 1 &&
    entry.id.length <= 100 &&
    typeof entry.imageUri === 'string' &&
    entry.imageUri.length <= 4096 &&
    SCHEME.test(entry.imageUri) &&
    typeof entry.prompt === 'string' &&
    entry.prompt.length <= 20_000 &&
    Number.isFinite(time) &&
    typeof request === 'object' &&
    request !== null &&
    typeof request.prompt === 'string' &&
    request.prompt.trim().length > 0;
  return shaped ? time : undefined;
}

/**
 * Whether this version understands a stored gallery document: its shape, its version and each entry's shape
 * (the cheap check: the full one comes when an entry is used, and an entry that fails it then is written back as
 * it was). Anything less is kept whole (a copy of the file) before the first write replaces it.
 */
export function isFullyUnderstood(raw: unknown): boolean {
  if (raw === undefined || raw === null) return true; // no gallery yet
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success || parsed.data.version !== GALLERY_VERSION) return false;
  const keys = Object.keys(raw as object);
  return (
    keys.every((key) => key === 'format' || key === 'version' || key === 'entries') &&
    parsed.data.entries.every(looksLikeEntry)
  );
}

export interface SearchPage {
  /** How many entries match the query in all. */
  total: number;
  /** The entries of the page, newest first. */
  items: GalleryEntry[];
}

/** Lower-case, accents removed, whitespace collapsed: "Café  AU lait" → "cafe au lait". */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The file name of an image URI, decoded; as written when it holds a bad `%` escape (it must never throw). */
function fileNameOf(uri: string): string {
  const path = uri.split(/[?#]/)[0] ?? '';
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The folder of an image URI, as a URI string: `file:///w/assets/a.jpg` → `file:///w/assets`. */
export function folderOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

/**
 * The past generations, newest first. Operations are synchronous and pure; `hideMissing` and `restorePresent`
 * take the file check as a callback so the host decides what "exists" means (workspace.fs.stat).
 *
 * An entry whose file is gone is hidden, not forgotten: `git checkout` of a branch without the images removes the
 * files for a while, and the history must come back with them. Only `remove` (the user deleting the image) and
 * the size limit forget an entry.
 */
export class GalleryStore {
  #entries: GalleryEntry[] = [];
  /** The ids of `#entries`. */
  readonly #ids = new Set<string>();
  /** Each entry's normalised prompt and file name, made when a search first needs it. */
  readonly #searchText = new Map<string, string>();
  /** Ids of entries whose file was missing when last checked: left out of `search` and `size`. */
  readonly #missing = new Set<string>();
  /** Stored entries not yet checked against the full schema (only their shape was, when loaded). */
  readonly #unchecked = new Set<GalleryEntry>();
  /** Stored entries that did not parse, written back unchanged so a damaged entry or a newer format is never lost. */
  #unreadable: unknown[] = [];
  /** Stored entries set aside when used (they failed the full schema), since the store was loaded. */
  #setAsideOnUse = 0;

  constructor(
    entries: readonly GalleryEntry[] = [],
    readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {
    for (const entry of entries) this.add(entry);
  }

  /**
   * Reads a stored document. Entries that do not parse are set aside one by one (counted in `dropped`, kept in
   * the document) so one damaged entry never costs the whole gallery; anything that is not a gallery document
   * gives an empty one. Only each entry's shape is checked here (a gallery of 10,000 loads in tens of
   * milliseconds, not most of a second); the full schema when it is used.
   */
  static fromDocument(raw: unknown, maxEntries = DEFAULT_MAX_ENTRIES): { store: GalleryStore; dropped: number } {
    const parsed = documentSchema.safeParse(raw);
    if (!parsed.success)
      return { store: new GalleryStore([], maxEntries), dropped: raw === undefined || raw === null ? 0 : 1 };
    const store = new GalleryStore([], maxEntries);
    let dropped = 0;
    const accepted: GalleryEntry[] = [];
    let inOrder = true;
    let previousTime = Infinity;
    for (const candidate of parsed.data.entries) {
      const time = shapedEntryTime(candidate);
      if (time !== undefined) {
        accepted.push(candidate as GalleryEntry);
        inOrder &&= time <= previousTime;
        previousTime = time;
      } else {
        dropped++;
        if (store.#unreadable.length < MAX_KEPT_UNREADABLE) store.#unreadable.push(candidate);
      }
    }
    // As written (newest first, each id once) the entries are taken as they are; anything else goes through `add`.
    const ids = new Set(accepted.map((entry) => entry.id));
    if (inOrder && ids.size === accepted.length) {
      store.#entries = accepted.slice(0, maxEntries);
      for (const entry of store.#entries) {
        store.#ids.add(entry.id);
        store.#unchecked.add(entry);
      }
    } else {
      for (const entry of accepted) {
        store.add(entry);
        store.#unchecked.add(entry);
      }
    }
    return { store, dropped };
  }

  /** How many stored entries failed the full schema when they were used (set aside, written back unchanged). */
  get setAsideOnUse(): number {
    return this.#setAsideOnUse;
  }

  /**
   * The entry as the full schema reads it (defaults of older files filled in), checked once; an entry that fails
   * leaves the gallery and is kept as it was for the document.
   */
  #checked(entry: GalleryEntry): GalleryEntry | undefined {
    if (!this.#unchecked.has(entry)) return entry;
    this.#unchecked.delete(entry);
    const parsed = entrySchema.safeParse(entry);
    const index = this.#entries.indexOf(entry);
    if (!parsed.success) {
      this.#setAsideOnUse++;
      this.#forget(entry.id);
      if (index >= 0) this.#entries.splice(index, 1);
      if (this.#unreadable.length < MAX_KEPT_UNREADABLE) this.#unreadable.push(entry);
      return undefined;
    }
    const full = withoutUndefined(parsed.data) as GalleryEntry;
    if (index >= 0) this.#entries[index] = full;
    return full;
  }

  #forget(id: string): void {
    this.#ids.delete(id);
    this.#searchText.delete(id);
    this.#missing.delete(id);
  }

  #searchTextOf(entry: GalleryEntry): string {
    let text = this.#searchText.get(entry.id);
    if (text === undefined) {
      text = normalizeForSearch(`${entry.prompt} ${fileNameOf(entry.imageUri)}`);
      this.#searchText.set(entry.id, text);
    }
    return text;
  }

  /** Adds the entries (and kept unreadable ones) of another store, e.g. generations recorded while it loaded. */
  merge(other: GalleryStore): void {
    for (const entry of other.entries) {
      this.add(entry);
      if (other.#unchecked.has(entry)) this.#unchecked.add(entry);
    }
    for (const id of other.#missing) if (this.#ids.has(id)) this.#missing.add(id);
    this.#unreadable = [...this.#unreadable, ...other.#unreadable].slice(0, MAX_KEPT_UNREADABLE);
  }

  toDocument(): GalleryDocument {
    const entries: unknown[] = this.#entries.map((entry) => ({ ...entry }));
    return {
      format: GALLERY_FORMAT,
      version: GALLERY_VERSION,
      entries: [...entries, ...this.#unreadable] as GalleryEntry[],
    };
  }

  /** How many entries are shown: those whose file is not known to be missing. */
  get size(): number {
    return this.#entries.length - this.#missing.size;
  }

  /** How many entries are hidden because their file is missing. */
  get hiddenCount(): number {
    return this.#missing.size;
  }

  isMissing(id: string): boolean {
    return this.#missing.has(id);
  }

  /** All entries (hidden ones included), newest first. */
  get entries(): readonly GalleryEntry[] {
    return this.#entries;
  }

  get(id: string): GalleryEntry | undefined {
    const entry = this.#entries.find((candidate) => candidate.id === id);
    return entry && this.#checked(entry);
  }

  findByUri(imageUri: string): GalleryEntry | undefined {
    const entry = this.#entries.find((candidate) => candidate.imageUri === imageUri);
    return entry && this.#checked(entry);
  }

  /** Adds (or replaces, by id) an entry in date order. Returns the entries pushed out by the size limit. */
  add(entry: GalleryEntry): GalleryEntry[] {
    if (this.#ids.has(entry.id)) this.remove([entry.id]);
    const time = Date.parse(entry.createdAt);
    // Usually the newest: a binary search keeps loading 1,000 entries linear-ish anyway.
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (Date.parse(this.#entries[middle].createdAt) > time) low = middle + 1;
      else high = middle;
    }
    this.#entries.splice(low, 0, entry);
    this.#ids.add(entry.id);
    this.#searchText.delete(entry.id);
    this.#missing.delete(entry.id);
    const overflow = this.#entries.length > this.maxEntries ? this.#entries.splice(this.maxEntries) : [];
    for (const gone of overflow) {
      this.#forget(gone.id);
      this.#unchecked.delete(gone);
    }
    return overflow;
  }

  /** Removes entries by id; returns those that were there. */
  remove(ids: Iterable<string>): GalleryEntry[] {
    const wanted = new Set(ids);
    if (wanted.size === 0) return [];
    const removed: GalleryEntry[] = [];
    this.#entries = this.#entries.filter((entry) => {
      if (!wanted.has(entry.id)) return true;
      removed.push(entry);
      this.#forget(entry.id);
      this.#unchecked.delete(entry);
      return false;
    });
    return removed;
  }

  /** The entry of a file, or every entry under a folder (for a delete event, which may name either). */
  entriesUnder(uri: string): GalleryEntry[] {
    const folder = uri.endsWith('/') ? uri : `${uri}/`;
    return this.#entries.filter((entry) => entry.imageUri === uri || entry.imageUri.startsWith(folder));
  }

  /**
   * Entries whose prompt (or file name) contains every word of `query`, newest first, from `offset`.
   * An empty query matches everything.
   */
  search(query: string, offset = 0, limit = 60): SearchPage {
    const words = normalizeForSearch(query).split(' ').filter(Boolean);
    for (;;) {
      const shown =
        this.#missing.size === 0 ? this.#entries : this.#entries.filter((entry) => !this.#missing.has(entry.id));
      const matching =
        words.length === 0
          ? shown
          : shown.filter((entry) => {
              const text = this.#searchTextOf(entry);
              return words.every((word) => text.includes(word));
            });
      const start = Math.max(0, Math.floor(offset));
      const page = matching.slice(start, start + Math.max(0, Math.floor(limit)));
      // The page's entries are used (shown, acted on): checked in full. One that fails leaves, and the page is
      // made again without it.
      const items = page.map((entry) => this.#checked(entry));
      if (items.every((entry) => entry !== undefined))
        return { total: matching.length, items: items as GalleryEntry[] };
    }
  }

  /**
   * Checks `candidates` (default: all shown) with `exists` and hides those whose file is gone; returns them.
   * A check that fails (a permission or network error) is not a deletion: the entry stays.
   */
  async hideMissing(
    exists: (entry: GalleryEntry) => Promise<boolean>,
    candidates: readonly GalleryEntry[] = this.#entries,
  ): Promise<GalleryEntry[]> {
    const shown = candidates.filter((entry) => this.#ids.has(entry.id) && !this.#missing.has(entry.id));
    const checks = await Promise.all(
      shown.map(async (entry) => ({ entry, present: await exists(entry).catch(() => true) })),
    );
    const hidden = checks
      .filter((check) => !check.present && this.#ids.has(check.entry.id))
      .map((check) => check.entry);
    for (const entry of hidden) this.#missing.add(entry.id);
    return hidden;
  }

  /** Checks hidden entries among `candidates` (default: all hidden) and shows again those whose file is back. */
  async restorePresent(
    exists: (entry: GalleryEntry) => Promise<boolean>,
    candidates: readonly GalleryEntry[] = this.#entries,
  ): Promise<GalleryEntry[]> {
    const hidden = candidates.filter((entry) => this.#missing.has(entry.id));
    const checks = await Promise.all(
      hidden.map(async (entry) => ({ entry, present: await exists(entry).catch(() => false) })),
    );
    const back = checks
      .filter((check) => check.present && this.#missing.has(check.entry.id))
      .map((check) => check.entry);
    for (const entry of back) this.#missing.delete(entry.id);
    return back;
  }

  /** The distinct folders holding images, for the webview's resource roots. */
  folders(): string[] {
    return [...new Set(this.#entries.map((entry) => folderOf(entry.imageUri)))];
  }
}

/**
 * What can be read of a gallery file that does not parse (cut off by a crash or a full disk): every complete
 * `{…}` object of its `entries` array, in order. Each still goes through `GalleryStore.fromDocument`.
 */
export function salvageGalleryEntries(text: string): unknown[] {
  const start = /"entries"\s*:\s*\[/.exec(text);
  if (!start) return [];
  const salvaged: unknown[] = [];
  let depth = 0;
  let objectStart = -1;
  let inString = false;
  for (let index = start.index + start[0].length; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{') {
      if (depth === 0) objectStart = index;
      depth++;
    } else if (char === '}') {
      depth--;
      if (depth === 0 && objectStart >= 0) {
        try {
          salvaged.push(JSON.parse(text.slice(objectStart, index + 1)));
        } catch {
          // a damaged object: skip it, keep scanning
        }
        objectStart = -1;
      }
      if (depth < 0) break;
    } else if (char === ']' && depth === 0) break;
  }
  return salvaged;
}

/** How a recipe sidecar's file name ends. */
export const SIDECAR_SUFFIX = '.ideogram.json';

/** The sidecar next to an image: `sunset-….jpg` → `sunset-….ideogram.json`. */
export function sidecarFileName(imageFileName: string): string {
  const dot = imageFileName.lastIndexOf('.');
  return `${dot > 0 ? imageFileName.slice(0, dot) : imageFileName}${SIDECAR_SUFFIX}`;
}

/** What the sidecar holds: enough to reproduce the image with the same API, and nothing secret. */
export interface RecipeSidecar {
  generator: 'ideogram-vscode';
  version: 1;
  image: string;
  createdAt: string;
  prompt: string;
  request: GenerationRequest;
  seed?: number;
  cost?: number;
  revisedPrompt?: string;
  /** The image it was made from (image actions only). */
  source?: SourceLineage;
}

export function recipeSidecar(entry: GalleryEntry): RecipeSidecar {
  const request: GenerationRequest = { ...entry.request };
  if (entry.seed !== undefined) request.seed = entry.seed;
  return withoutUndefined({
    generator: 'ideogram-vscode' as const,
    version: 1 as const,
    image: fileNameOf(entry.imageUri),
    createdAt: entry.createdAt,
    prompt: entry.prompt,
    request,
    seed: entry.seed,
    cost: entry.cost,
    revisedPrompt: entry.revisedPrompt,
    source: entry.source,
  });
}

const sidecarSchema = z.object({
  generator: z.literal('ideogram-vscode'),
  createdAt: z.iso.datetime({ offset: true }),
  request: generationRequestSchema,
  seed: z.optional(z.int()),
  revisedPrompt: z.optional(z.string()),
  // A lineage this version cannot read (a newer one) fails the sidecar: it is not read (and, in the workspace, never
  // rewritten), like a sidecar of a model this version does not know.
  source: z.optional(sourceLineageSchema),
});

/** The recipe of a parsed sidecar (`recipeSidecar`'s JSON), or undefined when it is not one this version reads. */
export function recipeFromSidecar(raw: unknown): ImageRecipe | undefined {
  const parsed = sidecarSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { request, createdAt, seed, revisedPrompt, source } = parsed.data;
  return withoutUndefined({ request, createdAt, generator: GENERATOR_NAME, seed, revisedPrompt, source });
}
