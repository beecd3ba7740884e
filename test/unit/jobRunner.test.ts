// The job runner's rules (src/core/jobRunner.ts) in plain Node, with a fake clock that jumps to each wait's end,
// a scripted Segmind and an in-memory store: resume after a reload, a billed job never sent twice, a COMPLETED
// job's image always saved (or kept to fetch again), 404/410 and the record's hour as expiry, and 429 waits.
import * as assert from 'node:assert/strict';
import {
  DOWNLOAD_RETRY_DELAYS_MS,
  expectedJobMs,
  JOB_RECORD_TTL_MS,
  MIN_POLL_GAP_MS,
  type JobReading,
  type JobResult,
  nextPollAt,
} from '../../src/core/asyncJob';
import { DEFAULT_MODEL } from '../../src/core/models/registry';
import type { GeneratedImage } from '../../src/core/client';
import { IdeogramError } from '../../src/core/errors';
import type { JobRecord } from '../../src/core/jobStore';
import type { JobState } from '../../src/core/jobStates';
import {
  EXPIRY_GRACE_MS,
  failJob,
  type JobClock,
  JobRunner,
  type JobStep,
  type JobTransport,
  lostJob,
  type RunningJob,
} from '../../src/core/jobRunner';
import { validateRequest } from '../../src/core/request';
import { planResume } from '../../src/core/resumeChecks';
import { failureOfStored } from '../../src/core/storedFailure';

const ENDPOINT = 'https://api.segmind.com/v1/ideogram-txt-2-img';
const START = Date.UTC(2026, 11, 4, 20, 0, 0);

/** Time moves only when the runner waits: each wait ends at once, at its time (or when its signal aborts). */
class FakeClock implements JobClock {
  time = START;
  readonly waits: Array<{ from: number; until: number }> = [];
  now(): number {
    return this.time;
  }
  async sleepUntil(until: number, signal: AbortSignal): Promise<void> {
    this.waits.push({ from: this.time, until });
    if (!signal.aborted) this.time = Math.max(this.time, until);
  }
}

function request() {
  const validation = validateRequest({ prompt: 'A lighthouse at dusk', seed: 42 });
  assert.ok(validation.ok);
  return validation.request;
}

function image(): GeneratedImage {
  return {
    bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
    type: { format: 'jpeg', extension: 'jpg', mimeType: 'image/jpeg' },
    request: request(),
    seed: 42,
    cost: 0.1,
    delivery: 'json-url',
  };
}

function newRecord(extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'job-0001-aaaa',
    route: 'v2',
    endpoint: ENDPOINT,
    request: request(),
    origin: 'palette',
    workspaceFolder: 'file:///w',
    folder: 'file:///w/assets',
    state: 'submitting',
    createdAt: START,
    ...extra,
  };
}

/** A job Segmind already has: what a reload leaves in the job store. */
function resumedRecord(state: JobState, extra: Partial<JobRecord> = {}): JobRecord {
  return newRecord({ state, requestId: 'req-0123456789', submittedAt: START, ...extra });
}

interface Script {
  submits?: Array<() => Promise<{ kind: 'submitted'; requestId: string; metrics: object }>>;
  statuses?: JobReading[];
  results?: Array<() => Promise<JobResult>>;
}

/** A scripted Segmind: each call takes the next answer; it counts what was sent. */
function fakeSegmind(script: Script) {
  const calls = { submit: 0, status: 0, result: 0, sync: 0 };
  const transport: JobTransport = {
    submit: async () => {
      const next = script.submits?.[calls.submit++];
      if (!next) throw new Error('unexpected submit');
      return next();
    },
    readStatus: async () => {
      const next = script.statuses?.[calls.status++];
      if (!next) throw new Error('unexpected status read');
      return next;
    },
    fetchResult: async () => {
      const next = script.results?.[calls.result++];
      if (!next) throw new Error('unexpected result read');
      return next();
    },
    generateSync: async () => {
      calls.sync++;
      return image();
    },
  };
  return { transport, calls };
}

const completed: JobReading = { state: 'completed', metrics: { totalTime: 12 }, body: {} };
const processing: JobReading = { state: 'processing', metrics: {}, rawStatus: 'PROCESSING' };

function harness(
  script: Script,
  options: { save?: () => Promise<void>; onSave?: () => void; pastDurations?: number[] } = {},
) {
  const clock = new FakeClock();
  const segmind = fakeSegmind(script);
  const persisted: JobState[] = [];
  const saved: GeneratedImage[] = [];
  const steps: JobStep[] = [];
  let submittedCalls = 0;
  const runner = new JobRunner<string>({
    clock,
    transport: segmind.transport,
    store: {
      persist: async (record) => {
        persisted.push(record.state);
      },
      holds: async () => true,
    },
    durations: { of: () => options.pastDurations ?? [], remember: () => undefined },
    save: async (_job, generated) => {
      options.onSave?.();
      await options.save?.();
      saved.push(generated);
      return { uri: 'file:///w/assets/lighthouse.jpg', saved: 'file:///w/assets/lighthouse.jpg' };
    },
    step: (_job, step) => steps.push(step),
    submitted: () => submittedCalls++,
    log: () => undefined,
    requestTimeoutMs: () => 120_000,
  });
  const run = (record: JobRecord, controller = new AbortController()) => {
    const job: RunningJob = { record, signal: controller.signal, submitSent: !!record.requestId };
    return { job, done: runner.run(job, 'SG_test-key') };
  };
  return { clock, calls: segmind.calls, persisted, saved, steps, run, submitted: () => submittedCalls };
}

async function failure(promise: Promise<unknown>): Promise<IdeogramError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof IdeogramError, String(error));
    return error;
  }
  assert.fail('the run should have failed');
}

describe('The job runner (plain Node, fake clock)', () => {
  it('a new job is submitted once, polled when it is expected to finish, and its image saved', async () => {
    const test = harness({
      submits: [async () => ({ kind: 'submitted', requestId: 'req-0123456789', metrics: {} })],
      statuses: [processing, completed],
      results: [async () => ({ state: 'image', image: image() })],
    });
    const record = newRecord();
    assert.equal(await test.run(record).done, 'file:///w/assets/lighthouse.jpg');
    assert.deepEqual(test.calls, { submit: 1, status: 2, result: 1, sync: 0 });
    assert.equal(record.state, 'saved');
    assert.equal(record.savedUri, 'file:///w/assets/lighthouse.jpg');
    assert.equal(record.requestId, 'req-0123456789');
    assert.deepEqual(test.persisted, ['queued', 'processing', 'downloading', 'saved']);
    assert.equal(test.submitted(), 1, 'the caller hears once that Segmind has it');
    assert.ok(
      test.clock.waits.every((wait) => wait.until > wait.from),
      'every status read waits for its planned time',
    );
  });

  it('the first status read keeps its planned time although the submit took a while to answer', async () => {
    const started: { clock?: FakeClock } = {};
    const test = harness(
      {
        submits: [
          async () => {
            if (started.clock) started.clock.time += 40; // the submit's answer comes 40 ms after it left
            return { kind: 'submitted', requestId: 'req-0123456789', metrics: {} };
          },
        ],
        statuses: [completed],
        results: [async () => ({ state: 'image', image: image() })],
      },
      { pastDurations: [50, 60, 70, 80] }, // a model whose jobs take well under a second: read at 0.5 s
    );
    started.clock = test.clock;
    const record = newRecord();
    await test.run(record).done;
    const reads = test.clock.waits.map((wait) => wait.until - (record.submittedAt ?? NaN));
    assert.deepEqual(reads, [MIN_POLL_GAP_MS], `status reads at ${reads.join(', ')} ms after the submit`);
  });

  it("reads on the model's schedule: half way too while the model's past jobs here have not confirmed its typical time", async () => {
    const readsOf = async (pastDurations: number[]) => {
      const test = harness(
        {
          statuses: [processing, processing, processing, completed],
          results: [async () => ({ state: 'image', image: image() })],
        },
        { pastDurations },
      );
      await test.run(resumedRecord('processing')).done;
      return test.clock.waits.map((wait) => wait.until - START);
    };
    const typical = DEFAULT_MODEL.typicalLatencyMs;
    const fresh = await readsOf([]);
    const expectedFresh = expectedJobMs([], typical);
    assert.equal(fresh[1], nextPollAt(fresh[0], expectedFresh, false), 'the second read follows the unsettled plan');
    assert.ok(fresh.includes(expectedFresh / 2), `a read half way (${expectedFresh / 2}): ${fresh.join(', ')}`);
    const settledPast = [expectedFresh, expectedFresh, expectedFresh, expectedFresh];
    const settled = await readsOf(settledPast);
    const expectedSettled = expectedJobMs(settledPast, typical);
    assert.equal(settled[1], nextPollAt(settled[0], expectedSettled, true));
    assert.ok(!settled.includes(expectedSettled / 2), `no read half way once settled: ${settled.join(', ')}`);
    // One past job that confirmed the typical time is enough; one far shorter is not (a fast proxy, a fake).
    const confirmed = await readsOf([typical]);
    assert.ok(!confirmed.includes(typical / 2), `no read half way after a confirming job: ${confirmed.join(', ')}`);
    const fast = await readsOf([typical / 10]);
    const expectedAfterFast = expectedJobMs([typical / 10], typical);
    assert.ok(fast.includes(expectedAfterFast / 2), `half way after a fast job: ${fast.join(', ')}`);
  });

  it('resume after a reload: a job with a request id is polled and saved, never submitted again', async () => {
    const test = harness({
      statuses: [processing, completed],
      results: [async () => ({ state: 'image', image: image() })],
    });
    const record = resumedRecord('processing');
    await test.run(record).done;
    assert.equal(test.calls.submit, 0, 'nothing is sent twice: the job is billed once');
    assert.equal(record.state, 'saved');
    assert.equal(test.saved.length, 1);
  });

  it('a submit that may have reached Segmind (the connection broke after sending) is never retried', async () => {
    const test = harness({
      submits: [
        async () => {
          throw new IdeogramError({ kind: 'network', mayHaveBeenBilled: true, retryable: false });
        },
      ],
    });
    const record = newRecord();
    const error = await failure(test.run(record).done);
    assert.equal(test.calls.submit, 1);
    const { error: told } = failJob(record, error, false, test.clock.now());
    assert.equal(told.mayHaveBeenBilled, true);
    assert.equal(record.state, 'failed');
  });

  it('a COMPLETED job whose image arrives after the user discarded it is still saved (it is paid for)', async () => {
    const controller = new AbortController();
    const test = harness({
      statuses: [completed],
      results: [
        async () => {
          controller.abort(); // the user discards while the image is being downloaded
          return { state: 'image', image: image() };
        },
      ],
    });
    const record = resumedRecord('queued');
    await test.run(record, controller).done;
    assert.equal(record.state, 'saved');
    assert.equal(test.saved.length, 1);
  });

  it('a billed image that cannot be saved or downloaded is kept to fetch again, then given up as billed', async () => {
    const test = harness(
      { statuses: [completed], results: [async () => ({ state: 'image', image: image() })] },
      {
        save: async () => {
          throw new Error('EROFS: read-only file system');
        },
      },
    );
    const record = resumedRecord('queued');
    const error = await failure(test.run(record).done);
    const kept = failJob(record, error, false, test.clock.now());
    assert.equal(record.state, 'downloading', 'kept: its image is billed');
    assert.equal(kept.error.reason, 'download-kept');
    assert.ok(kept.retryAt !== undefined && kept.retryAt > test.clock.now());
    assert.equal(failureOfStored(record.failure!)?.reason, 'download-kept', 'stored as data');
    // Each later try fails too: after the last planned one the job ends as failed and billed, never resubmitted.
    let last = kept;
    for (let tries = 2; last.retryAt !== undefined; tries++) {
      assert.ok(tries <= DOWNLOAD_RETRY_DELAYS_MS.length + 1, 'the tries are bounded');
      last = failJob(record, new IdeogramError({ kind: 'network', reason: 'download-broke' }), false, last.retryAt);
    }
    assert.equal(last.error.reason, 'download-gave-up');
    assert.equal(last.error.mayHaveBeenBilled, true);
    assert.equal(record.state, 'failed');
    assert.equal(test.calls.submit, 0);
  });

  it('a kept job resumed later fetches its result again without submitting (its state is downloading)', async () => {
    const test = harness({ statuses: [completed], results: [async () => ({ state: 'image', image: image() })] });
    const record = resumedRecord('downloading', { downloadTries: 1, retryAt: START - 1 });
    assert.deepEqual(planResume(record, { now: START, currentEndpoint: ENDPOINT, checkNow: false }), {
      kind: 'resume',
      folderOutside: false,
      insertionOutside: false,
    });
    await test.run(record).done;
    assert.equal(test.calls.submit, 0);
    assert.equal(record.state, 'saved');
  });

  it('404/410 from the status route: the job expired at Segmind (maybe billed), not a failure to try again', async () => {
    const test = harness({ statuses: [{ state: 'expired' }] });
    const record = resumedRecord('processing');
    const error = await failure(test.run(record).done);
    assert.equal(error.kind, 'expired');
    const { error: told, retryAt } = failJob(record, error, false, test.clock.now());
    assert.equal(record.state, 'expired');
    assert.equal(retryAt, undefined);
    assert.equal(told.mayHaveBeenBilled, true);
  });

  it("past the record's hour, a job still reported running is given up as expired, without waiting further", async () => {
    const test = harness({ statuses: [processing] });
    const record = resumedRecord('processing', { submittedAt: START - JOB_RECORD_TTL_MS - EXPIRY_GRACE_MS - 1 });
    const error = await failure(test.run(record).done);
    assert.equal(error.kind, 'expired');
    assert.equal(test.clock.waits.length, 0, 'no wait past the hour');
  });

  it('429 on submit: waits until the rate limit resets, says so, then submits (once more only)', async () => {
    const test = harness({
      submits: [
        async () => {
          throw new IdeogramError({
            kind: 'rate-limited',
            status: 429,
            retryable: true,
            resetAt: new Date(START + 10_000),
          });
        },
        async () => ({ kind: 'submitted', requestId: 'req-0123456789', metrics: {} }),
      ],
      statuses: [completed],
      results: [async () => ({ state: 'image', image: image() })],
    });
    const record = newRecord();
    await test.run(record).done;
    assert.equal(test.calls.submit, 2);
    assert.ok(test.steps.some((step) => step.kind === 'retry-wait' && step.reason === 'rate-limited'));
    assert.ok(record.submittedAt! >= START + 10_000, 'the second submit went after the reset');
  });

  it('429 on a status read: the next read waits for the reset, at most a minute', async () => {
    const test = harness({
      statuses: [{ state: 'unavailable', reason: 'rate limited', retryAt: new Date(START + 10 * 60_000) }, completed],
      results: [async () => ({ state: 'image', image: image() })],
    });
    const record = resumedRecord('processing');
    await test.run(record).done;
    const limited = test.clock.waits.find((wait) => wait.until - wait.from === 60_000);
    assert.ok(limited, `a one-minute wait: ${JSON.stringify(test.clock.waits)}`);
  });

  it('Segmind says the job failed: not billed, ends as failed; a safety refusal is named as one', async () => {
    const test = harness({ statuses: [{ state: 'failed', metrics: {}, message: 'NSFW content detected' }] });
    const record = resumedRecord('processing');
    const error = await failure(test.run(record).done);
    assert.equal(error.kind, 'safety-refusal');
    const { error: told } = failJob(record, error, false, test.clock.now());
    assert.equal(told.mayHaveBeenBilled, false);
    assert.equal(record.state, 'failed');
  });

  it('the user discarding a job that is still queued ends it as discarded, with no image fetched', async () => {
    const controller = new AbortController();
    controller.abort();
    const test = harness({ statuses: [processing] });
    const record = resumedRecord('queued');
    const error = await failure(test.run(record, controller).done);
    failJob(record, error, true, test.clock.now());
    assert.equal(record.state, 'discarded');
    assert.equal(test.calls.result, 0);
  });
});

describe('Resuming a job read back from disk (planResume)', () => {
  const now = START;
  it('a job cut off while being sent (no request id) is lost, reported once as maybe billed', () => {
    const record = newRecord({ state: 'submitting' });
    assert.deepEqual(planResume(record, { now, currentEndpoint: ENDPOINT, checkNow: false }), { kind: 'lost' });
    const error = lostJob(record, 'A lighthouse', now);
    assert.equal(record.state, 'lost');
    assert.equal(error.mayHaveBeenBilled, true);
    assert.equal(failureOfStored(record.failure!)?.reason, 'lost-before-id');
  });

  it('a job sent to another origin is not resumed without asking; one sent where the key may not go, never', () => {
    const elsewhere = resumedRecord('queued', { endpoint: 'https://proxy.example.com/v1/ideogram-txt-2-img' });
    assert.deepEqual(planResume(elsewhere, { now, currentEndpoint: ENDPOINT, checkNow: false }), {
      kind: 'elsewhere',
      origin: 'https://proxy.example.com',
    });
    const plain = resumedRecord('queued', { endpoint: 'http://evil.example.com/v1/ideogram-txt-2-img' });
    assert.deepEqual(planResume(plain, { now, currentEndpoint: ENDPOINT, checkNow: false }), { kind: 'refused' });
  });

  it('a kept download waits for its time unless the user asks to check now; a folder leading out is flagged', () => {
    const kept = resumedRecord('downloading', { retryAt: now + 30_000 });
    assert.deepEqual(planResume(kept, { now, currentEndpoint: ENDPOINT, checkNow: false }), {
      kind: 'wait',
      until: now + 30_000,
    });
    assert.equal(planResume(kept, { now, currentEndpoint: ENDPOINT, checkNow: true }).kind, 'resume');
    const planted = resumedRecord('queued', {
      folder: 'file:///w/%2E%2E/elsewhere',
      insertion: { document: 'file:///other/a.md', offset: 0, before: '', after: '', prefix: '' },
    });
    assert.deepEqual(planResume(planted, { now, currentEndpoint: ENDPOINT, checkNow: false }), {
      kind: 'resume',
      folderOutside: true,
      insertionOutside: true,
    });
  });
});
