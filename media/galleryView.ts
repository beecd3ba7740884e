// The gallery: newest first, searchable by prompt, as a virtual grid: only the rows on or near the screen exist as
// tiles (a few dozen, reused as the list scrolls), each placed with a `transform` in a grid as tall as all the rows,
// so a scroll lays nothing out again; the entries are asked from the host a page at a time for the rows about to
// show. So 10,000 entries cost what 100 do. The rows on screen are bound to their entries at once; the rows kept
// ready above and below them in idle time, so no frame waits for them.
// A tile shows the entry's thumbnail (a small file the host keeps, see src/gallery/thumbnails.ts); an entry without one
// shows its full image and makes its thumbnail from it. Pictures are fetched only when the list is not flying by and
// a bounded number at once: every fetch goes through the workbench's file service, even one the page has dropped.
import {
  GALLERY_DRAG_MIME,
  GALLERY_PAGE_SIZE as PAGE_SIZE,
  GALLERY_TILE_CONTEXT,
  type GalleryItemView,
  type GalleryPageView,
} from '../src/common/protocol';
import { h } from './dom';
import { icon } from './icons';
import { fill, words } from './strings';
import { ThumbnailMaker } from './thumbnailMaker';

/** Rows kept as tiles above and below the screen, so a scroll never shows an empty row before the next frame. */
const OVERSCAN_ROWS = 6;
/** Faster than this (px per ms, ~2 screens a second), the pictures of tiles passing by wait for the scroll to slow down. */
const FAST_SCROLL = 2;
/** How long to wait before checking again whether a fast scroll has slowed down or stopped. */
const SETTLE_MS = 100;
/**
 * A pause in typing a search: then the query is remembered and its results get their pictures. While keys follow
 * each other faster, each answer paints its tiles at once but fetches no pictures: the fetches go through the same
 * workbench as the host's answers, and two dozen of them in flight held the next keystroke's answer up by 100–200 ms
 * (bench figure 5g).
 */
const TYPING_PAUSE_MS = 300;
/**
 * Full images fetched at once (tiles without a thumbnail yet). A fetch the page drops goes on in the workbench's
 * file service anyway, so without a bound a fast scroll would queue hundreds of 1.5 MB reads there.
 */
const MAX_FETCHES = { full: 6, thumb: 24 } as const;
/** Pages asked for at once; a fast scroll asks for the pages of where it is now, not of where it passed by. */
const MAX_PAGE_REQUESTS = 2;
/** An idle callback binds tiles while this much of its time is left; past the timeout it runs anyway. */
const IDLE_SLICE_MS = 2;
const IDLE_TIMEOUT_MS = 150;
/** A tile's date as `Date.prototype.toLocaleString()` words it, with one formatter instead of one a call. */
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Where the tiles go: CSS decides the smallest tile and the gap (`--tile-min`, `--tile-gap` on `.gallery-grid`). */
interface GridLayout {
  columns: number;
  tileSize: number;
  gap: number;
  rowHeight: number;
}

export interface GalleryCallbacks {
  query(query: string, offset: number, limit: number): Promise<GalleryPageView>;
  select(item: GalleryItemView): void;
  missing(item: GalleryItemView): void;
  searchChanged(query: string): void;
  /** A thumbnail made from a full image (base64), for the host to keep. */
  thumbnailMade(item: GalleryItemView, base64: string): void;
  /** Rendering timings, for the sidebar's measurements (only in a build that keeps them, see media/measure.d.ts). */
  rendered?(info: { count: number; total: number; ms: number; query: string }): void;
}

/** What a tile shows: a thumbnail, the full image (no thumbnail, or it failed), or nothing yet. */
type Picture = 'thumb' | 'full' | 'none';
type Fetched = Exclude<Picture, 'none'>;

export class GalleryView {
  readonly element: HTMLElement;
  readonly #grid: HTMLElement;
  readonly #search: HTMLInputElement;
  readonly #searchBox: HTMLElement;
  readonly #count: HTMLElement;
  readonly #empty: HTMLElement;
  /** The entries of the current query by position (sparse: pages arrive as the list scrolls). */
  #items: Array<GalleryItemView | undefined> = [];
  #loaded = 0;
  #total = 0;
  #query = '';
  /** The query whose results the grid shows: the answer to another one starts at its first match. */
  #shownQuery: string | undefined;
  /** Bumped by every reload: answers to an older query are dropped. */
  #generation = 0;
  readonly #pendingPages = new Set<number>();
  #selectedId: string | undefined;
  #searchDebounce: ReturnType<typeof setTimeout> | undefined;
  /** The tiles in the grid, by position, and the detached ones kept for reuse. */
  readonly #tiles = new Map<number, HTMLLIElement>();
  readonly #pool: HTMLLIElement[] = [];
  #frame = 0;
  /** Set while a render follows new data (a reload, removed entries): every tile's text is brought up to date. */
  #rebind = false;
  #layout: GridLayout | undefined;
  #width = 0;
  /** Tiles placed off screen whose entry is bound in idle time (a tile scrolled on screen is bound at once). */
  readonly #unbound = new Set<HTMLLIElement>();
  #idle = 0;
  /** Entries whose thumbnail failed to load: their tiles show the full image. */
  readonly #failedThumbs = new Set<string>();
  /** Tiles waiting for their picture until the scroll slows down (and a fetch is free). */
  readonly #wantPicture = new Set<HTMLLIElement>();
  #settle: ReturnType<typeof setTimeout> | undefined;
  #lastScroll = { at: -Infinity, y: 0, speed: 0 };
  /** When the search last changed: pictures wait for a pause in typing. */
  #typedAt = -Infinity;
  /** The way the list last scrolled (1 down, -1 up, 0 not yet): the page beyond the screen that way is asked for early. */
  #direction = 0;
  readonly #fetching = { full: 0, thumb: 0 };
  readonly #thumbnails: ThumbnailMaker;

  readonly #callbacks: GalleryCallbacks;
  constructor(callbacks: GalleryCallbacks, initialQuery: string) {
    this.#callbacks = callbacks;
    this.#query = initialQuery;
    this.#thumbnails = new ThumbnailMaker((id, base64) => {
      const item = this.#items.find((candidate) => candidate?.id === id);
      if (item) this.#callbacks.thumbnailMade(item, base64);
    });
    this.#search = h('input', {
      type: 'search',
      class: 'search',
      placeholder: words.search,
      'aria-label': words.searchLabel,
      value: initialQuery,
      autocomplete: 'off',
      spellcheck: 'false',
    });
    // Every keystroke searches (the host answers in a few ms; a late answer to an older query is dropped);
    // only remembering the query waits for a pause.
    this.#search.addEventListener('input', () => {
      this.#query = this.#search.value;
      this.#typedAt = performance.now();
      void this.reload();
      clearTimeout(this.#searchDebounce);
      this.#searchDebounce = setTimeout(() => this.#callbacks.searchChanged(this.#query), TYPING_PAUSE_MS);
    });
    this.#searchBox = h('div', { class: 'search-box' }, icon('search', 'icon search-icon'), this.#search);
    this.#count = h('span', { class: 'count badge', 'aria-hidden': 'true' });
    this.#grid = h('ul', { class: 'gallery-grid', 'aria-label': words.galleryGrid });
    this.#grid.addEventListener('keydown', (event) => this.#onGridKey(event));
    this.#grid.addEventListener('click', (event) => {
      const item = this.#itemOf(event.target);
      if (item) this.#callbacks.select(item);
    });
    this.#grid.addEventListener('dragstart', (event) => {
      const item = this.#itemOf(event.target);
      if (item) setDragData(event, item);
    });
    this.#empty = h('p', { class: 'empty hint' });
    const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'gallery-status' });
    this.element = h(
      'section',
      { class: 'gallery', 'aria-labelledby': 'gallery-heading' },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { id: 'gallery-heading', class: 'section-title' }, words.gallery),
        this.#count,
      ),
      this.#searchBox,
      this.#grid,
      this.#empty,
      status,
    );
    window.addEventListener(
      'scroll',
      () => {
        const now = performance.now();
        const y = window.scrollY;
        const last = this.#lastScroll;
        const elapsed = now - last.at;
        // Scroll events come once a frame at most; a first event after a pause counts as slow.
        const speed = elapsed > SETTLE_MS ? 0 : Math.abs(y - last.y) / Math.max(elapsed, 1);
        if (y !== last.y) this.#direction = y > last.y ? 1 : -1;
        this.#lastScroll = { at: now, y, speed: elapsed > SETTLE_MS ? speed : (last.speed + speed) / 2 };
        this.#scheduleRender();
      },
      { passive: true },
    );
    new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? 0;
      if (width === this.#width) return;
      this.#width = width;
      this.#layout = undefined;
      this.#scheduleRender();
    }).observe(this.#grid);
  }

  /** How many entries of the current query are known (pages received). */
  get loadedCount(): number {
    return this.#loaded;
  }

  /** After new images: the pages on screen again, keeping the user's scroll position. */
  refreshTop(): Promise<void> {
    return this.reload();
  }

  /** Reloads the entries of the query (after a search, a new image or a snapshot): the first page, then those on screen. */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    const started = performance.now();
    const query = this.#query;
    let page: GalleryPageView;
    try {
      page = await this.#callbacks.query(query, 0, PAGE_SIZE);
    } catch {
      return; // the host did not answer (reloading): the next snapshot reloads the gallery
    }
    if (generation !== this.#generation) return;
    this.#showFirst(page, query, generation, started);
  }

  #showFirst(page: GalleryPageView, query: string, generation: number, started: number): void {
    this.#generation = generation;
    this.#pendingPages.clear();
    this.#items = [];
    this.#loaded = 0;
    this.#total = page.total;
    this.#store(page);
    // Another search (not new images for the same one): its first matches, which this page holds, are what to show,
    // not whatever lies at the old scroll position (which a shorter list may not even reach).
    if (this.#shownQuery !== undefined && query !== this.#shownQuery) this.#revealStart();
    this.#shownQuery = query;
    this.#renderAll();
    this.#updateChrome();
    this.#reportRendered(started);
  }

  #store(page: GalleryPageView): void {
    this.#total = page.total;
    if (this.#items.length > page.total) {
      // Fewer entries than before (deleted meanwhile): what lay beyond the end is gone, and no longer counted.
      this.#items.length = page.total;
      this.#loaded = this.#items.filter((item) => item !== undefined).length;
    }
    page.items.forEach((item, index) => {
      if (page.offset + index >= page.total) return;
      if (this.#items[page.offset + index] === undefined) this.#loaded += 1;
      this.#items[page.offset + index] = item;
    });
  }

  async #loadPage(pageIndex: number): Promise<void> {
    const generation = this.#generation;
    this.#pendingPages.add(pageIndex);
    const started = performance.now();
    try {
      const page = await this.#callbacks.query(this.#query, pageIndex * PAGE_SIZE, PAGE_SIZE);
      if (generation !== this.#generation) return;
      this.#store(page);
      this.#render();
      this.#updateChrome();
      this.#reportRendered(started);
    } catch {
      // ignored: the next scroll asks again
    } finally {
      if (generation === this.#generation) this.#pendingPages.delete(pageIndex);
    }
  }

  /** Where the grid's visible part starts: below the search box, which stays at the top while the list scrolls. */
  #visibleTop(): number {
    return Math.max(0, this.#searchBox.getBoundingClientRect().bottom);
  }

  /** Scrolls up to the grid's first row if the list is scrolled past it. */
  #revealStart(): void {
    const past = this.#visibleTop() - this.#grid.getBoundingClientRect().top;
    if (past > 0) window.scrollBy(0, -past);
  }

  #reportRendered(started: number): void {
    const rendered = this.#callbacks.rendered;
    if (!rendered) return;
    const query = this.#query;
    // Two frames: the first lays the page out, the second has painted it.
    requestAnimationFrame(() =>
      requestAnimationFrame(() =>
        rendered({ count: this.#loaded, total: this.#total, ms: performance.now() - started, query }),
      ),
    );
  }

  #scheduleRender(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  /**
   * Columns, tile size and row height for the grid's width: as many columns of at least `--tile-min` as fit, sharing
   * the width (what `repeat(auto-fill, minmax(76px, 1fr))` laid out before the tiles were placed by hand). Measured
   * when the width changes, never while scrolling.
   */
  #measure(): GridLayout {
    if (this.#layout) return this.#layout;
    const style = getComputedStyle(this.#grid);
    const minimum = parseFloat(style.getPropertyValue('--tile-min')) || 76;
    const gap = parseFloat(style.getPropertyValue('--tile-gap')) || 0;
    const width = this.#width || this.#grid.clientWidth;
    const columns = Math.max(1, Math.floor((width + gap) / (minimum + gap)));
    const tileSize = Math.max(1, (width - gap * (columns - 1)) / columns);
    const layout = { columns, tileSize, gap, rowHeight: tileSize + gap };
    if (width > 0) {
      this.#layout = layout;
      this.#grid.style.setProperty('--tile-size', `${tileSize}px`);
      // A new width moves every tile.
      for (const [index, tile] of this.#tiles) this.#place(tile, index, layout);
    }
    return layout;
  }

  #place(tile: HTMLLIElement, index: number, { columns, rowHeight }: GridLayout): void {
    const x = (index % columns) * rowHeight;
    const y = Math.floor(index / columns) * rowHeight;
    tile.style.transform = `translate(${x}px, ${y}px)`;
  }

  /** Renders with every tile bound again (new data: the same position may hold another entry, or new text). */
  #renderAll(): void {
    this.#rebind = true;
    try {
      this.#render();
    } finally {
      this.#rebind = false;
    }
  }

  /**
   * Places the tiles of the rows on or near the screen, binds those on screen to their entries (the others in idle
   * time), and asks for the pages they need.
   */
  #render(): void {
    const grid = this.#grid;
    const layout = this.#measure();
    const { columns, rowHeight } = layout;
    const rows = Math.ceil(this.#total / columns);
    const top = grid.getBoundingClientRect().top;
    const screenRows = Math.ceil(window.innerHeight / rowHeight);
    let first = Math.floor(-top / rowHeight) - OVERSCAN_ROWS;
    let last = Math.floor((window.innerHeight - top) / rowHeight) + OVERSCAN_ROWS;
    if (last < 0) {
      first = 0;
      last = Math.min(screenRows, OVERSCAN_ROWS);
    } // the grid is below the screen: its first rows
    first = Math.max(0, Math.min(first, rows - 1));
    last = Math.max(first - 1, Math.min(last, rows - 1));
    const start = first * columns;
    const end = Math.min(this.#total, (last + 1) * columns);
    // The rows on screen: bound now. The rows around them: in idle time, unless they scroll on screen first.
    const onScreenStart = Math.max(start, Math.floor(-top / rowHeight) * columns);
    const onScreenEnd = Math.min(end, (Math.floor((window.innerHeight - top) / rowHeight) + 1) * columns);

    for (const [index, tile] of this.#tiles) {
      if (index >= start && index < end) continue;
      this.#tiles.delete(index);
      this.#release(tile);
    }
    const focused = document.activeElement?.closest('.tile');
    // The tiles stay in the order of their entries, for screen readers and the tab order.
    let previous: HTMLLIElement | undefined;
    for (let index = start; index < end; index++) {
      let tile = this.#tiles.get(index);
      if (!tile) {
        tile = this.#pool.pop() ?? this.#newTile();
        this.#tiles.set(index, tile);
      }
      if (tile.dataset.place !== String(index)) {
        tile.dataset.place = String(index);
        this.#place(tile, index, layout);
      }
      if ((index >= onScreenStart && index < onScreenEnd) || tile === focused) this.#bind(tile, index);
      else if (
        this.#rebind ||
        tile.dataset.index !== String(index) ||
        tile.dataset.id !== (this.#items[index]?.id ?? '')
      )
        this.#deferBind(tile, index);
      const expected: ChildNode | null = previous ? previous.nextSibling : grid.firstChild;
      if (expected !== tile) grid.insertBefore(tile, expected);
      previous = tile;
    }
    // Only a new height is written: even the same value would have the grid's style worked out again.
    const height = `${Math.max(0, rows * rowHeight - layout.gap)}px`;
    if (grid.style.height !== height) grid.style.height = height;

    const firstPage = Math.floor(start / PAGE_SIZE);
    const lastPage = Math.floor((end - 1) / PAGE_SIZE);
    // The page under the middle of the screen first, then outwards.
    const middle = Math.floor((((first + last) / 2) * columns) / PAGE_SIZE);
    const wanted = [];
    for (let page = firstPage; page <= lastPage; page++) if (!this.#pageLoaded(page)) wanted.push(page);
    wanted.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle));
    const ahead = this.#direction === 0 ? -1 : this.#direction > 0 ? lastPage + 1 : firstPage - 1;
    if (ahead >= 0 && ahead * PAGE_SIZE < this.#total && !this.#pageLoaded(ahead)) wanted.push(ahead);
    for (const page of wanted) {
      if (this.#pendingPages.size >= MAX_PAGE_REQUESTS) break;
      if (!this.#pendingPages.has(page)) void this.#loadPage(page);
    }
    this.#updateTabStop();
    this.#loadPictures();
  }

  #pageLoaded(page: number): boolean {
    const end = Math.min(this.#total, (page + 1) * PAGE_SIZE);
    for (let index = page * PAGE_SIZE; index < end; index++) if (this.#items[index] === undefined) return false;
    return true;
  }

  /**
   * Binds `tile` to entry `index` when the page is idle. Until then it shows nothing (a tile reused from elsewhere
   * would show another entry) and is out of the accessibility tree.
   */
  #deferBind(tile: HTMLLIElement, index: number): void {
    const shown = tile.dataset.id;
    if (tile.dataset.index !== String(index) || (!!shown && shown !== (this.#items[index]?.id ?? ''))) {
      this.#wantPicture.delete(tile);
      this.#freshImage(tile);
      tile.dataset.index = String(index);
      delete tile.dataset.id;
      delete tile.dataset.vscodeContext;
      tile.hidden = true;
      (tile.firstElementChild as HTMLButtonElement).tabIndex = -1;
    }
    this.#unbound.add(tile);
    if (!this.#idle)
      this.#idle = requestIdleCallback((deadline) => this.#bindIdle(deadline), { timeout: IDLE_TIMEOUT_MS });
  }

  #bindIdle(deadline: IdleDeadline): void {
    this.#idle = 0;
    let bound = false;
    for (const tile of this.#unbound) {
      if (!deadline.didTimeout && deadline.timeRemaining() < IDLE_SLICE_MS) break;
      this.#unbound.delete(tile);
      const index = Number(tile.dataset.index);
      if (tile.dataset.index === undefined || this.#tiles.get(index) !== tile) continue;
      this.#bind(tile, index, true);
      bound = true;
    }
    if (this.#unbound.size > 0)
      this.#idle = requestIdleCallback((next) => this.#bindIdle(next), { timeout: IDLE_TIMEOUT_MS });
    if (bound) {
      this.#updateTabStop();
      this.#loadPictures();
    }
  }

  #newTile(): HTMLLIElement {
    const image = h('img', { alt: '', decoding: 'async' });
    image.addEventListener('load', () => this.#onImageLoad(image));
    image.addEventListener('error', () => this.#onImageError(image));
    return h(
      'li',
      { class: 'tile' },
      h('button', { type: 'button', class: 'tile-button', draggable: 'true', tabindex: -1 }, image),
    ) as HTMLLIElement;
  }

  /**
   * Shows entry `index` in `tile` (a placeholder until its page arrives). A tile that already shows that entry keeps
   * its picture: after a reload (`#rebind`) only its text is brought up to date.
   */
  #bind(tile: HTMLLIElement, index: number, force = false): void {
    const item = this.#items[index];
    const id = item?.id ?? '';
    const same = tile.dataset.index === String(index) && tile.dataset.id === id && id !== '';
    if (this.#unbound.delete(tile)) force = true;
    tile.hidden = false;
    if (same && !this.#rebind && !force) return;
    tile.dataset.index = String(index);
    tile.dataset.id = id;
    tile.setAttribute('aria-posinset', String(index + 1));
    tile.setAttribute('aria-setsize', String(this.#total));
    const button = tile.firstElementChild as HTMLButtonElement;
    // The image actions in VS Code's own context menu of a tile (package.json `webview/context`).
    if (item) tile.dataset.vscodeContext = tileContext(item.uri);
    else delete tile.dataset.vscodeContext;
    if (!item) {
      button.removeAttribute('title');
      button.setAttribute('aria-label', '…');
      button.setAttribute('aria-pressed', 'false');
      button.draggable = false;
    } else {
      const date = new Date(item.createdAt);
      const when = Number.isNaN(date.getTime()) ? '' : DATE_TIME.format(date);
      button.title = `${item.prompt}\n${when}`;
      button.setAttribute('aria-label', `${item.prompt}, ${when}`);
      button.setAttribute('aria-pressed', String(item.id === this.#selectedId));
      button.draggable = true;
    }
    if (same) return;
    tile.classList.remove('broken');
    this.#wantPicture.delete(tile);
    this.#freshImage(tile);
    if (item) this.#wantPicture.add(tile);
  }

  /**
   * The tile's image element, emptied. One still fetching is swapped for a new element: dropping its `src` would
   * not stop the read in the workbench, only hide it from MAX_FETCHES.
   */
  #freshImage(tile: HTMLLIElement): HTMLImageElement {
    const button = tile.firstElementChild as HTMLButtonElement;
    let image = button.querySelector('img') as HTMLImageElement;
    if (image.dataset.fetching !== undefined) {
      const replacement = this.#newTile().querySelector('img') as HTMLImageElement;
      image.replaceWith(replacement);
      image = replacement;
    }
    image.dataset.picture = 'none' satisfies Picture;
    if (image.hasAttribute('src')) image.removeAttribute('src'); // no error event without `src`
    return image;
  }

  #release(tile: HTMLLIElement): void {
    this.#wantPicture.delete(tile);
    this.#unbound.delete(tile);
    this.#freshImage(tile);
    delete tile.dataset.index;
    delete tile.dataset.id;
    delete tile.dataset.place;
    tile.remove();
    this.#pool.push(tile);
  }

  #tileOf(image: HTMLImageElement): HTMLLIElement | undefined {
    const tile = image.closest('li');
    return tile instanceof HTMLLIElement && tile.dataset.index !== undefined ? tile : undefined;
  }

  #onImageLoad(image: HTMLImageElement): void {
    if (image.dataset.fetching !== undefined) this.#fetchDone(image);
    const tile = this.#tileOf(image);
    const item = tile && this.#items[Number(tile.dataset.index)];
    if (item && image.dataset.picture === 'full' && (!item.thumb || this.#failedThumbs.has(item.id)))
      this.#thumbnails.request(item.id, image);
  }

  #onImageError(image: HTMLImageElement): void {
    if (image.dataset.fetching !== undefined) this.#fetchDone(image);
    const tile = this.#tileOf(image);
    const item = tile && this.#items[Number(tile.dataset.index)];
    if (!tile || !item || !image.hasAttribute('src')) return;
    if (image.dataset.picture === 'thumb') {
      // A damaged or missing thumbnail: the full image instead, and a new thumbnail is made from it.
      this.#failedThumbs.add(item.id);
      delete tile.dataset.id;
      this.#bind(tile, Number(tile.dataset.index));
      this.#loadPictures();
      return;
    }
    tile.classList.add('broken');
    this.#callbacks.missing(item);
  }

  #fetchDone(image: HTMLImageElement): void {
    this.#fetching[image.dataset.fetching as Fetched] -= 1;
    delete image.dataset.fetching;
    this.#loadPictures();
  }

  /**
   * Gives the tiles their pictures (the thumbnail, else the full image), nearest to the middle of the screen first
   * and MAX_FETCHES of each kind at a time, unless the list is scrolling fast or a search is being typed (then once
   * the scroll slows down or the typing pauses).
   */
  #loadPictures(): void {
    clearTimeout(this.#settle);
    if (this.#wantPicture.size === 0) return;
    const now = performance.now();
    const { at, speed } = this.#lastScroll;
    const typing = TYPING_PAUSE_MS - (now - this.#typedAt);
    if (typing > 0) {
      this.#settle = setTimeout(() => this.#loadPictures(), typing);
      return;
    }
    if (now - at < SETTLE_MS && speed > FAST_SCROLL) {
      this.#settle = setTimeout(() => this.#loadPictures(), SETTLE_MS);
      return;
    }
    // Where each tile is follows from its place in the grid: no layout is read per tile.
    const { columns, rowHeight } = this.#measure();
    const middle = window.innerHeight / 2 - this.#grid.getBoundingClientRect().top;
    const order = [...this.#wantPicture]
      .map((tile) => {
        const center = (Math.floor(Number(tile.dataset.index) / columns) + 0.5) * rowHeight;
        return { tile, distance: Math.abs(center - middle) };
      })
      .sort((a, b) => a.distance - b.distance);
    for (const { tile } of order) {
      const item = this.#items[Number(tile.dataset.index)];
      const image = tile.querySelector('img');
      if (!item || !image) {
        this.#wantPicture.delete(tile);
        continue;
      }
      const kind: Fetched = item.thumb && !this.#failedThumbs.has(item.id) ? 'thumb' : 'full';
      if (this.#fetching[kind] >= MAX_FETCHES[kind]) continue;
      this.#wantPicture.delete(tile);
      this.#fetching[kind] += 1;
      image.dataset.fetching = kind;
      image.dataset.picture = kind satisfies Picture;
      image.src = kind === 'thumb' ? (item.thumb as string) : item.src;
    }
  }

  #itemOf(target: EventTarget | null): GalleryItemView | undefined {
    const tile = target instanceof Element ? target.closest<HTMLElement>('.tile') : null;
    return tile?.dataset.index === undefined ? undefined : this.#items[Number(tile.dataset.index)];
  }

  /** Arrow keys, Home and End move between thumbnails (over all entries, not only those on screen); Tab leaves the grid. */
  #onGridKey(event: KeyboardEvent): void {
    const tile = (event.target as Element | null)?.closest<HTMLElement>('.tile');
    if (!tile || tile.dataset.index === undefined) return;
    const index = Number(tile.dataset.index);
    const { columns } = this.#measure();
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      Home: -index,
      End: this.#total - 1 - index,
    };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    this.#focusIndex(Math.min(this.#total - 1, Math.max(0, index + move)));
  }

  #focusIndex(index: number): void {
    const { columns, rowHeight } = this.#measure();
    const rowTop = this.#grid.getBoundingClientRect().top + Math.floor(index / columns) * rowHeight;
    const visibleTop = this.#visibleTop();
    if (rowTop < visibleTop) window.scrollBy(0, rowTop - visibleTop);
    else if (rowTop + rowHeight > window.innerHeight) window.scrollBy(0, rowTop + rowHeight - window.innerHeight);
    this.#render();
    const tile = this.#tiles.get(index);
    if (tile && this.#unbound.has(tile)) this.#bind(tile, index);
    const button = tile?.querySelector<HTMLButtonElement>('.tile-button');
    if (!button) return;
    for (const other of this.#grid.querySelectorAll<HTMLButtonElement>('.tile-button[tabindex="0"]'))
      other.tabIndex = -1;
    button.tabIndex = 0;
    button.focus({ preventScroll: true });
  }

  /** Exactly one thumbnail is in the tab order: the focused one, else the selected one, else the first. */
  #updateTabStop(): void {
    // A tile waiting for its entry (hidden) cannot take focus: it is not the tab stop.
    const buttons = [...this.#grid.querySelectorAll<HTMLButtonElement>('.tile:not([hidden]) > .tile-button')];
    // Right after a jump every tile may wait for idle time, which a busy page may not get for a while: Tab would
    // skip the gallery. The first of them is bound now, so the gallery always has its one tab stop.
    if (buttons.length === 0) {
      const waiting = this.#firstUnbound();
      if (waiting) {
        this.#bind(waiting.tile, waiting.index);
        buttons.push(waiting.tile.firstElementChild as HTMLButtonElement);
      }
    }
    const stop =
      buttons.find((button) => button === document.activeElement) ??
      buttons.find((button) => button.getAttribute('aria-pressed') === 'true') ??
      buttons[0];
    for (const button of buttons) {
      const tabIndex = button === stop ? 0 : -1;
      if (button.tabIndex !== tabIndex) button.tabIndex = tabIndex;
    }
  }

  /** The tile of the lowest index among those waiting to be bound (a tile still in the grid for its index). */
  #firstUnbound(): { tile: HTMLLIElement; index: number } | undefined {
    let first: { tile: HTMLLIElement; index: number } | undefined;
    for (const tile of this.#unbound) {
      const index = Number(tile.dataset.index);
      if (tile.dataset.index === undefined || this.#tiles.get(index) !== tile) continue;
      if (!first || index < first.index) first = { tile, index };
    }
    return first;
  }

  /** Marks the tile shown in the preview. */
  setSelected(id: string | undefined): void {
    this.#selectedId = id;
    for (const tile of this.#tiles.values()) {
      tile.firstElementChild?.setAttribute('aria-pressed', String(!!id && tile.dataset.id === id));
    }
    this.#updateTabStop();
  }

  /** Entries the host dropped (deleted files): removed in place, no reload. */
  removeItems(ids: readonly string[], total: number): void {
    const wanted = new Set(ids);
    let removed = 0;
    for (let index = this.#items.length - 1; index >= 0; index--) {
      const item = this.#items[index];
      if (!item || !wanted.has(item.id)) continue;
      this.#items.splice(index, 1);
      this.#loaded -= 1;
      removed += 1;
    }
    // The host's total counts everything; a search's total only loses what it listed.
    this.#total = this.#query ? Math.max(this.#loaded, this.#total - removed) : total;
    this.#renderAll();
    this.#updateChrome();
    this.#reportRendered(performance.now());
    // An entry not received yet moved the ones after it: those received are asked for again.
    if (removed < wanted.size && this.#loaded < this.#total && !this.#query) void this.reload();
  }

  #updateChrome(): void {
    this.#count.textContent = String(this.#total);
    this.#count.hidden = this.#total === 0 && !this.#query;
    this.#empty.hidden = this.#total > 0;
    this.#empty.textContent = this.#query ? fill(words.noMatch, this.#query) : words.noImages;
    const status = this.element.querySelector('#gallery-status');
    if (status)
      status.textContent = this.#query ? (this.#total === 1 ? words.oneMatch : fill(words.matches, this.#total)) : '';
  }
}

/** Dragging a thumbnail into a Markdown editor inserts its link (see src/links/galleryDrop.ts). */
export function setDragData(event: DragEvent, item: GalleryItemView): void {
  event.dataTransfer?.setData(GALLERY_DRAG_MIME, JSON.stringify({ uri: item.uri, prompt: item.prompt }));
  if (event.dataTransfer) event.dataTransfer.effectAllowed = 'copy';
}

/** A tile's `data-vscode-context`: which menu (`webviewSection`) and the image the action works on. */
function tileContext(uri: string): string {
  return JSON.stringify({
    webviewSection: GALLERY_TILE_CONTEXT.section,
    [GALLERY_TILE_CONTEXT.imageKey]: uri,
    preventDefaultContextMenuItems: true,
  });
}
