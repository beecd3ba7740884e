// The form's data and how it becomes an API request body. The rules live in the models' request schemas
// (src/core/models, src/core/request.ts), which the host runs for us: this file only shapes data, it validates nothing.
import type { GenerationRequest, PalettePreset } from '../src/core/request';
import {
  convertRequest,
  type ChoiceView,
  type DroppedOption,
  type FieldProblem,
  type FormChoices,
  type FormDefaults,
  type ModelView,
  type OptionView,
} from '../src/common/protocol';

export interface PaletteMemberState {
  hex: string;
  /** As typed; empty = no weight. */
  weight: string;
}

export type PaletteMode = 'none' | 'preset' | 'custom';

export interface FormState {
  /** The model's slug (src/core/models/registry.ts). */
  model: string;
  prompt: string;
  /**
   * The model's options but the seed and the palette, by Segmind field name, as the form holds them: an enum's
   * value, a boolean, the text typed (text and number fields).
   */
  values: Record<string, string | boolean>;
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

/** The options the form renders field by field (the seed and the palette have fields of their own). */
export function generalOptions(model: ModelView): OptionView[] {
  return model.options.filter((option) => option.concept !== 'seed' && option.concept !== 'palette');
}

export function modelOf(choices: FormChoices, slug: string): ModelView {
  return choices.models.find((model) => model.slug === slug) ?? choices.models[0];
}

/** The form's values of a model's options from a request's (or the settings') values; the model's defaults for the rest. */
export function valuesFor(
  model: ModelView,
  options: Readonly<Record<string, unknown>>,
): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const option of generalOptions(model)) {
    const value = options[option.name];
    if (option.kind === 'enum') values[option.name] = typeof value === 'string' ? value : option.default;
    else if (option.kind === 'boolean') values[option.name] = typeof value === 'boolean' ? value : option.default;
    else if (option.kind === 'integer')
      values[option.name] =
        value !== undefined ? String(value) : option.default !== undefined ? String(option.default) : '';
    else values[option.name] = typeof value === 'string' ? value : '';
  }
  return values;
}

export function defaultForm(defaults?: FormDefaults, choices?: FormChoices): FormState {
  const model = defaults && choices ? modelOf(choices, defaults.model) : undefined;
  return {
    model: model?.slug ?? defaults?.model ?? '',
    prompt: '',
    values: model ? valuesFor(model, defaults?.byModel[model.slug] ?? {}) : {},
    seed: '',
    seedLocked: false,
    paletteMode: 'none',
    preset: 'PASTEL',
    members: [{ hex: '#1e90ff', weight: '1' }],
  };
}

/**
 * A form remembered by an earlier version (V2 fields by name, no model) as this version's: nothing the user
 * typed is lost. A form of this version is returned as it is.
 */
export function migratedForm(saved: unknown): FormState | undefined {
  if (!saved || typeof saved !== 'object') return undefined;
  const form = saved as Partial<FormState> & {
    negativePrompt?: string;
    magic?: string;
    style?: string;
    resolution?: string;
  };
  if (typeof form.model === 'string' && form.values && typeof form.values === 'object') return form as FormState;
  if (typeof form.prompt !== 'string') return undefined;
  const { negativePrompt, magic, style, resolution, ...rest } = form;
  const values: Record<string, string> = {};
  if (typeof negativePrompt === 'string') values.negative_prompt = negativePrompt;
  if (typeof magic === 'string') values.magic_prompt_option = magic;
  if (typeof style === 'string') values.style_type = style;
  if (typeof resolution === 'string') values.resolution = resolution;
  // The earlier form was the default model's: the empty slug is the first model, the default (src/core/models/registry.ts).
  return { ...defaultForm(), ...rest, model: '', values } as FormState;
}

/** A recipe back into the form (Remix): its model and every option. */
export function formFromRequest(
  request: GenerationRequest,
  seed: number | undefined,
  previous: FormState,
  choices: FormChoices,
): FormState {
  const palette = request.color_palette;
  const usedSeed = seed ?? request.seed;
  const model = modelOf(choices, request.model);
  return {
    ...previous,
    model: model.slug,
    prompt: request.prompt,
    values: valuesFor(model, request),
    seed: usedSeed !== undefined ? String(usedSeed) : '',
    seedLocked: false,
    paletteMode: !palette ? 'none' : 'name' in palette ? 'preset' : 'custom',
    preset: palette && 'name' in palette ? palette.name : previous.preset,
    members:
      palette && 'members' in palette
        ? palette.members.map((member) => ({
            hex: member.color_hex,
            weight: member.color_weight === undefined ? '' : String(member.color_weight),
          }))
        : previous.members,
  };
}

/** Sizes need only their pixels (or shape) to be carried over: the choice views hold them. */
function convertible(model: ModelView) {
  return {
    slug: model.slug,
    options: model.options.map((option) =>
      option.kind !== 'enum' || !option.choiceViews?.some((choice) => choice.width !== undefined)
        ? option
        : {
            ...option,
            sizeOf: (value: string) => {
              const choice = option.choiceViews?.find((each) => each.value === value);
              return { width: choice?.width ?? 1, height: choice?.height ?? 1, exact: choice?.exact ?? false };
            },
          },
    ),
  };
}

/**
 * The form for another model: the options that mean the same carried over (src/core/models/convert.ts, as in the
 * palette's flow), the target's defaults (`defaults`) for the rest, and what could not come along.
 */
export function formForModel(
  form: FormState,
  target: ModelView,
  choices: FormChoices,
  defaults: Readonly<Record<string, unknown>>,
): { form: FormState; dropped: DroppedOption[] } {
  const source = modelOf(choices, form.model);
  const { request, dropped } = convertRequest(requestInput(form, choices), convertible(source), convertible(target));
  const hasPalette = target.options.some((option) => option.concept === 'palette');
  const seedKept = request.seed !== undefined || form.seed.trim() === '';
  return {
    form: {
      ...form,
      model: target.slug,
      values: valuesFor(target, { ...defaults, ...request }),
      seed: seedKept ? form.seed : '',
      paletteMode: hasPalette ? form.paletteMode : 'none',
    },
    dropped,
  };
}

/** Plain decimals become numbers; anything else stays text so the schema names the problem. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return /^-?(\d+(\.\d*)?|\.\d+)$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** What the form asks for, as the API's request body (before validation), with the model it is for. */
export function requestInput(form: FormState, choices: FormChoices): Record<string, unknown> {
  const model = modelOf(choices, form.model);
  const input: Record<string, unknown> = { model: model.slug, prompt: form.prompt };
  for (const option of generalOptions(model)) {
    const value = form.values[option.name];
    if (value === undefined) continue;
    if (option.kind === 'text') {
      if (typeof value === 'string' && value.trim() !== '') input[option.name] = value;
    } else if (option.kind === 'integer') {
      if (typeof value === 'string' && value.trim() !== '') input[option.name] = numberOrText(value);
    } else input[option.name] = value;
  }
  if (form.seed.trim() !== '') input.seed = numberOrText(form.seed);
  const palette = model.options.find((option) => option.concept === 'palette');
  if (palette && form.paletteMode === 'preset') input[palette.name] = { name: form.preset };
  if (palette && form.paletteMode === 'custom') {
    input[palette.name] = {
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

/** A size choice: its pixels and aspect label are known. */
export type SizeChoice = ChoiceView & { width: number; height: number; aspect: string };

export interface AspectGroup {
  /** "16:9" */
  label: string;
  ratio: number;
  /** Largest first. */
  resolutions: SizeChoice[];
}

/** The resolutions grouped by aspect ratio ("≈ 16:9" joins "16:9"), tallest first: pick the shape, then the size. */
export function aspectGroups(resolutions: readonly SizeChoice[]): AspectGroup[] {
  const groups = new Map<string, AspectGroup>();
  for (const resolution of resolutions) {
    const label = resolution.aspect.replace(/^≈\s*/, '');
    const [width, height] = label.split(':').map(Number);
    const group = groups.get(label) ?? {
      label,
      ratio: width / height || resolution.width / resolution.height,
      resolutions: [],
    };
    group.resolutions.push(resolution);
    groups.set(label, group);
  }
  for (const group of groups.values())
    group.resolutions.sort((a, b) => b.width * b.height - a.width * a.height || b.width - a.width);
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
