// What a model's request is made of, as data: option descriptors (the Segmind field name, its kind, its choices
// with their exact casing, its range and default, whether it changes the price, what it means across models and
// its words), and the zod schema built from them. Every model module (src/core/models/*.ts) declares its options
// with these; the form, the wizard, the settings, the tool, the hover and the recipe text read them.
import * as z from 'zod/mini';

export const PROMPT_MAX_LENGTH = 10000;
export const PALETTE_PRESETS = [
  'EMBER',
  'FRESH',
  'JUNGLE',
  'MAGIC',
  'MELON',
  'MOSAIC',
  'PASTEL',
  'ULTRAMARINE',
] as const;
export type PalettePreset = (typeof PALETTE_PRESETS)[number];
export const PALETTE_MAX_MEMBERS = 8;
export const COLOR_WEIGHT_MIN = 0.05;
export const COLOR_WEIGHT_MAX = 1;
export const HEX_COLOR_PATTERN = /^#(?:[0-9a-fA-F]{3}){1,2}$/;

/**
 * What can be wrong with a request. The core names the problem and where it is; the host words it
 * (`describeRequestProblem` in errorMessages.ts), so the palette, the sidebar and the agent tool say the same thing
 * in the user's language. A zod check carries its code as its message; the option's descriptor adds what the
 * wording needs (its choices, its range, the model).
 */
export const REQUEST_PROBLEMS = [
  'prompt-missing',
  'prompt-empty',
  'prompt-too-long',
  'prompt-no-words',
  'negative-prompt-too-long',
  'magic-prompt-invalid',
  'resolution-invalid',
  'style-invalid',
  'seed-not-whole',
  'seed-out-of-range',
  'colour-invalid',
  'colour-weight-not-number',
  'colour-weight-too-small',
  'colour-weight-too-large',
  'palette-preset-invalid',
  'palette-empty',
  'palette-too-many',
  'palette-both',
  'palette-shape',
  'palette-entry-colons',
  'palette-weight-not-number',
  'unknown-options',
  'invalid-value',
  'model-unknown',
  'speed-invalid',
  'image-count-not-whole',
  'image-count-out-of-range',
  'format-invalid',
  'image-missing',
  'image-not-url',
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
  /** The model the request is for (its slug), when the problem depends on it. */
  model?: string;
  /** An enum option's values, exactly as the model takes them. */
  choices?: readonly string[];
  /** A number option's range. */
  min?: number;
  max?: number;
}

export const problem = (code: RequestProblemCode) => ({ message: code });

// ---- the colour palette (the same object on every model that takes one) --------------------------------

export const paletteMemberSchema = z.strictObject({
  color_hex: z.string().check(z.regex(HEX_COLOR_PATTERN, problem('colour-invalid'))),
  color_weight: z.optional(
    z
      .number(problem('colour-weight-not-number'))
      .check(
        z.minimum(COLOR_WEIGHT_MIN, problem('colour-weight-too-small')),
        z.maximum(COLOR_WEIGHT_MAX, problem('colour-weight-too-large')),
      ),
  ),
});

const presetPaletteSchema = z.strictObject({ name: z.enum(PALETTE_PRESETS, problem('palette-preset-invalid')) });
const customPaletteSchema = z.strictObject({
  members: z
    .array(paletteMemberSchema)
    .check(z.minLength(1, problem('palette-empty')), z.maxLength(PALETTE_MAX_MEMBERS, problem('palette-too-many'))),
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
export type ColorPalette = z.output<typeof colorPaletteSchema>;

// ---- option descriptors --------------------------------------------------------------------------------

/**
 * What an option means, whatever its field is called: the key by which a recipe's options are carried from one
 * model to another (`magic_prompt_option` on V2 and `magic_prompt` on 3.0 are both `magic-prompt`).
 */
export type OptionConcept =
  | 'negative-prompt'
  | 'magic-prompt'
  | 'style'
  | 'size'
  | 'speed'
  | 'seed'
  | 'palette'
  | 'image-count'
  | 'output-format'
  | 'image-weight';

/**
 * An option's words, in English: the host translates each through `vscode.l10n.t` (l10n/bundle.l10n*.json hold
 * them; a unit test checks every word of every model is there in both languages).
 */
export interface OptionWords {
  /** The option's name, e.g. "Rendering speed". */
  label: string;
  /** One line about it, shown under the field. */
  hint?: string;
  /** What each choice means, by value (enum options). */
  choices?: Readonly<Record<string, string>>;
}

interface OptionBase {
  /** The Segmind field name, exactly as the model takes it. */
  name: string;
  concept: OptionConcept;
  /** Whether the value changes what Segmind charges (part of the cost key; `image-count` multiplies instead). */
  priced: boolean;
  words: OptionWords;
}

export interface EnumOption extends OptionBase {
  kind: 'enum';
  /** The values with their exact casing, in the order they are offered. */
  choices: readonly string[];
  default: string;
  /** Size options: a choice's width and height (exact pixels), or only its shape (`exact: false`). */
  sizeOf?: (choice: string) => { width: number; height: number; exact: boolean };
}

export interface IntegerOption extends OptionBase {
  kind: 'integer';
  min: number;
  max: number;
  /** Undefined: the field is left out unless given (a seed). */
  default?: number;
}

export interface BooleanOption extends OptionBase {
  kind: 'boolean';
  default: boolean;
}

export interface TextOption extends OptionBase {
  kind: 'text';
  maxLength: number;
}

export interface PaletteOption extends OptionBase {
  kind: 'palette';
}

export type OptionDescriptor = EnumOption | IntegerOption | BooleanOption | TextOption | PaletteOption;

/** What a job of this model costs, per image, by the values of its priced options. */
export interface PriceTable {
  /** Credits per image when no priced option picks another row. */
  perImage: number;
  /** Credits per image by the value of one priced option (e.g. `rendering_speed`), when it changes the price. */
  byOption?: { name: string; prices: Readonly<Record<string, number>> };
  /** True where the figures are inferred (Segmind's page shows a range or an average only). */
  estimate: boolean;
}

/**
 * What a model does with an image the user already has; a model without one makes an image from a prompt.
 * `describe` returns text (the image's description), every other action an image.
 */
export type ImageAction = 'remix' | 'reframe' | 'replace-background' | 'character' | 'describe';

/**
 * An image a model takes: a URL on Segmind (a workspace file is uploaded first). `source` is the picture the
 * action works on; `character` the face a new scene keeps.
 */
export interface ImageInput {
  /** The Segmind field name, exactly as the model takes it (`image`, `image_file`, `character_reference_image`). */
  name: string;
  role: 'source' | 'character';
}

/** One model: everything the extension knows about it, in one declaration. */
export interface ModelDefinition {
  /** Segmind's slug: the last part of `…/v1/<slug>` and `…/v2/<slug>`. */
  slug: string;
  /** The product name, as Ideogram and Segmind write it (not translated). */
  displayName: string;
  /** One line on what the model is good at (English; translated by the host like option words). */
  goodAt: string;
  options: readonly OptionDescriptor[];
  price: PriceTable;
  /** Segmind's typical generation time: where the poll schedule starts before this machine has seen a job. */
  typicalLatencyMs: number;
  /** The most images one job returns (the `image-count` option's maximum, else 1). */
  maxImagesPerJob: number;
  /** The version of this model's stored requests (gallery, jobs, recipes); a newer one is kept, not read. */
  storedVersion: number;
  /** What it does with an image the user has (undefined: it makes an image from a prompt). */
  action?: ImageAction;
  /** The images it takes, each a required URL field of its request. */
  imageInputs?: readonly ImageInput[];
  /**
   * False for a model that takes no prompt (reframe, describe). Its requests still carry `prompt`: the words the
   * gallery, the file name and the search use for the image (the source's prompt or name), never sent to Segmind.
   */
  sendsPrompt?: boolean;
}

/** An image input's URL: https, or http on a local proxy or test server (the upload route answers with it). */
const imageUrlSchema = z
  .string(problem('image-missing'))
  .check(z.refine((value) => /^https?:\/\/[^\s]+$/i.test(value), problem('image-not-url')));

// ---- the schema built from the descriptors -------------------------------------------------------------

/** The problem code of an enum option with a value the model does not take. */
const ENUM_PROBLEMS: Partial<Record<OptionConcept, RequestProblemCode>> = {
  'magic-prompt': 'magic-prompt-invalid',
  style: 'style-invalid',
  size: 'resolution-invalid',
  speed: 'speed-invalid',
  'output-format': 'format-invalid',
};

function optionSchema(option: OptionDescriptor): z.ZodMiniType {
  switch (option.kind) {
    case 'enum': {
      const schema = z.enum(
        option.choices as [string, ...string[]],
        problem(ENUM_PROBLEMS[option.concept] ?? 'invalid-value'),
      );
      return z._default(schema, option.default);
    }
    case 'integer': {
      const [notWhole, outOfRange]: [RequestProblemCode, RequestProblemCode] =
        option.concept === 'seed'
          ? ['seed-not-whole', 'seed-out-of-range']
          : option.concept === 'image-count'
            ? ['image-count-not-whole', 'image-count-out-of-range']
            : ['invalid-value', 'invalid-value'];
      const schema = z
        .int(problem(notWhole))
        .check(z.minimum(option.min, problem(outOfRange)), z.maximum(option.max, problem(outOfRange)));
      return option.default === undefined ? z.optional(schema) : z._default(schema, option.default);
    }
    case 'boolean':
      return z._default(
        z.boolean(problem(option.concept === 'magic-prompt' ? 'magic-prompt-invalid' : 'invalid-value')),
        option.default,
      );
    case 'text': {
      const code: RequestProblemCode =
        option.concept === 'negative-prompt' ? 'negative-prompt-too-long' : 'invalid-value';
      return z.optional(z.string().check(z.maxLength(option.maxLength, problem(code))));
    }
    case 'palette':
      return z.optional(colorPaletteSchema);
  }
}

export const promptSchema = z
  .string(problem('prompt-missing'))
  .check(
    z.trim(),
    z.minLength(1, { ...problem('prompt-empty'), abort: true }),
    z.maxLength(PROMPT_MAX_LENGTH, { ...problem('prompt-too-long'), abort: true }),
    z.regex(/[\p{L}\p{N}]/u, problem('prompt-no-words')),
  );

/**
 * A model's request schema: `model` (its slug), `prompt`, and its options; nothing else (an option another model
 * takes is an `unknown-options` problem, so a request built for the wrong model is refused before it is sent).
 */
export function requestSchemaFor(
  model: Pick<ModelDefinition, 'slug' | 'options' | 'imageInputs'>,
  { modelRequired = false } = {},
) {
  const shape: Record<string, z.ZodMiniType> = {
    model: modelRequired
      ? z.literal(model.slug, problem('model-unknown'))
      : z._default(z.literal(model.slug), model.slug),
    prompt: promptSchema,
  };
  for (const option of model.options) shape[option.name] = optionSchema(option);
  for (const input of model.imageInputs ?? []) shape[input.name] = imageUrlSchema;
  return z.strictObject(shape);
}

// ---- helpers every model uses ----------------------------------------------------------------------------

/** A model's option by Segmind field name. */
export function optionNamed(model: Pick<ModelDefinition, 'options'>, name: string): OptionDescriptor | undefined {
  return model.options.find((option) => option.name === name);
}

/** A model's option by what it means. */
export function optionFor(
  model: Pick<ModelDefinition, 'options'>,
  concept: OptionConcept,
): OptionDescriptor | undefined {
  return model.options.find((option) => option.concept === concept);
}

/** `WxH` sizes (`1024x1024`) as width and height. */
export function sizeOfWxH(choice: string): { width: number; height: number; exact: boolean } {
  const [width, height] = choice.split('x').map(Number);
  return { width, height, exact: true };
}

/** The words every model's seed shares. */
export const SEED_WORDS: OptionWords = { label: 'Seed', hint: 'The same seed and options give the same image' };
export const NEGATIVE_PROMPT_WORDS: OptionWords = {
  label: 'Negative prompt',
  hint: 'What the image should avoid (optional)',
};
export const MAGIC_PROMPT_WORDS: OptionWords = {
  label: 'Magic Prompt',
  choices: {
    AUTO: 'Ideogram decides whether to enrich the prompt',
    ON: 'Always enrich the prompt',
    OFF: 'Use the prompt exactly as written',
  },
};
export const PALETTE_WORDS: OptionWords = { label: 'Colour palette' };

/** Every word a model declares (its `goodAt`, its options' labels, hints and choice descriptions), for the l10n bundles' test. */
export function wordsOf(model: ModelDefinition): string[] {
  return [
    model.goodAt,
    ...model.options.flatMap((option) => [
      option.words.label,
      ...(option.words.hint ? [option.words.hint] : []),
      ...Object.values(option.words.choices ?? {}),
    ]),
  ];
}

/** An enum value as a name: `QUALITY` → "Quality", `RENDER_3D` → "Render 3D", `square_hd` → "Square HD". */
export function choiceName(value: string): string {
  return value
    .split('_')
    .map((part, index) =>
      /^(hd|\dd)$/i.test(part)
        ? part.toUpperCase()
        : index === 0
          ? part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()
          : part.toLowerCase(),
    )
    .join(' ');
}

/** The Segmind fields of a model's image inputs with the given role (usually one). */
export function imageInputsOf(model: Pick<ModelDefinition, 'imageInputs'>, role: ImageInput['role']): string[] {
  return (model.imageInputs ?? []).filter((input) => input.role === role).map((input) => input.name);
}

/** The model and its speed, as the hover and the recipe name it: "Ideogram 3.0 · Quality", "Ideogram 2.0". */
export function modelLabel(model: ModelDefinition, request: Readonly<Record<string, unknown>>): string {
  const speed = model.options.find((option) => option.concept === 'speed');
  const value = speed && speed.kind === 'enum' ? (request[speed.name] ?? speed.default) : undefined;
  return typeof value === 'string' ? `${model.displayName} · ${choiceName(value)}` : model.displayName;
}
