// The gallery: newest first, searchable by prompt, loaded a page at a time as the list scrolls into view.
// Thumbnails are the image files themselves through webview URIs (1.5 MB each for a real picture), so a tile
// only holds its image `src` while it is on or near the screen, and not while the list flies by: see #observe.
import { GALLERY_DRAG_MIME, type GalleryItemView, type HostMessage } from '../src/protocol';
import { h, replaceChildren } from './dom';
import { icon } from './icons';
import { fill, words } from './strings';

export const PAGE_SIZE = 60;
/** A tile gets its image within this margin of the viewport (`loading="lazy"` does not hold in a webview)… */
const LOAD_MARGIN = '50% 0px';
/** …and loses it beyond one screen, so at most ~3 screens of images (a few dozen) are held at any time. */
const UNLOAD_MARGIN = '100% 0px';
/** Faster than this (px per ms, ~2 screens a second), tiles passing by wait for the scroll to slow down. */
const FAST_SCROLL = 2;
/** How long to wait before checking again whether a fast scroll has slowed down or stopped. */
const SETTLE_MS = 100;
/**
 * Images fetched at once. A fetch the page drops goes on in the workbench's file service anyway, so without a
 * bound a few pauses of a fast scroll queue hundreds of 1.5 MB reads there, and a re-opened view waits behind them.
 */
const MAX_FETCHES = 6;

type GalleryPage = Extract<HostMessage, { type: 'galleryPage' }>;

export interface GalleryCallbacks {
  query(query: string, offset: number, limit: number): Promise<GalleryPage>;
  select(item: GalleryItemView): void;
  missing(item: GalleryItemView): void;
  searchChanged(query: string): void;
  /** Rendering timings, for the panel's measurements (only in a build that keeps them, see media/measure.d.ts). */
  rendered?(info: { count: number; total: number; ms: number }): void;
}

export class GalleryView {
  readonly element: HTMLElement;
  readonly #grid: HTMLElement;
  readonly #search: HTMLInputElement;
  readonly #count: HTMLElement;
  readonly #more: HTMLButtonElement;
  readonly #empty: HTMLElement;
  readonly #items = new Map<string, GalleryItemView>();
  #total = 0;
  #query = '';
  #generation = 0;
  #loading = false;
  #selectedId: string | undefined;
  #debounce: ReturnType<typeof setTimeout> | undefined;
  /** Tiles within LOAD_MARGIN of the viewport whose image is not set yet (waiting for a fast scroll to end). */
  readonly #near = new Set<HTMLElement>();
  readonly #loadObserver: IntersectionObserver;
  readonly #unloadObserver: IntersectionObserver;
  #settle: ReturnType<typeof setTimeout> | undefined;
  #lastScroll = { at: -Infinity, y: 0, speed: 0 };
  #fetching = 0;

  constructor(private readonly callbacks: GalleryCallbacks, initialQuery: string) {
    this.#query = initialQuery;
    this.#search = h('input', {
      type: 'search', class: 'search', placeholder: words.search, 'aria-label': words.searchLabel,
      value: initialQuery, autocomplete: 'off', spellcheck: 'false',
    });
    this.#search.addEventListener('input', () => {
      clearTimeout(this.#debounce);
      this.#debounce = setTimeout(() => {
        this.#query = this.#search.value;
        this.callbacks.searchChanged(this.#query);
        void this.reload();
      }, 150);
    });
    this.#count = h('span', { class: 'count badge', 'aria-hidden': 'true' });
    this.#grid = h('ul', { class: 'gallery-grid', 'aria-label': words.galleryGrid });
    this.#grid.addEventListener('keydown', (event) => this.#onGridKey(event));
    this.#more = h('button', { type: 'button', class: 'secondary small wide more', onclick: () => { void this.#loadMore(); } }, words.showMore);
    this.#empty = h('p', { class: 'empty hint' });
    const status = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'gallery-status' });
    this.element = h('section', { class: 'gallery', 'aria-labelledby': 'gallery-heading' },
      h('div', { class: 'section-head' }, h('h2', { id: 'gallery-heading', class: 'section-title' }, words.gallery), this.#count),
      h('div', { class: 'search-box' }, icon('search', 'icon search-icon'), this.#search),
      this.#grid, this.#empty, this.#more, status);
    // Load the next page when the "Show more" button scrolls into view.
    new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void this.#loadMore();
    }, { rootMargin: '400px' }).observe(this.#more);
    // The document is the root, not the implicit one: in the webview's cross-origin iframe an implicit root
    // ignores rootMargin. Tiles are observed (not their images): a tile keeps its size without an image.
    this.#loadObserver = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const tile = entry.target as HTMLElement;
        if (entry.isIntersecting) this.#near.add(tile);
        else this.#near.delete(tile);
      }
      this.#loadNear();
    }, { root: document, rootMargin: LOAD_MARGIN });
    this.#unloadObserver = new IntersectionObserver((entries) => {
      for (const entry of entries) if (!entry.isIntersecting) unloadImage(entry.target as HTMLElement);
    }, { root: document, rootMargin: UNLOAD_MARGIN });
    window.addEventListener('scroll', () => {
      const now = performance.now();
      const y = window.scrollY;
      const last = this.#lastScroll;
      const elapsed = now - last.at;
      // Scroll events come once a frame at most; a first event after a pause counts as slow.
      const speed = elapsed > SETTLE_MS ? 0 : Math.abs(y - last.y) / Math.max(elapsed, 1);
      this.#lastScroll = { at: now, y, speed: elapsed > SETTLE_MS ? speed : (last.speed + speed) / 2 };
    }, { passive: true });
  }

  /**
   * Sets the images of the tiles near the screen, nearest to its middle first and MAX_FETCHES at a time,
   * unless the list is scrolling fast (then later).
   */
  #loadNear(): void {
    clearTimeout(this.#settle);
    if (this.#near.size === 0 || this.#fetching >= MAX_FETCHES) return;
    const { at, speed } = this.#lastScroll;
    if (performance.now() - at < SETTLE_MS && speed > FAST_SCROLL) {
      this.#settle = setTimeout(() => this.#loadNear(), SETTLE_MS);
      return;
    }
    const middle = window.innerHeight / 2;
    const distance = (tile: HTMLElement): number => {
      const box = tile.getBoundingClientRect();
      return Math.abs((box.top + box.bottom) / 2 - middle);
    };
    const order = [...this.#near].map((tile) => ({ tile, distance: distance(tile) })).sort((a, b) => a.distance - b.distance);
    for (const { tile } of order) {
      if (this.#fetching >= MAX_FETCHES) return;
      this.#near.delete(tile);
      this.#fetch(tile);
    }
  }

  /** Gives a tile's image its file (kept in `data-src`), if it does not have it yet; counted until it ends. */
  #fetch(tile: HTMLElement): void {
    const image = tile.querySelector('img');
    const src = image?.dataset.src;
    if (!image || !src) return;
    if (image.getAttribute('src') === src) {
      delete image.dataset.unload; // still loading: keep it after all
      return;
    }
    this.#fetching += 1;
    const done = (): void => {
      image.removeEventListener('load', done);
      image.removeEventListener('error', done);
      this.#fetching -= 1;
      if (image.dataset.unload !== undefined) unloadImage(tile);
      this.#loadNear();
    };
    image.addEventListener('load', done);
    image.addEventListener('error', done);
    image.src = src;
  }

  #observe(tile: HTMLElement): void {
    this.#loadObserver.observe(tile);
    this.#unloadObserver.observe(tile);
  }

  #unobserve(tile: Element): void {
    this.#loadObserver.unobserve(tile);
    this.#unloadObserver.unobserve(tile);
    this.#near.delete(tile as HTMLElement);
    unloadImage(tile);
  }

  get loadedCount(): number {
    return this.#items.size;
  }

  /**
   * After new images: puts them in front of what is already listed, keeping the user's scroll position and
   * the pages already loaded. Falls back to a reload when more than a page arrived.
   */
  async refreshTop(): Promise<void> {
    if (this.#items.size === 0) return this.reload();
    const generation = this.#generation;
    const started = performance.now();
    let page: GalleryPage;
    try {
      page = await this.callbacks.query(this.#query, 0, PAGE_SIZE);
    } catch {
      return;
    }
    if (generation !== this.#generation) return;
    const known = page.items.findIndex((item) => this.#items.has(item.id));
    if (known < 0) return this.reload();
    const fresh = page.items.slice(0, known);
    this.#total = page.total;
    const fragment = document.createDocumentFragment();
    const tiles = fresh.map((item) => {
      this.#items.set(item.id, item);
      return fragment.appendChild(this.#tile(item));
    });
    this.#grid.prepend(fragment);
    for (const tile of tiles) this.#observe(tile);
    this.#updateChrome();
    this.#reportRendered(started);
  }

  /** Reloads the first page (after a search, a new image or a snapshot). */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    this.#loading = true;
    const started = performance.now();
    try {
      const page = await this.callbacks.query(this.#query, 0, PAGE_SIZE);
      if (generation !== this.#generation) return;
      this.#items.clear();
      for (const tile of this.#grid.children) this.#unobserve(tile);
      replaceChildren(this.#grid);
      this.#append(page);
      this.#reportRendered(started);
    } catch {
      // the host did not answer (reloading): the next snapshot reloads the gallery
    } finally {
      if (generation === this.#generation) this.#loading = false;
    }
  }

  async #loadMore(): Promise<void> {
    if (this.#loading || this.#items.size >= this.#total) return;
    const generation = this.#generation;
    this.#loading = true;
    const started = performance.now();
    try {
      const page = await this.callbacks.query(this.#query, this.#items.size, PAGE_SIZE);
      if (generation !== this.#generation) return;
      this.#append(page);
      this.#reportRendered(started);
    } catch {
      // ignored: scrolling again retries
    } finally {
      if (generation === this.#generation) this.#loading = false;
    }
  }

  #reportRendered(started: number): void {
    const rendered = this.callbacks.rendered;
    if (!rendered) return;
    // Two frames: the first lays the page out, the second has painted it.
    requestAnimationFrame(() => requestAnimationFrame(() =>
      rendered({ count: this.#items.size, total: this.#total, ms: performance.now() - started })));
  }

  #append(page: GalleryPage): void {
    this.#total = page.total;
    const fragment = document.createDocumentFragment();
    const tiles: HTMLElement[] = [];
    for (const item of page.items) {
      if (this.#items.has(item.id)) continue;
      this.#items.set(item.id, item);
      tiles.push(fragment.appendChild(this.#tile(item)));
    }
    this.#grid.appendChild(fragment);
    for (const tile of tiles) this.#observe(tile);
    this.#updateChrome();
  }

  /** Arrow keys, Home and End move between thumbnails; Tab leaves the grid (one tab stop, as in a list). */
  #onGridKey(event: KeyboardEvent): void {
    const buttons = [...this.#grid.querySelectorAll<HTMLButtonElement>('.tile-button')];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    const top = buttons[0]?.offsetTop;
    const columns = Math.max(1, buttons.findIndex((button) => button.offsetTop !== top) === -1 ? buttons.length : buttons.findIndex((button) => button.offsetTop !== top));
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, Home: -index, End: buttons.length - 1 - index };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    const target = buttons[Math.min(buttons.length - 1, Math.max(0, index + move))];
    this.#focusTile(target);
  }

  #focusTile(button: HTMLButtonElement | null | undefined): void {
    if (!button) return;
    for (const other of this.#grid.querySelectorAll<HTMLButtonElement>('.tile-button[tabindex="0"]')) other.tabIndex = -1;
    button.tabIndex = 0;
    button.focus();
    button.scrollIntoView({ block: 'nearest' });
  }

  /** Exactly one thumbnail is in the tab order: the selected one, else the first. */
  #updateTabStop(): void {
    const buttons = this.#grid.querySelectorAll<HTMLButtonElement>('.tile-button');
    let stop = [...buttons].find((button) => button.getAttribute('aria-pressed') === 'true') ?? buttons[0];
    if ([...buttons].some((button) => button.tabIndex === 0 && button === document.activeElement)) stop = document.activeElement as HTMLButtonElement;
    for (const button of buttons) button.tabIndex = button === stop ? 0 : -1;
  }

  #tile(item: GalleryItemView): HTMLElement {
    // No `src` yet: the observers set it near the screen and remove it far from it (see #observe).
    const image = h('img', { alt: '', decoding: 'async', 'data-src': item.src });
    let reported = false;
    image.addEventListener('error', () => {
      // Removing `src` fires no error; only a failed load of the file itself counts, once.
      if (reported || image.getAttribute('src') !== item.src) return;
      reported = true;
      image.closest('li')?.classList.add('broken');
      this.callbacks.missing(item);
    });
    const date = new Date(item.createdAt);
    const when = Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
    return h('li', { class: 'tile', 'data-id': item.id },
      h('button', {
        type: 'button', class: 'tile-button', title: `${item.prompt}\n${when}`, draggable: 'true', tabindex: -1,
        ondragstart: (event: Event) => setDragData(event as DragEvent, item),
        'aria-label': `${item.prompt}, ${when}`, 'aria-pressed': String(item.id === this.#selectedId),
        onclick: () => this.callbacks.select(item),
      }, image));
  }

  /** Marks the tile shown in the preview. */
  setSelected(id: string | undefined): void {
    this.#selectedId = id;
    for (const button of this.#grid.querySelectorAll<HTMLButtonElement>('.tile-button')) {
      button.setAttribute('aria-pressed', String(button.closest<HTMLElement>('.tile')?.dataset.id === id));
    }
    this.#updateTabStop();
  }

  /** Entries the host dropped (deleted files): removed in place, no reload. */
  removeItems(ids: readonly string[], total: number): void {
    let removed = 0;
    for (const id of ids) {
      if (!this.#items.delete(id)) continue;
      removed += 1;
      const tile = this.#grid.querySelector(`[data-id="${CSS.escape(id)}"]`);
      if (!tile) continue;
      this.#unobserve(tile);
      tile.remove();
    }
    // The host's total counts everything; a search's total only loses what it listed.
    this.#total = this.#query ? Math.max(this.#items.size, this.#total - removed) : total;
    this.#updateChrome();
  }

  #updateChrome(): void {
    this.#updateTabStop();
    const loaded = this.#items.size;
    this.#count.textContent = String(this.#total);
    this.#count.hidden = this.#total === 0 && !this.#query;
    this.#more.hidden = loaded >= this.#total;
    this.#more.textContent = fill(words.showMoreCount, loaded, this.#total);
    this.#empty.hidden = loaded > 0;
    this.#empty.textContent = this.#query ? fill(words.noMatch, this.#query) : words.noImages;
    const status = this.element.querySelector('#gallery-status');
    if (status) status.textContent = this.#query ? (this.#total === 1 ? words.oneMatch : fill(words.matches, this.#total)) : '';
  }
}

/**
 * Drops a tile's image so the browser frees the picture (no error event without `src`). One still loading is
 * dropped when it ends: removing its `src` would not stop the read in the workbench, only hide it from MAX_FETCHES.
 */
function unloadImage(tile: Element): void {
  const image = tile.querySelector('img');
  if (!image?.hasAttribute('src')) return;
  if (image.complete) {
    delete image.dataset.unload;
    image.removeAttribute('src');
  } else {
    image.dataset.unload = '';
  }
}

/** Dragging a thumbnail into a Markdown editor inserts its link (see src/markdownDrop.ts). */
export function setDragData(event: DragEvent, item: GalleryItemView): void {
  event.dataTransfer?.setData(GALLERY_DRAG_MIME, JSON.stringify({ uri: item.uri, prompt: item.prompt }));
  if (event.dataTransfer) event.dataTransfer.effectAllowed = 'copy';
}
