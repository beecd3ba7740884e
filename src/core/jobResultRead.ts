// Reading a COMPLETED job's result, once for every caller: a read that finds the answer not there for a moment (a 429,
// a network hiccup, the result route still saying "processing") is made again after 0.5 s, 1 s, 2 s, … up to the
// caller's number of attempts. A generation (src/core/jobRunner.ts, the image) and a Describe call
// (src/core/describeCall.ts, the text) both read this way; how many times, what each answer means to the user and
// what becomes of a result that could not be read (a generation keeps its job to fetch again later) stay with them.
// Pure: the clock and the read are parameters.
//
// Money: the job is already paid for, and this only reads (free and safe to repeat); it never submits.
import type { JobReading } from './asyncJob';
import type { JobClock } from './jobPolling';

/** The first wait between two reads of a result; each next one is twice the one before. */
export const RESULT_READ_FIRST_WAIT_MS = 500;

/** An answer that says nothing final about the result yet: read it again. */
export type PassingResultReading = Extract<JobReading, { state: 'unavailable' | 'queued' | 'processing' }>;

/** How the reading ended. */
export type ResultReadOutcome<Reading extends { state: string }> =
  /** The first answer with something final in it (the result, or Segmind's failed, expired or refused). */
  | Exclude<Reading, PassingResultReading>
  /** The caller's signal aborted during a wait between two reads: no more reads were made. */
  | { state: 'stopped' }
  /** Every attempt found the result not there; `last` is the last answer (what to log). */
  | { state: 'gave-up'; last: PassingResultReading };

export interface ResultReadOptions<Reading extends { state: string }> {
  clock: JobClock;
  /** Ends a wait between two reads at once, and no read is made after it; a read under way is the reader's to stop. */
  signal: AbortSignal;
  /** How many reads at the most (the first included). */
  attempts: number;
  /** Reads the result once. What it throws is not retried but handed on (a download that failed, an abort). */
  read(): Promise<Reading>;
}

/**
 * Reads a COMPLETED job's result until an answer is final, reading again after `RESULT_READ_FIRST_WAIT_MS`·2ⁿ while
 * it says 'unavailable', 'queued' or 'processing', `attempts` reads at the most.
 */
export async function readResultWithRetries<Reading extends { state: string }>(
  options: ResultReadOptions<Reading>,
): Promise<ResultReadOutcome<Reading>> {
  const { clock, signal, attempts } = options;
  for (let attempt = 0; ; attempt++) {
    const reading = await options.read();
    if (!isPassing(reading)) return reading as Exclude<Reading, PassingResultReading>;
    if (attempt >= attempts - 1) return { state: 'gave-up', last: reading };
    await clock.sleepUntil(clock.now() + RESULT_READ_FIRST_WAIT_MS * 2 ** attempt, signal);
    if (signal.aborted) return { state: 'stopped' };
  }
}

function isPassing(reading: { state: string }): reading is PassingResultReading {
  return reading.state === 'unavailable' || reading.state === 'queued' || reading.state === 'processing';
}
