// Finds the image a position in a Markdown line points at: `![alt](path "title")`, `![alt][label]` (through
// the document's reference definitions), a definition line `[label]: path`, or `<img src="path">`.
// Pure: the host resolves the path against the document like the Markdown preview does.

/** Lines longer than this are not scanned (minified HTML, data URLs): hovering them shows nothing. */
export const MAX_LINE_LENGTH = 20_000;

export interface ImageLinkAt {
  /** The link destination as written, without `<…>` and title. */
  target: string;
  /** Columns of the whole link in the line, `[start, end)`. */
  start: number;
  end: number;
}

const INLINE =
  /!\[(?:\\.|[^\]\\])*\]\(\s*(<[^<>\n]*>|(?:[^\s()\\]|\\.|\([^\s()]*\))+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const REFERENCE = /!\[((?:\\.|[^\]\\])*)\](?:\[((?:\\.|[^\]\\])*)\])?/g;
const DEFINITION = /^ {0,3}\[((?:\\.|[^\]\\])+)\]:\s*(<[^<>\n]*>|\S+)/;
const HTML_IMAGE = /<img\b[^>]*?\bsrc\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)[^>]*>/gi;

/** Reference labels match case-insensitively with collapsed whitespace (CommonMark). */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

function unwrap(destination: string): string {
  const trimmed = destination.trim();
  const bare = trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
  return bare.replace(/\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g, '$1');
}

function unquote(value: string): string {
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

/** The reference definitions of a document: normalized label → destination. First definition wins. */
export function referenceDefinitions(lines: Iterable<string>): Map<string, string> {
  const definitions = new Map<string, string>();
  for (const line of lines) {
    if (line.length > MAX_LINE_LENGTH) continue;
    const match = DEFINITION.exec(line);
    if (!match) continue;
    const label = normalizeLabel(match[1]);
    if (!definitions.has(label)) definitions.set(label, unwrap(match[2]));
  }
  return definitions;
}

/**
 * The image link under `column` in `line`, if any. `definition` looks a reference label up (only called
 * for `![alt][label]` forms).
 */
export function imageLinkAt(
  line: string,
  column: number,
  definition: (label: string) => string | undefined,
): ImageLinkAt | undefined {
  if (line.length > MAX_LINE_LENGTH) return undefined;
  const within = (start: number, end: number) => column >= start && column <= end;
  for (const match of line.matchAll(INLINE)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (within(start, end)) return { target: unwrap(match[1]), start, end };
  }
  for (const match of line.matchAll(HTML_IMAGE)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (within(start, end)) return { target: unquote(match[1]).trim(), start, end };
  }
  const defined = DEFINITION.exec(line);
  if (defined) return { target: unwrap(defined[2]), start: 0, end: line.length };
  for (const match of line.matchAll(REFERENCE)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (!within(start, end) || line[end] === '(') continue;
    const label = match[2] !== undefined && match[2].trim() !== '' ? match[2] : match[1];
    const target = definition(normalizeLabel(label));
    if (target !== undefined) return { target, start, end };
  }
  return undefined;
}

/** Whether a link destination is something on disk we can read (not a web address or a data URL). */
export function isLocalImageTarget(target: string): boolean {
  if (target === '' || target.startsWith('#')) return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target);
  if (scheme && !(scheme[1].length === 1 && /^[a-z]$/i.test(scheme[1]))) return scheme[1].toLowerCase() === 'file';
  return true;
}
