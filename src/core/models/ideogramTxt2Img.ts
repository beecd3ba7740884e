// Ideogram V2 text to image: the model this extension has always used, still the default.
import { V2_SEED_RANGE, v2Options } from './ideogramV2Family';
import type { ModelDefinition } from './options';

export const ideogramTxt2Img: ModelDefinition = {
  slug: 'ideogram-txt-2-img',
  displayName: 'Ideogram 2.0',
  goodAt: 'Reliable text in images, the widest choice of sizes and styles',
  options: v2Options(V2_SEED_RANGE, { negativePrompt: true, palette: true }),
  // Segmind's model directory: about $0.10 a generation (llms.txt); reported costs replace it.
  price: { perImage: 0.1, estimate: true },
  typicalLatencyMs: 21_600,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
