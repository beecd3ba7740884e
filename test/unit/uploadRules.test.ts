// Where a picture is uploaded, how the answer is read and when an upload is used again (src/core/imageUpload.ts).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import {
  findReusable,
  forgetUpload,
  readUploadResponse,
  rememberUpload,
  SEGMIND_UPLOAD_ROUTE,
  toDataUrl,
  UPLOAD_CACHE_MAX,
  UPLOAD_REUSE_MS,
  uploadCacheSchema,
  uploadRoute,
} from '../../src/core/imageUpload';

const SEGMIND = 'https://api.segmind.com/v1/ideogram-3';
const FAKE = 'http://127.0.0.1:4567/v1/ideogram-txt-2-img';
const HASH = 'a'.repeat(64);

describe('uploads: where they go and what is read back', () => {
  it("goes to Segmind Storage for Segmind's API, else to the endpoint's own origin (the key goes nowhere else)", () => {
    assert.equal(uploadRoute(SEGMIND), SEGMIND_UPLOAD_ROUTE);
    assert.equal(uploadRoute(FAKE), 'http://127.0.0.1:4567/upload-asset');
    assert.equal(uploadRoute('https://proxy.example.com/ai/v1/ideogram-3'), 'https://proxy.example.com/upload-asset');
    // A host that only ends like Segmind's is not Segmind.
    assert.equal(uploadRoute('https://evilsegmind.com/v1/x'), 'https://evilsegmind.com/upload-asset');
  });

  it('sends the bytes as a data URL of their type', () => {
    assert.equal(toDataUrl(Uint8Array.of(1, 2, 3), 'png'), 'data:image/png;base64,AQID');
    assert.equal(toDataUrl(Uint8Array.of(255), 'webp'), 'data:image/webp;base64,/w==');
  });

  it('reads urls (the docs) or file_urls (the SDK), https on Segmind hosts, as many as sent', () => {
    const url = 'https://storage.segmind.com/assets/x.png';
    assert.deepEqual(readUploadResponse({ urls: [url] }, 1, SEGMIND), { ok: true, urls: [url] });
    assert.deepEqual(readUploadResponse({ file_urls: [url], message: 'ok' }, 1, SEGMIND), { ok: true, urls: [url] });
    assert.deepEqual(readUploadResponse({ urls: [] }, 1, SEGMIND), { ok: false, problem: 'no-urls' });
    assert.deepEqual(readUploadResponse({}, 1, SEGMIND), { ok: false, problem: 'no-urls' });
    assert.deepEqual(readUploadResponse('nope', 1, SEGMIND), { ok: false, problem: 'no-urls' });
    assert.deepEqual(readUploadResponse({ urls: [url, url] }, 1, SEGMIND), { ok: false, problem: 'wrong-count' });
    for (const foreign of [
      'http://storage.segmind.com/assets/x.png',
      'https://attacker.example/x.png',
      'https://segmind.com.attacker.example/x.png',
      'not a url',
      42,
      'http://127.0.0.1:4567/assets/x.png', // the test server's own URL is not Segmind's
    ])
      assert.deepEqual(
        readUploadResponse({ urls: [foreign] }, 1, SEGMIND),
        { ok: false, problem: 'foreign-url' },
        String(foreign),
      );
  });

  it("with a proxy or the test server, its own origin's URLs are taken too", () => {
    const own = 'http://127.0.0.1:4567/assets/x.png';
    assert.deepEqual(readUploadResponse({ urls: [own] }, 1, FAKE), { ok: true, urls: [own] });
    assert.equal(readUploadResponse({ urls: ['http://127.0.0.1:9999/assets/x.png'] }, 1, FAKE).ok, false);
  });
});

describe('uploads: used again for the same bytes while they live', () => {
  const entry = (at: number, over: Partial<{ sha256: string; endpoint: string; url: string }> = {}) => ({
    sha256: HASH,
    endpoint: SEGMIND,
    url: `https://storage.segmind.com/assets/${at}.png`,
    uploadedAt: at,
    ...over,
  });

  it('the newest live upload of the same bytes and endpoint; none after a day, none for another endpoint', () => {
    const cache = { entries: [entry(1000), entry(5000)] };
    assert.equal(findReusable(cache, HASH, SEGMIND, 6000, UPLOAD_REUSE_MS)?.uploadedAt, 5000);
    assert.equal(findReusable(cache, HASH, SEGMIND, 5000 + UPLOAD_REUSE_MS, UPLOAD_REUSE_MS), undefined);
    assert.equal(findReusable(cache, HASH, FAKE, 6000, UPLOAD_REUSE_MS), undefined);
    assert.equal(findReusable(cache, 'b'.repeat(64), SEGMIND, 6000, UPLOAD_REUSE_MS), undefined);
    // A clock set back does not make a future entry live.
    assert.equal(findReusable({ entries: [entry(9000)] }, HASH, SEGMIND, 6000, UPLOAD_REUSE_MS), undefined);
  });

  it('remembers one entry per bytes and endpoint, at most UPLOAD_CACHE_MAX, the oldest forgotten', () => {
    let cache = { entries: [] as ReturnType<typeof entry>[] };
    cache = rememberUpload(cache, entry(1));
    cache = rememberUpload(cache, entry(2));
    assert.equal(cache.entries.length, 1);
    for (let i = 0; i < UPLOAD_CACHE_MAX + 20; i++)
      cache = rememberUpload(cache, entry(10 + i, { sha256: i.toString(16).padStart(64, '0') }));
    assert.equal(cache.entries.length, UPLOAD_CACHE_MAX);
    assert.equal(cache.entries[0].uploadedAt, 30, 'the oldest went first');
    const url = cache.entries[5].url;
    assert.ok(!forgetUpload(cache, url).entries.some((each) => each.url === url));
  });

  it('property: whatever is stored, reading keeps exactly the well-formed entries', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(entry(7)), fc.anything())), (items) => {
        const read = uploadCacheSchema.parse({ entries: items });
        const wellFormed = items.filter((item) => JSON.stringify(item) === JSON.stringify(entry(7)));
        assert.equal(read.entries.length, wellFormed.length);
      }),
    );
    assert.deepEqual(uploadCacheSchema.parse(undefined), { entries: [] });
    assert.deepEqual(uploadCacheSchema.parse('garbage'), { entries: [] });
  });
});
