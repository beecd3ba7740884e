// Variations: N images of one recipe, each its own job with its own seed.
import { SEED_MAX, SEED_MIN } from './request';

export const MAX_VARIATIONS = 4;

/**
 * `count` distinct seeds in `range` (the model's seed range; the default model's by default). A seed the user chose is kept for the first image (so one of the set reproduces the
 * recipe exactly); the others are drawn from `random` (returns [0, 1)), never repeating.
 */
export function variationSeeds(
  count: number,
  random: () => number,
  chosen?: number,
  range = { min: SEED_MIN, max: SEED_MAX },
): number[] {
  const seeds: number[] = chosen === undefined ? [] : [chosen];
  const span = range.max - range.min + 1;
  while (seeds.length < count) {
    let seed = range.min + (Math.floor(random() * span) % span);
    // A repeat (a poor random source, or the chosen seed drawn again) takes the next free seed.
    while (seeds.includes(seed)) seed = seed >= range.max ? range.min : seed + 1;
    seeds.push(seed);
  }
  return seeds.slice(0, count);
}

/** Whether a count of variations is one the product offers. */
export function isVariationCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_VARIATIONS;
}
