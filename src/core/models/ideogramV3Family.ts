// What Ideogram 3.0's models on Segmind share (`ideogram-3`, remix, reframe, replace background): the 69 `WxH`
// resolutions, the speeds and their prices, the styles, `magic_prompt`, Segmind's 100–999999 seed range
// (docs/segmind-models.md).
import { MAGIC_PROMPT_CHOICES, STYLE_WORDS } from './ideogramV2Family';
import {
  type EnumOption,
  type IntegerOption,
  MAGIC_PROMPT_WORDS,
  NEGATIVE_PROMPT_WORDS,
  type OptionDescriptor,
  type PriceTable,
  PROMPT_MAX_LENGTH,
  SEED_WORDS,
  sizeOfWxH,
} from './options';

/** Ideogram 3.0's 69 resolutions (`ResolutionV3`), `WxH`, in the upstream order. Not the V2 set renamed. */
export const V3_RESOLUTIONS = [
  '512x1536',
  '576x1408',
  '576x1472',
  '576x1536',
  '640x1344',
  '640x1408',
  '640x1472',
  '640x1536',
  '704x1152',
  '704x1216',
  '704x1280',
  '704x1344',
  '704x1408',
  '704x1472',
  '736x1312',
  '768x1088',
  '768x1216',
  '768x1280',
  '768x1344',
  '800x1280',
  '832x960',
  '832x1024',
  '832x1088',
  '832x1152',
  '832x1216',
  '832x1248',
  '864x1152',
  '896x960',
  '896x1024',
  '896x1088',
  '896x1120',
  '896x1152',
  '960x832',
  '960x896',
  '960x1024',
  '960x1088',
  '1024x832',
  '1024x896',
  '1024x960',
  '1024x1024',
  '1088x768',
  '1088x832',
  '1088x896',
  '1088x960',
  '1120x896',
  '1152x704',
  '1152x832',
  '1152x864',
  '1152x896',
  '1216x704',
  '1216x768',
  '1216x832',
  '1248x832',
  '1280x704',
  '1280x768',
  '1280x800',
  '1312x736',
  '1344x640',
  '1344x704',
  '1344x768',
  '1408x576',
  '1408x640',
  '1408x704',
  '1472x576',
  '1472x640',
  '1472x704',
  '1536x512',
  '1536x576',
  '1536x640',
] as const;

/** The speeds Segmind's 3.0 pages list (upstream's FLASH and BALANCED appear on none: not sent). */
export const V3_SPEEDS = ['TURBO', 'DEFAULT', 'QUALITY'] as const;
/** The style types of April 2025 (CUSTOM, FICTION and STYLIZED came later upstream and are unverified on Segmind). */
export const V3_STYLE_TYPES = ['AUTO', 'GENERAL', 'REALISTIC', 'DESIGN'] as const;

export const v3Speed: EnumOption = {
  name: 'rendering_speed',
  kind: 'enum',
  concept: 'speed',
  choices: V3_SPEEDS,
  default: 'DEFAULT',
  priced: true,
  words: {
    label: 'Rendering speed',
    choices: { TURBO: 'Fastest and cheapest', DEFAULT: 'Balanced', QUALITY: 'Best detail, costs most' },
  },
};

export const v3Resolution: EnumOption = {
  name: 'resolution',
  kind: 'enum',
  concept: 'size',
  choices: V3_RESOLUTIONS,
  default: '1024x1024',
  priced: false,
  sizeOf: sizeOfWxH,
  words: { label: 'Resolution' },
};

/** The range Segmind's 3.0 image pages state. */
export const v3Seed: IntegerOption = {
  name: 'seed',
  kind: 'integer',
  concept: 'seed',
  min: 100,
  max: 999999,
  priced: false,
  words: SEED_WORDS,
};

export const v3NegativePrompt: OptionDescriptor = {
  name: 'negative_prompt',
  kind: 'text',
  concept: 'negative-prompt',
  maxLength: PROMPT_MAX_LENGTH,
  priced: false,
  words: NEGATIVE_PROMPT_WORDS,
};

export const v3Style: EnumOption = {
  name: 'style_type',
  kind: 'enum',
  concept: 'style',
  choices: V3_STYLE_TYPES,
  default: 'GENERAL',
  priced: false,
  words: STYLE_WORDS,
};

/** `magic_prompt` (not V2's `magic_prompt_option`). */
export const v3MagicPrompt: EnumOption = {
  name: 'magic_prompt',
  kind: 'enum',
  concept: 'magic-prompt',
  choices: MAGIC_PROMPT_CHOICES,
  default: 'AUTO',
  priced: false,
  words: MAGIC_PROMPT_WORDS,
};

/** "$0.037 - $0.113 per generation" on each 3.0 page; by speed inferred from upstream's list prices × 1.25. */
export const V3_PRICE: PriceTable = {
  perImage: 0.075,
  byOption: { name: 'rendering_speed', prices: { TURBO: 0.0375, DEFAULT: 0.075, QUALITY: 0.1125 } },
  estimate: true,
};

/** How strongly a remix follows the picture it starts from (upstream 1–100, default 50). */
export const imageWeight: IntegerOption = {
  name: 'image_weight',
  kind: 'integer',
  concept: 'image-weight',
  min: 1,
  max: 100,
  default: 50,
  priced: false,
  words: { label: 'Image weight', hint: 'How closely the result keeps the original picture (1–100)' },
};
