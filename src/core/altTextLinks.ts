// Image links and their alt text, per document format: where each link's alt text is, what it says, whether it is
// missing (empty, or just the file's name), and the one edit that writes new alt text in the format's own syntax.
// A row per format (ALT_TEXT_SYNTAX); the link's target is read by the format's own reader (core/linkFormats.ts),
// so the hover, Find Unused Images and the alt-text fix agree on which file a link shows.
import { decodeHtmlEntities, LANGUAGE_FORMATS, LINK_FORMATS, type LinkFormatId } from './linkFormats';

/** How a link's alt text is written, which decides how new alt text replaces it. */
export type AltTextPlacement =
  /** Markdown's `![…]`: the bracketed text is replaced, escaped with the format's alt-text escaping. */
  | 'bracketed'
  /** An `alt` attribute with a value (quoted, bare, or a JSX string literal): the value is replaced by `"…"`. */
  | 'attribute'
  /** An `<img>` without `alt`: ` alt="…"` is inserted after `<img`. */
  | 'new-attribute'
  /** `<img alt src=…>` (an empty alt written as a bare name): the name is replaced by `alt="…"`. */
  | 'bare-name'
  /** AsciiDoc `image:x[width=300]` (named attributes only): the alt text goes first, `alt,` before them. */
  | 'before-attributes'
  /** An expression (`alt={caption}`) or a spread (`{...props}`): the text is not ours to rewrite. */
  | 'expression';

export interface AltTextLink {
  /** The file the link loads, as the format's own reader reads it (core/linkFormats.ts `findLinks`). */
  target: string;
  /** Offsets of the whole link. */
  start: number;
  end: number;
  /** The alt text as a reader gets it (escapes and character references decoded); undefined: no `alt` at all. */
  alt: string | undefined;
  placement: AltTextPlacement;
  /** The text new alt text replaces (for 'new-attribute', an empty range where it is inserted). */
  replace: { start: number; end: number };
  /** The format whose escaping writes the new alt text (an `<img>` in Markdown is written as HTML). */
  writtenAs: LinkFormatId;
}

export interface TextReplacement {
  start: number;
  end: number;
  text: string;
}

// ---- what counts as missing -----------------------------------------------------------------------------------

/** A name as a comparison sees it: lower case, `-`, `_`, `.` and runs of spaces as one space. */
function looseName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[-_.\s]+/g, ' ')
    .trim();
}

/** The file name of a link target (its last segment), with and without its extension. */
function fileNamesOf(target: string): string[] {
  const name =
    target
      .replace(/[?#].*$/s, '')
      .split(/[\\/]/)
      .pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? [name, name.slice(0, dot)] : [name];
}

/**
 * Whether a link's alt text says nothing about the picture: there is none, it is empty or blank, or it is just the
 * file's name (`![shot.png](shot.png)`, `alt="hero-banner"` for `hero-banner.jpg`). An expression is not judged.
 */
export function hasMissingAltText(link: Pick<AltTextLink, 'alt' | 'target' | 'placement'>): boolean {
  if (link.placement === 'expression') return false;
  if (link.alt === undefined || link.alt.trim() === '') return true;
  const alt = looseName(link.alt);
  return fileNamesOf(link.target).some((name) => looseName(name) === alt && alt !== '');
}

/**
 * Whether the Problems panel lists the link. As `hasMissingAltText`, except an HTML `alt=""`: HTML (and WCAG) use
 * an empty alt attribute to mark a decorative image on purpose, so only a Markdown image's empty `![]` is a problem.
 */
export function lacksAltText(link: AltTextLink): boolean {
  if (!hasMissingAltText(link)) return false;
  const decorative = (link.placement === 'attribute' || link.placement === 'bare-name') && link.alt?.trim() === '';
  return !decorative;
}

// ---- writing --------------------------------------------------------------------------------------------------

/** The one replacement that gives `link` the alt text `alt` (plain text, one line), in the link's own syntax. */
export function altTextReplacement(link: AltTextLink, alt: string): TextReplacement | undefined {
  const escape = LINK_FORMATS[link.writtenAs].escapeText;
  const line = alt.replace(/\s+/g, ' ').trim();
  switch (link.placement) {
    case 'bracketed':
      return { ...link.replace, text: escape(line) };
    case 'attribute':
      return { ...link.replace, text: `"${escape(line)}"` };
    case 'new-attribute':
      return { ...link.replace, text: ` alt="${escape(line)}"` };
    case 'bare-name':
      return { ...link.replace, text: `alt="${escape(line)}"` };
    case 'before-attributes':
      return { ...link.replace, text: `${escape(line)},` };
    case 'expression':
      return undefined;
  }
}

/** `text` with the replacement made. */
export function applyReplacement(text: string, replacement: TextReplacement): string {
  return `${text.slice(0, replacement.start)}${replacement.text}${text.slice(replacement.end)}`;
}

// ---- reading: Markdown ----------------------------------------------------------------------------------------

/** Offsets of text a Markdown renderer shows literally: fenced code blocks, code spans and HTML comments. */
function markdownLiteralRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  // Fenced code blocks: from a fence line to the next fence of the same character at least as long (or the end).
  const fence = /^ {0,3}(`{3,}|~{3,})[^\n]*$/gm;
  for (let open = fence.exec(text); open; open = fence.exec(text)) {
    const marker = open[1];
    const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`, 'gm');
    close.lastIndex = open.index + open[0].length;
    const closing = close.exec(text);
    const end = closing ? closing.index + closing[0].length : text.length;
    ranges.push([open.index, end]);
    fence.lastIndex = end;
  }
  for (const match of text.matchAll(/<!--[\s\S]*?(?:-->|$)/g))
    ranges.push([match.index, match.index + match[0].length]);
  for (const match of text.matchAll(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g))
    ranges.push([match.index, match.index + match[0].length]);
  return ranges;
}

function within(ranges: Array<[number, number]>, offset: number): boolean {
  return ranges.some(([start, end]) => offset >= start && offset < end);
}

function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** `![alt](…)` links: their bracketed alt text. The target is the Markdown reader's. */
function markdownImages(text: string, format: 'markdown' | 'mdx'): AltTextLink[] {
  const links: AltTextLink[] = [];
  for (const found of LINK_FORMATS[format].findLinks(text)) {
    if (!text.startsWith('![', found.start)) continue; // a reference definition or an <img> (read below)
    const altStart = found.start + 2;
    const closing = /^(?:\\.|[^\\\]])*/s.exec(text.slice(altStart, found.end));
    const altEnd = altStart + (closing?.[0].length ?? 0);
    links.push({
      target: found.target,
      start: found.start,
      end: found.end,
      alt: unescapeMarkdown(text.slice(altStart, altEnd)),
      placement: 'bracketed',
      replace: { start: altStart, end: altEnd },
      writtenAs: format,
    });
  }
  return links;
}

// ---- reading: <img> in HTML, JSX, Vue, Svelte (and in Markdown) ----------------------------------------------

interface Attribute {
  name: string;
  nameStart: number;
  /** Offsets of the value as written (with its quotes or braces); undefined for a bare name (`<img alt>`). */
  value?: { start: number; end: number; kind: 'double' | 'single' | 'braces' | 'bare' };
}

/** A tag longer than this is not read (a data URL, minified markup): its alt text is not judged. */
const MAX_TAG_LENGTH = 20_000;

/** The end of a `{…}` expression starting at `open`, strings and nested braces skipped; -1 when it does not close. */
function closingBrace(text: string, open: number, limit: number): number {
  let depth = 0;
  for (let index = open; index < limit; index++) {
    const character = text[index];
    if (character === '"' || character === "'" || character === '`') {
      const end = text.indexOf(character, index + 1);
      if (end < 0 || end >= limit) return -1;
      index = end;
    } else if (character === '{') depth++;
    else if (character === '}' && --depth === 0) return index + 1;
  }
  return -1;
}

/** The attributes of the tag whose name ends at `from`, and where the tag ends; undefined when it does not end. */
function readAttributes(
  text: string,
  from: number,
): { attributes: Attribute[]; spread: boolean; end: number } | undefined {
  const limit = Math.min(text.length, from + MAX_TAG_LENGTH);
  const attributes: Attribute[] = [];
  let spread = false;
  let index = from;
  for (;;) {
    while (index < limit && /\s/.test(text[index])) index++;
    if (index >= limit) return undefined;
    if (text[index] === '>') return { attributes, spread, end: index + 1 };
    if (text.startsWith('/>', index)) return { attributes, spread, end: index + 2 };
    if (text[index] === '{') {
      // JSX `{...props}` (or Svelte's `{alt}` shorthand): the alt text may come from it.
      const end = closingBrace(text, index, limit);
      if (end < 0) return undefined;
      spread = true;
      index = end;
      continue;
    }
    const name = /^[^\s=>/"'{}]+/.exec(text.slice(index, Math.min(limit, index + 200)))?.[0];
    if (!name) {
      index++; // a stray character (`/` not before `>`): skipped, as browsers do
      continue;
    }
    const nameStart = index;
    index += name.length;
    let look = index;
    while (look < limit && /\s/.test(text[look])) look++;
    if (text[look] !== '=') {
      attributes.push({ name: name.toLowerCase(), nameStart });
      continue;
    }
    look++;
    while (look < limit && /\s/.test(text[look])) look++;
    const quote = text[look];
    let end: number;
    let kind: NonNullable<Attribute['value']>['kind'];
    if (quote === '"' || quote === "'") {
      end = text.indexOf(quote, look + 1) + 1;
      if (end <= 0 || end > limit) return undefined;
      kind = quote === '"' ? 'double' : 'single';
    } else if (quote === '{') {
      end = closingBrace(text, look, limit);
      if (end < 0) return undefined;
      kind = 'braces';
    } else {
      end = look;
      while (end < limit && !/[\s>]/.test(text[end]) && !text.startsWith('/>', end)) end++;
      kind = 'bare';
    }
    attributes.push({ name: name.toLowerCase(), nameStart, value: { start: look, end, kind } });
    index = end;
  }
}

/** A JSX `{…}` holding one string literal: its text; undefined for any other expression. */
function jsxStringLiteral(expression: string): string | undefined {
  const match = /^\{\s*(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)'|`((?:\\.|[^`\\$])*)`)\s*\}$/s.exec(expression);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? match[3] ?? '').replace(/\\(.)/gs, '$1');
}

function htmlImages(text: string, writtenAs: LinkFormatId, skip: Array<[number, number]> = []): AltTextLink[] {
  const links: AltTextLink[] = [];
  for (const match of text.matchAll(/<img(?=[\s/>])/gi)) {
    if (within(skip, match.index)) continue;
    const nameEnd = match.index + match[0].length;
    const tag = readAttributes(text, nameEnd);
    if (!tag) continue;
    // The target as the format's own reader reads this tag (the same rules as the hover and Find Unused Images).
    const target = LINK_FORMATS.html.findLinks(text.slice(match.index, tag.end))[0]?.target;
    if (target === undefined) continue;
    const base = { target, start: match.index, end: tag.end, writtenAs };
    const alt = tag.attributes.find((attribute) => attribute.name === 'alt');
    if (!alt) {
      links.push({
        ...base,
        alt: undefined,
        placement: tag.spread ? 'expression' : 'new-attribute',
        replace: { start: nameEnd, end: nameEnd },
      });
      continue;
    }
    if (!alt.value) {
      const at = alt.nameStart;
      links.push({ ...base, alt: '', placement: 'bare-name', replace: { start: at, end: at + alt.name.length } });
      continue;
    }
    const written = text.slice(alt.value.start, alt.value.end);
    if (alt.value.kind === 'braces') {
      const literal = jsxStringLiteral(written);
      links.push({
        ...base,
        alt: literal ?? written,
        placement: literal === undefined ? 'expression' : 'attribute',
        replace: { start: alt.value.start, end: alt.value.end },
      });
      continue;
    }
    const raw = alt.value.kind === 'bare' ? written : written.slice(1, -1);
    links.push({
      ...base,
      alt: decodeHtmlEntities(raw),
      placement: 'attribute',
      replace: { start: alt.value.start, end: alt.value.end },
    });
  }
  return links;
}

// ---- reading: AsciiDoc -------------------------------------------------------------------------------------------

/** The entries of an AsciiDoc attribute list (between `[` and `]`): offsets, split at commas outside quotes. */
function asciiDocEntries(text: string, from: number, to: number): Array<{ start: number; end: number }> {
  const entries: Array<{ start: number; end: number }> = [];
  let start = from;
  let quoted = false;
  for (let index = from; index < to; index++) {
    const character = text[index];
    if (character === '\\') index++;
    else if (character === '"' && (index === start || quoted)) quoted = !quoted;
    else if (character === ',' && !quoted) {
      entries.push({ start, end: index });
      start = index + 1;
    }
  }
  if (to > from) entries.push({ start, end: to });
  return entries;
}

/** An attribute value as Asciidoctor reads it back from what `escapeAsciiDocText` writes. */
function asciiDocValue(written: string): string {
  const value = written.trim();
  const quoted = /^"(.*)"$/s.exec(value);
  const inner = quoted ? (quoted[1] ?? '').replace(/\\(["\]\\])/g, '$1') : value;
  return inner.replace(/&#123;/g, '{').replace(/&#92;/g, '\\');
}

/** Offsets of AsciiDoc text shown literally or not at all: listing, literal, passthrough and comment blocks, `//` lines. */
function asciiDocLiteralRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const delimiter = /^(-{4,}|\.{4,}|\+{4,}|\/{4,})[ \t]*$/gm;
  for (let open = delimiter.exec(text); open; open = delimiter.exec(text)) {
    const marker = open[1] ?? '';
    const close = new RegExp(`^${marker.replace(/[.+]/g, '\\$&')}[ \\t]*$`, 'gm');
    close.lastIndex = open.index + open[0].length;
    const closing = close.exec(text);
    const end = closing ? closing.index + closing[0].length : text.length;
    ranges.push([open.index, end]);
    delimiter.lastIndex = end;
  }
  for (const match of text.matchAll(/^\/\/(?!\/).*$/gm)) ranges.push([match.index, match.index + match[0].length]);
  return ranges;
}

/** `image:target[alt,width]` and `image::target[…]`: the first positional attribute, or a named `alt=`. */
function asciiDocImages(text: string): AltTextLink[] {
  const literal = asciiDocLiteralRanges(text);
  const links = LINK_FORMATS.asciidoc.findLinks(text).filter((found) => !within(literal, found.start));
  return links.map((found) => {
    const open = text.indexOf('[', found.start);
    const close = found.end - 1;
    const base = { target: found.target, start: found.start, end: found.end, writtenAs: 'asciidoc' as const };
    const entries = asciiDocEntries(text, open + 1, close);
    const named = (entry: { start: number; end: number }) =>
      /^\s*[A-Za-z][\w-]*\s*=/.test(text.slice(entry.start, entry.end));
    const first = entries[0];
    if (first && !named(first)) {
      return {
        ...base,
        alt: asciiDocValue(text.slice(first.start, first.end)),
        placement: 'bracketed' as const,
        replace: { start: first.start, end: first.end },
      };
    }
    const altEntry = entries.find((entry) => /^\s*alt\s*=/.test(text.slice(entry.start, entry.end)));
    if (altEntry) {
      const valueStart = text.indexOf('=', altEntry.start) + 1;
      return {
        ...base,
        alt: asciiDocValue(text.slice(valueStart, altEntry.end)),
        placement: 'bracketed' as const,
        replace: { start: valueStart, end: altEntry.end },
      };
    }
    return {
      ...base,
      alt: undefined,
      placement: first ? ('before-attributes' as const) : ('bracketed' as const),
      replace: { start: open + 1, end: open + 1 },
    };
  });
}

// ---- the table ------------------------------------------------------------------------------------------------

/** A format's reader of image links with their alt text; undefined where the format has none of ours yet. */
export type AltTextReader = (text: string) => AltTextLink[];

const markdownFamily =
  (format: 'markdown' | 'mdx'): AltTextReader =>
  (text) => {
    const literal = markdownLiteralRanges(text);
    // An `<img>` in Markdown is HTML (in MDX, JSX): its alt text is written with that format's escaping.
    return [...markdownImages(text, format), ...htmlImages(text, format === 'mdx' ? 'jsx' : 'html', literal)]
      .filter((link) => !within(literal, link.start))
      .sort((a, b) => a.start - b.start);
  };

/**
 * One row a format. reStructuredText (`:alt:` on a line of its own) and LaTeX (`alt=` of the tagging project) have no
 * reader yet: no diagnostics and no "Write Alt Text" there.
 */
export const ALT_TEXT_SYNTAX: Readonly<Record<LinkFormatId, AltTextReader | undefined>> = {
  markdown: markdownFamily('markdown'),
  mdx: markdownFamily('mdx'),
  html: (text) => htmlImages(text, 'html'),
  jsx: (text) => htmlImages(text, 'jsx'),
  vue: (text) => htmlImages(text, 'vue'),
  svelte: (text) => htmlImages(text, 'svelte'),
  asciidoc: asciiDocImages,
  restructuredtext: undefined,
  latex: undefined,
};

/** Every image link of `text` in `format` with its alt text (none where the format has no reader). */
export function altTextLinks(format: LinkFormatId, text: string): AltTextLink[] {
  return ALT_TEXT_SYNTAX[format]?.(text) ?? [];
}

/** The languages whose documents have a reader: the quick fix, the diagnostics, and the palette's `when` clause. */
export const ALT_TEXT_LANGUAGES: readonly string[] = Object.keys(LANGUAGE_FORMATS).filter(
  (language) => ALT_TEXT_SYNTAX[LANGUAGE_FORMATS[language]] !== undefined,
);

/** The `when` clause that offers "Write Alt Text" in the palette (package.json must use exactly this). */
export const ALT_TEXT_LANGUAGES_WHEN = `editorLangId =~ /^(${ALT_TEXT_LANGUAGES.join('|')})$/`;
