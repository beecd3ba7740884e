import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../common/apiKey';
import type { GenerationRequest } from '../core/request';
import type { HostMessage, ViewSnapshot } from '../common/protocol';
import { renderHtml, renderUnavailableHtml } from './html';
import { runImageAction, type ImageActionServices } from './imageActions';
import { createMessageHandlers, dispatchWebviewMessage, type MessageHandlers } from './messageHandler';
import { runJobAction } from './jobRows';
import { sidebarStrings } from './sidebarStrings';
import { decodeThumbnailBase64 } from '../core/thumbnails';
import { trashImages } from './variationActions';
import { COMMAND, SIDEBAR_VIEW } from '../common/ids';
import { acceptSidebarMessages, reportPostedToSidebar } from '../common/testMode';
import { errorText } from '../common/errorMessages';
import { Disposable, disposeAll } from '../common/dispose';
import type {
  EstimateWording,
  SidebarGallery,
  SidebarJobs,
  SidebarRunsPort,
  SidebarSpending,
  SidebarThumbnails,
} from './ports';
import { SidebarState, type StateDependencies } from './sidebarState';
import { creditsAfterImage, runEventMessage, uncoveredRoots } from './projection';

/** What the sidebar is built from: the shared services, and the other features through its ports (./ports.ts). */
export interface SidebarDependencies extends ImageActionServices {
  extensionUri: vscode.Uri;
  settings: StateDependencies['settings'];
  keys: Pick<ApiKeyStore, 'get'>;
  secrets: vscode.SecretStorage;
  log: vscode.LogOutputChannel;
  globalState: vscode.Memento;
  gallery: SidebarGallery;
  thumbnails: SidebarThumbnails;
  jobs: SidebarJobs;
  spending: SidebarSpending;
  /** The generations started here; the view owns them (they are disposed with it). */
  runs: SidebarRunsPort;
  estimateWords: EstimateWording;
}

/**
 * The Ideogram sidebar (`ideogram.generator`): a webview view with the form, the runs, the preview and the
 * gallery. Posts nothing until the webview says `ready`, then one full snapshot (./sidebarState.ts) followed by
 * updates.
 */
export class SidebarViewProvider extends Disposable implements vscode.WebviewViewProvider {
  static readonly viewType = SIDEBAR_VIEW;

  /** What lives as long as the current view (VS Code resolves a new one after the user closed it). */
  readonly #viewDisposables: vscode.Disposable[] = [];
  #view: vscode.WebviewView | undefined;
  #ready = false;
  #roots: vscode.Uri[] = [];
  #resolvedAt = 0;
  /** When the last opening's page was written (the bench splits a first opening into VS Code's part and ours). */
  #pageWrittenAt = 0;
  #jobsTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #state: SidebarState;
  readonly #handlers: MessageHandlers;
  readonly #posted = this.register(new vscode.EventEmitter<HostMessage>());
  /** The page's script said `ready` and has a snapshot that is up to date. */
  readonly #becameReady = this.register(new vscode.EventEmitter<void>());
  /**
   * The page was written with a snapshot, its script has not said `ready` yet and no update has been dropped since
   * (updates wait for `ready`): then that `ready` needs no fresh snapshot, whose building and posting would hold up
   * the page's first gallery page. A later `ready` is the same page shown again (VS Code makes a hidden view's page
   * anew from the same HTML): the page then skips its stale snapshot (media/main.ts) and gets a fresh one.
   */
  #pageCurrent = false;

  readonly #deps: SidebarDependencies;
  constructor(deps: SidebarDependencies) {
    super();
    this.#deps = deps;
    const { gallery, jobs, runs, log } = deps;
    const state = (this.#state = new SidebarState({
      ...deps,
      webviewUri: (uri) => this.#view?.webview.asWebviewUri(uri).toString() ?? '',
    }));
    this.#handlers = createMessageHandlers({
      runs,
      gallery,
      log,
      post: (message) => this.#post(message),
      onReady: () => this.#onReady(),
      itemView: (entry) => state.itemView(entry),
      select: (entryId) => state.select(entryId),
      refreshContext: () => void this.#postContext(),
      imageAction: (action, entry) => runImageAction(action, entry, deps),
      jobAction: (action, jobId) => runJobAction(action, jobId, deps),
      // The command takes the image's URI as a string, as the hover's links pass it.
      useRecipe: async (uri) => {
        await vscode.commands.executeCommand(COMMAND.useRecipeFromImage, uri);
      },
      trashImages: (entryIds) => trashImages(entryIds, gallery, deps.trash),
      galleryPage: (query, offset, limit) => state.galleryPage(query, offset, limit),
      storeThumbnail: (entryId, base64) => this.#storeThumbnail(entryId, base64),
    });
    this.register(runs);
    const refreshContext = () => void this.#postContext();
    this.register(
      vscode.Disposable.from(
        acceptSidebarMessages((raw) => this.#receive(raw)),
        runs.onDidChange((event) => {
          if (event.kind === 'credits') this.#setCredits({ ...state.credits(), remaining: event.remaining });
          if (event.kind === 'finished' && event.entry) state.select(event.entry.id);
          const message = runEventMessage(event, (entry) => state.itemView(entry));
          if (message) this.#post(message);
        }),
        jobs.onDidChangeJobs(() => this.#postJobsSoon()),
        deps.spending.onDidChange(() => this.#post({ type: 'costs', costs: state.costs() })),
        jobs.onDidGenerate(({ image }) => {
          const credits = creditsAfterImage(state.credits(), image);
          if (credits) this.#setCredits(credits);
        }),
        gallery.onDidChange(({ removedIds, removedUris }) => {
          jobs.forgetSaved(removedUris);
          void deps.thumbnails
            .deleteFor(removedUris)
            .catch((error: unknown) => log.warn(`Gallery: deleting thumbnails failed (${errorText(error)})`));
          state.forget(removedIds);
          if (!this.#updateRoots()) this.#post({ type: 'galleryChanged', total: gallery.size, removedIds });
        }),
        vscode.window.onDidChangeActiveTextEditor(refreshContext),
        vscode.window.onDidChangeVisibleTextEditors(refreshContext),
        deps.secrets.onDidChange(refreshContext),
        vscode.workspace.onDidChangeWorkspaceFolders(() => {
          this.#updateRoots();
          refreshContext();
        }),
        vscode.workspace.onDidChangeConfiguration((event) => {
          if (event.affectsConfiguration('ideogram.assetsFolder')) this.#updateRoots();
        }),
      ),
    );
  }

  /** Whether the view is open and its script has said `ready`. */
  get isReady(): boolean {
    return !!this.#view && this.#ready;
  }

  async resolveWebviewView(view: vscode.WebviewView): Promise<void> {
    this.#disposeView();
    this.#view = view;
    this.#ready = false;
    this.#resolvedAt = Date.now();
    this.#deps.log.debug('Sidebar: view resolved');
    const webview = view.webview;
    this.#viewDisposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.#receive(raw)),
      view.onDidDispose(() => {
        if (this.#view === view) {
          this.#view = undefined;
          this.#ready = false;
        }
        this.#disposeView();
      }),
    );
    // The first snapshot goes into the page, so the form is built as the script starts, without waiting for a round
    // trip through the workbench (`ready`, then `state`: 40–60 ms of a first opening). It needs the gallery read,
    // which its roots need too; `ready` still brings a fresh snapshot with whatever changed meanwhile.
    let snapshot: ViewSnapshot | undefined;
    // Current from here: an update dropped while the snapshot is made marks it otherwise.
    this.#pageCurrent = true;
    try {
      await this.#deps.gallery.load();
      snapshot = await this.#state.snapshot();
    } catch (error) {
      // The page asks for it on `ready` instead, as before this shortcut.
      this.#deps.log.warn(`Sidebar: no snapshot for the page: ${errorText(error)}`);
    }
    if (this.#view !== view) return;
    this.#roots = this.#state.wantedRoots();
    this.#writePage(webview, snapshot);
    this.#pageWrittenAt = Date.now();
    if (!snapshot) this.#pageCurrent = false;
  }

  /** The last opening: when VS Code asked for the view, and when its page was written (epoch ms). */
  get lastOpening(): { resolvedAt: number; pageWrittenAt: number } {
    return { resolvedAt: this.#resolvedAt, pageWrittenAt: this.#pageWrittenAt };
  }

  /** Opens the sidebar (if needed) and puts a recipe into its form. */
  async fillForm(request: GenerationRequest, seed: number | undefined): Promise<boolean> {
    if (!(await this.#reveal())) return false;
    this.#post(seed === undefined ? { type: 'fillForm', request } : { type: 'fillForm', request, seed });
    return true;
  }

  /** Opens the sidebar (if needed) and shows a gallery entry as the preview. */
  async showEntry(entryId: string): Promise<boolean> {
    const entry = this.#deps.gallery.get(entryId);
    if (!entry) return false;
    this.#state.select(entryId);
    if (!(await this.#reveal())) return false;
    this.#post({ type: 'showItem', item: this.#state.itemView(entry) });
    return true;
  }

  /** Focuses the view and waits until its script has the snapshot (the view may be closed or reloading). */
  async #reveal(): Promise<boolean> {
    await vscode.commands.executeCommand(`${SidebarViewProvider.viewType}.focus`);
    if (this.isReady) return true;
    return new Promise((resolve) => {
      const listener = this.#becameReady.event(() => {
        clearTimeout(timer);
        listener.dispose();
        resolve(true);
      });
      const timer = setTimeout(() => {
        listener.dispose();
        resolve(this.isReady);
      }, 30_000);
    });
  }

  /** Handles one message the webview posted (validated first: it crosses a trust boundary). */
  #receive(raw: unknown): Promise<void> {
    return dispatchWebviewMessage(this.#handlers, raw, this.#deps.log);
  }

  readonly #assets = new PageAssets();

  /** Gives the webview its options (the folders it may read: `#roots`) and its page, which then loads anew. */
  #writePage(webview: vscode.Webview, snapshot: ViewSnapshot | undefined): void {
    // enableForms: the form's submit event (Enter, the Generate button) fires only in a sandbox that allows forms;
    // the script cancels it and the CSP's form-action 'none' stops any real submission.
    webview.options = { enableScripts: true, enableForms: true, localResourceRoots: this.#roots };
    try {
      webview.html = this.#html(webview, snapshot);
    } catch (error) {
      // Without its script the view would stay blank, with the reason only in the log.
      this.#deps.log.error(`Sidebar: its page could not be made: ${errorText(error)}`);
      webview.html = renderUnavailableHtml({
        language: vscode.env.language,
        title: vscode.l10n.t('Ideogram'),
        message: vscode.l10n.t(
          'The Ideogram sidebar could not be shown: {0}. Reinstall the extension (in a development checkout, run "npm run build"), then reload the window.',
          errorText(error),
        ),
      });
    }
  }

  #html(webview: vscode.Webview, snapshot: ViewSnapshot | undefined): string {
    const { extensionUri } = this.#deps;
    return renderHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      script: this.#assets.read(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')),
      style: this.#assets.read(vscode.Uri.joinPath(extensionUri, 'media', 'main.css')),
      language: vscode.env.language,
      title: vscode.l10n.t('Ideogram'),
      strings: sidebarStrings(vscode, { estimate: this.#deps.estimateWords() }),
      snapshot: snapshot && { page: randomBytes(8).toString('hex'), snapshot },
    });
  }

  async #onReady(): Promise<void> {
    const view = this.#view;
    if (!view) return;
    await this.#deps.gallery.load();
    if (this.#updateRoots()) return; // the webview reloads with wider roots and says `ready` again
    const pageCurrent = this.#pageCurrent;
    this.#pageCurrent = false;
    if (pageCurrent) {
      this.#ready = true;
      this.#becameReady.fire();
      this.#deps.log.debug(`Sidebar: ready ${Date.now() - this.#resolvedAt} ms after the view was resolved`);
      return;
    }
    const snapshot = await this.#state.snapshot();
    if (this.#view !== view) return;
    this.#ready = true;
    this.#post({ type: 'state', snapshot });
    this.#becameReady.fire();
    this.#deps.log.debug(`Sidebar: snapshot sent ${Date.now() - this.#resolvedAt} ms after the view was resolved`);
  }

  /** Job changes come in bursts (state, then progress): one `jobs` message per burst. */
  #postJobsSoon(): void {
    if (this.#jobsTimer) return;
    this.#jobsTimer = setTimeout(() => {
      this.#jobsTimer = undefined;
      this.#post({ type: 'jobs', jobs: this.#state.jobs() });
    }, 50);
  }

  async #postContext(): Promise<void> {
    if (!this.#view) return;
    // Before `ready`, #post drops it and marks the page as missing it, like any other update.
    this.#post({ type: 'context', ...(await this.#state.context()) });
  }

  #post(message: HostMessage): void {
    const view = this.#view;
    if (!view) return;
    // Before `ready`, an update is dropped (the snapshot `ready` then brings carries it); an answer to a request of
    // the page's script is not: that script is running and waits for it.
    if (!this.#ready && !('requestId' in message)) {
      this.#pageCurrent = false;
      return;
    }
    void view.webview.postMessage(message);
    this.#posted.fire(message);
    reportPostedToSidebar(message);
  }

  #setCredits(credits: Parameters<SidebarState['saveCredits']>[0]): void {
    this.#state.saveCredits(credits);
    this.#post({ type: 'credits', credits });
  }

  async #storeThumbnail(entryId: string, base64: string): Promise<void> {
    const entry = this.#deps.gallery.get(entryId);
    if (!entry) return;
    const bytes = decodeThumbnailBase64(base64);
    const refused = bytes ? await this.#deps.thumbnails.store(entry.imageUri, bytes) : 'not base64';
    if (refused)
      this.#deps.log.warn(
        `Gallery: a thumbnail from the webview was not stored (${refused}); the tile keeps the full image`,
      );
  }

  /** Widens the resource roots when needed. Returns true when the webview reloads because of it. */
  #updateRoots(): boolean {
    const view = this.#view;
    if (!view) return false;
    // Only widen: reloading to drop a root no longer needed (images deleted) would interrupt the user, and
    // a surplus root inside the workspace or our storage is harmless until the view is next resolved.
    const missing = uncoveredRoots(this.#state.wantedRoots(), this.#roots);
    if (missing.length === 0) return false;
    this.#roots = [...this.#roots, ...missing];
    this.#ready = false;
    this.#pageCurrent = false;
    // New options reload the webview's document: it says `ready` again and gets a fresh snapshot.
    this.#writePage(view.webview, undefined);
    return true;
  }

  #disposeView(): void {
    disposeAll(this.#viewDisposables);
  }

  override dispose(): void {
    clearTimeout(this.#jobsTimer);
    this.#disposeView();
    super.dispose();
  }
}

/**
 * The webview's script and style sheet as text, for the page (./html.ts). Read once, and again only when the file
 * changed (a development build in watch mode): a view opened again costs a stat, not a 100 KB read.
 */
class PageAssets {
  readonly #read = new Map<string, { mtimeMs: number; text: string }>();

  read(uri: vscode.Uri): string {
    const file = uri.fsPath;
    const { mtimeMs } = fs.statSync(file);
    const known = this.#read.get(file);
    if (known?.mtimeMs === mtimeMs) return known.text;
    const text = fs.readFileSync(file, 'utf8');
    this.#read.set(file, { mtimeMs, text });
    return text;
  }
}

/**
 * Registers the sidebar's view and `ideogram.openPanel` (which focuses it). The provider is owned by the returned
 * disposable; the services it uses (the gallery and its thumbnails too) are activation's.
 */
export function registerSidebar(provider: SidebarViewProvider): vscode.Disposable {
  return vscode.Disposable.from(
    provider,
    vscode.window.registerWebviewViewProvider(SidebarViewProvider.viewType, provider),
    vscode.commands.registerCommand(COMMAND.openPanel, async () => {
      await vscode.commands.executeCommand(`${SidebarViewProvider.viewType}.focus`);
    }),
  );
}
