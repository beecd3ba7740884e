// What Ideogram 3.0's image models on Segmind share with `ideogram-3` (remix, reframe, replace background): the
// speeds and their prices, Segmind's 100–999999 seed range, the `WxH` resolutions (docs/segmind-models.md).
import { V3_RESOLUTIONS, V3_SPEEDS } from './ideogram3';
import { type EnumOption, type IntegerOption, type PriceTable, SEED_WORDS, sizeOfWxH } from './options';

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
