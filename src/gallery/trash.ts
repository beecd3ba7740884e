// Deleting images: to the trash with their recipe sidecars, or permanently after one question where there is no
// trash. The one way every delete goes (a button, Trash the Others, Find Unused Images).
import * as vscode from 'vscode';
import { errorText } from '../common/errorMessages';
import { sidecarUri } from '../links/imageFiles';
import type { Gallery } from './gallery';

/** What `moveImagesToTrash` did with the images it was given. */
export interface TrashOutcome<T> {
  /** Gone (an image already missing counts), with their recipes; the gallery forgot them. */
  removed: T[];
  /** Still there: not deleted permanently where the file system has no trash, or the delete failed. */
  kept: T[];
  /** How many of `removed` were deleted permanently, the user having agreed. */
  deletedPermanently: number;
  /** The user was asked to delete permanently and did not want to. */
  declined: boolean;
}

/**
 * Moves images and their recipe sidecars to the trash, after the caller's confirmation, and the gallery forgets
 * them. Where the file system has none (a remote or virtual workspace, code-server), asks once for all whether
 * to delete them permanently. The one way every delete goes: a button, Trash the Others, Find Unused Images.
 */
export async function moveImagesToTrash<T extends { uri: vscode.Uri; entryId?: string }>(
  images: readonly T[],
  gallery: Gallery,
  log: vscode.LogOutputChannel,
): Promise<TrashOutcome<T>> {
  const outcome: TrashOutcome<T> = { removed: [], kept: [], deletedPermanently: 0, declined: false };
  const forget = (image: T) => {
    if (image.entryId) gallery.remove(image.entryId);
    outcome.removed.push(image);
  };
  const remove = async (uri: vscode.Uri, useTrash: boolean) => {
    await vscode.workspace.fs.delete(uri, { useTrash });
    await vscode.workspace.fs.delete(sidecarUri(uri), { useTrash }).then(undefined, () => undefined);
  };
  const noTrash: T[] = [];
  for (const image of images) {
    try {
      await remove(image.uri, true);
      forget(image);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
        // gone meanwhile: its recipe goes too
        await vscode.workspace.fs.delete(sidecarUri(image.uri), { useTrash: true }).then(undefined, () => undefined);
        forget(image);
        continue;
      }
      log.warn(`Could not move ${image.uri.toString(true)} to the trash: ${errorText(error)}`);
      noTrash.push(image);
    }
  }
  if (noTrash.length === 0) return outcome;
  const deletePermanently = vscode.l10n.t('Delete Permanently');
  const again = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      '{0} could not be moved to the trash. Delete it permanently?',
      noTrash.map((image) => vscode.workspace.asRelativePath(image.uri)).join(', '),
    ),
    { modal: true },
    deletePermanently,
  );
  outcome.declined = again !== deletePermanently;
  for (const image of noTrash) {
    try {
      if (again !== deletePermanently) throw new Error('kept by the user');
      await remove(image.uri, false);
      forget(image);
      outcome.deletedPermanently += 1;
    } catch (error) {
      if (again === deletePermanently) log.warn(`Could not delete ${image.uri.toString(true)}: ${errorText(error)}`);
      outcome.kept.push(image);
    }
  }
  return outcome;
}
