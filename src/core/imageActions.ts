// The image actions as data: which actions the Explorer, the gallery and the hover offer, Reframe's sizes by
// purpose resolved to what the model can make, and the default name of an action's result. Pure: the commands
// (src/generation/imageActions/) render and run them.
import { DEFAULT_FILE_NAME_TEMPLATE } from './fileNameTemplate';
import type { EnumOption, ModelDefinition } from './models/options';
import { optionFor } from './models/options';

/** The actions that make an image from an image, in the order the menus show them (Describe makes text: not here). */
export const IMAGE_ACTIONS = ['remix', 'reframe', 'replace-background', 'character'] as const;
export type ImageMakingAction = (typeof IMAGE_ACTIONS)[number];

export function isImageMakingAction(value: unknown): value is ImageMakingAction {
  return typeof value === 'string' && (IMAGE_ACTIONS as readonly string[]).includes(value);
}

/**
 * Reframe's presets by purpose: the shape people need an image in. A model makes only its own resolutions, so
 * each preset is resolved to the model's resolution of the nearest shape (`resolutionForShape`); `tag` names the
 * result's file (`banner-reframe-16x9.jpg`).
 */
export const REFRAME_PURPOSES = [
  { id: 'hero', width: 16, height: 9, tag: '16x9' },
  // Named for its purpose: no model makes exactly 1200 × 630, so a name with those pixels would not be true.
  { id: 'open-graph', width: 1200, height: 630, tag: 'og-card' },
  { id: 'avatar', width: 1, height: 1, tag: '1x1' },
  { id: 'story', width: 9, height: 16, tag: '9x16' },
] as const;
export type ReframePurposeId = (typeof REFRAME_PURPOSES)[number]['id'];

/** One size a reframe can be asked for: a purpose resolved to the model's resolution, or one of its own. */
export interface ReframeSize {
  /** What picks it in command arguments and the picker: the purpose's id, or the resolution itself. */
  key: string;
  /** The model's choice sent as the size option (`1312x736`, or `16:9` for a model that takes shapes). */
  choice: string;
  /** Its pixels, when the model states them exactly. */
  width?: number;
  height?: number;
  /** The purpose it serves, for a preset. */
  purpose?: ReframePurposeId;
  /** The part of the file name that tells the sizes apart. */
  tag: string;
}

/** The model's size option (its resolutions or aspect ratios), if it has one. */
export function sizeOptionOf(model: Pick<ModelDefinition, 'options'>): EnumOption | undefined {
  const option = optionFor(model, 'size');
  return option?.kind === 'enum' && option.sizeOf ? option : undefined;
}

/**
 * The model's choice whose shape is nearest to `width:height` (compared as the logarithm of the ratio, so
 * too wide and too tall weigh the same); of equally near ones, the largest picture.
 */
export function resolutionForShape(option: EnumOption, shape: { width: number; height: number }): string {
  const sizeOf = option.sizeOf;
  if (!sizeOf) return option.default;
  const wanted = Math.log(shape.width / shape.height);
  let best = option.default;
  let bestDistance = Infinity;
  let bestArea = 0;
  for (const choice of option.choices) {
    const size = sizeOf(choice);
    const distance = Math.abs(Math.log(size.width / size.height) - wanted);
    const area = size.exact ? size.width * size.height : 0;
    if (distance < bestDistance - 1e-9 || (Math.abs(distance - bestDistance) <= 1e-9 && area > bestArea)) {
      best = choice;
      bestDistance = distance;
      bestArea = area;
    }
  }
  return best;
}

/** Every size a reframe with `model` offers: the purposes first (resolved), then the model's own resolutions. */
export function reframeSizes(model: Pick<ModelDefinition, 'options'>): ReframeSize[] {
  const option = sizeOptionOf(model);
  if (!option?.sizeOf) return [];
  const exact = (choice: string) => {
    const size = option.sizeOf!(choice);
    return size.exact ? { width: size.width, height: size.height } : {};
  };
  const purposes = REFRAME_PURPOSES.map((purpose): ReframeSize => {
    const choice = resolutionForShape(option, purpose);
    return { key: purpose.id, choice, ...exact(choice), purpose: purpose.id, tag: purpose.tag };
  });
  const own = option.choices.map((choice): ReframeSize => ({
    key: choice,
    choice,
    ...exact(choice),
    tag: choice.replace(/[^0-9a-z]+/gi, 'x'),
  }));
  return [...purposes, ...own];
}

/**
 * The sizes asked for by key (a purpose id, a model resolution, or a shape such as `16:9` or `1200x630`, which is
 * matched to a purpose of that shape first, then to the model's nearest resolution). Unknown keys are returned apart.
 */
export function reframeSizesFor(
  model: Pick<ModelDefinition, 'options'>,
  keys: readonly string[],
): { sizes: ReframeSize[]; unknown: string[] } {
  const all = reframeSizes(model);
  const option = sizeOptionOf(model);
  const sizes: ReframeSize[] = [];
  const unknown: string[] = [];
  for (const key of keys) {
    const shape = /^(\d{1,5})\s*[:x×]\s*(\d{1,5})$/i.exec(key.trim());
    const purpose = shape
      ? REFRAME_PURPOSES.find(
          (each) => each.width * Number(shape[2]) === each.height * Number(shape[1]) && Number(shape[2]) > 0,
        )
      : undefined;
    const found =
      all.find((size) => size.key === key) ??
      (purpose && all.find((size) => size.purpose === purpose.id)) ??
      (shape && option && Number(shape[1]) > 0 && Number(shape[2]) > 0
        ? shapeSize(option, Number(shape[1]), Number(shape[2]))
        : undefined);
    if (found) sizes.push(found);
    else unknown.push(key);
  }
  return { sizes, unknown };
}

function shapeSize(option: EnumOption, width: number, height: number): ReframeSize {
  const choice = resolutionForShape(option, { width, height });
  const size = option.sizeOf!(choice);
  return {
    key: `${width}x${height}`,
    choice,
    ...(size.exact ? { width: size.width, height: size.height } : {}),
    // A ratio (16:9) names the shape; pixels the model cannot make exactly (1000x500) name what it made instead.
    tag: width <= 32 && height <= 32 ? `${width}x${height}` : choice.replace(/[^0-9a-z]+/gi, 'x'),
  };
}

/**
 * The file-name template of an action's result: the user's own template when they set one (it may use
 * `${sourceName}` and `${action}`), else `${sourceName}-${action}` and the size's tag (`banner-reframe-16x9`).
 */
export function actionFileNameTemplate(userTemplate: string, tag?: string): string {
  if (userTemplate !== DEFAULT_FILE_NAME_TEMPLATE) return userTemplate;
  const safeTag = tag?.replace(/[^0-9a-z]+/gi, '-').replace(/^-+|-+$/g, '');
  return safeTag ? `\${sourceName}-\${action}-${safeTag}` : '${sourceName}-${action}';
}

/** Whether a model of this action is sent the user's words (remix, background, character) or not (reframe). */
export function takesPrompt(model: Pick<ModelDefinition, 'sendsPrompt'>): boolean {
  return model.sendsPrompt !== false;
}
