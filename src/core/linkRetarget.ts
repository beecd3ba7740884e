// An image link pointed at another file: what "Replace the Link" and "Insert Beside" write after an image action
// (a reframed, remixed … image in place of, or next to, its source). Only the link's target is rewritten, in the
// format's own path encoding (core/linkFormats.ts); the alt text, a title, classes and every other attribute stay as
// the author wrote them. One row per format, so a new format cannot be forgotten (the Record's type).
import { encodeLinkPath } from './linkText';
import { escapeHtmlAttribute, LINK_FORMATS, type LinkFormatId } from './linkFormats';

/** Where the target is written in a link's text, and how a new path is written there. */
interface TargetSpan {
  start: number;
  end: number;
  /** The new path as this place writes it. */
  write: (path: string) => string;
}

/** A whole Markdown image link: `![alt](destination "title")`, its destination in `<…>` or bare. */
const MARKDOWN_INLINE =
  /^!\[(?:\\.|[^\\\]])*\]\(\s*(<(?:\\.|[^\\<>\n])*>|(?:\\.|[^\\\s()]|\((?:\\.|[^\\\s()])*\))*)(?:\s+(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\((?:\\.|[^)\\])*\)))?\s*\)$/d;
/** `![alt][label]`, `![alt][]`, `![alt]`: the destination is in a definition elsewhere, shared with other links. */
const MARKDOWN_REFERENCE = /^!\[((?:\\.|[^\\\]])*)\](?:\[(?:\\.|[^\\\]])*\])?$/;
/** A reference definition `[label]: destination "title"`. */
const MARKDOWN_DEFINITION = /^ {0,3}\[(?:\\.|[^\\\]])+\]:[ \t]*(<(?:\\.|[^\\<>\n])*>|\S+)/d;
/** The `src` value of an `<img>`: `"…"`, `'…'`, `{…}` (JSX) or bare. */
const HTML_SRC = /^<img\b[^>]*?\ssrc\s*=\s*("[^"]*"|'[^']*'|\{\s*(?:"[^"]*"|'[^']*'|`[^`$]*`)\s*\}|[^\s"'>{}]+)/di;
/** An HTML `height` attribute (dropped when `width` stays: the new picture may have another shape). */
const HTML_HEIGHT = /\sheight\s*=\s*(?:"[^"]*"|'[^']*'|\{[^}]*\}|[^\s"'>{}/]+)/i;
const HTML_WIDTH = /\swidth\s*=/i;
const ASCIIDOC_TARGET = /^image::?([^\s[\]:](?:[^[\]\n]*[^\s[\]])?)\[/d;
const RST_TARGET = /^[ \t]*\.\.[ \t]+(?:\|[^|\n]+\|[ \t]+)?(?:image|figure)::[ \t]*((?:\\.|[^\n\\])*?)[ \t]*$/dm;
const LATEX_TARGET = /^\\includegraphics\*?\s*(?:\[[^\]]*\]\s*)?\{((?:\\string.|[^{}\n])*)\}/d;

function spanOf(match: RegExpExecArray | null, group: number, write: TargetSpan['write']): TargetSpan | undefined {
  const indices = match?.indices?.[group];
  return indices ? { start: indices[0], end: indices[1], write } : undefined;
}

const htmlPath = (format: LinkFormatId) => (path: string) => `"${LINK_FORMATS[format].encodePath(path)}"`;

/** The `<img>` of any format (Markdown writes it with HTML's escaping, as `markdownHtmlImage` does). */
function htmlTarget(text: string, format: LinkFormatId): TargetSpan | undefined {
  const write =
    format === 'markdown' || format === 'mdx'
      ? (path: string) => `"${escapeHtmlAttribute(encodeLinkPath(path))}"`
      : htmlPath(format);
  return spanOf(HTML_SRC.exec(text), 1, write);
}

const TARGETS: Readonly<Record<LinkFormatId, (text: string) => TargetSpan | undefined>> = {
  markdown: (text) => markdownTarget(text, 'markdown'),
  mdx: (text) => markdownTarget(text, 'mdx'),
  html: (text) => htmlTarget(text, 'html'),
  jsx: (text) => htmlTarget(text, 'jsx'),
  vue: (text) => htmlTarget(text, 'vue'),
  svelte: (text) => htmlTarget(text, 'svelte'),
  asciidoc: (text) => spanOf(ASCIIDOC_TARGET.exec(text), 1, LINK_FORMATS.asciidoc.encodePath),
  restructuredtext: (text) => spanOf(RST_TARGET.exec(text), 1, LINK_FORMATS.restructuredtext.encodePath),
  latex: (text) => spanOf(LATEX_TARGET.exec(text), 1, LINK_FORMATS.latex.encodePath),
};

function markdownTarget(text: string, format: 'markdown' | 'mdx'): TargetSpan | undefined {
  if (/^<img\b/i.test(text)) return htmlTarget(text, format);
  const write = LINK_FORMATS[format].encodePath;
  return spanOf(MARKDOWN_INLINE.exec(text), 1, write) ?? spanOf(MARKDOWN_DEFINITION.exec(text), 1, write);
}

/**
 * The image link `linkText` (one whole link, as the format's reader finds it) pointing at `path` (relative to the
 * document, with `/`, not encoded) instead, or undefined when the text is not an image link of the format. Only
 * the target changes; in an `<img>` with a width, the height goes (the new picture may have another shape, and the
 * browser keeps its proportions from the width). A Markdown reference (`![alt][label]`) becomes an inline link with
 * the same alt text: its definition may serve other links, which keep the old picture.
 */
export function retargetImageLink(format: LinkFormatId, linkText: string, path: string): string | undefined {
  if ((format === 'markdown' || format === 'mdx') && !/^<img\b/i.test(linkText)) {
    const reference = MARKDOWN_REFERENCE.exec(linkText);
    if (reference) return `![${reference[1]}](${LINK_FORMATS[format].encodePath(path)})`;
  }
  const span = TARGETS[format](linkText);
  if (!span) return undefined;
  let written = `${linkText.slice(0, span.start)}${span.write(path)}${linkText.slice(span.end)}`;
  if (/^<img\b/i.test(written) && HTML_WIDTH.test(written)) written = written.replace(HTML_HEIGHT, '');
  return written;
}

/**
 * What "Insert Beside" writes for the link at `link` (offsets of one whole link in `text`, as the format's reader finds
 * it): the same link pointing at each of `paths`, in their order, right after it, each after a space; for a format
 * whose images are blocks of their own (reStructuredText's directive), after the directive's option lines, each after a
 * blank line, at its indentation. One insertion for all the paths, so an action's links are one edit (one Undo).
 * Undefined when the text there is not an image link of the format, or there is no path.
 */
export function besideImageLinks(
  format: LinkFormatId,
  text: string,
  link: { start: number; end: number },
  paths: readonly string[],
): { offset: number; text: string } | undefined {
  const linkText = text.slice(link.start, link.end);
  const written: string[] = [];
  for (const path of paths) {
    const each = retargetImageLink(format, linkText, path);
    if (each === undefined) return undefined;
    written.push(each);
  }
  if (written.length === 0) return undefined;
  if (!LINK_FORMATS[format].blockOnly) return { offset: link.end, text: written.map((each) => ` ${each}`).join('') };
  const indent = /^[ \t]*/.exec(linkText)?.[0] ?? '';
  // The directive's options (`:alt:`, `:width:`) are the lines after it indented deeper: the new blocks go after them.
  let offset = link.end;
  for (;;) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    const lineEnd = text.indexOf('\n', next + 1);
    const line = text.slice(next + 1, lineEnd < 0 ? text.length : lineEnd);
    const lineIndent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (line.trim() === '' || lineIndent.length <= indent.length) break;
    offset = lineEnd < 0 ? text.length : lineEnd;
  }
  return { offset, text: written.map((each) => `\n\n${indent}${each.slice(indent.length)}`).join('') };
}
