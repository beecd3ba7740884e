// Deterministic test pictures for the fake Segmind API.
//
// renderImage(seed, width, height, format) draws a gradient with a few shapes whose colours and
// positions derive from the seed, and encodes it as a real, decodable JPEG (via the pure-JS
// `jpeg-js` encoder) or PNG (our own encoder on node:zlib). Same arguments → same bytes.
//
// For speed the picture is encoded at a downscaled size: `scale` (default 0.25) times the
// requested width and height, rounded, so RESOLUTION_1024_1024 gives a 256×256 file and
// RESOLUTION_1536_512 a 384×128 one. Every Ideogram dimension is a multiple of 16, so with the
// default scale the aspect ratio is exact. Pass scale 1 for full-size images.
import { deflateSync } from 'node:zlib';
import * as jpeg from 'jpeg-js';

export type ImageFormat = 'jpeg' | 'png';

export const DEFAULT_IMAGE_SCALE = 0.25;
const JPEG_QUALITY = 85;
const CACHE_LIMIT = 128;

export interface RenderOptions {
  /** Factor applied to width and height before encoding, in (0, 1]. Default 0.25. */
  scale?: number;
  /** Pad the file with comment data (JPEG COM segments / PNG tEXt chunks) up to about this many bytes. */
  targetBytes?: number;
}

const cache = new Map<string, Buffer>();

/** The encoded size for a requested size: scaled, rounded, at least 1 px. */
export function encodedSize(
  width: number,
  height: number,
  scale = DEFAULT_IMAGE_SCALE,
): { width: number; height: number } {
  const factor = Number.isFinite(scale) && scale > 0 ? Math.min(scale, 1) : DEFAULT_IMAGE_SCALE;
  return { width: Math.max(1, Math.round(width * factor)), height: Math.max(1, Math.round(height * factor)) };
}

/**
 * A deterministic, decodable image for (seed, width, height, format). Results are cached (LRU of
 * 128 entries); the returned Buffer is shared, so do not modify it.
 */
export function renderImage(
  seed: number,
  width: number,
  height: number,
  format: ImageFormat,
  options: RenderOptions = {},
): Buffer {
  const size = encodedSize(width, height, options.scale);
  const target = options.targetBytes !== undefined && options.targetBytes > 0 ? Math.floor(options.targetBytes) : 0;
  const key = `${seed}:${size.width}x${size.height}:${format}:${target}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const rgba = drawPicture(seed, size.width, size.height);
  let bytes =
    format === 'png' ? encodePng(rgba, size.width, size.height) : encodeJpeg(rgba, size.width, size.height, seed);
  if (target > bytes.length) bytes = format === 'png' ? padPng(bytes, target) : padJpeg(bytes, target);
  cache.set(key, bytes);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return bytes;
}

export function clearImageCache(): void {
  cache.clear();
}

/** The first bytes of a JPEG file (SOI + JFIF APP0), used to start the `huge-body` fault. */
export function jpegPrefix(): Buffer {
  const small = renderImage(0, 8, 8, 'jpeg', { scale: 1 });
  const app0Length = small.readUInt16BE(4);
  return Buffer.from(small.subarray(0, 4 + app0Length));
}

// ---- drawing ---------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rgb = [number, number, number];

function hslToRgb(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number): number => {
    const k = (n + h * 12) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

interface Shape {
  kind: 'circle' | 'rect';
  cx: number;
  cy: number;
  r: number;
  color: Rgb;
}

/** RGBA pixels. Coordinates are normalised so the picture looks the same at any scale. */
function drawPicture(seed: number, width: number, height: number): Uint8Array {
  const random = mulberry32(seed ^ 0x5eed1d0);
  const hue = random();
  const top = hslToRgb(hue, 0.65, 0.7);
  const bottom = hslToRgb((hue + 0.15 + random() * 0.3) % 1, 0.6, 0.35);
  const shapes: Shape[] = [];
  const count = 3 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    shapes.push({
      kind: random() < 0.5 ? 'circle' : 'rect',
      cx: random(),
      cy: random(),
      r: 0.08 + random() * 0.2,
      color: hslToRgb((hue + 0.33 + random() * 0.5) % 1, 0.75, 0.3 + random() * 0.4),
    });
  }
  const pixels = new Uint8Array(width * height * 4);
  const short = Math.min(width, height);
  for (let y = 0; y < height; y++) {
    const v = height > 1 ? y / (height - 1) : 0;
    for (let x = 0; x < width; x++) {
      const u = width > 1 ? x / (width - 1) : 0;
      const t = Math.min(1, Math.max(0, 0.7 * v + 0.3 * u));
      let color: Rgb = [
        Math.round(top[0] + (bottom[0] - top[0]) * t),
        Math.round(top[1] + (bottom[1] - top[1]) * t),
        Math.round(top[2] + (bottom[2] - top[2]) * t),
      ];
      for (const shape of shapes) {
        const dx = (x - shape.cx * width) / short;
        const dy = (y - shape.cy * height) / short;
        const inside =
          shape.kind === 'circle'
            ? dx * dx + dy * dy <= shape.r * shape.r
            : Math.abs(dx) <= shape.r && Math.abs(dy) <= shape.r * 0.6;
        if (inside) color = shape.color;
      }
      const offset = (y * width + x) * 4;
      pixels[offset] = color[0];
      pixels[offset + 1] = color[1];
      pixels[offset + 2] = color[2];
      pixels[offset + 3] = 255;
    }
  }
  return pixels;
}

// ---- JPEG ------------------------------------------------------------------------------------

function encodeJpeg(rgba: Uint8Array, width: number, height: number, seed: number): Buffer {
  const encoded = jpeg.encode({ data: rgba, width, height, comments: [`fake-segmind seed=${seed}`] }, JPEG_QUALITY);
  return Buffer.from(encoded.data);
}

const MAX_COM_PAYLOAD = 65533; // segment length field (2 bytes, includes itself) is at most 65535

function filler(length: number): Buffer {
  const pattern = Buffer.from('fake-segmind padding. ');
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += pattern.length) pattern.copy(out, i, 0, Math.min(pattern.length, length - i));
  return out;
}

/** Inserts COM segments right after SOI + APP0 (well before SOS) until the file is ~target bytes. */
function padJpeg(bytes: Buffer, target: number): Buffer {
  let insertAt = 2;
  if (bytes[2] === 0xff && bytes[3] === 0xe0) insertAt = 4 + bytes.readUInt16BE(4);
  const segments: Buffer[] = [];
  let missing = target - bytes.length;
  while (missing > 4) {
    const payload = Math.min(MAX_COM_PAYLOAD, missing - 4);
    const header = Buffer.from([0xff, 0xfe, 0, 0]);
    header.writeUInt16BE(payload + 2, 2);
    segments.push(header, filler(payload));
    missing -= payload + 4;
  }
  return Buffer.concat([bytes.subarray(0, insertAt), ...segments, bytes.subarray(insertAt)]);
}

// ---- PNG -------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** 8-bit RGB, no interlace, filter type 0 on every row. */
function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter
  ihdr[12] = 0; // interlace
  const raw = Buffer.alloc(height * (1 + width * 3));
  let o = 0;
  for (let y = 0; y < height; y++) {
    raw[o++] = 0;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      raw[o++] = rgba[i];
      raw[o++] = rgba[i + 1];
      raw[o++] = rgba[i + 2];
    }
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const MAX_TEXT_CHUNK = 1 << 20;

/** Inserts tEXt chunks before IEND until the file is ~target bytes. */
function padPng(bytes: Buffer, target: number): Buffer {
  const iendAt = bytes.length - 12;
  const keyword = Buffer.from('Comment\0', 'latin1');
  const chunks: Buffer[] = [];
  let missing = target - bytes.length;
  while (missing > 12 + keyword.length) {
    const textLength = Math.min(MAX_TEXT_CHUNK, missing - 12 - keyword.length);
    chunks.push(pngChunk('tEXt', Buffer.concat([keyword, filler(textLength)])));
    missing -= 12 + keyword.length + textLength;
  }
  return Buffer.concat([bytes.subarray(0, iendAt), ...chunks, bytes.subarray(iendAt)]);
}

// ---- reading a picture's header ----------------------------------------------------------------

export interface ImageHeader {
  format: 'jpeg' | 'png' | 'webp';
  width: number;
  height: number;
}

/**
 * The format and pixel size of a JPEG, PNG or WebP file, read from its header (the fake only needs the size of an
 * uploaded picture, not its pixels), or undefined when the bytes are not one of those three.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length >= 24 && data.subarray(0, 8).equals(PNG_SIGNATURE) && data.toString('latin1', 12, 16) === 'IHDR') {
    return positive('png', data.readUInt32BE(16), data.readUInt32BE(20));
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return jpegHeader(data);
  if (data.length >= 30 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') {
    const chunk = data.toString('latin1', 12, 16);
    // Lossy: a key frame's start code, then 14-bit width and height.
    if (chunk === 'VP8 ' && data[23] === 0x9d && data[24] === 0x01 && data[25] === 0x2a)
      return positive('webp', data.readUInt16LE(26) & 0x3fff, data.readUInt16LE(28) & 0x3fff);
    // Lossless: a 0x2f signature, then width-1 and height-1 in 14 bits each.
    if (chunk === 'VP8L' && data[20] === 0x2f) {
      const bits = data.readUInt32LE(21);
      return positive('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    // Extended: canvas width-1 and height-1 in 24 bits each.
    if (chunk === 'VP8X') return positive('webp', data.readUIntLE(24, 3) + 1, data.readUIntLE(27, 3) + 1);
  }
  return undefined;
}

function positive(format: ImageHeader['format'], width: number, height: number): ImageHeader | undefined {
  return width > 0 && height > 0 ? { format, width, height } : undefined;
}

/** Walks the JPEG segments up to the first start-of-frame, which holds the size. */
function jpegHeader(data: Buffer): ImageHeader | undefined {
  let offset = 2;
  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff) return undefined;
    const marker = data[offset + 1];
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan before any frame header
    const length = data.readUInt16BE(offset + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (offset + 9 > data.length) return undefined;
      return positive('jpeg', data.readUInt16BE(offset + 7), data.readUInt16BE(offset + 5));
    }
    if (length < 2) return undefined;
    offset += 2 + length;
  }
  return undefined;
}
