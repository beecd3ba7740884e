// What a malicious or broken API answer can do with an image link, a base64 image or an echoed key
// (src/core/download.ts, src/core/redact.ts, and the client that uses them). Plain Node.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import fc from 'fast-check';
import { generateImage } from '../../src/core/client';
import { decodeBase64, downloadImageUrl, isLocalNetworkHost, MAX_IMAGE_REDIRECTS } from '../../src/core/download';
import { IdeogramError } from '../../src/core/errors';
import { secretRedactor } from '../../src/core/redact';

const API_KEY = 'sk-SECRET-4f9a2c7e81b3d6KEY';
const REMOTE_ENDPOINT = 'https://api.segmind.example/v1/ideogram-txt-2-img';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 2, 3, 4, 5]);

type Route = (request: { url: URL; init: RequestInit }) => Response;

/**
 * A fetch that serves `routes` by URL and behaves like Node's on redirects: with `redirect: 'manual'` the 3xx is
 * returned, otherwise (the default, 'follow') it is followed inside fetch, as the old client let it be.
 */
function routedFetch(
  routes: Record<string, Route>,
  calls: Array<{ url: string; headers: Record<string, string> }>,
): typeof fetch {
  const serve = (url: URL, init: RequestInit, hops: number): Response => {
    calls.push({ url: url.href, headers: Object.fromEntries(new Headers(init.headers).entries()) });
    const route = routes[url.href];
    if (!route)
      throw Object.assign(new TypeError('fetch failed'), {
        cause: { code: 'ENOTFOUND', message: `no route ${url.href}` },
      });
    const response = route({ url, init });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location && (init.redirect ?? 'follow') === 'follow') {
      if (hops >= 20) throw new TypeError('redirect count exceeded');
      return serve(new URL(location, url), init, hops + 1);
    }
    return response;
  };
  return async (input, init = {}) => serve(new URL(String(input instanceof Request ? input.url : input)), init, 0);
}

const redirect =
  (location: string, status = 302): Route =>
  () =>
    new Response(null, { status, headers: { location } });
const image =
  (bytes: Uint8Array = JPEG): Route =>
  () =>
    new Response(new Uint8Array(bytes), { headers: { 'content-type': 'image/jpeg' } });
const jsonAnswer =
  (body: unknown): Route =>
  () =>
    new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

async function rejection(call: Promise<unknown>): Promise<IdeogramError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof IdeogramError, `expected an IdeogramError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('image links in an API answer: every hop checked', () => {
  /** The API answers with a link; the test says where the link leads. */
  async function generateVia(link: string, routes: Record<string, Route>, endpoint = REMOTE_ENDPOINT) {
    const calls: Array<{ url: string; headers: Record<string, string> }> = [];
    const all = { [endpoint]: jsonAnswer({ output: link }), ...routes };
    const call = generateImage(
      { prompt: 'a lighthouse' },
      { endpoint, apiKey: API_KEY, fetch: routedFetch(all, calls) },
    );
    return { call, calls };
  }

  it('an https link that redirects to plain http is not followed, and nothing is fetched over http', async () => {
    const { call, calls } = await generateVia('https://cdn.example.com/a.jpg', {
      'https://cdn.example.com/a.jpg': redirect('http://cdn.example.com/a.jpg'),
      'http://cdn.example.com/a.jpg': image(),
    });
    const error = await rejection(call);
    assert.equal(error.kind, 'bad-response');
    assert.equal(error.mayHaveBeenBilled, true);
    assert.equal(error.reason, 'link-not-https');
    assert.equal(error.facts.protocol, 'http:');
    assert.equal(error.facts.redirected, true);
    assert.deepEqual(
      calls.map((c) => c.url),
      [REMOTE_ENDPOINT, 'https://cdn.example.com/a.jpg'],
    );
  });

  it('a remote API cannot aim the download at this computer or its network, directly or by a redirect', async () => {
    for (const target of [
      'https://127.0.0.1/x.jpg',
      'https://localhost:8443/x.jpg',
      'https://[::1]/x.jpg',
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.5/x.jpg',
      'https://192.168.1.1/x.jpg',
      'http://127.0.0.1/x.jpg',
      'https://[::ffff:127.0.0.1]/x.jpg',
    ]) {
      const direct = await generateVia(target, { [new URL(target).href]: image() });
      const error = await rejection(direct.call);
      assert.equal(error.kind, 'bad-response', target);
      assert.equal(direct.calls.length, 1, `${target}: only the API call, no download`);
      const redirected = await generateVia('https://cdn.example.com/a.jpg', {
        'https://cdn.example.com/a.jpg': redirect(target),
        [new URL(target).href]: image(),
      });
      await rejection(redirected.call);
      assert.deepEqual(
        redirected.calls.map((c) => c.url),
        [REMOTE_ENDPOINT, 'https://cdn.example.com/a.jpg'],
        `${target}: the redirect target is never fetched`,
      );
    }
  });

  it('follows a short chain of https redirects (relative ones too) and returns the bytes, never sending the key', async () => {
    const { call, calls } = await generateVia('https://cdn.example.com/a.jpg', {
      'https://cdn.example.com/a.jpg': redirect('https://images.example.net/b.jpg', 301),
      'https://images.example.net/b.jpg': redirect('/c.jpg', 307),
      'https://images.example.net/c.jpg': image(),
    });
    const result = await call;
    assert.deepEqual([...result.bytes], [...JPEG]);
    assert.equal(result.delivery, 'json-url');
    assert.equal(calls.length, 4);
    assert.equal(calls[0]?.headers['x-api-key'], API_KEY, 'the key goes to the endpoint');
    for (const download of calls.slice(1)) {
      assert.equal(download.headers['x-api-key'], undefined, `no key to ${download.url}`);
      assert.equal(download.headers.authorization, undefined, `no authorization to ${download.url}`);
    }
  });

  it(`gives up after ${MAX_IMAGE_REDIRECTS} redirects, and on a redirect without a target`, async () => {
    const routes: Record<string, Route> = {};
    for (let hop = 0; hop <= MAX_IMAGE_REDIRECTS + 1; hop++)
      routes[`https://cdn.example.com/${hop}`] = redirect(`https://cdn.example.com/${hop + 1}`);
    const loop = await generateVia('https://cdn.example.com/0', routes);
    assert.equal((await rejection(loop.call)).reason, 'too-many-redirects');
    assert.equal(loop.calls.length, 1 + MAX_IMAGE_REDIRECTS + 1);
    const empty = await generateVia('https://cdn.example.com/a', {
      'https://cdn.example.com/a': () => new Response(null, { status: 302 }),
    });
    assert.equal((await rejection(empty.call)).reason, 'link-no-target');
  });

  it('a link with a user name or password, or that is not a URL, is refused', async () => {
    for (const link of [
      'https://user:pass@cdn.example.com/a.jpg',
      'not a url',
      'ftp://cdn.example.com/a.jpg',
      'file:///etc/passwd',
    ]) {
      const { call, calls } = await generateVia(link, {});
      assert.equal((await rejection(call)).kind, 'bad-response', link);
      assert.equal(calls.length, 1, link);
    }
  });

  it('the size cap and the byte sniffing hold after a redirect', async () => {
    const big = new Uint8Array(2048).fill(7);
    big.set(JPEG);
    const routes = {
      'https://cdn.example.com/a': redirect('https://cdn.example.com/b'),
      'https://cdn.example.com/b': image(big),
      'https://cdn.example.com/t': redirect('https://cdn.example.com/text'),
      'https://cdn.example.com/text': () =>
        new Response('<html>no</html>', { headers: { 'content-type': 'image/jpeg' } }),
    };
    const calls: Array<{ url: string; headers: Record<string, string> }> = [];
    const fetchStub = routedFetch(routes, calls);
    const tooBig = await rejection(
      downloadImageUrl('https://cdn.example.com/a', { endpoint: REMOTE_ENDPOINT, fetch: fetchStub, maxBytes: 1024 }),
    );
    assert.equal(tooBig.kind, 'too-large');
    const notImage = await rejection(
      downloadImageUrl('https://cdn.example.com/t', { endpoint: REMOTE_ENDPOINT, fetch: fetchStub }),
    );
    assert.equal(notImage.reason, 'not-an-image');
  });

  it('with a loopback endpoint (a local test server), plain http redirects on loopback are followed by the real fetch', async () => {
    const server = http.createServer((request, response) => {
      if (request.url === '/a') response.writeHead(302, { location: '/b' }).end();
      else if (request.url === '/b')
        response
          .writeHead(302, { location: `http://localhost:${(server.address() as { port: number }).port}/c` })
          .end();
      else if (request.url === '/c') response.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from(JPEG));
      else if (request.url === '/out') response.writeHead(302, { location: 'http://cdn.example.com/a.jpg' }).end();
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const lines: string[] = [];
      const result = await downloadImageUrl(`${base}/a`, {
        endpoint: `${base}/v1/x`,
        log: (_level, line) => lines.push(line),
      });
      assert.deepEqual([...result.bytes], [...JPEG]);
      assert.equal(result.url.pathname, '/c');
      assert.equal(lines.filter((line) => line.startsWith('Redirected')).length, 2, lines.join('\n'));
      const error = await rejection(downloadImageUrl(`${base}/out`, { endpoint: `${base}/v1/x` }));
      assert.equal(error.reason, 'link-not-https', 'plain http only to loopback, even for a local endpoint');
      assert.equal(error.facts.protocol, 'http:');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('isLocalNetworkHost knows loopback, private, link-local and mapped addresses, and leaves public hosts alone', () => {
    for (const host of [
      'localhost',
      'LOCALHOST.',
      'api.localhost',
      '127.1.2.3',
      '[::1]',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
      '[fd00::1]',
      '[fe80::1]',
      '[::ffff:7f00:1]',
      '[::]',
    ]) {
      assert.ok(isLocalNetworkHost(host), host);
    }
    for (const host of [
      'api.segmind.com',
      '8.8.8.8',
      '172.32.0.1',
      '192.169.0.1',
      '[2001:db8::1]',
      'localhost.example.com',
      'fc.example.com',
    ]) {
      assert.ok(!isLocalNetworkHost(host), host);
    }
  });
});

describe('base64 images', () => {
  it('decodes what Buffer encodes, with line breaks, a data: prefix or the URL-safe alphabet', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(80),
        fc.constantFrom('plain', 'wrapped', 'data', 'url'),
        (bytes, width, style) => {
          let text = Buffer.from(bytes).toString('base64');
          if (style === 'wrapped' && width > 0) text = text.replace(new RegExp(`(.{${width}})`, 'g'), '$1\r\n');
          if (style === 'data') text = `data:image/png;base64,${text}`;
          if (style === 'url') text = text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
          assert.deepEqual([...(decodeBase64(text) ?? [-1])], [...bytes]);
        },
      ),
    );
  });

  it('refuses what is not base64', () => {
    for (const text of ['!!! not base64 ***', 'abc=d', 'a', 'QUJD===', 'data:image/png;base64', 'QUJ€'])
      assert.equal(decodeBase64(text), undefined, text);
  });

  it('a 30 MB image decodes without making strings as large as itself (the old way cost ~230 MB)', function () {
    this.timeout(30_000);
    v8.setFlagsFromString('--expose-gc');
    const collectGarbage = vm.runInNewContext('gc') as () => void;
    const size = 30 * 1024 * 1024;
    const bytes = new Uint8Array(size);
    for (let index = 0; index < size; index += 4096) bytes[index] = index & 0xff;
    const text = `data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}`;
    assert.ok(text.charCodeAt(text.length - 1) > 0); // flattened now, not inside the measurement
    collectGarbage();
    const before = process.memoryUsage();
    const decoded = decodeBase64(text);
    const after = process.memoryUsage();
    assert.ok(decoded && decoded.length === size);
    // What was allocated and not yet collected: the 30 MB result (an ArrayBuffer, outside the JS heap) and
    // nothing else of this size. atob + replace made a 30 MB and two 40 MB strings on the heap.
    const heapGrowth = after.heapUsed - before.heapUsed;
    assert.ok(
      heapGrowth < 10 * 1024 * 1024,
      `the JS heap grew by ${Math.round(heapGrowth / 1024 / 1024)} MB while decoding`,
    );
    assert.ok(Buffer.from(decoded).equals(Buffer.from(bytes)));
  });

  it('a JSON answer with a base64 image still gives the exact bytes', async () => {
    const fetchStub = routedFetch(
      { [REMOTE_ENDPOINT]: jsonAnswer({ image: Buffer.from(JPEG).toString('base64') }) },
      [],
    );
    const result = await generateImage(
      { prompt: 'x' },
      { endpoint: REMOTE_ENDPOINT, apiKey: API_KEY, fetch: fetchStub },
    );
    assert.deepEqual([...result.bytes], [...JPEG]);
    assert.equal(result.delivery, 'json-base64');
  });
});

describe('the key in its encoded forms', () => {
  const encodings: Record<string, (text: string) => string> = {
    base64: (text) => Buffer.from(text).toString('base64'),
    base64url: (text) => Buffer.from(text).toString('base64url'),
    hex: (text) => Buffer.from(text).toString('hex'),
    HEX: (text) => Buffer.from(text).toString('hex').toUpperCase(),
    uri: (text) => encodeURIComponent(text),
    json: (text) => JSON.stringify(text),
  };

  it('is redacted wherever it sits in an encoded message (any base64 alignment)', () => {
    const secret = fc.stringMatching(/^[\x21-\x7e]{8,64}$/);
    fc.assert(
      fc.property(
        secret,
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        fc.constantFrom(...Object.keys(encodings)),
        (key, before, after, encoding) => {
          const encoded = encodings[encoding]!(`${before}${key}${after}`);
          const redacted = secretRedactor(key)(`Invalid credentials: ${encoded}`);
          assert.ok(redacted.includes('[redacted]'), `${encoding}: ${redacted}`);
          const decoded = encoding.startsWith('base64')
            ? Buffer.from(
                redacted.slice('Invalid credentials: '.length),
                encoding === 'base64' ? 'base64' : 'base64url',
              ).toString('latin1')
            : redacted;
          assert.ok(!decoded.includes(key), `${encoding}: the key is still readable in ${redacted}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves text without the key as it is, and short keys alone', () => {
    assert.equal(secretRedactor(API_KEY)('HTTP 400: bad request, seed 42'), 'HTTP 400: bad request, seed 42');
    assert.equal(secretRedactor('abc')('abc'), 'abc');
  });

  it('an API that echoes the key base64-encoded gets it into neither the message nor the log', async () => {
    const echoed = Buffer.from(`apikey:${API_KEY}`).toString('base64');
    const lines: string[] = [];
    const fetchStub = routedFetch(
      {
        [REMOTE_ENDPOINT]: () =>
          new Response(JSON.stringify({ error: `Bad authorization Basic ${echoed}` }), {
            status: 400,
            headers: { 'content-type': 'application/json' },
          }),
      },
      [],
    );
    const error = await rejection(
      generateImage(
        { prompt: 'x' },
        { endpoint: REMOTE_ENDPOINT, apiKey: API_KEY, fetch: fetchStub, log: (_level, line) => lines.push(line) },
      ),
    );
    for (const text of [error.message, error.apiMessage ?? '', JSON.stringify(error.facts), ...lines]) {
      assert.ok(!text.includes(echoed.slice(12, 40)), `the encoded key leaked into: ${text}`);
      assert.ok(
        !Buffer.from(text.replace(/^.*Basic /, ''), 'base64')
          .toString('latin1')
          .includes(API_KEY),
        text,
      );
    }
  });
});
