// What the image actions' commands are called with, from each place that offers them: the Explorer (the file's
// Uri), the gallery tile's context menu (the tile's `data-vscode-context`), the image hover's command link (the
// image and the link's place in its document), and callers without UI (tests, keybindings, other extensions:
// the choices themselves, which the palette's steps would otherwise ask).
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { GALLERY_TILE_CONTEXT } from '../../common/protocol';

/** The choices a caller makes without the palette's steps. */
const choicesSchema = z.object({
  /** Reframe: the sizes by key (a purpose id, a model resolution, or a shape such as `16:9` or `1200x630`). */
  sizes: z.optional(z.array(z.string().check(z.maxLength(40))).check(z.minLength(1), z.maxLength(12))),
  /** The words, for a model that takes them. */
  prompt: z.optional(z.string()),
  /** Another model of the action (its slug). */
  model: z.optional(z.string()),
  options: z.optional(z.record(z.string(), z.unknown())),
  /** Started from a link: point it at the result, or put a link to each result beside it (without asking). */
  link: z.optional(z.enum(['replace', 'insert-beside'])),
});

const position = z.int().check(z.minimum(0));

const imageArgsSchema = z.extend(choicesSchema, {
  /** The image's URI, as a string. */
  image: z.string().check(z.maxLength(8192)),
  /** The document whose link points at the image, and the link's range in it (the hover). */
  document: z.optional(z.string().check(z.maxLength(8192))),
  range: z.optional(z.tuple([position, position, position, position])),
});

/** The gallery tile's `data-vscode-context`, merged by VS Code with its own keys (`webview`, …). */
const tileContextSchema = z.object({
  webviewSection: z.literal(GALLERY_TILE_CONTEXT.section),
  [GALLERY_TILE_CONTEXT.imageKey]: z.string().check(z.maxLength(8192)),
});

export type ActionChoices = z.infer<typeof choicesSchema>;

export interface ActionArgs {
  image: vscode.Uri;
  /** Where the action was started from a link in a document: Replace the Link and Insert Beside are offered. */
  link?: { document: vscode.Uri; range: vscode.Range };
  /** The caller's choices; undefined: the palette's steps ask. */
  choices?: ActionChoices;
}

/** Reads the command's arguments from any of the places that run it; undefined when none names an image. */
export function parseActionArgs(raw: unknown): ActionArgs | undefined {
  if (raw instanceof vscode.Uri) return { image: raw };
  const tile = tileContextSchema.safeParse(raw);
  if (tile.success) return uriFrom(tile.data[GALLERY_TILE_CONTEXT.imageKey]);
  const args = imageArgsSchema.safeParse(raw);
  if (!args.success) return undefined;
  const parsed = uriFrom(args.data.image);
  if (!parsed) return undefined;
  const { image: _image, document, range, ...choices } = args.data;
  const link =
    document !== undefined && range !== undefined
      ? { document: vscode.Uri.parse(document, true), range: new vscode.Range(...range) }
      : undefined;
  const chosen = choices.sizes !== undefined || choices.prompt !== undefined;
  return { ...parsed, ...(link ? { link } : {}), ...(chosen ? { choices } : {}) };
}

function uriFrom(text: string): { image: vscode.Uri } | undefined {
  try {
    return { image: vscode.Uri.parse(text, true) };
  } catch {
    return undefined;
  }
}
