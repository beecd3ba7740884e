// The request contract of Segmind's `POST /v1/ideogram-txt-2-img` as one zod schema.
// Everything else (client validation, quick-input choices, the webview form) derives from it.
import * as z from 'zod/mini';
import type { $ZodIssue } from 'zod/v4/core';

/** All 78 Ideogram resolutions, `RESOLUTION_<width>_<height>`, in the upstream spec's order. */
export const RESOLUTIONS = [
  'RESOLUTION_512_1536', 'RESOLUTION_576_1408', 'RESOLUTION_576_1472', 'RESOLUTION_576_1536',
  'RESOLUTION_640_1024', 'RESOLUTION_640_1344', 'RESOLUTION_640_1408', 'RESOLUTION_640_1472',
  'RESOLUTION_640_1536', 'RESOLUTION_704_1152', 'RESOLUTION_704_1216', 'RESOLUTION_704_1280',
  'RESOLUTION_704_1344', 'RESOLUTION_704_1408', 'RESOLUTION_704_1472', 'RESOLUTION_720_1280',
  'RESOLUTION_736_1312', 'RESOLUTION_768_1024', 'RESOLUTION_768_1088', 'RESOLUTION_768_1152',
  'RESOLUTION_768_1216', 'RESOLUTION_768_1232', 'RESOLUTION_768_1280', 'RESOLUTION_768_1344',
  'RESOLUTION_832_960', 'RESOLUTION_832_1024', 'RESOLUTION_832_1088', 'RESOLUTION_832_1152',
  'RESOLUTION_832_1216', 'RESOLUTION_832_1248', 'RESOLUTION_864_1152', 'RESOLUTION_896_960',
  'RESOLUTION_896_1024', 'RESOLUTION_896_1088', 'RESOLUTION_896_1120', 'RESOLUTION_896_1152',
  'RESOLUTION_960_832', 'RESOLUTION_960_896', 'RESOLUTION_960_1024', 'RESOLUTION_960_1088',
  'RESOLUTION_1024_640', 'RESOLUTION_1024_768', 'RESOLUTION_1024_832', 'RESOLUTION_1024_896',
  'RESOLUTION_1024_960', 'RESOLUTION_1024_1024', 'RESOLUTION_1088_768', 'RESOLUTION_1088_832',
  'RESOLUTION_1088_896', 'RESOLUTION_1088_960', 'RESOLUTION_1120_896', 'RESOLUTION_1152_704',
  'RESOLUTION_1152_768', 'RESOLUTION_1152_832', 'RESOLUTION_1152_864', 'RESOLUTION_1152_896',
  'RESOLUTION_1216_704', 'RESOLUTION_1216_768', 'RESOLUTION_1216_832', 'RESOLUTION_1232_768',
  'RESOLUTION_1248_832', 'RESOLUTION_1280_704', 'RESOLUTION_1280_720', 'RESOLUTION_1280_768',
  'RESOLUTION_1280_800', 'RESOLUTION_1312_736', 'RESOLUTION_1344_640', 'RESOLUTION_1344_704',
  'RESOLUTION_1344_768', 'RESOLUTION_1408_576', 'RESOLUTION_1408_640', 'RESOLUTION_1408_704',
  'RESOLUTION_1472_576', 'RESOLUTION_1472_640', 'RESOLUTION_1472_704', 'RESOLUTION_1536_512',
  'RESOLUTION_1536_576', 'RESOLUTION_1536_640',
] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const STYLE_TYPES = ['GENERAL', 'REALISTIC', 'DESIGN', 'RENDER_3D', 'ANIME'] as const;
export type StyleType = (typeof STYLE_TYPES)[number];

export const MAGIC_PROMPT_OPTIONS = ['AUTO', 'ON', 'OFF'] as const;
export type MagicPromptOption = (typeof MAGIC_PROMPT_OPTIONS)[number];

export const PALETTE_PRESETS = ['EMBER', 'FRESH', 'JUNGLE', 'MAGIC', 'MELON', 'MOSAIC', 'PASTEL', 'ULTRAMARINE'] as const;
export type PalettePreset = (typeof PALETTE_PRESETS)[number];

export const DEFAULT_RESOLUTION: Resolution = 'RESOLUTION_1024_1024';
export const SEED_MIN = 0;
export const SEED_MAX = 2147483647;
export const PROMPT_MAX_LENGTH = 10000;
export const PALETTE_MAX_MEMBERS = 8;
export const COLOR_WEIGHT_MIN = 0.05;
export const COLOR_WEIGHT_MAX = 1;
export const HEX_COLOR_PATTERN = /^#(?:[0-9a-fA-F]{3}){1,2}$/;

/**
 * What can be wrong with a request. The core names the problem and where it is; the host words it
 * (`describeRequestProblem` in errorMessages.ts), so the palette, the sidebar and the agent tool say the same thing
 * in the user's language. A zod check carries its code as its message.
 */
export const REQUEST_PROBLEMS = [
  'prompt-missing', 'prompt-empty', 'prompt-too-long', 'prompt-no-words', 'negative-prompt-too-long',
  'magic-prompt-invalid', 'resolution-invalid', 'style-invalid', 'seed-not-whole', 'seed-out-of-range',
  'colour-invalid', 'colour-weight-not-number', 'colour-weight-too-small', 'colour-weight-too-large',
  'palette-preset-invalid', 'palette-empty', 'palette-too-many', 'palette-both', 'palette-shape',
  'palette-entry-colons', 'palette-weight-not-number', 'unknown-options', 'invalid-value',
] as const;
export type RequestProblemCode = (typeof REQUEST_PROBLEMS)[number];
/** One problem: its code, the dotted path of the option (`''` for the whole request) and what wording needs. */
export interface RequestProblem {
  code: RequestProblemCode;
  path: string;
  /** unknown-options: the keys. */
  keys?: readonly string[];
  /** palette-entry-colons, palette-weight-not-number: the typed entry, and its weight text. */
  entry?: string;
  weight?: string;
}

const problem = (code: RequestProblemCode) => ({ message: code });

export const paletteMemberSchema = z.strictObject({
  color_hex: z.string().check(z.regex(HEX_COLOR_PATTERN, problem('colour-invalid'))),
  color_weight: z.optional(z.number(problem('colour-weight-not-number')).check(
    z.minimum(COLOR_WEIGHT_MIN, problem('colour-weight-too-small')),
    z.maximum(COLOR_WEIGHT_MAX, problem('colour-weight-too-large')),
  )),
});

const presetPaletteSchema = z.strictObject({ name: z.enum(PALETTE_PRESETS, problem('palette-preset-invalid')) });
const customPaletteSchema = z.strictObject({
  members: z.array(paletteMemberSchema).check(
    z.minLength(1, problem('palette-empty')),
    z.maxLength(PALETTE_MAX_MEMBERS, problem('palette-too-many')),
  ),
});

/**
 * A preset name or custom members, never both. The union's own message would hide which part is wrong, so
 * `requestProblems` reports the issues of the one branch the input fits; this message is for when it fits none.
 */
export const colorPaletteSchema = z.union([presetPaletteSchema, customPaletteSchema], {
  error: (issue) => {
    const input = issue.input;
    const both = !!input && typeof input === 'object' && 'name' in input && 'members' in input;
    return both ? 'palette-both' : 'palette-shape';
  },
});

// zod/mini (functional checks) rather than classic zod: the same rules in a bundle ~10 KB smaller.
export const generationRequestSchema = z.strictObject({
  prompt: z.string(problem('prompt-missing')).check(
    z.trim(),
    z.minLength(1, { ...problem('prompt-empty'), abort: true }),
    z.maxLength(PROMPT_MAX_LENGTH, { ...problem('prompt-too-long'), abort: true }),
    z.regex(/[\p{L}\p{N}]/u, problem('prompt-no-words')),
  ),
  negative_prompt: z.optional(z.string().check(z.maxLength(PROMPT_MAX_LENGTH, problem('negative-prompt-too-long')))),
  magic_prompt_option: z._default(z.enum(MAGIC_PROMPT_OPTIONS, problem('magic-prompt-invalid')), 'AUTO'),
  resolution: z._default(z.enum(RESOLUTIONS, problem('resolution-invalid')), DEFAULT_RESOLUTION),
  seed: z.optional(z.int(problem('seed-not-whole')).check(z.minimum(SEED_MIN, problem('seed-out-of-range')), z.maximum(SEED_MAX, problem('seed-out-of-range')))),
  style_type: z._default(z.enum(STYLE_TYPES, problem('style-invalid')), 'GENERAL'),
  color_palette: z.optional(colorPaletteSchema),
});

/** What callers build (defaults may be left out). */
export type GenerationRequestInput = z.input<typeof generationRequestSchema>;
/** What is sent: validated, defaults filled in. */
export type GenerationRequest = z.output<typeof generationRequestSchema>;
export type ColorPalette = z.output<typeof colorPaletteSchema>;
/** The options the settings choose for a new request (ideogram.default*). */
export type GenerationDefaults = Pick<GenerationRequest, 'style_type' | 'resolution' | 'magic_prompt_option'> & { negative_prompt: string };

export type ValidationResult =
  | { ok: true; request: GenerationRequest }
  | { ok: false; problems: RequestProblem[] };

/** Validates a request; a refusal lists every problem, each once. */
export function validateRequest(input: unknown): ValidationResult {
  const parsed = generationRequestSchema.safeParse(input);
  if (parsed.success) {
    const request = { ...parsed.data };
    if (request.negative_prompt !== undefined && request.negative_prompt.trim() === '') delete request.negative_prompt;
    return { ok: true, request };
  }
  return { ok: false, problems: requestProblems(parsed.error.issues) };
}

const isProblemCode = (text: string): text is RequestProblemCode => (REQUEST_PROBLEMS as readonly string[]).includes(text);

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

/** Width and height of a resolution, e.g. RESOLUTION_1280_720 → {1280, 720}. */
export function resolutionSize(resolution: Resolution): { width: number; height: number } {
  const [, width, height] = resolution.split('_');
  return { width: Number(width), height: Number(height) };
}

/** A human label for the shape: exact ratios as "16:9", near ones as "≈ 16:9". */
export function aspectRatioLabel(resolution: Resolution): string {
  const { width, height } = resolutionSize(resolution);
  const common: Array<[number, number]> = [[1, 1], [16, 9], [9, 16], [4, 3], [3, 4], [3, 2], [2, 3], [16, 10], [10, 16], [5, 4], [4, 5], [3, 1], [1, 3], [2, 1], [1, 2], [21, 9], [9, 21]];
  const ratio = width / height;
  for (const [w, h] of common) {
    if (Math.abs(w / h - ratio) < 1e-9) return `${w}:${h}`;
  }
  let best = common[0];
  for (const candidate of common) {
    if (Math.abs(candidate[0] / candidate[1] - ratio) < Math.abs(best[0] / best[1] - ratio)) best = candidate;
  }
  return `≈ ${best[0]}:${best[1]}`;
}

export function orientationOf(resolution: Resolution): 'square' | 'landscape' | 'portrait' {
  const { width, height } = resolutionSize(resolution);
  return width === height ? 'square' : width > height ? 'landscape' : 'portrait';
}

/** Parses the `#hex:weight` list users type, e.g. "#ff0000:0.6, #00f:0.4" or "#abc". */
export function parseCustomPalette(text: string): { ok: true; palette: ColorPalette } | { ok: false; problems: RequestProblem[] } {
  const entries = text.split(/[,\s]+/).map((part) => part.trim()).filter(Boolean);
  const members: Array<{ color_hex: string; color_weight?: number }> = [];
  const problems: RequestProblem[] = [];
  for (const entry of entries) {
    const [hex, weightText, ...rest] = entry.split(':');
    if (rest.length > 0) { problems.push({ code: 'palette-entry-colons', path: 'color_palette', entry }); continue; }
    const member: { color_hex: string; color_weight?: number } = { color_hex: hex.startsWith('#') ? hex : `#${hex}` };
    if (weightText !== undefined && weightText !== '') {
      const weight = Number(weightText);
      if (!Number.isFinite(weight)) { problems.push({ code: 'palette-weight-not-number', path: 'color_palette', entry, weight: weightText }); continue; }
      member.color_weight = weight;
    }
    members.push(member);
  }
  if (problems.length > 0) return { ok: false, problems };
  const parsed = colorPaletteSchema.safeParse({ members });
  if (!parsed.success) return { ok: false, problems: requestProblems(parsed.error.issues, ['color_palette']) };
  return { ok: true, palette: parsed.data };
}
