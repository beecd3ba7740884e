// Small shapes of text and data that several areas need alike.

/** One line of at most `max` characters, cut with an ellipsis: a prompt in a title, a question or a hover. */
export function shorten(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** The file name at the end of a URI's path. */
export function baseName(uri: { readonly path: string }): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** A file name without its extension: `notes.final.md` → `notes.final`. */
export function stem(fileName: string): string {
  return fileName.replace(/\.[^.]*$/, '');
}

/** The object without its undefined fields (optional properties stay absent, JSON stays small). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
