import * as vscode from 'vscode';
import { baseName } from '../core/text';
import type { SidebarGallery, SidebarTrash } from './ports';

/**
 * Moves the variations the user did not keep to the trash, with their recipes, after one confirmation for all of
 * them. An image already gone is just dropped from the gallery; one that cannot be trashed stays (and is named).
 */
export async function trashImages(
  entryIds: string[],
  gallery: Pick<SidebarGallery, 'get'>,
  trash: SidebarTrash,
): Promise<{ ok: boolean; message?: string; removedIds: string[] }> {
  const images = entryIds.flatMap((entryId) => {
    const entry = gallery.get(entryId);
    return entry ? [{ uri: vscode.Uri.parse(entry.imageUri, true), entryId }] : [];
  });
  if (images.length === 0)
    return { ok: false, message: vscode.l10n.t('These images are no longer in the gallery.'), removedIds: [] };
  const moveToTrash = vscode.l10n.t('Move to Trash');
  const choice = await vscode.window.showWarningMessage(
    images.length === 1
      ? vscode.l10n.t('Move 1 image to the trash?')
      : vscode.l10n.t('Move {0} images to the trash?', images.length),
    { modal: true, detail: images.map((image) => baseName(image.uri)).join('\n') },
    moveToTrash,
  );
  if (choice !== moveToTrash) return { ok: false, removedIds: [] };
  const { removed, kept } = await trash.moveToTrash(images);
  const removedIds = removed.map((image) => image.entryId);
  return kept.length > 0
    ? {
        ok: false,
        removedIds,
        message: vscode.l10n.t('Could not move {0} to the trash.', kept.map((image) => baseName(image.uri)).join(', ')),
      }
    : {
        ok: true,
        removedIds,
        message:
          removedIds.length === 1
            ? vscode.l10n.t('Moved 1 image to the trash.')
            : vscode.l10n.t('Moved {0} images to the trash.', removedIds.length),
      };
}
