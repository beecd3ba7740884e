import * as vscode from 'vscode';
import type { GalleryEntry } from '../core/galleryStore';
import type { ImageAction } from '../common/protocol';
import type { SidebarClipboard, SidebarLinks, SidebarTrash } from './ports';
import { baseName } from '../core/text';

/** What the webview is told after a button: a short status line, and whether the entry went away. */
export interface ActionOutcome {
  ok: boolean;
  message?: string;
  removed?: boolean;
}

/** What the buttons on an image use. */
export interface ImageActionServices {
  links: SidebarLinks;
  clipboard: SidebarClipboard;
  trash: SidebarTrash;
}

/** Carries out a preview or gallery button on an entry. */
export async function runImageAction(
  action: ImageAction,
  entry: GalleryEntry,
  services: ImageActionServices,
): Promise<ActionOutcome> {
  const { links, clipboard } = services;
  const uri = vscode.Uri.parse(entry.imageUri, true);
  switch (action) {
    case 'insert': {
      const editor = links.targetEditor();
      if (!editor)
        return {
          ok: false,
          message: vscode.l10n.t(
            'Open a Markdown, HTML, AsciiDoc, reStructuredText, LaTeX or other document to insert the image into.',
          ),
        };
      // At the cursor, never over a selection: the selected text may be what the user wants to keep.
      const insertion = links.insertion(editor.document, editor.selection.active, {
        uri,
        prompt: entry.prompt,
        image: entry,
      });
      const edit = new vscode.WorkspaceEdit();
      edit.insert(editor.document.uri, insertion.position, insertion.text);
      const applied = await vscode.workspace.applyEdit(edit);
      return applied
        ? { ok: true, message: vscode.l10n.t('Inserted into {0}', baseName(editor.document.uri)) }
        : { ok: false, message: vscode.l10n.t('Could not insert into {0}.', baseName(editor.document.uri)) };
    }
    case 'open':
      await vscode.commands.executeCommand('vscode.open', uri);
      return { ok: true };
    case 'reveal':
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return { ok: true };
    case 'copyLink': {
      // Pasting this text into any supported document inserts the link as that document needs it (src/links/galleryPaste.ts).
      const link = links.linkFor(links.targetEditor()?.document, entry.prompt, uri, {
        linked: { uri, prompt: entry.prompt, image: entry },
      });
      await vscode.env.clipboard.writeText(link);
      clipboard.rememberCopiedImage(link, uri, entry.prompt);
      return { ok: true, message: vscode.l10n.t('Link copied: paste it into any document') };
    }
    case 'copySeed':
      if (entry.seed === undefined)
        return { ok: false, message: vscode.l10n.t('The API did not report the seed of this image.') };
      await vscode.env.clipboard.writeText(String(entry.seed));
      return { ok: true, message: vscode.l10n.t('Seed {0} copied', entry.seed) };
    case 'delete':
      return deleteImage(entry, uri, services.trash);
  }
}

/** Moves the image (and its recipe sidecar) to the trash after a confirmation. */
async function deleteImage(entry: GalleryEntry, uri: vscode.Uri, trash: SidebarTrash): Promise<ActionOutcome> {
  const moveToTrash = vscode.l10n.t('Move to Trash');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Delete {0}?', baseName(uri)),
    { modal: true, detail: vscode.l10n.t('The image and its recipe file are moved to the trash.') },
    moveToTrash,
  );
  if (choice !== moveToTrash) return { ok: false };
  const { removed, declined } = await trash.moveToTrash([{ uri, entryId: entry.id }]);
  if (removed.length === 0)
    return declined ? { ok: false } : { ok: false, message: vscode.l10n.t('Could not delete {0}.', baseName(uri)) };
  return { ok: true, removed: true, message: vscode.l10n.t('Deleted {0}', baseName(uri)) };
}
