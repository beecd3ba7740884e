// The messages between the Ideogram sidebar webview (media/main.ts) and the extension host (src/sidebar/*): the
// host → webview union on `type`, and the limits, action lists and the drag type both sides use.
//
// No zod here: the webview bundle imports this file. What the webview posts is typed by the schema the host
// parses it with (src/sidebar/messageSchema.ts, whose types the webview imports); host → webview messages are
// plain types, the host being trusted.
import type { CostBook, ModelPricing } from '../core/cost';
import type { RecoveryAction } from '../core/errors';
import type { ConvertibleOption } from '../core/models/convert';
import type { GenerationRequest, PalettePreset } from '../core/request';
import type { JobState } from '../core/jobStates';

export { RECOVERY_ACTIONS, type RecoveryAction } from '../core/errors';
// What the webview computes itself, with the host's own code: the cost line under Generate and the strings' placeholders.
export { describeEstimate, estimateCost, formatCredits, type CostEstimate, type ModelPricing } from '../core/cost';
// Another model picked in the form carries the options that mean the same (the palette's flow does the same).
export { convertRequest, type ConvertedRequest, type DroppedOption } from '../core/models/convert';
export { fillTemplate } from '../core/template';
// The thumbnail sizes the webview makes and the host checks (src/core/thumbnails.ts).
export { MAX_THUMBNAIL_BYTES, THUMBNAIL_SIDE } from '../core/thumbnailLimits';

/** What the buttons of a result or a gallery item do. */
export const IMAGE_ACTIONS = ['insert', 'open', 'reveal', 'copyLink', 'copySeed', 'delete'] as const;
export type ImageAction = (typeof IMAGE_ACTIONS)[number];

/** What the buttons of a row of the jobs list do. */
export const JOB_ACTIONS = [
  'open',
  'reveal',
  'insert',
  'checkAgain',
  'stopWaiting',
  'discard',
  'showLog',
  'checkUsage',
] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

/** The drag type of a gallery image: the gallery sets it, src/links/galleryDrop.ts turns a drop of it into a link. */
export const GALLERY_DRAG_MIME = 'application/vnd.code.ideogram-image';

/**
 * A gallery tile's `data-vscode-context`: VS Code's `webview/context` menu shows the image actions on a tile
 * (`webviewSection == galleryTile` in package.json) and passes this object, with the image's URI, to the command.
 */
export const GALLERY_TILE_CONTEXT = { section: 'galleryTile', imageKey: 'ideogramImage' } as const;

export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE_SIZE = 200;
/** Gallery entries a page holds: what the webview asks for at a time. */
export const GALLERY_PAGE_SIZE = 60;
/** A form's worth of JSON; anything bigger is not from our form. */
export const MAX_FORM_JSON_LENGTH = 64 * 1024;

// ---- host → webview ---------------------------------------------------------------------------------

export interface CreditsView {
  /** x-remaining-credits of the last answer, when the API sent it. */
  remaining?: number;
  /** Cost of the last image, when the API sent it. */
  lastCost?: number;
}

/** What the form needs to show the cost before Generate is pressed (the webview runs core/cost.ts on it). */
export interface CostsView {
  book: CostBook;
  /** Every model's prices (src/core/models: price table, priced options). */
  pricings: ModelPricing[];
}

export interface ActionButtonView {
  action: RecoveryAction;
  label: string;
}

export interface FailureView {
  message: string;
  kind: string;
  actions: ActionButtonView[];
}

export interface RunView {
  runId: string;
  prompt: string;
  status: 'running' | 'failed';
  /** Segmind has the job: cancelling now only stops waiting (it may still be billed). */
  submitted?: boolean;
  /** Progress text while running ("Generating…", "Rate limited: retrying in 3 s…"). */
  message: string;
  /** Epoch milliseconds. */
  startedAt: number;
  error?: FailureView;
}

/** A gallery entry as the webview shows it: the image through a webview URI, never its bytes. */
export interface GalleryItemView {
  id: string;
  /** `webview.asWebviewUri` of the image. */
  src: string;
  /**
   * `webview.asWebviewUri` of its small thumbnail (gallery pages only), when one is stored; without it the tile shows
   * `src` and makes the thumbnail.
   */
  thumb?: string;
  /** The image file's own URI (for drag and drop into Markdown). */
  uri: string;
  prompt: string;
  fileName: string;
  /** Workspace-relative path for tooltips. */
  path: string;
  width: number;
  height: number;
  createdAt: string;
  seed?: number;
  cost?: number;
  request: GenerationRequest;
}

/** A choice of an enum option, with its words; a size's pixels (or only its shape, for presets) and aspect label. */
export interface ChoiceView {
  value: string;
  /** As the user picks it: "Quality", "Square, high resolution". */
  title: string;
  /** What it means, when the model says ("Best detail, costs most"). */
  description?: string;
  width?: number;
  height?: number;
  /** False for presets, whose width and height are only their shape. */
  exact?: boolean;
  /** "16:9", "≈ 4:5" */
  aspect?: string;
}

/** One option of a model as the form renders it: its descriptor (src/core/models) with its words translated. */
export type OptionView = ConvertibleOption & { label: string; hint?: string; choiceViews?: ChoiceView[] };

/** A model as the form offers it. */
export interface ModelView {
  slug: string;
  displayName: string;
  /** What it is good at, in the user's language. */
  goodAt: string;
  options: OptionView[];
}

/** The form's choices and limits, all read from the models' declarations (the webview has no copy). */
export interface FormChoices {
  models: ModelView[];
  palettePresets: readonly PalettePreset[];
  maxPaletteMembers: number;
  colorWeight: { min: number; max: number };
  /** Variations: at most this many images per Generate. */
  maxVariations: number;
}

/** The options a new request starts with: the model of `ideogram.defaultModel`, and each model's defaults from the settings. */
export interface FormDefaults {
  model: string;
  byModel: Record<string, Record<string, unknown>>;
}

/** One validation problem: the schema path (`prompt`, `color_palette.members.2.color_hex`) and its message. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** A page of the gallery's entries for a search (`''`: all, newest first), from `offset`, of `total` matches. */
export interface GalleryPageView {
  query: string;
  offset: number;
  total: number;
  items: GalleryItemView[];
}

/** The first snapshot, written into the page (src/sidebar/html.ts), and the name of that page. */
export interface PageSnapshot {
  page: string;
  snapshot: ViewSnapshot;
}

export interface ViewSnapshot {
  choices: FormChoices;
  defaults: FormDefaults;
  hasApiKey: boolean;
  hasWorkspace: boolean;
  credits: CreditsView;
  costs: CostsView;
  runs: RunView[];
  /** The last finished image, shown as the preview. */
  current?: GalleryItemView;
  /** Changes whenever the gallery does: a page reloads its gallery when a later snapshot brings another one. */
  galleryRevision: number;
  /** File name of the Markdown editor "Insert" writes into, if there is one. */
  linkTarget?: string;
  jobs: JobRowView[];
}

/** A row of the jobs list: every generation of this window, running or recently finished. */
export interface JobRowView {
  id: string;
  prompt: string;
  state: JobState;
  /** The state in the user's words ("Generating at Segmind", "Saved", …). */
  stateLabel: string;
  /** Epoch milliseconds. */
  createdAt: number;
  finishedAt?: number;
  /** Workspace-relative path of the saved image. */
  path?: string;
  /** Why it failed, as shown to the user. */
  failure?: string;
  actions: Array<{ action: JobAction; label: string }>;
}

export type HostMessage =
  | { type: 'state'; snapshot: ViewSnapshot }
  | { type: 'run'; run: RunView }
  | { type: 'runFinished'; runId: string; item?: GalleryItemView; outcome: 'done' | 'cancelled' | 'dismissed' }
  | ({ type: 'galleryPage'; requestId: string } & GalleryPageView)
  | { type: 'galleryChanged'; total: number; removedIds: string[] }
  | { type: 'credits'; credits: CreditsView }
  | { type: 'costs'; costs: CostsView }
  /** A batch of variations ended: the images saved, side by side in the preview. */
  | { type: 'variations'; items: GalleryItemView[] }
  | { type: 'context'; linkTarget?: string; hasApiKey: boolean; hasWorkspace: boolean }
  | { type: 'actionResult'; requestId: string; ok: boolean; message?: string; removed?: boolean }
  | { type: 'validation'; requestId: string; problems: FieldProblem[] }
  | { type: 'jobs'; jobs: JobRowView[] }
  /** Put a recipe into the form (Use Recipe from Image, an image dropped on the form, the hover's Remix…). */
  | { type: 'fillForm'; request: GenerationRequest; seed?: number }
  /** Show a gallery item as the preview (the hover's Show in Gallery). */
  | { type: 'showItem'; item: GalleryItemView };
