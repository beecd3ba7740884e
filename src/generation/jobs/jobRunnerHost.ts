// What the host hands the job runner (src/core/jobRunner.ts) besides the clock and Segmind: how long past jobs
// took (kept in the global state, to poll when a job is expected to finish), and the words for each step.
import * as vscode from 'vscode';
import type { JobStep } from '../../core/jobRunner';
import { STATE_KEY } from '../../common/ids';

/** How long this model's past jobs took on this machine (the last 20), kept in the global state. */
export function jobDurations(globalState: vscode.Memento) {
  const read = (): Record<string, unknown> => globalState.get<Record<string, unknown>>(STATE_KEY.jobDurations) ?? {};
  const of = (model: string): number[] => {
    const list = read()[model];
    return Array.isArray(list) ? list.filter((value): value is number => typeof value === 'number') : [];
  };
  return {
    of,
    remember: (model: string, ms: number) =>
      void globalState.update(STATE_KEY.jobDurations, {
        ...read(),
        [model]: [...of(model), Math.max(0, Math.round(ms))].slice(-20),
      }),
  };
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
