// A recipe taken from one model to another (Regenerate with another model, Remix, Use Recipe): each option is
// carried over by what it means (its concept), when the target has an option of the same meaning and the value
// fits it; everything else is dropped and listed, so the user sees what did not come along.
import type { OptionConcept, OptionDescriptor } from './options';

type WithoutWords<T> = T extends unknown ? Omit<T, 'words'> : never;
/** What conversion needs of an option: its descriptor without words (the webview's copy has no functions but `sizeOf`). */
export type ConvertibleOption = WithoutWords<OptionDescriptor>;
export interface ConvertibleModel {
  slug: string;
  options: readonly ConvertibleOption[];
}

export interface DroppedOption {
  /** The field in the source request. */
  name: string;
  concept: OptionConcept;
  value: unknown;
  /** `no-such-option`: the target has nothing of that meaning; `value-not-taken`: it has, but not this value. */
  reason: 'no-such-option' | 'value-not-taken';
}

export interface ConvertedRequest {
  request: Record<string, unknown> & { model: string; prompt: string };
  dropped: DroppedOption[];
}

/** The magic prompt's three meanings, whatever the field: an enum AUTO/ON/OFF or a boolean (on/off). */
function magicMeaning(option: ConvertibleOption, value: unknown): 'AUTO' | 'ON' | 'OFF' | undefined {
  if (option.kind === 'boolean') return value === true ? 'ON' : value === false ? 'OFF' : undefined;
  return value === 'AUTO' || value === 'ON' || value === 'OFF' ? value : undefined;
}

/** The target's value of the same meaning, or undefined when it has none. */
function carry(from: ConvertibleOption, to: ConvertibleOption, value: unknown): unknown {
  switch (from.concept) {
    case 'magic-prompt': {
      const meaning = magicMeaning(from, value);
      if (to.kind === 'boolean')
        return meaning === 'ON' ? true : meaning === 'OFF' ? false : meaning === 'AUTO' ? to.default : undefined;
      return to.kind === 'enum' && meaning && to.choices.includes(meaning) ? meaning : undefined;
    }
    case 'size': {
      if (from.kind !== 'enum' || to.kind !== 'enum' || !from.sizeOf || !to.sizeOf || typeof value !== 'string')
        return undefined;
      const size = from.sizeOf(value);
      const sameShape = (choice: string) => {
        const other = to.sizeOf!(choice);
        return other.width * size.height === other.height * size.width;
      };
      // The same pixels where both know them; else the same shape, where the target's choice only names a shape
      // (a preset) or the source's did. Never a different shape.
      const exact = size.exact
        ? to.choices.find((choice) => {
            const other = to.sizeOf!(choice);
            return other.exact && other.width === size.width && other.height === size.height;
          })
        : undefined;
      if (exact) return exact;
      const shaped = to.choices.filter(sameShape);
      if (shaped.length === 0) return undefined;
      const targetExact = to.sizeOf(shaped[0]).exact;
      if (size.exact && targetExact) return undefined; // both pixel lists: a different size is not the same thing
      // Presets: the first of the shape (the module lists the high-resolution one first); pixels: closest to a megapixel.
      if (!targetExact) return shaped.includes(to.default) ? to.default : shaped[0];
      return shaped.reduce((best, choice) => {
        const area = (c: string) => Math.abs(to.sizeOf!(c).width * to.sizeOf!(c).height - 1024 * 1024);
        return area(choice) < area(best) ? choice : best;
      });
    }
    default:
      if (to.kind === 'enum') return typeof value === 'string' && to.choices.includes(value) ? value : undefined;
      if (to.kind === 'integer')
        return typeof value === 'number' && Number.isInteger(value) && value >= to.min && value <= to.max
          ? value
          : undefined;
      if (to.kind === 'boolean') return typeof value === 'boolean' ? value : undefined;
      if (to.kind === 'text') return typeof value === 'string' && value.length <= to.maxLength ? value : undefined;
      return value; // a palette is the same object on every model that takes one
  }
}

/**
 * The request for `target` made from a request for `source`: prompt and every option of the same meaning, the
 * target's defaults for the rest. `dropped` lists what the target cannot take (empty when nothing was lost).
 */
export function convertRequest(
  request: Record<string, unknown>,
  source: ConvertibleModel,
  target: ConvertibleModel,
): ConvertedRequest {
  const converted: ConvertedRequest['request'] = { model: target.slug, prompt: String(request.prompt ?? '') };
  const dropped: DroppedOption[] = [];
  for (const from of source.options) {
    const value = request[from.name];
    if (value === undefined) continue;
    const to = target.options.find((option) => option.concept === from.concept);
    if (!to) {
      // An image count of one asks for nothing a one-image model lacks.
      if (!(from.concept === 'image-count' && value === 1))
        dropped.push({ name: from.name, concept: from.concept, value, reason: 'no-such-option' });
      continue;
    }
    const carried = carry(from, to, value);
    if (carried === undefined)
      dropped.push({ name: from.name, concept: from.concept, value, reason: 'value-not-taken' });
    else converted[to.name] = carried;
  }
  return { request: converted, dropped };
}
