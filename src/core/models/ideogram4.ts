// Ideogram 4.0 on Segmind: fal's `ideogram/v4` schema (docs/segmind-models.md). Size presets
// instead of pixel sizes, up to 8 images in one job, prompt expansion as a boolean, lower-case enums.
// Only the speeds its page names (TURBO, QUALITY) are offered: the middle one differs between fal and Ideogram.
import { type ModelDefinition, SEED_WORDS } from './options';

/** fal's standard presets; their pixel sizes are not published, only their shape. */
export const V4_IMAGE_SIZES = [
  'square_hd',
  'square',
  'portrait_4_3',
  'portrait_16_9',
  'landscape_4_3',
  'landscape_16_9',
] as const;
const PRESET_SHAPES: Readonly<Record<string, [number, number]>> = {
  square_hd: [1, 1],
  square: [1, 1],
  portrait_4_3: [3, 4],
  portrait_16_9: [9, 16],
  landscape_4_3: [4, 3],
  landscape_16_9: [16, 9],
};
export const V4_SPEEDS = ['TURBO', 'QUALITY'] as const;
export const V4_OUTPUT_FORMATS = ['jpeg', 'png'] as const;
export const V4_MAX_IMAGES = 8;

export const ideogram4: ModelDefinition = {
  slug: 'ideogram-4',
  displayName: 'Ideogram 4.0',
  goodAt: 'The newest model: 2K posters with exact text, up to 8 images a job',
  options: [
    {
      name: 'rendering_speed',
      kind: 'enum',
      concept: 'speed',
      choices: V4_SPEEDS,
      default: 'QUALITY',
      priced: true,
      words: {
        label: 'Rendering speed',
        choices: { TURBO: 'Fastest and cheapest', QUALITY: 'Best detail, costs most' },
      },
    },
    {
      name: 'image_size',
      kind: 'enum',
      concept: 'size',
      choices: V4_IMAGE_SIZES,
      default: 'square_hd',
      priced: false,
      sizeOf: (choice) => {
        const [width, height] = PRESET_SHAPES[choice] ?? [1, 1];
        return { width, height, exact: false };
      },
      words: {
        label: 'Image size',
        choices: {
          square_hd: 'Square, high resolution',
          square: 'Square',
          portrait_4_3: 'Portrait 3:4',
          portrait_16_9: 'Portrait 9:16',
          landscape_4_3: 'Landscape 4:3',
          landscape_16_9: 'Landscape 16:9',
        },
      },
    },
    {
      name: 'num_images',
      kind: 'integer',
      concept: 'image-count',
      min: 1,
      max: V4_MAX_IMAGES,
      default: 1,
      priced: true,
      words: { label: 'Images in one job', hint: 'Each image is billed' },
    },
    {
      name: 'enable_prompt_expansion',
      kind: 'boolean',
      concept: 'magic-prompt',
      default: true,
      priced: false,
      words: { label: 'Expand the prompt', hint: 'Turn off to keep in-image text exactly as written' },
    },
    {
      name: 'output_format',
      kind: 'enum',
      concept: 'output-format',
      choices: V4_OUTPUT_FORMATS,
      default: 'jpeg',
      priced: false,
      words: { label: 'File format', choices: { jpeg: 'JPEG, smaller files', png: 'PNG, lossless' } },
    },
    // The range is not published; upstream Ideogram's.
    { name: 'seed', kind: 'integer', concept: 'seed', min: 0, max: 2147483647, priced: false, words: SEED_WORDS },
  ],
  // Segmind lists only an average ($0.111 a generation); by speed inferred. `num_images` multiplies it.
  price: {
    perImage: 0.111,
    byOption: { name: 'rendering_speed', prices: { TURBO: 0.075, QUALITY: 0.111 } },
    estimate: true,
  },
  typicalLatencyMs: 17_000,
  maxImagesPerJob: V4_MAX_IMAGES,
  storedVersion: 1,
};
