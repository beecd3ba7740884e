import * as vscode from 'vscode';
import { altTextFromPrompt, encodeLinkPath, markdownImageLink } from './core/markdownLink';
import { linkDocumentUri } from './documentLinks';

/** The Markdown link to `image` as written in `document`: relative to the document's folder when it has one. */
export function markdownLinkFor(prompt: string, image: vscode.Uri, document?: vscode.TextDocument): string {
  if (document && !document.isUntitled && document.uri.scheme === image.scheme && document.uri.authority === image.authority) {
    const documentFolder = vscode.Uri.joinPath(document.uri, '..');
    return markdownImageLink(prompt, documentFolder.path, image.path);
  }
  // No folder to be relative to (untitled, another file system): relative to the workspace folder.
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(image);
  if (workspaceFolder) return markdownImageLink(prompt, workspaceFolder.uri.path, image.path);
  return `![${altTextFromPrompt(prompt)}](${encodeLinkPath(image.toString())})`;
}

/**
 * A position in a document that follows the user's edits while a generation runs, so the link lands where
 * the user asked for it even if they typed above it meanwhile.
 */
export class TrackedInsertionPoint implements vscode.Disposable {
  private offset: number;
  private closed = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(readonly document: vscode.TextDocument, position: vscode.Position) {
    this.offset = document.offsetAt(position);
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document !== this.document) return;
        // All offsets of one event refer to the document before it, so the shifts simply add up.
        let shift = 0;
        for (const change of event.contentChanges) {
          const end = change.rangeOffset + change.rangeLength;
          if (end <= this.offset) shift += change.text.length - change.rangeLength;
          else if (change.rangeOffset < this.offset) shift += change.rangeOffset + change.text.length - this.offset;
        }
        this.offset += shift;
      }),
      vscode.workspace.onDidCloseTextDocument((closed) => {
        if (closed === this.document) this.closed = true;
      }),
    );
  }

  /** Still open in an editor tab: a document the user closed is not edited behind their back. */
  get isValid(): boolean {
    if (this.closed || this.document.isClosed) return false;
    const uri = this.document.uri.toString();
    // A notebook cell lives in its notebook's tab.
    const notebook = this.document.uri.scheme === 'vscode-notebook-cell' ? linkDocumentUri(this.document).toString() : undefined;
    return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) =>
      (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri)
      || (notebook !== undefined && tab.input instanceof vscode.TabInputNotebook && tab.input.uri.toString() === notebook)));
  }

  get position(): vscode.Position {
    return this.document.positionAt(this.offset);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** Inserts `text` at the tracked point as one undoable edit. Returns false when the document is gone. */
export async function insertAtTrackedPoint(point: TrackedInsertionPoint, text: string): Promise<boolean> {
  if (!point.isValid) return false;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(point.document.uri, point.position, text);
  return vscode.workspace.applyEdit(edit);
}

export function isMarkdownEditor(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return !!editor && editor.document.languageId === 'markdown';
}
