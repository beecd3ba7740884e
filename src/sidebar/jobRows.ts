import * as vscode from 'vscode';
import type { ApiKeyStore } from '../common/apiKey';
import { actionLabel, SEGMIND_USAGE_URL } from '../common/errorMessages';
import type { JobAction, JobRowView } from '../common/protocol';
import type { SidebarJob, SidebarJobs, SidebarLinks } from './ports';

const STATE_LABELS: Record<SidebarJob['state'], () => string> = {
  submitting: () => vscode.l10n.t('Sending to Segmind'),
  queued: () => vscode.l10n.t('Queued at Segmind'),
  processing: () => vscode.l10n.t('Generating at Segmind'),
  downloading: () => vscode.l10n.t('Downloading'),
  saved: () => vscode.l10n.t('Saved'),
  failed: () => vscode.l10n.t('Failed'),
  expired: () => vscode.l10n.t('Expired at Segmind'),
  lost: () => vscode.l10n.t('Interrupted'),
  discarded: () => vscode.l10n.t('Discarded'),
};

const ACTION_LABELS: Record<JobAction, () => string> = {
  open: () => vscode.l10n.t('Open'),
  reveal: () => vscode.l10n.t('Reveal'),
  insert: () => vscode.l10n.t('Insert'),
  checkAgain: () => vscode.l10n.t('Check Again'),
  stopWaiting: () => vscode.l10n.t('Stop Waiting'),
  discard: () => vscode.l10n.t('Discard'),
  // The same buttons as on error messages, worded once.
  showLog: () => actionLabel('showLog'),
  checkUsage: () => actionLabel('checkStatus'),
};

/** The buttons that make sense for a job in its state. */
function actionsFor(job: SidebarJob, awaited: boolean): JobAction[] {
  switch (job.state) {
    case 'submitting':
    case 'queued':
    case 'processing':
      return job.live ? [...(awaited ? ['stopWaiting' as const] : []), 'checkAgain', 'discard'] : ['checkAgain'];
    case 'downloading':
      return job.live ? ['showLog'] : ['checkAgain', 'discard', 'showLog'];
    case 'saved':
      return ['open', 'reveal', 'insert'];
    case 'expired':
    case 'lost':
      return ['checkUsage', 'showLog'];
    case 'failed':
    case 'discarded':
      return ['showLog'];
  }
}

export function jobRows(service: SidebarJobs): JobRowView[] {
  return service.jobs().map((job) => {
    const row: JobRowView = {
      id: job.id,
      prompt: job.prompt,
      state: job.state,
      stateLabel: STATE_LABELS[job.state](),
      createdAt: job.createdAt,
      actions: actionsFor(job, service.isAwaited(job.id)).map((action) => ({ action, label: ACTION_LABELS[action]() })),
    };
    if (job.finishedAt !== undefined) row.finishedAt = job.finishedAt;
    if (job.savedUri) row.path = vscode.workspace.asRelativePath(vscode.Uri.parse(job.savedUri), true);
    if (job.failure && job.state !== 'saved') row.failure = job.failure.message;
    return row;
  });
}

/** Carries out a button of the jobs list. Returns a short status line for the webview, if any. */
export async function runJobAction(
  action: JobAction,
  jobId: string,
  deps: { jobs: SidebarJobs; keys: Pick<ApiKeyStore, 'get'>; log: vscode.LogOutputChannel; links: SidebarLinks },
): Promise<void> {
  const { jobs: service, keys, log, links } = deps;
  const job = service.jobs().find((candidate) => candidate.id === jobId);
  if (!job) return;
  const saved = job.savedUri ? vscode.Uri.parse(job.savedUri) : undefined;
  switch (action) {
    case 'open':
      if (saved) await vscode.commands.executeCommand('vscode.open', saved);
      break;
    case 'reveal':
      if (saved) await vscode.commands.executeCommand('revealInExplorer', saved);
      break;
    case 'insert': {
      const editor = links.targetEditor();
      if (!saved) break;
      if (!editor) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t(
            'Open a Markdown, HTML, AsciiDoc, reStructuredText, LaTeX or other document to insert the image into.',
          ),
        );
        break;
      }
      const link = links.linkFor(editor.document, job.prompt, saved);
      await editor.edit((builder) => builder.insert(editor.selection.active, link));
      break;
    }
    case 'checkAgain':
      await service.checkAgain(jobId, () => keys.get());
      break;
    case 'stopWaiting':
      service.stopWaiting(jobId);
      break;
    case 'discard': {
      const discard = vscode.l10n.t('Discard');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Discard this generation? Segmind cannot cancel it and may still charge for it; its image will not be saved.',
        ),
        { modal: true },
        discard,
      );
      if (choice === discard) service.discard(jobId);
      break;
    }
    case 'showLog':
      log.show(true);
      break;
    case 'checkUsage':
      await vscode.env.openExternal(vscode.Uri.parse(SEGMIND_USAGE_URL));
      break;
  }
}
