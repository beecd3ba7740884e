// One table of the document formats an image link can be written in: for each, how to write the link, how to
// escape its path and alt text, and how to find the image links already in a text (the unused-image search and
// the hover read links with the same rules that write them).
import { encodeLinkPath, escapeMarkdownAltText } from './linkText';

export const LINK_FORMAT_IDS = [
  'markdown',
  'mdx',
  'html',
  'asciidoc',
  'restructuredtext',
  'latex',
  'jsx',
  'vue',
  'svelte',
] as const;
export type LinkFormatId = (typeof LINK_FORMAT_IDS)[number];

/** VS Code language ids and the link format each gets. Notebook Markdown cells are `markdown` documents. */
export const LANGUAGE_FORMATS: Readonly<Record<string, LinkFormatId>> = {
  markdown: 'markdown',
  mdx: 'mdx',
  html: 'html',
  asciidoc: 'asciidoc',
  restructuredtext: 'restructuredtext',
  latex: 'latex',
  javascriptreact: 'jsx',
  typescriptreact: 'jsx',
  vue: 'vue',
  svelte: 'svelte',
};

/** File extensions of documents in those formats: what the Copilot tool may write a link into, before opening. */
export const FORMAT_FILE_EXTENSIONS: Readonly<Record<string, LinkFormatId>> = {
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'mdx',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  adoc: 'asciidoc',
  asciidoc: 'asciidoc',
  asc: 'asciidoc',
  rst: 'restructuredtext',
  rest: 'restructuredtext',
  tex: 'latex',
  ltx: 'latex',
  jsx: 'jsx',
  tsx: 'jsx',
  vue: 'vue',
  svelte: 'svelte',
};

/** The link format of a file by its name, or undefined when it is not a document format of ours. */
export function formatForFileName(name: string): LinkFormatId | undefined {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return Object.prototype.hasOwnProperty.call(FORMAT_FILE_EXTENSIONS, extension)
    ? FORMAT_FILE_EXTENSIONS[extension]
    : undefined;
}

/** The language ids "Generate Image Here", paste and drop work in. */
export const SUPPORTED_LANGUAGES: readonly string[] = Object.keys(LANGUAGE_FORMATS);

/** The `when` clause that shows the command only where it applies (package.json must use exactly this). */
export const SUPPORTED_LANGUAGES_WHEN = `editorLangId =~ /^(${SUPPORTED_LANGUAGES.join('|')})$/`;

export function formatForLanguage(languageId: string): LinkFormatId | undefined {
  return Object.prototype.hasOwnProperty.call(LANGUAGE_FORMATS, languageId) ? LANGUAGE_FORMATS[languageId] : undefined;
}

/** What a link is made of, before any escaping. */
export interface ImageLinkParts {
  /** The image's path relative to the document's folder, with `/`, not encoded. */
  path: string;
  /** One line of plain text. */
  alt: string;
  /** Display size in pixels, when known. */
  width?: number;
  height?: number;
}

/**
 * `inline`: the cursor is inside text, so the link must sit in a line. `block`: the link gets its own line
 * (the cursor is on an empty line, or the link goes on a new paragraph), so formats with a block form use it.
 */
export type Placement = 'inline' | 'block';

export interface FoundImageLink {
  /** The link's target as the format's renderer resolves it: decoded, relative to the document (or a URL). */
  target: string;
  /** Offsets of the whole link in the text. */
  start: number;
  end: number;
}

export interface LinkFormat {
  id: LinkFormatId;
  /** Whether the format has only a block form (reStructuredText's directive): it always goes on its own lines. */
  blockOnly: boolean;
  /** The path as written in the link. */
  encodePath(path: string): string;
  /** Plain text (alt text, a prompt) as written in the link's text part. */
  escapeText(text: string): string;
  build(parts: ImageLinkParts, placement: Placement): string;
  findLinks(text: string): FoundImageLink[];
}

// ---- shared escaping --------------------------------------------------------------------------------------

/** Text in a double-quoted HTML attribute. */
export function escapeHtmlAttribute(text: string): string {
  return text.replace(
    /[&"<>]/g,
    (character) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[character] ?? character,
  );
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: '\u00a0' };

/** Decodes the character references an HTML (or JSX, Vue, Svelte) attribute value may contain. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Percent-decodes a URL path segment by segment; a malformed escape is kept as written, as browsers do. */
export function decodeUrlPath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

function htmlImageTag(
  src: string,
  alt: string,
  width: number | undefined,
  height: number | undefined,
  close: '>' | ' />',
  altAttribute = escapeHtmlAttribute(alt),
): string {
  const size = `${width ? ` width="${width}"` : ''}${width && height ? ` height="${height}"` : ''}`;
  return `<img src="${src}" alt="${altAttribute}"${size}${close}`;
}

/** `<img … src="…">`, `src='…'`, `src={"…"}` (JSX) and unquoted values. */
const HTML_IMAGE =
  /<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*(?:"([^"]*)"|'([^']*)'|`([^`$]*)`)\s*\}|([^\s"'>{}]+))/gi;

function findHtmlImages(text: string): FoundImageLink[] {
  const found: FoundImageLink[] = [];
  for (const match of text.matchAll(HTML_IMAGE)) {
    const [whole, double, single, jsxDouble, jsxSingle, jsxTemplate, bare] = match;
    const raw = double ?? single ?? bare;
    const target =
      raw !== undefined
        ? decodeUrlPath(decodeHtmlEntities(raw))
        : decodeUrlPath(jsStringValue(jsxDouble ?? jsxSingle ?? jsxTemplate ?? ''));
    found.push({ target, start: match.index, end: match.index + whole.length });
  }
  return found;
}

function jsStringValue(literal: string): string {
  return literal.replace(/\\(u\{[0-9a-f]+\}|u[0-9a-f]{4}|x[0-9a-f]{2}|.)/gi, (_, escape: string) => {
    if (/^u\{/i.test(escape)) return String.fromCodePoint(parseInt(escape.slice(2, -1), 16));
    if (/^[ux]/i.test(escape) && escape.length > 1) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[escape] ?? escape;
  });
}

// ---- Markdown and MDX -------------------------------------------------------------------------------------

/** `![alt](destination "title")`: the destination in `<…>` or bare with balanced parentheses. */
const MARKDOWN_IMAGE =
  /!\[(?:\\.|[^\\\]])*\]\(\s*(?:<((?:\\.|[^\\<>\n])*)>|((?:\\.|[^\\\s()]|\((?:\\.|[^\\\s()])*\))*))(?:\s+(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\((?:\\.|[^)\\])*\)))?\s*\)/g;
/** A reference definition: `[id]: destination`. */
const MARKDOWN_DEFINITION = /^ {0,3}\[(?:\\.|[^\\\]])+\]:[ \t]*(?:<((?:\\.|[^\\<>\n])*)>|(\S+))/gm;

function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function findMarkdownImages(text: string): FoundImageLink[] {
  const found: FoundImageLink[] = [];
  for (const match of text.matchAll(MARKDOWN_IMAGE)) {
    const destination = match[1] ?? match[2] ?? '';
    found.push({
      target: decodeUrlPath(decodeHtmlEntities(unescapeMarkdown(destination))),
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  for (const match of text.matchAll(MARKDOWN_DEFINITION)) {
    const destination = match[1] ?? match[2] ?? '';
    found.push({
      target: decodeUrlPath(decodeHtmlEntities(unescapeMarkdown(destination))),
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  return [...found, ...findHtmlImages(text)].sort((a, b) => a.start - b.start);
}

function markdownFormat(id: 'markdown' | 'mdx', escapeText: (text: string) => string): LinkFormat {
  return {
    id,
    blockOnly: false,
    encodePath: encodeLinkPath,
    escapeText,
    build: (parts) => `![${escapeText(parts.alt)}](${encodeLinkPath(parts.path)})`,
    findLinks: findMarkdownImages,
  };
}

/** `<img>` in Markdown (GitHub Markdown cannot size an image otherwise). */
export function markdownHtmlImage(parts: ImageLinkParts): string {
  return htmlImageTag(escapeHtmlAttribute(encodeLinkPath(parts.path)), parts.alt, parts.width, undefined, '>');
}

// ---- HTML, JSX, Vue, Svelte ---------------------------------------------------------------------------------

function htmlFamilyFormat(id: 'html' | 'jsx' | 'vue' | 'svelte'): LinkFormat {
  // Svelte reads `{…}` in an attribute as an expression; its character references are decoded like HTML's.
  const escapeText =
    id === 'svelte'
      ? (text: string) => escapeHtmlAttribute(text).replace(/[{}]/g, (brace) => (brace === '{' ? '&#123;' : '&#125;'))
      : escapeHtmlAttribute;
  const encodePath = (path: string) => escapeText(encodeLinkPath(path));
  return {
    id,
    blockOnly: false,
    encodePath,
    escapeText,
    // JSX, Vue and Svelte templates are XML-like: the element closes itself. JSX decodes character references in
    // string attributes, so `&quot;` is the framework's own quoting there too.
    build: (parts) =>
      htmlImageTag(
        encodePath(parts.path),
        parts.alt,
        parts.width,
        parts.height,
        id === 'html' ? '>' : ' />',
        escapeText(parts.alt),
      ),
    findLinks: findHtmlImages,
  };
}

// ---- AsciiDoc -------------------------------------------------------------------------------------------------

/** A value in an AsciiDoc macro's attribute list: quoted when it holds a separator, a quote or a bracket. */
export function escapeAsciiDocText(text: string): string {
  // Character references pass through Asciidoctor to the HTML; `{` would start an attribute reference.
  let value = text.replace(/\{/g, '&#123;');
  if (!/[,"=\]\\]/.test(value) && !/^\s|\s$/.test(value)) return value;
  // A backslash as a character reference, so it can never escape the closing quote.
  value = value.replace(/\\/g, '&#92;').replace(/"/g, '\\"').replace(/\]/g, '\\]');
  return `"${value}"`;
}

function encodeAsciiDocPath(path: string): string {
  return encodeLinkPath(path).replace(/~/g, '%7E');
}

/** `image::target[…]` (block) and `image:target[…]` (inline); the target is what a browser gets as `src`. */
const ASCIIDOC_IMAGE = /\bimage::?([^\s[\]:](?:[^[\]\n]*[^\s[\]])?)\[(?:\\.|[^\\\]\n])*\]/g;

const asciidocFormat: LinkFormat = {
  id: 'asciidoc',
  blockOnly: false,
  // Percent-encoded like a URL: Asciidoctor writes the target into `src` unchanged, and `[`, `]`, `{` and
  // spaces would end or change the macro; `~` too (Asciidoctor reads `~home~` as a subscript before the macro).
  encodePath: encodeAsciiDocPath,
  escapeText: escapeAsciiDocText,
  build: (parts, placement) => {
    const attributes = [escapeAsciiDocText(parts.alt)];
    if (parts.width) attributes.push(String(parts.width));
    if (parts.width && parts.height) attributes.push(String(parts.height));
    return `image:${placement === 'block' ? ':' : ''}${encodeAsciiDocPath(parts.path)}[${attributes.join(',')}]`;
  },
  findLinks: (text) =>
    [...text.matchAll(ASCIIDOC_IMAGE)].map((match) => ({
      target: decodeUrlPath(match[1] ?? ''),
      start: match.index,
      end: match.index + match[0].length,
    })),
};

// ---- reStructuredText ---------------------------------------------------------------------------------------

/** Docutils drops unescaped whitespace from a directive's URI argument and removes backslash escapes. */
export function escapeRestructuredTextPath(path: string): string {
  return path.replace(/[\\\s]/g, (character) => `\\${character}`);
}

/** Reads a URI argument back the way docutils' `directives.uri` does. */
export function restructuredTextUri(argument: string): string {
  let result = '';
  for (let index = 0; index < argument.length; index++) {
    const character = argument[index] ?? '';
    if (character === '\\' && index + 1 < argument.length) {
      result += argument[++index];
    } else if (!/\s/.test(character)) {
      result += character;
    }
  }
  return result;
}

const RST_IMAGE = /^([ \t]*)\.\.[ \t]+(?:\|[^|\n]+\|[ \t]+)?(?:image|figure)::[ \t]*((?:\\.|[^\n\\])*)$/gm;

const restructuredTextFormat: LinkFormat = {
  id: 'restructuredtext',
  blockOnly: true,
  encodePath: escapeRestructuredTextPath,
  // Option values are taken as they are, on one line.
  escapeText: (text) => text.replace(/\s+/g, ' ').trim(),
  build: (parts) => {
    const lines = [`.. image:: ${escapeRestructuredTextPath(parts.path)}`];
    if (parts.alt.trim()) lines.push(`   :alt: ${parts.alt.replace(/\s+/g, ' ').trim()}`);
    if (parts.width) lines.push(`   :width: ${parts.width}px`);
    if (parts.width && parts.height) lines.push(`   :height: ${parts.height}px`);
    return lines.join('\n');
  },
  findLinks: (text) =>
    [...text.matchAll(RST_IMAGE)].map((match) => ({
      target: restructuredTextUri(match[2] ?? ''),
      start: match.index,
      end: match.index + match[0].length,
    })),
};

// ---- LaTeX ----------------------------------------------------------------------------------------------------

/**
 * A file name in `\includegraphics{…}`: LaTeX (2019 and later) takes spaces, non-ASCII and brackets as they are;
 * the characters TeX itself would act on (comment, parameter, group, escape, active) are written as `\string`.
 */
export function escapeLatexPath(path: string): string {
  return path.replace(/[#%{}\\~^$&]/g, (character) => `\\string${character}`);
}

export function unescapeLatexPath(written: string): string {
  return written.replace(/\\string(.)/g, '$1');
}

/** Text in a caption. */
export function escapeLatexText(text: string): string {
  return text.replace(
    /[\\{}#$%&_~^]/g,
    (character) =>
      ({
        '\\': '\\textbackslash{}',
        '~': '\\textasciitilde{}',
        '^': '\\textasciicircum{}',
      })[character] ?? `\\${character}`,
  );
}

const LATEX_IMAGE = /\\includegraphics\*?\s*(?:\[[^\]]*\]\s*)?\{((?:\\string.|[^{}\n])*)\}/g;

const latexFormat: LinkFormat = {
  id: 'latex',
  blockOnly: false,
  encodePath: escapeLatexPath,
  escapeText: escapeLatexText,
  build: (parts, placement) => {
    if (placement === 'inline') return `\\includegraphics{${escapeLatexPath(parts.path)}}`;
    return [
      '\\begin{figure}[htbp]',
      '  \\centering',
      `  \\includegraphics[width=\\linewidth]{${escapeLatexPath(parts.path)}}`,
      `  \\caption{${escapeLatexText(parts.alt)}}`,
      '\\end{figure}',
    ].join('\n');
  },
  findLinks: (text) =>
    [...text.matchAll(LATEX_IMAGE)].map((match) => ({
      target: unescapeLatexPath(match[1] ?? '').trim(),
      start: match.index,
      end: match.index + match[0].length,
    })),
};

// ---- the table ------------------------------------------------------------------------------------------------

/** MDX reads `{` as an expression and `<` as JSX even inside an image's alt text; a backslash keeps them text. */
function escapeMdxText(text: string): string {
  return escapeMarkdownAltText(text).replace(/[{}]/g, (character) => `\\${character}`);
}

export const LINK_FORMATS: Readonly<Record<LinkFormatId, LinkFormat>> = {
  markdown: markdownFormat('markdown', escapeMarkdownAltText),
  mdx: markdownFormat('mdx', escapeMdxText),
  html: htmlFamilyFormat('html'),
  asciidoc: asciidocFormat,
  restructuredtext: restructuredTextFormat,
  latex: latexFormat,
  jsx: htmlFamilyFormat('jsx'),
  vue: htmlFamilyFormat('vue'),
  svelte: htmlFamilyFormat('svelte'),
};

/** Every image link in `text`, read with every format's rules (a document may mix them, e.g. HTML in Markdown). */
export function findAnyImageLinks(text: string): FoundImageLink[] {
  const seen = new Set<string>();
  const found: FoundImageLink[] = [];
  for (const format of [
    LINK_FORMATS.markdown,
    LINK_FORMATS.asciidoc,
    LINK_FORMATS.restructuredtext,
    LINK_FORMATS.latex,
  ]) {
    for (const link of format.findLinks(text)) {
      const key = `${link.start}:${link.target}`;
      if (!seen.has(key)) {
        seen.add(key);
        found.push(link);
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
