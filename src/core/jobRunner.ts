// The rules that decide money and data for one generation job, without VS Code: submit once (never again once it
// may have been billed), poll when the job is expected to finish, fetch the image of a COMPLETED job and hand it to
// be saved whatever happens next, keep a billed image whose download failed to fetch again, and tell a job Segmind
// no longer has (404/410, past its hour) from one still running. The clock, the store, the transport and the saving
// are parameters, so plain-Node tests run these rules in milliseconds with a fake clock (test/unit/jobRunner.test.ts).
// The host adapter (src/generation/generationService.ts) persists, announces and shows; this module words nothing.
import {
  asyncRoutesFor,
  type AsyncRoutes,
  expectedJobMs,
  fetchJobResult,
  isSettledHistory,
  type JobReading,
  type JobResult,
  JOB_RECORD_TTL_MS,
  nextDownloadTry,
  type ReadOptions,
  readJobStatus,
  submitJob,
  type SubmitOutcome,
} from './asyncJob';
import { type ClientOptions, type GeneratedImage, generateImage, withSafeRetries } from './client';
import type { Logger } from './download';
import { IdeogramError } from './errors';
import { type JobClock, pollUntilTerminal } from './jobPolling';
import { readResultWithRetries } from './jobResultRead';
import type { JobRecord } from './jobStore';
import { modelBySlug } from './models/registry';
import type { GenerationRequest } from './request';
import { storedFailureOf } from './storedFailure';

/** Past the record's hour, the last status read decides (404: expired); no waiting beyond this. */
export const EXPIRY_GRACE_MS = 60_000;
/** Reads of a COMPLETED job's result that fail for a moment (reads are free): this many, 0.5 s, 1 s, 2 s, 4 s apart. */
export const RESULT_READ_ATTEMPTS = 5;

/** The clock is the poll loop's (src/core/jobPolling.ts); its callers and tests know it as the runner's. */
export type { JobClock } from './jobPolling';

/** Segmind's routes (src/core/asyncJob.ts, src/core/client.ts), or a fake of them. */
export interface JobTransport {
  submit(routes: AsyncRoutes, request: GenerationRequest, options: ClientOptions): Promise<SubmitOutcome>;
  readStatus(routes: AsyncRoutes, requestId: string, options: ReadOptions): Promise<JobReading>;
  fetchResult(
    routes: AsyncRoutes,
    requestId: string,
    request: GenerationRequest,
    options: ReadOptions & { endpoint: URL },
  ): Promise<JobResult>;
  /** The blocking v1 route: one image's bytes in the answer. */
  generateSync(request: GenerationRequest, options: ClientOptions): Promise<GeneratedImage>;
}

/** Where the job's record goes at every step (the host writes it to the job store and updates the jobs list). */
export interface JobPersistence {
  persist(record: JobRecord): Promise<void>;
  /** Whether this window still holds the job (another may have taken it over while this one looked dead). */
  holds(id: string): Promise<boolean>;
}

/** What the user is told the job is doing; the host words it. */
export type JobStep =
  | { kind: 'queued' | 'generating' | 'downloading' | 'saving' }
  | { kind: 'retry-wait'; waitMs: number; reason: 'rate-limited' | 'busy' };

/** A job being driven: its record and the handles its owner keeps. */
export interface RunningJob {
  record: JobRecord;
  /** Stops all work on the job (discard, dispose). */
  signal: AbortSignal;
  /** Whether the submit request was handed to fetch (after that, cancelling cannot undo it). */
  submitSent: boolean;
  /** Ends the current wait between two status reads at once ("Check Again"); set while the job waits. */
  wake?: () => void;
}

export interface JobRunnerDeps<Saved, Job extends RunningJob = RunningJob> {
  clock: JobClock;
  transport: JobTransport;
  store: JobPersistence;
  /** How long this model's past jobs took on this machine (ms), to poll when a job is expected to finish. */
  durations: { of(model: string): readonly number[]; remember(model: string, ms: number): void };
  /**
   * Saves a downloaded image (and the job's other images) and records it; the host keeps it in its rescue folder
   * when the assets folder fails. Called for every image of a COMPLETED job, whatever happened to the caller.
   */
  save(job: Job, image: GeneratedImage): Promise<{ uri: string; saved: Saved }>;
  step(job: Job, step: JobStep): void;
  /** Segmind has the request (it may bill it from now on). */
  submitted(job: Job): void;
  log: Logger;
  /** The blocking route's own timeout (`ideogram.requestTimeoutSeconds`). */
  requestTimeoutMs(): number;
}

/** The end of a failed run: the failure the user is told, and when a kept billed image is fetched again. */
export interface JobFailure {
  error: IdeogramError;
  /** Set when the job is kept to fetch its billed image again at this time (epoch ms). */
  retryAt?: number;
}

export class JobRunner<Saved, Job extends RunningJob = RunningJob> {
  readonly #deps: JobRunnerDeps<Saved, Job>;
  /** Endpoints found to have no V2 route this session (their submits answered 404/405). */
  readonly #syncOnlyEndpoints = new Set<string>();

  constructor(deps: JobRunnerDeps<Saved, Job>) {
    this.#deps = deps;
  }

  /**
   * Submits (or resumes) a job and carries it to a saved image. Rejects with the JobFailure's error after the
   * record says what became of the job (see `failJob`); the record is persisted at every step.
   */
  async run(job: Job, apiKey: string): Promise<Saved> {
    const { record } = job;
    try {
      let image: GeneratedImage;
      const routes = asyncRoutesFor(new URL(record.endpoint));
      if (record.route === 'v2' && !record.requestId) await this.#submit(job, routes, apiKey);
      if (record.route === 'v1') image = await this.#generateBlocking(job, routes, apiKey);
      else image = await this.#awaitResult(job, routes as AsyncRoutes, apiKey);
      return await this.#finish(job, image);
    } catch (error) {
      const failure =
        error instanceof IdeogramError
          ? error
          : new IdeogramError({
              kind: 'unexpected',
              mayHaveBeenBilled: true,
              text: error instanceof Error ? error.message : String(error),
            });
      throw failure;
    }
  }

  async #submit(job: Job, routes: AsyncRoutes | undefined, apiKey: string): Promise<void> {
    const { record } = job;
    const { clock, transport, store, log } = this.#deps;
    if (!routes || this.#syncOnlyEndpoints.has(routes.submit.href)) {
      record.route = 'v1';
      return;
    }
    // The job cannot have started before the submit left: its clock (for the poll schedule) starts here.
    let sentAt = clock.now();
    const outcome = await withSafeRetries(
      () => {
        job.submitSent = true;
        sentAt = clock.now();
        return transport.submit(routes, record.request, { endpoint: record.endpoint, apiKey, signal: job.signal, log });
      },
      {
        endpoint: record.endpoint,
        apiKey,
        signal: job.signal,
        log,
        now: () => clock.now(),
        sleep: (ms, signal) => this.#sleepOrCancel(ms, signal ?? job.signal),
        onWait: (waitMs, reason) => {
          job.submitSent = false;
          this.#deps.step(job, retryStep(waitMs, reason));
        },
      },
    );
    if (outcome.kind === 'submitted') {
      record.requestId = outcome.requestId;
      record.submittedAt = sentAt;
      record.state = 'queued';
      await store.persist(record);
      this.#deps.submitted(job);
    } else {
      record.route = 'v1';
    }
  }

  /** The blocking route: not resumable, and only for one image (several would be billed, one received). */
  async #generateBlocking(job: Job, routes: AsyncRoutes | undefined, apiKey: string): Promise<GeneratedImage> {
    const { record } = job;
    const { clock, transport, store, log } = this.#deps;
    const count = record.request.num_images;
    if (typeof count === 'number' && count > 1) {
      throw new IdeogramError({
        kind: 'invalid-request',
        reason: 'options-invalid',
        problems: [
          { code: 'image-count-out-of-range', path: 'num_images', model: record.request.model, min: 1, max: 1 },
        ],
      });
    }
    await store.persist(record);
    job.submitSent = true;
    this.#deps.submitted(job);
    this.#deps.step(job, { kind: 'generating' });
    const options = {
      endpoint: routes?.sync.href ?? record.endpoint,
      apiKey,
      signal: job.signal,
      log,
      timeoutMs: this.#deps.requestTimeoutMs(),
    };
    const image = await withSafeRetries(() => transport.generateSync(record.request, options), {
      ...options,
      now: () => clock.now(),
      sleep: (ms, signal) => this.#sleepOrCancel(ms, signal ?? job.signal),
      onWait: (waitMs, reason) => this.#deps.step(job, retryStep(waitMs, reason)),
    });
    // V2 answered 404/405 and v1 works: a proxy without the async API. Skip V2 there from now on.
    if (routes) this.#syncOnlyEndpoints.add(routes.submit.href);
    return image;
  }

  /** Polls a submitted job until it completes, then downloads its image. */
  async #awaitResult(job: Job, routes: AsyncRoutes, apiKey: string): Promise<GeneratedImage> {
    const { record, signal } = job;
    const { clock, transport, store, log, durations } = this.#deps;
    const requestId = record.requestId as string;
    const submittedAt = record.submittedAt ?? record.createdAt;
    // This model's past jobs on this machine, else its typical time on Segmind (src/core/models).
    const past = durations.of(routes.model);
    const typical = modelBySlug(routes.model)?.typicalLatencyMs;
    const expected = expectedJobMs(past, typical);
    // A model whose past jobs here have not confirmed its typical time also gets reads early and half way.
    const settled = isSettledHistory(past, typical);
    this.#deps.step(job, { kind: 'queued' });
    const outcome = await pollUntilTerminal({
      clock,
      signal,
      readStatus: () => transport.readStatus(routes, requestId, { apiKey, signal, log }),
      submittedAt,
      expectedMs: expected,
      settled,
      // Past the record's hour the last status read decides: no waiting beyond it.
      lastReadAfterMs: JOB_RECORD_TTL_MS + EXPIRY_GRACE_MS,
      onRunning: async (reading) => {
        if (record.state === reading.state) return;
        record.state = reading.state;
        await store.persist(record);
        this.#deps.step(job, { kind: reading.state === 'queued' ? 'queued' : 'generating' });
      },
      // "Check Again" ends the current wait at once.
      onWait: (wake) => {
        job.wake = wake;
        return () => {
          if (job.wake === wake) job.wake = undefined;
        };
      },
    });
    switch (outcome.state) {
      case 'stopped':
        throw discarded();
      case 'gave-up': // still running past the record's hour
      case 'expired':
        throw expired();
      case 'refused':
        throw outcome.error;
      case 'failed':
        throw failedAtSegmind(outcome.message);
      case 'completed': {
        const took = clock.now() - submittedAt;
        durations.remember(
          routes.model,
          outcome.metrics.totalTime !== undefined ? Math.min(took, outcome.metrics.totalTime * 1000) : took,
        );
        record.state = 'downloading';
        await store.persist(record);
        this.#deps.step(job, { kind: 'downloading' });
        return this.#download(job, routes, apiKey);
      }
    }
  }

  /** Reads the result and downloads the image; a read that fails for a moment is tried again (reads are free). */
  async #download(job: Job, routes: AsyncRoutes, apiKey: string): Promise<GeneratedImage> {
    const { record, signal } = job;
    const { clock, transport, log } = this.#deps;
    const outcome = await readResultWithRetries({
      clock,
      signal,
      attempts: RESULT_READ_ATTEMPTS,
      read: () =>
        transport.fetchResult(routes, record.requestId as string, record.request, {
          apiKey,
          signal,
          log,
          endpoint: new URL(record.endpoint),
        }),
    });
    switch (outcome.state) {
      case 'image':
        return outcome.image;
      case 'failed':
        throw failedAtSegmind(outcome.message);
      case 'expired':
        throw expired();
      case 'refused':
        throw outcome.error;
      case 'gave-up':
        throw new IdeogramError({ kind: 'bad-response', reason: 'unreadable-result', mayHaveBeenBilled: true });
      case 'stopped':
        throw discarded();
    }
  }

  /**
   * Saves the image: from here on nothing stops it (a discard, the caller giving up), since it is paid for. Only a
   * job another window took over is left to that window.
   */
  async #finish(job: Job, image: GeneratedImage): Promise<Saved> {
    const { record } = job;
    const { clock, store } = this.#deps;
    this.#deps.step(job, { kind: 'saving' });
    if (!(await store.holds(record.id).catch(() => true))) {
      throw new IdeogramError({ kind: 'interrupted' }); // another window took the job over: it saves the image
    }
    const { uri, saved } = await this.#deps.save(job, image);
    record.state = 'saved';
    record.savedUri = uri;
    record.finishedAt = clock.now();
    record.retryAt = undefined;
    if (image.cost !== undefined) record.cost = image.cost;
    await store.persist(record);
    return saved;
  }

  /** A retry's wait (withSafeRetries): rejects when the job is stopped meanwhile. */
  async #sleepOrCancel(ms: number, signal: AbortSignal): Promise<void> {
    const { clock } = this.#deps;
    await clock.sleepUntil(clock.now() + ms, signal);
    if (signal.aborted) throw new Error('aborted');
  }
}

/**
 * What becomes of a job whose run failed, decided once: a billed image whose download failed is kept and fetched
 * again on a bounded schedule (then given up as failed and billed); anything else ends now, as expired, discarded
 * (the user stopped it) or failed. Updates the record (state, failure as data, retry time); the caller persists it.
 */
export function failJob(record: JobRecord, failure: IdeogramError, aborted: boolean, now: number): JobFailure {
  let error = failure;
  let retryAt: number | undefined;
  // Fetching again cannot help an image that failed the safety check or is too big: those end now.
  const billedImageWaiting =
    record.state === 'downloading' &&
    !(['expired', 'cancelled', 'safety-refusal', 'too-large'] as const).some((kind) => kind === failure.kind);
  if (billedImageWaiting) {
    const tries = (record.downloadTries ?? 0) + 1;
    record.downloadTries = tries;
    retryAt = nextDownloadTry(tries, record.submittedAt ?? record.createdAt, now);
    const kept = {
      ...failure.facts,
      kind: failure.kind,
      downloadFailure: failure.reason ?? failure.kind,
      tries,
      mayHaveBeenBilled: true,
    };
    if (retryAt !== undefined) {
      record.retryAt = retryAt;
      error = new IdeogramError({ ...kept, reason: 'download-kept', seconds: Math.round((retryAt - now) / 1000) });
    } else {
      record.retryAt = undefined;
      record.state = 'failed';
      record.finishedAt = now;
      error = new IdeogramError({ ...kept, reason: 'download-gave-up' });
    }
  } else {
    record.state = error.kind === 'expired' ? 'expired' : aborted ? 'discarded' : 'failed';
    record.finishedAt = now;
  }
  record.failure = storedFailureOf(error);
  return retryAt === undefined ? { error } : { error, retryAt };
}

/** The resumed job cut off while being sent: no request id came back, so there is nothing to ask Segmind about. */
export function lostJob(record: JobRecord, prompt: string, now: number): IdeogramError {
  const error = new IdeogramError({ kind: 'interrupted', reason: 'lost-before-id', prompt, mayHaveBeenBilled: true });
  Object.assign(record, { state: 'lost', finishedAt: now, failure: storedFailureOf(error) });
  return error;
}

function retryStep(waitMs: number, reason: IdeogramError): JobStep {
  return { kind: 'retry-wait', waitMs, reason: reason.kind === 'rate-limited' ? 'rate-limited' : 'busy' };
}

function discarded(): IdeogramError {
  return new IdeogramError({ kind: 'cancelled', reason: 'discarded', mayHaveBeenBilled: true });
}

function expired(): IdeogramError {
  return new IdeogramError({ kind: 'expired', mayHaveBeenBilled: true });
}

function failedAtSegmind(apiMessage: string | undefined): IdeogramError {
  const safety = /safety|prohibited|nsfw|moderation|content policy/i.test(apiMessage ?? '');
  return safety
    ? new IdeogramError({ kind: 'safety-refusal', reason: 'job', apiMessage })
    : new IdeogramError({ kind: 'generation-failed', apiMessage });
}

/** The machine's clock. */
export const systemClock: JobClock = {
  now: () => Date.now(),
  sleepUntil: (time, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, time - Date.now()));
      signal.addEventListener('abort', done, { once: true });
    }),
};

/** Segmind itself. */
export const segmindTransport: JobTransport = {
  submit: submitJob,
  readStatus: readJobStatus,
  fetchResult: fetchJobResult,
  generateSync: generateImage,
};
