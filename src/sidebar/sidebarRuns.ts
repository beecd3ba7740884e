import * as vscode from 'vscode';
import { IdeogramError, jobGoesOn } from '../core/errors';
import type { ValidRequest } from '../core/request';
import { actionLabel, describeFailure } from '../common/errorMessages';
import type { FailureView, RunView } from '../common/protocol';
import type { GalleryEntry } from '../core/galleryStore';
import { Disposable } from '../common/dispose';
import type { RunEvent, SidebarGeneration } from './ports';

interface Run {
  view: RunView;
  request: ValidRequest;
  /** Variations asked for (the batch's own row, while the budget is checked). */
  count?: number;
  controller: AbortController;
}

interface Dependencies<Prepared, Authorization> {
  /** Preparing, generating and authorizing batches (./ports.ts). */
  generation: SidebarGeneration<Prepared, Authorization>;
  log: vscode.LogOutputChannel;
  /** The Markdown document the image is for (assets patterns may depend on it). */
  document: () => vscode.TextDocument | undefined;
}

/**
 * The generations started from the sidebar. They belong to the host, not to the webview: they keep running
 * (and keep their rows and errors) while the view is hidden or reloaded.
 */
export class SidebarRuns<Prepared, Authorization> extends Disposable {
  readonly #runs = new Map<string, Run>();
  readonly #events = this.register(new vscode.EventEmitter<RunEvent>());
  readonly onDidChange = this.#events.event;

  readonly #deps: Dependencies<Prepared, Authorization>;
  constructor(deps: Dependencies<Prepared, Authorization>) {
    super();
    this.#deps = deps;
  }

  views(): RunView[] {
    return [...this.#runs.values()].map((run) => run.view);
  }

  /**
   * Starts a run (or `count` variations: the budget checks the batch once under this run's row, then each image
   * is a run of its own, `<runId>.1` …); a second start with the id of a running run is ignored. Resolves when
   * everything settled.
   */
  async start(runId: string, request: ValidRequest, count = 1): Promise<void> {
    if (count <= 1) {
      // One job may still bring several images (ideogram-4's num_images): offered like variations.
      const images = await this.#startOne(runId, request);
      if (images.length > 1) this.#events.fire({ kind: 'variations', entries: images });
      return;
    }
    if (this.#runs.get(runId)?.view.status === 'running') return;
    const run = this.#newRun(runId, request, vscode.l10n.t('Checking the cost…'));
    run.count = count;
    let plan: { authorization: Authorization; requests: ValidRequest[] };
    try {
      plan = await this.#deps.generation.planVariations(request, count);
    } catch (error) {
      this.#failed(run, error);
      return;
    }
    if (this.#runs.get(runId) !== run) {
      this.#deps.generation.releaseUnused(plan.authorization);
      return;
    }
    if (run.controller.signal.aborted) {
      this.#deps.generation.releaseUnused(plan.authorization);
      this.#failed(run, new IdeogramError({ kind: 'cancelled', reason: 'sidebar' }));
      return;
    }
    this.#runs.delete(runId);
    this.#events.fire({ kind: 'finished', runId, outcome: 'dismissed' });
    const entries = await Promise.all(
      plan.requests.map((child, index) => this.#startOne(`${runId}.${index + 1}`, child, plan.authorization)),
    ).finally(() => this.#deps.generation.releaseUnused(plan.authorization));
    const saved = entries.flat();
    if (saved.length > 1) this.#events.fire({ kind: 'variations', entries: saved });
  }

  #newRun(runId: string, request: ValidRequest, message: string): Run {
    const run: Run = {
      view: { runId, prompt: request.prompt, status: 'running', message, startedAt: Date.now() },
      request,
      controller: new AbortController(),
    };
    this.#runs.set(runId, run);
    this.#fire(run);
    return run;
  }

  /** One job; its gallery entries (several when the model made several images in the job), none when it failed. */
  async #startOne(runId: string, request: ValidRequest, authorization?: Authorization): Promise<GalleryEntry[]> {
    const existing = this.#runs.get(runId);
    if (existing?.view.status === 'running') return [];
    const run = this.#newRun(runId, request, vscode.l10n.t('Starting…'));
    try {
      const entries = await this.#generate(run, authorization);
      this.#runs.delete(runId);
      this.#events.fire({ kind: 'finished', runId, entry: entries[0], outcome: 'done' });
      return entries;
    } catch (error) {
      this.#failed(run, error);
      return [];
    }
  }

  #failed(run: Run, error: unknown): void {
    const { runId } = run.view;
    if (this.#runs.get(runId) !== run) return; // dismissed meanwhile
    if (
      run.controller.signal.aborted ||
      (error instanceof IdeogramError && (error.kind === 'cancelled' || error.kind === 'stopped-waiting'))
    ) {
      this.#runs.delete(runId);
      this.#events.fire({ kind: 'finished', runId, outcome: 'cancelled' });
      return;
    }
    const failure = this.#failureView(error);
    this.#deps.log.error(`Sidebar generation failed (${failure.kind}): ${failure.message}`);
    if (error instanceof IdeogramError && error.remainingCredits !== undefined) {
      this.#events.fire({ kind: 'credits', remaining: error.remainingCredits });
    }
    run.view = { ...run.view, status: 'failed', message: '', error: failure };
    this.#fire(run);
  }

  async #generate(run: Run, authorization?: Authorization): Promise<GalleryEntry[]> {
    const { generation } = this.#deps;
    const preparation = await generation.prepare({
      document: this.#deps.document(),
      folder: 'ask',
      askForKey: true,
      signal: run.controller.signal,
    });
    this.#throwIfCancelled(run);
    if (!preparation.ok) throw preparation.failure;
    this.#update(run, vscode.l10n.t('Generating…'));
    const saved = await generation.generate(preparation.prepared, {
      request: run.request,
      signal: run.controller.signal,
      onProgress: (message) => this.#update(run, message),
      origin: 'sidebar',
      authorization,
      onSubmitted: () => {
        if (this.#runs.get(run.view.runId) !== run || run.view.status !== 'running') return;
        run.view = { ...run.view, submitted: true };
        this.#fire(run);
      },
    });
    return [saved, ...(saved.others ?? [])].flatMap((each) => (each.entry ? [each.entry] : []));
  }

  #throwIfCancelled(run: Run): void {
    if (run.controller.signal.aborted) throw new IdeogramError({ kind: 'cancelled', reason: 'sidebar' });
  }

  #failureView(error: unknown): FailureView {
    const { message, actions, kind } = describeFailure(error);
    // Every failed sidebar run can be tried again (its request is kept), unless its job goes on: that would bill twice.
    const goesOn = error instanceof IdeogramError && jobGoesOn(error);
    const withRetry = actions.includes('retry') || goesOn ? actions : [...actions, 'retry' as const];
    const ordered = [
      ...withRetry.filter((action) => action !== 'showLog'),
      ...(withRetry.includes('showLog') ? ['showLog' as const] : []),
    ];
    return { message, kind, actions: ordered.map((action) => ({ action, label: actionLabel(action) })) };
  }

  #update(run: Run, message: string): void {
    if (this.#runs.get(run.view.runId) !== run || run.view.status !== 'running') return;
    run.view = { ...run.view, message };
    this.#fire(run);
  }

  #fire(run: Run): void {
    this.#events.fire({ kind: 'changed', run: run.view });
  }

  cancel(runId: string): void {
    const run = this.#runs.get(runId);
    if (run?.view.status === 'running') {
      this.#deps.log.info('Sidebar generation cancelled by the user');
      run.controller.abort();
    }
  }

  /** Starts a failed run again, with the same id and request. */
  retry(runId: string): Promise<void> | undefined {
    const run = this.#runs.get(runId);
    if (!run || run.view.status !== 'failed') return undefined;
    return this.start(runId, run.request, run.count);
  }

  dismiss(runId: string): void {
    const run = this.#runs.get(runId);
    if (!run) return;
    run.controller.abort();
    this.#runs.delete(runId);
    this.#events.fire({ kind: 'finished', runId, outcome: 'dismissed' });
  }

  override dispose(): void {
    for (const run of this.#runs.values()) run.controller.abort();
    this.#runs.clear();
    super.dispose();
  }
}
