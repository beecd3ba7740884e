// The jobs list's view model: this window's running jobs, those kept after a failed download, and the finished
// ones (newest first), each as the list and the status bar show it; a job whose image is gone is not offered.
import * as vscode from 'vscode';
import type { JobRecord, JobStore } from '../../core/jobStore';
import { isFinalJobState, type JobState } from '../../core/jobStates';
import { describeStoredFailure, errorText } from '../../common/errorMessages';

/** Finished jobs kept for the list. */
const RECENT_JOBS = 30;

/** A job as the jobs list and the status bar show it. */
export interface JobView {
  id: string;
  prompt: string;
  state: JobState;
  createdAt: number;
  finishedAt?: number;
  savedUri?: string;
  /** What went wrong, worded now (the record keeps it as data). */
  failure?: { kind: string; message: string };
  /** Still being waited for or worked on in this window. */
  live: boolean;
  detached: boolean;
}

export class JobList {
  #recentDone: JobRecord[] = [];
  /** Saved images deleted since, this session (see `forget`). */
  readonly #goneImages = new Set<string>();
  readonly #changed: () => void;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  /** A job ended (or was given up): first in the list of finished ones. */
  finished(record: JobRecord): void {
    if (!isFinalJobState(record.state)) return;
    this.#recentDone = [record, ...this.#recentDone.filter((each) => each.id !== record.id)].slice(0, RECENT_JOBS);
  }

  /** Running jobs of this window, then the finished ones (newest first), without those whose image is gone. */
  views(live: readonly JobRecord[], waiting: readonly JobRecord[]): JobView[] {
    const liveIds = new Set(live.map((record) => record.id));
    // Kept after a failed download, waiting for the next try: listed (with Check Again), not in flight.
    const views = [
      ...waiting.filter((record) => !liveIds.has(record.id)).map((record) => view(record, false)),
      ...live.map((record) => view(record, true)),
    ];
    const listed = new Set(views.map((each) => each.id));
    return [
      ...views.reverse(),
      ...this.#recentDone.filter((record) => !listed.has(record.id)).map((record) => view(record, false)),
    ].filter((job) => job.savedUri === undefined || !this.#goneImages.has(job.savedUri));
  }

  /** Loads the finished jobs of this window's folders (once, at start); an image deleted since is not offered. */
  async load(store: JobStore, log: vscode.LogOutputChannel): Promise<void> {
    try {
      // The store is shared by every window of the machine.
      const open = new Set((vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString()));
      const records = (await store.listDone()).filter((record) => open.has(record.workspaceFolder)).slice(0, 30);
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
      this.#changed();
    } catch (error) {
      log.warn(`Jobs: could not read the finished jobs (${errorText(error)})`);
    }
  }

  /** Images that left the workspace (trashed, deleted): their jobs leave the list, which would offer to open them. */
  forget(imageUris: readonly string[], listed: readonly JobView[]): void {
    const shown = new Set(listed.map((job) => job.savedUri));
    for (const uri of imageUris) this.#goneImages.add(uri);
    if (imageUris.some((uri) => shown.has(uri))) this.#changed();
  }
}

function view(record: JobRecord, live: boolean): JobView {
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
