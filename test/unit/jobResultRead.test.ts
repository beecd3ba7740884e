// The one retry of a COMPLETED job's result read (src/core/jobResultRead.ts), for generations and Describe alike, in
// plain Node with a fake clock: an answer that is not there yet is read again after 0.5 s, 1 s, 2 s, … up to the
// caller's number of reads, a final answer or a thrown failure is handed back at once, a wait ended by the user's
// stop makes no more reads, and a give-up hands back the last answer. It never submits: it is given only a read.
import * as assert from 'node:assert/strict';
import type { JobReading } from '../../src/core/asyncJob';
import { IdeogramError } from '../../src/core/errors';
import type { JobClock } from '../../src/core/jobPolling';
import { readResultWithRetries, RESULT_READ_FIRST_WAIT_MS } from '../../src/core/jobResultRead';

const START = Date.UTC(2026, 11, 5, 9, 0, 0);

const completed: JobReading = { state: 'completed', metrics: { cost: 0.08 }, body: { output: 'https://x/y.png' } };
const processing: JobReading = { state: 'processing', metrics: {}, rawStatus: 'PROCESSING' };
const queued: JobReading = { state: 'queued', metrics: {}, rawStatus: 'QUEUED' };
const rateLimited: JobReading = { state: 'unavailable', reason: 'rate limited (429)' };
const networkDown: JobReading = { state: 'unavailable', reason: 'ECONNRESET' };

/** Time moves only when the loop waits: each wait ends at its time, or where it is when its signal aborts. */
class FakeClock implements JobClock {
  time = START;
  readonly waits: Array<{ from: number; until: number }> = [];
  duringWait?: (index: number) => void;
  now(): number {
    return this.time;
  }
  async sleepUntil(until: number, signal: AbortSignal): Promise<void> {
    this.waits.push({ from: this.time - START, until: until - START });
    this.duringWait?.(this.waits.length - 1);
    if (!signal.aborted) this.time = Math.max(this.time, until);
  }
}

/** A scripted result route: each read takes the next answer (and `readMs` of time); it notes when it was read. */
function resultRoute(clock: FakeClock, answers: Array<JobReading | Error>, readMs = 0) {
  const readsAt: number[] = [];
  const read = async (): Promise<JobReading> => {
    readsAt.push(clock.time - START);
    const answer = answers.shift();
    if (!answer) throw new Error('read after the last scripted answer');
    clock.time += readMs;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { readsAt, read };
}

function readResult(clock: FakeClock, read: () => Promise<JobReading>, attempts: number, signal?: AbortSignal) {
  return readResultWithRetries({ clock, signal: signal ?? new AbortController().signal, attempts, read });
}

describe('Reading a completed job’s result (readResultWithRetries)', () => {
  it('hands back the result of the first read without waiting', async () => {
    const clock = new FakeClock();
    const route = resultRoute(clock, [completed]);
    assert.deepEqual(await readResult(clock, route.read, 5), completed);
    assert.deepEqual(route.readsAt, [0]);
    assert.deepEqual(clock.waits, []);
  });

  it('reads again after 0.5 s, 1 s and 2 s while the answer is not there, and hands back the one that is', async () => {
    const clock = new FakeClock();
    const route = resultRoute(clock, [rateLimited, processing, queued, completed]);
    assert.deepEqual(await readResult(clock, route.read, 5), completed);
    assert.equal(RESULT_READ_FIRST_WAIT_MS, 500);
    assert.deepEqual(route.readsAt, [0, 500, 1_500, 3_500]);
    assert.deepEqual(clock.waits, [
      { from: 0, until: 500 },
      { from: 500, until: 1_500 },
      { from: 1_500, until: 3_500 },
    ]);
  });

  for (const attempts of [5, 4, 1]) {
    it(`gives up after ${attempts} read${attempts > 1 ? 's' : ''}, with the last answer to say why`, async () => {
      const clock = new FakeClock();
      const answers: JobReading[] = [...Array<JobReading>(attempts - 1).fill(rateLimited), networkDown, completed];
      const route = resultRoute(clock, answers);
      assert.deepEqual(await readResult(clock, route.read, attempts), { state: 'gave-up', last: networkDown });
      assert.equal(route.readsAt.length, attempts);
      // 500 ms·2ⁿ between reads, none after the last: 0.5 + 1 + 2 + 4 s for five reads.
      const gaps = route.readsAt.slice(1).map((at, n) => at - route.readsAt[n]);
      assert.deepEqual(
        gaps,
        gaps.map((_, n) => 500 * 2 ** n),
      );
      assert.equal(clock.waits.length, attempts - 1);
      assert.deepEqual(answers, [completed], 'the result that came later was never read');
    });
  }

  it('counts each wait from the end of a slow read', async () => {
    const clock = new FakeClock();
    const route = resultRoute(clock, [processing, processing, completed], 3_000);
    assert.deepEqual(await readResult(clock, route.read, 5), completed);
    assert.deepEqual(route.readsAt, [0, 3_500, 7_500]);
  });

  for (const final of [
    { state: 'failed', metrics: {}, message: 'NSFW content detected' },
    { state: 'expired', message: 'not found' },
    { state: 'refused', error: new IdeogramError({ kind: 'unauthorized' }) },
  ] satisfies JobReading[]) {
    it(`hands back Segmind’s ${final.state} answer at once and does not read again`, async () => {
      const clock = new FakeClock();
      const route = resultRoute(clock, [rateLimited, final, completed]);
      assert.equal(await readResult(clock, route.read, 5), final);
      assert.deepEqual(route.readsAt, [0, 500]);
    });
  }

  it('does not read again after a read that threw (a damaged download): the failure is handed on', async () => {
    const clock = new FakeClock();
    const damaged = new IdeogramError({ kind: 'bad-response', reason: 'not-an-image', mayHaveBeenBilled: true });
    const route = resultRoute(clock, [rateLimited, damaged, completed]);
    await assert.rejects(readResult(clock, route.read, 5), (error) => error === damaged);
    assert.deepEqual(route.readsAt, [0, 500]);
  });

  it('makes no more reads once the user stops during a wait, and that wait ends at once', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    clock.duringWait = (index) => {
      if (index === 1) controller.abort();
    };
    const route = resultRoute(clock, [rateLimited, rateLimited, completed]);
    assert.deepEqual(await readResult(clock, route.read, 5, controller.signal), { state: 'stopped' });
    assert.deepEqual(route.readsAt, [0, 500]);
    assert.equal(clock.time - START, 500, 'the wait stopped where it was');
  });

  it('still hands back a final answer that came while the user stopped (the read was under way)', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const route = resultRoute(clock, [completed]);
    const read = () => {
      controller.abort();
      return route.read();
    };
    assert.deepEqual(await readResult(clock, read, 5, controller.signal), completed);
  });
});
