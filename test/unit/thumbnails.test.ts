// Gallery thumbnails (src/core/thumbnails.ts): the name a thumbnail is kept under, and what bytes may be kept
// and shown as one (size, type, dimensions), whatever a webview or a damaged storage folder hands over.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkThumbnail,
  decodeThumbnailBase64,
  imageKey,
  parseThumbnailFileName,
  thumbnailFileName,
  versionKey,
} from '../../src/core/thumbnails';
import {
  MAX_THUMBNAIL_BASE64_LENGTH,
  MAX_THUMBNAIL_BYTES,
  MAX_THUMBNAIL_SIDE,
  THUMBNAIL_SIDE,
} from '../../src/core/thumbnailLimits';
import { renderImage } from '../fake-segmind/image';

const IMAGE = { imageUri: 'file:///work/assets/a%20lighthouse.jpg', size: 1_572_864, mtime: 1_764_489_600_123.4 };

/** A WebP header of the given kind and size (enough for the check: it reads headers, never decodes). */
function webp(kind: 'VP8 ' | 'VP8L' | 'VP8X', width: number, height: number, length = 64): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes.set(Buffer.from('RIFF'), 0);
  bytes.set(Buffer.from('WEBP'), 8);
  bytes.set(Buffer.from(kind), 12);
  if (kind === 'VP8 ') {
    bytes.set([0x9d, 0x01, 0x2a], 23);
    bytes.set([width & 0xff, width >> 8, height & 0xff, height >> 8], 26);
  } else if (kind === 'VP8L') {
    bytes[20] = 0x2f;
    const bits = ((width - 1) | ((height - 1) << 14)) >>> 0;
    bytes.set([bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, bits >>> 24], 21);
  } else {
    bytes.set(
      [
        (width - 1) & 0xff,
        ((width - 1) >> 8) & 0xff,
        (width - 1) >> 16,
        (height - 1) & 0xff,
        ((height - 1) >> 8) & 0xff,
        (height - 1) >> 16,
      ],
      24,
    );
  }
  return bytes;
}

describe('gallery thumbnails', () => {
  describe('file names', () => {
    it('name one version of one image, the same every time', () => {
      const name = thumbnailFileName(IMAGE, 'webp');
      assert.match(name, /^[0-9a-f]{32}-[0-9a-f]{16}\.webp$/);
      assert.equal(thumbnailFileName({ ...IMAGE }, 'webp'), name);
      assert.deepEqual(parseThumbnailFileName(name), {
        imageKey: imageKey(IMAGE.imageUri),
        versionKey: versionKey(IMAGE),
        format: 'webp',
      });
    });

    it('change when the image is edited (size or modification time), keeping the image part', () => {
      const name = thumbnailFileName(IMAGE, 'webp');
      const resized = thumbnailFileName({ ...IMAGE, size: IMAGE.size + 1 }, 'webp');
      const touched = thumbnailFileName({ ...IMAGE, mtime: IMAGE.mtime + 1000 }, 'webp');
      assert.notEqual(resized, name);
      assert.notEqual(touched, name);
      assert.equal(parseThumbnailFileName(resized)?.imageKey, parseThumbnailFileName(name)?.imageKey);
      assert.equal(
        thumbnailFileName({ ...IMAGE, mtime: IMAGE.mtime + 0.5 }, 'webp'),
        name,
        'sub-millisecond noise of mtimeMs is not an edit',
      );
    });

    it('differ between images, and never hold a path separator whatever the URI', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (a, b) => {
          const nameA = thumbnailFileName({ imageUri: a, size: 1, mtime: 1 }, 'jpg');
          assert.doesNotMatch(nameA, /[\\/]|\.\./);
          assert.ok(parseThumbnailFileName(nameA));
          if (a !== b) assert.notEqual(imageKey(a), imageKey(b));
        }),
      );
    });

    it('are the only names read: anything else in the folder is left alone', () => {
      for (const name of [
        'gallery.json',
        '../x.webp',
        `${'a'.repeat(32)}-${'b'.repeat(16)}.gif`,
        `.${thumbnailFileName(IMAGE, 'webp')}.0a1b2c.partial`,
        `${'A'.repeat(32)}-${'b'.repeat(16)}.webp`,
        `${'a'.repeat(32)}-${'b'.repeat(16)}.webp/..`,
        '',
      ]) {
        assert.equal(parseThumbnailFileName(name), undefined, name);
      }
    });
  });

  describe('checking the bytes', () => {
    it('accepts small WebP (lossy, lossless, extended), JPEG and PNG images, with their size', () => {
      assert.deepEqual(checkThumbnail(webp('VP8 ', 224, 126)), { ok: true, format: 'webp', width: 224, height: 126 });
      assert.deepEqual(checkThumbnail(webp('VP8L', 200, 224)), { ok: true, format: 'webp', width: 200, height: 224 });
      assert.deepEqual(checkThumbnail(webp('VP8X', 224, 224)), { ok: true, format: 'webp', width: 224, height: 224 });
      const jpeg = renderImage(7, 896, 504, 'jpeg', { scale: 0.25 });
      assert.deepEqual(checkThumbnail(jpeg), { ok: true, format: 'jpg', width: 224, height: 126 });
      const png = renderImage(7, 512, 512, 'png', { scale: 0.25 });
      assert.deepEqual(checkThumbnail(png), { ok: true, format: 'png', width: 128, height: 128 });
    });

    it(`refuses more than ${MAX_THUMBNAIL_BYTES / 1024} KB: a tile must never decode a large file`, () => {
      const padded = renderImage(7, 896, 896, 'jpeg', { scale: 0.25, targetBytes: MAX_THUMBNAIL_BYTES + 1 });
      const check = checkThumbnail(padded);
      assert.equal(check.ok, false);
      assert.match(!check.ok ? check.reason : '', /more than 65536/);
      assert.equal(
        checkThumbnail(renderImage(7, 896, 896, 'jpeg', { scale: 0.25, targetBytes: MAX_THUMBNAIL_BYTES - 100 })).ok,
        true,
      );
    });

    it('refuses a small file that would decode into a huge picture', () => {
      const check = checkThumbnail(webp('VP8X', 16_000, 16_000));
      assert.equal(check.ok, false);
      assert.match(!check.ok ? check.reason : '', /16000 × 16000 pixels, more than 512/);
      assert.equal(checkThumbnail(webp('VP8 ', MAX_THUMBNAIL_SIDE, 1)).ok, true);
      assert.equal(checkThumbnail(webp('VP8 ', MAX_THUMBNAIL_SIDE + 1, 1)).ok, false);
      assert.equal(checkThumbnail(webp('VP8 ', 0, 10)).ok, false, 'zero pixels');
    });

    it('refuses what is not a WebP, JPEG or PNG (GIF, SVG, text, HTML, empty)', () => {
      for (const text of [
        'GIF89a\x01\x00\x01\x00',
        '<svg xmlns="http://www.w3.org/2000/svg"/>',
        '<script>alert(1)</script>',
        'hello',
        '',
      ]) {
        assert.equal(checkThumbnail(new TextEncoder().encode(text)).ok, false, text);
      }
    });

    it('refuses damaged headers: a cut JPEG, a JPEG without a frame, a PNG without IHDR, an unknown WebP chunk', () => {
      const jpeg = renderImage(7, 896, 504, 'jpeg', { scale: 0.25 });
      assert.equal(checkThumbnail(jpeg.subarray(0, 20)).ok, false);
      assert.equal(checkThumbnail(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)).ok, false);
      const png = new Uint8Array(renderImage(7, 512, 512, 'png', { scale: 0.25 }));
      png.set(Buffer.from('IEND'), 12);
      assert.equal(checkThumbnail(png).ok, false);
      const unknown = webp('VP8 ', 10, 10);
      unknown.set(Buffer.from('ALPH'), 12);
      assert.equal(checkThumbnail(unknown).ok, false);
    });

    it('never throws and never accepts more than the limits, whatever the bytes', () => {
      const prefixes = [
        [],
        [0xff, 0xd8, 0xff],
        [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
        [...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8X')],
      ];
      fc.assert(
        fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 600 }), (prefix, rest) => {
          const check = checkThumbnail(Uint8Array.from([...prefix, ...rest]));
          if (check.ok)
            assert.ok(
              check.width >= 1 &&
                check.height >= 1 &&
                check.width <= MAX_THUMBNAIL_SIDE &&
                check.height <= MAX_THUMBNAIL_SIDE,
            );
        }),
        { numRuns: 2000 },
      );
    });

    it('the webview aims well inside the limits', () => {
      assert.ok(THUMBNAIL_SIDE <= MAX_THUMBNAIL_SIDE);
      assert.equal(MAX_THUMBNAIL_BASE64_LENGTH, Buffer.alloc(MAX_THUMBNAIL_BYTES).toString('base64').length);
    });
  });

  describe('the base64 the webview posts', () => {
    it('decodes canonical base64 exactly', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), (bytes) => {
          assert.deepEqual(decodeThumbnailBase64(Buffer.from(bytes).toString('base64')), bytes);
        }),
      );
    });

    it('refuses anything else rather than decoding part of it', () => {
      for (const text of [
        '',
        'abc',
        'ab=c',
        'a b=',
        '!!!!',
        'AAA=A===',
        'QQ==QQ==',
        'QR==',
        'A'.repeat(MAX_THUMBNAIL_BASE64_LENGTH + 4),
      ]) {
        assert.equal(decodeThumbnailBase64(text), undefined, text.slice(0, 20));
      }
    });
  });
});
