import * as vscode from 'vscode';
import { ALT_TEXT_SYNTAX, altTextLinks, hasMissingAltText, type AltTextLink } from '../../core/altTextLinks';
import { formatForLanguage, type LinkFormatId } from '../../core/linkFormats';
import { linkTargetUri } from '../../links/linkTargets';

/** The format of a document whose image links' alt text can be read, else undefined. */
export function altTextFormatOf(document: vscode.TextDocument): LinkFormatId | undefined {
  const format = formatForLanguage(document.languageId);
  return format && ALT_TEXT_SYNTAX[format] ? format : undefined;
}

/**
 * The image links of a document with their alt text, read once per document version: the code action provider
 * (asked at every cursor move) and the diagnostics share the reading.
 */
export class AltTextIndex {
  readonly #cache = new Map<string, { version: number; links: AltTextLink[] }>();

  links(document: vscode.TextDocument): AltTextLink[] {
    const format = altTextFormatOf(document);
    if (!format) return [];
    const key = document.uri.toString();
    const cached = this.#cache.get(key);
    if (cached?.version === document.version) return cached.links;
    const links = altTextLinks(format, document.getText());
    this.#cache.set(key, { version: document.version, links });
    return links;
  }

  forget(document: vscode.TextDocument): void {
    this.#cache.delete(document.uri.toString());
  }

  /** The links "Write Alt Text" can fix: alt text missing, a file in the workspace, text that is ours to rewrite. */
  fixable(document: vscode.TextDocument): Array<{ link: AltTextLink; image: vscode.Uri }> {
    return this.links(document).flatMap((link) => {
      const image = hasMissingAltText(link) ? linkTargetUri(document, link.target, 'decoded') : undefined;
      return image ? [{ link, image }] : [];
    });
  }
}

/** The document range of a link. */
export function linkRange(document: vscode.TextDocument, link: Pick<AltTextLink, 'start' | 'end'>): vscode.Range {
  return new vscode.Range(document.positionAt(link.start), document.positionAt(link.end));
}
