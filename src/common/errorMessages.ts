// Every failure a user can meet, worded in one place: the core and the host areas throw an IdeogramError that
// carries what happened as data (src/core/errors.ts); this module (with failureWording.ts, responseWording.ts and
// requestProblemWording.ts) turns it into a sentence in the user's language and picks the actions that fix it,
// for the notification, the sidebar, the jobs list and the language model tool.
import * as vscode from 'vscode';

import { IdeogramError, jobGoesOn, type FailureKind, type RecoveryAction } from '../core/errors';
import { failureOfStored, type StoredFailure } from '../core/storedFailure';

import { COMMAND, SETTINGS_SECTION } from './ids';
import { reportFailureShown } from './testMode';
import { word } from './failureWording';

export const SEGMIND_BILLING_URL = 'https://cloud.segmind.com/console/billing';
export const SEGMIND_USAGE_URL = 'https://cloud.segmind.com/console/usage';

const ACTION_LABELS: Record<RecoveryAction, () => string> = {
  setApiKey: () => vscode.l10n.t('Set API Key'),
  openBilling: () => vscode.l10n.t('Open Billing Page'),
  showLog: () => vscode.l10n.t('Show Log'),
  retry: () => vscode.l10n.t('Try Again'),
  openSettings: () => vscode.l10n.t('Open Settings'),
  checkStatus: () => vscode.l10n.t('Check Usage'),
  showJobs: () => vscode.l10n.t('Show Jobs'),
  openFolder: () => vscode.l10n.t('Open Folder…'),
};

export interface DescribedFailure {
  message: string;
  actions: RecoveryAction[];
  kind: FailureKind;
}

/** The text of anything thrown, for logs: the one place that looks inside an unknown value. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Anything thrown, as an IdeogramError: the file system's failures and the unexpected get kinds of their own. */
export function asIdeogramError(error: unknown): IdeogramError {
  if (error instanceof IdeogramError) return error;
  if (error instanceof vscode.FileSystemError) return new IdeogramError({ kind: 'file-system', text: error.message });
  return new IdeogramError({ kind: 'unexpected', text: errorText(error) });
}

/** Words a failure and picks its fixing actions; never a stack trace. */
export function describeFailure(error: unknown): DescribedFailure {
  const failure = asIdeogramError(error);
  const [message, actions] = word(failure);
  return {
    message,
    actions: jobGoesOn(failure) ? actions.filter((action) => action !== 'retry') : actions,
    kind: failure.kind,
  };
}

/** A job's stored failure in the user's language now; a record of the old form keeps the sentence it was given. */
export function describeStoredFailure(stored: StoredFailure): string {
  const failure = failureOfStored(stored);
  if (failure) return describeFailure(failure).message;
  return stored.message ?? describeFailure(new IdeogramError({ kind: 'unexpected', text: stored.kind })).message;
}

/**
 * Carries out a recovery action chosen from an error message or the sidebar. Open Settings shows the setting the
 * failure names (`setting`), else all of the extension's.
 */
export async function performRecoveryAction(
  action: RecoveryAction,
  log: vscode.LogOutputChannel,
  retry?: () => unknown,
  setting?: string,
): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand(COMMAND.setApiKey);
      break;
    case 'openBilling':
      await vscode.env.openExternal(vscode.Uri.parse(SEGMIND_BILLING_URL));
      break;
    case 'checkStatus':
      await vscode.env.openExternal(vscode.Uri.parse(SEGMIND_USAGE_URL));
      break;
    case 'showJobs':
      await vscode.commands.executeCommand(COMMAND.openPanel);
      break;
    case 'openFolder':
      await vscode.commands.executeCommand('workbench.action.files.openFolder');
      break;
    case 'showLog':
      log.show(true);
      break;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', setting ?? `${SETTINGS_SECTION}.`);
      break;
    case 'retry':
      await retry?.();
      break;
  }
}

/** A cancel or a stop the user asked for is told quietly, without actions. */
export function isQuiet(kind: FailureKind): boolean {
  return kind === 'cancelled' || kind === 'stopped-waiting';
}

/** Shows a failure with its fixing actions as buttons (not awaited by callers that must return). */
export async function showFailure(error: unknown, log: vscode.LogOutputChannel, retry?: () => unknown): Promise<void> {
  const { message, actions, kind } = describeFailure(error);
  log.error(`Shown to the user (${kind}): ${message}`);
  const quiet = isQuiet(kind);
  const available = quiet ? [] : actions.filter((action) => action !== 'retry' || retry);
  const labels = available.map((action) => ACTION_LABELS[action]());
  reportFailureShown({ message, actions: labels, kind });
  if (quiet) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  const chosen = await vscode.window.showErrorMessage(message, ...labels);
  const action = available[labels.indexOf(chosen ?? '')];
  if (action) await performRecoveryAction(action, log, retry, asIdeogramError(error).facts.setting);
}

export function actionLabel(action: RecoveryAction): string {
  return ACTION_LABELS[action]();
}
