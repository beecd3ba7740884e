// Find Unused Images offers an image for deletion only when every document was searched (issue 24, item 12): an image
// named only in a document the search skipped (unreadable, too big, past the document cap) would look unused, and
// deleting it would break that document. A false "used" costs nothing; a false "unused" can cost the user an image.

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
