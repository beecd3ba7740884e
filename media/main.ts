// The Ideogram sidebar's script: builds the UI, keeps the form in the view state, talks to the host through
// the typed protocol (src/common/protocol.ts). It never sees the API key and never touches the network.
import type { GenerationRequest, GenerationRequestInput } from '../src/core/request';
import {
  formatCredits,
  type CreditsView,
  type GalleryItemView,
  type HostMessage,
  type ImageAction,
  type RecoveryAction,
  type PageSnapshot,
  type ViewSnapshot,
} from '../src/common/protocol';
import { h, replaceChildren } from './dom';
import { FormView } from './form';
import { defaultForm, formFromRequest, migratedForm, type FormState } from './formModel';
import { GalleryView } from './galleryView';
import { Host } from './host';
import { JobsView } from './jobs';
import { icon } from './icons';
import { PreviewView, RunsView } from './results';
import { fill, fillNodes, words } from './strings';

/** What VS Code keeps for us across reloads of the view (vscode.setState). */
interface PersistedState {
  version: 1;
  /** This version's form, or an earlier version's (read through `migratedForm`). */
  form: FormState;
  galleryQuery: string;
  lastSeed?: number;
  /** The page whose written snapshot this webview has applied (see `pageSnapshot` below). */
  pageSnapshot?: string;
}

const LOW_BALANCE = 1;
if (IDEOGRAM_MEASURE) {
  // For the sidebar's ready-time measurement: when this page started loading, on the wall clock.
  document.body.dataset.timeOrigin = String(Math.round(performance.timeOrigin));
  document.body.dataset.scriptMs = performance.now().toFixed(1);
}
const host = new Host<PersistedState>();
const remembered = host.state?.version === 1 ? host.state : undefined;
const rememberedForm = migratedForm(remembered?.form);
const saved = remembered && rememberedForm ? { ...remembered, form: rememberedForm } : undefined;
const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent);
let persisted: PersistedState = saved ?? { version: 1, form: defaultForm(), galleryQuery: '' };
let lastSeed = saved?.lastSeed;

function persist(change: Partial<PersistedState>): void {
  persisted = { ...persisted, ...change };
  host.state = persisted;
}

// ---- announcements for screen readers (what is visible anyway needs no banner) ------------------------

const announcer = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
function announce(text: string | undefined): void {
  if (!text) return;
  // Re-setting the same text would not be announced again.
  announcer.textContent = '';
  requestAnimationFrame(() => {
    announcer.textContent = text;
  });
}

// ---- notices: credits, API key, workspace -------------------------------------------------------------

const creditsLine = h('div', { class: 'credits', role: 'status' });
creditsLine.hidden = true;
function showCredits(credits: CreditsView): void {
  const { remaining, lastCost } = credits;
  creditsLine.hidden = remaining === undefined && lastCost === undefined;
  const low = remaining !== undefined && remaining < LOW_BALANCE;
  creditsLine.classList.toggle('low', low);
  const text = h('p', { class: 'credits-text' });
  if (remaining !== undefined)
    text.append(...fillNodes(low ? words.lowBalance : words.creditsLeft, h('strong', {}, formatCredits(remaining))));
  if (lastCost !== undefined)
    text.append(
      h(
        'span',
        { class: 'muted' },
        `${remaining !== undefined ? ' · ' : ''}${fill(words.lastImageCost, formatCredits(lastCost))}`,
      ),
    );
  const body = h('div', { class: 'credits-body' }, icon(low ? 'warning' : 'coin', 'icon status-icon'), text);
  replaceChildren(
    creditsLine,
    body,
    low &&
      h('button', { type: 'button', class: 'secondary small', onclick: () => recover('openBilling') }, words.topUp),
  );
}

const keyNotice = h(
  'div',
  { class: 'notice' },
  icon('key', 'icon status-icon'),
  h(
    'div',
    {},
    h('p', {}, words.apiKeyNotice),
    h('button', { type: 'button', class: 'primary small', onclick: () => recover('setApiKey') }, words.setApiKey),
  ),
);
keyNotice.hidden = true;
const folderNotice = h('div', { class: 'notice' }, icon('folder', 'icon status-icon'), h('p', {}, words.folderNotice));
folderNotice.hidden = true;

function recover(action: RecoveryAction, runId?: string): void {
  host.post(runId ? { type: 'recover', action, runId } : { type: 'recover', action });
}

// ---- the parts ---------------------------------------------------------------------------------------

/** Built with the first snapshot: its choices come from the request schema, through the host. */
let form: FormView | undefined;
/** The models and limits of the snapshot the form was built from. */
let choices: ViewSnapshot['choices'] | undefined;
const formSlot = h('div', { class: 'form-slot' });

function createForm(choices: ViewSnapshot['choices'], state: FormState, defaults: ViewSnapshot['defaults']): FormView {
  return new FormView(
    state,
    choices,
    {
      onChange: (changed) => persist({ form: changed }),
      validate: async (input) =>
        (await host.request<Extract<HostMessage, { type: 'validation' }>>({ type: 'validate', request: input }, 5_000))
          .problems,
      onSubmit: (result) => {
        if (!result.ok) {
          announce(words.fixFields);
          return;
        }
        const runId = host.newId('run');
        const count = form?.count ?? 1;
        host.post(
          count > 1
            ? { type: 'generate', runId, request: result.input as GenerationRequestInput, count }
            : { type: 'generate', runId, request: result.input as GenerationRequestInput },
        );
        runs.upsert({
          runId,
          prompt: String(result.input.prompt).trim(),
          status: 'running',
          message: words.starting,
          startedAt: Date.now(),
        });
      },
    },
    isMac,
    defaults,
  );
}

const jobs = new JobsView((action, jobId) => host.post({ type: 'jobAction', jobId, action }));

const runs = new RunsView({
  cancel: (runId) => host.post({ type: 'cancel', runId }),
  dismiss: (runId) => {
    host.post({ type: 'dismissRun', runId });
    runs.remove(runId);
  },
  recover: (action, runId) => recover(action, runId),
});

async function imageAction(action: ImageAction, item: GalleryItemView): Promise<void> {
  try {
    // Delete waits for a modal confirmation: allow the user time to read it.
    const result = await host.request<Extract<HostMessage, { type: 'actionResult' }>>(
      { type: 'imageAction', entryId: item.id, action },
      action === 'delete' ? 10 * 60_000 : 30_000,
    );
    if (result.removed) dropItems([item.id]);
    if (preview.item?.id === item.id) preview.showStatus(result.message, !result.ok);
    else announce(result.message);
  } catch (error) {
    preview.showStatus(error instanceof Error ? error.message : String(error), true);
  }
}

function showPreview(item: GalleryItemView | undefined): void {
  preview.show(item);
  gallery.setSelected(item?.id);
}

const preview = new PreviewView({
  action: (action, item) => {
    void imageAction(action, item);
  },
  trash: async (items) => {
    try {
      // Waits for a modal confirmation: allow the user time to read it.
      const result = await host.request<Extract<HostMessage, { type: 'actionResult' }>>(
        { type: 'trashImages', entryIds: items.map((item) => item.id) },
        10 * 60_000,
      );
      preview.showStatus(result.message, !result.ok);
      return result.removed ? items.map((item) => item.id) : [];
    } catch (error) {
      preview.showStatus(error instanceof Error ? error.message : String(error), true);
      return [];
    }
  },
  remix: (item) => applyRecipe(item.request, item.seed),
  missing: (item) => host.post({ type: 'imageMissing', entryId: item.id }),
});

/** A recipe into the form: Remix, an image dropped on the form, "Use Recipe from Image". */
function applyRecipe(request: GenerationRequest, seed: number | undefined): void {
  if (!form) return;
  if (!choices) return;
  form.setState(formFromRequest(request, seed, form.state, choices));
  persist({ form: form.state });
  form.focusPrompt();
  window.scrollTo({ top: 0 });
  announce(words.recipeApplied);
}

// An image file dragged from the Explorer onto the form: the host reads its embedded recipe into the form.
const IMAGE_FILE = /\.(png|jpe?g|webp|gif)$/i;
function droppedImageUri(data: DataTransfer | null): string | undefined {
  const list = data?.getData('application/vnd.code.uri-list') || data?.getData('text/uri-list') || '';
  return list
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#') && IMAGE_FILE.test(line.replace(/[?#].*$/, '')));
}
formSlot.addEventListener('dragover', (event) => {
  const types = event.dataTransfer?.types ?? [];
  if (!types.includes('text/uri-list') && !types.includes('application/vnd.code.uri-list')) return;
  event.preventDefault();
  formSlot.classList.add('drop-target');
});
formSlot.addEventListener('dragleave', () => formSlot.classList.remove('drop-target'));
formSlot.addEventListener('drop', (event) => {
  formSlot.classList.remove('drop-target');
  const uri = droppedImageUri(event.dataTransfer);
  if (!uri) return; // text dropped into a field keeps its default
  event.preventDefault();
  host.post({ type: 'useRecipe', uri });
});

const gallery = new GalleryView(
  {
    query: (query, offset, limit) =>
      host.request<Extract<HostMessage, { type: 'galleryPage' }>>({ type: 'queryGallery', query, offset, limit }),
    select: (item) => {
      showPreview(item);
      host.post({ type: 'select', entryId: item.id });
      preview.element.scrollIntoView({ block: 'nearest' });
    },
    missing: (item) => host.post({ type: 'imageMissing', entryId: item.id }),
    searchChanged: (query) => persist({ galleryQuery: query }),
    thumbnailMade: (item, data) => host.post({ type: 'thumbnail', entryId: item.id, data }),
    rendered: IDEOGRAM_MEASURE
      ? ({ count, total, ms, query }) => {
          document.body.dataset.galleryCount = String(count);
          document.body.dataset.galleryTotal = String(total);
          document.body.dataset.galleryQuery = query;
          document.body.dataset.galleryRenderMs = ms.toFixed(1);
          // When it was painted, on the document's clock: open → first page, whichever message brought it.
          document.body.dataset.galleryPaintedMs = performance.now().toFixed(1);
        }
      : undefined,
  },
  persisted.galleryQuery,
);

function dropItems(ids: string[], total?: number): void {
  if (preview.items.some((item) => ids.includes(item.id))) preview.drop(ids);
  gallery.removeItems(ids, total ?? Math.max(0, gallery.loadedCount - ids.length));
}

function setLastSeed(seed: number | undefined): void {
  if (seed === undefined) return;
  lastSeed = seed;
  persist({ lastSeed });
  form?.setLastSeed(seed);
}

function applyContext(context: { linkTarget?: string; hasApiKey: boolean; hasWorkspace: boolean }): void {
  preview.setLinkTarget(context.linkTarget);
  keyNotice.hidden = context.hasApiKey;
  folderNotice.hidden = context.hasWorkspace;
}

/** The gallery's revision in the last snapshot applied: a later snapshot reloads the gallery only if it changed. */
let snapshotGalleryRevision: number | undefined;

function applySnapshot(snapshot: ViewSnapshot): void {
  if (!form) {
    // Defaults from the settings apply to a fresh form; a remembered form is kept as the user left it.
    choices = snapshot.choices;
    form = createForm(
      snapshot.choices,
      saved ? persisted.form : defaultForm(snapshot.defaults, snapshot.choices),
      snapshot.defaults,
    );
    replaceChildren(formSlot, form.element);
    persist({ form: form.state });
  }
  form.setCosts(snapshot.costs);
  applyContext(snapshot);
  showCredits(snapshot.credits);
  runs.setAll(snapshot.runs);
  jobs.setAll(snapshot.jobs);
  showPreview(snapshot.current);
  setLastSeed(snapshot.current?.seed ?? lastSeed);
  // The page's snapshot asked for the first page already: reloading for the fresh one would drop that answer.
  if (snapshotGalleryRevision !== snapshot.galleryRevision) void gallery.reload();
  snapshotGalleryRevision = snapshot.galleryRevision;
  const app = document.getElementById('app');
  app?.removeAttribute('aria-busy');
  document.body.dataset.ready = 'true';
  if (IDEOGRAM_MEASURE) document.body.dataset.readyMs ??= performance.now().toFixed(1);
}

host.onMessage((message) => {
  switch (message.type) {
    case 'state':
      // For the bench's parts of a first opening (5a): when the first snapshot arrived, on the document's clock.
      if (IDEOGRAM_MEASURE) document.body.dataset.snapshotMs ??= performance.now().toFixed(1);
      applySnapshot(message.snapshot);
      break;
    case 'run':
      runs.upsert(message.run);
      break;
    case 'runFinished':
      runs.remove(message.runId);
      if (message.item) {
        showPreview(message.item);
        setLastSeed(message.item.seed);
        announce(fill(words.imageReady, message.item.prompt));
        // Bring the result into view, unless the user is typing (scrolling would pull the field away).
        const active = document.activeElement;
        if (!(
          active instanceof HTMLTextAreaElement ||
          (active instanceof HTMLInputElement && active.type !== 'button')
        )) {
          preview.element.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
        }
      } else if (message.outcome === 'cancelled') {
        announce(words.generationCancelled);
      }
      break;
    case 'galleryChanged':
      if (message.removedIds.length > 0) dropItems(message.removedIds, message.total);
      else void gallery.refreshTop();
      break;
    case 'credits':
      showCredits(message.credits);
      break;
    case 'costs':
      form?.setCosts(message.costs);
      break;
    case 'variations':
      preview.showSet(message.items);
      gallery.setSelected(message.items[0]?.id);
      announce(fill(words.variationsReady, message.items.length));
      break;
    case 'jobs':
      jobs.setAll(message.jobs);
      break;
    case 'fillForm':
      applyRecipe(message.request, message.seed);
      break;
    case 'showItem':
      showPreview(message.item);
      preview.element.scrollIntoView({ block: 'nearest' });
      break;
    case 'context':
      applyContext(message);
      break;
    case 'galleryPage':
    case 'actionResult':
      break; // answers to requests: settled by Host
  }
});

const app = document.getElementById('app') ?? document.body;
replaceChildren(
  app,
  creditsLine,
  keyNotice,
  folderNotice,
  formSlot,
  runs.element,
  preview.element,
  jobs.element,
  gallery.element,
  announcer,
);
// The snapshot the host wrote into the page: the form is built now, without asking. The same page shown again (VS
// Code makes a hidden view's page anew from the same HTML) has used it already: `ready` brings a fresh one instead.
const pageSnapshotText = document.getElementById('snapshot')?.textContent;
const pageSnapshot = pageSnapshotText ? (JSON.parse(pageSnapshotText) as PageSnapshot) : undefined;
if (pageSnapshot && persisted.pageSnapshot !== pageSnapshot.page) {
  if (IDEOGRAM_MEASURE) document.body.dataset.snapshotMs = performance.now().toFixed(1);
  persist({ pageSnapshot: pageSnapshot.page });
  applySnapshot(pageSnapshot.snapshot);
}
host.post({ type: 'ready' });
