// Where an image made by an image action came from: the workspace file it worked on, that file's hash at the time,
// and the action. Carried by the run, the job record, the gallery entry, the embedded recipe and the sidecar, so the
// hover can say "Reframed from banner.jpg" and Regenerate can run the same action on the same file again.
// Pure: the host reads the file and compares hashes with `sourceCheck`.
import * as z from 'zod/mini';
import { isImageMakingAction, reframeSizes, sizeOptionOf, type ImageMakingAction } from './imageActions';
import { modelOfRequest, type GenerationRequest } from './request';

/** The source of an image made from another image. */
export interface SourceLineage {
  /** The source file, relative to its workspace folder, with `/` (never leading out of it: no `..`, no root). */
  path: string;
  /** SHA-256 of the source's bytes when the action ran (lower-case hex). */
  sha256: string;
  /** Describe makes text, not an image: an image's source is one of the image-making actions. */
  action: ImageMakingAction;
  /** Where the source was uploaded to on Segmind, when known (reused while it lives; it expires). */
  url?: string;
}

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Whether `path` is a workspace-relative POSIX path that stays inside its folder. A recipe is written by whoever
 * committed the image: Regenerate joins this path to a workspace folder, so `../`, a root, a drive, a backslash, an
 * empty segment or a control character would lead elsewhere and are refused.
 */
export function isWorkspaceRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > 4096) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\\\x00-\x1f\x7f]/.test(path) || path.startsWith('/') || /^[a-z]:/i.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * The stored lineage. Strict: a lineage with an action this version does not know or a field it does not have was
 * written by a newer version, and the record holding it fails to parse, so each store keeps it whole, as it keeps a
 * request of a model it does not know (the gallery writes the entry back unchanged, the job store moves the file
 * aside, a recipe that does not parse is not read).
 */
export const sourceLineageSchema = z.strictObject({
  path: z.string().check(z.refine(isWorkspaceRelativePath)),
  sha256: z.string().check(z.regex(SHA256_PATTERN)),
  action: z.custom<ImageMakingAction>(isImageMakingAction),
  url: z.optional(z.string().check(z.maxLength(4096), z.regex(/^https?:\/\/\S+$/i))),
});

/**
 * Reads a stored `source` field: `none` when there is none (everything written before image actions), `lineage`
 * when this version reads it, `unreadable` when it is there but not readable (a newer version's, or damaged).
 */
export type SourceReading = { kind: 'none' } | { kind: 'lineage'; source: SourceLineage } | { kind: 'unreadable' };

export function readSourceLineage(raw: unknown): SourceReading {
  if (raw === undefined) return { kind: 'none' };
  const parsed = sourceLineageSchema.safeParse(raw);
  return parsed.success ? { kind: 'lineage', source: parsed.data } : { kind: 'unreadable' };
}

/** The source's file name: `assets/banner.jpg` → `banner.jpg`. */
export function sourceFileName(source: Pick<SourceLineage, 'path'>): string {
  return source.path.slice(source.path.lastIndexOf('/') + 1);
}

/**
 * What Regenerate finds when it reads the source again: the same bytes, changed bytes (edited, replaced), or no
 * file any more (moved, deleted, never checked out). `current` is the file's hash now, undefined when it is gone.
 */
export type SourceCheck = 'same' | 'changed' | 'gone';

export function sourceCheck(source: Pick<SourceLineage, 'sha256'>, current: string | undefined): SourceCheck {
  if (current === undefined) return 'gone';
  return current.toLowerCase() === source.sha256 ? 'same' : 'changed';
}

/** What an image action command is given to run without asking (src/generation/imageActions/actionArgs.ts). */
export interface ActionChoices {
  /** The model's slug. */
  model: string;
  prompt: string;
  /** The request's options: its picture fields left out (the source is read and uploaded again), the seed only if kept. */
  options: Record<string, unknown>;
  /** Reframe: the size, by the key that names it (the purpose it was made for, else the model's resolution). */
  sizes?: string[];
}

/**
 * The choices that run the action again as `request` ran it: the same model, words and options, and for Reframe the
 * same size. `seed`: the seed to keep (Same Seed); undefined lets the API pick a new one (Regenerate).
 */
export function actionChoicesOf(request: GenerationRequest, seed: number | undefined): ActionChoices {
  const model = modelOfRequest(request);
  const pictures = new Set((model?.imageInputs ?? []).map((input) => input.name));
  const { model: slug, prompt, seed: _seed, ...rest } = request;
  const options: Record<string, unknown> = Object.fromEntries(
    Object.entries(rest).filter(([name]) => !pictures.has(name)),
  );
  if (seed !== undefined) options.seed = seed;
  const choices: ActionChoices = { model: model?.slug ?? String(slug), prompt, options };
  const sizeOption = model?.action === 'reframe' ? sizeOptionOf(model) : undefined;
  const size = sizeOption && request[sizeOption.name];
  if (model && sizeOption && typeof size === 'string') {
    // A purpose (16:9 hero …) that resolves to this size gives the result the same name as before.
    choices.sizes = [reframeSizes(model).find((each) => each.choice === size)?.key ?? size];
  }
  return choices;
}
