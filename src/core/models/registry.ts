// The models the extension offers, one line each. Adding a text-to-image model: its module beside this file,
// one line here, its words in l10n/bundle.l10n.json and bundle.l10n.de.json, its test (ARCHITECTURE.md).
// Loaded with the extension itself, never by the bootstrap (src/bootstrap.ts; a unit test holds it to that).
import { ideogram2aTxt2Img } from './ideogram2aTxt2Img';
import { ideogram3 } from './ideogram3';
import { ideogram4 } from './ideogram4';
import { ideogramTurboTxt2Img } from './ideogramTurboTxt2Img';
import { ideogramTxt2Img } from './ideogramTxt2Img';
import { convertRequest, type ConvertedRequest } from './convert';
import type { ModelDefinition } from './options';

export const MODELS: readonly ModelDefinition[] = [
  ideogramTxt2Img,
  ideogramTurboTxt2Img,
  ideogram2aTxt2Img,
  ideogram3,
  ideogram4,
];

/** The model of every request that names none: the one the extension used before it offered others. */
export const DEFAULT_MODEL = ideogramTxt2Img;

export function modelBySlug(slug: unknown): ModelDefinition | undefined {
  return typeof slug === 'string' ? MODELS.find((model) => model.slug === slug) : undefined;
}

export const MODEL_SLUGS: readonly string[] = MODELS.map((model) => model.slug);

/** `convertRequest` by slugs (a request without `model` is the default model's); undefined when either is unknown. */
export function convertRequestTo(request: Record<string, unknown>, targetSlug: string): ConvertedRequest | undefined {
  const source = request.model === undefined ? DEFAULT_MODEL : modelBySlug(request.model);
  const target = modelBySlug(targetSlug);
  return source && target ? convertRequest(request, source, target) : undefined;
}
