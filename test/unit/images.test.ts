// Unit tests for magic-number sniffing (src/core/images.ts).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import * as jpeg from 'jpeg-js';
import { IMAGE_EXTENSIONS, sniffImageType } from '../../src/core/images';

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => new TextEncoder().encode(text);
const base64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

// Real, complete 1x1 files.
const PNG_1X1 = base64(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
);
const GIF_1X1 = base64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
const WEBP_1X1 = base64('UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA=');

function realJpeg(): Uint8Array {
  const width = 4;
  const height = 4;
  const data = Buffer.alloc(width * height * 4, 0x80);
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('sniffImageType', () => {
  describe('recognises', () => {
    it('a real JPEG (FF D8 FF)', () => {
      assert.deepEqual(sniffImageType(realJpeg()), { format: 'jpeg', extension: 'jpg', mimeType: 'image/jpeg' });
    });

    it('JPEG signatures with JFIF, Exif and raw markers', () => {
      for (const marker of [0xe0, 0xe1, 0xdb, 0xee])
        assert.equal(sniffImageType(bytes(0xff, 0xd8, 0xff, marker, 0, 0x10))?.format, 'jpeg');
      assert.equal(sniffImageType(bytes(0xff, 0xd8, 0xff))?.format, 'jpeg', 'three bytes are enough for the signature');
    });

    it('a real PNG (89 50 4E 47 0D 0A 1A 0A)', () => {
      assert.deepEqual(sniffImageType(PNG_1X1), { format: 'png', extension: 'png', mimeType: 'image/png' });
      assert.equal(sniffImageType(bytes(...PNG_SIGNATURE))?.format, 'png');
    });

    it('a real WebP (RIFF....WEBP)', () => {
      assert.deepEqual(sniffImageType(WEBP_1X1), { format: 'webp', extension: 'webp', mimeType: 'image/webp' });
      assert.equal(sniffImageType(ascii('RIFF\x00\x00\x00\x00WEBP'))?.format, 'webp');
    });

    it('GIF87a and GIF89a', () => {
      assert.deepEqual(sniffImageType(GIF_1X1), { format: 'gif', extension: 'gif', mimeType: 'image/gif' });
      assert.equal(sniffImageType(ascii('GIF87a'))?.format, 'gif');
      assert.equal(sniffImageType(ascii('GIF89a\x01\x00'))?.format, 'gif');
    });

    it('a Buffer and a view into a larger buffer (non-zero byteOffset)', () => {
      assert.equal(sniffImageType(Buffer.from(PNG_1X1))?.format, 'png');
      const padded = new Uint8Array(PNG_1X1.length + 7);
      padded.set(PNG_1X1, 7);
      assert.equal(sniffImageType(padded.subarray(7))?.format, 'png');
      assert.equal(sniffImageType(padded), undefined, 'the signature must be at the start');
    });

    it('every format maps to one of IMAGE_EXTENSIONS', () => {
      for (const sample of [realJpeg(), PNG_1X1, WEBP_1X1, GIF_1X1]) {
        const type = sniffImageType(sample);
        assert.ok(type && (IMAGE_EXTENSIONS as readonly string[]).includes(type.extension));
        assert.equal(type.mimeType, `image/${type.format}`);
      }
    });
  });

  describe('refuses', () => {
    it('an empty buffer', () => {
      assert.equal(sniffImageType(new Uint8Array()), undefined);
    });

    it('truncated signatures', () => {
      assert.equal(sniffImageType(bytes(0xff)), undefined);
      assert.equal(sniffImageType(bytes(0xff, 0xd8)), undefined);
      for (let length = 1; length < PNG_SIGNATURE.length; length++) {
        assert.equal(
          sniffImageType(bytes(...PNG_SIGNATURE.slice(0, length))),
          undefined,
          `PNG signature cut to ${length} bytes`,
        );
      }
      assert.equal(sniffImageType(ascii('RIFF')), undefined);
      assert.equal(sniffImageType(ascii('RIFF\x00\x00\x00\x00WEB')), undefined);
      assert.equal(sniffImageType(ascii('GIF8')), undefined);
      assert.equal(sniffImageType(ascii('GIF89')), undefined);
    });

    it('near misses', () => {
      assert.equal(sniffImageType(bytes(0xff, 0xd9, 0xff, 0xe0)), undefined, 'JPEG end marker, not start');
      assert.equal(
        sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00)),
        undefined,
        'PNG signature with a wrong last byte',
      );
      assert.equal(sniffImageType(ascii('RIFF\x00\x00\x00\x00WAVEfmt ')), undefined, 'a WAV file is RIFF but not WebP');
      assert.equal(sniffImageType(ascii('RIFX\x00\x00\x00\x00WEBP')), undefined);
      assert.equal(sniffImageType(ascii('GIF88a')), undefined);
      assert.equal(sniffImageType(ascii('GIF89b')), undefined);
    });

    it('text: HTML, JSON, plain text, base64 of an image', () => {
      for (const text of [
        '<!DOCTYPE html><html><body>405 Not Allowed</body></html>',
        '{"error":"Insufficient credits"}',
        'OK',
        'PNG',
        'JFIF',
      ]) {
        assert.equal(sniffImageType(ascii(text)), undefined, text);
      }
      assert.equal(sniffImageType(ascii(Buffer.from(PNG_1X1).toString('base64'))), undefined);
    });
  });

  describe('properties (fast-check)', () => {
    const signatures: Array<[number[], string]> = [
      [[0xff, 0xd8, 0xff], 'jpeg'],
      [PNG_SIGNATURE, 'png'],
      [[...ascii('GIF87a')], 'gif'],
      [[...ascii('GIF89a')], 'gif'],
    ];

    it('any bytes after a signature are sniffed as that format', () => {
      fc.assert(
        fc.property(fc.constantFrom(...signatures), fc.uint8Array({ maxLength: 64 }), ([signature, format], tail) => {
          assert.equal(sniffImageType(Uint8Array.from([...signature, ...tail]))?.format, format);
        }),
      );
    });

    it('RIFF + any 4 bytes + WEBP + anything is WebP', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ maxLength: 32 }), (size, tail) => {
          assert.equal(
            sniffImageType(Uint8Array.from([...ascii('RIFF'), ...size, ...ascii('WEBP'), ...tail]))?.format,
            'webp',
          );
        }),
      );
    });

    it('printable ASCII text is never an image', () => {
      fc.assert(
        fc.property(
          fc
            .string({ unit: 'binary-ascii', maxLength: 64 })
            .filter((text) => !text.startsWith('GIF8') && !text.startsWith('RIFF')),
          (text) => {
            assert.equal(sniffImageType(ascii(text)), undefined);
          },
        ),
      );
    });

    it('never throws, and returns a known type or undefined', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 32 }), (data) => {
          const type = sniffImageType(data);
          assert.ok(type === undefined || ['jpeg', 'png', 'webp', 'gif'].includes(type.format));
        }),
        { numRuns: 500 },
      );
    });
  });
});
