// The host's side of the sidebar protocol (src/common/protocol.ts): every message the webview posts crosses a trust
// boundary, so the host parses it with `webviewMessageSchema` and drops (and logs) anything else. The zod
// schemas live here, not in src/common/protocol.ts, so the webview bundle (which imports that file) carries no zod.
import * as z from 'zod/mini';
import { RECOVERY_ACTIONS } from '../core/errors';
import { MAX_VARIATIONS } from '../core/variations';
import {
  COLOR_WEIGHT_MAX,
  COLOR_WEIGHT_MIN,
  generationRequestSchema,
  PALETTE_MAX_MEMBERS,
  PALETTE_PRESETS,
  validateRequest,
  type RequestProblem,
} from '../core/request';
import {
  IMAGE_ACTIONS,
  JOB_ACTIONS,
  MAX_FORM_JSON_LENGTH,
  MAX_PAGE_SIZE,
  MAX_QUERY_LENGTH,
  type FormChoices,
  type ModelView,
} from '../common/protocol';
import { MAX_THUMBNAIL_BASE64_LENGTH } from '../core/thumbnailLimits';

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
    return keys.every(
      (key) =>
        key !== '__proto__' &&
        key !== 'constructor' &&
        key !== 'prototype' &&
        (size += key.length) <= MAX_FORM_JSON_LENGTH &&
        visit((node as Record<string, unknown>)[key], depth + 1),
    );
  };
  return visit(value, 0);
}

/** The form's request as typed, before validation: any small plain JSON object. */
const formInput = z
  .unknown()
  .check(
    z.refine(
      (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && isSmallPlainJson(value),
      { message: 'not a small JSON object' },
    ),
  );

/** Ids made by the webview: short, printable, never a place to smuggle data. */
const id = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/));

/** A search of the gallery by prompt. */
const galleryQuery = z.string().check(z.maxLength(MAX_QUERY_LENGTH));

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
    // The request must fit the model it names (the form always names one; none is the default model, as before models).
    type: z.literal('generate'),
    runId: id,
    request: generationRequestSchema,
    /** Variations: this many images of the recipe (distinct seeds), shown side by side. */
    count: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_VARIATIONS))),
  }),
  /** Move these images (a set of variations the user did not keep) to the trash at once; answered with `actionResult`. */
  z.strictObject({
    type: z.literal('trashImages'),
    requestId: id,
    entryIds: z.array(id).check(z.minLength(1), z.maxLength(MAX_VARIATIONS)),
  }),
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
    query: galleryQuery,
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
    type: z.literal('thumbnail'),
    entryId: id,
    data: z
      .string()
      .check(
        z.minLength(4),
        z.maxLength(MAX_THUMBNAIL_BASE64_LENGTH),
        z.regex(/^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/),
      ),
  }),
  /** A button of a row of the jobs list. */
  z.strictObject({
    type: z.literal('jobAction'),
    jobId: z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/)),
    action: z.enum(JOB_ACTIONS),
  }),
  /** An image file was dropped on the form: the host fills the form with its recipe (answered with `fillForm`). */
  z.strictObject({
    type: z.literal('useRecipe'),
    uri: z.string().check(z.maxLength(4096), z.regex(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//)),
  }),
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
  const type =
    raw !== null && typeof raw === 'object' && typeof (raw as { type?: unknown }).type === 'string'
      ? (raw as { type: string }).type.slice(0, 40)
      : typeof raw;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.code}`);
  return { ok: false, reason: `${type}: ${issues.join(', ')}` };
}

/** The choices the form offers: the models as their declarations describe them (worded by src/common/modelWords.ts). */
export function formChoices(models: ModelView[]): FormChoices {
  return {
    models,
    palettePresets: PALETTE_PRESETS,
    maxPaletteMembers: PALETTE_MAX_MEMBERS,
    colorWeight: { min: COLOR_WEIGHT_MIN, max: COLOR_WEIGHT_MAX },
    maxVariations: MAX_VARIATIONS,
  };
}

/** Checks the form's input with the request schema: the first problem of each option (the host words them). */
export function validateFormInput(input: unknown): RequestProblem[] {
  const validation = validateRequest(input);
  if (validation.ok) return [];
  const paths = new Set<string>();
  return validation.problems.filter((problem) => !paths.has(problem.path) && !!paths.add(problem.path));
}
