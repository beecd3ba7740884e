import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { SUPPORTED_LANGUAGES } from '../core/linkFormats';
import type { ImageLinks } from './documentLinks';
import { GALLERY_DRAG_MIME } from '../common/protocol';

const dragPayloadSchema = z.object({ uri: z.string().check(z.minLength(1)), prompt: z.string() });

/**
 * Dropping an image from the Ideogram gallery into an editor (Markdown, HTML, AsciiDoc, … any format of
 * src/core/linkFormats.ts) inserts the same link that "Insert" would: relative to the document, with the
 * prompt as alt text, in the document's syntax.
 */
export class GalleryDropProvider implements vscode.DocumentDropEditProvider {
  readonly #links: ImageLinks;
  constructor(links: ImageLinks) {
    this.#links = links;
  }

  async provideDocumentDropEdits(
    document: vscode.TextDocument,
    _position: vscode.Position,
    dataTransfer: vscode.DataTransfer,
    token: vscode.CancellationToken,
  ): Promise<vscode.DocumentDropEdit | undefined> {
    const item = dataTransfer.get(GALLERY_DRAG_MIME);
    if (!item) return undefined;
    const text = await item.asString();
    if (token.isCancellationRequested) return undefined;
    let parsed;
    try {
      parsed = dragPayloadSchema.safeParse(JSON.parse(text));
    } catch {
      return undefined;
    }
    if (!parsed.success) return undefined;
    const image = vscode.Uri.parse(parsed.data.uri);
    return new vscode.DocumentDropEdit(this.#links.linkFor(document, parsed.data.prompt, image));
  }
}

export function registerGalleryDrop(provider: GalleryDropProvider): vscode.Disposable {
  return vscode.languages.registerDocumentDropEditProvider(
    SUPPORTED_LANGUAGES.map((language) => ({ language })),
    provider,
  );
}
