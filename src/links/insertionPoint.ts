import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';

/**
 * The file a document's links are relative to: the document itself, or for a notebook cell (scheme
 * `vscode-notebook-cell`) the notebook file holding it.
 */
export function linkDocumentUri(document: vscode.TextDocument): vscode.Uri {
  if (document.uri.scheme !== 'vscode-notebook-cell') return document.uri;
  const notebook =
    vscode.workspace.notebookDocuments.find((candidate) =>
      candidate.getCells().some((cell) => cell.document === document),
    ) ?? vscode.workspace.notebookDocuments.find((candidate) => candidate.uri.path === document.uri.path);
  return notebook?.uri ?? document.uri.with({ scheme: 'file', fragment: '' });
}

/**
 * A position in a document that follows the user's edits while a generation runs, so the link lands where
 * the user asked for it even if they typed above it meanwhile.
 */
export class TrackedInsertionPoint extends Disposable {
  #offset: number;
  #closed = false;

  constructor(
    readonly document: vscode.TextDocument,
    position: vscode.Position,
  ) {
    super();
    this.#offset = document.offsetAt(position);
    this.register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document !== this.document) return;
        // All offsets of one event refer to the document before it, so the shifts simply add up.
        let shift = 0;
        for (const change of event.contentChanges) {
          const end = change.rangeOffset + change.rangeLength;
          if (end <= this.#offset) shift += change.text.length - change.rangeLength;
          else if (change.rangeOffset < this.#offset) shift += change.rangeOffset + change.text.length - this.#offset;
        }
        this.#offset += shift;
      }),
    );
    this.register(
      vscode.workspace.onDidCloseTextDocument((closed) => {
        if (closed === this.document) this.#closed = true;
      }),
    );
  }

  /** Still open in an editor tab: a document the user closed is not edited behind their back. */
  get isValid(): boolean {
    if (this.#closed || this.document.isClosed) return false;
    const uri = this.document.uri.toString();
    // A notebook cell lives in its notebook's tab.
    const notebook =
      this.document.uri.scheme === 'vscode-notebook-cell' ? linkDocumentUri(this.document).toString() : undefined;
    return vscode.window.tabGroups.all.some((group) =>
      group.tabs.some(
        (tab) =>
          (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri) ||
          (notebook !== undefined &&
            tab.input instanceof vscode.TabInputNotebook &&
            tab.input.uri.toString() === notebook),
      ),
    );
  }

  get position(): vscode.Position {
    return this.document.positionAt(this.#offset);
  }
}

/**
 * Inserts `text` at the tracked point as one undoable edit. Returns false when the document is gone. VS Code
 * refuses an edit made against an older version of the document, which happens when the user types while the
 * image arrives (their change is still on its way to the extension host): then the point is moved by their change
 * and the edit is tried again.
 */
export async function insertAtTrackedPoint(
  point: TrackedInsertionPoint,
  text: (position: vscode.Position) => { position: vscode.Position; text: string },
): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt++) {
    if (!point.isValid) return false;
    const version = point.document.version;
    const insertion = text(point.position);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(point.document.uri, insertion.position, insertion.text);
    const editors = vscode.window.visibleTextEditors.filter((editor) => editor.document === point.document);
    const selections = editors.map((editor) => editor.selections);
    if (await vscode.workspace.applyEdit(edit)) {
      keepSelectionsEndingAt(editors, selections, insertion.position);
      return true;
    }
    await documentChangedSince(point.document, version);
  }
  return false;
}

/**
 * VS Code grows a selection that ends where text is inserted over the inserted text: after "Generate Image Here"
 * on a selected sentence, the next key typed would replace the sentence and the new link with it. The selection
 * stays what the user selected (nothing before the insertion point moved).
 */
function keepSelectionsEndingAt(
  editors: vscode.TextEditor[],
  before: readonly (readonly vscode.Selection[])[],
  position: vscode.Position,
): void {
  editors.forEach((editor, index) => {
    const old = before[index] ?? [];
    if (
      old.length !== editor.selections.length ||
      !old.some((selection) => !selection.isEmpty && selection.end.isEqual(position))
    )
      return;
    editor.selections = editor.selections.map((selection, i) => {
      const previous = old[i] as vscode.Selection;
      return !previous.isEmpty && previous.end.isEqual(position) && !selection.isEqual(previous) ? previous : selection;
    });
  });
}

/** Resolves once the extension host has a newer version of `document` than `version` (or after 2 s). */
function documentChangedSince(document: vscode.TextDocument, version: number): Promise<void> {
  if (document.version !== version) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    };
    const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document) done();
    });
    const timer = setTimeout(done, 2_000);
  });
}
