// Jobs left unfinished by a reload, a crash or a failed download, taken up again in this window: the decision for
// each is src/core/resumeChecks.ts `planResume` (from the record alone); here the window claims the job, asks the
// user where the key would go elsewhere, and hands the job to the runner (src/generation/jobs/liveJobs.ts).
import * as vscode from 'vscode';
import type { JobRecord, JobStore } from '../../core/jobStore';
import { lostJob } from '../../core/jobRunner';
import { planResume } from '../../core/resumeChecks';
import { shorten } from '../../core/text';
import { errorText } from '../../common/errorMessages';
import type { Settings } from '../../common/settings';
import type { LiveJob, LiveJobs } from './liveJobs';

type KeySource = () => Promise<string | undefined>;

export class JobResumer {
  readonly #jobs: LiveJobs;
  readonly #store: JobStore;
  readonly #settings: Settings;
  readonly #log: vscode.LogOutputChannel;
  readonly #rescueFolder: vscode.Uri;
  /** Where resumed jobs get the key (the latest `resumePending` caller's). */
  #keySource: KeySource | undefined;
  /** Jobs sent to another endpoint whose user was asked this session (`#askToResumeElsewhere`). */
  readonly #askedElsewhere = new Set<string>();

  constructor(
    jobs: LiveJobs,
    deps: { store: JobStore; settings: Settings; log: vscode.LogOutputChannel; rescueFolder: vscode.Uri },
  ) {
    this.#jobs = jobs;
    this.#store = deps.store;
    this.#settings = deps.settings;
    this.#log = deps.log;
    this.#rescueFolder = deps.rescueFolder;
    // A kept download's next try is due: resumed with the latest key source (the key may have changed since).
    jobs.retryDue = (record, apiKey) =>
      void this.resumePending(this.#keySource ?? apiKey, record.id).catch((error: unknown) =>
        this.#log.warn(`Job ${record.id}: could not try the download again (${errorText(error)})`),
      );
  }

  /**
   * Resumes this window's unfinished jobs: those whose workspace folder is open here and that no other live
   * window holds. Jobs that were cut off while being submitted cannot be resumed (no request id): they are
   * reported once as possibly billed.
   */
  async resumePending(getApiKey: KeySource, onlyId?: string): Promise<number> {
    this.#keySource = getApiKey;
    const { jobs: all, damaged } = await this.#store.listActive();
    const records = onlyId ? all.filter((record) => record.id === onlyId) : all;
    const setAside = await this.#store.tidyActive(damaged).catch(() => [] as string[]);
    if (damaged.length > 0)
      this.#log.warn(
        `Jobs: ${damaged.length} job file(s) could not be read: ${damaged.join(', ')}${setAside.length ? `; moved to the jobs' damaged/ folder: ${setAside.join(', ')}` : ''}`,
      );
    const open = new Set((vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString()));
    let resumed = 0;
    const planFor = (record: JobRecord) =>
      planResume(record, {
        now: Date.now(),
        currentEndpoint: this.#settings.apiEndpoint(),
        checkNow: record.id === onlyId,
      });
    // A kept download whose next try is not due yet: the try is scheduled (once), the job is not claimed.
    const waitForRetry = (record: JobRecord) => {
      if (!this.#jobs.isWaiting(record.id)) this.#jobs.scheduleDownloadRetry(record, getApiKey);
    };
    for (const listed of records) {
      if (this.#jobs.get(listed.id) || !open.has(listed.workspaceFolder)) continue;
      if (planFor(listed).kind === 'wait') {
        waitForRetry(listed);
        continue;
      }
      this.#jobs.stopWaitingForRetry(listed.id);
      // Decided from the record as it is once claimed: the listed copy may be one another window has since saved.
      const record = await this.#store.claimActive(listed.id);
      if (!record) continue;
      const plan = planFor(record);
      if (plan.kind === 'wait') {
        await this.#store.release(record.id);
        waitForRetry(record);
        continue;
      }
      if (plan.kind === 'lost') {
        this.#log.warn(`Job ${record.id} was interrupted while being sent (${record.route}): it cannot be resumed`);
        await this.#jobs.ended(record, lostJob(record, shorten(record.request.prompt), Date.now()));
        continue;
      }
      if (plan.kind === 'elsewhere' || plan.kind === 'refused') {
        // The key goes only to the endpoint the user chose now; the image and the link stay in the job's folder.
        this.#log.warn(
          `Job ${record.id} was sent to ${plan.kind === 'refused' ? 'an endpoint the key may not go to' : plan.origin}, not to the current endpoint: kept, not resumed`,
        );
        await this.#store.release(record.id);
        if (plan.kind === 'elsewhere') void this.#askToResumeElsewhere(record, plan.origin, getApiKey);
        continue;
      }
      if (plan.folderOutside) {
        this.#log.warn(
          `Job ${record.id}: its folder is outside its workspace folder; the image goes to ${this.#rescueFolder.toString(true)}`,
        );
        record.folder = this.#rescueFolder.toString();
        record.naming = undefined;
      }
      if (plan.insertionOutside) {
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
      this.#jobs.start(resumedJob(record), apiKey).catch(() => undefined);
      resumed++;
    }
    return resumed;
  }

  /** Asks once per session whether a job sent to another endpoint may be resumed there (the key would go there). */
  async #askToResumeElsewhere(record: JobRecord, origin: string, getApiKey: KeySource): Promise<void> {
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
    if (choice !== resume || this.#jobs.get(record.id)) return;
    // The question may have waited for minutes: another window may have resumed and saved the job meanwhile.
    const current = await this.#store.claimActive(record.id);
    if (!current) return;
    const apiKey = await getApiKey();
    if (!apiKey) {
      await this.#store.release(current.id);
      return;
    }
    this.#log.info(`Resuming job ${current.id} at ${origin}, as the user chose`);
    this.#jobs.start(resumedJob(current), apiKey).catch(() => undefined);
  }
}

/** A job taken up again: nobody waits for it, and it was sent long ago (cancelling cannot undo that). */
function resumedJob(record: JobRecord): LiveJob {
  const controller = new AbortController();
  return { record, controller, signal: controller.signal, awaited: false, resumed: true, submitSent: true };
}
