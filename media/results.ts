// Generations in flight (one row each, with Cancel), their inline errors (with the buttons that fix them),
// and the preview of the current image with its actions.
import {
  formatCredits,
  type GalleryItemView,
  type ImageAction,
  type RecoveryAction,
  type RunView,
} from '../src/common/protocol';
import { h, replaceChildren } from './dom';
import { icon, type IconName } from './icons';
import { fill, words } from './strings';

export interface RunCallbacks {
  cancel(runId: string): void;
  dismiss(runId: string): void;
  recover(action: RecoveryAction, runId: string): void;
}

export class RunsView {
  readonly element: HTMLElement;
  readonly #list: HTMLElement;
  readonly #runs = new Map<string, RunView>();
  #timer: ReturnType<typeof setInterval> | undefined;

  readonly #callbacks: RunCallbacks;
  constructor(callbacks: RunCallbacks) {
    this.#callbacks = callbacks;
    this.#list = h('ul', { class: 'runs', 'aria-label': words.generations });
    // Progress is announced politely; failures inside use role=alert.
    this.element = h(
      'section',
      { class: 'runs-section', 'aria-live': 'polite', 'aria-relevant': 'additions text' },
      this.#list,
    );
    this.element.hidden = true;
  }

  setAll(runs: readonly RunView[]): void {
    this.#runs.clear();
    for (const run of runs) this.#runs.set(run.runId, run);
    this.#render();
  }

  upsert(run: RunView): void {
    const previous = this.#runs.get(run.runId);
    this.#runs.set(run.runId, run);
    if (
      previous &&
      previous.status === run.status &&
      previous.status === 'running' &&
      previous.submitted === run.submitted
    )
      this.#updateRow(run);
    else this.#render();
  }

  remove(runId: string): void {
    if (this.#runs.delete(runId)) this.#render();
  }

  get runningCount(): number {
    return [...this.#runs.values()].filter((run) => run.status === 'running').length;
  }

  /** Most recent first: the newest row sits right under the Generate button. */
  #render(): void {
    const runs = [...this.#runs.values()].sort((a, b) => b.startedAt - a.startedAt);
    replaceChildren(this.#list, ...runs.map((run) => this.#row(run)));
    this.element.hidden = runs.length === 0;
    const running = runs.some((run) => run.status === 'running');
    if (running && !this.#timer) this.#timer = setInterval(() => this.#tick(), 1000);
    if (!running && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #row(run: RunView): HTMLElement {
    if (run.status === 'failed' && run.error) {
      const error = run.error;
      return h(
        'li',
        { class: 'run failed', 'data-run': run.runId },
        h(
          'div',
          { class: 'error-box', role: 'alert' },
          h(
            'div',
            { class: 'error-head' },
            icon('error', 'icon status-icon'),
            h(
              'div',
              { class: 'error-text' },
              h('p', { class: 'error-message' }, error.message),
              h('p', { class: 'run-prompt', title: run.prompt }, run.prompt),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'icon-button',
                'aria-label': words.dismissError,
                title: words.dismiss,
                onclick: () => this.#callbacks.dismiss(run.runId),
              },
              icon('close'),
            ),
          ),
          error.actions.length > 0 &&
            h(
              'div',
              { class: 'button-row' },
              ...error.actions.map((button, index) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: index === 0 ? 'primary small' : 'secondary small',
                    'data-action': button.action,
                    onclick: () => this.#callbacks.recover(button.action, run.runId),
                  },
                  button.label,
                ),
              ),
            ),
        ),
      );
    }
    return h(
      'li',
      { class: 'run running', 'data-run': run.runId },
      h(
        'div',
        {
          class: 'progress',
          role: 'progressbar',
          'aria-label': fill(words.generating, run.prompt),
          'aria-valuetext': run.message,
        },
        h('div', { class: 'progress-bar' }),
      ),
      h(
        'div',
        { class: 'run-body' },
        h(
          'div',
          { class: 'run-text' },
          h('p', { class: 'run-prompt', title: run.prompt }, run.prompt),
          h(
            'p',
            { class: 'run-status' },
            h('span', { class: 'run-message' }, run.message),
            ' · ',
            h('span', { class: 'run-elapsed' }, elapsed(run.startedAt)),
          ),
        ),
        run.submitted
          ? // Segmind cannot cancel a submitted job: the button says what it really does.
            h(
              'button',
              {
                type: 'button',
                class: 'secondary small',
                'aria-label': fill(words.stopWaitingFor, run.prompt),
                title: words.stopWaitingTitle,
                onclick: () => this.#callbacks.cancel(run.runId),
              },
              icon('stop'),
              words.stopWaiting,
            )
          : h(
              'button',
              {
                type: 'button',
                class: 'secondary small',
                'aria-label': fill(words.cancelGenerating, run.prompt),
                onclick: () => this.#callbacks.cancel(run.runId),
              },
              icon('stop'),
              words.cancel,
            ),
      ),
    );
  }

  #updateRow(run: RunView): void {
    const row = this.#list.querySelector(`[data-run="${CSS.escape(run.runId)}"]`);
    if (!row) return this.#render();
    const message = row.querySelector('.run-message');
    if (message) message.textContent = run.message;
    row.querySelector('.progress')?.setAttribute('aria-valuetext', run.message);
  }

  #tick(): void {
    for (const run of this.#runs.values()) {
      if (run.status !== 'running') continue;
      const target = this.#list.querySelector(`[data-run="${CSS.escape(run.runId)}"] .run-elapsed`);
      if (target) target.textContent = elapsed(run.startedAt);
    }
  }
}

export function elapsed(startedAt: number): string {
  return fill(words.seconds, Math.max(0, Math.round((Date.now() - startedAt) / 1000)));
}

export interface PreviewCallbacks {
  action(action: ImageAction, item: GalleryItemView): void;
  /** Move these images (variations not kept) to the trash at once; resolves with the ids actually removed. */
  trash(items: GalleryItemView[]): Promise<string[]>;
  remix(item: GalleryItemView): void;
  missing(item: GalleryItemView): void;
}

/** The toolbar under the preview, in this order (their labels: `words.actions`). */
const SECONDARY_ACTIONS: Array<{ action: Exclude<ImageAction, 'insert'> | 'remix'; icon: IconName }> = [
  { action: 'open', icon: 'open' },
  { action: 'reveal', icon: 'folder' },
  { action: 'copyLink', icon: 'link' },
  { action: 'copySeed', icon: 'seed' },
  { action: 'remix', icon: 'remix' },
  { action: 'delete', icon: 'trash' },
];

export class PreviewView {
  readonly element: HTMLElement;
  #item: GalleryItemView | undefined;
  /** Variations shown side by side, and the ones the user chose (kept). */
  #set: GalleryItemView[] | undefined;
  readonly #chosen = new Set<string>();
  #linkTarget: string | undefined;
  readonly #body: HTMLElement;
  readonly #status: HTMLElement;
  #statusTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #callbacks: PreviewCallbacks;
  constructor(callbacks: PreviewCallbacks) {
    this.#callbacks = callbacks;
    this.#body = h('div', { class: 'preview-body' });
    this.#status = h('p', { class: 'action-status', role: 'status' });
    this.element = h(
      'section',
      { class: 'preview', 'aria-labelledby': 'preview-heading' },
      h('h2', { id: 'preview-heading', class: 'section-title' }, words.result),
      this.#body,
      this.#status,
    );
    this.element.hidden = true;
  }

  get item(): GalleryItemView | undefined {
    return this.#item;
  }

  /** Every image shown (one, or the set of variations). */
  get items(): GalleryItemView[] {
    return this.#set ?? (this.#item ? [this.#item] : []);
  }

  show(item: GalleryItemView | undefined): void {
    this.#item = item;
    this.#set = undefined;
    this.#render();
  }

  /** Variations side by side: the user chooses one or several, inserts the chosen one, trashes the others. */
  showSet(items: GalleryItemView[]): void {
    if (items.length < 2) {
      this.show(items[0]);
      return;
    }
    this.#set = items;
    this.#chosen.clear();
    this.#chosen.add(items[0].id);
    this.#item = items[0];
    this.#render();
  }

  /** Images removed elsewhere (deleted, gone from disk) leave the set. */
  drop(ids: string[]): void {
    if (!this.#set) {
      if (this.#item && ids.includes(this.#item.id)) this.show(undefined);
      return;
    }
    const left = this.#set.filter((item) => !ids.includes(item.id));
    if (left.length < 2) {
      this.show(left[0]);
      return;
    }
    this.#set = left;
    for (const id of ids) this.#chosen.delete(id);
    if (this.#chosen.size === 0) this.#chosen.add(left[0].id);
    this.#item = left.find((item) => this.#chosen.has(item.id));
    this.#render();
  }

  /** A short confirmation under the buttons ("Markdown link copied"), cleared after a few seconds. */
  showStatus(text: string | undefined, isError = false): void {
    this.#status.textContent = text ?? '';
    this.#status.classList.toggle('error', isError);
    clearTimeout(this.#statusTimer);
    if (text)
      this.#statusTimer = setTimeout(() => {
        this.#status.textContent = '';
      }, 5000);
  }

  setLinkTarget(name: string | undefined): void {
    if (name === this.#linkTarget) return;
    this.#linkTarget = name;
    this.#render();
  }

  #renderSet(set: GalleryItemView[]): void {
    this.element.hidden = false;
    const chosen = set.filter((item) => this.#chosen.has(item.id));
    const others = set.filter((item) => !this.#chosen.has(item.id));
    const target = this.#linkTarget;
    const single = chosen.length === 1 ? chosen[0] : undefined;
    const tiles = set.map((item, index) => {
      const image = h('img', {
        src: item.src,
        alt: item.prompt,
        width: item.width,
        height: item.height,
        decoding: 'async',
      });
      image.addEventListener('error', () => this.#callbacks.missing(item), { once: true });
      const isChosen = this.#chosen.has(item.id);
      return h(
        'button',
        {
          type: 'button',
          class: isChosen ? 'variation chosen' : 'variation',
          'aria-pressed': String(isChosen),
          'data-entry': item.id,
          'aria-label': keptLabel(
            item.seed !== undefined
              ? fill(words.variationSeed, index + 1, item.seed)
              : fill(words.variation, index + 1),
            isChosen,
          ),
          title: fill(
            words.keepOrNot,
            item.seed !== undefined ? `${item.fileName} · ${fill(words.seedValue, item.seed)}` : item.fileName,
          ),
          onclick: () => {
            if (isChosen) this.#chosen.delete(item.id);
            else this.#chosen.add(item.id);
            this.#item = set.find((candidate) => this.#chosen.has(candidate.id));
            this.#render();
          },
        },
        image,
        h('span', { class: 'variation-mark', 'aria-hidden': 'true' }, isChosen ? icon('check') : String(index + 1)),
      );
    });
    const insert = h(
      'button',
      {
        type: 'button',
        class: 'primary wide',
        'data-action': 'insert',
        disabled: !target || !single,
        title: !target
          ? words.openDocumentToInsert
          : single
            ? fill(words.insertChosenTitle, single.fileName, target)
            : words.chooseOneTitle,
        onclick: () => {
          if (single) this.#callbacks.action('insert', single);
        },
      },
      icon('insert'),
      h(
        'span',
        { class: 'button-label' },
        single ? (target ? fill(words.insertChosenInto, target) : words.insertChosen) : words.chooseOne,
      ),
    );
    const trash = h(
      'button',
      {
        type: 'button',
        class: 'secondary wide danger',
        'data-action': 'trashOthers',
        disabled: others.length === 0 || chosen.length === 0,
        title: words.trashOthersTitle,
        onclick: () => {
          void this.#callbacks.trash(others).then((removed) => this.drop(removed));
        },
      },
      icon('trash'),
      h(
        'span',
        { class: 'button-label' },
        others.length === 1 ? words.trashOther : fill(words.trashOthers, others.length),
      ),
    );
    const cost = set.every((item) => item.cost !== undefined)
      ? fill(words.credits, formatCredits(set.reduce((sum, item) => sum + (item.cost ?? 0), 0)))
      : undefined;
    replaceChildren(
      this.#body,
      h('p', { class: 'preview-prompt' }, set[0].prompt),
      h('div', { class: 'variations', role: 'group', 'aria-label': words.variationsGroup }, ...tiles),
      h(
        'p',
        { class: 'preview-facts' },
        [fill(words.variations, set.length), cost, fill(words.keptCount, chosen.length)].filter(Boolean).join(' · '),
      ),
      insert,
      trash,
    );
  }

  #render(): void {
    if (this.#set) {
      this.#renderSet(this.#set);
      return;
    }
    const item = this.#item;
    this.element.hidden = !item;
    if (!item) {
      replaceChildren(this.#body);
      return;
    }
    const { width, height } = item;
    const image = h('img', { src: item.src, alt: item.prompt, width, height, decoding: 'async' });
    image.addEventListener('error', () => this.#callbacks.missing(item), { once: true });
    const facts = [
      `${width} × ${height}`,
      item.seed !== undefined ? fill(words.seedValue, item.seed) : undefined,
      item.cost !== undefined ? fill(words.credits, formatCredits(item.cost)) : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    if (this.#status.textContent) this.showStatus(undefined);
    const target = this.#linkTarget;
    const insert = h(
      'button',
      {
        type: 'button',
        class: 'primary wide',
        'data-action': 'insert',
        disabled: !target,
        title: target ? fill(words.insertTitle, target) : words.openDocumentToInsert,
        onclick: () => this.#callbacks.action('insert', item),
      },
      icon('insert'),
      h('span', { class: 'button-label' }, target ? fill(words.insertInto, target) : words.insertIntoOpenDocument),
    );
    replaceChildren(
      this.#body,
      h(
        'button',
        {
          type: 'button',
          class: 'preview-image',
          title: fill(words.openFile, item.fileName),
          'aria-label': fill(words.openFile, item.fileName),
          onclick: () => this.#callbacks.action('open', item),
        },
        image,
      ),
      h('p', { class: 'preview-prompt' }, item.prompt),
      h('p', { class: 'preview-file', title: item.path }, item.fileName),
      h('p', { class: 'preview-facts' }, facts),
      insert,
      h(
        'div',
        { class: 'toolbar', role: 'group', 'aria-label': words.imageActions },
        ...SECONDARY_ACTIONS.map(({ action, icon: iconName }) =>
          h(
            'button',
            {
              type: 'button',
              class: action === 'delete' ? 'icon-button danger' : 'icon-button',
              'aria-label': words.actions[action],
              title: words.actions[action],
              'data-action': action,
              disabled: action === 'copySeed' && item.seed === undefined,
              onclick: () => (action === 'remix' ? this.#callbacks.remix(item) : this.#callbacks.action(action, item)),
            },
            icon(iconName),
          ),
        ),
      ),
    );
  }
}

function keptLabel(label: string, kept: boolean): string {
  return kept ? fill(words.kept, label) : label;
}
