// Ideogram 3.0 text to image. Its Segmind page is cut after `prompt`: the fields below are its example body's
// and its 3.0 siblings' (docs/segmind-models.md). Sent only what is known to be taken:
// no `num_images`, no `style_codes` (an empty list is left out anyway), no palette (not on the page).
import type { ModelDefinition } from './options';
import { V3_PRICE, v3MagicPrompt, v3NegativePrompt, v3Resolution, v3Seed, v3Speed, v3Style } from './ideogramV3Family';

export const ideogram3: ModelDefinition = {
  slug: 'ideogram-3',
  displayName: 'Ideogram 3.0',
  goodAt: 'Photorealism and typography; choose speed or quality',
  options: [v3NegativePrompt, v3Speed, v3Style, v3MagicPrompt, v3Resolution, v3Seed],
  price: V3_PRICE,
  typicalLatencyMs: 10_300,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
