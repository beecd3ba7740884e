// The dialog after a paid image could not be saved where the user wanted: it was kept in the extension's storage
// (src/generation/jobs/imageSaving.ts), and the user may move it to a folder of their choice.
import * as vscode from 'vscode';
import { errorText } from '../../common/errorMessages';
import { saveImageFile, type AssetsTarget } from '../../links/imageFiles';
import { baseName } from '../../core/text';

/** Offers to save the rescued image elsewhere, or to open it. Not awaited by the generation. */
export async function offerToMoveRescued(rescued: vscode.Uri, target: AssetsTarget, reason: string): Promise<void> {
  const choose = vscode.l10n.t('Save to Another Folder…');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'The image could not be saved in {0} ({1}). It is kept in {2} until you move it.',
      target.folder.fsPath,
      reason,
      rescued.fsPath,
    ),
    choose,
    vscode.l10n.t('Open Image'),
  );
  if (choice === undefined) return;
  if (choice !== choose) {
    await vscode.commands.executeCommand('vscode.open', rescued);
    return;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: target.workspaceFolder.uri,
    openLabel: vscode.l10n.t('Save Image Here'),
  });
  if (!picked?.[0]) return;
  try {
    const bytes = await vscode.workspace.fs.readFile(rescued);
    const name = baseName(rescued);
    const moved = await saveImageFile(
      picked[0],
      name.replace(/-\d{8}-\d{6}-[a-z0-9]{4}(-\d+)?\.[a-z]+$/, ''),
      name.slice(name.lastIndexOf('.') + 1),
      bytes,
    );
    await vscode.workspace.fs.delete(rescued);
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}', moved.fsPath));
  } catch (moveError) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'Could not save the image there either ({0}). It is still in {1}.',
        errorText(moveError),
        rescued.fsPath,
      ),
    );
  }
}
