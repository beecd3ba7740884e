import * as vscode from 'vscode';
import {
  nextDownloadTry,
  asyncRoutesFor,
  type AsyncRoutes,
  endpointForModel,
  expectedJobMs,
  fetchJobResult,
  JOB_RECORD_TTL_MS,
  nextPollAt,
  usableDurations,
  readJobStatus,
  submitJob,
} from '../core/asyncJob';
import { abortableSleep, type GeneratedImage, generateImageWithRetries, withSafeRetries } from '../core/client';
import { IdeogramError } from '../core/errors';
import { isFinalJobState, type JobInsertion, type JobRecord, type JobState, type JobStore } from '../core/jobStore';
import { modelBySlug } from '../core/models/registry';
import { seedRangeOf, type ValidRequest, requestToSend } from '../core/request';
import { isInsideFolder, resumedEndpoint } from '../core/resumeChecks';
import { saveImageFile, type AssetsTarget } from '../links/imageFiles';
import { namedImageFile } from '../links/imageDestination';
import { coreLogger } from '../common/log';
import { describeStoredFailure, errorText } from '../common/errorMessages';
import { storedFailureOf } from '../core/storedFailure';
import type { GalleryEntry } from '../core/galleryStore';
import type { PreparedGeneration } from './pipeline';
import type { GalleryRecorder } from './ports';
import { withEmbeddedRecipe } from './recipeEmbedding';
import type { Settings } from '../common/settings';
import type { Authorization, Spending } from '../spending/spending';
import { Disposable } from '../common/dispose';
import { STATE_KEY } from '../common/ids';
import type { ApiKeyStore } from '../common/apiKey';
import { baseName, shorten } from '../core/text';

export interface SavedGeneration {
  uri: vscode.Uri;
  image: GeneratedImage;
  prompt: string;
  createdAt: Date;
  /** The job it came from. */
  jobId?: string;
  /** The job's other images, each saved with the job's recipe (a model that makes several in one job). */
  others?: SavedGeneration[];
  /** Its gallery entry; undefined when the gallery could not record it (the image is saved all the same). */
  entry?: GalleryEntry;
}

/** One generation's request and how its caller follows it; where it goes and with what key is the `PreparedGeneration`. */
export interface GenerationRun {
  /** Validated where it entered (the palette, the sidebar's message, the tool's input): not checked again. */
  request: ValidRequest;
  /** Aborting stops waiting (before the submit: nothing is sent; after it: the job goes on in the background). */
  signal?: AbortSignal;
  /** Progress text for the user, e.g. waiting for a rate limit. */
  onProgress?: (message: string) => void;
  /** Which command started it: 'palette', 'markdown', 'sidebar', 'command'. */
  origin?: string;
  /** Where a link should go, kept with the job so it can be inserted after a reload. */
  insertion?: JobInsertion;
  /** Segmind has the request: from now on, cancelling only stops waiting (it may be billed). */
  onSubmitted?: () => void;
  /** The budget already authorized this image as part of a batch (variations): no second check or question. */
  authorization?: Authorization;
}

/** A job as the jobs list and the status bar show it. */
export interface JobView {
  id: string;
  prompt: string;
  state: JobState;
  createdAt: number;
  finishedAt?: number;
  savedUri?: string;
  failure?: { kind: string; message: string };
  /** Still being waited for or worked on in this window. */
  live: boolean;
  detached: boolean;
}

/** What happened to a job that nobody waits for any more (resumed after a reload, or the user stopped waiting). */
export type JobOutcome =
  | { kind: 'saved'; record: JobRecord; saved: SavedGeneration; resumed: boolean }
  | { kind: 'failed'; record: JobRecord; error: IdeogramError; resumed: boolean };

interface LiveJob {
  record: JobRecord;
  /** Stops all work on the job (discard, dispose). */
  readonly controller: AbortController;
  /** Resolves when the job is saved (or rejects with its failure). */
  done?: Promise<SavedGeneration>;
  /** Someone is waiting for `done` (the command or the sidebar that started it). */
  awaited: boolean;
  resumed: boolean;
  /** Ends the current wait between two status reads at once ("Check Again"). */
  wake?: () => void;
  /** Where the image goes: the caller's prepared target; rebuilt from the record only for a resumed job. */
  target?: AssetsTarget;
  /** Whether the submit request was handed to fetch (after that, cancelling cannot undo it). */
  submitSent: boolean;
  onProgress?: (message: string) => void;
  onSubmitted?: () => void;
}

const DURATIONS_KEY = STATE_KEY.jobDurations;
/** Past the record's hour, the last status read decides (404: expired); no waiting beyond this. */
const EXPIRY_GRACE_MS = 60_000;
const HEARTBEAT_MS = 10_000;

/** What every entry point into a generation works with (the palette, the sidebar, the language model tool). */
export interface GenerationServices {
  settings: Settings;
  keys: ApiKeyStore;
  service: GenerationService;
  spending: Spending;
  log: vscode.LogOutputChannel;
}

/**
 * Every generation is a job: persisted before the first byte is sent, submitted to Segmind's async API, polled
 * at the moments it is expected to finish, downloaded and saved, whatever happens to the window in between.
 * Once the API has an image for the job it is saved whatever happens next (cancellation included): a paid image
 * is never dropped. Jobs left unfinished by a reload or a crash are resumed by `resumePending`.
 */
export class GenerationService extends Disposable {
  readonly #generatedEmitter = this.register(new vscode.EventEmitter<SavedGeneration>());
  readonly onDidGenerate = this.#generatedEmitter.event;
  readonly #runningEmitter = this.register(new vscode.EventEmitter<number>());
  /** Fires with the number of jobs in flight in this window. */
  readonly onDidChangeRunning = this.#runningEmitter.event;
  readonly #jobsEmitter = this.register(new vscode.EventEmitter<void>());
  /** Fires when any job's state changes (the jobs list). */
  readonly onDidChangeJobs = this.#jobsEmitter.event;
  readonly #outcomeEmitter = this.register(new vscode.EventEmitter<JobOutcome>());
  /** A job that nobody waits for ended: the host tells the user (see jobs.ts). */
  readonly onDidFinishUnattended = this.#outcomeEmitter.event;

  readonly #live = new Map<string, LiveJob>();
  /** Jobs kept after a failed download, until their next try (`#scheduleDownloadRetry`). */
  readonly #waiting = new Map<string, { record: JobRecord; timer: ReturnType<typeof setTimeout> }>();
  /** Where resumed jobs get the key (the latest `resumePending` caller's). */
  #keySource: (() => Promise<string | undefined>) | undefined;
  /** Jobs sent to another endpoint whose user was asked this session (`#askToResumeElsewhere`). */
  readonly #askedElsewhere = new Set<string>();
  #recentDone: JobRecord[] = [];
  /** Endpoints found to have no V2 route this session (their submits answered 404/405). */
  readonly #syncOnlyEndpoints = new Set<string>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Saved images deleted since, this session (see `forgetSaved`). */
  readonly #goneImages = new Set<string>();

  readonly #settings: Settings;
  readonly #log: vscode.LogOutputChannel;
  readonly #rescueFolder: vscode.Uri;
  readonly #store: JobStore | undefined;
  readonly #globalState: vscode.Memento;
  readonly #spending: Spending | undefined;
  readonly #gallery: GalleryRecorder | undefined;
  constructor(
    settings: Settings,
    log: vscode.LogOutputChannel,
    /** Last resort for a paid image that could not be saved where the user wanted (extension storage). */
    rescueFolder: vscode.Uri,
    /** Where jobs are kept across reloads; undefined where the extension's storage is not on a local disk. */
    store: JobStore | undefined,
    /** Remembers how long past jobs took (per model), to poll when a job is expected to finish. */
    globalState: vscode.Memento,
    /** The budget and the cost model (src/spending/spending.ts); undefined: no checks (benchmarks). */
    spending?: Spending,
    /** Where every saved image is recorded (the gallery); undefined: nowhere (benchmarks). */
    gallery?: GalleryRecorder,
  ) {
    super();
    this.#settings = settings;
    this.#log = log;
    this.#rescueFolder = rescueFolder;
    this.#store = store;
    this.#globalState = globalState;
    this.#spending = spending;
    this.#gallery = gallery;
  }

  /** Jobs being generated: a billed image fetched again in the background is not one (nothing new was asked for). */
  get runningCount(): number {
    return [...this.#live.values()].filter(
      (job) => !isFinalJobState(job.record.state) && !(job.record.downloadTries ?? 0),
    ).length;
  }

  /** Running jobs of this window, then the finished ones (newest first), without those whose image is gone. */
  jobs(): JobView[] {
    const views = [...this.#live.values()].map((job) => this.#view(job.record, true));
    // Kept after a failed download, waiting for the next try: listed (with Check Again), not in flight.
    views.unshift(
      ...[...this.#waiting.values()]
        .filter(({ record }) => !this.#live.has(record.id))
        .map(({ record }) => this.#view(record, false)),
    );
    const liveIds = new Set(views.map((view) => view.id));
    return [
      ...views.reverse(),
      ...this.#recentDone.filter((record) => !liveIds.has(record.id)).map((record) => this.#view(record, false)),
    ].filter((job) => job.savedUri === undefined || !this.#goneImages.has(job.savedUri));
  }

  #view(record: JobRecord, live: boolean): JobView {
    return {
      id: record.id,
      prompt: record.request.prompt,
      state: record.state,
      createdAt: record.createdAt,
      finishedAt: record.finishedAt,
      savedUri: record.savedUri,
      failure: record.failure && { kind: record.failure.kind, message: describeStoredFailure(record.failure) },
      live,
      detached: record.detached ?? false,
    };
  }

  /** Loads the finished jobs for the jobs list (once, at start). */
  async loadHistory(): Promise<void> {
    if (!this.#store) return;
    try {
      // The jobs of this window's folders: the store is shared by every window of the machine.
      const open = new Set((vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString()));
      const records = (await this.#store.listDone()).filter((record) => open.has(record.workspaceFolder)).slice(0, 30);
      // An image deleted since (trashed from the gallery, removed by hand) is not offered to open or insert.
      const present = await Promise.all(
        records.map(
          (record) =>
            record.state !== 'saved' ||
            !record.savedUri ||
            vscode.workspace.fs.stat(vscode.Uri.parse(record.savedUri)).then(
              () => true,
              () => false,
            ),
        ),
      );
      this.#recentDone = records.filter((_record, index) => present[index]);
      this.#jobsEmitter.fire();
    } catch (error) {
      this.#log.warn(`Jobs: could not read the finished jobs (${errorText(error)})`);
    }
  }

  /**
   * Generates and saves, as a job that survives the window. Resolves with the saved image; rejects with an
   * IdeogramError. When the caller stops waiting (its signal) or `ideogram.requestTimeoutSeconds` passes after
   * the job was submitted, it rejects with 'stopped-waiting' / 'timeout' and the job goes on in the background:
   * its image is saved into the gallery when it arrives.
   */
  async generate(prepared: PreparedGeneration, run: GenerationRun): Promise<SavedGeneration> {
    const { apiKey, endpoint, target } = prepared;
    // The budget: the one check every generation passes before anything is sent (refuse, or ask, or go).
    // A batch's authorization covers its images one each; anything else is checked (and reserved) here.
    let spendId = this.#spending?.take(run.authorization);
    if (this.#spending && spendId === undefined)
      spendId = this.#spending.take(await this.#spending.authorize(run.request));
    // The seed is chosen here when the user left it open: Segmind's async result does not say which seed it used,
    // and without it the recipe (sidecar, embedded metadata, "reuse the last seed") could not be repeated.
    const request = requestToSend(run.request, run.request.seed ?? randomSeed(run.request));
    const record: JobRecord = {
      // The job's id is its entry in the spend ledger: settling the job settles what it reserved. The model is the
      // route: the endpoint setting's `…/v1/<slug>` with the request's model as the slug.
      id: spendId ?? globalThis.crypto.randomUUID(),
      route: 'v2',
      endpoint: endpointForModel(endpoint, request.model),
      request,
      origin: run.origin ?? 'command',
      workspaceFolder: target.workspaceFolder.uri.toString(),
      folder: target.folder.toString(),
      ...(target.naming ? { naming: target.naming } : {}),
      ...(run.insertion ? { insertion: run.insertion } : {}),
      state: 'submitting',
      createdAt: Date.now(),
    };
    const job: LiveJob = {
      record,
      controller: new AbortController(),
      awaited: true,
      resumed: false,
      submitSent: false,
      onProgress: run.onProgress,
      onSubmitted: run.onSubmitted,
      target,
    };
    // Claimed before it is written: another window starting now must not take a job that is being sent.
    if (this.#store)
      await this.#store
        .claim(record.id)
        .catch((error) => this.#log.warn(`Jobs: could not claim ${record.id} (${errorText(error)})`));
    await this.#persist(job);
    this.#track(job);
    job.done = this.#drive(job, apiKey);
    return this.#waitInForeground(job, run.signal);
  }

  /** The caller's wait: ends with the image, the failure, or when the caller stops waiting (the job goes on). */
  #waitInForeground(job: LiveJob, signal: AbortSignal | undefined): Promise<SavedGeneration> {
    const done = job.done as Promise<SavedGeneration>;
    return new Promise<SavedGeneration>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const giveUp = (reason: 'stopped-waiting' | 'timeout') => {
        cleanup();
        if (!job.submitSent) {
          // Nothing reached Segmind yet: cancelling is free.
          job.controller.abort();
          reject(new IdeogramError({ kind: 'cancelled', reason: 'before-submit' }));
          return;
        }
        if (job.record.route === 'v1') {
          // The blocking route cannot be resumed: stop it, as before the async API.
          job.controller.abort();
          return; // `done` rejects with the client's cancel or timeout message
        }
        job.awaited = false;
        job.record.detached = true;
        void this.#persist(job);
        this.#jobsEmitter.fire();
        this.#log.info(
          `Job ${job.record.id}: ${reason === 'timeout' ? 'timed out' : 'stopped waiting'}; it goes on in the background`,
        );
        const seconds = Math.round(this.#settings.requestTimeoutMs() / 1000);
        reject(
          new IdeogramError(
            reason === 'timeout'
              ? { kind: 'timeout', reason: 'job-wait', seconds, mayHaveBeenBilled: true }
              : { kind: 'stopped-waiting', mayHaveBeenBilled: true },
          ),
        );
      };
      const onAbort = () => giveUp('stopped-waiting');
      const timer = setTimeout(() => giveUp('timeout'), this.#settings.requestTimeoutMs());
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      done.then(
        (saved) => {
          cleanup();
          resolve(saved);
        },
        (error: unknown) => {
          cleanup();
          reject(error);
        },
      );
    });
  }

  /** Submits (or resumes) a job and carries it to a saved image. Rejects with an IdeogramError. */
  async #drive(job: LiveJob, apiKey: string): Promise<SavedGeneration> {
    const { record } = job;
    const log = coreLogger(this.#log);
    const signal = job.controller.signal;
    try {
      let image: GeneratedImage;
      const routes = asyncRoutesFor(new URL(record.endpoint));
      if (record.route === 'v2' && !record.requestId) {
        if (routes && !this.#syncOnlyEndpoints.has(routes.submit.href)) {
          // The job cannot have started before the submit left: its clock (for the poll schedule) starts here.
          let sentAt = Date.now();
          const outcome = await withSafeRetries(
            () => {
              job.submitSent = true;
              sentAt = Date.now();
              return submitJob(routes, record.request, { endpoint: record.endpoint, apiKey, signal, log });
            },
            {
              endpoint: record.endpoint,
              apiKey,
              signal,
              log,
              onWait: (waitMs, reason) => {
                job.submitSent = false;
                this.#progress(job, retryText(waitMs, reason));
              },
            },
          );
          if (outcome.kind === 'submitted') {
            record.requestId = outcome.requestId;
            record.submittedAt = sentAt;
            record.state = 'queued';
            await this.#persist(job);
            if (job.awaited) job.onSubmitted?.();
          } else {
            record.route = 'v1';
          }
        } else {
          record.route = 'v1';
        }
      }
      if (record.route === 'v1') {
        // The blocking route answers with one image's bytes: a job of several would be billed for images never received.
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
        await this.#persist(job);
        job.submitSent = true;
        if (job.awaited) job.onSubmitted?.();
        this.#progress(job, vscode.l10n.t('Generating…'));
        image = await generateImageWithRetries(record.request, {
          endpoint: routes?.sync.href ?? record.endpoint,
          apiKey,
          signal,
          log,
          timeoutMs: this.#settings.requestTimeoutMs(),
          onWait: (waitMs, reason) => this.#progress(job, retryText(waitMs, reason)),
        });
        // V2 answered 404/405 and v1 works: a proxy without the async API. Skip V2 there from now on.
        if (routes) this.#syncOnlyEndpoints.add(routes.submit.href);
      } else {
        image = await this.#awaitResult(job, routes as AsyncRoutes, apiKey);
      }
      return await this.#finish(job, image);
    } catch (error) {
      const failure =
        error instanceof IdeogramError
          ? error
          : new IdeogramError({ kind: 'unexpected', mayHaveBeenBilled: true, text: errorText(error) });
      throw await this.#fail(job, failure, apiKey);
    }
  }

  /** Polls a submitted job until it completes, then downloads its image. */
  async #awaitResult(job: LiveJob, routes: AsyncRoutes, apiKey: string): Promise<GeneratedImage> {
    const { record } = job;
    const signal = job.controller.signal;
    const log = coreLogger(this.#log);
    const requestId = record.requestId as string;
    const submittedAt = record.submittedAt ?? record.createdAt;
    // This model's past jobs on this machine, else its typical time on Segmind (src/core/models).
    const past = this.#durations(routes.model);
    const expected = expectedJobMs(past, modelBySlug(routes.model)?.typicalLatencyMs);
    const pastJobs = usableDurations(past).length;
    this.#progress(job, vscode.l10n.t('Queued at Segmind…'));
    for (;;) {
      const elapsed = Date.now() - submittedAt;
      const pastRecordLife = elapsed > JOB_RECORD_TTL_MS + EXPIRY_GRACE_MS;
      if (!pastRecordLife) await this.#sleepUntil(job, submittedAt + nextPollAt(elapsed, expected, pastJobs));
      if (signal.aborted) throw cancelled();
      const reading = await readJobStatus(routes, requestId, { apiKey, signal, log });
      switch (reading.state) {
        case 'queued':
        case 'processing':
          if (record.state !== reading.state) {
            record.state = reading.state;
            await this.#persist(job);
            this.#progress(
              job,
              reading.state === 'queued' ? vscode.l10n.t('Queued at Segmind…') : vscode.l10n.t('Generating…'),
            );
          }
          if (pastRecordLife) throw expiredError();
          continue;
        case 'unavailable':
          if (reading.retryAt) await this.#sleepUntil(job, Math.min(reading.retryAt.getTime(), Date.now() + 60_000));
          if (pastRecordLife) throw expiredError();
          continue;
        case 'refused':
          throw reading.error;
        case 'expired':
          throw expiredError();
        case 'failed':
          throw failedError(reading.message);
        case 'completed': {
          this.#rememberDuration(
            routes.model,
            reading.metrics.totalTime !== undefined
              ? Math.min(Date.now() - submittedAt, reading.metrics.totalTime * 1000)
              : Date.now() - submittedAt,
          );
          record.state = 'downloading';
          await this.#persist(job);
          this.#progress(job, vscode.l10n.t('Downloading…'));
          return this.#download(job, routes, apiKey);
        }
      }
    }
  }

  /** Reads the result and downloads the image; a read that fails for a moment is tried again (reads are free). */
  async #download(job: LiveJob, routes: AsyncRoutes, apiKey: string): Promise<GeneratedImage> {
    const { record } = job;
    const log = coreLogger(this.#log);
    for (let attempt = 0; ; attempt++) {
      const result = await fetchJobResult(routes, record.requestId as string, record.request, {
        apiKey,
        signal: job.controller.signal,
        log,
        endpoint: new URL(record.endpoint),
      });
      if (result.state === 'image') return result.image;
      if (result.state === 'failed') throw failedError(result.message);
      if (result.state === 'expired') throw expiredError();
      if (result.state === 'refused') throw result.error;
      if (attempt >= 4) {
        throw new IdeogramError({ kind: 'bad-response', reason: 'unreadable-result', mayHaveBeenBilled: true });
      }
      await abortableSleep(500 * 2 ** attempt, job.controller.signal).catch(() => {
        throw cancelled();
      });
    }
  }

  /** Saves the image and records the job as saved; tells whoever is not waiting for it. */
  async #finish(job: LiveJob, image: GeneratedImage): Promise<SavedGeneration> {
    const { record } = job;
    this.#progress(job, vscode.l10n.t('Saving…'));
    if (this.#store && !(await this.#store.holds(record.id).catch(() => true))) {
      // Another window took the job over meanwhile (this one looked dead): it saves the image, not us.
      throw new IdeogramError({ kind: 'interrupted' }); // another window took the job over
    }
    const target = job.target ?? targetOfRecord(record);
    const uri = await this.#save(target, image, record.endpoint);
    const saved: SavedGeneration = {
      uri,
      image,
      prompt: image.request.prompt,
      createdAt: new Date(),
      jobId: record.id,
    };
    // Recorded as soon as it is on disk (the gallery's `entryFor` waits for it); the entries are awaited below.
    const recordings = [this.#record(saved)];
    this.#log.info(
      `Saved ${uri.toString(true)} (${image.bytes.length} bytes, seed ${image.seed ?? 'unknown'}, job ${record.id}${record.requestId ? `, request ${record.requestId}` : ''})`,
    );
    // A job of several images (ideogram-4's num_images): every one is saved, each with the job's recipe; the cost
    // Segmind reports is the job's, so it stays with the first.
    const others: SavedGeneration[] = [];
    for (const extra of image.more ?? []) {
      const other: GeneratedImage = { ...image, ...extra, cost: undefined, more: undefined };
      const otherUri = await this.#save(target, other, record.endpoint);
      const otherSaved: SavedGeneration = {
        uri: otherUri,
        image: other,
        prompt: other.request.prompt,
        createdAt: new Date(),
        jobId: record.id,
      };
      others.push(otherSaved);
      recordings.push(this.#record(otherSaved));
      this.#log.info(
        `Saved ${otherUri.toString(true)} (${extra.bytes.length} bytes, image ${others.length + 1} of job ${record.id})`,
      );
    }
    if (others.length > 0) saved.others = others;
    record.state = 'saved';
    record.savedUri = uri.toString();
    record.finishedAt = Date.now();
    if (image.cost !== undefined) record.cost = image.cost;
    this.#spending?.settle(record.id, record.request, image);
    this.#generatedEmitter.fire(saved);
    for (const other of others) this.#generatedEmitter.fire(other);
    await this.#persist(job);
    this.#untrack(job);
    await Promise.all(recordings);
    if (!job.awaited) this.#outcomeEmitter.fire({ kind: 'saved', record, saved, resumed: job.resumed });
    return saved;
  }

  /** Records a job's failure; returns the failure as the user is told it (a kept download says so). */
  async #fail(job: LiveJob, failure: IdeogramError, apiKey: string): Promise<IdeogramError> {
    const { record } = job;
    if (failure.kind === 'interrupted') {
      this.#untrack(job);
      return failure;
    }
    let error = failure;
    // Fetching again cannot help an image that failed the safety check or is too big: those end now.
    const billedImageWaiting =
      record.state === 'downloading' &&
      !(['expired', 'cancelled', 'safety-refusal', 'too-large'] as const).some((kind) => kind === error.kind);
    if (billedImageWaiting) {
      // Segmind made (and billed) the image: fetched again on a bounded schedule, then given up as failed and billed.
      const tries = (record.downloadTries ?? 0) + 1;
      record.downloadTries = tries;
      const now = Date.now();
      const retryAt = nextDownloadTry(tries, record.submittedAt ?? record.createdAt, now);
      this.#log.warn(
        `Job ${record.id}: download ${tries} of the billed image failed (${failure.kind}${failure.reason ? `, ${failure.reason}` : ''}); ${retryAt === undefined ? 'giving up' : `trying again at ${new Date(retryAt).toISOString()}`}`,
      );
      if (retryAt !== undefined) {
        record.retryAt = retryAt;
        error = new IdeogramError({
          ...failure.facts,
          kind: failure.kind,
          reason: 'download-kept',
          downloadFailure: failure.reason ?? failure.kind,
          seconds: Math.round((retryAt - now) / 1000),
          tries,
          mayHaveBeenBilled: true,
        });
      } else {
        record.retryAt = undefined;
        record.state = 'failed';
        record.finishedAt = now;
        error = new IdeogramError({
          ...failure.facts,
          kind: failure.kind,
          reason: 'download-gave-up',
          downloadFailure: failure.reason ?? failure.kind,
          tries,
          mayHaveBeenBilled: true,
        });
      }
    }
    record.failure = storedFailureOf(error);
    if (billedImageWaiting) {
      if (record.retryAt !== undefined) this.#scheduleDownloadRetry(record, () => Promise.resolve(apiKey));
    } else {
      record.state = error.kind === 'expired' ? 'expired' : job.controller.signal.aborted ? 'discarded' : 'failed';
      record.finishedAt = Date.now();
      if (!error.mayHaveBeenBilled) this.#spending?.release(record.id);
    }
    await this.#persist(job);
    this.#untrack(job);
    // A download tried again in the background and kept again is not news: the user hears of the first and the last.
    const quietRetry = error.reason === 'download-kept' && (record.downloadTries ?? 0) > 1;
    if (!job.awaited && !job.controller.signal.aborted && !quietRetry)
      this.#outcomeEmitter.fire({ kind: 'failed', record, error, resumed: job.resumed });
    return error;
  }

  /**
   * A job kept after a failed download waits here, listed but not in flight, until its next try (or Check
   * Again). The key source given to `resumePending` is preferred: the key may have changed since.
   */
  #scheduleDownloadRetry(record: JobRecord, apiKey: () => Promise<string | undefined>): void {
    const waiting = this.#waiting.get(record.id);
    if (waiting) clearTimeout(waiting.timer);
    const timer = setTimeout(
      () => {
        this.#waiting.delete(record.id);
        void this.resumePending(this.#keySource ?? apiKey, record.id).catch((error: unknown) =>
          this.#log.warn(`Job ${record.id}: could not try the download again (${errorText(error)})`),
        );
      },
      Math.max(0, (record.retryAt ?? 0) - Date.now()),
    );
    this.#waiting.set(record.id, { record, timer });
    this.#jobsEmitter.fire();
  }

  /**
   * Resumes this window's unfinished jobs: those whose workspace folder is open here and that no other live
   * window holds. Jobs that were cut off while being submitted cannot be resumed (no request id): they are
   * reported once as possibly billed.
   */
  async resumePending(getApiKey: () => Promise<string | undefined>, onlyId?: string): Promise<number> {
    if (!this.#store) return 0;
    this.#keySource = getApiKey;
    const { jobs: all, damaged } = await this.#store.listActive();
    const jobs = onlyId ? all.filter((record) => record.id === onlyId) : all;
    const setAside = await this.#store.tidyActive(damaged).catch(() => [] as string[]);
    if (damaged.length > 0)
      this.#log.warn(
        `Jobs: ${damaged.length} job file(s) could not be read: ${damaged.join(', ')}${setAside.length ? `; moved to the jobs' damaged/ folder: ${setAside.join(', ')}` : ''}`,
      );
    const open = new Set((vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString()));
    let resumed = 0;
    for (const record of jobs) {
      if (this.#live.has(record.id) || !open.has(record.workspaceFolder)) continue;
      // Kept after a failed download: its next try is at its time (a reload does not make it sooner), or now on Check Again.
      if (
        record.state === 'downloading' &&
        record.retryAt !== undefined &&
        record.retryAt > Date.now() &&
        record.id !== onlyId
      ) {
        if (!this.#waiting.has(record.id)) this.#scheduleDownloadRetry(record, getApiKey);
        continue;
      }
      const waiting = this.#waiting.get(record.id);
      if (waiting) {
        clearTimeout(waiting.timer);
        this.#waiting.delete(record.id);
      }
      if (!(await this.#store.claim(record.id))) continue;
      const job: LiveJob = {
        record,
        controller: new AbortController(),
        awaited: false,
        resumed: true,
        submitSent: true,
      };
      if (!record.requestId || record.route === 'v1') {
        // Cut off while being sent: no request id came back, so there is nothing to ask Segmind about.
        this.#log.warn(`Job ${record.id} was interrupted while being sent (${record.route}): it cannot be resumed`);
        const error = new IdeogramError({
          kind: 'interrupted',
          reason: 'lost-before-id',
          prompt: shorten(record.request.prompt),
          mayHaveBeenBilled: true,
        });
        Object.assign(record, { state: 'lost', finishedAt: Date.now(), failure: storedFailureOf(error) });
        await this.#persist(job);
        this.#recentDone = [record, ...this.#recentDone].slice(0, 30);
        this.#outcomeEmitter.fire({ kind: 'failed', record, error, resumed: true });
        continue;
      }
      // The key goes only to the endpoint the user chose now; the image and the link stay in the job's folder.
      const endpoint = resumedEndpoint(record, this.#settings.apiEndpoint());
      if (endpoint.kind !== 'current') {
        this.#log.warn(
          `Job ${record.id} was sent to ${endpoint.kind === 'invalid' ? 'an endpoint the key may not go to' : endpoint.origin}, not to the current endpoint: kept, not resumed`,
        );
        await this.#store.release(record.id);
        if (endpoint.kind === 'other-origin') void this.#askToResumeElsewhere(record, endpoint.origin, getApiKey);
        continue;
      }
      if (!isInsideFolder(record.folder, record.workspaceFolder)) {
        this.#log.warn(
          `Job ${record.id}: its folder is outside its workspace folder; the image goes to ${this.#rescueFolder.toString(true)}`,
        );
        record.folder = this.#rescueFolder.toString();
        record.naming = undefined;
      }
      if (
        record.insertion &&
        !record.insertion.document.startsWith('untitled:') &&
        !isInsideFolder(record.insertion.document, record.workspaceFolder)
      ) {
        this.#log.warn(`Job ${record.id}: its document is outside its workspace folder; no link will be inserted`);
        record.insertion = undefined;
      }
      const apiKey = await getApiKey();
      if (!apiKey) {
        this.#log.warn(`Job ${record.id}: no API key to resume it with; kept for later`);
        await this.#store.release(record.id);
        continue;
      }
      this.#log.info(
        `Resuming job ${record.id} (request ${record.requestId}, ${record.state}, started ${new Date(record.createdAt).toISOString()})`,
      );
      record.failure = undefined;
      this.#track(job);
      job.done = this.#drive(job, apiKey);
      job.done.catch(() => undefined);
      resumed++;
    }
    return resumed;
  }

  /** Asks once per session whether a job sent to another endpoint may be resumed there (the key would go there). */
  async #askToResumeElsewhere(
    record: JobRecord,
    origin: string,
    getApiKey: () => Promise<string | undefined>,
  ): Promise<void> {
    if (this.#askedElsewhere.has(record.id)) return;
    this.#askedElsewhere.add(record.id);
    const resume = vscode.l10n.t('Resume There');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'A generation ("{0}") interrupted by a reload was sent to {1}, which is not your current endpoint. Resume it there? Your API key would be sent to {1}.',
        shorten(record.request.prompt),
        origin,
      ),
      resume,
    );
    if (choice !== resume || this.#live.has(record.id) || !this.#store || !(await this.#store.claim(record.id))) return;
    const apiKey = await getApiKey();
    if (!apiKey) {
      await this.#store.release(record.id);
      return;
    }
    this.#log.info(`Resuming job ${record.id} at ${origin}, as the user chose`);
    const job: LiveJob = { record, controller: new AbortController(), awaited: false, resumed: true, submitSent: true };
    this.#track(job);
    job.done = this.#drive(job, apiKey);
    job.done.catch(() => undefined);
  }

  /**
   * "Check Again": reads the job's status now instead of at its next planned read; a job that is not running
   * in this window (its image could not be fetched, or it waits for a key) is resumed.
   */
  async checkAgain(id: string, getApiKey: () => Promise<string | undefined>): Promise<void> {
    const job = this.#live.get(id);
    if (job) job.wake?.();
    else await this.resumePending(getApiKey, id);
  }

  /** Whether someone (a command's progress, a sidebar run) still waits for this job. */
  isAwaited(id: string): boolean {
    return this.#live.get(id)?.awaited ?? false;
  }

  /** Stops waiting for a job in the foreground; it goes on and its image is kept in the gallery. */
  stopWaiting(id: string): void {
    const job = this.#live.get(id);
    if (!job) return;
    job.awaited = false;
    job.record.detached = true;
    void this.#persist(job);
    this.#jobsEmitter.fire();
  }

  /** Images that left the workspace (trashed, deleted): their jobs leave the list, which would offer to open them. */
  forgetSaved(imageUris: readonly string[]): void {
    const listed = new Set(this.jobs().map((job) => job.savedUri));
    for (const uri of imageUris) this.#goneImages.add(uri);
    if (imageUris.some((uri) => listed.has(uri))) this.#jobsEmitter.fire();
  }

  /** Stops all work on a job: if Segmind finishes it anyway, its image is not downloaded (it may be billed). */
  discard(id: string): void {
    const waiting = this.#waiting.get(id);
    if (waiting && !this.#live.has(id)) {
      // Kept after a failed download: no more tries. It was billed; it ends as discarded.
      clearTimeout(waiting.timer);
      this.#waiting.delete(id);
      this.#log.info(`Job ${id} discarded by the user (its image could not be downloaded)`);
      Object.assign(waiting.record, { state: 'discarded', finishedAt: Date.now(), retryAt: undefined });
      this.#recentDone = [waiting.record, ...this.#recentDone.filter((record) => record.id !== id)].slice(0, 30);
      void this.#store
        ?.write(waiting.record)
        .catch((error: unknown) => this.#log.warn(`Jobs: could not write job ${id} (${errorText(error)})`));
      this.#jobsEmitter.fire();
      return;
    }
    const job = this.#live.get(id);
    if (!job) return;
    this.#log.info(`Job ${id} discarded by the user`);
    job.awaited = false;
    job.controller.abort();
  }

  /** The image's gallery entry: sets `saved.entry` (the recorder never rejects). */
  async #record(saved: SavedGeneration): Promise<void> {
    const entry = await this.#gallery?.recordGeneration(saved);
    if (entry) saved.entry = entry;
  }

  async #persist(job: LiveJob): Promise<void> {
    this.#jobsEmitter.fire();
    if (!this.#store) return;
    try {
      await this.#store.write(job.record);
    } catch (error) {
      this.#log.warn(`Jobs: could not write job ${job.record.id} (${errorText(error)}); it will not survive a reload`);
    }
  }

  #track(job: LiveJob): void {
    this.#live.set(job.record.id, job);
    this.#runningEmitter.fire(this.runningCount);
    this.#jobsEmitter.fire();
    this.#heartbeat ??= setInterval(() => {
      void this.#store?.heartbeat([...this.#live.keys()]).catch(() => undefined);
    }, HEARTBEAT_MS);
  }

  #untrack(job: LiveJob): void {
    if (this.#live.get(job.record.id) !== job) return;
    this.#live.delete(job.record.id);
    if (isFinalJobState(job.record.state))
      this.#recentDone = [job.record, ...this.#recentDone.filter((record) => record.id !== job.record.id)].slice(0, 30);
    if (this.#live.size === 0 && this.#heartbeat) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
    this.#runningEmitter.fire(this.runningCount);
    this.#jobsEmitter.fire();
  }

  #progress(job: LiveJob, message: string): void {
    if (job.awaited) job.onProgress?.(message);
  }

  /** Waits until `time` (epoch ms), or less when the job is woken or stopped. */
  #sleepUntil(job: LiveJob, time: number): Promise<void> {
    const ms = Math.max(0, time - Date.now());
    return new Promise((resolve) => {
      const signal = job.controller.signal;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        job.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      job.wake = done;
    });
  }

  #durations(model: string): number[] {
    const all = this.#globalState.get<Record<string, unknown>>(DURATIONS_KEY) ?? {};
    const list = all[model];
    return Array.isArray(list) ? list.filter((value): value is number => typeof value === 'number') : [];
  }

  #rememberDuration(model: string, ms: number): void {
    const all = { ...(this.#globalState.get<Record<string, unknown>>(DURATIONS_KEY) ?? {}) };
    all[model] = [...this.#durations(model), Math.max(0, Math.round(ms))].slice(-20);
    void this.#globalState.update(DURATIONS_KEY, all);
  }

  /**
   * Saves into the assets folder. If that fails (read-only folder, a file in the way, a full disk) the paid
   * image is kept at once in the extension's storage, and the user is offered to save it elsewhere.
   */
  async #save(target: AssetsTarget, image: GeneratedImage, endpoint: string): Promise<vscode.Uri> {
    image = {
      ...image,
      bytes: withEmbeddedRecipe(image, this.#settings.embedRecipe(target.folder), endpoint, this.#log),
    };
    try {
      return await saveImageFile(
        target.folder,
        image.request.prompt,
        image.type.extension,
        image.bytes,
        namedImageFile(target.naming, {
          prompt: image.request.prompt,
          extension: image.type.extension,
          seed: image.seed,
        }),
      );
    } catch (error) {
      const reason = errorText(error);
      this.#log.error(`Could not save into ${target.folder.toString(true)}: ${reason}`);
      const rescued = await saveImageFile(this.#rescueFolder, image.request.prompt, image.type.extension, image.bytes);
      this.#log.warn(`Image kept in ${rescued.toString(true)} because it could not be saved in the workspace`);
      void this.#offerToMove(rescued, target, reason);
      return rescued;
    }
  }

  async #offerToMove(rescued: vscode.Uri, target: AssetsTarget, reason: string): Promise<void> {
    const choose = vscode.l10n.t('Save to Another Folder…');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The image could not be saved in {0} ({1}). It is kept in {2} until you move it.',
        target.folder.fsPath,
        reason,
        rescued.fsPath,
      ),
      choose,
      vscode.l10n.t('Open Image'),
    );
    if (choice === undefined) return;
    if (choice !== choose) {
      await vscode.commands.executeCommand('vscode.open', rescued);
      return;
    }
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: target.workspaceFolder.uri,
      openLabel: vscode.l10n.t('Save Image Here'),
    });
    if (!picked?.[0]) return;
    try {
      const bytes = await vscode.workspace.fs.readFile(rescued);
      const name = baseName(rescued);
      const moved = await saveImageFile(
        picked[0],
        name.replace(/-\d{8}-\d{6}-[a-z0-9]{4}(-\d+)?\.[a-z]+$/, ''),
        name.slice(name.lastIndexOf('.') + 1),
        bytes,
      );
      await vscode.workspace.fs.delete(rescued);
      void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}', moved.fsPath));
    } catch (moveError) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Could not save the image there either ({0}). It is still in {1}.',
          errorText(moveError),
          rescued.fsPath,
        ),
      );
    }
  }

  override dispose(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    for (const { timer } of this.#waiting.values()) clearTimeout(timer);
    // Jobs are not aborted on dispose: their records stay active, and the next start resumes them.
    for (const job of this.#live.values()) job.wake?.();
    super.dispose();
  }
}

/** The target of a resumed job, from its record (a live job keeps the caller's). */
function targetOfRecord(record: JobRecord): AssetsTarget {
  const workspaceFolder = vscode.Uri.parse(record.workspaceFolder);
  return {
    workspaceFolder: vscode.workspace.getWorkspaceFolder(workspaceFolder) ?? {
      uri: workspaceFolder,
      name: '',
      index: 0,
    },
    folder: vscode.Uri.parse(record.folder),
    ...(record.naming ? { naming: record.naming } : {}),
  };
}

/** A seed as Ideogram draws them: uniform over the model's seed range (0..SEED_MAX for the default model). */
function randomSeed(request: ValidRequest): number {
  const { min, max } = seedRangeOf(request);
  return min + (globalThis.crypto.getRandomValues(new Uint32Array(1))[0] % (max - min + 1));
}

function retryText(waitMs: number, reason: IdeogramError): string {
  return reason.kind === 'rate-limited'
    ? vscode.l10n.t('Rate limited: retrying in {0} s…', Math.ceil(waitMs / 1000))
    : vscode.l10n.t('Segmind is busy: retrying in {0} s…', Math.ceil(waitMs / 1000));
}

function cancelled(): IdeogramError {
  return new IdeogramError({ kind: 'cancelled', reason: 'discarded', mayHaveBeenBilled: true });
}

function expiredError(): IdeogramError {
  return new IdeogramError({ kind: 'expired', mayHaveBeenBilled: true });
}

function failedError(apiMessage: string | undefined): IdeogramError {
  const safety = /safety|prohibited|nsfw|moderation|content policy/i.test(apiMessage ?? '');
  return safety
    ? new IdeogramError({ kind: 'safety-refusal', reason: 'job', apiMessage })
    : new IdeogramError({ kind: 'generation-failed', apiMessage });
}
