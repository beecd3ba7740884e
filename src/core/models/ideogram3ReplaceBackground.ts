// Ideogram 3.0 replace background: keeps the picture's subject and paints a new background from the prompt
// (docs/segmind-models.md §13). No resolution (the result keeps the picture's size), no style type, no negative prompt.
import { MAGIC_PROMPT_CHOICES } from './ideogramV2Family';
import { V3_PRICE, v3Seed, v3Speed } from './ideogramV3Family';
import { MAGIC_PROMPT_WORDS, type ModelDefinition } from './options';

export const ideogram3ReplaceBackground: ModelDefinition = {
  slug: 'ideogram-3-replace-background',
  displayName: 'Ideogram 3.0 Replace Background',
  goodAt: 'Keeps the subject of a picture and paints the background the prompt describes',
  action: 'replace-background',
  imageInputs: [{ name: 'image', role: 'source' }],
  options: [
    v3Speed,
    {
      name: 'magic_prompt',
      kind: 'enum',
      concept: 'magic-prompt',
      choices: MAGIC_PROMPT_CHOICES,
      default: 'AUTO',
      priced: false,
      words: MAGIC_PROMPT_WORDS,
    },
    v3Seed,
  ],
  price: V3_PRICE,
  typicalLatencyMs: 14_560,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
