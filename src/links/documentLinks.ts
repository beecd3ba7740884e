import * as vscode from 'vscode';
import {
  formatForLanguage,
  LINK_FORMATS,
  markdownHtmlImage,
  type ImageLinkParts,
  type LinkFormat,
  type Placement,
} from '../core/linkFormats';
import { planInsertion } from '../core/linkPlacement';
import { checkTemplate, LINK_TEMPLATE_VARIABLES, renderAltText, renderLinkTemplate } from '../core/linkTemplates';
import { relativePath } from '../core/linkText';
import { describeFailure } from '../common/errorMessages';
import { sizeOfRequest, type GenerationRequestInput } from '../core/request';
import { insertAtTrackedPoint, linkDocumentUri, type TrackedInsertionPoint } from './insertionPoint';
import type { Settings } from '../common/settings';
import { baseName, stem } from '../core/text';

// Given a document (or a notebook's Markdown cell), an image and its prompt: the link text in the document's
// format and where it goes. The formats themselves are in src/core/linkFormats.ts.

/** What a link is made from: the image file, its prompt and (when known) its pixel size. */
export interface LinkedImage {
  uri: vscode.Uri;
  prompt: string;
  /** The generated image (its request carries its model's size), when at hand. */
  image?: { request: GenerationRequestInput };
}

/** An editor whose document takes image links ("Generate Image Here", Insert, paste and drop work there). */
export function supportsImageLinks(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return !!editor && !editor.document.isClosed && formatForLanguage(editor.document.languageId) !== undefined;
}

/** The image's path as the document's links must write it, before the format's encoding. */
export function linkPath(document: vscode.TextDocument | undefined, image: vscode.Uri): { path: string } {
  const documentUri = document && !document.isUntitled ? linkDocumentUri(document) : undefined;
  if (documentUri && documentUri.scheme === image.scheme && documentUri.authority === image.authority) {
    return { path: relativePath(vscode.Uri.joinPath(documentUri, '..').path, image.path) };
  }
  // No folder to be relative to (untitled, another file system): relative to the workspace folder.
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(image);
  if (workspaceFolder) return { path: relativePath(workspaceFolder.uri.path, image.path) };
  return { path: image.toString(true) };
}

/** The display size: the configured width (height by the aspect ratio), else the image's own size where asked. */
function pixelSize(image: LinkedImage, width: number, ownSize: boolean): { width?: number; height?: number } {
  // Only pixel sizes: a preset (ideogram-4's image_size) names a shape, not the file's size.
  const size = image.image ? sizeOfRequest(image.image.request) : undefined;
  const own = size?.exact ? { width: size.width, height: size.height } : undefined;
  if (width > 0) return { width, height: own ? Math.round((width * own.height) / own.width) : undefined };
  return ownSize ? (own ?? {}) : {};
}

const warnedTemplates = new Set<string>();

/**
 * Image links as the user's settings want them (`ideogram.linkTemplates`, `markdownImageSyntax`, `imageWidth`,
 * `altTextTemplate`, read at use for the document's folder). One is made at activation and handed to the features
 * that write links.
 */
export class ImageLinks {
  readonly #settings: Pick<Settings, 'links'>;
  constructor(settings: Pick<Settings, 'links'>) {
    this.#settings = settings;
  }

  /**
   * The link to `image` as written in `document`'s format (Markdown when there is no document or its language
   * has no format), following the user's templates and settings.
   */
  linkFor(
    document: vscode.TextDocument | undefined,
    prompt: string,
    image: vscode.Uri,
    options: { placement?: Placement; linked?: LinkedImage } = {},
  ): string {
    return imageLinkWith(this.#settings, document, prompt, image, options);
  }

  /** The text to insert at `position` in `document` and where, for a link after `prefix` (`'\n\n'`: a new paragraph). */
  insertion(
    document: vscode.TextDocument,
    position: vscode.Position,
    image: LinkedImage,
    prefix = '',
  ): { position: vscode.Position; text: string; link: string } {
    const format = LINK_FORMATS[formatForLanguage(document.languageId) ?? 'markdown'];
    const line = document.lineAt(position.line);
    const plan = planInsertion(
      format,
      {
        text: line.text,
        previous: position.line > 0 ? document.lineAt(position.line - 1).text : undefined,
        next: position.line + 1 < document.lineCount ? document.lineAt(position.line + 1).text : undefined,
      },
      prefix,
    );
    const link = this.linkFor(document, image.prompt, image.uri, { placement: plan.placement, linked: image });
    return { position: plan.atLineEnd ? line.range.end : position, text: `${plan.before}${link}${plan.after}`, link };
  }

  /** Inserts the link at the tracked point as one undoable edit. Returns the link, or undefined when the document is gone. */
  async insert(point: TrackedInsertionPoint, prefix: string, image: LinkedImage): Promise<string | undefined> {
    let link: string | undefined;
    const inserted = await insertAtTrackedPoint(point, (position) => {
      const insertion = this.insertion(point.document, position, image, prefix);
      link = insertion.link;
      return insertion;
    });
    return inserted ? link : undefined;
  }

  /** The editor "Insert" writes into (any format that takes image links): the active one, else the first visible one. */
  targetEditor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    return supportsImageLinks(active) ? active : vscode.window.visibleTextEditors.find(supportsImageLinks);
  }
}

function imageLinkWith(
  settings: Pick<Settings, 'links'>,
  document: vscode.TextDocument | undefined,
  prompt: string,
  image: vscode.Uri,
  options: { placement?: Placement; linked?: LinkedImage },
): string {
  const languageId = document?.languageId ?? 'markdown';
  const format: LinkFormat = LINK_FORMATS[formatForLanguage(languageId) ?? 'markdown'];
  const scope = document && !document.isUntitled ? linkDocumentUri(document) : undefined;
  const config = settings.links(scope);
  const { path } = linkPath(document, image);
  const fileName = stem(baseName(image));
  // `<img>` gets the image's own size (no layout shift while it loads); other formats only a configured width.
  const htmlElement =
    ['html', 'jsx', 'vue', 'svelte'].includes(format.id) ||
    ((format.id === 'markdown' || format.id === 'mdx') && config.markdownImageSyntax === 'html');
  const parts: ImageLinkParts = {
    path,
    alt: renderAltText(config.altTextTemplate, { prompt, fileName }),
    ...pixelSize(options.linked ?? { uri: image, prompt }, config.imageWidth, htmlElement),
  };
  const template = config.templates[languageId];
  if (template !== undefined) {
    const error = checkTemplate(template, LINK_TEMPLATE_VARIABLES, `ideogram.linkTemplates.${languageId}`);
    if (!error) return renderLinkTemplate(template, format, { ...parts, prompt });
    const problem = describeFailure(error).message;
    if (!warnedTemplates.has(problem)) {
      warnedTemplates.add(problem);
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t('{0} The built-in link was used instead.', problem),
          vscode.l10n.t('Open Settings'),
        )
        .then(
          (choice) =>
            choice && vscode.commands.executeCommand('workbench.action.openSettings', 'ideogram.linkTemplates'),
        );
    }
  }
  if (config.markdownImageSyntax === 'html' && (format.id === 'markdown' || format.id === 'mdx')) {
    return format.id === 'mdx' ? LINK_FORMATS.jsx.build(parts, 'inline') : markdownHtmlImage(parts);
  }
  return format.build(parts, options.placement ?? 'inline');
}
