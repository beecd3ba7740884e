// The size of gallery thumbnails: shared by the webview, which makes them (media/thumbnailMaker.ts), and the
// host, which checks and stores them (src/core/thumbnails.ts). No imports, so the webview bundle stays small.

/** The longer side of a thumbnail, in pixels: a gallery tile is ~76–110 CSS px, so 2× for high-DPI screens. */
export const THUMBNAIL_SIDE = 224;
/** A thumbnail larger than this is refused: the point is that a tile decodes a small file, never the full image. */
export const MAX_THUMBNAIL_BYTES = 64 * 1024;
/** Neither side of a stored thumbnail may exceed this (a small file can still decode into a huge bitmap). */
export const MAX_THUMBNAIL_SIDE = 512;
/** The thumbnail bytes the webview posts, as base64: at most MAX_THUMBNAIL_BYTES once decoded. */
export const MAX_THUMBNAIL_BASE64_LENGTH = Math.ceil(MAX_THUMBNAIL_BYTES / 3) * 4;
