// Ideogram 3.0 reframe: the same picture in a new size, the missing parts painted in (docs/segmind-models.md §11).
// No prompt; the resolution is required upstream, so it is always sent (its default fills it in).
import { V3_PRICE, v3Resolution, v3Seed, v3Speed } from './ideogramV3Family';
import type { ModelDefinition } from './options';

export const ideogram3Reframe: ModelDefinition = {
  slug: 'ideogram-3-reframe',
  displayName: 'Ideogram 3.0 Reframe',
  goodAt: 'The same picture in another size, the new parts painted in',
  action: 'reframe',
  imageInputs: [{ name: 'image', role: 'source' }],
  sendsPrompt: false,
  options: [v3Resolution, v3Speed, v3Seed],
  price: V3_PRICE,
  typicalLatencyMs: 11_300,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
