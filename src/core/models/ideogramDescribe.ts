// Ideogram Describe: a picture in, its description out (docs/segmind-models.md §15). The only field is the
// picture; the answer is text, not an image (read by `describeText` in src/core/describe.ts).
import type { ModelDefinition } from './options';

export const ideogramDescribe: ModelDefinition = {
  slug: 'ideogram-describe',
  displayName: 'Ideogram Describe',
  goodAt: 'Describes a picture in words: alt text, or a prompt to remix it',
  action: 'describe',
  imageInputs: [{ name: 'image_file', role: 'source' }],
  sendsPrompt: false,
  options: [],
  // "$0.015 per generation" on its page.
  price: { perImage: 0.015, estimate: false },
  typicalLatencyMs: 3_970,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
