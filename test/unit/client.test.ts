// Tests of the Segmind client (src/core/client.ts, src/core/errors.ts) against the real fake Segmind server
// (test/fake-segmind/server.ts) over HTTP on 127.0.0.1.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as jpeg from 'jpeg-js';
import {
  type ClientOptions,
  generateImage,
  type GeneratedImage,
  generateImageWithRetries,
  type RetryOptions,
  validateEndpoint,
  withSafeRetries,
} from '../../src/core/client';
import { type FailureKind, IdeogramError } from '../../src/core/errors';
import { sniffImageType } from '../../src/core/images';
import type { GenerationRequestInput } from '../../src/core/request';
import { renderImage } from '../fake-segmind/image';
import { type FakeSegmind, startFakeSegmind } from '../fake-segmind/server';

const API_KEY = 'sk-SECRET-4f9a2c7e81b3d6KEY';
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('Segmind client against the fake server', function () {
  this.timeout(10_000);

  let server: FakeSegmind;
  let refusedEndpoint: string;
  /** Every log line the client wrote, in every test: checked for the key at the end. */
  const logLines: string[] = [];

  before(async () => {
    server = await startFakeSegmind();
    refusedEndpoint = await closedPortEndpoint();
  });

  after(async () => {
    await server?.close();
  });

  beforeEach(() => {
    server.reset();
  });

  function options(extra: Partial<ClientOptions & RetryOptions> = {}): ClientOptions & RetryOptions {
    return {
      endpoint: server.endpoint,
      apiKey: API_KEY,
      log: (level, message) => logLines.push(`${level} ${message}`),
      ...extra,
    };
  }

  /** Runs a call that must fail and checks what every failure must satisfy. */
  async function failure(call: Promise<unknown>, kind: FailureKind | undefined): Promise<IdeogramError> {
    let caught: unknown;
    try {
      await call;
    } catch (error) {
      caught = error;
    }
    assert.ok(caught !== undefined, `expected a ${kind} failure, but the call succeeded`);
    assert.ok(caught instanceof IdeogramError, `expected an IdeogramError, got ${String(caught)}`);
    const error = caught;
    if (kind !== undefined) assert.equal(error.kind, kind, `kind: ${error.kind} (${error.message})`);
    // The core carries data, the host words it (src/common/errorMessages.ts): what it carries must be clean.
    if (error.apiMessage !== undefined) assertUserMessage(error.apiMessage);
    for (const text of [error.message, error.stack ?? '', JSON.stringify(error), JSON.stringify(error.facts)]) {
      assert.ok(!text.includes(API_KEY), `the API key leaked into: ${text}`);
      assert.ok(!text.includes('SECRET'), `part of the API key leaked into: ${text}`);
    }
    return error;
  }

  function assertUserMessage(message: string): void {
    assert.ok(message.length > 0, `empty message: "${message}"`);
    for (const bad of ['undefined', '[object', 'NaN', 'null'])
      assert.ok(!message.includes(bad), `message contains "${bad}": ${message}`);
    assert.ok(!/\n\s*at /.test(message), `message contains a stack trace: ${message}`);
    assert.ok(!/<[a-z!/]/i.test(message), `message contains HTML: ${message}`);
    assert.ok(!/TypeError|fetch failed|UND_ERR/.test(message), `message contains a raw JavaScript error: ${message}`);
  }

  function assertSameBytes(actual: Uint8Array, expected: Uint8Array): void {
    assert.equal(actual.length, expected.length, 'byte length');
    assert.ok(Buffer.from(actual).equals(Buffer.from(expected)), 'the bytes differ from what the server sent');
  }

  function startsWith(bytes: Uint8Array, magic: number[]): boolean {
    return magic.every((value, index) => bytes[index] === value);
  }

  describe('success', () => {
    it('returns the exact JPEG bytes the server sent, with credits, seed, cost and request id', async () => {
      const before = server.credits;
      const image = await generateImage({ prompt: 'a lighthouse at dawn', seed: 1234 }, options());
      assert.equal(image.delivery, 'binary');
      assert.deepEqual(image.type, { format: 'jpeg', extension: 'jpg', mimeType: 'image/jpeg' });
      assert.ok(startsWith(image.bytes, JPEG_MAGIC));
      assert.equal(sniffImageType(image.bytes)?.format, 'jpeg');
      assertSameBytes(image.bytes, renderImage(1234, 1024, 1024, 'jpeg', { scale: 0.25 }));
      const decoded = jpeg.decode(image.bytes);
      assert.deepEqual([decoded.width, decoded.height], [256, 256]);
      assert.equal(image.seed, 1234);
      assert.equal(image.cost, 0.1);
      assert.equal(image.remainingCredits, server.credits, 'x-remaining-credits');
      assert.ok(Math.abs((image.remainingCredits ?? 0) - (before - 0.1)) < 1e-9, `${image.remainingCredits}`);
      assert.ok(!Number.isInteger(image.remainingCredits), 'parsed as a decimal, not an integer');
      assert.match(image.requestId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(typeof image.generationTimeSeconds, 'number');
      assert.deepEqual(image.request, {
        model: 'ideogram-txt-2-img',
        prompt: 'a lighthouse at dawn',
        seed: 1234,
        magic_prompt_option: 'AUTO',
        resolution: 'RESOLUTION_1024_1024',
        style_type: 'GENERAL',
      });
    });

    it('reports the seed the server chose when none was sent', async () => {
      const image = await generateImage({ prompt: 'random seed' }, options());
      assert.ok(Number.isInteger(image.seed) && image.seed! >= 0 && image.seed! <= 2147483647, `${image.seed}`);
      assertSameBytes(image.bytes, renderImage(image.seed!, 1024, 1024, 'jpeg', { scale: 0.25 }));
    });

    it('follows the requested resolution', async () => {
      const image = await generateImage({ prompt: 'wide', seed: 7, resolution: 'RESOLUTION_1536_512' }, options());
      const decoded = jpeg.decode(image.bytes);
      assert.deepEqual([decoded.width, decoded.height], [384, 128]);
    });

    it('accepts PNG', async () => {
      server.configure({ format: 'png' });
      const image = await generateImage({ prompt: 'png please', seed: 99 }, options());
      assert.equal(image.delivery, 'binary');
      assert.deepEqual(image.type, { format: 'png', extension: 'png', mimeType: 'image/png' });
      assert.ok(startsWith(image.bytes, PNG_MAGIC));
      assertSameBytes(image.bytes, renderImage(99, 1024, 1024, 'png', { scale: 0.25 }));
    });

    it('survives a body that trickles in slowly (but steadily)', async () => {
      server.faultNext('trickle');
      const image = await generateImage({ prompt: 'slow', seed: 5 }, options({ idleTimeoutMs: 2_000 }));
      assertSameBytes(image.bytes, renderImage(5, 1024, 1024, 'jpeg', { scale: 0.25 }));
    });

    const shapes: Array<
      ['json-base64' | 'json-output-url' | 'json-output-array' | 'json-ideogram-data', GeneratedImage['delivery']]
    > = [
      ['json-base64', 'json-base64'],
      ['json-output-url', 'json-url'],
      ['json-output-array', 'json-url'],
      ['json-ideogram-data', 'json-url'],
    ];
    for (const [shape, delivery] of shapes) {
      it(`understands the ${shape} response shape (delivery ${delivery})`, async () => {
        server.configure({ responseShape: shape });
        const image = await generateImage({ prompt: `shape ${shape}`, seed: 4321 }, options());
        assert.equal(image.delivery, delivery);
        assert.equal(image.type.format, 'jpeg');
        assertSameBytes(image.bytes, renderImage(4321, 1024, 1024, 'jpeg', { scale: 0.25 }));
        assert.equal(image.seed, 4321);
        assert.equal(image.remainingCredits, server.credits);
        if (delivery === 'json-url') {
          assert.equal(server.imageRequests.length, 1, 'the image URL was downloaded once');
          const download = server.imageRequests[0];
          assert.equal(download.method, 'GET');
          assert.equal(download.headers['x-api-key'], undefined, 'the key must not be sent to the image URL');
          assert.equal(download.headers.authorization, undefined);
        }
      });
    }

    it('reads the revised prompt from the Ideogram data shape', async () => {
      server.configure({ responseShape: 'json-ideogram-data' });
      const image = await generateImage({ prompt: 'a fox', seed: 3, magic_prompt_option: 'ON' }, options());
      assert.equal(image.revisedPrompt, 'a fox, highly detailed, vivid colours (magic prompt)');
    });
  });

  describe('the request on the wire', () => {
    it('carries x-api-key, content-type application/json and the validated body with defaults, and no Authorization', async () => {
      await generateImage({ prompt: '  a cat  ' }, options());
      assert.equal(server.requests.length, 1);
      const recorded = server.requests[0];
      assert.equal(recorded.method, 'POST');
      assert.equal(recorded.path, '/v1/ideogram-txt-2-img');
      assert.equal(recorded.headers['x-api-key'], API_KEY);
      assert.equal(recorded.headers['content-type'], 'application/json');
      assert.equal(recorded.headers.authorization, undefined);
      assert.deepEqual(JSON.parse(recorded.body), {
        prompt: 'a cat',
        magic_prompt_option: 'AUTO',
        resolution: 'RESOLUTION_1024_1024',
        style_type: 'GENERAL',
      });
    });

    it('sends every option as given', async () => {
      const input: GenerationRequestInput = {
        prompt: 'poster',
        negative_prompt: 'blurry',
        magic_prompt_option: 'OFF',
        resolution: 'RESOLUTION_1280_720',
        seed: 0,
        style_type: 'RENDER_3D',
        color_palette: { members: [{ color_hex: '#ff0000', color_weight: 0.6 }, { color_hex: '#00f' }] },
      };
      await generateImage(input, options());
      assert.deepEqual(JSON.parse(server.requests[0].body), input);
    });

    it('sends a trimmed key', async () => {
      await generateImage({ prompt: 'x' }, options({ apiKey: `  ${API_KEY}\n` }));
      assert.equal(server.requests[0].headers['x-api-key'], API_KEY);
    });

    it('sends nothing for an invalid request, and says what is wrong', async () => {
      const error = await failure(generateImage({ prompt: '   ', seed: -1 }, options()), 'invalid-request');
      assert.equal(error.reason, 'options-invalid');
      assert.deepEqual(
        error.facts.problems?.map((problem) => `${problem.path}: ${problem.code}`),
        ['prompt: prompt-empty', 'seed: seed-out-of-range'],
      );
      assert.equal(server.requests.length, 0);
      assert.equal(error.mayHaveBeenBilled, false);
    });

    it('sends nothing without a key', async () => {
      const error = await failure(generateImage({ prompt: 'x' }, options({ apiKey: '  ' })), 'missing-api-key');
      assert.equal(error.reason, undefined, 'no key at all (not a key with bad characters)');
      assert.equal(server.requests.length, 0);
    });

    it('sends nothing to an endpoint that is not allowed', async () => {
      const plain = server.endpoint.replace('127.0.0.1', 'example.com');
      const error = await failure(generateImage({ prompt: 'x' }, options({ endpoint: plain })), 'invalid-endpoint');
      assert.equal(error.facts.endpoint, new URL(plain).origin);
      assert.equal(server.requests.length, 0);
    });

    it('sends nothing when already cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await failure(generateImage({ prompt: 'x' }, options({ signal: controller.signal })), 'cancelled');
      assert.equal(error.mayHaveBeenBilled, false);
      assert.equal(server.requests.length, 0);
    });
  });

  describe('validateEndpoint', () => {
    it('accepts https', () => {
      for (const endpoint of [
        'https://api.segmind.com/v1/ideogram-txt-2-img',
        ' https://proxy.example.com:8443/v1/x ',
        'HTTPS://API.SEGMIND.COM/v1/x',
      ]) {
        assert.equal(validateEndpoint(endpoint).ok, true, endpoint);
      }
    });

    it('accepts plain http only for loopback hosts', () => {
      for (const endpoint of [
        'http://127.0.0.1:8080/v1/x',
        'http://localhost/v1/x',
        'http://LOCALHOST:3000/',
        'http://[::1]:3000/v1/x',
        'http://127.1.2.3/',
      ]) {
        assert.equal(validateEndpoint(endpoint).ok, true, endpoint);
      }
    });

    it('refuses plain http elsewhere, naming the origin and the setting', () => {
      for (const endpoint of [
        'http://api.segmind.com/v1/x',
        'http://localhost.evil.com/',
        'http://127.0.0.1.nip.io/',
        'http://10.0.0.1/',
        'http://[::2]/',
      ]) {
        const result = validateEndpoint(endpoint);
        assert.equal(result.ok, false, endpoint);
        if (!result.ok) {
          assert.equal(result.error.kind, 'invalid-endpoint');
          assert.equal(result.error.reason, undefined, `${endpoint}: not https`);
          assert.equal(result.error.facts.endpoint, new URL(endpoint).origin);
        }
      }
    });

    it('refuses other schemes and garbage', () => {
      for (const endpoint of [
        'ftp://api.segmind.com/v1/x',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'ws://localhost/',
        'garbage',
        '',
        '://x',
        'api.segmind.com/v1/x',
      ]) {
        const result = validateEndpoint(endpoint);
        assert.equal(result.ok, false, endpoint);
        if (!result.ok) {
          assert.equal(result.error.kind, 'invalid-endpoint');
          assert.ok(
            result.error.reason === undefined || result.error.reason === 'not-a-url',
            `${endpoint}: ${result.error.reason}`,
          );
        }
      }
    });

    it('refuses credentials in the URL without repeating them', () => {
      for (const endpoint of [
        'https://user:hunter2pass@api.segmind.com/v1/x',
        'https://hunter2pass@api.segmind.com/',
        'http://u:hunter2pass@localhost/',
      ]) {
        const result = validateEndpoint(endpoint);
        assert.equal(result.ok, false, endpoint);
        if (!result.ok) {
          assert.equal(result.error.reason, 'credentials');
          assert.ok(
            !JSON.stringify(result.error.facts).includes('hunter2pass') &&
              !result.error.message.includes('hunter2pass'),
            JSON.stringify(result.error.facts),
          );
        }
      }
    });
  });

  describe('HTTP error statuses', () => {
    type Expectation = { status: number; kind: FailureKind; retryable?: boolean; billed?: boolean; said?: RegExp };
    const expectations: Expectation[] = [
      { status: 400, kind: 'invalid-request', said: /^Bad request$/ },
      { status: 401, kind: 'unauthorized' },
      { status: 403, kind: 'forbidden' },
      { status: 404, kind: 'not-found' },
      { status: 405, kind: 'method-not-allowed' },
      { status: 410, kind: 'gone' },
      { status: 422, kind: 'safety-refusal', said: /failed safety check/ },
      { status: 500, kind: 'server-error', said: /Internal server error/ },
      { status: 502, kind: 'bad-gateway', retryable: true },
      { status: 503, kind: 'service-unavailable', retryable: true },
      { status: 504, kind: 'gateway-timeout', billed: true },
      { status: 418, kind: 'http-error' },
    ];
    for (const expected of expectations) {
      it(`${expected.status} → ${expected.kind}`, async () => {
        server.failNext(expected.status);
        const error = await failure(generateImage({ prompt: `status ${expected.status}` }, options()), expected.kind);
        assert.equal(error.status, expected.status);
        assert.equal(error.retryable, expected.retryable ?? false, 'retryable');
        assert.equal(error.mayHaveBeenBilled, expected.billed ?? false, 'mayHaveBeenBilled');
        if (expected.said) assert.match(error.apiMessage ?? '', expected.said);
        assert.equal(server.requests.length, 1);
      });
    }

    it('405 with an HTML body: no HTML reaches the message or the detail', async () => {
      server.failNext(405);
      const error = await failure(generateImage({ prompt: 'html' }, options()), 'method-not-allowed');
      assert.ok(!(error.apiMessage ?? '').includes('<'), error.apiMessage);
    });

    it('401 for a key the server does not know, without echoing the key', async () => {
      server.configure({ validKeys: ['some-other-key'] });
      const error = await failure(generateImage({ prompt: 'x' }, options()), 'unauthorized');
      assert.equal(error.status, 401);
    });

    it('406 insufficient credits: remainingCredits set, openBilling offered', async () => {
      server.failNext(406);
      const error = await failure(generateImage({ prompt: 'broke' }, options()), 'insufficient-credits');
      assert.equal(error.status, 406);
      assert.equal(error.remainingCredits, 12.3456);
    });

    it('406 when the balance really runs out (below the cost)', async () => {
      server.configure({ credits: 0.0184921035 });
      const error = await failure(generateImage({ prompt: 'broke' }, options()), 'insufficient-credits');
      assert.equal(error.remainingCredits, 0.0184921035);
    });

    it('406 invalid content type → unsupported-content-type', async () => {
      // The client always sends JSON; make the request arrive as text/plain to get the server's real 406.
      const plainText: typeof fetch = (input, init) =>
        fetch(input, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), 'content-type': 'text/plain' },
        });
      const error = await failure(
        generateImage({ prompt: 'x' }, options({ fetch: plainText })),
        'unsupported-content-type',
      );
      assert.equal(error.status, 406);
      assert.equal(error.apiMessage, 'Invalid content type');
      assert.equal(error.remainingCredits, undefined);
    });

    it('a real 400 from the server quotes its explanation', async () => {
      const sneaky: typeof fetch = (input, init) =>
        fetch(input, { ...init, body: JSON.stringify({ prompt: 'x', resolution: 'RESOLUTION_9_9' }) });
      const error = await failure(generateImage({ prompt: 'x' }, options({ fetch: sneaky })), 'invalid-request');
      assert.equal(error.status, 400);
      assert.match(error.apiMessage ?? '', /resolution must be one of the 78 /);
    });

    it('429 → rate-limited with resetAt parsed from x-rate-limit-reset-at-utc', async () => {
      server.failNext(429);
      const before = Date.now();
      const error = await failure(generateImage({ prompt: 'busy' }, options()), 'rate-limited');
      const after = Date.now();
      assert.equal(error.status, 429);
      assert.equal(error.retryable, true);
      assert.ok(error.resetAt instanceof Date, 'resetAt');
      // The fake sets the reset 2 s after it answers, which happened between `before` and `after`.
      const resetAt = error.resetAt.getTime();
      assert.ok(
        resetAt >= before + 2_000 && resetAt <= after + 2_000,
        `reset at ${resetAt - before} ms after the call started`,
      );
    });

    it('prompt markers and fake-status keys work too (status from the key)', async () => {
      const error = await failure(
        generateImage({ prompt: 'x' }, options({ apiKey: 'fake-status-503' })),
        'service-unavailable',
      );
      assert.equal(error.status, 503);
    });
  });

  describe('network and body faults', () => {
    it('connection refused → network, not billed, retryable', async () => {
      const error = await failure(generateImage({ prompt: 'x' }, options({ endpoint: refusedEndpoint })), 'network');
      assert.equal(error.reason, undefined, 'could not reach (not: broke while downloading)');
      assert.equal(error.facts.cause, 'connection refused');
      assert.equal(error.mayHaveBeenBilled, false);
      assert.equal(error.retryable, true);
    });

    it('DNS failure (a host that cannot resolve) → network "host not found", not billed, retryable', async () => {
      // .invalid never resolves (RFC 2606); this machine answers at once, offline included.
      const error = await failure(
        generateImage({ prompt: 'x' }, options({ endpoint: 'https://ideogram-test.invalid/v1/ideogram-txt-2-img' })),
        'network',
      );
      assert.match(error.facts.cause ?? '', /^(host not found|DNS lookup failed)$/);
      assert.equal(error.mayHaveBeenBilled, false);
      assert.equal(error.retryable, true);
    });

    it('reset before headers → network, may have been billed, not retryable', async () => {
      server.faultNext('reset-before-headers');
      const error = await failure(generateImage({ prompt: 'x' }, options()), 'network');
      assert.equal(error.mayHaveBeenBilled, true);
      assert.equal(error.retryable, false);
      assert.match(error.facts.cause ?? '', /connection reset|closed/);
    });

    it('reset mid-body → network, may have been billed', async () => {
      server.faultNext('reset-mid-body');
      const error = await failure(generateImage({ prompt: 'x' }, options()), 'network');
      assert.equal(error.mayHaveBeenBilled, true);
      assert.equal(error.reason, 'download-broke');
    });

    // A stall that outlives a garbage collection is held by "a stalled body after a garbage collection" below.
    it('a body that stalls → timeout after idleTimeoutMs, may have been billed', async () => {
      server.faultNext('stall-body');
      const started = Date.now();
      const error = await failure(generateImage({ prompt: 'x' }, options({ idleTimeoutMs: 300 })), 'timeout');
      // Not before the idle time (a lower bound cannot fail on a slow machine; a hang fails on mocha's timeout).
      const took = Date.now() - started;
      assert.ok(took >= 250, `gave up after ${took} ms`);
      assert.equal(error.mayHaveBeenBilled, true);
      assert.equal(error.retryable, false);
      assert.equal(error.reason, 'idle');
    });

    it('no answer within timeoutMs → timeout, may have been billed', async () => {
      const started = Date.now();
      const error = await failure(
        generateImage({ prompt: 'slow [[latency:3000]]' }, options({ timeoutMs: 300 })),
        'timeout',
      );
      const took = Date.now() - started;
      assert.ok(took >= 250, `gave up after ${took} ms`);
      assert.equal(error.mayHaveBeenBilled, true);
      assert.equal(error.reason, undefined, 'no answer in time (not: stopped sending data)');
    });

    it('abort via AbortSignal → cancelled (after sending: may have been billed)', async () => {
      const controller = new AbortController();
      const call = generateImage({ prompt: 'slow [[latency:3000]]' }, options({ signal: controller.signal }));
      // Cancelled once the request reached the server (a fixed delay could fire before it did on a busy machine).
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      controller.abort();
      const error = await failure(call, 'cancelled');
      assert.equal(error.mayHaveBeenBilled, true);
      assert.equal(error.reason, 'after-send');
      assert.equal(server.requests.length, 1);
    });

    it('truncated body → fails (never returns a partial image), may have been billed', async () => {
      server.faultNext('truncated-body');
      const error = await failure(generateImage({ prompt: 'x' }, options()), undefined);
      assert.ok(['network', 'bad-response'].includes(error.kind), error.kind);
      assert.equal(error.mayHaveBeenBilled, true);
    });

    it('not an image (text sent as image/jpeg) → bad-response', async () => {
      server.faultNext('not-an-image');
      const error = await failure(generateImage({ prompt: 'x' }, options()), 'bad-response');
      assert.equal(error.mayHaveBeenBilled, true);
      assert.equal(error.reason, 'not-an-image');
      assert.equal(error.facts.contentType, 'image/jpeg');
    });

    it('an HTML page with 200 → bad-response without HTML in the message', async () => {
      server.faultNext('wrong-content-type');
      const error = await failure(generateImage({ prompt: 'x' }, options()), 'bad-response');
      assert.equal(error.reason, 'not-an-image');
      assert.match(error.facts.contentType ?? '', /^text\/html/);
    });

    it('an empty 200 → bad-response', async () => {
      server.faultNext('empty-200');
      const error = await failure(generateImage({ prompt: 'x' }, options()), 'bad-response');
      assert.equal(error.reason, 'empty-image');
      assert.equal(error.mayHaveBeenBilled, true);
    });

    it('a huge body → too-large as soon as maxImageBytes is passed', async () => {
      server.faultNext('huge-body');
      const error = await failure(generateImage({ prompt: 'x' }, options({ maxImageBytes: 256 * 1024 })), 'too-large');
      assert.equal(error.mayHaveBeenBilled, true);
      assert.equal(error.facts.maxBytes, 256 * 1024);
      // Stopped within a chunk or two of the limit, far from the 60 MB the fake would send.
      const read = error.facts.bytes ?? 0;
      assert.ok(read > 256 * 1024 && read <= 256 * 1024 + 1024 * 1024, `read ${read} bytes`);
    });

    it('a declared Content-Length over maxImageBytes → too-large without reading the body', async () => {
      const error = await failure(
        generateImage({ prompt: 'x', seed: 1 }, options({ maxImageBytes: 1_000 })),
        'too-large',
      );
      assert.equal(error.mayHaveBeenBilled, true);
    });

    it('a JSON image URL that answers 404 → bad-response with the download status', async () => {
      server.faultNext('json-url-404');
      const error = await failure(generateImage({ prompt: 'x' }, options()), 'bad-response');
      assert.equal(error.status, 404);
      assert.equal(error.mayHaveBeenBilled, true);
      assert.equal(error.reason, 'download-status');
      assert.match(error.facts.host ?? '', /^127\.0\.0\.1:\d+$/);
      assert.equal(server.imageRequests.length, 1);
      assert.equal(server.imageRequests[0].headers['x-api-key'], undefined);
    });

    it('an unsafe image (is_image_safe false) → safety-refusal', async () => {
      server.faultNext('unsafe-image');
      const error = await failure(generateImage({ prompt: 'x' }, options()), 'safety-refusal');
      assert.equal(error.mayHaveBeenBilled, true);
      assert.equal(error.reason, 'image');
    });
  });

  describe('generateImageWithRetries', () => {
    /** A sleep that returns at once, records the waits, and honours the abort signal like the real one. */
    function fakeSleep() {
      const waits: number[] = [];
      const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
        waits.push(ms);
        if (signal?.aborted) throw new Error('aborted');
      };
      return { waits, sleep };
    }

    it('a 429 then success: one retry after the reset time, onWait told', async () => {
      server.failNext(429);
      const { waits, sleep } = fakeSleep();
      const told: Array<[number, FailureKind]> = [];
      const image = await generateImageWithRetries(
        { prompt: 'x', seed: 11 },
        options({ sleep, onWait: (ms, reason) => told.push([ms, reason.kind]) }),
      );
      assertSameBytes(image.bytes, renderImage(11, 1024, 1024, 'jpeg', { scale: 0.25 }));
      assert.equal(server.requests.length, 2);
      assert.equal(waits.length, 1);
      assert.ok(waits[0] > 1_000 && waits[0] <= 2_500, `waited ${waits[0]} ms for a reset 2 s away`);
      assert.deepEqual(told, [[waits[0], 'rate-limited']]);
    });

    it('two 429s: fails with rate-limited after exactly 2 requests', async () => {
      server.failNext(429, 2);
      const { waits, sleep } = fakeSleep();
      const error = await failure(generateImageWithRetries({ prompt: 'x' }, options({ sleep })), 'rate-limited');
      assert.equal(error.status, 429);
      assert.equal(server.requests.length, 2);
      assert.equal(waits.length, 1);
    });

    it('a 429 whose reset is further away than maxRateLimitWaitMs is not retried', async () => {
      server.configure({ rateLimitResetMs: 120_000 });
      server.failNext(429);
      const { waits, sleep } = fakeSleep();
      await failure(
        generateImageWithRetries({ prompt: 'x' }, options({ sleep, maxRateLimitWaitMs: 60_000 })),
        'rate-limited',
      );
      assert.equal(server.requests.length, 1);
      assert.deepEqual(waits, []);
    });

    it('a 502 then success is retried', async () => {
      server.failNext(502);
      const { waits, sleep } = fakeSleep();
      const image = await generateImageWithRetries({ prompt: 'x', seed: 12 }, options({ sleep }));
      assert.equal(image.seed, 12);
      assert.equal(server.requests.length, 2);
      assert.deepEqual(waits, [1_000]);
    });

    it('503 twice then success: two retries with backoff', async () => {
      server.failNext(503, 2);
      const { waits, sleep } = fakeSleep();
      const told: FailureKind[] = [];
      const image = await generateImageWithRetries(
        { prompt: 'x', seed: 13 },
        options({ sleep, onWait: (_ms, reason) => told.push(reason.kind) }),
      );
      assert.equal(image.seed, 13);
      assert.equal(server.requests.length, 3);
      assert.deepEqual(waits, [1_000, 2_000]);
      assert.deepEqual(told, ['service-unavailable', 'service-unavailable']);
    });

    it('503 three times: gives up after 3 requests', async () => {
      server.failNext(503, 3);
      const { sleep } = fakeSleep();
      await failure(generateImageWithRetries({ prompt: 'x' }, options({ sleep })), 'service-unavailable');
      assert.equal(server.requests.length, 3);
    });

    it('a refused connection is retried (nothing was sent), then fails', async () => {
      const { waits, sleep } = fakeSleep();
      const error = await failure(
        generateImageWithRetries({ prompt: 'x' }, options({ sleep, endpoint: refusedEndpoint })),
        'network',
      );
      assert.equal(error.mayHaveBeenBilled, false);
      assert.deepEqual(waits, [1_000, 2_000]);
    });

    it('an overall timeout is never retried (exactly 1 request)', async () => {
      const { waits, sleep } = fakeSleep();
      await failure(
        generateImageWithRetries({ prompt: 'slow [[latency:2000]]' }, options({ sleep, timeoutMs: 300 })),
        'timeout',
      );
      assert.equal(server.requests.length, 1);
      assert.deepEqual(waits, []);
    });

    it('a stalled body is never retried (exactly 1 request)', async () => {
      server.faultNext('stall-body', 3);
      const { waits, sleep } = fakeSleep();
      await failure(generateImageWithRetries({ prompt: 'x' }, options({ sleep, idleTimeoutMs: 300 })), 'timeout');
      assert.equal(server.requests.length, 1);
      assert.deepEqual(waits, []);
    });

    const neverRetried: Array<[string, () => void, FailureKind]> = [
      ['500', () => server.failNext(500, 2), 'server-error'],
      ['504', () => server.failNext(504, 2), 'gateway-timeout'],
      ['401', () => server.failNext(401, 2), 'unauthorized'],
      ['406', () => server.failNext(406, 2), 'insufficient-credits'],
      ['422', () => server.failNext(422, 2), 'safety-refusal'],
      ['reset-before-headers', () => server.faultNext('reset-before-headers', 2), 'network'],
      ['reset-mid-body', () => server.faultNext('reset-mid-body', 2), 'network'],
      ['not-an-image', () => server.faultNext('not-an-image', 2), 'bad-response'],
    ];
    for (const [name, arrange, kind] of neverRetried) {
      it(`${name} is not retried (exactly 1 request)`, async () => {
        arrange();
        const { waits, sleep } = fakeSleep();
        await failure(generateImageWithRetries({ prompt: 'x' }, options({ sleep })), kind);
        assert.equal(server.requests.length, 1);
        assert.deepEqual(waits, []);
      });
    }

    it('cancelling during the retry wait → cancelled, no second request (real sleep)', async () => {
      // A reset far beyond mocha's 15 s timeout: only the cancel can end this wait in time.
      server.configure({ rateLimitResetMs: 50_000 });
      server.failNext(429);
      const controller = new AbortController();
      const waits: number[] = [];
      const error = await failure(
        generateImageWithRetries(
          { prompt: 'x' },
          options({
            signal: controller.signal,
            onWait: (ms) => {
              waits.push(ms);
              setTimeout(() => controller.abort(), 50);
            },
          }),
        ),
        'cancelled',
      );
      assert.equal(error.reason, 'retry-wait');
      assert.equal(waits.length, 1);
      assert.ok(waits[0] > 45_000, `it was waiting for the reset (${waits[0]} ms)`);
      assert.equal(server.requests.length, 1);
      assert.equal(error.mayHaveBeenBilled, false);
    });

    it('cancelling during the retry wait → cancelled (fake sleep)', async () => {
      server.failNext(503);
      const controller = new AbortController();
      const { sleep } = fakeSleep();
      await failure(
        generateImageWithRetries(
          { prompt: 'x' },
          options({ sleep, signal: controller.signal, onWait: () => controller.abort() }),
        ),
        'cancelled',
      );
      assert.equal(server.requests.length, 1);
    });

    it('a failure that may have been billed is never sent again, even of a kind that is otherwise retried', async () => {
      for (const kind of ['service-unavailable', 'bad-gateway', 'network'] as const) {
        let calls = 0;
        const { waits, sleep } = fakeSleep();
        const call = async (): Promise<never> => {
          calls++;
          throw new IdeogramError({ kind, retryable: true, mayHaveBeenBilled: true });
        };
        await assert.rejects(withSafeRetries(call, options({ sleep })), (error: IdeogramError) => error.kind === kind);
        assert.equal(calls, 1, kind);
        assert.deepEqual(waits, [], kind);
      }
    });

    it('an invalid request is not retried and sends nothing', async () => {
      const { waits, sleep } = fakeSleep();
      await failure(generateImageWithRetries({ prompt: '' }, options({ sleep })), 'invalid-request');
      assert.equal(server.requests.length, 0);
      assert.deepEqual(waits, []);
    });
  });

  describe('a stalled body after a garbage collection', () => {
    /** A real gc(), without starting Node with --expose-gc. */
    function collectGarbage(): void {
      v8.setFlagsFromString('--expose-gc');
      (vm.runInNewContext('gc') as () => void)();
    }

    // With `redirect: 'error'`, Node 20's undici stops passing fetch's abort on to a body once its request object
    // has been garbage-collected (nodejs/undici#4089); readLimitedBody races each read against the abort itself.
    // Without that, the call below never settles (reproduced 10/10 with gc()) and mocha's timeout fails the test.
    it('the idle timeout, the overall timeout and Cancel still end it', async () => {
      for (const mode of ['idle', 'overall', 'cancel'] as const) {
        server.faultNext('stall-body');
        const controller = new AbortController();
        const call = generateImage(
          { prompt: `stall ${mode}` },
          options({
            idleTimeoutMs: mode === 'idle' ? 300 : 60_000,
            timeoutMs: mode === 'overall' ? 400 : 60_000,
            signal: controller.signal,
            log: (_level, message) => {
              if (!message.startsWith('HTTP 200')) return;
              setTimeout(() => {
                collectGarbage();
                if (mode === 'cancel') setTimeout(() => controller.abort(), 100);
              }, 50);
            },
          }),
        );
        const kind = await call.then(
          () => 'succeeded',
          (error: IdeogramError) => error.kind,
        );
        assert.equal(kind, mode === 'cancel' ? 'cancelled' : 'timeout', mode);
      }
    });
  });

  describe('answers the fake server does not give (stubbed fetch)', () => {
    const json = (status: number, body: string, headers: Record<string, string> = {}) =>
      new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });
    const stub =
      (make: () => Response): typeof fetch =>
      async () =>
        make();
    const stubbed = (make: () => Response, extra: Partial<ClientOptions> = {}) =>
      options({ endpoint: 'https://api.segmind.example/v1/ideogram-txt-2-img', fetch: stub(make), ...extra });

    it('JSON null or an empty data list → bad-response', async () => {
      for (const body of ['null', '{"data":[]}', '{"output":[]}', '{"status":"Success"}', '[]']) {
        const error = await failure(
          generateImage(
            { prompt: 'x' },
            stubbed(() => json(200, body)),
          ),
          'bad-response',
        );
        assert.equal(error.reason, 'unrecognised-json', body);
        assert.equal(error.mayHaveBeenBilled, true);
      }
    });

    it('malformed JSON with a JSON content type → bad-response', async () => {
      const error = await failure(
        generateImage(
          { prompt: 'x' },
          stubbed(() => json(200, '{"image": "abc')),
        ),
        'bad-response',
      );
      assert.equal(error.reason, 'malformed-json');
    });

    it('a JSON image link that is not https is not downloaded', async () => {
      let downloads = 0;
      const fetchStub: typeof fetch = async () => {
        downloads++;
        return json(200, '{"output":"http://images.example.com/a.png"}');
      };
      const error = await failure(
        generateImage({ prompt: 'x' }, options({ endpoint: 'https://api.segmind.example/v1/x', fetch: fetchStub })),
        'bad-response',
      );
      assert.equal(error.reason, 'link-not-https');
      assert.equal(error.facts.protocol, 'http:');
      assert.equal(downloads, 1, 'only the API call, no download');
    });

    it('402 is treated as insufficient credits too', async () => {
      const error = await failure(
        generateImage(
          { prompt: 'x' },
          stubbed(() => json(402, '{"error":"Payment required"}')),
        ),
        'insufficient-credits',
      );
      assert.equal(error.status, 402);
    });

    it('the auth surface\'s {"error":"invalid_token"} 401 → unauthorized', async () => {
      const body = '{"error":"invalid_token","error_description":"The access token expired","status_code":401}';
      await failure(
        generateImage(
          { prompt: 'x' },
          stubbed(() => json(401, body)),
        ),
        'unauthorized',
      );
    });

    it('a 429 with an unreadable reset header: no resetAt, still a readable message', async () => {
      const error = await failure(
        generateImage(
          { prompt: 'x' },
          stubbed(() => json(429, '{"error":"slow down"}', { 'x-rate-limit-reset-at-utc': 'soon' })),
        ),
        'rate-limited',
      );
      assert.equal(error.resetAt, undefined);
    });

    it('a 429 without a reset header is retried after a default wait', async () => {
      let calls = 0;
      const fetchStub: typeof fetch = async () =>
        ++calls === 1
          ? json(429, '{"error":"slow down"}')
          : new Response(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]), { headers: { 'content-type': 'image/jpeg' } });
      const waits: number[] = [];
      const image = await generateImageWithRetries(
        { prompt: 'x' },
        options({
          endpoint: 'https://api.segmind.example/v1/x',
          fetch: fetchStub,
          sleep: async (ms) => {
            waits.push(ms);
          },
        }),
      );
      assert.equal(image.type.format, 'jpeg');
      assert.equal(calls, 2);
      // The default wait (5 s) plus the margin: not at once, which would meet the same limit again.
      assert.deepEqual(waits, [5_250]);
    });

    it('a 429 is retried a quarter second after its reset, not at the reset', async () => {
      const now = Date.parse('2026-12-04T12:00:00.000Z');
      const resetAt = new Date(now + 2_000).toISOString();
      let calls = 0;
      const fetchStub: typeof fetch = async () =>
        ++calls === 1
          ? json(429, '{"error":"slow down"}', { 'x-rate-limit-reset-at-utc': resetAt })
          : new Response(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]), { headers: { 'content-type': 'image/jpeg' } });
      const waits: number[] = [];
      // The wait is computed from the clock: hold it still so the margin is exact.
      const realNow = Date.now;
      Date.now = () => now;
      try {
        await generateImageWithRetries(
          { prompt: 'x' },
          options({
            endpoint: 'https://api.segmind.example/v1/x',
            fetch: fetchStub,
            sleep: async (ms) => {
              waits.push(ms);
            },
          }),
        );
      } finally {
        Date.now = realNow;
      }
      assert.equal(calls, 2);
      assert.deepEqual(waits, [2_250]);
    });

    it("an error body larger than 64 KB still gives the status's error", async () => {
      const error = await failure(
        generateImage(
          { prompt: 'x' },
          stubbed(() => new Response('x'.repeat(200_000), { status: 500 })),
        ),
        'server-error',
      );
      assert.equal(error.status, 500);
    });

    it('a long API message is clipped', async () => {
      const error = await failure(
        generateImage(
          { prompt: 'x' },
          stubbed(() => json(400, JSON.stringify({ error: 'bad '.repeat(500) }))),
        ),
        'invalid-request',
      );
      assert.ok((error.apiMessage ?? '').length <= 300, `${error.apiMessage?.length} chars`);
    });

    it('an HTML error page (with a content type saying so) is not quoted', async () => {
      const page = '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>';
      const error = await failure(
        generateImage(
          { prompt: 'x' },
          stubbed(() => new Response(page, { status: 500, headers: { 'content-type': 'text/html' } })),
        ),
        'server-error',
      );
      assert.equal(error.apiMessage, undefined);
    });

    // Regression (was a bug): an HTML fragment without a doctype/<html>/<body> and without an HTML content type (e.g. a proxy's
    // "<h1>Oops</h1>" with no content type), or HTML inside Segmind's JSON `html-message`/`error` field, is quoted
    // verbatim: "Segmind failed while generating the image (500). The API said: "<h1>Oops</h1> <p>bad</p>". …".
    // errors.ts promises "never HTML"; expected: no '<' in the message (strip tags or drop the quote).
    it('HTML fragments and JSON html-message bodies never reach the message', async () => {
      const bodies: Array<[number, Response]> = [
        [500, new Response('<h1>Oops</h1> <p>bad</p>', { status: 500 })],
        [400, json(400, '{"html-message":"<p>Bad request</p>"}')],
        [400, json(400, '{"error":{"message":"bad <b>thing</b>"}}')],
      ];
      for (const [status, response] of bodies) {
        const error = await failure(
          generateImage(
            { prompt: 'x' },
            stubbed(() => response),
          ),
          status === 500 ? 'server-error' : 'invalid-request',
        );
        assert.ok(!(error.apiMessage ?? '').includes('<'), error.apiMessage);
      }
    });

    // Regression (was a bug): `{"image": "<not base64>"}` makes atob throw a DOMException, which toIdeogramError treats as a network
    // failure: kind 'network', message "The connection broke while the image was downloading (5). …" ("5" is the
    // DOMException code). Expected: kind 'bad-response' with a message saying the image data was not readable.
    it('a base64 image that is not base64 → bad-response', async () => {
      const error = await failure(
        generateImage(
          { prompt: 'x' },
          stubbed(() => json(200, '{"image":"!!! not base64 ***"}')),
        ),
        'bad-response',
      );
      assert.equal(error.reason, 'invalid-base64');
    });

    // Regression (was a bug): the API's own message is quoted without removing the key, so an API or proxy that echoes the
    // key ("Invalid API key sk-…") puts the key in the message and in `detail`. Expected: the key is redacted.
    it('an API message that echoes the key does not leak it', async () => {
      await failure(
        generateImage(
          { prompt: 'x' },
          stubbed(() => json(400, JSON.stringify({ error: `Invalid API key ${API_KEY}` }))),
        ),
        'invalid-request',
      );
    });
  });

  describe('keys that cannot be sent in a header', () => {
    // Regression (was a bug): a key with a control character (e.g. "\u0000"; an interior "\n" from the IDEOGRAM_API_KEY environment
    // variable, which is only trimmed) makes undici throw 'Headers.append: "<the whole key>" is an invalid header
    // value.', and describeNetworkError writes that text to the log: the key leaks into the log. The user is told
    // "Could not reach Segmind (network error). Check your internet connection or proxy", with mayHaveBeenBilled true,
    // although nothing was sent. Expected: a key error (action setApiKey), not billed, key not logged.
    it('a key with a control character is refused without logging it', async () => {
      for (const apiKey of ['sk-SECRET-abc\u0000def', 'sk-SECRET-abc\ndef']) {
        const lines: string[] = [];
        const error = await failure(
          generateImage({ prompt: 'x' }, options({ apiKey, log: (_level, message) => lines.push(message) })),
          undefined,
        );
        assert.ok(
          lines.every((line) => !line.includes('SECRET')),
          lines.join('\n'),
        );
        assert.equal(error.kind, 'missing-api-key', `${error.kind}: ${error.message}`);
        assert.equal(error.reason, 'key-characters');
        assert.equal(error.mayHaveBeenBilled, false);
      }
    });

    // Regression (was a bug): a key with a non-Latin-1 character (a zero-width space or a typographic quote pasted from a web page; the
    // Set API Key box only rejects whitespace) fails in fetch before anything is sent, but the user is told "Could not
    // reach Segmind (network error). Check your internet connection or proxy and try again." (kind network,
    // mayHaveBeenBilled true). Expected: a message about the key, action setApiKey, mayHaveBeenBilled false.
    it('a key with a zero-width space gets a key error, not a network error', async () => {
      for (const apiKey of ['sk-abc\u200bdef', 'sk-abc\u2019def']) {
        const error = await failure(generateImage({ prompt: 'x' }, options({ apiKey })), undefined);
        assert.equal(error.kind, 'missing-api-key', `${error.kind}: ${error.message}`);
        assert.equal(error.reason, 'key-characters');
        assert.equal(error.mayHaveBeenBilled, false);
      }
      assert.equal(server.requests.length, 0);
    });
  });

  describe('the API key', () => {
    it('never appears in anything the client logged', () => {
      assert.ok(logLines.length > 20, `expected the earlier tests to have logged (got ${logLines.length} lines)`);
      for (const line of logLines) {
        assert.ok(!line.includes(API_KEY) && !line.includes('SECRET'), `the API key leaked into the log: ${line}`);
      }
    });
  });
});

/** An endpoint on 127.0.0.1 whose port was just freed, so connecting is refused. */
async function closedPortEndpoint(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1/ideogram-txt-2-img`;
}
