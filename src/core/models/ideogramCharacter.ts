// Ideogram Character: a new scene with the person of one reference picture (docs/segmind-models.md §14). Its
// enums are Title case (Replicate's schema), its aspect ratios use a colon. Not offered: `resolution` (Segmind's
// list is not visible) and the inpainting pair `image` + `mask`.
import { type ModelDefinition, SEED_WORDS } from './options';

export const CHARACTER_ASPECT_RATIOS = [
  '1:3',
  '3:1',
  '1:2',
  '2:1',
  '9:16',
  '16:9',
  '10:16',
  '16:10',
  '2:3',
  '3:2',
  '3:4',
  '4:3',
  '4:5',
  '5:4',
  '1:1',
] as const;

/** An aspect ratio's shape (`16:9` → 16 × 9); the pixel size is the model's to choose. */
function shapeOfRatio(choice: string): { width: number; height: number; exact: boolean } {
  const [width, height] = choice.split(':').map(Number);
  return { width, height, exact: false };
}

export const ideogramCharacter: ModelDefinition = {
  slug: 'ideogram-character',
  displayName: 'Ideogram Character',
  goodAt: 'The same person in a new scene, from one clear picture of them',
  action: 'character',
  imageInputs: [{ name: 'character_reference_image', role: 'character' }],
  options: [
    {
      name: 'rendering_speed',
      kind: 'enum',
      concept: 'speed',
      choices: ['Turbo', 'Default', 'Quality'],
      default: 'Default',
      priced: true,
      words: {
        label: 'Rendering speed',
        choices: { Turbo: 'Fastest and cheapest', Default: 'Balanced', Quality: 'Best detail, costs most' },
      },
    },
    {
      name: 'style_type',
      kind: 'enum',
      concept: 'style',
      choices: ['Auto', 'Fiction', 'Realistic'],
      default: 'Auto',
      priced: false,
      words: {
        label: 'Style',
        choices: { Auto: 'Ideogram picks the style', Fiction: 'Illustrated, stylised', Realistic: 'Photographic' },
      },
    },
    {
      name: 'magic_prompt_option',
      kind: 'enum',
      concept: 'magic-prompt',
      choices: ['Auto', 'On', 'Off'],
      default: 'Auto',
      priced: false,
      words: {
        label: 'Magic Prompt',
        choices: {
          Auto: 'Ideogram decides whether to enrich the prompt',
          On: 'Always enrich the prompt',
          Off: 'Use the prompt exactly as written',
        },
      },
    },
    {
      name: 'aspect_ratio',
      kind: 'enum',
      concept: 'size',
      choices: CHARACTER_ASPECT_RATIOS,
      default: '16:9',
      priced: false,
      sizeOf: shapeOfRatio,
      words: { label: 'Aspect ratio' },
    },
    { name: 'seed', kind: 'integer', concept: 'seed', min: 100, max: 999999, priced: false, words: SEED_WORDS },
  ],
  // "$0.125 - $0.250 per generation"; by speed inferred from upstream's list prices × 1.25.
  price: {
    perImage: 0.1875,
    byOption: { name: 'rendering_speed', prices: { Turbo: 0.125, Default: 0.1875, Quality: 0.25 } },
    estimate: true,
  },
  typicalLatencyMs: 20_000,
  maxImagesPerJob: 1,
  storedVersion: 1,
};
