import type * as vscode from 'vscode';
import { endpointForModel } from '../core/asyncJob';
import { IdeogramError } from '../core/errors';
import type { JobInsertion, JobRecord, JobStore } from '../core/jobStore';
import { requestToSend, seedRangeOf, type ValidRequest } from '../core/request';
import type { SourceLineage } from '../core/sourceLineage';
import { errorText } from '../common/errorMessages';
import type { Settings } from '../common/settings';
import type { ApiKeyStore } from '../common/apiKey';
import { Disposable } from '../common/dispose';
import type { Authorization } from '../core/budget';
import type { Budget } from './ports';
import type { SavedGeneration } from './jobs/imageSaving';
import type { JobView } from './jobs/jobList';
import { JobResumer } from './jobs/jobResume';
import { type LiveJob, LiveJobs } from './jobs/liveJobs';
import type { PreparedGeneration } from './pipeline';
import type { GalleryRecorder } from './ports';

export type { JobView } from './jobs/jobList';
export type { SavedGeneration } from './jobs/imageSaving';
export type { JobOutcome } from './jobs/liveJobs';

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
  /**
   * The workspace image an image action (remix, reframe, …) works on: kept with the job and written into the saved
   * image's recipe, its gallery entry and sidecar, so the hover names it and Regenerate runs the action on it again.
   */
  source?: SourceLineage;
}

/** What every entry point into a generation works with (the palette, the sidebar, the language model tool). */
export interface GenerationServices {
  settings: Settings;
  keys: ApiKeyStore;
  service: GenerationService;
  spending: Budget;
  log: vscode.LogOutputChannel;
}

/**
 * Every generation is a job: persisted before the first byte is sent, submitted to Segmind's async API, polled
 * at the moments it is expected to finish, downloaded and saved, whatever happens to the window in between
 * (the rules: src/core/jobRunner.ts; this window's jobs: liveJobs.ts; taking them up again: jobResume.ts).
 */
export class GenerationService extends Disposable {
  readonly #jobs: LiveJobs;
  readonly #resumer: JobResumer | undefined;
  /** Fires for every saved image (the sidebar's credits line). */
  readonly onDidGenerate: vscode.Event<SavedGeneration>;
  /** Fires with the number of jobs in flight in this window. */
  readonly onDidChangeRunning: vscode.Event<number>;
  /** Fires when any job's state changes (the jobs list). */
  readonly onDidChangeJobs: vscode.Event<void>;
  /** A job that nobody waits for ended: the host tells the user (see jobsView.ts). */
  readonly onDidFinishUnattended: LiveJobs['onDidFinishUnattended'];

  readonly #settings: Settings;
  readonly #log: vscode.LogOutputChannel;
  readonly #store: JobStore | undefined;
  readonly #spending: Budget | undefined;
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
    spending?: Budget,
    /** Where every saved image is recorded (the gallery); undefined: nowhere (benchmarks). */
    gallery?: GalleryRecorder,
  ) {
    super();
    this.#settings = settings;
    this.#log = log;
    this.#store = store;
    this.#spending = spending;
    this.#jobs = this.register(new LiveJobs({ settings, log, rescueFolder, store, globalState, spending, gallery }));
    this.#resumer = store && new JobResumer(this.#jobs, { store, settings, log, rescueFolder });
    this.onDidGenerate = this.#jobs.onDidGenerate;
    this.onDidChangeRunning = this.#jobs.onDidChangeRunning;
    this.onDidChangeJobs = this.#jobs.onDidChangeJobs;
    this.onDidFinishUnattended = this.#jobs.onDidFinishUnattended;
  }

  /** Jobs being generated: a billed image fetched again in the background is not one (nothing new was asked for). */
  get runningCount(): number {
    return this.#jobs.runningCount;
  }

  /** Running jobs of this window, then the finished ones (newest first), without those whose image is gone. */
  jobs(): JobView[] {
    return this.#jobs.list.views(this.#jobs.records, this.#jobs.waiting);
  }

  /** Loads the finished jobs for the jobs list (once, at start). */
  async loadHistory(): Promise<void> {
    if (this.#store) await this.#jobs.list.load(this.#store, this.#log);
  }

  /**
   * Generates and saves, as a job that survives the window. Resolves with the saved image and its gallery entry;
   * rejects with an IdeogramError. When the caller stops waiting (its signal) or `ideogram.requestTimeoutSeconds`
   * passes after the job was submitted, it rejects with 'stopped-waiting' / 'timeout' and the job goes on in the
   * background: its image is saved into the gallery when it arrives.
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
      ...(run.source ? { source: run.source } : {}),
      state: 'submitting',
      createdAt: Date.now(),
    };
    const controller = new AbortController();
    const job: LiveJob = {
      record,
      controller,
      signal: controller.signal,
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
    await this.#jobs.persist(record);
    return this.#waitInForeground(job, this.#jobs.start(job, apiKey), run.signal);
  }

  /** The caller's wait: ends with the image, the failure, or when the caller stops waiting (the job goes on). */
  #waitInForeground(
    job: LiveJob,
    done: Promise<SavedGeneration>,
    signal: AbortSignal | undefined,
  ): Promise<SavedGeneration> {
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
        this.#jobs.detach(job);
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

  /** Resumes this window's unfinished jobs (src/generation/jobs/jobResume.ts); how many were taken up. */
  resumePending(getApiKey: () => Promise<string | undefined>, onlyId?: string): Promise<number> {
    return this.#resumer?.resumePending(getApiKey, onlyId) ?? Promise.resolve(0);
  }

  /**
   * "Check Again": reads the job's status now instead of at its next planned read; a job that is not running
   * in this window (its image could not be fetched, or it waits for a key) is resumed.
   */
  async checkAgain(id: string, getApiKey: () => Promise<string | undefined>): Promise<void> {
    const job = this.#jobs.get(id);
    if (job) job.wake?.();
    else await this.resumePending(getApiKey, id);
  }

  /** Whether someone (a command's progress, a sidebar run) still waits for this job. */
  isAwaited(id: string): boolean {
    return this.#jobs.get(id)?.awaited ?? false;
  }

  /** Stops waiting for a job in the foreground; it goes on and its image is kept in the gallery. */
  stopWaiting(id: string): void {
    const job = this.#jobs.get(id);
    if (job) this.#jobs.detach(job);
  }

  /** Images that left the workspace (trashed, deleted): their jobs leave the list, which would offer to open them. */
  forgetSaved(imageUris: readonly string[]): void {
    this.#jobs.list.forget(imageUris, this.jobs());
  }

  /** Stops all work on a job: if Segmind finishes it anyway, its image is not downloaded (it may be billed). */
  discard(id: string): void {
    this.#jobs.discard(id);
  }
}

/** A seed as Ideogram draws them: uniform over the model's seed range (0..SEED_MAX for the default model). */
function randomSeed(request: ValidRequest): number {
  const { min, max } = seedRangeOf(request);
  return min + (globalThis.crypto.getRandomValues(new Uint32Array(1))[0] % (max - min + 1));
}
