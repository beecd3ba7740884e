import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../common/apiKey';
import type { GalleryEntry } from '../core/galleryStore';
import { MODELS } from '../core/models/registry';
import { pixelSize, type GenerationRequest } from '../core/request';
import type { Gallery } from '../gallery/gallery';
import type { GenerationService } from '../generation/generationService';
import { useRecipeFromImage } from '../recipes/recipeCommands';
import type { CostsView, CreditsView, GalleryItemView, HostMessage, ViewSnapshot } from '../common/protocol';
import type { Settings } from '../common/settings';
import type { Spending } from '../spending/spending';
import { renderHtml } from './html';
import { markdownEditor } from './imageActions';
import { createMessageHandlers, dispatchWebviewMessage, type MessageHandlers } from './messageHandler';
import { formChoices } from './messageSchema';
import { modelViews } from '../common/modelWords';
import { jobRows, runJobAction } from './jobRows';
import { SidebarRuns } from './sidebarRuns';
import { sidebarStrings } from './sidebarStrings';
import { estimateWords } from '../spending/spending';
import { decodeThumbnailBase64 } from '../core/thumbnails';
import type { Thumbnails } from '../gallery/thumbnails';
import { trashImages } from './variationActions';
import { COMMAND, SIDEBAR_VIEW, STATE_KEY } from '../common/ids';
import { acceptSidebarMessages, reportPostedToSidebar } from '../common/testMode';
import { errorText } from '../common/errorMessages';
import { Disposable, disposeAll } from '../common/dispose';
import { baseName } from '../core/text';

interface Dependencies {
  extensionUri: vscode.Uri;
  settings: Settings;
  keys: ApiKeyStore;
  secrets: vscode.SecretStorage;
  service: GenerationService;
  spending: Spending;
  gallery: Gallery;
  log: vscode.LogOutputChannel;
  /** Keeps the last known balance across sessions (it belongs to the account, not the workspace). */
  globalState: vscode.Memento;
  thumbnails: Thumbnails;
}

const CREDITS_KEY = STATE_KEY.credits;

/**
 * The Ideogram sidebar (`ideogram.generator`): a webview view with the form, the runs, the preview and the
 * gallery. Posts nothing until the webview says `ready`, then one full snapshot followed by updates.
 */
export class SidebarViewProvider extends Disposable implements vscode.WebviewViewProvider {
  static readonly viewType = SIDEBAR_VIEW;

  /** What lives as long as the current view (VS Code resolves a new one after the user closed it). */
  readonly #viewDisposables: vscode.Disposable[] = [];
  #view: vscode.WebviewView | undefined;
  #ready = false;
  #roots: vscode.Uri[] = [];
  #resolvedAt = 0;
  #currentEntryId: string | undefined;
  #jobsTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #runs: SidebarRuns;
  readonly #handlers: MessageHandlers;
  readonly #posted = this.register(new vscode.EventEmitter<HostMessage>());

  readonly #deps: Dependencies;
  constructor(deps: Dependencies) {
    super();
    this.#deps = deps;
    const { gallery, service, log } = deps;
    this.#runs = new SidebarRuns({ ...deps, document: () => markdownEditor()?.document });
    this.#handlers = createMessageHandlers({
      runs: this.#runs,
      gallery,
      log,
      post: (message) => this.#post(message),
      onReady: () => this.#onReady(),
      itemView: (entry) => this.#itemView(entry),
      select: (entryId) => {
        if (gallery.get(entryId)) this.#currentEntryId = entryId;
      },
      refreshContext: () => {
        void this.#postContext();
      },
      jobAction: (action, jobId) => runJobAction(action, jobId, deps),
      useRecipe: async (uri) => {
        await useRecipeFromImage({ provider: this, gallery }, uri);
      },
      trashImages: (entryIds) => trashImages(entryIds, gallery, log),
      thumbnailSrc: async (entry) => {
        const file = await deps.thumbnails.thumbnailOf(entry.imageUri);
        return file && this.#view?.webview.asWebviewUri(file).toString();
      },
      storeThumbnail: (entryId, base64) => this.#storeThumbnail(entryId, base64),
    });
    this.register(this.#runs);
    this.register(
      vscode.Disposable.from(
        acceptSidebarMessages((raw) => this.#receive(raw)),
        this.#runs.onDidChange((event) => {
          if (event.kind === 'changed') this.#post({ type: 'run', run: event.run });
          else if (event.kind === 'credits') this.#setCredits({ ...this.#credits(), remaining: event.remaining });
          else if (event.kind === 'variations')
            this.#post({ type: 'variations', items: event.entries.map((entry) => this.#itemView(entry)) });
          else {
            if (event.entry) this.#currentEntryId = event.entry.id;
            this.#post({
              type: 'runFinished',
              runId: event.runId,
              outcome: event.outcome,
              item: event.entry && this.#itemView(event.entry),
            });
          }
        }),
        service.onDidChangeJobs(() => this.#postJobsSoon()),
        deps.spending.onDidChange(() => this.#post({ type: 'costs', costs: this.#costs() })),
        service.onDidGenerate(({ image }) => {
          if (image.remainingCredits !== undefined || image.cost !== undefined) {
            const previous = this.#credits();
            this.#setCredits({
              remaining: image.remainingCredits ?? previous.remaining,
              lastCost: image.cost ?? previous.lastCost,
            });
          }
        }),
        gallery.onDidChange(({ removedIds, removedUris }) => {
          service.forgetSaved(removedUris);
          void deps.thumbnails
            .deleteFor(removedUris)
            .catch((error: unknown) => log.warn(`Gallery: deleting thumbnails failed (${errorText(error)})`));
          if (this.#currentEntryId && removedIds.includes(this.#currentEntryId)) this.#currentEntryId = undefined;
          if (!this.#updateRoots()) this.#post({ type: 'galleryChanged', total: gallery.size, removedIds });
        }),
        vscode.window.onDidChangeActiveTextEditor(() => {
          void this.#postContext();
        }),
        vscode.window.onDidChangeVisibleTextEditors(() => {
          void this.#postContext();
        }),
        deps.secrets.onDidChange(() => {
          void this.#postContext();
        }),
        vscode.workspace.onDidChangeWorkspaceFolders(() => {
          this.#updateRoots();
          void this.#postContext();
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

  resolveWebviewView(view: vscode.WebviewView): void {
    this.#disposeView();
    this.#view = view;
    this.#ready = false;
    this.#resolvedAt = Date.now();
    this.#deps.log.debug('Sidebar: view resolved');
    // Read the gallery while the webview page loads: the snapshot waits for it.
    void this.#deps.gallery.load();
    const webview = view.webview;
    this.#roots = this.#wantedRoots();
    // enableForms: the form's submit event (Enter, the Generate button) fires only in a sandbox that allows forms;
    // the script cancels it and the CSP's form-action 'none' stops any real submission.
    webview.options = { enableScripts: true, enableForms: true, localResourceRoots: this.#roots };
    webview.html = this.#html(webview);
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
    this.#currentEntryId = entryId;
    if (!(await this.#reveal())) return false;
    this.#post({ type: 'showItem', item: this.#itemView(entry) });
    return true;
  }

  /** Focuses the view and waits until its script has the snapshot (the view may be closed or reloading). */
  async #reveal(): Promise<boolean> {
    await vscode.commands.executeCommand(`${SidebarViewProvider.viewType}.focus`);
    if (this.isReady) return true;
    return new Promise((resolve) => {
      const listener = this.#posted.event((message) => {
        if (message.type !== 'state') return;
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

  #html(webview: vscode.Webview): string {
    const { extensionUri } = this.#deps;
    return renderHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'main.css')).toString(),
      language: vscode.env.language,
      title: vscode.l10n.t('Ideogram'),
      strings: sidebarStrings(vscode, { estimate: estimateWords() }),
    });
  }

  async #onReady(): Promise<void> {
    const view = this.#view;
    if (!view) return;
    await this.#deps.gallery.load();
    if (this.#updateRoots()) return; // the webview reloads with wider roots and says `ready` again
    const snapshot = await this.#snapshot();
    if (this.#view !== view) return;
    this.#ready = true;
    this.#post({ type: 'state', snapshot });
    this.#deps.log.debug(`Sidebar: snapshot sent ${Date.now() - this.#resolvedAt} ms after the view was resolved`);
  }

  async #snapshot(): Promise<ViewSnapshot> {
    const { settings, gallery, keys } = this.#deps;
    const editor = markdownEditor();
    // Resource-scoped settings: the Markdown file's folder may have its own defaults, for each model.
    const scope = editor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const byModel = Object.fromEntries(
      MODELS.map((model) => [model.slug, settings.generationDefaults(scope, model.slug).options]),
    );
    const current = this.#currentEntryId ? gallery.get(this.#currentEntryId) : undefined;
    return {
      choices: formChoices(modelViews()),
      defaults: { model: settings.defaultModel(scope), byModel },
      hasApiKey: (await keys.get()) !== undefined,
      hasWorkspace: (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
      credits: this.#credits(),
      costs: this.#costs(),
      runs: this.#runs.views(),
      current: current && this.#itemView(current),
      galleryTotal: gallery.size,
      markdownTarget: editor ? baseName(editor.document.uri) : undefined,
      jobs: jobRows(this.#deps.service),
    };
  }

  /** Job changes come in bursts (state, then progress): one `jobs` message per burst. */
  #postJobsSoon(): void {
    if (this.#jobsTimer) return;
    this.#jobsTimer = setTimeout(() => {
      this.#jobsTimer = undefined;
      this.#post({ type: 'jobs', jobs: jobRows(this.#deps.service) });
    }, 50);
  }

  async #postContext(): Promise<void> {
    if (!this.isReady) return;
    const editor = markdownEditor();
    this.#post({
      type: 'context',
      markdownTarget: editor ? baseName(editor.document.uri) : undefined,
      hasApiKey: (await this.#deps.keys.get()) !== undefined,
      hasWorkspace: (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
    });
  }

  #post(message: HostMessage): void {
    const view = this.#view;
    if (!view || !this.#ready) return; // the snapshot sent on `ready` carries everything missed
    void view.webview.postMessage(message);
    this.#posted.fire(message);
    reportPostedToSidebar(message);
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

  #costs(): CostsView {
    return { book: this.#deps.spending.book(), pricings: this.#deps.spending.pricings() };
  }

  #credits(): CreditsView {
    return this.#deps.globalState.get<CreditsView>(CREDITS_KEY) ?? {};
  }

  #setCredits(credits: CreditsView): void {
    void this.#deps.globalState.update(CREDITS_KEY, credits);
    this.#post({ type: 'credits', credits });
  }

  #itemView(entry: GalleryEntry): GalleryItemView {
    const uri = vscode.Uri.parse(entry.imageUri, true);
    const src = this.#view?.webview.asWebviewUri(uri).toString() ?? '';
    const item: GalleryItemView = {
      id: entry.id,
      src,
      uri: entry.imageUri,
      prompt: entry.prompt,
      fileName: baseName(uri),
      path: vscode.workspace.asRelativePath(uri, true),
      ...pixelSize(entry.request),
      createdAt: entry.createdAt,
      request: entry.request,
    };
    if (entry.seed !== undefined) item.seed = entry.seed;
    if (entry.cost !== undefined) item.cost = entry.cost;
    return item;
  }

  /**
   * The folders the webview may read: our bundle and CSS, each workspace folder's assets folder (the whole
   * workspace folder when the setting depends on the document), and any folder already holding gallery images.
   */
  #wantedRoots(): vscode.Uri[] {
    const { extensionUri, settings, gallery } = this.#deps;
    const roots = [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
    if (this.#deps.thumbnails.enabled) roots.push(this.#deps.thumbnails.folder);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const pattern = settings.assetsFolder(folder.uri);
      const segments = pattern.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.');
      const dependsOnDocument = pattern.includes('${') || segments.includes('..') || segments.length === 0;
      roots.push(dependsOnDocument ? folder.uri : vscode.Uri.joinPath(folder.uri, ...segments));
    }
    for (const folder of gallery.folders()) {
      if (!roots.some((root) => isUnder(folder, root))) roots.push(folder);
    }
    return roots;
  }

  /** Widens the resource roots when needed. Returns true when the webview reloads because of it. */
  #updateRoots(): boolean {
    const view = this.#view;
    if (!view) return false;
    // Only widen: reloading to drop a root no longer needed (images deleted) would interrupt the user, and
    // a surplus root inside the workspace or our storage is harmless until the view is next resolved.
    const missing = this.#wantedRoots().filter((root) => !this.#roots.some((current) => isUnder(root, current)));
    if (missing.length === 0) return false;
    this.#roots = [...this.#roots, ...missing];
    this.#ready = false;
    // New options reload the webview's document: it says `ready` again and gets a fresh snapshot.
    view.webview.options = { enableScripts: true, enableForms: true, localResourceRoots: this.#roots };
    view.webview.html = this.#html(view.webview);
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

function isUnder(uri: vscode.Uri, root: vscode.Uri): boolean {
  const path = uri.toString();
  const rootPath = root.toString();
  return path === rootPath || path.startsWith(rootPath.endsWith('/') ? rootPath : `${rootPath}/`);
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
