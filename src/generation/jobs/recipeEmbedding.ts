import * as vscode from 'vscode';
import type { GeneratedImage } from '../../core/client';
import { embedRecipe, GENERATOR_NAME, type ImageRecipe } from '../../core/recipeMetadata';
import type { SourceLineage } from '../../core/sourceLineage';

const EXTENSION_ID = 'ideogram-vscode.ideogram-vscode';

/** `Ideogram for VS Code 0.1.0`: the tool named in the files it writes. */
export function generatorName(): string {
  const version = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { version?: unknown } | undefined)
    ?.version;
  return typeof version === 'string' ? `${GENERATOR_NAME} ${version}` : GENERATOR_NAME;
}

/** The model slug of an endpoint (its last path segment): never the host, a query or anything secret. */
export function modelSlug(endpoint: string): string | undefined {
  try {
    const segment = new URL(endpoint).pathname.split('/').filter(Boolean).pop();
    return segment && /^[\w.-]{1,100}$/.test(segment) ? segment : undefined;
  } catch {
    return undefined;
  }
}

/** The recipe of a generated image as it goes into the file; `source`: the image an image action worked on. */
export function recipeOfImage(
  image: GeneratedImage,
  endpoint: string,
  createdAt = new Date(),
  source?: SourceLineage,
): ImageRecipe {
  const recipe: ImageRecipe = {
    request: image.request,
    createdAt: createdAt.toISOString(),
    generator: generatorName(),
  };
  if (image.seed !== undefined) recipe.seed = image.seed;
  const model = modelSlug(endpoint);
  if (model !== undefined) recipe.model = model;
  if (image.revisedPrompt !== undefined) recipe.revisedPrompt = image.revisedPrompt;
  if (source !== undefined) recipe.source = source;
  return recipe;
}

/**
 * The bytes to save: the image with its recipe embedded (XMP, the parameters text, the AI marker) when `embed`
 * (`ideogram.embedRecipe` for the target folder). Never fails: a file that cannot carry it is saved as it came.
 */
export function withEmbeddedRecipe(
  image: GeneratedImage,
  embed: boolean,
  endpoint: string,
  log: vscode.LogOutputChannel,
  source?: SourceLineage,
): Uint8Array {
  if (!embed) return image.bytes;
  const embedded = embedRecipe(image.bytes, recipeOfImage(image, endpoint, new Date(), source));
  if (embedded.ok) return embedded.value;
  log.warn(`The recipe was not embedded in the image: ${embedded.reason}`);
  return image.bytes;
}
