// File names for generated images: readable (from the prompt), unique, and safe on every file system.
import { IdeogramError, type FailureReason } from './errors';

/**
 * Names Windows reserves for devices, whatever extension follows (`con.notes` is `CON` too), the superscript
 * digits included (`COM¹`).
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(?=\.|$)/i;

/** A file name (or its stem) that Windows can keep: a reserved device name gets `-image` before its first dot. */
export function withoutReservedName(name: string): string {
  return name.replace(WINDOWS_RESERVED, '$1-image');
}
export const MAX_SLUG_LENGTH = 48;
/** Letters that Unicode decomposition does not turn into ASCII. */
const TRANSLITERATIONS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ł: 'l',
  þ: 'th',
  Æ: 'AE',
  Œ: 'OE',
  Ø: 'O',
  Đ: 'D',
  Ł: 'L',
  Þ: 'TH',
};

/** "A Lighthouse at Dawn, flat illustration!" → "a-lighthouse-at-dawn-flat-illustration". */
export function slugFromPrompt(prompt: string, maxLength = MAX_SLUG_LENGTH): string {
  const ascii = prompt
    .replace(/[ßæœøđłþÆŒØĐŁÞ]/g, (character) => TRANSLITERATIONS[character] ?? character)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // strip combining accents: "café" → "cafe"
    .toLowerCase();
  const words = ascii.split(/[^a-z0-9]+/).filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > maxLength) {
      if (!slug) slug = word.slice(0, maxLength);
      break;
    }
    slug = next;
  }
  if (!slug) return 'image';
  return withoutReservedName(slug);
}

/** A short unique part: local date-time plus 4 random base-36 characters, e.g. "20261124-113512-k3f9". */
export function uniqueSuffix(now: Date = new Date(), random: () => number = secureRandom): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  let tail = '';
  for (let index = 0; index < 4; index++) tail += Math.floor(random() * 36).toString(36);
  return `${stamp}-${tail}`;
}

function secureRandom(): number {
  const values = new Uint32Array(1);
  globalThis.crypto.getRandomValues(values);
  return values[0] / 2 ** 32;
}

/** The file name of a new image: `<slug>-<unique>.<ext>`. Never contains a path separator. */
export function imageFileName(prompt: string, extension: string, suffix: string = uniqueSuffix()): string {
  const safeExtension = extension.replace(/[^a-z0-9]/gi, '').toLowerCase() || 'img';
  const safeSuffix = suffix.replace(/[^a-z0-9-]/gi, '');
  return `${slugFromPrompt(prompt)}-${safeSuffix}.${safeExtension}`;
}

/** "name.jpg" → "name-1.jpg", "name-1.jpg" → "name-2.jpg": the next candidate after a collision. */
export function nextCandidateName(fileName: string, attempt: number): string {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  const extension = dot > 0 ? fileName.slice(dot) : '';
  return `${stem}-${attempt}${extension}`;
}

/** A folder setting's segments, or why it cannot be used (worded by the host). */
export type FolderCheck = { ok: true; segments: string[] } | { ok: false; error: IdeogramError };

function refused(reason: FailureReason, folder: string): FolderCheck {
  return { ok: false, error: new IdeogramError({ kind: 'invalid-setting', reason, value: folder }) };
}

/**
 * Checks a user-configured folder (relative to a root) and returns its normalised segments, refusing
 * anything that escapes the root: `..`, absolute paths, drive letters, or empty results are errors.
 */
export function safeRelativeFolder(folder: string): FolderCheck {
  const trimmed = folder.trim();
  if (/^([a-zA-Z]:|[\\/]|~)/.test(trimmed)) {
    return refused('absolute', folder);
  }
  const segments: string[] = [];
  for (const segment of trimmed.split(/[\\/]+/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      return refused('parent', folder);
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f<>:"|?*]/.test(segment)) {
      return refused('characters', folder);
    }
    // Windows drops trailing dots and spaces, so ".. " would become "..".
    if (/[. ]$/.test(segment) || segment.trim() === '') {
      return refused('trailing-dot-or-space', folder);
    }
    segments.push(segment);
  }
  return { ok: true, segments };
}

export interface DocumentContext {
  /** The document's folder relative to its workspace folder, with `/` (empty at the root). */
  documentDirName?: string;
  /** The document's file name without extension. */
  documentBaseName?: string;
}

/**
 * Expands `${documentDirName}` and `${documentBaseName}` in the assets-folder setting (as the built-in
 * `markdown.copyFiles.destination` does), then checks that the result stays inside the workspace folder.
 * Without a document the variables expand to nothing: `${documentDirName}/images` → `images`.
 */
export function resolveAssetsFolder(pattern: string, document: DocumentContext = {}): FolderCheck {
  const unknown = pattern.match(/\$\{(?!documentDirName\}|documentBaseName\})[^}]*\}/);
  if (unknown) {
    return {
      ok: false,
      error: new IdeogramError({
        kind: 'invalid-setting',
        reason: 'unknown-variable',
        value: pattern,
        variable: unknown[0],
        allowed: ['${documentDirName}', '${documentBaseName}'],
      }),
    };
  }
  const documentBaseName = (document.documentBaseName ?? '').replace(/[\\/]/g, '-');
  const expanded = pattern
    .replace(/\$\{documentDirName\}/g, document.documentDirName ?? '')
    .replace(/\$\{documentBaseName\}/g, documentBaseName);
  // An empty variable at the start must not turn "${documentDirName}/images" into the absolute "/images".
  const startsWithVariable = /^\$\{document(DirName|BaseName)\}/.test(pattern.trim());
  return safeRelativeFolder(startsWithVariable ? expanded.trim().replace(/^[\\/]+/, '') : expanded);
}
