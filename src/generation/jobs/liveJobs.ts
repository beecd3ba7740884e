// The host adapter of the job runner (src/core/jobRunner.ts): this window's jobs in flight, each driven by the
// runner with the machine's clock and Segmind as transport; it persists every step to the job store, words the
// steps for the caller's progress, saves the image (src/generation/jobs/imageSaving.ts), records it in the gallery, and
// announces what happened (events). Jobs kept after a failed download wait here for their next try.
import * as vscode from 'vscode';
import type { GeneratedImage } from '../../core/client';
import type { IdeogramError } from '../../core/errors';
import type { JobRecord, JobStore } from '../../core/jobStore';
import { isFinalJobState } from '../../core/jobStates';
import { failJob, JobRunner, type RunningJob, segmindTransport, systemClock } from '../../core/jobRunner';
import { coreLogger } from '../../common/log';
import { errorText } from '../../common/errorMessages';
import { Disposable } from '../../common/dispose';
import type { Settings } from '../../common/settings';
import type { AssetsTarget } from '../../links/imageFiles';
import type { Budget } from '../ports';
import { type SavedGeneration, saveGeneratedImage, targetOfRecord } from './imageSaving';
import { JobList } from './jobList';
import { jobDurations, stepText } from './jobRunnerHost';
import type { GalleryRecorder } from '../ports';

/** What happened to a job that nobody waits for any more (resumed after a reload, or the user stopped waiting). */
export type JobOutcome =
  | { kind: 'saved'; record: JobRecord; saved: SavedGeneration; resumed: boolean }
  | { kind: 'failed'; record: JobRecord; error: IdeogramError; resumed: boolean };

export interface LiveJob extends RunningJob {
  readonly controller: AbortController;
  /** Resolves when the job is saved (or rejects with its failure). */
  done?: Promise<SavedGeneration>;
  /** Someone is waiting for `done` (the command or the sidebar that started it). */
  awaited: boolean;
  resumed: boolean;
  onProgress?: (message: string) => void;
  onSubmitted?: () => void;
  /** Where the image goes: the caller's prepared target; rebuilt from the record only for a resumed job. */
  target?: AssetsTarget;
  /** The gallery recordings of its saved images, awaited before `done` resolves. */
  recordings?: Promise<void>[];
}

export interface LiveJobsDeps {
  settings: Settings;
  log: vscode.LogOutputChannel;
  /** Last resort for a paid image that could not be saved where the user wanted (extension storage). */
  rescueFolder: vscode.Uri;
  store: JobStore | undefined;
  /** Remembers how long past jobs took (per model), to poll when a job is expected to finish. */
  globalState: vscode.Memento;
  spending: Budget | undefined;
  gallery: GalleryRecorder | undefined;
}

const HEARTBEAT_MS = 10_000;

export class LiveJobs extends Disposable {
  readonly #generated = this.register(new vscode.EventEmitter<SavedGeneration>());
  readonly onDidGenerate = this.#generated.event;
  readonly #running = this.register(new vscode.EventEmitter<number>());
  readonly onDidChangeRunning = this.#running.event;
  readonly #jobsChanged = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeJobs = this.#jobsChanged.event;
  readonly #outcome = this.register(new vscode.EventEmitter<JobOutcome>());
  readonly onDidFinishUnattended = this.#outcome.event;

  readonly list = new JobList(() => this.#jobsChanged.fire());
  readonly #live = new Map<string, LiveJob>();
  /** Jobs kept after a failed download, until their next try (`scheduleDownloadRetry`). */
  readonly #waiting = new Map<string, { record: JobRecord; timer: ReturnType<typeof setTimeout> }>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  readonly #runner: JobRunner<SavedGeneration, LiveJob>;
  readonly #deps: LiveJobsDeps;
  /** Resumes a kept job when its next download try is due (src/generation/jobs/jobResume.ts). */
  retryDue: (record: JobRecord, apiKey: () => Promise<string | undefined>) => void = () => undefined;

  constructor(deps: LiveJobsDeps) {
    super();
    this.#deps = deps;
    this.#runner = new JobRunner<SavedGeneration, LiveJob>({
      clock: systemClock,
      transport: segmindTransport,
      store: {
        persist: (record) => this.persist(record),
        holds: (id) => deps.store?.holds(id) ?? Promise.resolve(true),
      },
      durations: jobDurations(deps.globalState),
      save: (job, image) => this.#save(job, image),
      step: (job, step) => {
        if (job.awaited) job.onProgress?.(stepText(step));
      },
      submitted: (job) => {
        if (job.awaited) job.onSubmitted?.();
      },
      log: coreLogger(deps.log),
      requestTimeoutMs: () => deps.settings.requestTimeoutMs(),
    });
  }

  get(id: string): LiveJob | undefined {
    return this.#live.get(id);
  }

  get records(): JobRecord[] {
    return [...this.#live.values()].map((job) => job.record);
  }

  get waiting(): JobRecord[] {
    return [...this.#waiting.values()].map(({ record }) => record);
  }

  isWaiting(id: string): boolean {
    return this.#waiting.has(id);
  }

  /** Jobs being generated: a billed image fetched again in the background is not one (nothing new was asked for). */
  get runningCount(): number {
    return [...this.#live.values()].filter(
      (job) => !isFinalJobState(job.record.state) && !(job.record.downloadTries ?? 0),
    ).length;
  }

  /** Starts driving a job (new or resumed) in this window. */
  start(job: LiveJob, apiKey: string): Promise<SavedGeneration> {
    this.#live.set(job.record.id, job);
    this.#running.fire(this.runningCount);
    this.#jobsChanged.fire();
    this.#heartbeat ??= setInterval(() => {
      void this.#deps.store?.heartbeat([...this.#live.keys()]).catch(() => undefined);
    }, HEARTBEAT_MS);
    job.done = this.#drive(job, apiKey);
    return job.done;
  }

  async #drive(job: LiveJob, apiKey: string): Promise<SavedGeneration> {
    let saved: SavedGeneration;
    try {
      saved = await this.#runner.run(job, apiKey);
    } catch (error) {
      throw await this.#fail(job, error as IdeogramError, apiKey);
    }
    const { record } = job;
    this.#deps.spending?.settle(record.id, record.request, saved.image);
    this.#generated.fire(saved);
    for (const other of saved.others ?? []) this.#generated.fire(other);
    this.#untrack(job);
    await Promise.all(job.recordings ?? []);
    if (!job.awaited) this.#outcome.fire({ kind: 'saved', record, saved, resumed: job.resumed });
    return saved;
  }

  /** Saves every image of the job, each with the job's recipe, and starts recording each in the gallery. */
  async #save(job: LiveJob, image: GeneratedImage): Promise<{ uri: string; saved: SavedGeneration }> {
    const { record } = job;
    const { log, rescueFolder, settings } = this.#deps;
    const target = job.target ?? targetOfRecord(record);
    const embedRecipe = settings.embedRecipe(target.folder);
    const saveOne = async (each: GeneratedImage): Promise<SavedGeneration> => {
      const uri = await saveGeneratedImage(
        target,
        each,
        record.endpoint,
        embedRecipe,
        rescueFolder,
        log,
        record.source,
      );
      const saved: SavedGeneration = {
        uri,
        image: each,
        prompt: each.request.prompt,
        createdAt: new Date(),
        jobId: record.id,
        ...(record.source ? { source: record.source } : {}),
      };
      // Recorded as soon as it is on disk (the gallery's `entryFor` waits for it); awaited before `done` resolves.
      (job.recordings ??= []).push(this.#record(saved));
      return saved;
    };
    const saved = await saveOne(image);
    log.info(
      `Saved ${saved.uri.toString(true)} (${image.bytes.length} bytes, seed ${image.seed ?? 'unknown'}, job ${record.id}${record.requestId ? `, request ${record.requestId}` : ''})`,
    );
    // A job of several images (ideogram-4's num_images): every one is saved; the cost Segmind reports is the job's,
    // so it stays with the first.
    const others: SavedGeneration[] = [];
    for (const extra of image.more ?? []) {
      const other = await saveOne({ ...image, ...extra, cost: undefined, more: undefined });
      others.push(other);
      log.info(
        `Saved ${other.uri.toString(true)} (${extra.bytes.length} bytes, image ${others.length + 1} of job ${record.id})`,
      );
    }
    if (others.length > 0) saved.others = others;
    return { uri: saved.uri.toString(), saved };
  }

  async #record(saved: SavedGeneration): Promise<void> {
    const entry = await this.#deps.gallery?.recordGeneration(saved);
    if (entry) saved.entry = entry;
  }

  /** Records a job's failure (the runner's rules); returns the failure as the user is told it. */
  async #fail(job: LiveJob, failure: IdeogramError, apiKey: string): Promise<IdeogramError> {
    const { record } = job;
    if (failure.kind === 'interrupted') {
      this.#untrack(job);
      return failure;
    }
    const { error, retryAt } = failJob(record, failure, job.controller.signal.aborted, Date.now());
    if (error.reason === 'download-kept' || error.reason === 'download-gave-up')
      this.#deps.log.warn(
        `Job ${record.id}: download ${record.downloadTries} of the billed image failed (${failure.kind}${failure.reason ? `, ${failure.reason}` : ''}); ${retryAt === undefined ? 'giving up' : `trying again at ${new Date(retryAt).toISOString()}`}`,
      );
    if (retryAt !== undefined) this.scheduleDownloadRetry(record, () => Promise.resolve(apiKey));
    else if (!error.mayHaveBeenBilled) this.#deps.spending?.release(record.id);
    await this.persist(record);
    this.#untrack(job);
    // A download tried again in the background and kept again is not news: the user hears of the first and the last.
    const quietRetry = error.reason === 'download-kept' && (record.downloadTries ?? 0) > 1;
    if (!job.awaited && !job.controller.signal.aborted && !quietRetry)
      this.#outcome.fire({ kind: 'failed', record, error, resumed: job.resumed });
    return error;
  }

  /** A job nobody runs here ended (resumed and found lost): listed and told. */
  async ended(record: JobRecord, error: IdeogramError): Promise<void> {
    await this.persist(record);
    this.list.finished(record);
    this.#outcome.fire({ kind: 'failed', record, error, resumed: true });
  }

  /**
   * A job kept after a failed download waits here, listed but not in flight, until its next try (or Check
   * Again). `retryDue` prefers the latest key source: the key may have changed since.
   */
  scheduleDownloadRetry(record: JobRecord, apiKey: () => Promise<string | undefined>): void {
    this.stopWaitingForRetry(record.id);
    const timer = setTimeout(
      () => {
        this.#waiting.delete(record.id);
        this.retryDue(record, apiKey);
      },
      Math.max(0, (record.retryAt ?? 0) - Date.now()),
    );
    this.#waiting.set(record.id, { record, timer });
    this.#jobsChanged.fire();
  }

  stopWaitingForRetry(id: string): JobRecord | undefined {
    const waiting = this.#waiting.get(id);
    if (!waiting) return undefined;
    clearTimeout(waiting.timer);
    this.#waiting.delete(id);
    return waiting.record;
  }

  /** Stops waiting for a job in the foreground; it goes on and its image is kept in the gallery. */
  detach(job: LiveJob): void {
    job.awaited = false;
    job.record.detached = true;
    void this.persist(job.record);
  }

  /** Stops all work on a job: if Segmind finishes it anyway, its image is not downloaded (it may be billed). */
  discard(id: string): void {
    const job = this.#live.get(id);
    const kept = job ? undefined : this.stopWaitingForRetry(id);
    if (kept) {
      // Kept after a failed download: no more tries. It was billed; it ends as discarded.
      this.#deps.log.info(`Job ${id} discarded by the user (its image could not be downloaded)`);
      Object.assign(kept, { state: 'discarded', finishedAt: Date.now(), retryAt: undefined });
      this.list.finished(kept);
      void this.persist(kept);
      return;
    }
    if (!job) return;
    this.#deps.log.info(`Job ${id} discarded by the user`);
    job.awaited = false;
    job.controller.abort();
  }

  async persist(record: JobRecord): Promise<void> {
    this.#jobsChanged.fire();
    if (!this.#deps.store) return;
    try {
      await this.#deps.store.write(record);
    } catch (error) {
      this.#deps.log.warn(`Jobs: could not write job ${record.id} (${errorText(error)}); it will not survive a reload`);
    }
  }

  #untrack(job: LiveJob): void {
    if (this.#live.get(job.record.id) !== job) return;
    this.#live.delete(job.record.id);
    this.list.finished(job.record);
    if (this.#live.size === 0 && this.#heartbeat) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
    this.#running.fire(this.runningCount);
    this.#jobsChanged.fire();
  }

  override dispose(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    for (const { timer } of this.#waiting.values()) clearTimeout(timer);
    // Jobs are not aborted on dispose: their records stay active, and the next start resumes them.
    for (const job of this.#live.values()) job.wake?.();
    super.dispose();
  }
}
