// What Ideogram's V2-era text-to-image models on Segmind share (`ideogram-txt-2-img`, its Turbo and 2a): the flat
// body (docs/segmind-models.md), `RESOLUTION_<w>_<h>` sizes, `magic_prompt_option`, five style types.
// Each model module picks the fields its Segmind page lists (2a takes no negative prompt and no palette).
import {
  type EnumOption,
  type IntegerOption,
  MAGIC_PROMPT_WORDS,
  NEGATIVE_PROMPT_WORDS,
  type OptionDescriptor,
  PALETTE_WORDS,
  PROMPT_MAX_LENGTH,
  SEED_WORDS,
} from './options';

/** All 78 V2 resolutions, `RESOLUTION_<width>_<height>`, in the upstream spec's order. */
export const V2_RESOLUTIONS = [
  'RESOLUTION_512_1536',
  'RESOLUTION_576_1408',
  'RESOLUTION_576_1472',
  'RESOLUTION_576_1536',
  'RESOLUTION_640_1024',
  'RESOLUTION_640_1344',
  'RESOLUTION_640_1408',
  'RESOLUTION_640_1472',
  'RESOLUTION_640_1536',
  'RESOLUTION_704_1152',
  'RESOLUTION_704_1216',
  'RESOLUTION_704_1280',
  'RESOLUTION_704_1344',
  'RESOLUTION_704_1408',
  'RESOLUTION_704_1472',
  'RESOLUTION_720_1280',
  'RESOLUTION_736_1312',
  'RESOLUTION_768_1024',
  'RESOLUTION_768_1088',
  'RESOLUTION_768_1152',
  'RESOLUTION_768_1216',
  'RESOLUTION_768_1232',
  'RESOLUTION_768_1280',
  'RESOLUTION_768_1344',
  'RESOLUTION_832_960',
  'RESOLUTION_832_1024',
  'RESOLUTION_832_1088',
  'RESOLUTION_832_1152',
  'RESOLUTION_832_1216',
  'RESOLUTION_832_1248',
  'RESOLUTION_864_1152',
  'RESOLUTION_896_960',
  'RESOLUTION_896_1024',
  'RESOLUTION_896_1088',
  'RESOLUTION_896_1120',
  'RESOLUTION_896_1152',
  'RESOLUTION_960_832',
  'RESOLUTION_960_896',
  'RESOLUTION_960_1024',
  'RESOLUTION_960_1088',
  'RESOLUTION_1024_640',
  'RESOLUTION_1024_768',
  'RESOLUTION_1024_832',
  'RESOLUTION_1024_896',
  'RESOLUTION_1024_960',
  'RESOLUTION_1024_1024',
  'RESOLUTION_1088_768',
  'RESOLUTION_1088_832',
  'RESOLUTION_1088_896',
  'RESOLUTION_1088_960',
  'RESOLUTION_1120_896',
  'RESOLUTION_1152_704',
  'RESOLUTION_1152_768',
  'RESOLUTION_1152_832',
  'RESOLUTION_1152_864',
  'RESOLUTION_1152_896',
  'RESOLUTION_1216_704',
  'RESOLUTION_1216_768',
  'RESOLUTION_1216_832',
  'RESOLUTION_1232_768',
  'RESOLUTION_1248_832',
  'RESOLUTION_1280_704',
  'RESOLUTION_1280_720',
  'RESOLUTION_1280_768',
  'RESOLUTION_1280_800',
  'RESOLUTION_1312_736',
  'RESOLUTION_1344_640',
  'RESOLUTION_1344_704',
  'RESOLUTION_1344_768',
  'RESOLUTION_1408_576',
  'RESOLUTION_1408_640',
  'RESOLUTION_1408_704',
  'RESOLUTION_1472_576',
  'RESOLUTION_1472_640',
  'RESOLUTION_1472_704',
  'RESOLUTION_1536_512',
  'RESOLUTION_1536_576',
  'RESOLUTION_1536_640',
] as const;
export type V2Resolution = (typeof V2_RESOLUTIONS)[number];

export const V2_STYLE_TYPES = ['GENERAL', 'REALISTIC', 'DESIGN', 'RENDER_3D', 'ANIME'] as const;
export const MAGIC_PROMPT_CHOICES = ['AUTO', 'ON', 'OFF'] as const;

/** Width and height of a V2 resolution, e.g. RESOLUTION_1280_720 → {1280, 720}. */
export function sizeOfV2Resolution(choice: string): { width: number; height: number; exact: boolean } {
  const [, width, height] = choice.split('_');
  return { width: Number(width), height: Number(height), exact: true };
}

export const STYLE_WORDS = {
  label: 'Style',
  choices: {
    AUTO: 'Ideogram picks the style',
    GENERAL: 'Versatile, the default',
    REALISTIC: 'Photographic',
    DESIGN: 'Graphic design, logos, typography',
    RENDER_3D: '3D render look',
    ANIME: 'Anime and manga',
  },
};

const negativePrompt: OptionDescriptor = {
  name: 'negative_prompt',
  kind: 'text',
  concept: 'negative-prompt',
  maxLength: PROMPT_MAX_LENGTH,
  priced: false,
  words: NEGATIVE_PROMPT_WORDS,
};
const magicPrompt: EnumOption = {
  name: 'magic_prompt_option',
  kind: 'enum',
  concept: 'magic-prompt',
  choices: MAGIC_PROMPT_CHOICES,
  default: 'AUTO',
  priced: true,
  words: MAGIC_PROMPT_WORDS,
};
const resolution: EnumOption = {
  name: 'resolution',
  kind: 'enum',
  concept: 'size',
  choices: V2_RESOLUTIONS,
  default: 'RESOLUTION_1024_1024',
  priced: true,
  sizeOf: sizeOfV2Resolution,
  words: { label: 'Resolution' },
};
const style: EnumOption = {
  name: 'style_type',
  kind: 'enum',
  concept: 'style',
  choices: V2_STYLE_TYPES,
  default: 'GENERAL',
  priced: true,
  words: STYLE_WORDS,
};
const palette: OptionDescriptor = {
  name: 'color_palette',
  kind: 'palette',
  concept: 'palette',
  priced: false,
  words: PALETTE_WORDS,
};

/**
 * The V2 family's options in the order the form shows them. `seed` is the model's own range: Segmind's pages
 * disagree between slugs, so each module passes the one its page states.
 */
export function v2Options(
  seed: { min: number; max: number },
  fields: { negativePrompt: boolean; palette: boolean },
): OptionDescriptor[] {
  const seedOption: IntegerOption = {
    name: 'seed',
    kind: 'integer',
    concept: 'seed',
    min: seed.min,
    max: seed.max,
    priced: false,
    words: SEED_WORDS,
  };
  return [
    ...(fields.negativePrompt ? [negativePrompt] : []),
    style,
    magicPrompt,
    resolution,
    seedOption,
    ...(fields.palette ? [palette] : []),
  ];
}

/** The seed range the extension has always used for `ideogram-txt-2-img` (upstream Ideogram's). */
export const V2_SEED_RANGE = { min: 0, max: 2147483647 };
