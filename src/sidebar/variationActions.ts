import * as vscode from 'vscode';
import type { Gallery } from '../gallery';

/**
 * Moves the variations the user did not keep to the trash, after one confirmation for all of them. An image
 * already gone is just dropped from the gallery; one that cannot be trashed stays (and is named).
 */
export async function trashImages(entryIds: string[], gallery: Gallery, log: vscode.LogOutputChannel): Promise<{ ok: boolean; message?: string; removedIds: string[] }> {
  const entries = entryIds.flatMap((id) => { const entry = gallery.get(id); return entry ? [entry] : []; });
  if (entries.length === 0) return { ok: false, message: vscode.l10n.t('These images are no longer in the gallery.'), removedIds: [] };
  const moveToTrash = vscode.l10n.t('Move to Trash');
  const choice = await vscode.window.showWarningMessage(
    entries.length === 1 ? vscode.l10n.t('Move 1 image to the trash?') : vscode.l10n.t('Move {0} images to the trash?', entries.length),
    { modal: true, detail: entries.map((entry) => baseName(entry.imageUri)).join('\n') }, moveToTrash);
  if (choice !== moveToTrash) return { ok: false, removedIds: [] };
  const removedIds: string[] = [];
  const kept: string[] = [];
  const noTrash: typeof entries = [];
  for (const entry of entries) {
    const uri = vscode.Uri.parse(entry.imageUri, true);
    try {
      await vscode.workspace.fs.delete(uri, { useTrash: true });
    } catch (error) {
      if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) {
        // Some file systems (remote, virtual) have no trash: asked about below, once for all.
        log.warn(`Could not move ${uri.toString(true)} to the trash: ${String(error)}`);
        noTrash.push(entry);
        continue;
      }
    }
    gallery.remove(entry.id);
    removedIds.push(entry.id);
  }
  if (noTrash.length > 0) {
    const deletePermanently = vscode.l10n.t('Delete Permanently');
    const again = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} could not be moved to the trash. Delete it permanently?', noTrash.map((entry) => baseName(entry.imageUri)).join(', ')), { modal: true }, deletePermanently);
    for (const entry of noTrash) {
      try {
        if (again !== deletePermanently) throw new Error('kept by the user');
        await vscode.workspace.fs.delete(vscode.Uri.parse(entry.imageUri, true), { useTrash: false });
        gallery.remove(entry.id);
        removedIds.push(entry.id);
      } catch {
        kept.push(baseName(entry.imageUri));
      }
    }
  }
  return kept.length > 0
    ? { ok: false, removedIds, message: vscode.l10n.t('Could not move {0} to the trash.', kept.join(', ')) }
    : { ok: true, removedIds, message: removedIds.length === 1 ? vscode.l10n.t('Moved 1 image to the trash.') : vscode.l10n.t('Moved {0} images to the trash.', removedIds.length) };
}

function baseName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
