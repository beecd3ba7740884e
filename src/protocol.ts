// The messages between the Ideogram sidebar webview (media/main.ts) and the extension host
// (src/webview/*). One discriminated union on `type` in each direction.
//
// Webview → host messages cross a trust boundary: the host parses every one with `webviewMessageSchema`
// and drops (and logs) anything else. Host → webview messages are plain types: the host is trusted, and
// the webview bundle imports this file with `import type` only, so no zod reaches it from here.
import * as z from 'zod/mini';
import type { CostBook } from './core/cost';
import type { RecoveryAction } from './core/errors';
import { MAX_THUMBNAIL_BASE64_LENGTH } from './core/thumbnailLimits';
import { MAX_VARIATIONS } from './core/variations';
import {
  aspectRatioLabel, COLOR_WEIGHT_MAX, COLOR_WEIGHT_MIN, generationRequestSchema, MAGIC_PROMPT_OPTIONS, PALETTE_MAX_MEMBERS,
  PALETTE_PRESETS, RESOLUTIONS, resolutionSize, SEED_MAX, SEED_MIN, STYLE_TYPES,
  type GenerationRequest, type MagicPromptOption, type PalettePreset, type Resolution, type StyleType,
} from './core/request';

export const RECOVERY_ACTIONS = ['setApiKey', 'openBilling', 'showLog', 'retry', 'openSettings', 'checkStatus'] as const;
// Fails to compile when core/errors.ts gains or loses an action this list does not have.
type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const recoveryActionsMatch: SameMembers<(typeof RECOVERY_ACTIONS)[number], RecoveryAction> = true;
void recoveryActionsMatch;

/** What the buttons of a result or a gallery item do. */
export const IMAGE_ACTIONS = ['insert', 'open', 'reveal', 'copyLink', 'copySeed', 'delete'] as const;
export type ImageAction = (typeof IMAGE_ACTIONS)[number];

/** What the buttons of a row of the jobs list do. */
export const JOB_ACTIONS = ['open', 'reveal', 'insert', 'checkAgain', 'stopWaiting', 'discard', 'showLog', 'checkUsage'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];
/** The states a job shows in the jobs list (see src/core/jobStore.ts). */
export const JOB_VIEW_STATES = ['submitting', 'queued', 'processing', 'downloading', 'saved', 'failed', 'expired', 'lost', 'discarded'] as const;

/** The drag type of a gallery image; src/markdownDrop.ts turns a drop of it into a Markdown link. Must match it. */
export const GALLERY_DRAG_MIME = 'application/vnd.code.ideogram-image';

export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE_SIZE = 200;
/** A form's worth of JSON; anything bigger is not from our form. */
export const MAX_FORM_JSON_LENGTH = 64 * 1024;

/** Plain JSON data (what the form produces), small, and without keys that could reach a prototype. */
function isSmallPlainJson(value: unknown): boolean {
  let size = 0;
  const visit = (node: unknown, depth: number): boolean => {
    if (depth > 6) return false;
    if (node === null || typeof node === 'boolean') return true;
    if (typeof node === 'number') return Number.isFinite(node) || Number.isNaN(node);
    if (typeof node === 'string') return (size += node.length) <= MAX_FORM_JSON_LENGTH;
    if (Array.isArray(node)) return node.length <= 64 && node.every((item) => visit(item, depth + 1));
    if (typeof node !== 'object' || Object.getPrototypeOf(node) !== Object.prototype) return false;
    const keys = Object.keys(node);
    if (keys.length > 32) return false;
    return keys.every((key) => key !== '__proto__' && key !== 'constructor' && key !== 'prototype'
      && (size += key.length) <= MAX_FORM_JSON_LENGTH && visit((node as Record<string, unknown>)[key], depth + 1));
  };
  return visit(value, 0);
}

/** The form's request as typed, before validation: any small plain JSON object. */
const formInput = z.unknown().check(z.refine((value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && isSmallPlainJson(value), { message: 'not a small JSON object' }));

/** Ids made by the webview: short, printable, never a place to smuggle data. */
const id = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/));

/** Every message the webview may send. Objects are strict: an unknown key (`__proto__` included) rejects the message. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  /** The script has loaded and listens: the host answers with one `state` snapshot. */
  z.strictObject({ type: z.literal('ready') }),
  /**
   * Check the form with the request schema (the webview has no copy of the rules); answered with
   * `validation`. The same schema parses `generate` below.
   */
  z.strictObject({ type: z.literal('validate'), requestId: id, request: formInput }),
  /** Start a generation; the host reports on it with `run` messages carrying the same `runId`. */
  z.strictObject({
    type: z.literal('generate'), runId: id, request: generationRequestSchema,
    /** Variations: this many images of the recipe (distinct seeds), shown side by side. */
    count: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_VARIATIONS))),
  }),
  /** Move these images (a set of variations the user did not keep) to the trash at once; answered with `actionResult`. */
  z.strictObject({ type: z.literal('trashImages'), requestId: id, entryIds: z.array(id).check(z.minLength(1), z.maxLength(MAX_VARIATIONS)) }),
  z.strictObject({ type: z.literal('cancel'), runId: id }),
  /** Forget a failed run's row. */
  z.strictObject({ type: z.literal('dismissRun'), runId: id }),
  /** A button of an inline error; `retry` needs the failed run's id. */
  z.strictObject({ type: z.literal('recover'), action: z.enum(RECOVERY_ACTIONS), runId: z.optional(id) }),
  /** A button of the preview or a gallery item; answered with `actionResult`. */
  z.strictObject({ type: z.literal('imageAction'), requestId: id, entryId: id, action: z.enum(IMAGE_ACTIONS) }),
  /** A page of the gallery; answered with `galleryPage`. */
  z.strictObject({
    type: z.literal('queryGallery'),
    requestId: id,
    query: z.string().check(z.maxLength(MAX_QUERY_LENGTH)),
    offset: z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000)),
    limit: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE_SIZE)),
  }),
  /** The user picked a gallery item: it becomes the preview (kept by the host across reloads). */
  z.strictObject({ type: z.literal('select'), entryId: id }),
  /** A thumbnail failed to load: the host checks the file and drops the entry if it is gone. */
  z.strictObject({ type: z.literal('imageMissing'), entryId: id }),
  /**
   * The webview made a thumbnail of a gallery image it had to show in full (base64 WebP/JPEG/PNG, at most 64 KB):
   * the host checks its size and type (src/core/thumbnails.ts) and stores it for next time. Not answered.
   */
  z.strictObject({
    type: z.literal('thumbnail'), entryId: id,
    data: z.string().check(z.minLength(4), z.maxLength(MAX_THUMBNAIL_BASE64_LENGTH), z.regex(/^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/)),
  }),
  /** A button of a row of the jobs list. */
  z.strictObject({ type: z.literal('jobAction'), jobId: z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/)), action: z.enum(JOB_ACTIONS) }),
  /** An image file was dropped on the form: the host fills the form with its recipe (answered with `fillForm`). */
  z.strictObject({ type: z.literal('useRecipe'), uri: z.string().check(z.maxLength(4096), z.regex(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//)) }),
]);
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;
/** What the webview posts (defaults of the request may be left out; the host fills them in when parsing). */
export type WebviewMessageInput = z.input<typeof webviewMessageSchema>;
export type WebviewMessageType = WebviewMessage['type'];

export type ParseResult = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

/** Parses anything the webview posted. The reason is short and never echoes the (possibly huge) input. */
export function parseWebviewMessage(raw: unknown): ParseResult {
  const parsed = webviewMessageSchema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const type = raw !== null && typeof raw === 'object' && typeof (raw as { type?: unknown }).type === 'string'
    ? (raw as { type: string }).type.slice(0, 40) : typeof raw;
  const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.code}`);
  return { ok: false, reason: `${type}: ${issues.join(', ')}` };
}

// ---- host → webview ---------------------------------------------------------------------------------

export interface GenerationDefaultsView {
  style_type: GenerationRequest['style_type'];
  resolution: GenerationRequest['resolution'];
  magic_prompt_option: GenerationRequest['magic_prompt_option'];
  negative_prompt: string;
}

export interface CreditsView {
  /** x-remaining-credits of the last answer, when the API sent it. */
  remaining?: number;
  /** Cost of the last image, when the API sent it. */
  lastCost?: number;
}

/** What the form needs to show the cost before Generate is pressed (the webview runs core/cost.ts on it). */
export interface CostsView {
  book: CostBook;
  /** The model prices are looked up for (from the endpoint setting). */
  model: string;
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

export interface ResolutionChoice {
  value: Resolution;
  width: number;
  height: number;
  /** "16:9", "≈ 4:5" */
  aspect: string;
}

/** The form's choices and limits, all read from the request schema's module (the webview has no copy). */
export interface FormChoices {
  styles: readonly StyleType[];
  magicPromptOptions: readonly MagicPromptOption[];
  palettePresets: readonly PalettePreset[];
  maxPaletteMembers: number;
  colorWeight: { min: number; max: number };
  seed: { min: number; max: number };
  resolutions: ResolutionChoice[];
  /** Variations: at most this many images per Generate. */
  maxVariations: number;
}

/** One validation problem: the schema path (`prompt`, `color_palette.members.2.color_hex`) and its message. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The choices the form offers, straight from the request schema's module. */
export function formChoices(): FormChoices {
  return {
    styles: STYLE_TYPES,
    magicPromptOptions: MAGIC_PROMPT_OPTIONS,
    palettePresets: PALETTE_PRESETS,
    maxPaletteMembers: PALETTE_MAX_MEMBERS,
    colorWeight: { min: COLOR_WEIGHT_MIN, max: COLOR_WEIGHT_MAX },
    seed: { min: SEED_MIN, max: SEED_MAX },
    resolutions: RESOLUTIONS.map((value) => ({ value, ...resolutionSize(value), aspect: aspectRatioLabel(value) })),
    maxVariations: MAX_VARIATIONS,
  };
}

/** Checks the form's input with the request schema: every problem with its path, first per path. */
export function validateFormInput(input: unknown): FieldProblem[] {
  const parsed = generationRequestSchema.safeParse(input);
  if (parsed.success) return [];
  const problems = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    if (!problems.has(path)) problems.set(path, issue.message);
  }
  return [...problems].map(([path, message]) => ({ path, message }));
}

export interface ViewSnapshot {
  choices: FormChoices;
  defaults: GenerationDefaultsView;
  hasApiKey: boolean;
  hasWorkspace: boolean;
  credits: CreditsView;
  costs: CostsView;
  runs: RunView[];
  /** The last finished image, shown as the preview. */
  current?: GalleryItemView;
  galleryTotal: number;
  /** File name of the Markdown editor "Insert" writes into, if there is one. */
  markdownTarget?: string;
  jobs: JobRowView[];
}

/** A row of the jobs list: every generation of this window, running or recently finished. */
export interface JobRowView {
  id: string;
  prompt: string;
  state: (typeof JOB_VIEW_STATES)[number];
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
  | { type: 'galleryPage'; requestId: string; query: string; offset: number; total: number; items: GalleryItemView[] }
  | { type: 'galleryChanged'; total: number; removedIds: string[] }
  | { type: 'credits'; credits: CreditsView }
  | { type: 'costs'; costs: CostsView }
  /** A batch of variations ended: the images saved, side by side in the preview. */
  | { type: 'variations'; items: GalleryItemView[] }
  | { type: 'context'; markdownTarget?: string; hasApiKey: boolean; hasWorkspace: boolean }
  | { type: 'actionResult'; requestId: string; ok: boolean; message?: string; removed?: boolean }
  | { type: 'validation'; requestId: string; problems: FieldProblem[] }
  | { type: 'jobs'; jobs: JobRowView[] }
  /** Put a recipe into the form (Use Recipe from Image, an image dropped on the form, the hover's Remix…). */
  | { type: 'fillForm'; request: GenerationRequest; seed?: number }
  /** Show a gallery item as the preview (the hover's Show in Gallery). */
  | { type: 'showItem'; item: GalleryItemView };
export type HostMessageType = HostMessage['type'];
