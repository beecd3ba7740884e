// Ideogram 3.0 remix: a new image from a picture and a prompt (docs/segmind-models.md §10). Sent: the picture,
// the prompt, its weight, a resolution (never with `aspect_ratio`, which is not offered), speed, style, magic
// prompt, negative prompt, seed. Not sent: style codes and style reference images (unverified on Segmind).
import { MAGIC_PROMPT_CHOICES, STYLE_WORDS } from './ideogramV2Family';
import { V3_STYLE_TYPES } from './ideogram3';
import { imageWeight, V3_PRICE, v3Resolution, v3Seed, v3Speed } from './ideogramV3Family';
import { MAGIC_PROMPT_WORDS, type ModelDefinition, NEGATIVE_PROMPT_WORDS, PROMPT_MAX_LENGTH } from './options';

export const ideogram3Remix: ModelDefinition = {
  slug: 'ideogram-3-remix',
  displayName: 'Ideogram 3.0 Remix',
  goodAt: 'A new image from one you have and a prompt',
  action: 'remix',
  imageInputs: [{ name: 'image', role: 'source' }],
  options: [
    imageWeight,
    {
      name: 'negative_prompt',
      kind: 'text',
      concept: 'negative-prompt',
      maxLength: PROMPT_MAX_LENGTH,
      priced: false,
      words: NEGATIVE_PROMPT_WORDS,
    },
    v3Speed,
    {
      name: 'style_type',
      kind: 'enum',
      concept: 'style',
      choices: V3_STYLE_TYPES,
      default: 'GENERAL',
      priced: false,
      words: STYLE_WORDS,
    },
    {
      name: 'magic_prompt',
      kind: 'enum',
      concept: 'magic-prompt',
      choices: MAGIC_PROMPT_CHOICES,
      default: 'AUTO',
      priced: false,
      words: MAGIC_PROMPT_WORDS,
    },
    v3Resolution,
    v3Seed,
  ],
  price: V3_PRICE,
  typicalLatencyMs: 10_660,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
