// Tests of the fake Segmind's upload route and of the models that take an image, over real HTTP with global fetch.
import * as assert from 'node:assert/strict';
import * as jpeg from 'jpeg-js';
import { type FakeSegmind, fakeDescriptionOf, sizeForAspectRatio, startFakeSegmind } from '../fake-segmind/server';
import { readImageHeader, renderImage } from '../fake-segmind/image';

const KEY = 'test-key';

function postJson(fake: FakeSegmind, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const dataUrl = (type: string, bytes: Uint8Array): string =>
  `data:image/${type};base64,${Buffer.from(bytes).toString('base64')}`;

/** A lossless WebP's header (RIFF, VP8L, the 0x2f signature and the 14-bit sizes), enough for a size to be read. */
function webpHeader(width: number, height: number): Buffer {
  const chunk = Buffer.alloc(16);
  chunk[0] = 0x2f;
  chunk.writeUInt32LE(((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14), 1);
  const riff = Buffer.alloc(20);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(12 + chunk.length, 4);
  riff.write('WEBPVP8L', 8, 'latin1');
  riff.writeUInt32LE(chunk.length, 16);
  return Buffer.concat([riff, chunk]);
}

async function errorOf(response: Response): Promise<string> {
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  const json = (await response.json()) as { error?: unknown };
  assert.equal(typeof json.error, 'string');
  return json.error as string;
}

async function upload(fake: FakeSegmind, ...files: Array<[string, Uint8Array]>): Promise<string[]> {
  const response = await postJson(fake, '/upload-asset', {
    data_urls: files.map(([type, bytes]) => dataUrl(type, bytes)),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { urls: string[] }).urls;
}

/** Runs a body on v1 (image bytes) or v2 (submit, finish, read, download) and returns the picture's bytes. */
async function generate(fake: FakeSegmind, version: 'v1' | 'v2', model: string, body: unknown): Promise<Buffer> {
  const response = await postJson(fake, `/${version}/${model}`, body);
  assert.equal(response.status, 200, await response.clone().text());
  if (version === 'v1') return Buffer.from(await response.arrayBuffer());
  const { request_id: id } = (await response.json()) as { request_id: string };
  fake.completeJobs();
  const result = (await (await fetch(`${fake.url}/v2/requests/${id}`, { headers: { 'x-api-key': KEY } })).json()) as {
    output: string;
  };
  return Buffer.from(await (await fetch(result.output)).arrayBuffer());
}

function pixelSize(bytes: Buffer): [number, number] {
  const decoded = jpeg.decode(bytes);
  return [decoded.width, decoded.height];
}

describe('fake Segmind: upload-asset and the models that take an image', function () {
  this.timeout(20_000);
  let fake: FakeSegmind;
  const source = renderImage(4, 640, 352, 'jpeg', { scale: 1 });
  const png = renderImage(5, 64, 48, 'png', { scale: 1 });

  before(async () => {
    fake = await startFakeSegmind();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.forgetAssets();
  });

  describe('POST /upload-asset', () => {
    it('stores JPEG, PNG and WebP pictures and answers one public URL each, serving the same bytes', async () => {
      const webp = webpHeader(300, 200);
      const urls = await upload(fake, ['jpeg', source], ['png', png], ['webp', webp]);
      assert.equal(urls.length, 3);
      assert.deepEqual(
        urls.map((url) => /^http:\/\/127\.0\.0\.1:\d+\/assets\/[0-9a-f-]+\.(\w+)$/.exec(url)?.[1]),
        ['jpg', 'png', 'webp'],
      );
      assert.ok(urls.every((url) => url.startsWith(`${fake.url}/assets/`)));
      for (const [url, bytes, type] of [
        [urls[0], source, 'image/jpeg'],
        [urls[1], png, 'image/png'],
        [urls[2], webp, 'image/webp'],
      ] as const) {
        const response = await fetch(url);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), type);
        assert.ok(Buffer.from(await response.arrayBuffer()).equals(bytes));
      }
      assert.deepEqual(
        [...fake.assets.values()].map(({ format, width, height }) => [format, width, height]),
        [
          ['jpeg', 640, 352],
          ['png', 64, 48],
          ['webp', 300, 200],
        ],
      );
      assert.equal(fake.uploads.length, 1);
      assert.equal(fake.uploads[0].status, 200);
      assert.equal(fake.requests.length, 0, 'an upload is not a model request');
      assert.equal(fake.credits, 12.3456, 'an upload bills nothing');
    });

    it("answers the SDK's file_urls shape when switched, by configure() or /__control", async () => {
      fake.configure({ uploadResponseShape: 'file_urls' });
      let response = await postJson(fake, '/upload-asset', { data_urls: [dataUrl('png', png)] });
      let json = (await response.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(json).sort(), ['file_urls', 'message']);
      assert.equal(json.message, 'Files uploaded successfully');
      assert.equal((await fetch((json.file_urls as string[])[0])).status, 200);
      fake.reset();
      const control = await fetch(`${fake.url}/__control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ configure: { uploadResponseShape: 'file_urls' } }),
      });
      assert.equal(control.status, 200);
      response = await postJson(fake, '/upload-asset', { data_urls: [dataUrl('png', png)] });
      json = (await response.json()) as Record<string, unknown>;
      assert.ok(Array.isArray(json.file_urls));
      fake.reset();
      response = await postJson(fake, '/upload-asset', { data_urls: [dataUrl('png', png)] });
      assert.deepEqual(
        Object.keys((await response.json()) as object),
        ['urls'],
        'reset() restores the documented shape',
      );
      fake.configure({ uploadResponseShape: 'foreign-urls' });
      response = await postJson(fake, '/upload-asset', { data_urls: [dataUrl('png', png)] });
      const foreign = ((await response.json()) as { urls: string[] }).urls;
      assert.match(foreign[0], /^https:\/\/uploads\.example\.net\/assets\/[0-9a-f-]+\.png$/);
      assert.equal(fake.assets.size, 4, 'stored all the same');
    });

    it('401 without a key or with a key outside validKeys, like every other route', async () => {
      const body = { data_urls: [dataUrl('png', png)] };
      let response = await fetch(`${fake.url}/upload-asset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 401);
      assert.equal(await errorOf(response), 'Missing Authorization or x-api-key in header');
      fake.configure({ validKeys: ['good'] });
      response = await postJson(fake, '/upload-asset', body, { 'x-api-key': 'bad' });
      assert.equal(response.status, 401);
      assert.match(await errorOf(response), /invalid/);
      assert.equal((await postJson(fake, '/upload-asset', body, { 'x-api-key': 'good' })).status, 200);
      assert.equal(fake.assets.size, 1, 'nothing was stored for the refused uploads');
    });

    const refusals: Array<[string, unknown, RegExp]> = [
      ['an https URL instead of a data URL', { data_urls: ['https://example.com/a.png'] }, /data_urls\[0\]/],
      ['a GIF', { data_urls: [`data:image/gif;base64,${Buffer.from('GIF89a').toString('base64')}`] }, /data_urls\[0\]/],
      ['text', { data_urls: [`data:text/plain;base64,${Buffer.from('hello').toString('base64')}`] }, /data_urls\[0\]/],
      ['image/jpg (not a documented type)', { data_urls: [dataUrl('jpg', source)] }, /data_urls\[0\]/],
      ['bad base64', { data_urls: ['data:image/png;base64,@@not base64@@'] }, /data_urls\[0\] is not valid base64/],
      ['a JPEG labelled PNG', { data_urls: [dataUrl('png', png), dataUrl('png', source)] }, /data_urls\[1\].*a JPEG/],
      ['text labelled JPEG', { data_urls: [dataUrl('jpeg', Buffer.from('not a picture at all'))] }, /not a JPEG/],
      ['an empty list', { data_urls: [] }, /data_urls must be a non-empty array/],
      ['no data_urls', { files: [dataUrl('png', png)] }, /files/],
      ['a number in the list', { data_urls: [5] }, /data_urls\[0\] must be a string/],
    ];
    for (const [name, body, message] of refusals) {
      it(`400 for ${name}, naming the item, and stores nothing`, async () => {
        const response = await postJson(fake, '/upload-asset', body);
        assert.equal(response.status, 400);
        assert.match(await errorOf(response), message);
        assert.equal(fake.assets.size, 0);
      });
    }

    it('406 unless the body is declared JSON, 400 for a body that is not JSON', async () => {
      let response = await postJson(fake, '/upload-asset', { data_urls: [] }, { 'content-type': 'text/plain' });
      assert.equal(response.status, 406);
      response = await postJson(fake, '/upload-asset', '{"data_urls":');
      assert.equal(response.status, 400);
      assert.match(await errorOf(response), /JSON/);
    });

    it('413 for a body above uploadMaxBytes (set through /__control), which stores nothing', async () => {
      const body = { data_urls: [dataUrl('jpeg', source)] };
      const size = JSON.stringify(body).length;
      await fetch(`${fake.url}/__control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ configure: { uploadMaxBytes: size - 1 } }),
      });
      const response = await postJson(fake, '/upload-asset', body);
      assert.equal(response.status, 413);
      assert.match(await errorOf(response), new RegExp(`larger than ${size - 1} bytes`));
      assert.equal(fake.assets.size, 0);
      fake.configure({ uploadMaxBytes: size });
      assert.equal((await postJson(fake, '/upload-asset', body)).status, 200);
    });

    it('takes a 10 MB picture by default (a body larger than the model routes allow)', async () => {
      const big = renderImage(6, 512, 512, 'jpeg', { scale: 1, targetBytes: 10 * 1024 * 1024 });
      const [url] = await upload(fake, ['jpeg', big]);
      assert.equal(fake.assets.get(url)?.bytes.length, big.length);
    });

    it('failUploadsNext answers the next uploads with a status, then recovers', async () => {
      fake.failUploadsNext(503);
      const response = await postJson(fake, '/upload-asset', { data_urls: [dataUrl('png', png)] });
      assert.equal(response.status, 503);
      assert.equal(await errorOf(response), 'Service unavailable');
      assert.equal(fake.assets.size, 0);
      assert.equal((await upload(fake, ['png', png])).length, 1);
    });

    it('asset URLs are public: a request carrying x-api-key is refused, an unknown one is a 404', async () => {
      const [url] = await upload(fake, ['png', png]);
      assert.equal((await fetch(url, { headers: { 'x-api-key': KEY } })).status, 403);
      assert.equal((await fetch(`${fake.url}/assets/00000000-0000-0000-0000-000000000000.png`)).status, 404);
    });

    it('uploaded pictures outlive reset(); forgetAssets() expires them for the models too', async () => {
      const [url] = await upload(fake, ['jpeg', source]);
      fake.reset();
      assert.equal((await fetch(url)).status, 200);
      await fetch(`${fake.url}/__control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ forgetAssets: true }),
      });
      assert.equal((await fetch(url)).status, 404);
      const response = await postJson(fake, '/v1/ideogram-3-reframe', { image: url, resolution: '1024x1024' });
      assert.equal(response.status, 400);
      assert.match(await errorOf(response), /image is not the URL of an uploaded image/);
    });

    it('GET /__control/assets lists each stored picture with its size and hash', async () => {
      await upload(fake, ['jpeg', source]);
      const listed = (await (await fetch(`${fake.url}/__control/assets`)).json()) as Array<Record<string, unknown>>;
      assert.equal(listed.length, 1);
      assert.deepEqual(
        { ...listed[0], url: undefined, uploadedAt: undefined, sha256: (listed[0].sha256 as string).length },
        {
          url: undefined,
          uploadedAt: undefined,
          contentType: 'image/jpeg',
          format: 'jpeg',
          width: 640,
          height: 352,
          size: source.length,
          sha256: 64,
        },
      );
    });
  });

  describe('the models that take an image', () => {
    let image: string;
    let other: string;
    beforeEach(async () => {
      [image, other] = await upload(fake, ['jpeg', source], ['png', png]);
    });

    const goodBodies = (url: string, second: string): Array<[string, Record<string, unknown>]> => [
      [
        'ideogram-img-2-img',
        {
          image_file: url,
          prompt: 'a lighthouse at dusk',
          image_weight: 70,
          resolution: 'RESOLUTION_1280_720',
          magic_prompt_option: 'OFF',
          negative_prompt: 'blur',
          style_type: 'DESIGN',
          seed: 12,
          color_palette: { name: 'EMBER' },
        },
      ],
      [
        'ideogram-3-remix',
        {
          image: url,
          prompt: 'the same, in winter',
          image_weight: 1,
          aspect_ratio: '16x9',
          rendering_speed: 'TURBO',
          magic_prompt: 'AUTO',
          negative_prompt: 'text',
          style_type: 'REALISTIC',
          color_palette: { members: [{ color_hex: '#336699' }] },
          seed: 100,
        },
      ],
      [
        'ideogram-3-remix',
        {
          image: url,
          prompt: 'styled',
          image_weight: 100,
          resolution: '1024x1024',
          style_codes: ['0a1B2c3D'],
          seed: 999999,
        },
      ],
      ['ideogram-3-remix', { image: url, prompt: 'with a style reference', style_reference_images: [second] }],
      [
        'ideogram-3-reframe',
        {
          image: url,
          resolution: '1280x704',
          rendering_speed: 'QUALITY',
          seed: 4242,
          style_codes: ['DEADBEEF'],
          color_palette: { name: 'PASTEL' },
        },
      ],
      [
        'ideogram-3-replace-background',
        {
          image: url,
          prompt: 'a sunny beach',
          magic_prompt: 'OFF',
          rendering_speed: 'DEFAULT',
          seed: 555,
          color_palette: { name: 'FRESH' },
          style_reference_images: [second],
        },
      ],
      [
        'ideogram-character',
        {
          character_reference_image: url,
          prompt: 'the mascot on a bike',
          aspect_ratio: '9:16',
          magic_prompt_option: 'Off',
          rendering_speed: 'Quality',
          style_type: 'Fiction',
          seed: 7,
        },
      ],
      [
        'ideogram-character',
        { character_reference_image: url, prompt: 'inpainted', image: second, mask: second, resolution: '512x1536' },
      ],
    ];

    it('every model takes its documented fields, exact casing, on v1 and v2', async () => {
      for (const [model, body] of goodBodies(image, other)) {
        for (const version of ['v1', 'v2'] as const) {
          const bytes = await generate(fake, version, model, body);
          assert.ok(pixelSize(bytes)[0] > 0, `${version} ${model} returned a JPEG`);
        }
      }
    });

    const refusals = (url: string): Array<[string, Record<string, unknown>, RegExp]> => [
      // The wrong image field name is a missing required field and an unknown one.
      ['ideogram-img-2-img', { image: url, prompt: 'x' }, /image_file is required.*|Unknown field.*image\b/],
      ['ideogram-img-2-img', { image_file: url, prompt: 'x', image_weight: 0 }, /image_weight/],
      ['ideogram-img-2-img', { image_file: url, prompt: 'x', resolution: '1024x1024' }, /resolution/],
      ['ideogram-img-2-img', { image_file: url, prompt: 'x', rendering_speed: 'TURBO' }, /rendering_speed/],
      ['ideogram-3-remix', { image_file: url, prompt: 'x' }, /image is required/],
      ['ideogram-3-remix', { image: url }, /prompt is required/],
      ['ideogram-3-remix', { image: url, prompt: 'x', image_weight: 101 }, /image_weight/],
      ['ideogram-3-remix', { image: url, prompt: 'x', resolution: 'RESOLUTION_1024_1024' }, /resolution/],
      ['ideogram-3-remix', { image: url, prompt: 'x', aspect_ratio: '16:9' }, /aspect_ratio/],
      [
        'ideogram-3-remix',
        { image: url, prompt: 'x', aspect_ratio: '16x9', resolution: '1024x1024' },
        /resolution and aspect_ratio cannot be sent together/,
      ],
      ['ideogram-3-remix', { image: url, prompt: 'x', rendering_speed: 'Turbo' }, /rendering_speed/],
      ['ideogram-3-remix', { image: url, prompt: 'x', magic_prompt_option: 'ON' }, /magic_prompt_option/],
      ['ideogram-3-remix', { image: url, prompt: 'x', style_codes: [] }, /style_codes must be a non-empty array/],
      ['ideogram-3-remix', { image: url, prompt: 'x', style_codes: ['Modern'] }, /style_codes\[0\]/],
      [
        'ideogram-3-remix',
        { image: url, prompt: 'x', style_codes: ['01234567'], style_type: 'GENERAL' },
        /style_codes and style_type/,
      ],
      ['ideogram-3-remix', { image: url, prompt: 'x', seed: 99 }, /seed/],
      ['ideogram-3-reframe', { image: url }, /resolution is required/],
      ['ideogram-3-reframe', { image: url, resolution: '1280x720' }, /resolution/],
      ['ideogram-3-reframe', { image: url, resolution: '1024x1024', prompt: 'x' }, /Unknown field.*prompt/],
      ['ideogram-3-reframe', { image: url, resolution: '1024x1024', style_type: 'GENERAL' }, /style_type/],
      ['ideogram-3-reframe', { image: url, resolution: '1024x1024', aspect_ratio: '1x1' }, /aspect_ratio/],
      ['ideogram-3-replace-background', { image: url }, /prompt is required/],
      ['ideogram-3-replace-background', { image: url, prompt: 'x', resolution: '1024x1024' }, /resolution/],
      ['ideogram-3-replace-background', { image: url, prompt: 'x', negative_prompt: 'y' }, /negative_prompt/],
      ['ideogram-3-replace-background', { image: url, prompt: 'x', seed: 1000000 }, /seed/],
      ['ideogram-character', { image: url, prompt: 'x' }, /character_reference_image is required/],
      [
        'ideogram-character',
        { character_reference_image: url, prompt: 'x', magic_prompt_option: 'OFF' },
        /magic_prompt_option/,
      ],
      [
        'ideogram-character',
        { character_reference_image: url, prompt: 'x', rendering_speed: 'QUALITY' },
        /rendering_speed/,
      ],
      ['ideogram-character', { character_reference_image: url, prompt: 'x', style_type: 'REALISTIC' }, /style_type/],
      ['ideogram-character', { character_reference_image: url, prompt: 'x', aspect_ratio: '16x9' }, /aspect_ratio/],
      [
        'ideogram-character',
        { character_reference_image: url, prompt: 'x', image: url },
        /image and mask come together/,
      ],
      [
        'ideogram-character',
        { character_reference_image: url, prompt: 'x', mask: url },
        /image and mask come together/,
      ],
      ['ideogram-describe', { image_file: url, prompt: 'x' }, /Unknown field.*prompt/],
      ['ideogram-describe', { image: url }, /image_file is required/],
    ];

    it('refuses a field, a value or a casing the model does not take (400, naming the field), on v1 and v2', async () => {
      for (const [model, body, message] of refusals(image)) {
        for (const version of ['v1', 'v2']) {
          const response = await postJson(fake, `/${version}/${model}`, body);
          assert.equal(response.status, 400, `${version} ${model} ${JSON.stringify(body)}`);
          assert.match(await errorOf(response), message);
        }
      }
      assert.equal(fake.credits, 12.3456, 'nothing refused was billed');
    });

    const imageFields: Array<[string, string, Record<string, unknown>]> = [
      ['ideogram-img-2-img', 'image_file', { prompt: 'x' }],
      ['ideogram-3-remix', 'image', { prompt: 'x' }],
      ['ideogram-3-reframe', 'image', { resolution: '1024x1024' }],
      ['ideogram-3-replace-background', 'image', { prompt: 'x' }],
      ['ideogram-character', 'character_reference_image', { prompt: 'x' }],
      ['ideogram-describe', 'image_file', {}],
    ];
    for (const [model, field, rest] of imageFields) {
      it(`${model}: ${field} must be a URL this fake issued (no path, no data: URL, no stranger, not missing)`, async () => {
        const bad: Array<[unknown, RegExp]> = [
          [undefined, new RegExp(`${field} is required`)],
          [
            '/home/writer/banner.jpg',
            new RegExp(`${field} must be an https URL of an uploaded image, not a local path`),
          ],
          [
            'C:\\Users\\writer\\banner.jpg',
            new RegExp(`${field} must be an https URL of an uploaded image, not a local`),
          ],
          [
            'file:///home/writer/banner.jpg',
            new RegExp(`${field} must be an https URL of an uploaded image, not a local`),
          ],
          [dataUrl('jpeg', source), new RegExp(`${field} must be an https URL .* not a data: URL`)],
          ['https://storage.segmind.com/assets/never-issued.png', new RegExp(`${field} is not the URL of an uploaded`)],
          [`${fake.url}/assets/never-issued.png`, new RegExp(`${field} is not the URL of an uploaded image`)],
          ['http://example.com/a.png', new RegExp(`${field} must be an https URL`)],
          [42, new RegExp(`${field} must be an image URL string`)],
        ];
        for (const [value, message] of bad) {
          for (const version of ['v1', 'v2']) {
            const response = await postJson(fake, `/${version}/${model}`, { ...rest, [field]: value });
            assert.equal(response.status, 400, `${version} ${JSON.stringify(value)}`);
            assert.match(await errorOf(response), message);
          }
        }
      });
    }

    it('style_reference_images and character image/mask are checked the same way', async () => {
      let response = await postJson(fake, '/v1/ideogram-3-remix', {
        image,
        prompt: 'x',
        style_reference_images: [other, 'https://example.com/style.png'],
      });
      assert.equal(response.status, 400);
      assert.match(await errorOf(response), /style_reference_images\[1\] is not the URL of an uploaded image/);
      response = await postJson(fake, '/v1/ideogram-character', {
        character_reference_image: image,
        prompt: 'x',
        image,
        mask: dataUrl('png', png),
      });
      assert.equal(response.status, 400);
      assert.match(await errorOf(response), /mask must be an https URL .* not a data: URL/);
    });

    describe('the picture has the size the request asks for', () => {
      beforeEach(() => fake.configure({ imageScale: 1 }));
      const cases = (url: string): Array<[string, Record<string, unknown>, [number, number]]> => [
        ['ideogram-3-reframe', { image: url, resolution: '1280x704' }, [1280, 704]],
        ['ideogram-3-reframe', { image: url, resolution: '576x1408' }, [576, 1408]],
        ['ideogram-3-remix', { image: url, prompt: 'x', resolution: '1152x864' }, [1152, 864]],
        ['ideogram-3-remix', { image: url, prompt: 'x', aspect_ratio: '16x9' }, [1312, 736]],
        ['ideogram-3-remix', { image: url, prompt: 'x' }, [1024, 1024]],
        ['ideogram-img-2-img', { image_file: url, prompt: 'x', resolution: 'RESOLUTION_1280_720' }, [1280, 720]],
        ['ideogram-3-replace-background', { image: url, prompt: 'x' }, [640, 352]],
        ['ideogram-character', { character_reference_image: url, prompt: 'x', aspect_ratio: '9:16' }, [736, 1312]],
        ['ideogram-character', { character_reference_image: url, prompt: 'x', resolution: '1536x640' }, [1536, 640]],
        ['ideogram-character', { character_reference_image: url, prompt: 'x' }, [1024, 1024]],
      ];
      it('in pixels, on v1 and v2', async () => {
        for (const [model, body, size] of cases(image)) {
          assert.deepEqual(pixelSize(await generate(fake, 'v1', model, body)), size, `v1 ${model}`);
        }
        // The async route reads the same size rule: two models are enough to show it is not v1's alone.
        for (const [model, body, size] of [cases(image)[0], cases(image)[6]]) {
          assert.deepEqual(pixelSize(await generate(fake, 'v2', model, body)), size, `v2 ${model}`);
        }
      });

      it('with the default imageScale, a quarter of each side: the shape is kept', async () => {
        fake.configure({ imageScale: 0.25 });
        const bytes = await generate(fake, 'v1', 'ideogram-3-reframe', { image, resolution: '1280x704' });
        assert.deepEqual(pixelSize(bytes), [320, 176]);
      });

      it('an aspect ratio maps to the 3.0 size of that exact shape where there is one', () => {
        for (const [ratio, size] of [
          ['1x1', [1024, 1024]],
          ['3x1', [1536, 512]],
          ['1:3', [512, 1536]],
          ['2x1', [1408, 704]],
          ['4x3', [1152, 864]],
          ['3:2', [1248, 832]],
          ['16x10', [1280, 800]],
          ['4x5', [896, 1120]],
          ['5:4', [1120, 896]],
        ] as const) {
          const [width, height] = sizeForAspectRatio(ratio);
          assert.deepEqual([width, height], size, ratio);
          const [across, down] = ratio.split(/[x:]/).map(Number);
          assert.equal(width * down, height * across, `${ratio} is exact`);
        }
      });
    });

    describe('ideogram-describe', () => {
      it('v1 answers JSON with the description of the uploaded picture, derived from its bytes', async () => {
        const response = await postJson(fake, '/v1/ideogram-describe', { image_file: image });
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /application\/json/);
        const json = (await response.json()) as { descriptions: Array<{ text: string }> };
        assert.deepEqual(json, { descriptions: [{ text: fakeDescriptionOf(source) }] });
        assert.match(json.descriptions[0].text, /^A 640x352 JPEG picture, fake description [0-9a-f]{12}$/);
        assert.equal(fake.credits, 12.2456, 'billed like a generation');
      });

      it("v2's output is that JSON serialised as a string; another picture, another text", async () => {
        const texts: string[] = [];
        for (const url of [image, other]) {
          const submitted = await postJson(fake, '/v2/ideogram-describe', { image_file: url });
          const { request_id: id } = (await submitted.json()) as { request_id: string };
          fake.completeJobs();
          const result = (await (
            await fetch(`${fake.url}/v2/requests/${id}`, { headers: { 'x-api-key': KEY } })
          ).json()) as { status: string; output: unknown; images?: unknown };
          assert.equal(result.status, 'COMPLETED');
          assert.equal(typeof result.output, 'string');
          assert.equal(result.images, undefined);
          texts.push(
            (JSON.parse(result.output as string) as { descriptions: Array<{ text: string }> }).descriptions[0].text,
          );
        }
        assert.deepEqual(texts, [fakeDescriptionOf(source), fakeDescriptionOf(png)]);
        assert.match(texts[1], /^A 64x48 PNG picture/);
      });
    });
  });

  describe('readImageHeader', () => {
    it('reads the size of the pictures the fake makes and of a WebP header; not of other bytes', () => {
      assert.deepEqual(readImageHeader(renderImage(1, 1280, 704, 'jpeg', { scale: 1 })), {
        format: 'jpeg',
        width: 1280,
        height: 704,
      });
      assert.deepEqual(readImageHeader(renderImage(1, 1280, 704, 'png', { scale: 0.25, targetBytes: 50_000 })), {
        format: 'png',
        width: 320,
        height: 176,
      });
      assert.deepEqual(readImageHeader(webpHeader(16383, 2)), { format: 'webp', width: 16383, height: 2 });
      assert.equal(readImageHeader(Buffer.from('GIF89a......')), undefined);
      assert.equal(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xd9])), undefined);
    });
  });
});
