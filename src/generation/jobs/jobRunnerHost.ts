// What the host hands the job runner (src/core/jobRunner.ts) besides the clock and Segmind: how long past jobs
// took (kept in the global state, to poll when a job is expected to finish), and the words for each step.
import * as vscode from 'vscode';
import type { JobStep } from '../../core/jobRunner';
import { STATE_KEY } from '../../common/ids';
import { JobDurations } from '../../core/jobDurations';

/** How long each model's past jobs took on this machine (core/jobDurations.ts), kept in the global state. */
export function jobDurations(globalState: vscode.Memento): JobDurations {
  return new JobDurations({
    read: () => globalState.get(STATE_KEY.jobDurations),
    write: (value) => void globalState.update(STATE_KEY.jobDurations, value),
  });
}

export function stepText(step: JobStep): string {
  switch (step.kind) {
    case 'queued':
      return vscode.l10n.t('Queued at Segmind…');
    case 'generating':
      return vscode.l10n.t('Generating…');
    case 'downloading':
      return vscode.l10n.t('Downloading…');
    case 'saving':
      return vscode.l10n.t('Saving…');
    case 'retry-wait':
      return step.reason === 'rate-limited'
        ? vscode.l10n.t('Rate limited: retrying in {0} s…', Math.ceil(step.waitMs / 1000))
        : vscode.l10n.t('Segmind is busy: retrying in {0} s…', Math.ceil(step.waitMs / 1000));
  }
}
