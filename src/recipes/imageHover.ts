import * as vscode from 'vscode';
import { imageLinkAt, MAX_LINE_LENGTH, referenceDefinitions } from '../core/markdownImageLinks';
import { linkTargetUri } from '../links/linkTargets';
import { modelLabel } from '../core/models/options';
import { DEFAULT_MODEL } from '../core/models/registry';
import { aspectRatioLabel, modelOfRequest, sizeOfRequest, type GenerationRequest } from '../core/request';
import { choiceTitle, optionLabel } from '../common/modelWords';
import type { RecipeGallery } from './ports';
import { isImageUri, lookUpRecipe, type ImageRecipeLookup } from './imageRecipes';
import { HOVER_COMMANDS } from '../common/ids';
import { writeAltTextTitle } from '../common/altTextWords';
import { altTextLinks, hasMissingAltText } from '../core/altTextLinks';
import { type FoundImageLink, formatForLanguage, LINK_FORMATS } from '../core/linkFormats';
import { baseName, shorten } from '../core/text';
import { relativePath, encodeLinkPath } from '../core/linkText';
import { sourceFileName, type SourceLineage } from '../core/sourceLineage';
import { madeFromText, sourceUriOf } from './imageSource';

/** What the hover's command links pass: the image, by URI (the command reads its recipe again). */
export interface ImageCommandArgs {
  image: string;
  /** Regenerate only: keep the recipe's seed, or let the API pick a new one. */
  seed?: 'same' | 'new';
  /** The image actions: the document and the link's range in it (start line, character, end line, character). */
  document?: string;
  range?: [number, number, number, number];
}

/** Where the hovered link is: the image actions offer to replace it or insert their result beside it. */
export interface HoveredLink {
  document: vscode.Uri;
  range: vscode.Range;
}

/** The pictures the image actions take (the upload refuses any other type). */
const ACTION_IMAGE = /\.(png|jpe?g|webp)$/i;

/** The thumbnail fits this box, so the hover shows everything without scrolling (VS Code caps its height). */
const THUMBNAIL_BOX = { width: 200, height: 100 };
const PROMPT_PREVIEW_LENGTH = 600;

/**
 * Resolves a link destination the way the Markdown preview does: relative to the document's folder, or to
 * the workspace folder when it starts with `/`. Web addresses, data URLs and non-images give undefined.
 */
export function resolveImageTarget(document: vscode.TextDocument, target: string): vscode.Uri | undefined {
  const uri = linkTargetUri(document, target);
  return uri && isImageUri(uri) ? uri : undefined;
}

/** The image link under the position, resolved to a file: Markdown's own reader, or the document format's. */
export function imageAt(
  document: vscode.TextDocument,
  position: vscode.Position,
): { uri: vscode.Uri; range: vscode.Range } | undefined {
  return document.languageId === 'markdown' ? markdownImageAt(document, position) : formatImageAt(document, position);
}

/** The links of the last documents hovered, by version: moving over a document does not read it again. */
const linksByDocument = new Map<string, { version: number; links: FoundImageLink[] }>();
const REMEMBERED_DOCUMENTS = 8;
/** A document larger than this is not read for the hover (the Markdown reader is line by line; these read it whole). */
const MAX_HOVER_TEXT = 2_000_000;

/** HTML, MDX, AsciiDoc, reStructuredText, LaTeX, JSX…: the format's own reader of image links (core/linkFormats.ts). */
function formatImageAt(
  document: vscode.TextDocument,
  position: vscode.Position,
): { uri: vscode.Uri; range: vscode.Range } | undefined {
  const format = formatForLanguage(document.languageId);
  if (!format) return undefined;
  const key = document.uri.toString();
  let known = linksByDocument.get(key);
  if (!known || known.version !== document.version) {
    const text = document.getText();
    if (text.length > MAX_HOVER_TEXT) return undefined;
    known = { version: document.version, links: LINK_FORMATS[format].findLinks(text) };
    linksByDocument.delete(key);
    linksByDocument.set(key, known);
    if (linksByDocument.size > REMEMBERED_DOCUMENTS) linksByDocument.delete(linksByDocument.keys().next().value!);
  }
  const offset = document.offsetAt(position);
  const link = known.links.find((each) => each.start <= offset && offset < each.end);
  if (!link) return undefined;
  const uri = linkTargetUri(document, link.target, 'decoded');
  return uri && isImageUri(uri)
    ? { uri, range: new vscode.Range(document.positionAt(link.start), document.positionAt(link.end)) }
    : undefined;
}

function markdownImageAt(
  document: vscode.TextDocument,
  position: vscode.Position,
): { uri: vscode.Uri; range: vscode.Range } | undefined {
  const line = document.lineAt(position.line).text;
  let definitions: Map<string, string> | undefined;
  const link = imageLinkAt(line, position.character, (label) => {
    definitions ??= referenceDefinitions(
      Array.from({ length: Math.min(document.lineCount, 50_000) }, (_, index) => document.lineAt(index).text),
    );
    return definitions.get(label);
  });
  if (!link) return undefined;
  const uri = resolveImageTarget(document, link.target);
  return (
    uri && {
      uri,
      range: new vscode.Range(position.line, link.start, position.line, Math.min(link.end, MAX_LINE_LENGTH)),
    }
  );
}

/** Text shown literally inside Markdown with HTML enabled: every character that means something is an entity. */
function literal(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|<>&~"'$:]/g, (character) => `&#${character.charCodeAt(0)};`)
    .replace(/\s+/g, ' ');
}

/** What the hover's "Write Alt Text" link passes: the document and the link's start (src/generation/altText/). */
export interface AltTextCommandArgs {
  document: string;
  line: number;
  character: number;
}

function commandLink(
  label: string,
  command: string,
  args: ImageCommandArgs | AltTextCommandArgs,
  tooltip: string,
): string {
  return `[${label}](command:${command}?${encodeURIComponent(JSON.stringify([args]))} "${literal(tooltip)}")`;
}

function paletteLine(request: GenerationRequest): string | undefined {
  const palette = request.color_palette;
  if (!palette) return undefined;
  if ('name' in palette) return `${vscode.l10n.t('Palette')}: ${literal(palette.name)}`;
  // VS Code's hover sanitizer keeps `style` on a span only for a colour: one square per colour.
  const swatches = palette.members
    .map((member) => {
      const hex =
        member.color_hex.length === 4
          ? `#${[...member.color_hex.slice(1)].map((digit) => digit + digit).join('')}`
          : member.color_hex;
      return `<span style="color:${hex.toLowerCase()};">&#9632;</span>`;
    })
    .join('');
  return `${vscode.l10n.t('Palette')}: ${swatches} ${palette.members.map((member) => literal(member.color_hex)).join(' ')}`;
}

function sourceLabel(source: 'embedded' | 'sidecar' | 'gallery'): string {
  switch (source) {
    case 'embedded':
      return vscode.l10n.t('recipe embedded in the image');
    case 'sidecar':
      return vscode.l10n.t('recipe from its .ideogram.json file');
    case 'gallery':
      return vscode.l10n.t('recipe from the gallery');
  }
}

/**
 * "Reframed from banner.jpg", the name a link that opens the source: relative to the image, which is the hover's
 * base URI (a relative link is translated for remote windows, like the thumbnail). No link where the image is
 * outside the workspace (the path has no folder to be relative to).
 */
function madeFromLine(image: vscode.Uri, source: SourceLineage): string {
  const name = literal(sourceFileName(source));
  const file = sourceUriOf(image, source);
  if (!file) return madeFromText(source.action, name);
  const path = relativePath(vscode.Uri.joinPath(image, '..').path, file.path);
  return madeFromText(source.action, `[${name}](${encodeLinkPath(path)} "${literal(source.path)}")`);
}

/**
 * The hover's Markdown for an image and what we know of its recipe; `link`: the hovered link (the actions' Replace
 * the Link); `altText`: the link lacks alt text (the "Write Alt Text" link).
 */
export function hoverMarkdown(
  uri: vscode.Uri,
  lookup: ImageRecipeLookup,
  link?: HoveredLink,
  altText?: AltTextCommandArgs,
): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.supportHtml = true;
  markdown.isTrusted = { enabledCommands: Object.values(HOVER_COMMANDS) };
  // Relative to the image itself (VS Code resolves against the base URI's folder): a URI object, unlike text
  // in the Markdown, is translated for remote windows (code-server, SSH, WSL), so the thumbnail loads there too.
  markdown.baseUri = uri;
  const name = baseName(uri);
  const lines: string[] = [];
  // Without a recipe the shape is unknown: a height-only box keeps a tall image small.
  let size = `height="${THUMBNAIL_BOX.height}"`;
  const shape = lookup.kind === 'recipe' ? sizeOfRequest(lookup.recipe.request) : undefined;
  if (shape) {
    const { width, height } = shape;
    const scale = Math.min(THUMBNAIL_BOX.width / width, THUMBNAIL_BOX.height / height);
    size = `width="${Math.round(width * scale)}" height="${Math.round(height * scale)}"`;
  }
  // A committed file name can hold quotes, angle brackets and line breaks: percent-encoded in the address (which
  // VS Code resolves against baseUri), every meaningful character an entity in the alt text.
  lines.push(`<img src="./${encodeURIComponent(name)}" ${size} alt="${literal(name)}">`, '');
  if (lookup.kind === 'recipe') {
    const { recipe } = lookup;
    const { request } = recipe;
    const seed = recipe.seed ?? request.seed;
    lines.push(`**${literal(shorten(request.prompt, PROMPT_PREVIEW_LENGTH))}**`, '');
    if (recipe.source) lines.push(madeFromLine(uri, recipe.source), '');
    if (request.negative_prompt)
      lines.push(`${vscode.l10n.t('Negative prompt')}: ${literal(shorten(request.negative_prompt, 200))}`, '');
    // The model first ("Ideogram 3.0 · Quality"), then the size and what its descriptors say the other options are.
    const model = modelOfRequest(request) ?? DEFAULT_MODEL;
    const facts = [`**${literal(modelLabel(model, request))}**`];
    for (const option of model.options) {
      const value = request[option.name];
      if (option.concept === 'size') {
        facts.push(
          shape?.exact
            ? `${shape.width} × ${shape.height} (${literal(aspectRatioLabel(shape))})`
            : literal(choiceTitle(option, String(value ?? ''))),
        );
      } else if (option.concept === 'seed') {
        facts.push(`${vscode.l10n.t('Seed')}: ${seed === undefined ? vscode.l10n.t('unknown') : String(seed)}`);
      } else if (
        option.concept !== 'speed' &&
        option.concept !== 'negative-prompt' &&
        option.concept !== 'palette' &&
        value !== undefined
      ) {
        facts.push(
          `${literal(optionLabel(option))}: ${literal(typeof value === 'boolean' ? (value ? vscode.l10n.t('On') : vscode.l10n.t('Off')) : String(value))}`,
        );
      }
    }
    lines.push(facts.join(' · '), '');
    const date = new Date(recipe.createdAt);
    const when =
      Number.isNaN(date.getTime()) || date.getTime() === 0
        ? undefined
        : literal(date.toLocaleString(vscode.env.language));
    lines.push(
      [paletteLine(request), when, literal(sourceLabel(lookup.source))]
        .filter((part) => part !== undefined)
        .join(' · '),
      '',
    );
    const image = uri.toString();
    lines.push(
      [
        commandLink(
          `$(refresh) ${vscode.l10n.t('Regenerate')}`,
          HOVER_COMMANDS.regenerate,
          { image, seed: 'new' },
          vscode.l10n.t('Generate again with this recipe and a new seed'),
        ),
        commandLink(
          vscode.l10n.t('Same Seed'),
          HOVER_COMMANDS.regenerate,
          { image, seed: 'same' },
          vscode.l10n.t('Generate again with this recipe and its seed'),
        ),
        commandLink(
          `$(edit) ${vscode.l10n.t('Use Recipe…')}`,
          HOVER_COMMANDS.remix,
          { image },
          vscode.l10n.t('Open the sidebar form filled with this recipe'),
        ),
        commandLink(
          `$(copy) ${vscode.l10n.t('Copy Prompt')}`,
          HOVER_COMMANDS.copyPrompt,
          { image },
          vscode.l10n.t('Copy the prompt to the clipboard'),
        ),
        commandLink(
          `$(library) ${vscode.l10n.t('Show in Gallery')}`,
          HOVER_COMMANDS.showInGallery,
          { image },
          vscode.l10n.t('Show this image in the Ideogram gallery'),
        ),
      ].join(' · '),
    );
  } else if (lookup.kind === 'foreign') {
    lines.push(`${vscode.l10n.t('Made with {0}', literal(lookup.tool))}`, '');
    if (lookup.prompt) lines.push(`**${literal(shorten(lookup.prompt, PROMPT_PREVIEW_LENGTH))}**`, '');
    if (lookup.negativePrompt)
      lines.push(`${vscode.l10n.t('Negative prompt')}: ${literal(shorten(lookup.negativePrompt, 200))}`, '');
    if (lookup.prompt)
      lines.push(
        commandLink(
          `$(copy) ${vscode.l10n.t('Copy Prompt')}`,
          HOVER_COMMANDS.copyPrompt,
          { image: uri.toString() },
          vscode.l10n.t('Copy the prompt to the clipboard'),
        ),
      );
  } else {
    lines.push(
      `*${literal(vscode.l10n.t('No recipe: this image carries no Ideogram recipe, and none is in its sidecar or the gallery.'))}*`,
    );
  }
  if (ACTION_IMAGE.test(uri.path)) lines.push('', actionLinks(uri, link));
  if (altText) {
    lines.push(
      '',
      commandLink(
        `$(comment) ${writeAltTextTitle()}`,
        HOVER_COMMANDS.writeAltText,
        altText,
        vscode.l10n.t('Ideogram Describe describes the picture; its description becomes the alt text'),
      ),
    );
  }
  markdown.appendMarkdown(lines.join('\n'));
  return markdown;
}

/** The "Write Alt Text" link's arguments when the link in `range` has no alt text (empty, or its file name). */
function altTextArgs(document: vscode.TextDocument, range: vscode.Range): AltTextCommandArgs | undefined {
  const format = formatForLanguage(document.languageId);
  if (!format) return undefined;
  const line = document.lineAt(range.start.line).text;
  const link = altTextLinks(format, line).find(
    (each) => each.start <= range.start.character && range.start.character < each.end,
  );
  if (!link || !hasMissingAltText(link)) return undefined;
  return { document: document.uri.toString(), line: range.start.line, character: link.start };
}

/** Remix…, Reframe…, Replace Background…, New Scene… on the hovered picture (src/generation/imageActions/). */
function actionLinks(uri: vscode.Uri, link: HoveredLink | undefined): string {
  const args: ImageCommandArgs = {
    image: uri.toString(),
    ...(link
      ? {
          document: link.document.toString(),
          range: [link.range.start.line, link.range.start.character, link.range.end.line, link.range.end.character],
        }
      : {}),
  };
  return [
    commandLink(
      `$(wand) ${vscode.l10n.t('Remix…')}`,
      HOVER_COMMANDS.remixImage,
      args,
      vscode.l10n.t('A new image from this one and a prompt'),
    ),
    commandLink(
      `$(screen-full) ${vscode.l10n.t('Reframe…')}`,
      HOVER_COMMANDS.reframeImage,
      args,
      vscode.l10n.t('This picture in other sizes, the new parts painted in'),
    ),
    commandLink(
      `$(color-mode) ${vscode.l10n.t('Replace Background…')}`,
      HOVER_COMMANDS.replaceImageBackground,
      args,
      vscode.l10n.t('Keep the subject, paint a new background'),
    ),
    commandLink(
      `$(person) ${vscode.l10n.t('New Scene…')}`,
      HOVER_COMMANDS.newSceneWithCharacter,
      args,
      vscode.l10n.t('The person in this picture in a new scene'),
    ),
  ].join(' · ');
}

/** Hover on an image link in Markdown: thumbnail, recipe and actions. */
export class ImageHoverProvider implements vscode.HoverProvider {
  readonly #gallery: RecipeGallery;
  constructor(gallery: RecipeGallery) {
    this.#gallery = gallery;
  }

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const image = imageAt(document, position);
    if (!image) return undefined;
    const lookup = await lookUpRecipe(image.uri, this.#gallery);
    if (token.isCancellationRequested || lookup.kind === 'not-a-file') return undefined; // not an image: no thumbnail pointing at a device
    if (
      lookup.kind === 'none' &&
      lookup.reason !== undefined &&
      /ENOENT|FileNotFound|EntryNotFound/i.test(lookup.reason)
    )
      return undefined; // a broken link: the Markdown extension says so
    return new vscode.Hover(
      hoverMarkdown(
        image.uri,
        lookup,
        { document: document.uri, range: image.range },
        altTextArgs(document, image.range),
      ),
      image.range,
    );
  }
}
