// Markdown image links from a document to an image, as a reader and every renderer expect them.

/**
 * The relative path from a document's folder to a file, with `/`, for two absolute POSIX-style paths
 * (URI paths). Windows separators are normalised first.
 */
export function relativePath(fromFolder: string, toFile: string): string {
  const from = splitPath(fromFolder);
  const to = splitPath(toFile);
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const ups = from.slice(common).map(() => '..');
  return [...ups, ...to.slice(common)].join('/');
}

function splitPath(path: string): string[] {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
}

/**
 * Percent-encodes what would break or change a Markdown link destination (spaces, parentheses, `#`, `?`,
 * `%`, `<`, `>`, brackets, non-ASCII), keeping `/` and readable characters. `decodeURIComponent` on each
 * segment gives the path back.
 */
export function encodeLinkPath(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/%2C/g, ',')
        .replace(/%40/g, '@')
        .replace(/%2B/g, '+')
        .replace(/%3D/g, '=')
        .replace(/%26/g, '&')
        .replace(/[()'!*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}

/**
 * Text in a Markdown image's alt text as renderers read it back: markdown-it (VS Code's preview) and pandoc take
 * `*…*`, `_…_`, code spans and `<…>` as markup and drop the characters, and `[`/`]` end the text.
 */
export function escapeMarkdownAltText(text: string): string {
  return text.replace(/[\\[\]*_`<>]/g, (character) => `\\${character}`);
}

/** Alt text from a prompt: one line, trimmed, at most `maxLength` characters, escaped for Markdown. */
export function altTextFromPrompt(prompt: string, maxLength = 120): string {
  return escapeMarkdownAltText(plainAltText(prompt, maxLength));
}

/** Alt text from a prompt, before any format's escaping: one line, trimmed, at most `maxLength` characters. */
export function plainAltText(prompt: string, maxLength = 120): string {
  let text = prompt.replace(/\s+/g, ' ').trim();
  if (text.length > maxLength) {
    const cut = text.slice(0, maxLength);
    const lastSpace = cut.lastIndexOf(' ');
    text = `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:]+$/, '')}…`;
  }
  return text;
}

/** `![alt](relative/path.png)` from the document's folder to the image file (both absolute URI paths). */
export function markdownImageLink(prompt: string, documentFolder: string, imageFile: string): string {
  return `![${altTextFromPrompt(prompt)}](${encodeLinkPath(relativePath(documentFolder, imageFile))})`;
}
