// Ideogram V2 Turbo: the V2 body, faster and cheaper. Its page's seed range is cut off; it takes the V2 body.
import { V2_SEED_RANGE, v2Options } from './ideogramV2Family';
import type { ModelDefinition } from './options';

export const ideogramTurboTxt2Img: ModelDefinition = {
  slug: 'ideogram-turbo-txt-2-img',
  displayName: 'Ideogram 2.0 Turbo',
  goodAt: 'Quick drafts with the V2 options, for less',
  options: v2Options(V2_SEED_RANGE, { negativePrompt: true, palette: true }),
  price: { perImage: 0.063, estimate: false },
  typicalLatencyMs: 12_800,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
