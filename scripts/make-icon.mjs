#!/usr/bin/env node
// Renders the Marketplace icon (media/icon.png, 128×128 RGBA) without any image library: the shapes are
// signed-distance tests sampled 4×4 per pixel for anti-aliasing, and the PNG is written with node:zlib.
// The mark: a rounded square with a violet-to-orange gradient, a white picture frame (hills and a sun) and a
// four-pointed sparkle breaking out of its top-right corner ("an image, generated").
//   node scripts/make-icon.mjs [output.png] [size]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.resolve(process.argv[2] ?? path.join(root, 'media/icon.png'));
const size = Number(process.argv[3] ?? 128);
const SAMPLES = 4;

// ---------------------------------------------------------------- geometry, in a 128-unit design space

/** Signed distance to a rounded rectangle (negative inside). */
function roundedRect(x, y, left, top, right, bottom, radius) {
  const cx = (left + right) / 2;
  const cy = (top + bottom) / 2;
  const qx = Math.abs(x - cx) - ((right - left) / 2 - radius);
  const qy = Math.abs(y - cy) - ((bottom - top) / 2 - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Inside a four-pointed sparkle: |dx|^p + |dy|^p <= r^p with p < 1 gives the concave, pinched star. */
function inSparkle(x, y, cx, cy, radius, p = 0.55) {
  const dx = Math.abs(x - cx) / radius;
  const dy = Math.abs(y - cy) / radius;
  return dx ** p + dy ** p <= 1;
}

/** Inside the triangle a-b-c (any winding). */
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  const negative = d1 < 0 || d2 < 0 || d3 < 0;
  const positive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(negative && positive);
}

const STOPS = [
  [0, [0x4f, 0x2f, 0xd9]], // indigo-violet
  [0.55, [0xc0, 0x26, 0xd3]], // magenta
  [1, [0xf9, 0x73, 0x16]], // orange
];

function gradient(x, y) {
  const t = Math.min(1, Math.max(0, (x * 0.45 + y * 0.55) / 128));
  for (let i = 1; i < STOPS.length; i++) {
    const [t1, c1] = STOPS[i];
    const [t0, c0] = STOPS[i - 1];
    if (t <= t1) {
      const k = (t - t0) / (t1 - t0);
      return c0.map((value, channel) => value + (c1[channel] - value) * k);
    }
  }
  return STOPS.at(-1)[1];
}

const WHITE = [255, 255, 255];
const SPARKLE = { cx: 92, cy: 38, radius: 24 };

/** The colour at one point of the design, or undefined outside the tile. */
function colourAt(x, y) {
  if (roundedRect(x, y, 4, 4, 124, 124, 28) > 0) return undefined;
  const background = gradient(x, y);
  // A gap around the sparkle separates it from the frame it overlaps.
  if (inSparkle(x, y, SPARKLE.cx, SPARKLE.cy, SPARKLE.radius + 7, 0.62)) {
    return inSparkle(x, y, SPARKLE.cx, SPARKLE.cy, SPARKLE.radius) ? WHITE : background;
  }
  if (inSparkle(x, y, 106, 66, 7)) return WHITE;
  const frameOuter = roundedRect(x, y, 24, 34, 100, 100, 10);
  const frameInner = roundedRect(x, y, 31, 41, 93, 93, 5);
  if (frameOuter <= 0 && frameInner > 0) return WHITE;
  if (frameInner <= 0) {
    if (Math.hypot(x - 48, y - 58) <= 7) return WHITE; // the sun
    if (inTriangle(x, y, [31, 93], [55, 63], [79, 93])) return WHITE; // the big hill
    if (inTriangle(x, y, [58, 93], [76, 72], [94, 93])) return [255, 255, 255, 0.78]; // the far hill
  }
  return background;
}

// ---------------------------------------------------------------- rasterising and PNG

function render() {
  const pixels = Buffer.alloc(size * size * 4);
  const scale = 128 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = colourAt((px + (sx + 0.5) / SAMPLES) * scale, (py + (sy + 0.5) / SAMPLES) * scale);
          if (!colour) continue;
          // Semi-transparent white (the far hill) is blended over the gradient here, so the tile stays opaque.
          const alpha = colour[3] ?? 1;
          const base = alpha < 1 ? gradient((px + 0.5) * scale, (py + 0.5) * scale) : colour;
          r += colour[0] * alpha + base[0] * (1 - alpha);
          g += colour[1] * alpha + base[1] * (1 - alpha);
          b += colour[2] * alpha + base[2] * (1 - alpha);
          a += 1;
        }
      }
      const offset = (py * size + px) * 4;
      // Colour channels are averaged over the covered samples only (straight, not premultiplied, alpha).
      pixels[offset] = a ? Math.round(r / a) : 0;
      pixels[offset + 1] = a ? Math.round(g / a) : 0;
      pixels[offset + 2] = a ? Math.round(b / a) : 0;
      pixels[offset + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const png = encodePng(render());
fs.mkdirSync(path.dirname(output), { recursive: true });
fs.writeFileSync(output, png);
console.log(`${path.relative(process.cwd(), output)}: ${size}×${size}, ${png.length} bytes`);
