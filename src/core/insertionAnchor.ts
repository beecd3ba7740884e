// Finding again, after a reload, the place in a document where an image link was asked for: the text around
// the cursor at the time is the anchor; the place counts only when that text occurs exactly once.

/** How much text on each side of the cursor is kept as the anchor. */
export const ANCHOR_CONTEXT = 80;

export interface InsertionAnchor {
  before: string;
  after: string;
}

/** The anchor of `offset` in `text`. */
export function anchorAt(text: string, offset: number): InsertionAnchor {
  const at = Math.max(0, Math.min(text.length, offset));
  return { before: text.slice(Math.max(0, at - ANCHOR_CONTEXT), at), after: text.slice(at, at + ANCHOR_CONTEXT) };
}

/**
 * The offset in `text` where the anchor's place is now, or undefined when it is gone or ambiguous (the same
 * context twice, or too little context to tell: an empty anchor in a non-empty document).
 */
export function findAnchor(text: string, anchor: InsertionAnchor): number | undefined {
  const needle = anchor.before + anchor.after;
  if (needle === '') return text === '' ? 0 : undefined;
  const first = text.indexOf(needle);
  if (first < 0) return undefined;
  if (text.indexOf(needle, first + 1) >= 0) return undefined;
  return first + anchor.before.length;
}
