// The rules for uploading a local picture (src/core/imageUpload.ts): which files may go, where, which answer is
// believed, and when an earlier upload is used again.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import * as jpeg from 'jpeg-js';
import { createHash } from 'node:crypto';
import {
  SEGMIND_UPLOAD_ROUTE,
  UPLOAD_CACHE_MAX,
  UPLOAD_MAX_BYTES,
  UPLOAD_REUSE_MS,
  checkUploadable,
  findReusable,
  forgetUpload,
  readUploadResponse,
  rememberUpload,
  toDataUrl,
  uploadCacheSchema,
  uploadRoute,
  type UploadCache,
  type UploadEntry,
} from '../../src/core/imageUpload';
import { sniffImageType } from '../../src/core/images';
import { startFakeSegmind } from '../fake-segmind/server';

const base64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
// Real, complete 1x1 files.
const PNG = base64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==');
const GIF = base64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
const WEBP = base64('UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA=');
const JPEG = new Uint8Array(jpeg.encode({ data: Buffer.alloc(4 * 4 * 4, 0x80), width: 4, height: 4 }, 80).data);
const PICTURES = { jpeg: JPEG, png: PNG, webp: WEBP } as const;

const SEGMIND = 'https://api.segmind.com/v1/ideogram-3-remix';
const FAKE = 'http://127.0.0.1:8787/v1/ideogram-txt-2-img';

describe('uploading a local picture', () => {
  describe('checkUploadable', () => {
    it('takes a JPEG, PNG or WebP by its bytes, up to 10 MB included, and refuses a larger one with the facts', () => {
      fc.assert(
        fc.property(
          fc.constantFrom('jpeg', 'png', 'webp') as fc.Arbitrary<keyof typeof PICTURES>,
          fc.integer({ min: 1, max: 3 * UPLOAD_MAX_BYTES }),
          (type, size) => {
            // Only the file's start is read; the size comes from a stat.
            const checked = checkUploadable({ bytes: PICTURES[type], size });
            if (size <= UPLOAD_MAX_BYTES)
              assert.deepEqual(checked, { ok: true, type, mimeType: `image/${type}`, size });
            else
              assert.deepEqual(checked, {
                ok: false,
                problem: { code: 'too-large', type, size, limit: UPLOAD_MAX_BYTES },
              });
          },
        ),
      );
      assert.equal(UPLOAD_MAX_BYTES, 10 * 1024 * 1024);
      assert.equal(checkUploadable({ bytes: PNG, size: UPLOAD_MAX_BYTES }).ok, true);
      assert.equal(checkUploadable({ bytes: PNG, size: UPLOAD_MAX_BYTES + 1 }).ok, false);
    });

    it('reads the size from the bytes when no size is given, and takes another limit', () => {
      assert.deepEqual(checkUploadable({ bytes: JPEG }), {
        ok: true,
        type: 'jpeg',
        mimeType: 'image/jpeg',
        size: JPEG.length,
      });
      assert.deepEqual(checkUploadable({ bytes: PNG, maxBytes: PNG.length - 1 }), {
        ok: false,
        problem: { code: 'too-large', type: 'png', size: PNG.length, limit: PNG.length - 1 },
      });
    });

    it('refuses a GIF as a type Ideogram does not take, whatever its size', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 * UPLOAD_MAX_BYTES }), (size) => {
          assert.deepEqual(checkUploadable({ bytes: GIF, size }), {
            ok: false,
            problem: { code: 'unsupported-type', type: 'gif', size },
          });
        }),
      );
    });

    it('refuses bytes that are not a picture (whatever the file is called), and an empty file', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
          fc.pre(sniffImageType(bytes) === undefined);
          assert.deepEqual(checkUploadable({ bytes }), {
            ok: false,
            problem: { code: 'not-an-image', size: bytes.length },
          });
        }),
      );
      assert.deepEqual(checkUploadable({ bytes: new TextEncoder().encode('<svg xmlns="…"/>') }).ok, false);
      assert.deepEqual(checkUploadable({ bytes: new Uint8Array(0) }), { ok: false, problem: { code: 'empty' } });
      assert.deepEqual(checkUploadable({ bytes: new Uint8Array(0), size: 0 }), {
        ok: false,
        problem: { code: 'empty' },
      });
    });
  });

  describe('toDataUrl', () => {
    it('carries the exact bytes in base64 behind their MIME type, also from a view into a larger buffer', () => {
      fc.assert(
        fc.property(
          fc.constantFrom('jpeg', 'png', 'webp') as fc.Arbitrary<'jpeg' | 'png' | 'webp'>,
          fc.uint8Array({ maxLength: 300 }),
          fc.nat(20),
          (type, bytes, offset) => {
            const backing = new Uint8Array(offset + bytes.length + 7);
            backing.set(bytes, offset);
            const view = backing.subarray(offset, offset + bytes.length);
            const url = toDataUrl(view, type);
            const match = /^data:image\/(jpeg|png|webp);base64,(.*)$/.exec(url);
            assert.ok(match, url);
            assert.equal(match[1], type);
            assert.deepEqual(new Uint8Array(Buffer.from(match[2], 'base64')), bytes);
          },
        ),
      );
      assert.equal(toDataUrl(PNG, 'png').slice(0, 22), 'data:image/png;base64,');
    });
  });

  describe('uploadRoute: the key goes only to Segmind or to the endpoint the user configured', () => {
    const cases: Array<[string, string]> = [
      [SEGMIND, SEGMIND_UPLOAD_ROUTE],
      ['https://api.segmind.com/v2/ideogram-character', SEGMIND_UPLOAD_ROUTE],
      ['https://API.Segmind.COM/v1/ideogram-3', SEGMIND_UPLOAD_ROUTE],
      ['https://api.segmind.com./v1/ideogram-3', SEGMIND_UPLOAD_ROUTE],
      ['https://proxy.example.com/segmind/v1/ideogram-3', 'https://proxy.example.com/upload-asset'],
      ['https://proxy.example.com:8443/v1/x', 'https://proxy.example.com:8443/upload-asset'],
      // Credentials in the endpoint are not repeated in the route (the client refuses such an endpoint anyway).
      ['https://user:secret@proxy.example.com/v1/x', 'https://proxy.example.com/upload-asset'],
      [FAKE, 'http://127.0.0.1:8787/upload-asset'],
      ['http://localhost:3000/v1/x', 'http://localhost:3000/upload-asset'],
      // Look-alikes are not Segmind: their upload goes to them, where the key goes already.
      ['https://api.segmind.com.example.net/v1/x', 'https://api.segmind.com.example.net/upload-asset'],
      ['https://notsegmind.com/v1/x', 'https://notsegmind.com/upload-asset'],
    ];
    for (const [endpoint, route] of cases) {
      it(`${endpoint} → ${route}`, () => {
        assert.equal(uploadRoute(endpoint), route);
      });
    }
  });

  describe('readUploadResponse', () => {
    const storage = (name: string) => `https://storage.segmind.com/assets/${name}`;

    it('reads Segmind\'s documented "urls" and its SDK\'s "file_urls", one per file, in order', () => {
      const urls = [storage('a.png'), 'https://images.segmind.com/assets/b.jpg'];
      assert.deepEqual(readUploadResponse({ urls }, 2, SEGMIND), { ok: true, urls });
      assert.deepEqual(readUploadResponse({ file_urls: urls, message: 'Files uploaded successfully' }, 2, SEGMIND), {
        ok: true,
        urls,
      });
      assert.deepEqual(readUploadResponse({ urls: ['https://segmind.com/assets/c.webp'] }, 1, SEGMIND).ok, true);
      assert.deepEqual(
        readUploadResponse({ urls: [storage('a.png')], file_urls: ['x'] }, 1, SEGMIND).ok,
        true,
        'urls first',
      );
    });

    it("refuses the whole answer when one URL is not https on Segmind nor on the endpoint's origin", () => {
      const refused = [
        'http://storage.segmind.com/assets/a.png', // http, even on Segmind's host
        'https://storage.segmind.com.example.net/assets/a.png',
        'https://evilsegmind.com/assets/a.png',
        'https://user:pw@storage.segmind.com/assets/a.png',
        'file:///etc/passwd',
        'javascript:alert(1)',
        '/assets/a.png',
        'storage.segmind.com/assets/a.png',
      ];
      for (const url of refused) {
        assert.deepEqual(
          readUploadResponse({ urls: [storage('ok.png'), url] }, 2, SEGMIND),
          { ok: false, problem: 'foreign-url' },
          url,
        );
      }
      assert.deepEqual(readUploadResponse({ urls: [42, null] }, 2, SEGMIND), { ok: false, problem: 'foreign-url' });
    });

    it("takes URLs on the configured endpoint's own origin (a proxy, the test server), and only that origin", () => {
      assert.deepEqual(readUploadResponse({ urls: ['http://127.0.0.1:8787/assets/a.png'] }, 1, FAKE), {
        ok: true,
        urls: ['http://127.0.0.1:8787/assets/a.png'],
      });
      assert.equal(readUploadResponse({ urls: ['http://127.0.0.1:9999/assets/a.png'] }, 1, FAKE).ok, false);
      assert.equal(readUploadResponse({ urls: ['http://127.0.0.1:8787/assets/a.png'] }, 1, SEGMIND).ok, false);
      const proxy = 'https://proxy.example.com/v1/ideogram-3-remix';
      assert.equal(readUploadResponse({ urls: ['https://proxy.example.com/files/a.png'] }, 1, proxy).ok, true);
      assert.equal(readUploadResponse({ urls: ['http://proxy.example.com/files/a.png'] }, 1, proxy).ok, false);
      assert.equal(readUploadResponse({ urls: [storage('a.png')] }, 1, proxy).ok, true, "Segmind's own storage");
    });

    it('refuses an answer without exactly one URL per file sent', () => {
      fc.assert(
        fc.property(fc.nat(6), fc.nat(6), (sent, received) => {
          fc.pre(sent !== received);
          const urls = Array.from({ length: received }, (_, index) => storage(`${index}.png`));
          assert.deepEqual(readUploadResponse({ urls }, sent, SEGMIND), {
            ok: false,
            problem: received === 0 ? 'no-urls' : 'wrong-count',
          });
        }),
      );
    });

    it('refuses an answer without a list of URLs', () => {
      for (const body of [null, undefined, 'https://storage.segmind.com/a.png', {}, { urls: 'x' }, { output: [] }, []])
        assert.deepEqual(readUploadResponse(body, 1, SEGMIND), { ok: false, problem: 'no-urls' });
    });

    it("believes the test server's answer in both shapes, not its foreign-host one, uploading through uploadRoute with the bytes toDataUrl makes", async () => {
      const fake = await startFakeSegmind();
      try {
        for (const shape of ['urls', 'file_urls'] as const) {
          fake.configure({ uploadResponseShape: shape });
          const files = [JPEG, PNG];
          const route = uploadRoute(fake.endpoint);
          assert.equal(route, `${fake.url}/upload-asset`);
          const response = await fetch(route, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': 'test-key' },
            body: JSON.stringify({ data_urls: [toDataUrl(JPEG, 'jpeg'), toDataUrl(PNG, 'png')] }),
          });
          const read = readUploadResponse(await response.json(), files.length, fake.endpoint);
          assert.ok(read.ok, JSON.stringify(read));
          for (const [index, url] of read.urls.entries())
            assert.deepEqual(new Uint8Array(await (await fetch(url)).arrayBuffer()), files[index]);
        }
        // An answer naming another host is not believed, even from the configured endpoint.
        fake.configure({ uploadResponseShape: 'foreign-urls' });
        const response = await fetch(uploadRoute(fake.endpoint), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': 'test-key' },
          body: JSON.stringify({ data_urls: [toDataUrl(PNG, 'png')] }),
        });
        assert.deepEqual(readUploadResponse(await response.json(), 1, fake.endpoint), {
          ok: false,
          problem: 'foreign-url',
        });
      } finally {
        await fake.close();
      }
    });
  });

  describe('the reuse record', () => {
    const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    const hash = sha256(PNG);
    const entry = (overrides: Partial<UploadEntry> = {}): UploadEntry => ({
      sha256: hash,
      endpoint: SEGMIND,
      url: 'https://storage.segmind.com/assets/a.png',
      uploadedAt: 1_000_000,
      ...overrides,
    });
    const empty = (): UploadCache => ({ entries: [] });

    it('reuses the URL of the same bytes for the same endpoint for 24 hours, not from then on', () => {
      assert.equal(UPLOAD_REUSE_MS, 24 * 60 * 60 * 1000);
      const cache = rememberUpload(empty(), entry());
      fc.assert(
        fc.property(fc.integer({ min: -1000, max: 2 * UPLOAD_REUSE_MS }), (age) => {
          const found = findReusable(cache, hash, SEGMIND, 1_000_000 + age, UPLOAD_REUSE_MS);
          if (age >= 0 && age < UPLOAD_REUSE_MS) assert.deepEqual(found, entry());
          else assert.equal(found, undefined, `age ${age}`);
        }),
      );
      assert.equal(findReusable(cache, sha256(JPEG), SEGMIND, 1_000_001, UPLOAD_REUSE_MS), undefined);
      assert.equal(findReusable(cache, hash, FAKE, 1_000_001, UPLOAD_REUSE_MS), undefined);
      assert.deepEqual(findReusable(cache, hash, SEGMIND, 1_000_010, 20), entry());
      assert.equal(findReusable(cache, hash, SEGMIND, 1_000_020, 20), undefined);
    });

    it('a new upload of the same bytes and endpoint replaces the old one; another endpoint is kept apart', () => {
      let cache = rememberUpload(empty(), entry());
      cache = rememberUpload(cache, entry({ url: 'https://storage.segmind.com/assets/b.png', uploadedAt: 2_000_000 }));
      cache = rememberUpload(cache, entry({ endpoint: FAKE, url: 'http://127.0.0.1:8787/assets/c.png' }));
      assert.deepEqual(
        cache.entries.map((each) => each.url),
        ['http://127.0.0.1:8787/assets/c.png', 'https://storage.segmind.com/assets/b.png'],
      );
      assert.equal(
        findReusable(cache, hash, SEGMIND, 2_000_001, UPLOAD_REUSE_MS)?.url,
        'https://storage.segmind.com/assets/b.png',
      );
      assert.deepEqual(
        forgetUpload(cache, 'https://storage.segmind.com/assets/b.png').entries.map((each) => each.url),
        ['http://127.0.0.1:8787/assets/c.png'],
      );
    });

    it(`keeps at most ${UPLOAD_CACHE_MAX} uploads, dropping the oldest`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 3 * UPLOAD_CACHE_MAX }),
          fc.integer({ min: 1, max: 50 }),
          (count, bound) => {
            let cache = empty();
            for (let index = 0; index < count; index++)
              cache = rememberUpload(
                cache,
                entry({ sha256: index.toString(16).padStart(64, '0'), uploadedAt: index }),
                bound,
              );
            assert.equal(cache.entries.length, Math.min(count, bound));
            assert.deepEqual(
              cache.entries.map((each) => each.uploadedAt),
              Array.from({ length: Math.min(count, bound) }, (_, index) => count - Math.min(count, bound) + index),
            );
          },
        ),
        { numRuns: 30 },
      );
      let cache = empty();
      for (let index = 0; index < UPLOAD_CACHE_MAX + 5; index++)
        cache = rememberUpload(cache, entry({ sha256: index.toString(16).padStart(64, '0'), uploadedAt: index }));
      assert.equal(cache.entries.length, UPLOAD_CACHE_MAX);
      assert.equal(cache.entries[0].uploadedAt, 5);
    });

    it('reads a stored cache back through JSON unchanged', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              sha256: fc.uint8Array({ minLength: 1, maxLength: 8 }).map(sha256),
              endpoint: fc.constantFrom(SEGMIND, FAKE),
              url: fc.webUrl({ validSchemes: ['https'] }),
              uploadedAt: fc.nat(),
            }),
            { maxLength: 20 },
          ),
          (entries) => {
            let cache = empty();
            for (const each of entries) cache = rememberUpload(cache, { ...each });
            assert.deepEqual(uploadCacheSchema.parse(JSON.parse(JSON.stringify(cache))), cache);
          },
        ),
      );
    });

    it('drops the entries that do not fit when reading, not the whole cache', () => {
      const good = entry();
      const other = entry({ endpoint: FAKE, url: 'http://127.0.0.1:8787/assets/x.png' });
      const stored = {
        entries: [
          good,
          { ...good, sha256: 'not-a-hash' },
          { ...good, sha256: good.sha256.toUpperCase() },
          { ...good, url: 'javascript:alert(1)' },
          { ...good, url: 42 },
          { ...good, endpoint: 'not a url' },
          { ...good, uploadedAt: -5 },
          { ...good, uploadedAt: 1.5 },
          { ...good, uploadedAt: '1000' },
          { sha256: good.sha256, url: good.url, uploadedAt: 5 },
          null,
          'text',
          [good],
          other,
        ],
      };
      assert.deepEqual(uploadCacheSchema.parse(stored).entries, [good, other]);
    });

    it('reads nothing stored or garbage as an empty cache', () => {
      for (const raw of [undefined, null, 'cache', 42, [], {}, { entries: 'x' }])
        assert.deepEqual(uploadCacheSchema.parse(raw), { entries: [] });
    });
  });
});
