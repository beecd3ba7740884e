import * as vscode from 'vscode';
import { SUPPORTED_LANGUAGES } from '../core/linkFormats';
import type { ImageLinks } from './documentLinks';

// Copy in the gallery, paste anywhere: the gallery's "Copy Link" puts a link on the clipboard (text, for any
// application) and remembers which image it was. Pasting that same text into a document of any supported format
// inserts the link as that document needs it: its syntax, relative to its folder.

interface CopiedImage {
  text: string;
  uri: vscode.Uri;
  prompt: string;
}
let copied: CopiedImage | undefined;

/** Called when the gallery copied a link to `uri` as `text`. */
export function rememberCopiedImage(text: string, uri: vscode.Uri, prompt: string): void {
  copied = { text, uri, prompt };
}

/** The image whose link `text` is, if the gallery copied it last. */
export function copiedImageFor(text: string): { uri: vscode.Uri; prompt: string } | undefined {
  return copied && text.trim() === copied.text.trim() ? { uri: copied.uri, prompt: copied.prompt } : undefined;
}

// DocumentPasteEditProvider became API in VS Code 1.97; the extension supports 1.90, so the types are declared
// here and the provider is registered only where the API exists.
interface DropOrPasteEditKind {
  append(...parts: string[]): DropOrPasteEditKind;
}
interface PasteApi {
  DocumentDropOrPasteEditKind?: { Text: DropOrPasteEditKind };
  DocumentPasteEdit?: new (insertText: string, title: string, kind: DropOrPasteEditKind) => unknown;
  languages: {
    registerDocumentPasteEditProvider?(
      selector: vscode.DocumentSelector,
      provider: unknown,
      metadata: { providedPasteEditKinds: DropOrPasteEditKind[]; pasteMimeTypes: string[] },
    ): vscode.Disposable;
  };
}

/** The paste provider's work, separate from the API's classes so it can be tested on any VS Code. */
export async function galleryPasteText(
  links: ImageLinks,
  document: vscode.TextDocument,
  dataTransfer: vscode.DataTransfer,
  token: vscode.CancellationToken,
): Promise<string | undefined> {
  const item = dataTransfer.get('text/plain');
  if (!item) return undefined;
  const text = await item.asString();
  if (token.isCancellationRequested) return undefined;
  const image = copiedImageFor(text);
  return image ? links.linkFor(document, image.prompt, image.uri) : undefined;
}

export function registerGalleryPaste(links: ImageLinks): vscode.Disposable {
  const api = vscode as unknown as PasteApi;
  const Kind = api.DocumentDropOrPasteEditKind;
  const PasteEdit = api.DocumentPasteEdit;
  if (!Kind || !PasteEdit || !api.languages.registerDocumentPasteEditProvider)
    return new vscode.Disposable(() => undefined);
  const kind = Kind.Text.append('ideogram', 'image');
  return api.languages.registerDocumentPasteEditProvider(
    SUPPORTED_LANGUAGES.map((language) => ({ language })),
    {
      async provideDocumentPasteEdits(
        document: vscode.TextDocument,
        _ranges: readonly vscode.Range[],
        dataTransfer: vscode.DataTransfer,
        _context: unknown,
        token: vscode.CancellationToken,
      ) {
        const text = await galleryPasteText(links, document, dataTransfer, token);
        return text === undefined
          ? undefined
          : [new PasteEdit(text, vscode.l10n.t('Insert Ideogram Image Link'), kind)];
      },
    },
    { providedPasteEditKinds: [kind], pasteMimeTypes: ['text/plain'] },
  );
}
