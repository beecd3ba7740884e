import * as vscode from 'vscode';
import { IdeogramError, type RecoveryAction } from './core/errors';
import { UserFacingError } from './assets';

export const SEGMIND_BILLING_URL = 'https://cloud.segmind.com/console/billing';
export const SEGMIND_USAGE_URL = 'https://cloud.segmind.com/console/usage';

const ACTION_LABELS: Record<RecoveryAction, () => string> = {
  setApiKey: () => vscode.l10n.t('Set API Key'),
  openBilling: () => vscode.l10n.t('Open Billing Page'),
  showLog: () => vscode.l10n.t('Show Log'),
  retry: () => vscode.l10n.t('Try Again'),
  openSettings: () => vscode.l10n.t('Open Settings'),
  checkStatus: () => vscode.l10n.t('Check Usage'),
};

/** Normalises anything thrown into a message and the actions that fix it; never a stack trace. */
export function describeFailure(error: unknown): { message: string; actions: RecoveryAction[]; kind: string } {
  if (error instanceof IdeogramError) return { message: error.message, actions: error.actions, kind: error.kind };
  if (error instanceof UserFacingError) return { message: error.message, actions: ['openSettings'], kind: 'settings' };
  if (error instanceof vscode.FileSystemError) {
    return { message: vscode.l10n.t('Could not write the image: {0}', error.message), actions: ['showLog'], kind: 'file-system' };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { message: vscode.l10n.t('Image generation failed: {0}', text || vscode.l10n.t('unknown error')), actions: ['showLog'], kind: 'unexpected' };
}

/** Carries out a recovery action chosen from an error message or the sidebar. */
export async function performRecoveryAction(action: RecoveryAction, log: vscode.LogOutputChannel, retry?: () => unknown): Promise<void> {
  switch (action) {
    case 'setApiKey': await vscode.commands.executeCommand('ideogram.setApiKey'); break;
    case 'openBilling': await vscode.env.openExternal(vscode.Uri.parse(SEGMIND_BILLING_URL)); break;
    case 'checkStatus': await vscode.env.openExternal(vscode.Uri.parse(SEGMIND_USAGE_URL)); break;
    case 'showLog': log.show(true); break;
    case 'openSettings': await vscode.commands.executeCommand('workbench.action.openSettings', 'ideogram.'); break;
    case 'retry': await retry?.(); break;
  }
}

export interface ShownFailure { message: string; actions: string[]; kind: string }
const recentlyShown: ShownFailure[] = [];

/** The last failures shown to the user, newest last: what the extension's own tests assert on. */
export function recentFailures(): readonly ShownFailure[] {
  return recentlyShown;
}

/** Shows a failure with its fixing actions as buttons (not awaited by callers that must return). */
export async function showFailure(error: unknown, log: vscode.LogOutputChannel, retry?: () => unknown): Promise<void> {
  const { message, actions, kind } = describeFailure(error);
  log.error(`Shown to the user (${kind}): ${message}`);
  const quiet = kind === 'cancelled' || kind === 'stopped-waiting';
  const available = quiet ? [] : actions.filter((action) => action !== 'retry' || retry);
  const labels = available.map((action) => ACTION_LABELS[action]());
  recentlyShown.push({ message, actions: labels, kind });
  if (recentlyShown.length > 50) recentlyShown.shift();
  if (quiet) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  const chosen = await vscode.window.showErrorMessage(message, ...labels);
  const action = available[labels.indexOf(chosen ?? '')];
  if (action) await performRecoveryAction(action, log, retry);
}

export function actionLabel(action: RecoveryAction): string {
  return ACTION_LABELS[action]();
}
