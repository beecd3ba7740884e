// Gallery thumbnails as plain data: the name a thumbnail is stored under (from the image's identity, so an
// edited image gets a new one) and the checks a thumbnail's bytes must pass before they are stored or shown.
// No `vscode` here: src/gallery/thumbnails.ts keeps the files.
import { createHash } from 'crypto';
import { MAX_THUMBNAIL_BASE64_LENGTH, MAX_THUMBNAIL_BYTES, MAX_THUMBNAIL_SIDE } from './thumbnailLimits';

/** What identifies one version of an image file: where it is, and its size and modification time. */
export interface ImageIdentity {
  /** The image's URI as a string (`file:///…`, `vscode-remote://…`). */
  imageUri: string;
  size: number;
  /** Modification time, milliseconds since the epoch. */
  mtime: number;
}

export type ThumbnailFormat = 'webp' | 'jpg' | 'png';

/** A stored thumbnail's file name: `<image key>-<version key>.<format>`, nothing else is ever read or deleted. */
const FILE_NAME = /^([0-9a-f]{32})-([0-9a-f]{16})\.(webp|jpg|png)$/;

/** The part of a thumbnail's name that depends on the image's URI only: every version of one image shares it. */
export function imageKey(imageUri: string): string {
  return createHash('sha256').update(imageUri, 'utf8').digest('hex').slice(0, 32);
}

/** The part that changes when the image is edited (its size or modification time change). */
export function versionKey(identity: Pick<ImageIdentity, 'size' | 'mtime'>): string {
  return createHash('sha256')
    .update(`${identity.size}:${Math.trunc(identity.mtime)}`, 'utf8')
    .digest('hex')
    .slice(0, 16);
}

/** The file name of the thumbnail of this version of the image. */
export function thumbnailFileName(identity: ImageIdentity, format: ThumbnailFormat): string {
  return `${imageKey(identity.imageUri)}-${versionKey(identity)}.${format}`;
}

/** The parts of a stored thumbnail's name, or undefined when the name is not one of ours (left alone). */
export function parseThumbnailFileName(
  name: string,
): { imageKey: string; versionKey: string; format: ThumbnailFormat } | undefined {
  const match = FILE_NAME.exec(name);
  if (!match) return undefined;
  return { imageKey: match[1], versionKey: match[2], format: match[3] as ThumbnailFormat };
}

export type ThumbnailCheck =
  { ok: true; format: ThumbnailFormat; width: number; height: number } | { ok: false; reason: string };

/**
 * Whether `bytes` may be stored and shown as a thumbnail: a WebP, JPEG or PNG of at most MAX_THUMBNAIL_BYTES
 * whose header gives both sides between 1 and MAX_THUMBNAIL_SIDE pixels. Never throws, whatever the bytes.
 */
export function checkThumbnail(bytes: Uint8Array): ThumbnailCheck {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes.length > MAX_THUMBNAIL_BYTES)
    return { ok: false, reason: `${bytes.length} bytes, more than ${MAX_THUMBNAIL_BYTES}` };
  const format = formatOf(bytes);
  if (!format) return { ok: false, reason: 'not a WebP, JPEG or PNG image' };
  const size = format === 'png' ? pngSize(bytes) : format === 'webp' ? webpSize(bytes) : jpegSize(bytes);
  if (!size) return { ok: false, reason: `a ${format} whose size cannot be read` };
  const { width, height } = size;
  if (width < 1 || height < 1 || width > MAX_THUMBNAIL_SIDE || height > MAX_THUMBNAIL_SIDE) {
    return { ok: false, reason: `${width} × ${height} pixels, more than ${MAX_THUMBNAIL_SIDE} on a side` };
  }
  return { ok: true, format, width, height };
}

/** The pixel size a JPEG, PNG or WebP header declares (no decoding), or undefined when it cannot be read. */
export function pictureSize(bytes: Uint8Array): Size | undefined {
  const format = formatOf(bytes);
  if (!format) return undefined;
  return format === 'png' ? pngSize(bytes) : format === 'webp' ? webpSize(bytes) : jpegSize(bytes);
}

function formatOf(bytes: Uint8Array): ThumbnailFormat | undefined {
  const at = (offset: number, signature: readonly number[]) =>
    signature.every((value, index) => bytes[offset + index] === value);
  if (at(0, [0xff, 0xd8, 0xff])) return 'jpg';
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'webp';
  return undefined;
}

export interface Size {
  width: number;
  height: number;
}

function uint16be(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

function uint32be(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function uint24le(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
}

/** PNG: the IHDR chunk comes first. */
function pngSize(bytes: Uint8Array): Size | undefined {
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  return { width: uint32be(bytes, 16), height: uint32be(bytes, 20) };
}

/** WebP: the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended, with the canvas size). */
function webpSize(bytes: Uint8Array): Size | undefined {
  if (bytes.length < 30) return undefined;
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === 'VP8 ') {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return undefined;
    return { width: (bytes[26] | (bytes[27] << 8)) & 0x3fff, height: (bytes[28] | (bytes[29] << 8)) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return undefined;
    const bits = (bytes[21] | (bytes[22] << 8) | (bytes[23] << 16) | (bytes[24] << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: uint24le(bytes, 24) + 1, height: uint24le(bytes, 27) + 1 };
  return undefined;
}

/** JPEG: the first start-of-frame segment, reached by walking the segments (bounds checked at every step). */
function jpegSize(bytes: Uint8Array): Size | undefined {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1;
      continue;
    } // fill byte
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan data before any frame
    const length = uint16be(bytes, at + 2);
    if (length < 2) return undefined;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length || length < 7) return undefined;
      return { height: uint16be(bytes, at + 5), width: uint16be(bytes, at + 7) };
    }
    at += 2 + length;
  }
  return undefined;
}

/** Decodes the posted base64 strictly: anything but canonical base64 gives undefined (never a partial decode). */
export function decodeThumbnailBase64(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > MAX_THUMBNAIL_BASE64_LENGTH || text.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : undefined;
}
