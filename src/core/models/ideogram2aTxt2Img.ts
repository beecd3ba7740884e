// Ideogram 2a: the cheapest V2-era model. No negative prompt and no palette (upstream V_2A takes neither);
// its page states seeds 100–999999.
import { v2Options } from './ideogramV2Family';
import type { ModelDefinition } from './options';

export const ideogram2aTxt2Img: ModelDefinition = {
  slug: 'ideogram-2a-txt-2-img',
  displayName: 'Ideogram 2a',
  goodAt: 'Graphic design and text at the lowest price',
  options: v2Options({ min: 100, max: 999999 }, { negativePrompt: false, palette: false }),
  price: { perImage: 0.05, estimate: false },
  typicalLatencyMs: 12_400,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
