// Segmind's async (V2) API in the core (src/core/asyncJob.ts): the pure readers and the poll schedule, then
// submit → status → result → download against the fake server over HTTP, and every answer a step can get.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fc from 'fast-check';
import {
  DOWNLOAD_RETRY_DELAYS_MS,
  JOB_RECORD_TTL_MS,
  nextDownloadTry,
  asyncRoutesFor,
  DEFAULT_EXPECTED_JOB_MS,
  expectedJobMs,
  fetchJobResult,
  isPlausibleRequestId,
  isSettledHistory,
  ARRIVAL_MARGIN_MS,
  DENSE_POLLING,
  MAX_POLL_GAP_MS,
  MAX_SHARE_OF_SDK_READS,
  MIN_POLL_GAP_MS,
  POLL_READS_PER_SECOND,
  SETTLED_AFTER_JOBS,
  nextPollAt,
  readJobAnswer,
  readJobStatus,
  readResultImage,
  submitJob,
  type AsyncRoutes,
  type JobReading,
} from '../../src/core/asyncJob';
import { IdeogramError } from '../../src/core/errors';
import { MODELS } from '../../src/core/models/registry';
import { validateRequest, type GenerationRequest } from '../../src/core/request';
import { type FakeSegmind, startFakeSegmind } from '../fake-segmind/server';

const API_KEY = 'SG_asyncjob_test_9f3b2c';

function routes(endpoint: string): AsyncRoutes {
  const found = asyncRoutesFor(new URL(endpoint));
  assert.ok(found, `routes for ${endpoint}`);
  return found;
}

function request(prompt: string, extra: Partial<GenerationRequest> = {}): GenerationRequest {
  const validation = validateRequest({ prompt, ...extra });
  assert.ok(validation.ok);
  return validation.request;
}

describe('Async API: routes', () => {
  it('maps the v1 endpoint setting to the V2 routes on the same origin', () => {
    const r = routes('https://api.segmind.com/v1/ideogram-txt-2-img');
    assert.equal(r.submit.href, 'https://api.segmind.com/v2/ideogram-txt-2-img');
    assert.equal(r.sync.href, 'https://api.segmind.com/v1/ideogram-txt-2-img');
    assert.equal(r.status('abc123def456').href, 'https://api.segmind.com/v2/requests/abc123def456/status');
    assert.equal(r.result('abc123def456').href, 'https://api.segmind.com/v2/requests/abc123def456');
    assert.equal(r.model, 'ideogram-txt-2-img');
  });
  it('keeps a path prefix (a proxy under /segmind) and accepts a /v2/ setting', () => {
    assert.equal(
      routes('http://127.0.0.1:9/segmind/v1/ideogram-turbo-txt-2-img').submit.href,
      'http://127.0.0.1:9/segmind/v2/ideogram-turbo-txt-2-img',
    );
    assert.equal(
      routes('https://api.segmind.com/v2/ideogram-txt-2-img').sync.href,
      'https://api.segmind.com/v1/ideogram-txt-2-img',
    );
  });
  it('has no V2 routes for an endpoint path of another shape (used as the v1 route as before)', () => {
    assert.equal(asyncRoutesFor(new URL('https://proxy.example.com/generate')), undefined);
    assert.equal(asyncRoutesFor(new URL('https://proxy.example.com/v3/ideogram')), undefined);
  });
  it('only trusts request ids that are plain tokens', () => {
    assert.ok(isPlausibleRequestId('0f8e5a3c9b2d4e6f8a1b3c5d7e9f0a2b'));
    assert.ok(isPlausibleRequestId('0f8e5a3c-9b2d-4e6f-8a1b-3c5d7e9f0a2b'));
    for (const bad of ['', '../../v1/x', 'a b', 'x'.repeat(200), 42, null, 'abc/def'])
      assert.ok(!isPlausibleRequestId(bad), String(bad));
  });
});

describe('Async API: reading answers', () => {
  const cases: Array<[string, number, string, JobReading['state']]> = [
    ['QUEUED', 200, '{"status":"QUEUED"}', 'queued'],
    ['PENDING is queued too', 200, '{"status":"PENDING"}', 'queued'],
    ['IN_QUEUE is queued too', 200, '{"status":"in_queue"}', 'queued'],
    ['PROCESSING', 200, '{"status":"PROCESSING","metrics":{}}', 'processing'],
    ['an unknown status string means still running', 200, '{"status":"WARMING_UP"}', 'processing'],
    ['no status at all means still running', 200, '{}', 'processing'],
    ['COMPLETED', 200, '{"status":"COMPLETED","metrics":{"cost":0.1}}', 'completed'],
    ['COMPLETED whatever the HTTP code', 500, '{"status":"COMPLETED"}', 'completed'],
    ['FAILED as 422 with a body', 422, '{"status":"FAILED","error":"Prompt failed safety check"}', 'failed'],
    ['FAILED as 200', 200, '{"status":"FAILED","error":"boom"}', 'failed'],
    ['422 without a body', 422, '', 'failed'],
    ['404 after the hour', 404, '{"error":"Request abc not found"}', 'expired'],
    ['410: the job is gone (not polled for the rest of the hour)', 410, '{"error":"Gone"}', 'expired'],
    ['401: the key changed', 401, '{"error":"Unauthorized"}', 'refused'],
    ['403', 403, '{"error":"Forbidden"}', 'refused'],
    ['429', 429, '{"error":"Too many requests"}', 'unavailable'],
    ['500', 500, '{"error":"Internal"}', 'unavailable'],
    ['502 with an HTML page', 502, '<html><body>Bad gateway</body></html>', 'unavailable'],
    ['malformed JSON 200 is still running', 200, '{"status":', 'processing'],
  ];
  for (const [name, status, body, state] of cases) {
    it(`${name} → ${state}`, () => assert.equal(readJobAnswer(status, body).state, state));
  }
  it("keeps the API's message of a FAILED job and reads every metric that is there", () => {
    const failed = readJobAnswer(
      422,
      '{"status":"FAILED","error":"Prompt failed safety check","metrics":{"total_time":"3.5"}}',
    );
    assert.equal(failed.state, 'failed');
    assert.equal(failed.state === 'failed' && failed.message, 'Prompt failed safety check');
    const done = readJobAnswer(
      200,
      '{"status":"COMPLETED","metrics":{"cost":0.1,"remaining_credits":"12.3","inference_time":21.2,"total_time":21.6}}',
    );
    assert.deepEqual(done.state === 'completed' && done.metrics, {
      cost: 0.1,
      remainingCredits: 12.3,
      inferenceTime: 21.2,
      totalTime: 21.6,
    });
  });
  it('finds the image URL in every known result shape', () => {
    const url = 'https://images.segmind.com/generations/a.jpeg';
    for (const body of [
      { output: url },
      { output: [url] },
      { output: { url } },
      { output: null, images: [{ url }] },
      { images: [url] },
      { data: [{ url, is_image_safe: true, seed: 7 }] },
    ]) {
      const image = readResultImage(body as Record<string, unknown>);
      assert.equal(image.kind === 'url' && image.url, url, JSON.stringify(body));
    }
    assert.equal(readResultImage({ data: [{ url: null, is_image_safe: false }] }).kind, 'unsafe');
    assert.equal(readResultImage({ output: 'not a url' }).kind, 'none');
    assert.equal(readResultImage({ output: 'javascript:alert(1)' }).kind, 'none');
    assert.equal(readResultImage({}).kind, 'none');
  });
  it('never throws on any body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.oneof(fc.string(), fc.json()), (status, body) => {
        const reading = readJobAnswer(status, body);
        assert.ok(
          ['queued', 'processing', 'completed', 'failed', 'expired', 'unavailable', 'refused'].includes(reading.state),
        );
        if (reading.state === 'completed') readResultImage(reading.body);
      }),
    );
  });
});

describe('Async API: when to poll', () => {
  /** The reads made for a job that completes `durationMs` after submission, when each was made, and how late the last one is. */
  function simulate(
    durationMs: number,
    expectedMs: number,
    settled = true,
  ): { reads: number; lagMs: number; times: number[] } {
    let at = 0;
    const times: number[] = [];
    for (;;) {
      at = nextPollAt(at, expectedMs, settled);
      times.push(at);
      if (at >= durationMs) return { reads: times.length, lagMs: at - durationMs, times };
      assert.ok(times.length < 10_000);
    }
  }
  it('reads the status early (1.5 s) only where a third of the SDK reads leaves room for it: not for the shipped models', () => {
    assert.equal(nextPollAt(0, 120_000), 1_500, 'a 2-minute job');
    assert.equal(nextPollAt(0, 40_000), 1_500, 'a 40 s job');
    // Every shipped model: with the early read, a job ending a step after its typical time would be read more than a
    // third as often as the SDK reads it; the first read is the dense span's.
    for (const model of MODELS) {
      const expected = model.typicalLatencyMs;
      const first = nextPollAt(0, expected);
      assert.ok(
        first >= DENSE_POLLING.START * expected && first < expected,
        `${model.slug}: first read at ${first} ms`,
      );
    }
    assert.equal(nextPollAt(0, 2_000, false), 1_000, "a short job of a model's first jobs: half way");
    assert.equal(nextPollAt(0, 100), MIN_POLL_GAP_MS, 'never sooner than the minimum gap');
  });
  it('keeps the gap from the last read, not from the call right after the submit, which has none', () => {
    // A model whose jobs take 0.1 s (a fake, a fast proxy): the plan's first read is at 0.5 s.
    assert.equal(nextPollAt(40, 100, true, -Infinity), 500, 'asked 40 ms after the submit, no read yet');
    assert.ok(nextPollAt(40, 100) >= 40 + MIN_POLL_GAP_MS, 'by default the caller may have just read');
    assert.ok(nextPollAt(530, 100, true, 500) >= 1_000, 'read at 0.5 s: the next one a second after');
    // A job resumed long after its submit (a restart), never read by this window: read at once.
    assert.equal(nextPollAt(300_000, 21_600, true, -Infinity), 300_000);
    // Whatever each read's answer time, reads stay at least the minimum gap apart, the first as planned.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 40 }),
        (expected, answerTimes) => {
          const planned = nextPollAt(0, expected);
          let at = answerTimes[0];
          let lastRead = -Infinity;
          const reads: number[] = [];
          for (const answerMs of answerTimes) {
            const read = nextPollAt(at, expected, true, lastRead);
            reads.push(read);
            lastRead = read;
            at = read + answerMs;
          }
          return (
            (answerTimes[0] > planned || reads[0] === planned) &&
            reads.every((read, index) => index === 0 || read - reads[index - 1] >= MIN_POLL_GAP_MS)
          );
        },
      ),
    );
  });
  it("every shipped model's job that ends at its typical time is read at most a third as often as the SDK's one a second", () => {
    for (const model of MODELS) {
      const { reads } = simulate(model.typicalLatencyMs, model.typicalLatencyMs);
      const sdkReads = Math.ceil(model.typicalLatencyMs / 1_000);
      assert.ok(reads <= sdkReads * MAX_SHARE_OF_SDK_READS, `${model.slug}: ${reads} reads, the SDK ${sdkReads}`);
    }
  });
  it("every shipped model's job that ends at its typical time is read at most 8 times, the last one as it completes", () => {
    for (const model of MODELS) {
      for (const settled of [false, true]) {
        const { reads, lagMs } = simulate(model.typicalLatencyMs, model.typicalLatencyMs, settled);
        assert.ok(reads <= 8, `${model.slug}, ${settled ? 'settled' : 'first jobs'}: ${reads} reads`);
        assert.equal(lagMs, ARRIVAL_MARGIN_MS, `${model.slug}: ${lagMs} ms late`);
      }
    }
  });
  it("a job that ends when expected is read as it completes (the margin for the submit's way), whatever the expectation", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2_000, max: 120_000 }),
        (expected) => simulate(expected, expected).lagMs === ARRIVAL_MARGIN_MS,
      ),
    );
  });
  it('never more than one read a second: never two reads within 0.5 s, the early read aside never more reads than seconds since the submit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.boolean(),
        (expected, duration, settled) => {
          const { times } = simulate(duration, expected, settled);
          // After the early read, the k-th read comes k − 1 seconds after the submit or later.
          return times.every(
            (at, index) =>
              index === 0 ||
              (at >= (index * 1_000) / POLL_READS_PER_SECOND && at - times[index - 1] >= MIN_POLL_GAP_MS),
          );
        },
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_600_000 }), fc.integer({ min: 0, max: 200_000 }), (elapsed, expected) => {
        const next = nextPollAt(elapsed, expected);
        return next >= elapsed + MIN_POLL_GAP_MS && next - elapsed <= Math.max(MAX_POLL_GAP_MS, expected);
      }),
    );
  });
  it('robustness: a job ending from 0.8 to 2.5 times the expected time is read within 1 s of completing (0.8 s from 5 s on), a later one (up to 2 minutes) within 2.5 s', () => {
    // Found by the property below (about one run in twenty): a job ending just before the dense span's end, after
    // its last read inside the span, waited for the late gap (1 s) until the span reached its first read past the end.
    assert.ok(simulate(119_586, 47_835).lagMs <= DENSE_POLLING.STEP_MS, 'a job ending 1.5 ms before 2.5 × E');
    fc.assert(
      fc.property(
        fc.integer({ min: 2_000, max: 120_000 }),
        fc.integer({ min: 2_000, max: 120_000 }),
        (expected, duration) => {
          const { lagMs } = simulate(duration, expected);
          if (duration >= DENSE_POLLING.START * expected && duration <= DENSE_POLLING.END * expected)
            return lagMs <= (expected >= 5_000 ? DENSE_POLLING.STEP_MS : 1_000);
          if (duration > DENSE_POLLING.END * expected) return lagMs <= 2_500;
          return true;
        },
      ),
    );
  });
  it("a model's first jobs are also read half way, so a 3 s job where 21.6 s was expected is on disk at 10.8 s, not 18 s", () => {
    assert.deepEqual(simulate(3_000, 21_600, false).times, [1_500, 10_800]);
    assert.equal(simulate(1_000, 21_600, false).times[0], 1_500, "a model's first job is read early (a fast proxy)");
    const settled = simulate(3_000, 21_600, true).times;
    assert.equal(settled.length, 1);
    assert.ok(settled[0] >= 0.8 * 21_600, `once settled, the first read is near the expected time (${settled[0]})`);
  });
  it("a model's history is settled after SETTLED_AFTER_JOBS jobs, or sooner when every past job confirmed its typical time", () => {
    const typical = 21_600;
    assert.equal(isSettledHistory([], typical), false, 'no job yet');
    assert.equal(isSettledHistory([20_000], typical), true, 'one job near the typical time confirms it');
    assert.equal(isSettledHistory([20_000, 43_000], typical), true, 'a cold start of twice the time too');
    // The dense span's ends are inside; just outside them, the typical time is not confirmed.
    assert.equal(isSettledHistory([DENSE_POLLING.START * typical, DENSE_POLLING.END * typical], typical), true);
    assert.equal(isSettledHistory([DENSE_POLLING.START * typical - 1], typical), false);
    assert.equal(isSettledHistory([DENSE_POLLING.END * typical + 1], typical), false);
    // A fast proxy: its 3 s jobs keep the careful plan until the expected time has learnt them.
    const fast = Array.from({ length: SETTLED_AFTER_JOBS }, () => 3_000);
    assert.equal(isSettledHistory(fast.slice(0, SETTLED_AFTER_JOBS - 1), typical), false);
    assert.equal(isSettledHistory(fast, typical), true);
    assert.equal(expectedJobMs(fast, typical), 3_000, 'by then the expected time is the learnt one');
    assert.equal(isSettledHistory([20_000, 3_000], typical), false, 'one odd job is enough to stay careful');
    assert.equal(isSettledHistory([Number.NaN, -5], typical), false, 'unusable durations do not count');
    assert.equal(isSettledHistory([10_000]), false, "the V2 model's typical time when none is given");
    // What it changes: a second job after a confirming first one has no early read; after a fast one it has.
    const confirmed = [21_000];
    const first = nextPollAt(0, expectedJobMs(confirmed, typical), isSettledHistory(confirmed, typical));
    assert.ok(first >= DENSE_POLLING.START * typical, `after a confirming job, first read at ${first} ms`);
    const odd = [3_000];
    assert.equal(nextPollAt(0, expectedJobMs(odd, typical), isSettledHistory(odd, typical)), 1_500);
  });
  it("a job far past its expected time is read less and less often: 10 minutes late, under a fifth of the SDK's reads", () => {
    const { reads } = simulate(20_000 + 10 * 60_000, 20_000);
    assert.ok(reads < 620 / 5, `${reads} reads for a job 10 minutes late (the SDK: 620)`);
    // Past two minutes, the gap is half the time overdue, between 2.5 s and 15 s.
    const last = simulate(100_000, 20_000).times.at(-1) ?? 0;
    assert.equal(nextPollAt(last + 200_000, 20_000), last + 200_000 + MAX_POLL_GAP_MS);
  });
  it("learns the expected duration from past jobs (median of the last 20 and the model's typical time counted twice)", () => {
    assert.equal(expectedJobMs([]), DEFAULT_EXPECTED_JOB_MS);
    assert.equal(expectedJobMs([], 10_300), 10_300, "the model's typical time before any job");
    assert.equal(expectedJobMs([25_600], 12_800), 12_800, 'one job of twice the time (a cold start) does not move it');
    assert.equal(expectedJobMs([25_600, 12_700], 12_800), 12_800);
    assert.equal(expectedJobMs([30_000, 31_000, 32_000], 21_600), 30_000, 'three jobs that agree do');
    assert.equal(expectedJobMs([10_000, 12_000], 21_600), 16_800);
    assert.equal(expectedJobMs([NaN, -1, 5 * 3_600_000]), DEFAULT_EXPECTED_JOB_MS);
    assert.equal(
      expectedJobMs([...Array<number>(20).fill(60_000), ...Array<number>(20).fill(10_000)]),
      10_000,
      'the newest 20, not the oldest',
    );
  });
});

describe('Async API against the fake server', function () {
  this.timeout(20_000);
  let fake: FakeSegmind;
  const logLines: string[] = [];
  const log = (level: string, message: string) => {
    logLines.push(`${level} ${message}`);
  };

  before(async () => {
    fake = await startFakeSegmind();
  });
  after(async () => {
    await fake?.close();
    assert.ok(!logLines.some((line) => line.includes(API_KEY)), 'the key never reaches the log');
  });
  beforeEach(() => fake.reset());

  async function submit(prompt: string, extra: Partial<GenerationRequest> = {}): Promise<string> {
    const outcome = await submitJob(routes(fake.endpoint), request(prompt, extra), {
      endpoint: fake.endpoint,
      apiKey: API_KEY,
      log,
    });
    assert.equal(outcome.kind, 'submitted');
    return outcome.kind === 'submitted' ? outcome.requestId : '';
  }

  it('submit → queued/processing → completed → the image, downloaded without the key', async () => {
    fake.configure({ latencyMs: 3_600_000 }); // held until released: a busy machine cannot make it finish early
    const r = routes(fake.endpoint);
    const requestId = await submit('A lighthouse', { seed: 42 });
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0].path, '/v2/ideogram-txt-2-img');
    const early = await readJobStatus(r, requestId, { apiKey: API_KEY, log });
    assert.ok(early.state === 'queued' || early.state === 'processing', early.state);
    fake.completeJobs();
    // Completed once the fake rendered the image: waited for, not slept for, so a busy machine does not fail it.
    let state: string = early.state;
    for (const deadline = Date.now() + 10_000; state !== 'completed' && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await readJobStatus(r, requestId, { apiKey: API_KEY, log })).state;
    }
    assert.equal(state, 'completed');
    const result = await fetchJobResult(r, requestId, request('A lighthouse', { seed: 42 }), {
      apiKey: API_KEY,
      log,
      endpoint: new URL(fake.endpoint),
    });
    assert.equal(result.state, 'image');
    if (result.state !== 'image') return;
    assert.deepEqual(Array.from(result.image.bytes.slice(0, 3)), [0xff, 0xd8, 0xff]);
    assert.equal(result.image.seed, 42);
    assert.equal(result.image.requestId, requestId);
    assert.equal(result.image.cost, 0.1);
    assert.equal(fake.imageRequests.length, 1);
    assert.equal(fake.imageRequests[0].headers['x-api-key'], undefined, 'the image host never sees the key');
    for (const read of fake.jobReads) assert.equal(read.headers['x-api-key'], API_KEY);
  });

  it("a status or result read with a key changed since the submit is refused (the job is kept), the submit's key still reads it", async () => {
    fake.configure({ validKeys: [API_KEY], latencyMs: 3_600_000 });
    const r = routes(fake.endpoint);
    const requestId = await submit('Read with another key');
    const other = { apiKey: 'SG_another_key_0000', log };
    const status = await readJobStatus(r, requestId, other);
    assert.equal(status.state, 'refused');
    assert.equal(status.state === 'refused' && status.error.kind, 'unauthorized');
    const result = await fetchJobResult(r, requestId, request('Read with another key'), {
      ...other,
      endpoint: new URL(fake.endpoint),
    });
    assert.equal(result.state, 'refused');
    assert.deepEqual(
      fake.jobReads.map((read) => read.status),
      [401, 401],
    );
    const own = await readJobStatus(r, requestId, { apiKey: API_KEY, log });
    assert.ok(own.state === 'queued' || own.state === 'processing', own.state);
  });

  it('an endpoint without V2 answers the submit 404: no job, the caller may use v1', async () => {
    fake.configure({ asyncApi: false });
    const outcome = await submitJob(routes(fake.endpoint), request('No V2 here'), {
      endpoint: fake.endpoint,
      apiKey: API_KEY,
      log,
    });
    assert.deepEqual(outcome, { kind: 'no-async-route', status: 404 });
  });

  it("402 (V2's missing credits) is insufficient-credits, not billed", async () => {
    fake.configure({ credits: 0 });
    await assert.rejects(
      submitJob(routes(fake.endpoint), request('Broke'), { endpoint: fake.endpoint, apiKey: API_KEY, log }),
      (error: IdeogramError) =>
        error.kind === 'insufficient-credits' && error.status === 402 && !error.mayHaveBeenBilled,
    );
  });

  it('a connection reset after the submit was sent may have created a job: billed-maybe, never retried', async () => {
    fake.faultNext('reset-before-headers');
    await assert.rejects(
      submitJob(routes(fake.endpoint), request('Lost id'), { endpoint: fake.endpoint, apiKey: API_KEY, log }),
      (error: IdeogramError) => error.kind === 'network' && error.mayHaveBeenBilled,
    );
    assert.equal(fake.jobs.size, 1, 'the fake did create (and bill) a job');
  });

  it("FAILED comes back as 422 with the API's reason, on both routes", async () => {
    const r = routes(fake.endpoint);
    fake.failNext(422);
    const requestId = await submit('Refused');
    const status = await readJobStatus(r, requestId, { apiKey: API_KEY, log });
    assert.equal(status.state, 'failed');
    assert.match(status.state === 'failed' ? (status.message ?? '') : '', /safety check/);
    const result = await fetchJobResult(r, requestId, request('Refused'), {
      apiKey: API_KEY,
      log,
      endpoint: new URL(fake.endpoint),
    });
    assert.equal(result.state, 'failed');
  });

  it('a record older than the hour is expired (404), and so is an id Segmind never knew', async () => {
    const r = routes(fake.endpoint);
    const requestId = await submit('Too late');
    fake.expireJobs();
    assert.equal((await readJobStatus(r, requestId, { apiKey: API_KEY, log })).state, 'expired');
    assert.equal(
      (await readJobStatus(r, 'ffffffffffffffffffffffffffffffff', { apiKey: API_KEY, log })).state,
      'expired',
    );
  });

  it('a rate-limited or failing read is "unavailable" (ask later), never an error that loses the job', async () => {
    const r = routes(fake.endpoint);
    const requestId = await submit('Patience');
    fake.failReadsNext(429);
    assert.equal((await readJobStatus(r, requestId, { apiKey: API_KEY, log })).state, 'unavailable');
    fake.failReadsNext(503);
    assert.equal((await readJobStatus(r, requestId, { apiKey: API_KEY, log })).state, 'unavailable');
    assert.equal((await readJobStatus(r, requestId, { apiKey: API_KEY, log })).state, 'completed');
  });

  it('a read that cannot connect is "unavailable"', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = http.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const reading = await readJobStatus(
      routes(`http://127.0.0.1:${closed}/v1/ideogram-txt-2-img`),
      'abcdef0123456789',
      { apiKey: API_KEY, log },
    );
    assert.equal(reading.state, 'unavailable');
  });

  it('an unsafe image and a result URL that 404s are billed failures with their own message', async () => {
    const r = routes(fake.endpoint);
    fake.faultNext('unsafe-image');
    const unsafe = await submit('Unsafe');
    await assert.rejects(
      fetchJobResult(r, unsafe, request('Unsafe'), { apiKey: API_KEY, log, endpoint: new URL(fake.endpoint) }),
      (error: IdeogramError) => error.kind === 'safety-refusal' && error.mayHaveBeenBilled,
    );
    fake.faultNext('json-url-404');
    const missing = await submit('Missing');
    await assert.rejects(
      fetchJobResult(r, missing, request('Missing'), { apiKey: API_KEY, log, endpoint: new URL(fake.endpoint) }),
      (error: IdeogramError) => error.kind === 'bad-response' && error.status === 404,
    );
  });

  it('a 2xx submit without a request id is an error that says it may have been charged (nothing to poll)', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"QUEUED"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ideogram-txt-2-img`;
    try {
      await assert.rejects(
        submitJob(routes(endpoint), request('No id'), { endpoint, apiKey: API_KEY, log }),
        (error: IdeogramError) =>
          error.kind === 'bad-response' && error.mayHaveBeenBilled && error.reason === 'no-job-id',
      );
    } finally {
      server.close();
    }
  });
});

describe('a billed image whose download failed (nextDownloadTry)', () => {
  const submittedAt = Date.UTC(2026, 11, 4, 12, 0, 0);
  it('is fetched again after each wait of the schedule, then given up: a bounded number of tries', () => {
    let now = submittedAt + 20_000;
    const tries: number[] = [];
    for (let failed = 1; failed < 100; failed++) {
      const next = nextDownloadTry(failed, submittedAt, now);
      if (next === undefined) break;
      assert.equal(next - now, DOWNLOAD_RETRY_DELAYS_MS[failed - 1]);
      tries.push(next);
      now = next + 1_000;
    }
    assert.equal(tries.length, DOWNLOAD_RETRY_DELAYS_MS.length, 'as many tries again as the schedule has waits');
  });

  it('is not tried once Segmind no longer keeps the job (its record lives an hour)', () => {
    assert.equal(nextDownloadTry(1, submittedAt, submittedAt + JOB_RECORD_TTL_MS - 10_000), undefined);
    assert.equal(typeof nextDownloadTry(1, submittedAt, submittedAt + 60_000), 'number');
  });
});
