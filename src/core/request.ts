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

export const paletteMemberSchema = z.strictObject({
  color_hex: z.string().check(z.regex(HEX_COLOR_PATTERN, { message: 'Colour must be #RGB or #RRGGBB, e.g. #1e90ff' })),
  color_weight: z.optional(z.number({ message: 'Colour weight must be a number' }).check(
    z.minimum(COLOR_WEIGHT_MIN, { message: `Colour weight must be at least ${COLOR_WEIGHT_MIN}` }),
    z.maximum(COLOR_WEIGHT_MAX, { message: `Colour weight must be at most ${COLOR_WEIGHT_MAX}` }),
  )),
});

const presetPaletteSchema = z.strictObject({ name: z.enum(PALETTE_PRESETS, { message: `Palette preset must be one of ${PALETTE_PRESETS.join(', ')}` }) });
const customPaletteSchema = z.strictObject({
  members: z.array(paletteMemberSchema).check(
    z.minLength(1, { message: 'A custom palette needs at least one colour' }),
    z.maxLength(PALETTE_MAX_MEMBERS, { message: `A custom palette has at most ${PALETTE_MAX_MEMBERS} colours` }),
  ),
});

/**
 * A preset name or custom members, never both. The union's own message would hide which part is wrong,
 * so the error names the problem in the branch the input was meant for.
 */
export const colorPaletteSchema = z.union([presetPaletteSchema, customPaletteSchema], {
  error: (issue) => {
    const input = issue.input as Record<string, unknown> | undefined;
    const isObject = !!input && typeof input === 'object' && !Array.isArray(input);
    if (isObject && 'name' in input && 'members' in input) return 'Colour palette must be either a preset name or a list of 1 to 8 colours, not both';
    const branch = isObject && 'members' in input ? 1 : isObject && 'name' in input ? 0 : -1;
    const branchIssues = (issue as { errors?: $ZodIssue[][] }).errors?.[branch];
    if (branchIssues?.length) return describeIssues(branchIssues).join('; ');
    return 'Colour palette must be {"name": <preset>} or {"members": [{"color_hex": "#RRGGBB", "color_weight": 0.5}]}';
  },
});

const seedMessage = { message: `Seed must be between ${SEED_MIN} and ${SEED_MAX}` };

// zod/mini (functional checks) rather than classic zod: the same rules in a bundle ~10 KB smaller.
export const generationRequestSchema = z.strictObject({
  prompt: z.string({ message: 'Prompt is required' }).check(
    z.trim(),
    z.minLength(1, { message: 'Prompt is empty: describe the image you want', abort: true }),
    z.maxLength(PROMPT_MAX_LENGTH, { message: `Prompt is longer than ${PROMPT_MAX_LENGTH} characters`, abort: true }),
    z.regex(/[\p{L}\p{N}]/u, { message: 'Prompt has no words: describe the image you want' }),
  ),
  negative_prompt: z.optional(z.string().check(z.maxLength(PROMPT_MAX_LENGTH, { message: `Negative prompt is longer than ${PROMPT_MAX_LENGTH} characters` }))),
  magic_prompt_option: z._default(z.enum(MAGIC_PROMPT_OPTIONS, { message: 'Magic prompt must be AUTO, ON or OFF' }), 'AUTO'),
  resolution: z._default(z.enum(RESOLUTIONS, { message: 'Resolution must be one of the 78 Ideogram resolutions, e.g. RESOLUTION_1024_1024' }), DEFAULT_RESOLUTION),
  seed: z.optional(z.int({ message: 'Seed must be a whole number' }).check(z.minimum(SEED_MIN, seedMessage), z.maximum(SEED_MAX, seedMessage))),
  style_type: z._default(z.enum(STYLE_TYPES, { message: `Style must be one of ${STYLE_TYPES.join(', ')}` }), 'GENERAL'),
  color_palette: z.optional(colorPaletteSchema),
});

/** What callers build (defaults may be left out). */
export type GenerationRequestInput = z.input<typeof generationRequestSchema>;
/** What is sent: validated, defaults filled in. */
export type GenerationRequest = z.output<typeof generationRequestSchema>;
export type ColorPalette = z.output<typeof colorPaletteSchema>;
export type PaletteMember = z.output<typeof paletteMemberSchema>;
/** The options the settings choose for a new request (ideogram.default*). */
export type GenerationDefaults = Pick<GenerationRequest, 'style_type' | 'resolution' | 'magic_prompt_option'> & { negative_prompt: string };

export type ValidationResult =
  | { ok: true; request: GenerationRequest }
  | { ok: false; problems: string[] };

/** Validates a request and turns zod's issues into sentences a user can act on. */
export function validateRequest(input: unknown): ValidationResult {
  const parsed = generationRequestSchema.safeParse(input);
  if (parsed.success) {
    const request = { ...parsed.data };
    if (request.negative_prompt !== undefined && request.negative_prompt.trim() === '') delete request.negative_prompt;
    return { ok: true, request };
  }
  return { ok: false, problems: describeIssues(parsed.error.issues) };
}

export function describeIssues(issues: readonly $ZodIssue[]): string[] {
  const problems = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `Unknown option(s): ${issue.keys.join(', ')}`;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return `${where}${issue.message}`;
  });
  return [...new Set(problems)];
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
export function parseCustomPalette(text: string): { ok: true; palette: ColorPalette } | { ok: false; problems: string[] } {
  const entries = text.split(/[,\s]+/).map((part) => part.trim()).filter(Boolean);
  const members: Array<{ color_hex: string; color_weight?: number }> = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const [hex, weightText, ...rest] = entry.split(':');
    if (rest.length > 0) { problems.push(`"${entry}" has more than one ':'`); continue; }
    const member: { color_hex: string; color_weight?: number } = { color_hex: hex.startsWith('#') ? hex : `#${hex}` };
    if (weightText !== undefined && weightText !== '') {
      const weight = Number(weightText);
      if (!Number.isFinite(weight)) { problems.push(`"${entry}": weight "${weightText}" is not a number`); continue; }
      member.color_weight = weight;
    }
    members.push(member);
  }
  if (problems.length > 0) return { ok: false, problems };
  const parsed = colorPaletteSchema.safeParse({ members });
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error.issues) };
  return { ok: true, palette: parsed.data };
}
