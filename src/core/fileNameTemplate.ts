// `ideogram.fileNameTemplate`: the name of a new image from variables. The result is one safe file name (no
// folders); uniqueness is the saver's job (src/links/imageFiles.ts adds -1, -2, … and never overwrites).
import type { IdeogramError } from './errors';
import { checkTemplate } from './linkTemplates';
import { MAX_SLUG_LENGTH, slugFromPrompt, uniqueSuffix, withoutReservedName } from './naming';

export const FILE_NAME_VARIABLES = [
  'prompt',
  'documentBaseName',
  'date',
  'time',
  'seed',
  'random',
  'sourceName',
  'action',
] as const;
/** The built-in pattern: the same names as before the setting existed, e.g. `a-cat-20261124-113512-k3f9`. */
export const DEFAULT_FILE_NAME_TEMPLATE = '${prompt}-${date}-${time}-${random}';
const MAX_STEM_LENGTH = 120;

export interface FileNameValues {
  prompt: string;
  /** The document's file name without extension, when there is a document. */
  documentBaseName?: string;
  /** An image action's source file name without extension (`banner` for an action on `banner.jpg`). */
  sourceName?: string;
  /** The image action that made it (`reframe`, `remix`, `replace-background`, `character`). */
  action?: string;
  /** The seed the API reported, when it did. */
  seed?: number;
  now?: Date;
  random?: () => number;
}

/** Undefined when usable, else what is wrong. */
export function checkFileNameTemplate(template: string): IdeogramError | undefined {
  return checkTemplate(template, FILE_NAME_VARIABLES, 'ideogram.fileNameTemplate');
}

/**
 * Characters no file system takes, path separators, control characters and the bidirectional controls (which make
 * `gpj.exe` read as `exe.jpg`) become `-`.
 */
function safePart(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f<>:"/\\|?*\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, '-');
}

/** The file name without extension: `${prompt}` is a slug, the rest as given, made safe. */
export function fileNameStem(template: string, values: FileNameValues): string {
  const stamp = uniqueSuffix(values.now ?? new Date(), values.random); // "YYYYMMDD-HHMMSS-xxxx"
  const [date = '', time = '', random = ''] = stamp.split('-');
  const expanded = template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    switch (name) {
      case 'prompt':
        return slugFromPrompt(values.prompt, MAX_SLUG_LENGTH);
      case 'documentBaseName':
        return safePart(values.documentBaseName ?? '');
      case 'sourceName':
        return safePart(values.sourceName ?? '');
      case 'action':
        return safePart(values.action ?? '');
      case 'date':
        return date;
      case 'time':
        return time;
      case 'seed':
        return values.seed === undefined ? '' : String(values.seed);
      case 'random':
        return random;
      default:
        return safePart(whole);
    }
  });
  let stem = safePart(expanded)
    .replace(/-{2,}/g, '-')
    .replace(/^[\s.-]+|[\s.-]+$/g, '');
  if (stem.length > MAX_STEM_LENGTH) stem = stem.slice(0, MAX_STEM_LENGTH).replace(/[\s.-]+$/, '');
  if (!stem) return 'image';
  return withoutReservedName(stem);
}

/** `<stem>.<extension>` from the template. */
export function templatedFileName(template: string, values: FileNameValues, extension: string): string {
  const safeExtension = extension.replace(/[^a-z0-9]/gi, '').toLowerCase() || 'img';
  return `${fileNameStem(template, values)}.${safeExtension}`;
}
