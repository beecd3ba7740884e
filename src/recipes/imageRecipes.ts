import * as vscode from 'vscode';
import { recipeFromSidecar, type GalleryEntry } from '../core/galleryStore';
import { IMAGE_EXTENSIONS } from '../core/images';
import { readFileWithin } from '../common/boundedFiles';
import { errorText } from '../common/errorMessages';
import { readImageRecipe, type ImageRecipe } from '../core/recipeMetadata';
import { sidecarUri } from '../links/imageFiles';
import type { RecipeGallery } from './ports';

/** Image files bigger than this are not read for their recipe (Ideogram's are 1–3 MB). */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;
/** A recipe sidecar bigger than this is not ours (ours are a few KB). */
export const MAX_SIDECAR_BYTES = 1024 * 1024;
/** Files a rebuild looks at, at most. */
export const MAX_REBUILD_FILES = 20_000;

export type RecipeSource = 'embedded' | 'sidecar' | 'gallery';

/** What we know about how an image was made. */
export type ImageRecipeLookup =
  | { kind: 'recipe'; recipe: ImageRecipe; source: RecipeSource }
  | { kind: 'foreign'; tool: string; prompt?: string; negativePrompt?: string }
  | { kind: 'none'; reason?: string }
  /** A link to a device, a FIFO or a folder: nothing is read from it, and nothing is shown for it. */
  | { kind: 'not-a-file' };

export function isImageUri(uri: vscode.Uri): boolean {
  const dot = uri.path.lastIndexOf('.');
  return dot > 0 && (IMAGE_EXTENSIONS as readonly string[]).includes(uri.path.slice(dot + 1).toLowerCase());
}

async function readSidecar(imageUri: vscode.Uri): Promise<ImageRecipe | undefined> {
  let raw: unknown;
  try {
    const read = await readFileWithin(sidecarUri(imageUri), MAX_SIDECAR_BYTES);
    if (read.kind !== 'read') return undefined;
    raw = JSON.parse(new TextDecoder().decode(read.bytes));
  } catch {
    return undefined; // none, or not JSON
  }
  return recipeFromSidecar(raw);
}

export function recipeOfEntry(entry: GalleryEntry): ImageRecipe {
  const recipe: ImageRecipe = { request: entry.request, createdAt: entry.createdAt, generator: 'Ideogram for VS Code' };
  if (entry.seed !== undefined) recipe.seed = entry.seed;
  if (entry.revisedPrompt !== undefined) recipe.revisedPrompt = entry.revisedPrompt;
  if (entry.source !== undefined) recipe.source = entry.source;
  return recipe;
}

export function entryOfRecipe(imageUri: vscode.Uri, recipe: ImageRecipe): GalleryEntry {
  const entry: GalleryEntry = {
    id: globalThis.crypto.randomUUID(),
    imageUri: imageUri.toString(),
    prompt: recipe.request.prompt,
    request: recipe.request,
    createdAt: recipe.createdAt,
  };
  const seed = recipe.seed ?? recipe.request.seed;
  if (seed !== undefined) entry.seed = seed;
  if (recipe.revisedPrompt !== undefined) entry.revisedPrompt = recipe.revisedPrompt;
  if (recipe.source !== undefined) entry.source = recipe.source;
  return entry;
}

/**
 * The recipe of an image: embedded in the file first (it travels with the file), else the sidecar, else
 * the gallery (`gallery` omitted: not consulted). Another tool's prompt is reported as `foreign`.
 */
export async function lookUpRecipe(imageUri: vscode.Uri, gallery?: RecipeGallery): Promise<ImageRecipeLookup> {
  let foreign: ImageRecipeLookup | undefined;
  let reason: string | undefined;
  try {
    // A committed link to /dev/zero or a FIFO, or a huge file: not read (the hover would hang on it).
    const read = await readFileWithin(imageUri, MAX_IMAGE_FILE_BYTES);
    if (read.kind === 'not-a-file') return read;
    if (read.kind === 'read') {
      const reading = readImageRecipe(read.bytes);
      if (reading.kind === 'recipe') return { kind: 'recipe', recipe: reading.recipe, source: 'embedded' };
      if (reading.kind === 'foreign')
        foreign = {
          kind: 'foreign',
          tool: reading.tool,
          prompt: reading.prompt,
          negativePrompt: reading.negativePrompt,
        };
      if (reading.kind === 'unreadable') reason = reading.reason;
    }
  } catch (error) {
    return { kind: 'none', reason: errorText(error) };
  }
  const sidecar = await readSidecar(imageUri);
  if (sidecar) return { kind: 'recipe', recipe: sidecar, source: 'sidecar' };
  const entry = gallery ? await gallery.entryFor(imageUri) : undefined;
  if (entry) return { kind: 'recipe', recipe: recipeOfEntry(entry), source: 'gallery' };
  return foreign ?? { kind: 'none', reason };
}

/**
 * Restores gallery entries from the workspace's images that carry a recipe (embedded or sidecar).
 * Images already in the gallery are left alone. Bounded: at most MAX_REBUILD_FILES files are looked at.
 */
export async function rebuildGallery(
  gallery: RecipeGallery,
  token: vscode.CancellationToken,
  progress?: (done: number, total: number) => void,
): Promise<{ restored: number; alreadyThere: number; examined: number }> {
  const pattern = `**/*.{${IMAGE_EXTENSIONS.join(',')},${IMAGE_EXTENSIONS.map((extension) => extension.toUpperCase()).join(',')}}`;
  const files = await vscode.workspace.findFiles(pattern, '**/{node_modules,.git}/**', MAX_REBUILD_FILES, token);
  await gallery.load();
  const found: GalleryEntry[] = [];
  let alreadyThere = 0;
  let done = 0;
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file && !token.isCancellationRequested; file = queue.shift()) {
      if (await gallery.entryFor(file)) alreadyThere++;
      else {
        const lookup = await lookUpRecipe(file);
        if (lookup.kind === 'recipe') found.push({ ...entryOfRecipe(file, lookup.recipe), adopted: true });
      }
      progress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const restored = token.isCancellationRequested ? [] : await gallery.restore(found);
  return { restored: restored.length, alreadyThere, examined: done };
}
