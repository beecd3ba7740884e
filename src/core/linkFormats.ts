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

/** The formats of code files that carry image links too, rather than documents people write. */
const CODE_FILE_FORMATS: ReadonlySet<LinkFormatId> = new Set<LinkFormatId>(['jsx', 'vue', 'svelte']);

/**
 * The languages whose documents load the extension as they open (package.json's `onLanguage:` events, checked by
 * test/unit/contributions.test.ts), so the hover, drop and paste work there from the first moment: every language
 * with a link format but those of code files. Those would load the extension at the start of every web developer's
 * window; there the hover, drop and paste work once it is loaded (any command, the sidebar, a document of these).
 */
export const LANGUAGES_LOADED_ON_OPEN: readonly string[] = SUPPORTED_LANGUAGES.filter(
  (language) => !CODE_FILE_FORMATS.has(LANGUAGE_FORMATS[language]),
);

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
  /**
   * The file the link loads, as the format's renderer resolves it: decoded, without a URL's query or fragment,
   * relative to the document (or a URL with a scheme, kept whole).
   */
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

/**
 * The file a URL-like link target loads, relative to the document: its query and fragment dropped before it is
 * percent-decoded (so `a%23b.png` is the file `a#b.png`, `a.png#top` the file `a.png`). A URL with a scheme
 * (`https:`, `data:`) is kept whole.
 */
export function linkedFile(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return decodeUrlPath(url);
  return decodeUrlPath(url.replace(/[?#].*$/s, ''));
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
        ? linkedFile(decodeHtmlEntities(raw))
        : linkedFile(jsStringValue(jsxDouble ?? jsxSingle ?? jsxTemplate ?? ''));
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
      target: linkedFile(decodeHtmlEntities(unescapeMarkdown(destination))),
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  for (const match of text.matchAll(MARKDOWN_DEFINITION)) {
    const destination = match[1] ?? match[2] ?? '';
    found.push({
      target: linkedFile(decodeHtmlEntities(unescapeMarkdown(destination))),
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
      target: linkedFile(match[1] ?? ''),
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
 * How each character TeX would act on is written in a file name of `\includegraphics{…}`, checked with pdflatex
 * (TeX Live 2022) and graphicx. LaTeX (2019 and later) takes spaces, non-ASCII, brackets, `_` and `'` as they are.
 * - `#`, `%`, `{`, `}` and `\` cannot be written as characters at all: `%` comments out the rest of the line, a `#`
 *   stops graphicx's `\def` of the name ("Illegal parameter number"), a brace counts when the argument is read and
 *   `\string\` is lost on the way to the driver. The LaTeX kernel's expl3 (2020 and later) has a string constant
 *   for each, which expands to the bare character only when graphicx expands the name.
 * - `~`, `^`, `$` and `&` as `\string`: plain characters, and no `^^41` can form from two `^` in a row.
 * A control word ends at the next space, which TeX drops; so does a second space in a row (TeX reads any run of
 * spaces as one): a space written after either is `\space`. pdfTeX drops a leading space and kpathsea reads a
 * leading `~` as a home folder, so a path that starts with either starts with `./`.
 * Not possible at all: a `"` (TeX removes quotes from every file name), a trailing space (dropped), and a `$` before
 * the name of a set environment variable (kpathsea expands `$HOME`, `${x}` in every file name it looks up).
 */
const LATEX_PATH_ESCAPES: Readonly<Record<string, string>> = {
  '#': '\\csname c_hash_str\\endcsname ',
  '%': '\\csname c_percent_str\\endcsname ',
  '{': '\\csname c_left_brace_str\\endcsname ',
  '}': '\\csname c_right_brace_str\\endcsname ',
  '\\': '\\csname c_backslash_str\\endcsname ',
  '~': '\\string~',
  '^': '\\string^',
  $: '\\string$',
  '&': '\\string&',
};
const LATEX_SPACE = '\\space ';

export function escapeLatexPath(path: string): string {
  let written = /^[ ~]/.test(path) ? './' : '';
  for (const character of path) {
    if (character === ' ') {
      // After a space or a control word (which ends with its own space), a plain space would be dropped.
      written += written.endsWith(' ') ? LATEX_SPACE : ' ';
    } else {
      written += LATEX_PATH_ESCAPES[character] ?? character;
    }
  }
  return written;
}

/** The expl3 string constants a file name may use, by name (`\\c_hash_str`), read back by their character. */
const LATEX_STRING_CONSTANTS: ReadonlyMap<string, string> = new Map([
  ['hash', '#'],
  ['percent', '%'],
  ['left_brace', '{'],
  ['right_brace', '}'],
  ['backslash', '\\'],
  ['tilde', '~'],
  ['circumflex', '^'],
  ['dollar', '$'],
  ['ampersand', '&'],
  ['underscore', '_'],
]);

/**
 * The file name TeX opens for what is written in `\includegraphics{…}`: the escapes above read back, any run of
 * spaces one space, the spaces after a control word dropped, quotes removed (Web2C), and the ends trimmed (pdfTeX).
 */
export function unescapeLatexPath(written: string): string {
  const name = written.replace(
    /\\csname\s+c_([a-z_]+)_str\s*\\endcsname\s*|\\string(\\[a-zA-Z]+|.)|\\space\s*|\s+|"/g,
    (token, constant: string | undefined, stringed: string | undefined) => {
      if (constant !== undefined) return LATEX_STRING_CONSTANTS.get(constant) ?? token;
      if (stringed !== undefined) return stringed;
      if (token === '"') return '';
      return ' ';
    },
  );
  return name.trim();
}

/** Characters of caption text LaTeX would act on, or print as another glyph in its default (OT1) fonts. */
const LATEX_TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
};

/**
 * Text in a caption. `{}` between two characters the fonts would join into one glyph (`--` an en dash, `?``
 * an inverted question mark, `,,` and `<<` quotes in T1), so the caption shows what was typed.
 */
export function escapeLatexText(text: string): string {
  return text
    .replace(/[\\{}#$%&_~^<>|]/g, (character) => LATEX_TEXT_ESCAPES[character] ?? `\\${character}`)
    .replace(/(?<=-)(?=-)|(?<=,)(?=,)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)/g, '{}');
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
      target: unescapeLatexPath(match[1] ?? ''),
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
