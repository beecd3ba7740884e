// Waiting for a submitted Segmind job, once for every caller: read its status on the schedule of `nextPollAt`
// (src/core/asyncJob.ts) until Segmind says something final, and hand that back. A generation (src/core/jobRunner.ts)
// and a Describe call (src/core/describeCall.ts) both wait this way; what each does with the answer (persist the job,
// word a failure, fetch the image or the text) stays with it. Pure: the clock and the status read are parameters.
//
// Money: this only reads (reads are free and safe to repeat); it never submits, so nothing it does can be billed.
import { type JobReading, nextPollAt } from './asyncJob';

export interface JobClock {
  now(): number;
  /** Resolves at `time` (epoch ms), or at once when `signal` aborts; never rejects. */
  sleepUntil(time: number, signal: AbortSignal): Promise<void>;
}

/** A status read that could not be answered (429, a network hiccup) is tried again after at most this. */
export const MAX_UNAVAILABLE_WAIT_MS = 60_000;

type RunningReading = Extract<JobReading, { state: 'queued' | 'processing' }>;

/** How the waiting ended. */
export type PollOutcome =
  /** Segmind's last word on the job, as read (a refusal carries the error the user must act on). */
  | Extract<JobReading, { state: 'completed' | 'failed' | 'expired' | 'refused' }>
  /** The caller's signal aborted before a read: nothing more was asked. */
  | { state: 'stopped' }
  /** The caller's limit came (`giveUpAfterMs`, or `lastReadAfterMs` and the last read found the job not done). */
  | { state: 'gave-up' };

export interface PollOptions {
  clock: JobClock;
  /** Ends every wait at once; no read is made once it has aborted. A read under way is the reader's to stop. */
  signal: AbortSignal;
  /** Reads the job's status once (src/core/asyncJob.ts `readJobStatus`, or a fake); may throw (an abort). */
  readStatus(): Promise<JobReading>;
  /** When the job was submitted (epoch ms): the schedule counts from here. */
  submittedAt: number;
  /** The schedule's inputs (`nextPollAt`): how long the job is expected to take, and whether that is known here. */
  expectedMs: number;
  settled: boolean;
  /**
   * The two callers end their waiting differently, on purpose; each sets one of these (ms since the submit).
   * `lastReadAfterMs` (a generation): past it no planned read is waited for; the status is read once more at once,
   * and a job not done then ends as 'gave-up'. A generation is paid for and resumable, so it waits as long as Segmind
   * keeps the job's record (an hour and a grace), and Segmind's answer has the last word (404: expired).
   * `giveUpAfterMs` (a Describe call): a read planned after it is not made; 'gave-up' at once. The user waits for a
   * description with the request timeout (`ideogram.requestTimeoutSeconds`), and it is not kept to read later.
   */
  lastReadAfterMs?: number;
  giveUpAfterMs?: number;
  /** Segmind says the job is queued or running (a generation persists and shows the change); awaited. */
  onRunning?(reading: RunningReading): void | Promise<void>;
  /**
   * For waits that may be ended early (a generation's "Check Again"): called as each wait starts with the function
   * that ends it; what it returns is called when the wait is over. Without it, only `signal` ends a wait.
   */
  onWait?(wake: () => void): () => void;
}

/**
 * Reads a submitted job's status on the schedule until Segmind answers COMPLETED, FAILED, 404/410 or refuses the
 * key, the signal aborts, or the caller's limit comes. Queued and running answers go to `onRunning`; an answer that
 * could not be had ('unavailable') is asked again on the schedule, after the reset time it names (at most a minute).
 */
export async function pollUntilTerminal(options: PollOptions): Promise<PollOutcome> {
  const { clock, signal, submittedAt, expectedMs, settled, lastReadAfterMs, giveUpAfterMs } = options;
  const wait = (time: number) => waitUntil(time, options);
  // Not read yet by this caller: a job resumed after a reload was last read at least the reload's time ago.
  let lastRead = -Infinity;
  for (;;) {
    const elapsed = clock.now() - submittedAt;
    const lastChance = lastReadAfterMs !== undefined && elapsed > lastReadAfterMs;
    if (!lastChance) {
      const next = nextPollAt(elapsed, expectedMs, settled, lastRead);
      if (giveUpAfterMs !== undefined && next > giveUpAfterMs) return { state: 'gave-up' };
      await wait(submittedAt + next);
    }
    if (signal.aborted) return { state: 'stopped' };
    lastRead = clock.now() - submittedAt;
    const reading = await options.readStatus();
    switch (reading.state) {
      case 'queued':
      case 'processing':
        await options.onRunning?.(reading);
        if (lastChance) return { state: 'gave-up' };
        continue;
      case 'unavailable':
        if (reading.retryAt) await wait(Math.min(reading.retryAt.getTime(), clock.now() + MAX_UNAVAILABLE_WAIT_MS));
        if (lastChance) return { state: 'gave-up' };
        continue;
      default:
        return reading;
    }
  }
}

/** Waits until `time`, or less when the signal aborts or (with `onWait`) the wait is woken. */
async function waitUntil(time: number, { clock, signal, onWait }: PollOptions): Promise<void> {
  if (!onWait) return clock.sleepUntil(time, signal);
  const wake = new AbortController();
  const stop = () => wake.abort();
  signal.addEventListener('abort', stop, { once: true });
  // Stopped before this wait began (while the job's record was being saved): no 'abort' event will come.
  if (signal.aborted) stop();
  const woken = onWait(stop);
  try {
    await clock.sleepUntil(time, wake.signal);
  } finally {
    signal.removeEventListener('abort', stop);
    woken();
  }
}
