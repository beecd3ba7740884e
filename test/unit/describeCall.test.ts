// Unit tests for one Describe call (src/core/describeCall.ts) with a fake clock and a fake Segmind transport:
// submitted once, read on the poll schedule, the text read from the result, the v1 fallback, and no second submit
// after anything that may have been billed.
import * as assert from 'node:assert/strict';
import { asyncRoutesFor, nextPollAt, type JobReading, type SubmitOutcome } from '../../src/core/asyncJob';
import type { ClientOptions } from '../../src/core/client';
import { describeImage, type DescribeTransport, type SyncAnswer } from '../../src/core/describeCall';
import { IdeogramError } from '../../src/core/errors';
import type { JobClock } from '../../src/core/jobRunner';
import { ideogramDescribe } from '../../src/core/models/ideogramDescribe';
import { validateRequest } from '../../src/core/request';

const START = 1_700_000_000_000;
const ENDPOINT = 'https://api.segmind.com/v1/ideogram-txt-2-img';

class FakeClock implements JobClock {
  time = START;
  readonly waits: number[] = [];
  now(): number {
    return this.time;
  }
  async sleepUntil(until: number, signal: AbortSignal): Promise<void> {
    this.waits.push(until - START);
    if (!signal.aborted) this.time = Math.max(this.time, until);
  }
}

function describeRequest() {
  const validation = validateRequest({
    model: ideogramDescribe.slug,
    prompt: 'shot.png',
    image_file: 'https://images.segmind.com/uploads/shot.png',
  });
  assert.ok(validation.ok, JSON.stringify(!validation.ok && validation.problems));
  return validation.request;
}

/** A Segmind whose answers are scripted; it records every call. */
class FakeTransport implements DescribeTransport {
  submits: string[] = [];
  statusReads: number[] = [];
  syncCalls: string[] = [];
  constructor(
    readonly clock: FakeClock,
    readonly script: {
      submit?: () => SubmitOutcome;
      statuses?: JobReading[];
      result?: JobReading;
      sync?: () => SyncAnswer;
    },
  ) {}
  async submit(routes: ReturnType<typeof asyncRoutesFor> & object): Promise<SubmitOutcome> {
    this.submits.push(routes.submit.pathname);
    return this.script.submit?.() ?? { kind: 'submitted', requestId: 'abcdef0123456789', metrics: {} };
  }
  async readStatus(): Promise<JobReading> {
    this.statusReads.push(this.clock.time - START);
    return this.script.statuses?.shift() ?? { state: 'completed', metrics: {}, body: {} };
  }
  async readResult(): Promise<JobReading> {
    return (
      this.script.result ?? {
        state: 'completed',
        metrics: { cost: 0.015, remainingCredits: 9.5 },
        body: { status: 'COMPLETED', output: JSON.stringify({ descriptions: [{ text: 'A red car on a road' }] }) },
      }
    );
  }
  async describeSync(url: URL, _request: unknown, options: ClientOptions): Promise<SyncAnswer> {
    this.syncCalls.push(`${url.pathname} ${options.endpoint}`);
    return this.script.sync?.() ?? { answer: { descriptions: [{ text: 'A blue boat' }] }, cost: 0.015 };
  }
}

const options = { endpoint: ENDPOINT, apiKey: 'sg_test', timeoutMs: 300_000 };

describe('Describe call', () => {
  it('submits once to Describe’s V2 route, reads on the poll schedule, and returns the text and the cost', async () => {
    const clock = new FakeClock();
    const processing: JobReading = { state: 'processing', metrics: {}, rawStatus: 'PROCESSING' };
    const transport = new FakeTransport(clock, { statuses: [processing, processing] });
    let submitted = 0;
    const description = await describeImage(
      describeRequest(),
      { ...options, onSubmitted: () => submitted++ },
      { clock, transport },
    );
    assert.deepEqual(description, { text: 'A red car on a road', cost: 0.015, remainingCredits: 9.5, route: 'v2' });
    assert.deepEqual(transport.submits, ['/v2/ideogram-describe']);
    assert.equal(submitted, 1);
    // The reads are the schedule's for Describe's typical latency (a fresh machine: the half-way read too).
    const expected: number[] = [];
    for (let at = 0; expected.length < 3;)
      expected.push((at = nextPollAt(at, ideogramDescribe.typicalLatencyMs, false)));
    assert.deepEqual(transport.statusReads, expected);
  });

  it('asks the v1 route when the endpoint has no V2 (404/405 on submit), as a generation does', async () => {
    const clock = new FakeClock();
    const transport = new FakeTransport(clock, { submit: () => ({ kind: 'no-async-route', status: 404 }) });
    const description = await describeImage(describeRequest(), options, { clock, transport });
    assert.equal(description.text, 'A blue boat');
    assert.equal(description.route, 'v1');
    assert.deepEqual(transport.syncCalls, ['/v1/ideogram-describe https://api.segmind.com/v1/ideogram-describe']);
    assert.equal(transport.statusReads.length, 0);
  });

  it('never submits again after a submit that may have been billed', async () => {
    const clock = new FakeClock();
    const transport = new FakeTransport(clock, {
      submit: () => {
        throw new IdeogramError({ kind: 'network', reason: 'download-broke', mayHaveBeenBilled: true });
      },
    });
    await assert.rejects(describeImage(describeRequest(), options, { clock, transport }), (error: IdeogramError) => {
      assert.equal(error.kind, 'network');
      assert.equal(error.mayHaveBeenBilled, true);
      return true;
    });
    assert.equal(transport.submits.length, 1);
    assert.equal(transport.syncCalls.length, 0);
  });

  it('retries a submit refused before anything was made (503), then goes on', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const transport = new FakeTransport(clock, {
      submit: () => {
        if (calls++ === 0) throw new IdeogramError({ kind: 'service-unavailable', status: 503, retryable: true });
        return { kind: 'submitted', requestId: 'abcdef0123456789', metrics: {} };
      },
    });
    const description = await describeImage(describeRequest(), options, { clock, transport });
    assert.equal(description.text, 'A red car on a road');
    assert.equal(transport.submits.length, 2);
  });

  it('says a job Segmind failed is not billed, and a finished job without text is', async () => {
    const clock = new FakeClock();
    const failed = new FakeTransport(clock, { statuses: [{ state: 'failed', metrics: {}, message: 'bad image' }] });
    await assert.rejects(describeImage(describeRequest(), options, { clock, transport: failed }), {
      kind: 'generation-failed',
      mayHaveBeenBilled: false,
    });
    const empty = new FakeTransport(new FakeClock(), {
      result: { state: 'completed', metrics: {}, body: { status: 'COMPLETED', output: '' } },
    });
    await assert.rejects(describeImage(describeRequest(), options, { clock: empty.clock, transport: empty }), {
      kind: 'bad-response',
      reason: 'no-description',
      mayHaveBeenBilled: true,
    });
  });

  it('stops waiting at the timeout without asking again, saying it may be billed', async () => {
    const clock = new FakeClock();
    const processing: JobReading = { state: 'processing', metrics: {}, rawStatus: 'PROCESSING' };
    const transport = new FakeTransport(clock, { statuses: Array.from({ length: 1000 }, () => processing) });
    await assert.rejects(describeImage(describeRequest(), { ...options, timeoutMs: 20_000 }, { clock, transport }), {
      kind: 'timeout',
      mayHaveBeenBilled: true,
    });
    assert.ok(clock.time - START <= 20_000);
    assert.equal(transport.submits.length, 1);
  });

  it('stops when the user cancels after the submit, saying it may be billed', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const transport = new FakeTransport(clock, {
      submit: () => {
        controller.abort();
        return { kind: 'submitted', requestId: 'abcdef0123456789', metrics: {} };
      },
    });
    await assert.rejects(
      describeImage(describeRequest(), { ...options, signal: controller.signal }, { clock, transport }),
      { kind: 'cancelled', reason: 'after-send', mayHaveBeenBilled: true },
    );
    assert.equal(transport.statusReads.length, 0);
  });
});
