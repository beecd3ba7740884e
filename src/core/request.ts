// A generation request: `model` (a slug of src/core/models/registry.ts), `prompt` and that model's options, as one
// flat object whose options are Segmind's fields. Each model's zod schema is built from its option descriptors
// (src/core/models/options.ts); everything else (client validation, quick-input choices, the webview form,
// stored gallery entries, jobs and recipes) goes through `validateRequest` or `generationRequestSchema` here.
import * as z from 'zod/mini';
import type { $ZodIssue } from 'zod/v4/core';
import {
  V2_RESOLUTIONS,
  V2_SEED_RANGE,
  V2_STYLE_TYPES,
  MAGIC_PROMPT_CHOICES,
  type V2Resolution,
} from './models/ideogramV2Family';
import {
  colorPaletteSchema,
  type ColorPalette,
  type ModelDefinition,
  optionNamed,
  REQUEST_PROBLEMS,
  requestSchemaFor,
  type RequestProblem,
  type RequestProblemCode,
} from './models/options';
import { DEFAULT_MODEL, modelBySlug, MODELS } from './models/registry';

export {
  COLOR_WEIGHT_MAX,
  COLOR_WEIGHT_MIN,
  colorPaletteSchema,
  HEX_COLOR_PATTERN,
  PALETTE_MAX_MEMBERS,
  PALETTE_PRESETS,
  paletteMemberSchema,
  PROMPT_MAX_LENGTH,
  REQUEST_PROBLEMS,
  type ColorPalette,
  type PalettePreset,
  type RequestProblem,
  type RequestProblemCode,
} from './models/options';

/** The default model's 78 resolutions (`RESOLUTION_<width>_<height>`). */
export const RESOLUTIONS = V2_RESOLUTIONS;
export type Resolution = V2Resolution;
export const STYLE_TYPES = V2_STYLE_TYPES;
export type StyleType = (typeof STYLE_TYPES)[number];
export const MAGIC_PROMPT_OPTIONS = MAGIC_PROMPT_CHOICES;
export type MagicPromptOption = (typeof MAGIC_PROMPT_OPTIONS)[number];
/** The default model's seed range (each model declares its own). */
export const SEED_MIN = V2_SEED_RANGE.min;
export const SEED_MAX = V2_SEED_RANGE.max;

/** What callers build: a model's options by Segmind field name; defaults may be left out, `model` too (the default model). */
export interface GenerationRequestInput {
  model?: string;
  prompt: string;
  seed?: number;
  negative_prompt?: string;
  color_palette?: ColorPalette;
  [option: string]: unknown;
}
/** What is sent (without `model`): validated, the model's defaults filled in. */
export interface GenerationRequest extends GenerationRequestInput {
  model: string;
}

/** The options the settings choose for a new request (ideogram.default*), by Segmind field name; each model takes those it has. */
export interface GenerationDefaults {
  model: string;
  options: Record<string, unknown>;
}

declare const validRequestBrand: unique symbol;
/**
 * A request its model's schema accepted (`validateRequest`, `generationRequestSchema`): what the generation
 * pipeline takes, so the request is checked once, where it enters, and nothing downstream checks it again.
 */
export type ValidRequest = GenerationRequest & { readonly [validRequestBrand]: true };

/** The objects validated here; a copy (`{ ...request }`) is not one, and must be validated or re-seeded (`withSeed`). */
const validRequests = new WeakSet<object>();
function markValid(request: GenerationRequest): ValidRequest {
  validRequests.add(request);
  return request as ValidRequest;
}

/** Whether `value` is a request this module validated (the client skips its own check for those). */
export function isValidRequest(value: unknown): value is ValidRequest {
  return typeof value === 'object' && value !== null && validRequests.has(value);
}

/**
 * The request a job sends and records: `seed` fixed (in its model's range; Segmind's async result does not say
 * which seed it used), a blank negative prompt left out.
 */
export function requestToSend(request: ValidRequest, seed: number): ValidRequest {
  const { min, max } = seedRangeOf(request);
  if (!Number.isInteger(seed) || seed < min || seed > max) throw new RangeError(`seed ${seed} outside ${min}..${max}`);
  return markValid(withoutBlankNegativePrompt({ ...request, seed }));
}

export type ValidationResult = { ok: true; request: ValidRequest } | { ok: false; problems: RequestProblem[] };

const schemas = new Map<string, ReturnType<typeof requestSchemaFor>>();
function schemaOf(model: ModelDefinition) {
  let schema = schemas.get(model.slug);
  if (!schema) schemas.set(model.slug, (schema = requestSchemaFor(model)));
  return schema;
}

/** The model a request is for: its `model`, or the default model for requests stored before models were offered. */
export function modelOfRequest(input: unknown): ModelDefinition | undefined {
  const slug = input !== null && typeof input === 'object' ? (input as { model?: unknown }).model : undefined;
  return slug === undefined ? DEFAULT_MODEL : modelBySlug(slug);
}

/** The seeds a request's model takes (its seed option's range; the default model's when the model is unknown). */
export function seedRangeOf(request: unknown): { min: number; max: number } {
  const option = (modelOfRequest(request) ?? DEFAULT_MODEL).options.find((each) => each.concept === 'seed');
  return option?.kind === 'integer' ? { min: option.min, max: option.max } : { min: SEED_MIN, max: SEED_MAX };
}

/** A blank negative prompt is no negative prompt (Segmind would take the empty text as one). */
function withoutBlankNegativePrompt(parsed: GenerationRequest): GenerationRequest {
  const request = { ...parsed };
  if (typeof request.negative_prompt === 'string' && request.negative_prompt.trim() === '')
    delete request.negative_prompt;
  return request;
}

/** Validates a request against its model's schema; a refusal lists every problem, each once. */
export function validateRequest(input: unknown): ValidationResult {
  const model = modelOfRequest(input);
  if (!model)
    return {
      ok: false,
      problems: [{ code: 'model-unknown', path: 'model', choices: MODELS.map((each) => each.slug) }],
    };
  const parsed = schemaOf(model).safeParse(input);
  if (parsed.success) {
    return { ok: true, request: markValid(withoutBlankNegativePrompt(parsed.data as GenerationRequest)) };
  }
  return { ok: false, problems: withOptionFacts(requestProblems(parsed.error.issues), model) };
}

/** Each problem with what its wording needs from the option's descriptor: the choices, the range, the model. */
function withOptionFacts(problems: RequestProblem[], model: ModelDefinition): RequestProblem[] {
  return problems.map((item) => {
    const option = optionNamed(model, item.path);
    if (!option) return item;
    if (option.kind === 'enum') return { ...item, model: model.slug, choices: option.choices };
    if (option.kind === 'integer') return { ...item, model: model.slug, min: option.min, max: option.max };
    return { ...item, model: model.slug };
  });
}

/**
 * Every model's request, each naming its model: one strict object per model, as `generationRequestSchema` checks
 * them (the protocol's fuzz test generates its well-formed requests from it).
 */
export const namedModelRequestSchema = z.union(
  MODELS.map((model) => requestSchemaFor(model, { modelRequired: true })) as unknown as [
    ReturnType<typeof requestSchemaFor>,
    ...Array<ReturnType<typeof requestSchemaFor>>,
  ],
);

/**
 * Any model's request, for schemas that embed one (the gallery entry, the job, the recipe, the webview's
 * message): validated against the model it names. A request naming a model this version does not know fails, so
 * the stores keep such an entry as it is instead of reading it.
 */
export const generationRequestSchema = z.pipe(
  z.custom<GenerationRequestInput>((value) => value !== null && typeof value === 'object' && !Array.isArray(value)),
  z.transform((input: GenerationRequestInput, context): ValidRequest => {
    const model = modelOfRequest(input);
    if (!model) {
      context.issues.push({ code: 'custom', input, path: ['model'], message: 'model-unknown' });
      return z.NEVER;
    }
    const parsed = schemaOf(model).safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) context.issues.push({ ...issue, input } as never);
      return z.NEVER;
    }
    // Exactly as given (a stored or sent request reads back unchanged); `requestToSend` drops a blank negative prompt.
    return markValid(parsed.data as GenerationRequest);
  }),
);

const isProblemCode = (text: string): text is RequestProblemCode =>
  (REQUEST_PROBLEMS as readonly string[]).includes(text);

/** zod's issues as problems, each once. A palette union's issues are those of the one branch the input fits. */
export function requestProblems(issues: readonly $ZodIssue[], prefix: readonly PropertyKey[] = []): RequestProblem[] {
  const problems = issues.flatMap((issue): RequestProblem[] => {
    const at = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union') {
      // A branch fits when nothing is wrong with the palette object itself (no unknown key, right type).
      const fitting = issue.errors.filter((branch) => branch.every((inner) => inner.path.length > 0));
      if (fitting.length === 1) return requestProblems(fitting[0], at);
    }
    const path = at.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return [{ code: 'unknown-options', path, keys: issue.keys }];
    return [{ code: isProblemCode(issue.message) ? issue.message : 'invalid-value', path }];
  });
  const seen = new Set<string>();
  return problems.filter((item) => {
    const key = JSON.stringify(item);
    return !seen.has(key) && !!seen.add(key);
  });
}

/** Width and height of a V2 resolution, e.g. RESOLUTION_1280_720 → {1280, 720}. */
export function resolutionSize(resolution: Resolution): { width: number; height: number } {
  const [, width, height] = resolution.split('_');
  return { width: Number(width), height: Number(height) };
}

export interface Size {
  width: number;
  height: number;
  exact: boolean;
}

/** What size a choice of the model's size option is (exact pixels, or only a shape for presets). */
export function sizeOfChoice(model: ModelDefinition, choice: unknown): Size | undefined {
  const option = model.options.find((each) => each.concept === 'size');
  if (
    !option ||
    option.kind !== 'enum' ||
    !option.sizeOf ||
    typeof choice !== 'string' ||
    !option.choices.includes(choice)
  )
    return undefined;
  return option.sizeOf(choice);
}

/** The size of the image a request asks for (its model's size option), when known. */
export function sizeOfRequest(request: GenerationRequestInput): Size | undefined {
  const model = modelOfRequest(request);
  const option = model?.options.find((each) => each.concept === 'size');
  if (!model || !option || option.kind !== 'enum') return undefined;
  return sizeOfChoice(model, request[option.name] ?? option.default);
}

/** Width and height to lay an image of this request out with (its shape, for presets); a square when unknown. */
export function pixelSize(request: GenerationRequestInput): { width: number; height: number } {
  const size = sizeOfRequest(request);
  return size ? { width: size.width, height: size.height } : { width: 1024, height: 1024 };
}

const COMMON_RATIOS: Array<[number, number]> = [
  [1, 1],
  [16, 9],
  [9, 16],
  [4, 3],
  [3, 4],
  [3, 2],
  [2, 3],
  [16, 10],
  [10, 16],
  [5, 4],
  [4, 5],
  [3, 1],
  [1, 3],
  [2, 1],
  [1, 2],
  [21, 9],
  [9, 21],
];

/** A human label for a shape: exact ratios as "16:9", near ones as "≈ 16:9". Takes a V2 resolution or a size. */
export function aspectRatioLabel(size: Resolution | { width: number; height: number }): string {
  const { width, height } = typeof size === 'string' ? resolutionSize(size) : size;
  const ratio = width / height;
  for (const [w, h] of COMMON_RATIOS) {
    if (Math.abs(w / h - ratio) < 1e-9) return `${w}:${h}`;
  }
  let best = COMMON_RATIOS[0];
  for (const candidate of COMMON_RATIOS) {
    if (Math.abs(candidate[0] / candidate[1] - ratio) < Math.abs(best[0] / best[1] - ratio)) best = candidate;
  }
  return `≈ ${best[0]}:${best[1]}`;
}

export function orientationOf(
  size: Resolution | { width: number; height: number },
): 'square' | 'landscape' | 'portrait' {
  const { width, height } = typeof size === 'string' ? resolutionSize(size) : size;
  return width === height ? 'square' : width > height ? 'landscape' : 'portrait';
}

/** The body Segmind receives: the request without `model` (the model is the route), empty lists left out. */
export function segmindBody(request: GenerationRequest): Record<string, unknown> {
  const { model: _model, ...body }: Record<string, unknown> = request;
  // A model without a prompt (reframe, describe) is not sent the words the gallery keeps for its image.
  if (modelOfRequest(request)?.sendsPrompt === false) delete body.prompt;
  for (const [key, value] of Object.entries(body))
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete body[key];
  return body;
}

/** Parses the `#hex:weight` list users type, e.g. "#ff0000:0.6, #00f:0.4" or "#abc". */
export function parseCustomPalette(
  text: string,
): { ok: true; palette: ColorPalette } | { ok: false; problems: RequestProblem[] } {
  const entries = text
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const members: Array<{ color_hex: string; color_weight?: number }> = [];
  const problems: RequestProblem[] = [];
  for (const entry of entries) {
    const [hex, weightText, ...rest] = entry.split(':');
    if (rest.length > 0) {
      problems.push({ code: 'palette-entry-colons', path: 'color_palette', entry });
      continue;
    }
    const member: { color_hex: string; color_weight?: number } = { color_hex: hex.startsWith('#') ? hex : `#${hex}` };
    if (weightText !== undefined && weightText !== '') {
      const weight = Number(weightText);
      if (!Number.isFinite(weight)) {
        problems.push({ code: 'palette-weight-not-number', path: 'color_palette', entry, weight: weightText });
        continue;
      }
      member.color_weight = weight;
    }
    members.push(member);
  }
  if (problems.length > 0) return { ok: false, problems };
  const parsed = colorPaletteSchema.safeParse({ members });
  if (!parsed.success) return { ok: false, problems: requestProblems(parsed.error.issues, ['color_palette']) };
  return { ok: true, palette: parsed.data };
}
