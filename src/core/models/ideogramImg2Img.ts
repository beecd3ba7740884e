// Ideogram 2.0 remix (`ideogram-img-2-img`): the V2 body plus the picture and its weight (docs/segmind-models.md §7).
import { imageWeight } from './ideogramV3Family';
import { v2Options } from './ideogramV2Family';
import type { ModelDefinition } from './options';

export const ideogramImg2Img: ModelDefinition = {
  slug: 'ideogram-img-2-img',
  displayName: 'Ideogram 2.0 Remix',
  goodAt: 'A new image from one you have and a prompt, with V2 styles and palettes',
  action: 'remix',
  imageInputs: [{ name: 'image_file', role: 'source' }],
  // Its seed range is cut off the page; its siblings state 100–999999.
  options: [imageWeight, ...v2Options({ min: 100, max: 999999 }, { negativePrompt: true, palette: true })],
  price: { perImage: 0.1, estimate: false },
  typicalLatencyMs: 12_680,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
