// Find Unused Images offers an image for deletion only when every document was searched (issue 24, item 12): an image
// named only in a document the search skipped (unreadable, too big, past the document cap) would look unused, and
// deleting it would break that document. A false "used" costs nothing; a false "unused" can cost the user an image.
import { FORMAT_FILE_EXTENSIONS } from './linkFormats';

/**
 * The file types searched: every document format links are written in (their links are read) and notebooks, then
 * the text files that name images without a link of ours, searched for names only: style sheets, data and site
 * files, templates, and the source of common languages and build tools. A type missing here would make the images
 * it names look unused.
 */
export const SEARCHED_DOCUMENT_EXTENSIONS: readonly string[] = [
  ...new Set([
    ...Object.keys(FORMAT_FILE_EXTENSIONS),
    ...['ipynb', 'js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'bib'],
    ...['css', 'scss', 'sass', 'less', 'styl'],
    ...['yaml', 'yml', 'toml', 'json', 'json5', 'jsonc', 'xml', 'svg', 'plist', 'properties', 'ini', 'cfg', 'conf'],
    ...['env', 'csv', 'tsv', 'txt', 'org', 'textile'],
    ...['astro', 'liquid', 'njk', 'hbs', 'handlebars', 'mustache', 'ejs', 'pug', 'jade', 'haml', 'slim', 'twig'],
    ...['jinja', 'jinja2', 'j2', 'tmpl', 'tpl', 'php', 'erb', 'cshtml', 'razor', 'xaml'],
    ...['py', 'rb', 'go', 'java', 'kt', 'kts', 'scala', 'swift', 'm', 'mm', 'cs', 'fs', 'vb', 'dart', 'rs'],
    ...['c', 'h', 'cc', 'cpp', 'hpp', 'lua', 'r', 'jl', 'ex', 'exs', 'erl', 'hs', 'elm', 'clj', 'cljs'],
    ...['sh', 'bash', 'zsh', 'ps1', 'gradle', 'sql', 'graphql', 'gql'],
  ]),
];

/** What the search could not cover. */
export interface SearchCoverage<Document> {
  /** Documents that could not be read (too big, unreadable). */
  unsearched: readonly Document[];
  /** More documents than the cap: the rest were not searched. */
  truncated: boolean;
}

export type UnusedImagesOffer<Image, Document> =
  /** Every document was searched: these images are linked from none of them (possibly none). */
  | { kind: 'complete'; offered: readonly Image[] }
  /**
   * Not every document was searched: nothing is offered. `notOffered` are the images no searched document links
   * to, which a document that was not searched may still use.
   */
  | {
      kind: 'incomplete';
      offered: readonly [];
      notOffered: readonly Image[];
      unsearched: readonly Document[];
      truncated: boolean;
    };

export function offerUnusedImages<Image, Document>(
  unlinked: readonly Image[],
  coverage: SearchCoverage<Document>,
): UnusedImagesOffer<Image, Document> {
  if (!coverage.truncated && coverage.unsearched.length === 0) return { kind: 'complete', offered: unlinked };
  return {
    kind: 'incomplete',
    offered: [],
    notOffered: unlinked,
    unsearched: coverage.unsearched,
    truncated: coverage.truncated,
  };
}
