// One Ideogram Describe call: a picture's URL in, its description out. The money rules of every generation
// (src/core/jobRunner.ts): the V2 submit is sent once and never again once it may have been billed (only failures
// that cannot have been billed are retried, by `withSafeRetries`); the status is read by the loop generations use
// (src/core/jobPolling.ts) on the schedule of `nextPollAt`, from the model's typical latency; the result is read
// as generations read theirs (src/core/jobResultRead.ts), and it is text, read tolerantly by `describeText`. An
// endpoint without V2 (404/405 on submit, or a path of another shape) is asked on its v1 route, as the image path
// does. The clock and the transport are parameters, so plain-Node tests run it in milliseconds.
import {
  asyncRoutesFor,
  type AsyncRoutes,
  endpointForModel,
  expectedJobMs,
  type JobReading,
  readJobResultBody,
  readJobStatus,
  type ReadOptions,
  submitJob,
  type SubmitOutcome,
  JOB_RECORD_TTL_MS,
} from './asyncJob';
import {
  checkCall,
  type ClientOptions,
  DEFAULT_IDLE_TIMEOUT_MS,
  parseDate,
  parseDecimal,
  type Phase,
  postRequest,
  readBody,
  RequestDeadline,
  toIdeogramError,
  withoutSecret,
  withSafeRetries,
} from './client';
import { describeText } from './describe';
import type { Logger } from './download';
import { errorForStatus, IdeogramError, readableApiMessage } from './errors';
import { type JobClock, pollUntilTerminal } from './jobPolling';
import { readResultWithRetries } from './jobResultRead';
import { modelBySlug } from './models/registry';
import type { GenerationRequest } from './request';

/** Describe's answers are a few hundred bytes of JSON; anything larger is not one. */
const MAX_ANSWER_BYTES = 256 * 1024;
/** Reads of a COMPLETED job's result that fail for a moment (reads are free): this many, 0.5 s, 1 s, 2 s apart. */
const RESULT_READ_ATTEMPTS = 4;

/** What came back: the description, and what Segmind reported of its cost. */
export interface Description {
  text: string;
  cost?: number;
  remainingCredits?: number;
  /** Which route answered (the log says it; a test checks the fallback). */
  route: 'v2' | 'v1';
}

/** A v1 answer: the JSON (or text) body and the cost headers. */
export interface SyncAnswer {
  answer: unknown;
  cost?: number;
  remainingCredits?: number;
}

/** Segmind's routes for Describe, or a fake of them. */
export interface DescribeTransport {
  submit(routes: AsyncRoutes, request: GenerationRequest, options: ClientOptions): Promise<SubmitOutcome>;
  readStatus(routes: AsyncRoutes, requestId: string, options: ReadOptions): Promise<JobReading>;
  readResult(routes: AsyncRoutes, requestId: string, options: ReadOptions): Promise<JobReading>;
  /** The blocking v1 route: the answer in the response. */
  describeSync(url: URL, request: GenerationRequest, options: ClientOptions): Promise<SyncAnswer>;
}

export interface DescribeOptions {
  /** The endpoint setting (`…/v1/<slug>`): Describe's route is it with Describe's slug. */
  endpoint: string;
  apiKey: string;
  /** The user stops waiting: before the submit nothing is sent; after it the job may be billed (said so). */
  signal?: AbortSignal;
  /** How long to wait for the description once it is asked for (`ideogram.requestTimeoutSeconds`). */
  timeoutMs: number;
  /** Segmind has the request: from now on it may be billed. */
  onSubmitted?: () => void;
  log?: Logger;
}

export interface DescribeDeps {
  clock: JobClock;
  transport: DescribeTransport;
}

/**
 * Describes the picture of `request` (Describe's model, its `image_file` a URL). Resolves with the description;
 * rejects with an IdeogramError whose `mayHaveBeenBilled` says whether Segmind may charge for it.
 */
export async function describeImage(
  request: GenerationRequest,
  options: DescribeOptions,
  deps: DescribeDeps,
): Promise<Description> {
  const { clock, transport } = deps;
  const log: Logger = options.log ?? (() => undefined);
  const signal = options.signal ?? new AbortController().signal;
  const endpoint = endpointForModel(options.endpoint, request.model);
  const routes = asyncRoutesFor(new URL(endpoint));
  const call = { endpoint, apiKey: options.apiKey, signal, log };
  const retries = {
    ...call,
    now: () => clock.now(),
    sleep: async (ms: number) => {
      await clock.sleepUntil(clock.now() + ms, signal);
      if (signal.aborted) throw new Error('aborted');
    },
  };
  let outcome: SubmitOutcome | undefined;
  if (routes) {
    let sentAt = clock.now();
    outcome = await withSafeRetries(() => {
      sentAt = clock.now();
      return transport.submit(routes, request, call);
    }, retries);
    if (outcome.kind === 'submitted') {
      log('info', `Describe: submitted, request id ${outcome.requestId}`);
      options.onSubmitted?.();
      return await awaitDescription(routes, outcome.requestId, sentAt, options, deps, log, signal);
    }
  }
  // No V2 here (404/405 on submit: no job was created): the v1 route, as a generation does.
  const url = routes?.sync ?? new URL(endpoint);
  log('info', `Describe: asking the v1 route ${url.pathname}`);
  options.onSubmitted?.();
  const answer = await withSafeRetries(
    () => transport.describeSync(url, request, { ...call, timeoutMs: options.timeoutMs }),
    retries,
  );
  return {
    ...described(answer.answer, log),
    cost: answer.cost,
    remainingCredits: answer.remainingCredits,
    route: 'v1',
  };
}

function described(answer: unknown, log: Logger): { text: string } {
  const text = describeText(answer);
  if (text === undefined) {
    log('warn', `Describe: no description in the answer: ${JSON.stringify(answer)?.slice(0, 400)}`);
    throw new IdeogramError({ kind: 'bad-response', reason: 'no-description', mayHaveBeenBilled: true });
  }
  return { text };
}

/** Polls a submitted Describe job until it is done, then reads its text. Never submits anything. */
async function awaitDescription(
  routes: AsyncRoutes,
  requestId: string,
  submittedAt: number,
  options: DescribeOptions,
  { clock, transport }: DescribeDeps,
  log: Logger,
  signal: AbortSignal,
): Promise<Description> {
  const read: ReadOptions = { apiKey: options.apiKey, signal, log };
  const outcome = await pollUntilTerminal({
    clock,
    signal,
    readStatus: () => transport.readStatus(routes, requestId, read),
    submittedAt,
    // No history of Describe's own: its typical time, read early and half way too (not settled).
    expectedMs: expectedJobMs([], modelBySlug(routes.model)?.typicalLatencyMs),
    settled: false,
    giveUpAfterMs: Math.min(options.timeoutMs, JOB_RECORD_TTL_MS),
  });
  switch (outcome.state) {
    case 'stopped':
      throw new IdeogramError({ kind: 'cancelled', reason: 'after-send', mayHaveBeenBilled: true });
    case 'gave-up':
      log('warn', `Describe: no answer after ${Math.round(options.timeoutMs / 1000)} s`);
      throw new IdeogramError({ kind: 'timeout', mayHaveBeenBilled: true });
    case 'refused':
      throw outcome.error;
    case 'expired':
      throw new IdeogramError({ kind: 'expired', mayHaveBeenBilled: true });
    case 'failed':
      throw new IdeogramError({ kind: 'generation-failed', apiMessage: outcome.message });
    case 'completed':
      return readDescription(routes, requestId, read, { clock, transport }, log, signal);
  }
}

/** Reads a COMPLETED job's result; a read that fails for a moment is tried again (reads are free). */
async function readDescription(
  routes: AsyncRoutes,
  requestId: string,
  read: ReadOptions,
  { clock, transport }: DescribeDeps,
  log: Logger,
  signal: AbortSignal,
): Promise<Description> {
  const outcome = await readResultWithRetries({
    clock,
    signal,
    attempts: RESULT_READ_ATTEMPTS,
    read: () => transport.readResult(routes, requestId, read),
  });
  switch (outcome.state) {
    case 'completed': {
      const { cost, remainingCredits } = outcome.metrics;
      return { ...described(outcome.body, log), cost, remainingCredits, route: 'v2' };
    }
    case 'failed':
      throw new IdeogramError({ kind: 'generation-failed', apiMessage: outcome.message });
    case 'expired':
      throw new IdeogramError({ kind: 'expired', mayHaveBeenBilled: true });
    case 'refused':
      throw outcome.error;
    case 'gave-up': {
      // The image path keeps such a job to read again later; a description is not worth keeping: said and logged.
      const { last } = outcome;
      log(
        'warn',
        `Describe: the result could not be read (${last.state === 'unavailable' ? last.reason : last.state})`,
      );
      throw new IdeogramError({ kind: 'bad-response', reason: 'no-description', mayHaveBeenBilled: true });
    }
    case 'stopped':
      throw new IdeogramError({ kind: 'cancelled', reason: 'after-send', mayHaveBeenBilled: true });
  }
}

/** Describe's v1 route: one POST, the description in the answer (JSON, or the text itself). */
export async function describeSync(url: URL, input: GenerationRequest, options: ClientOptions): Promise<SyncAnswer> {
  const { request, apiKey, log, hideKey } = checkCall(input, options);
  const deadline = new RequestDeadline(
    options.signal,
    options.timeoutMs ?? 60_000,
    options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  );
  const phase: Phase = { sent: false, headersReceived: false };
  try {
    if (deadline.reason) throw new Error(deadline.reason);
    const response = await postRequest(url, 'application/json, text/plain', {
      request,
      apiKey,
      log,
      deadline,
      phase,
      doFetch: options.fetch ?? fetch,
    });
    phase.headersReceived = true;
    const contentType = response.headers.get('content-type');
    const text = new TextDecoder().decode(await readBody(response, deadline, MAX_ANSWER_BYTES, log));
    const remainingCredits = parseDecimal(response.headers.get('x-remaining-credits'));
    if (!response.ok) {
      const apiMessage = readableApiMessage(text, contentType);
      log('warn', `Describe: HTTP ${response.status}: ${apiMessage ?? '(no readable message)'}`);
      throw errorForStatus(response.status, apiMessage, {
        remainingCredits,
        resetAt: parseDate(response.headers.get('x-rate-limit-reset-at-utc')),
      });
    }
    let answer: unknown = text;
    try {
      answer = JSON.parse(text) as unknown;
    } catch {
      // Plain text: it is the description.
    }
    return { answer, cost: parseDecimal(response.headers.get('x-cost')), remainingCredits };
  } catch (error) {
    throw withoutSecret(toIdeogramError(error, deadline, phase, log), hideKey);
  } finally {
    deadline.dispose();
  }
}

/** Segmind itself. */
export const segmindDescribeTransport: DescribeTransport = {
  submit: submitJob,
  readStatus: readJobStatus,
  readResult: readJobResultBody,
  describeSync,
};
