// Ideogram 3.0 remix: a new image from a picture and a prompt (docs/segmind-models.md §10). Sent: the picture,
// the prompt, its weight, a resolution (never with `aspect_ratio`, which is not offered), speed, style, magic
// prompt, negative prompt, seed. Not sent: style codes and style reference images (unverified on Segmind).
import {
  imageWeight,
  V3_PRICE,
  v3MagicPrompt,
  v3NegativePrompt,
  v3Resolution,
  v3Seed,
  v3Speed,
  v3Style,
} from './ideogramV3Family';
import type { ModelDefinition } from './options';

export const ideogram3Remix: ModelDefinition = {
  slug: 'ideogram-3-remix',
  displayName: 'Ideogram 3.0 Remix',
  goodAt: 'A new image from one you have and a prompt',
  action: 'remix',
  imageInputs: [{ name: 'image', role: 'source' }],
  options: [imageWeight, v3NegativePrompt, v3Speed, v3Style, v3MagicPrompt, v3Resolution, v3Seed],
  price: V3_PRICE,
  typicalLatencyMs: 10_660,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
