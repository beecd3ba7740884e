// The form's data and how it becomes an API request body. The rules live in the request schema
// (src/core/request.ts), which the host runs for us: this file only shapes data, it validates nothing.
import type { GenerationDefaults, GenerationRequest, MagicPromptOption, PalettePreset, Resolution, StyleType } from '../src/core/request';
import type { FieldProblem, ResolutionChoice } from '../src/protocol';

export interface PaletteMemberState {
  hex: string;
  /** As typed; empty = no weight. */
  weight: string;
}

export type PaletteMode = 'none' | 'preset' | 'custom';

export interface FormState {
  prompt: string;
  negativePrompt: string;
  magic: MagicPromptOption;
  style: StyleType;
  resolution: Resolution;
  /** As typed; empty = random. */
  seed: string;
  seedLocked: boolean;
  paletteMode: PaletteMode;
  preset: PalettePreset;
  members: PaletteMemberState[];
  /** Whether the Options section is expanded (view state, not part of the request). */
  optionsOpen?: boolean;
  /** How many images Generate makes (variations, 1–4); not part of the request. */
  count?: number;
}

export function defaultForm(defaults?: GenerationDefaults): FormState {
  return {
    prompt: '',
    negativePrompt: defaults?.negative_prompt ?? '',
    magic: defaults?.magic_prompt_option ?? 'AUTO',
    style: defaults?.style_type ?? 'GENERAL',
    resolution: defaults?.resolution ?? 'RESOLUTION_1024_1024',
    seed: '',
    seedLocked: false,
    paletteMode: 'none',
    preset: 'PASTEL',
    members: [{ hex: '#1e90ff', weight: '1' }],
  };
}

/** A recipe back into the form (Remix). */
export function formFromRequest(request: GenerationRequest, seed: number | undefined, previous: FormState): FormState {
  const palette = request.color_palette;
  const usedSeed = seed ?? request.seed;
  return {
    ...previous,
    prompt: request.prompt,
    negativePrompt: request.negative_prompt ?? '',
    magic: request.magic_prompt_option,
    style: request.style_type,
    resolution: request.resolution,
    seed: usedSeed !== undefined ? String(usedSeed) : '',
    seedLocked: false,
    paletteMode: !palette ? 'none' : 'name' in palette ? 'preset' : 'custom',
    preset: palette && 'name' in palette ? palette.name : previous.preset,
    members: palette && 'members' in palette
      ? palette.members.map((member) => ({ hex: member.color_hex, weight: member.color_weight === undefined ? '' : String(member.color_weight) }))
      : previous.members,
  };
}

/** Plain decimals become numbers; anything else stays text so the schema names the problem. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return /^-?(\d+(\.\d*)?|\.\d+)$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** What the form asks for, as the API's request body (before validation). */
export function requestInput(form: FormState): Record<string, unknown> {
  const input: Record<string, unknown> = {
    prompt: form.prompt,
    magic_prompt_option: form.magic,
    style_type: form.style,
    resolution: form.resolution,
  };
  if (form.negativePrompt.trim() !== '') input.negative_prompt = form.negativePrompt;
  if (form.seed.trim() !== '') input.seed = numberOrText(form.seed);
  if (form.paletteMode === 'preset') input.color_palette = { name: form.preset };
  if (form.paletteMode === 'custom') {
    input.color_palette = {
      members: form.members.map((member) => {
        const hex = member.hex.trim();
        const result: Record<string, unknown> = { color_hex: hex === '' || hex.startsWith('#') ? hex : `#${hex}` };
        if (member.weight.trim() !== '') result.color_weight = numberOrText(member.weight);
        return result;
      }),
    };
  }
  return input;
}

/** Field key (schema path) → its problem. */
export type FieldProblems = Map<string, string>;

export function problemMap(problems: readonly FieldProblem[]): FieldProblems {
  return new Map(problems.map((problem) => [problem.path || 'form', problem.message]));
}

export interface AspectGroup {
  /** "16:9" */
  label: string;
  ratio: number;
  /** Largest first. */
  resolutions: ResolutionChoice[];
}

/** The resolutions grouped by aspect ratio ("≈ 16:9" joins "16:9"), tallest first: pick the shape, then the size. */
export function aspectGroups(resolutions: readonly ResolutionChoice[]): AspectGroup[] {
  const groups = new Map<string, AspectGroup>();
  for (const resolution of resolutions) {
    const label = resolution.aspect.replace(/^≈\s*/, '');
    const [width, height] = label.split(':').map(Number);
    const group = groups.get(label) ?? { label, ratio: width / height || resolution.width / resolution.height, resolutions: [] };
    group.resolutions.push(resolution);
    groups.set(label, group);
  }
  for (const group of groups.values()) group.resolutions.sort((a, b) => b.width * b.height - a.width * a.height || b.width - a.width);
  return [...groups.values()].sort((a, b) => a.ratio - b.ratio);
}

/** Approximate colours of Ideogram's presets, only for the swatches (the API receives the name). */
export const PRESET_SWATCHES: Record<string, string[]> = {
  EMBER: ['#f8b04b', '#e95a2b', '#b8242a', '#5c1a1b'],
  FRESH: ['#f4f1de', '#a8d5ba', '#4fb0a5', '#2f6f8f'],
  JUNGLE: ['#d9e4a8', '#7fa650', '#3a6b35', '#173d2b'],
  MAGIC: ['#f3c6f0', '#b07ce8', '#6a3fc1', '#2b1b5e'],
  MELON: ['#fbe3c4', '#f9a97f', '#f2706f', '#8cc084'],
  MOSAIC: ['#f2c14e', '#e4572e', '#17bebb', '#2e282a'],
  PASTEL: ['#fde2e4', '#e2ece9', '#cddafd', '#fff1c1'],
  ULTRAMARINE: ['#cfe3ff', '#6c9bf2', '#2a4fd6', '#10206b'],
};
