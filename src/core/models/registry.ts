// The models the extension offers, one line each. Adding a text-to-image model: its module beside this file,
// one line here, its words in l10n/bundle.l10n.json and bundle.l10n.de.json, its test (ARCHITECTURE.md).
// Loaded with the extension itself, never by the bootstrap (src/bootstrap.ts; a unit test holds it to that).
import { ideogram2aTxt2Img } from './ideogram2aTxt2Img';
import { ideogram3 } from './ideogram3';
import { ideogram3Reframe } from './ideogram3Reframe';
import { ideogram3Remix } from './ideogram3Remix';
import { ideogram3ReplaceBackground } from './ideogram3ReplaceBackground';
import { ideogramCharacter } from './ideogramCharacter';
import { ideogramDescribe } from './ideogramDescribe';
import { ideogramImg2Img } from './ideogramImg2Img';
import { ideogram4 } from './ideogram4';
import { ideogramTurboTxt2Img } from './ideogramTurboTxt2Img';
import { ideogramTxt2Img } from './ideogramTxt2Img';
import { convertRequest, type ConvertedRequest } from './convert';
import type { ImageAction, ModelDefinition } from './options';

/** The models that make an image from a prompt: the ones the form, the wizard, the settings and the tool offer. */
export const MODELS: readonly ModelDefinition[] = [
  ideogramTxt2Img,
  ideogramTurboTxt2Img,
  ideogram2aTxt2Img,
  ideogram3,
  ideogram4,
];

/**
 * The models that work on an image the user has (remix, reframe, replace background, character, describe): offered
 * by the image actions, each for its own action; the first of an action is the one it uses unless the user picks another.
 */
export const IMAGE_MODELS: readonly ModelDefinition[] = [
  ideogram3Remix,
  ideogramImg2Img,
  ideogram3Reframe,
  ideogram3ReplaceBackground,
  ideogramCharacter,
  ideogramDescribe,
];

/** Every model the extension can send and read back (stored gallery entries, jobs and recipes name any of them). */
export const ALL_MODELS: readonly ModelDefinition[] = [...MODELS, ...IMAGE_MODELS];

/** The models of an image action, the preferred one first. */
export function modelsForAction(action: ImageAction): ModelDefinition[] {
  return IMAGE_MODELS.filter((model) => model.action === action);
}

/** The model of every request that names none: the one the extension used before it offered others. */
export const DEFAULT_MODEL = ideogramTxt2Img;

export function modelBySlug(slug: unknown): ModelDefinition | undefined {
  return typeof slug === 'string' ? ALL_MODELS.find((model) => model.slug === slug) : undefined;
}

export const MODEL_SLUGS: readonly string[] = MODELS.map((model) => model.slug);

/** `convertRequest` by slugs (a request without `model` is the default model's); undefined when either is unknown. */
export function convertRequestTo(request: Record<string, unknown>, targetSlug: string): ConvertedRequest | undefined {
  const source = request.model === undefined ? DEFAULT_MODEL : modelBySlug(request.model);
  const target = modelBySlug(targetSlug);
  return source && target ? convertRequest(request, source, target) : undefined;
}
