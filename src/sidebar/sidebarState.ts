import * as vscode from 'vscode';
import type { ApiKeyStore } from '../common/apiKey';
import { STATE_KEY } from '../common/ids';
import { modelViews } from '../common/modelWords';
import type {
  CostsView,
  CreditsView,
  GalleryItemView,
  GalleryPageView,
  JobRowView,
  ViewSnapshot,
} from '../common/protocol';
import type { Settings } from '../common/settings';
import type { GalleryEntry } from '../core/galleryStore';
import { MODELS } from '../core/models/registry';
import { baseName } from '../core/text';
import { jobRows } from './jobRows';
import { formChoices } from './messageSchema';
import type {
  SidebarGallery,
  SidebarJobs,
  SidebarLinks,
  SidebarRunsPort,
  SidebarSpending,
  SidebarThumbnails,
} from './ports';
import { assetsRootSegments, foldersOutside, galleryItemView } from './projection';

export interface StateDependencies {
  settings: Pick<Settings, 'generationDefaults' | 'defaultModel' | 'assetsFolder'>;
  keys: Pick<ApiKeyStore, 'get'>;
  /** Keeps the last known balance across sessions (it belongs to the account, not the workspace). */
  globalState: vscode.Memento;
  gallery: SidebarGallery;
  thumbnails: SidebarThumbnails;
  jobs: SidebarJobs;
  spending: SidebarSpending;
  runs: Pick<SidebarRunsPort, 'views'>;
  links: Pick<SidebarLinks, 'targetEditor'>;
  /** The webview's URI of a file, while there is a view ('' without one). */
  webviewUri(uri: vscode.Uri): string;
}

const CREDITS_KEY = STATE_KEY.credits;

/**
 * What the sidebar shows, read from the services when it is sent: the full snapshot after `ready`, the parts
 * that change on their own, the preview's entry and the credits line. The view (./sidebarView.ts) sends them.
 */
export class SidebarState {
  #currentEntryId: string | undefined;

  readonly #deps: StateDependencies;
  constructor(deps: StateDependencies) {
    this.#deps = deps;
  }

  /** The preview now shows this entry (if the gallery has it). */
  select(entryId: string): void {
    if (this.#deps.gallery.get(entryId)) this.#currentEntryId = entryId;
  }

  /** Entries left the gallery: the preview forgets its entry if it was one of them. */
  forget(removedIds: readonly string[]): void {
    if (this.#currentEntryId && removedIds.includes(this.#currentEntryId)) this.#currentEntryId = undefined;
  }

  async snapshot(): Promise<ViewSnapshot> {
    const { settings, gallery } = this.#deps;
    const editor = this.#deps.links.targetEditor();
    // Resource-scoped settings: the document's folder may have its own defaults, for each model.
    const scope = editor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const byModel = Object.fromEntries(
      MODELS.map((model) => [model.slug, settings.generationDefaults(scope, model.slug).options]),
    );
    const current = this.#currentEntryId ? gallery.get(this.#currentEntryId) : undefined;
    return {
      choices: formChoices(modelViews()),
      defaults: { model: settings.defaultModel(scope), byModel },
      ...(await this.context()),
      credits: this.credits(),
      costs: this.costs(),
      runs: this.#deps.runs.views(),
      current: current && this.itemView(current),
      galleryRevision: gallery.revision,
      jobs: this.jobs(),
    };
  }

  /** The target document's name, whether a key is set and whether a folder is open. */
  async context(): Promise<{ linkTarget: string | undefined; hasApiKey: boolean; hasWorkspace: boolean }> {
    const editor = this.#deps.links.targetEditor();
    return {
      linkTarget: editor ? baseName(editor.document.uri) : undefined,
      hasApiKey: (await this.#deps.keys.get()) !== undefined,
      hasWorkspace: (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
    };
  }

  jobs(): JobRowView[] {
    return jobRows(this.#deps.jobs);
  }

  costs(): CostsView {
    return { book: this.#deps.spending.book(), pricings: this.#deps.spending.pricings() };
  }

  credits(): CreditsView {
    return this.#deps.globalState.get<CreditsView>(CREDITS_KEY) ?? {};
  }

  saveCredits(credits: CreditsView): void {
    void this.#deps.globalState.update(CREDITS_KEY, credits);
  }

  itemView(entry: GalleryEntry): GalleryItemView {
    const uri = vscode.Uri.parse(entry.imageUri, true);
    return galleryItemView(entry, {
      src: this.#deps.webviewUri(uri),
      fileName: baseName(uri),
      path: vscode.workspace.asRelativePath(uri, true),
    });
  }

  /** A page of the gallery's entries for a search, each with its stored thumbnail when it has one fit to show. */
  async galleryPage(query: string, offset: number, limit: number): Promise<GalleryPageView> {
    const page = await this.#deps.gallery.query(query, offset, limit);
    const items = await Promise.all(
      page.items.map(async (entry) => {
        const item = this.itemView(entry);
        const thumb = await this.#thumbnailSrc(entry.imageUri).catch(() => undefined);
        return thumb ? { ...item, thumb } : item;
      }),
    );
    return { query, offset, total: page.total, items };
  }

  async #thumbnailSrc(imageUri: string): Promise<string | undefined> {
    const file = await this.#deps.thumbnails.thumbnailOf(imageUri);
    return file && this.#deps.webviewUri(file);
  }

  /**
   * The folders the webview may read: the thumbnails, each workspace folder's assets folder (the whole workspace
   * folder when the setting depends on the document), and any folder already holding gallery images. Not the
   * extension's own: its script and style sheet are written into the page (./html.ts).
   */
  wantedRoots(): vscode.Uri[] {
    const { settings, gallery, thumbnails } = this.#deps;
    const roots: vscode.Uri[] = [];
    if (thumbnails.enabled) roots.push(thumbnails.folder);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const segments = assetsRootSegments(settings.assetsFolder(folder.uri));
      roots.push(segments.length > 0 ? vscode.Uri.joinPath(folder.uri, ...segments) : folder.uri);
    }
    return [...roots, ...foldersOutside(gallery.folders(), roots)];
  }
}
