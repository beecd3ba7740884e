import * as vscode from 'vscode';

/**
 * `ideogram.generateImage` / `insertImage` with arguments start a billed generation without any UI: right for
 * keybindings and other extensions, but a `command:` link in content from an untrusted workspace could carry the
 * same arguments. In Restricted Mode such a run is confirmed first (a modal, so nothing clicks it by accident).
 */
export async function confirmUnattendedRun(prompt: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const generate = vscode.l10n.t('Generate');
  const oneLine = prompt.replace(/\s+/g, ' ').trim();
  const shown = oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Generate an image for “{0}”? A command asked for it in Restricted Mode, and each image uses Segmind credits.', shown),
    { modal: true }, generate);
  return choice === generate;
}
