// The one loop that waits for a submitted Segmind job (src/core/jobPolling.ts), for generations and Describe alike,
// in plain Node with a fake clock: it reads the status when the schedule says, keeps the gap from the last read, is
// stopped mid-wait, hands back Segmind's final word, rides out reads that could not be answered, and stops at
// either caller's limit. It never submits: it is given only a status read.
import * as assert from 'node:assert/strict';
import { JOB_RECORD_TTL_MS, type JobReading, MIN_POLL_GAP_MS, nextPollAt } from '../../src/core/asyncJob';
import { IdeogramError } from '../../src/core/errors';
import {
  type JobClock,
  MAX_UNAVAILABLE_WAIT_MS,
  type PollOptions,
  type PollOutcome,
  pollUntilTerminal,
} from '../../src/core/jobPolling';

const SUBMITTED = Date.UTC(2026, 11, 5, 9, 0, 0);
const EXPECTED = 21_600;

const processing: JobReading = { state: 'processing', metrics: {}, rawStatus: 'PROCESSING' };
const queued: JobReading = { state: 'queued', metrics: {}, rawStatus: 'QUEUED' };
const completed: JobReading = { state: 'completed', metrics: { cost: 0.08 }, body: { output: 'https://x/y.png' } };

/** Time moves only when the loop waits: each wait ends at its time, or where it is when its signal aborts. */
class FakeClock implements JobClock {
  time: number;
  readonly waits: Array<{ from: number; until: number }> = [];
  /** Runs while a wait is under way (the user stops the job, presses "Check Again"). */
  duringWait?: (index: number) => void;
  constructor(start = SUBMITTED) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  async sleepUntil(until: number, signal: AbortSignal): Promise<void> {
    this.waits.push({ from: this.time, until });
    this.duringWait?.(this.waits.length - 1);
    if (!signal.aborted) this.time = Math.max(this.time, until);
  }
}

/** A scripted Segmind status route: each read takes the next answer (and `readMs` of time); it notes when it was read. */
function statusRoute(clock: FakeClock, answers: JobReading[], readMs = 0) {
  const readsAt: number[] = [];
  const readStatus = async (): Promise<JobReading> => {
    readsAt.push(clock.time - SUBMITTED);
    const answer = answers.shift();
    if (!answer) throw new Error('read after the last scripted answer');
    clock.time += readMs;
    return answer;
  };
  return { readsAt, readStatus };
}

/** A job submitted at SUBMITTED, expected to take EXPECTED, of a model with no history here (not settled). */
function baseOptions(clock: JobClock, readStatus: () => Promise<JobReading>): PollOptions {
  return {
    clock,
    signal: new AbortController().signal,
    readStatus,
    submittedAt: SUBMITTED,
    expectedMs: EXPECTED,
    settled: false,
  };
}

function poll(clock: FakeClock, readStatus: () => Promise<JobReading>, extra: Partial<PollOptions> = {}) {
  return pollUntilTerminal({ ...baseOptions(clock, readStatus), ...extra });
}

/** The schedule's own read times (asyncJob.ts), each next read planned from the one before. */
function plannedReads(count: number, expected: number, settled: boolean, firstAt = 0, readMs = 0): number[] {
  const reads: number[] = [];
  let now = firstAt;
  let lastRead = -Infinity;
  while (reads.length < count) {
    lastRead = nextPollAt(now, expected, settled, lastRead);
    reads.push(lastRead);
    now = lastRead + readMs;
  }
  return reads;
}

describe('Waiting for a submitted job (pollUntilTerminal)', () => {
  it('reads the status at the times of the poll schedule until the job completes, and hands back its result', async () => {
    for (const settled of [false, true]) {
      const clock = new FakeClock();
      const route = statusRoute(clock, [queued, processing, processing, completed]);
      const outcome = await poll(clock, route.readStatus, { settled });
      assert.deepEqual(outcome, completed);
      assert.deepEqual(route.readsAt, plannedReads(4, EXPECTED, settled), settled ? 'settled' : 'first jobs');
    }
    // A first job of a model is also read half way; a settled one is not (the two plans differ).
    assert.notDeepEqual(plannedReads(4, EXPECTED, false), plannedReads(4, EXPECTED, true));
  });

  it('tells the caller each queued or running answer, and waits for what it does with it before the next read', async () => {
    const clock = new FakeClock();
    const route = statusRoute(clock, [queued, processing, completed]);
    const events: string[] = [];
    await poll(clock, route.readStatus, {
      onRunning: async (reading) => {
        events.push(`${reading.state} at ${clock.time - SUBMITTED}`);
        await Promise.resolve();
        clock.time += 40; // persisting the job takes a moment
        events.push('persisted');
      },
    });
    clock.waits.forEach((wait) => events.push(`wait from ${wait.from - SUBMITTED}`));
    const [first, second] = route.readsAt;
    assert.deepEqual(events.slice(0, 4), [`queued at ${first}`, 'persisted', `processing at ${second}`, 'persisted']);
    assert.equal(clock.waits[1].from - SUBMITTED, first + 40, 'the second wait starts after the persisting');
  });

  it('keeps the first planned read when it is called a little after the submit (no read yet: no gap to keep)', async () => {
    // A model whose jobs take 0.1 s: the plan's first read is at 0.5 s. The submit's answer came 40 ms after it left.
    const clock = new FakeClock(SUBMITTED + 40);
    const route = statusRoute(clock, [completed]);
    await poll(clock, route.readStatus, { expectedMs: 100, settled: true });
    assert.deepEqual(route.readsAt, [MIN_POLL_GAP_MS]);
  });

  it('reads a job resumed long after its submit at once, then keeps the gap from that read', async () => {
    const resumedAt = 5 * 60_000; // a reload five minutes after the submit, far past the job's plan
    const clock = new FakeClock(SUBMITTED + resumedAt);
    const route = statusRoute(clock, [processing, processing, completed]);
    await poll(clock, route.readStatus, { settled: true });
    assert.equal(route.readsAt[0], resumedAt, 'read at once');
    assert.deepEqual(route.readsAt, plannedReads(3, EXPECTED, true, resumedAt));
    assert.ok(route.readsAt[1] - route.readsAt[0] >= MIN_POLL_GAP_MS);
  });

  it('keeps the gap from when a read was made, not from when its slow answer came', async () => {
    const clock = new FakeClock();
    const readMs = 450; // each answer takes 0.45 s to come
    const route = statusRoute(clock, [processing, processing, processing, processing, completed], readMs);
    await poll(clock, route.readStatus, { expectedMs: 2_000, settled: true });
    assert.deepEqual(route.readsAt, plannedReads(5, 2_000, true, 0, readMs));
    // The dense span's reads 0.7 to 0.8 s apart stay where they are, although each answer took 0.45 s (not 0.5 s
    // after each answer: 2150, 3650, 5100, …).
    assert.deepEqual(route.readsAt.slice(0, 4), [2_150, 2_850, 3_650, 4_450]);
  });

  it('stops in the middle of a wait when the caller aborts: no further read', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    clock.duringWait = (index) => {
      if (index === 1) controller.abort(); // the user stops the job while it waits for its second read
    };
    const route = statusRoute(clock, [processing, processing, completed]);
    const outcome = await poll(clock, route.readStatus, { signal: controller.signal });
    assert.deepEqual(outcome, { state: 'stopped' });
    assert.equal(route.readsAt.length, 1);
    assert.ok(clock.time - SUBMITTED < plannedReads(2, EXPECTED, false)[1], 'the wait ended early');
  });

  it('ends a wait that only the abort can end (a real clock would sleep on): the wait is given the signal', async () => {
    const clock: JobClock = {
      now: () => SUBMITTED,
      // A wait that never ends by itself: only an abort of the signal it was given ends it.
      sleepUntil: (_time, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
    };
    let reads = 0;
    const readStatus = async () => (reads++, processing);
    for (const onWait of [undefined, () => () => undefined]) {
      const controller = new AbortController();
      const waiting = pollUntilTerminal({ ...baseOptions(clock, readStatus), signal: controller.signal, onWait });
      setImmediate(() => controller.abort());
      assert.deepEqual(await waiting, { state: 'stopped' }, onWait ? 'a wakeable wait' : 'a plain wait');
    }
    assert.equal(reads, 0);
  });

  it("a job stopped while Segmind's answer is being handled does not sit out the next wait (any wait)", async () => {
    for (const onWait of [undefined, () => () => undefined]) {
      let waits = 0;
      const clock: JobClock = {
        now: () => SUBMITTED,
        // The first wait ends; the next never ends by itself: only the signal it was given, aborted, ends it.
        sleepUntil: (_time, signal) =>
          new Promise((resolve) => {
            if (waits++ === 0 || signal.aborted) resolve();
            else signal.addEventListener('abort', () => resolve());
          }),
      };
      const controller = new AbortController();
      let reads = 0;
      const outcome = await pollUntilTerminal({
        ...baseOptions(clock, async () => (reads++, processing)),
        signal: controller.signal,
        // The user stops the job while the runner saves the first answer, before the next wait begins.
        onRunning: () => controller.abort(),
        onWait,
      });
      assert.deepEqual(outcome, { state: 'stopped' }, onWait ? 'a wakeable wait' : 'a plain wait');
      assert.equal(reads, 1);
    }
  });

  it('makes no read once the caller has stopped before it', async () => {
    const controller = new AbortController();
    controller.abort();
    const clock = new FakeClock();
    const route = statusRoute(clock, [completed]);
    assert.deepEqual(await poll(clock, route.readStatus, { signal: controller.signal }), { state: 'stopped' });
    assert.deepEqual(route.readsAt, []);
  });

  it('"Check Again" ends the current wait at once: the next read comes then, and the wake is withdrawn after', async () => {
    const clock = new FakeClock();
    let wake: (() => void) | undefined;
    const withdrawn: number[] = [];
    clock.duringWait = (index) => {
      if (index === 0) {
        clock.time += 1_000; // a second into the first wait the user presses Check Again
        wake?.();
      }
    };
    const route = statusRoute(clock, [processing, completed]);
    await poll(clock, route.readStatus, {
      onWait: (stop) => {
        wake = stop;
        return () => {
          withdrawn.push(clock.time - SUBMITTED);
          wake = undefined;
        };
      },
    });
    assert.equal(route.readsAt[0], 1_000, 'read when the user asked, not at the planned time');
    assert.equal(route.readsAt[1], nextPollAt(1_000, EXPECTED, false, 1_000), 'then on the schedule again');
    assert.equal(withdrawn.length, clock.waits.length, 'each wait withdraws its wake when it is over');
    assert.equal(wake, undefined);
  });

  it("hands back Segmind's final word as read: failed with its message, expired, refused with its error", async () => {
    const refusal = new IdeogramError({ kind: 'unauthorized', status: 401 });
    const finals: JobReading[] = [
      { state: 'failed', metrics: {}, message: 'NSFW content detected' },
      { state: 'expired', message: 'not found' },
      { state: 'refused', error: refusal },
    ];
    for (const final of finals) {
      const clock = new FakeClock();
      const route = statusRoute(clock, [processing, final]);
      const outcome: PollOutcome = await poll(clock, route.readStatus);
      assert.deepEqual(outcome, final);
      assert.equal(route.readsAt.length, 2, `${final.state}: no read after it`);
    }
  });

  it('a status that could not be read (429) is asked again after its reset time, at most a minute later', async () => {
    const clock = new FakeClock();
    const soon = SUBMITTED + 30_000;
    const route = statusRoute(clock, [
      { state: 'unavailable', reason: 'rate limited (429)', retryAt: new Date(soon) },
      { state: 'unavailable', reason: 'rate limited (429)', retryAt: new Date(SUBMITTED + 60 * 60_000) },
      { state: 'unavailable', reason: 'HTTP 503' },
      completed,
    ]);
    assert.deepEqual(await poll(clock, route.readStatus), completed);
    const [first, second, third, fourth] = route.readsAt;
    // After the first 429: the wait for its reset, then the schedule's next read from there.
    assert.ok(clock.waits.some((wait) => wait.until === soon));
    assert.equal(second, nextPollAt(30_000, EXPECTED, false, first));
    // A reset an hour away is waited for a minute at most.
    assert.ok(clock.waits.some((wait) => wait.until - wait.from === MAX_UNAVAILABLE_WAIT_MS));
    assert.equal(third, nextPollAt(second + MAX_UNAVAILABLE_WAIT_MS, EXPECTED, false, second));
    // No reset time (a 503, a network hiccup): simply the schedule's next read.
    assert.equal(fourth, nextPollAt(third, EXPECTED, false, third));
  });

  it('a read stopped by the abort throws out of the loop, as the reader threw it', async () => {
    const clock = new FakeClock();
    const stopped = new IdeogramError({ kind: 'cancelled', reason: 'stopped-waiting' });
    await assert.rejects(
      poll(clock, async () => {
        throw stopped;
      }),
      (error) => error === stopped,
    );
  });

  it("a generation's limit: past it no wait, one last read at once; a job still running then is given up", async () => {
    const limit = JOB_RECORD_TTL_MS + 60_000;
    for (const last of [processing, queued, { state: 'unavailable', reason: 'HTTP 502' } as JobReading]) {
      const clock = new FakeClock(SUBMITTED + limit + 1);
      const running: string[] = [];
      const route = statusRoute(clock, [last]);
      const outcome = await poll(clock, route.readStatus, {
        lastReadAfterMs: limit,
        onRunning: (reading) => void running.push(reading.state),
      });
      assert.deepEqual(outcome, { state: 'gave-up' }, last.state);
      assert.deepEqual(route.readsAt, [limit + 1]);
      assert.equal(clock.waits.length, 0, 'no wait past the limit');
      assert.deepEqual(running, last.state === 'unavailable' ? [] : [last.state], 'the caller still hears the state');
    }
    // Segmind's last word still counts past the limit.
    const clock = new FakeClock(SUBMITTED + limit + 1);
    const route = statusRoute(clock, [completed]);
    assert.deepEqual(await poll(clock, route.readStatus, { lastReadAfterMs: limit }), completed);
  });

  it("Describe's limit: a read planned after it is not made, and the wait ends there", async () => {
    const clock = new FakeClock();
    const route = statusRoute(
      clock,
      Array.from({ length: 100 }, () => processing),
    );
    const outcome = await poll(clock, route.readStatus, { giveUpAfterMs: 20_000 });
    assert.deepEqual(outcome, { state: 'gave-up' });
    const planned = plannedReads(100, EXPECTED, false);
    assert.deepEqual(
      route.readsAt,
      planned.filter((at) => at <= 20_000),
    );
    assert.ok(clock.time - SUBMITTED <= 20_000, 'never waited past the limit');
  });
});
