// "Replace the Link" and "Insert Beside" after an image action started from a link in a document: the link points
// at the new image (or a second link to it follows the first), written in the document's own syntax with the path
// relative to the document (src/core/linkRetarget.ts keeps the alt text and everything else the author wrote). One
// WorkspaceEdit each, all of an action's links beside the original in one, so one Undo restores the document.
import * as vscode from 'vscode';
import { formatForLanguage, type LinkFormatId } from '../core/linkFormats';
import { besideImageLinks, retargetImageLink } from '../core/linkRetarget';
import { linkPath } from './documentLinks';

function formatOf(document: vscode.TextDocument): LinkFormatId {
  return formatForLanguage(document.languageId) ?? 'markdown';
}

/**
 * Points the image link at `linkRange` in `document` at `newImageUri`. False, with the document untouched, when the
 * document was closed or the text there is no longer an image link (edited while the image was made).
 */
export async function replaceImageLink(
  document: vscode.TextDocument,
  linkRange: vscode.Range,
  newImageUri: vscode.Uri,
): Promise<boolean> {
  if (document.isClosed) return false;
  const written = retargetImageLink(
    formatOf(document),
    document.getText(linkRange),
    linkPath(document, newImageUri).path,
  );
  if (written === undefined) return false;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, linkRange, written);
  return vscode.workspace.applyEdit(edit);
}

/**
 * Writes a link to each of `newImageUris`, in their order, right after the image link at `linkRange`: the same link
 * (alt text, attributes) pointing at the new file. All of them in one edit, so one Undo removes them and one Redo
 * brings them back. False, with the document untouched, as for `replaceImageLink`.
 */
export async function insertBesideLinks(
  document: vscode.TextDocument,
  linkRange: vscode.Range,
  newImageUris: readonly vscode.Uri[],
): Promise<boolean> {
  if (document.isClosed) return false;
  const beside = besideImageLinks(
    formatOf(document),
    document.getText(),
    { start: document.offsetAt(linkRange.start), end: document.offsetAt(linkRange.end) },
    newImageUris.map((uri) => linkPath(document, uri).path),
  );
  if (beside === undefined) return false;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.positionAt(beside.offset), beside.text);
  return vscode.workspace.applyEdit(edit);
}
