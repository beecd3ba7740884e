import * as vscode from 'vscode';
import { ALT_TEXT_LANGUAGES, lacksAltText, type AltTextLink } from '../../core/altTextLinks';
import { baseName } from '../../core/text';
import type { ApiKeyStore } from '../../common/apiKey';
import { Disposable } from '../../common/dispose';
import { COMMAND, SETTINGS_SECTION } from '../../common/ids';
import { WORKSPACE_STATE_KEY } from '../../common/workspaceStateKeys';
import type { Settings } from '../../common/settings';
import { linkTargetUri } from '../../links/linkTargets';
import type { Budget } from '../ports';
import { altTextFormatOf, AltTextIndex, linkRange } from './altTextIndex';
import type { ImageUploader } from '../imageInput/imageUploader';
import { writeAltTextTitle } from '../../common/altTextWords';
import { AltTextWriter, type WriteAltTextArgs } from './altTextWriter';

/** The Problems panel's source and code of an image without alt text (the quick fix matches them). */
export const ALT_TEXT_DIAGNOSTIC = { source: 'Ideogram', code: 'missing-alt-text' } as const;
/** Typing is not interrupted by a rescan at every key: the document is read again after this pause. */
const RESCAN_DELAY_MS = 300;

/** The quick fix "Write Alt Text" on image links without alt text (and on their diagnostics). */
export class AltTextCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  readonly #index: AltTextIndex;
  constructor(index: AltTextIndex) {
    this.#index = index;
  }

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    return this.#index.fixable(document).flatMap(({ link }) => {
      const whole = linkRange(document, link);
      if (!whole.intersection(range)) return [];
      const title = writeAltTextTitle();
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      const args: WriteAltTextArgs = {
        document: document.uri.toString(),
        line: whole.start.line,
        character: whole.start.character,
      };
      action.command = { command: COMMAND.writeAltText, title, arguments: [args] };
      action.diagnostics = context.diagnostics.filter(
        (diagnostic) =>
          diagnostic.source === ALT_TEXT_DIAGNOSTIC.source &&
          diagnostic.code === ALT_TEXT_DIAGNOSTIC.code &&
          diagnostic.range.intersection(whole) !== undefined,
      );
      action.isPreferred = true;
      return [action];
    });
  }
}

/**
 * `ideogram.altText.diagnostics`: images without alt text in the Problems panel, for the documents open in a
 * format with an alt-text reader; updated as they change, removed as they close, cleared when the setting goes off.
 */
export class AltTextDiagnostics extends Disposable {
  readonly #collection = this.register(vscode.languages.createDiagnosticCollection('ideogram-alt-text'));
  readonly #pending = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #settings: Settings;
  readonly #index: AltTextIndex;

  readonly #workspaceState: vscode.Memento;

  constructor(settings: Settings, index: AltTextIndex, workspaceState: vscode.Memento) {
    super();
    this.#settings = settings;
    this.#index = index;
    this.#workspaceState = workspaceState;
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.update(document)));
    this.register(vscode.workspace.onDidChangeTextDocument(({ document }) => this.#later(document)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.#cancel(document.uri.toString());
        this.#collection.delete(document.uri);
        this.#index.forget(document);
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SETTINGS_SECTION}.altText.diagnostics`)) {
          this.updateAll();
          this.#noteLanguages();
        }
      }),
    );
    this.#noteLanguages();
    this.register({ dispose: () => this.#pending.forEach((timer) => clearTimeout(timer)) });
    this.updateAll();
  }

  /**
   * While the diagnostics are on anywhere in this workspace, the next window start loads the extension for their
   * languages' documents too (the bootstrap reads this note: it reads no setting), so the Problems panel is filled
   * from the first HTML or JSX file opened.
   */
  #noteLanguages(): void {
    const on =
      this.#settings.altTextDiagnostics() ||
      (vscode.workspace.workspaceFolders ?? []).some((folder) => this.#settings.altTextDiagnostics(folder.uri));
    void this.#workspaceState.update(WORKSPACE_STATE_KEY.alsoServedLanguages, on ? [...ALT_TEXT_LANGUAGES] : undefined);
  }

  updateAll(): void {
    for (const document of vscode.workspace.textDocuments) this.update(document);
  }

  /** Reads the document now: its diagnostics, or none when the setting is off for it. */
  update(document: vscode.TextDocument): void {
    this.#cancel(document.uri.toString());
    if (document.isClosed || !altTextFormatOf(document) || !this.#settings.altTextDiagnostics(document.uri)) {
      this.#collection.delete(document.uri);
      return;
    }
    const diagnostics = this.#index
      .links(document)
      .filter(lacksAltText)
      .map((link) => diagnosticOf(document, link));
    this.#collection.set(document.uri, diagnostics);
  }

  #later(document: vscode.TextDocument): void {
    if (!altTextFormatOf(document)) return;
    const key = document.uri.toString();
    this.#cancel(key);
    this.#pending.set(
      key,
      setTimeout(() => {
        this.#pending.delete(key);
        this.update(document);
      }, RESCAN_DELAY_MS),
    );
  }

  #cancel(key: string): void {
    const timer = this.#pending.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.#pending.delete(key);
  }
}

function diagnosticOf(document: vscode.TextDocument, link: AltTextLink): vscode.Diagnostic {
  const image = linkTargetUri(document, link.target, 'decoded');
  const name = image ? baseName(image) : link.target;
  const message =
    link.alt === undefined || link.alt.trim() === ''
      ? vscode.l10n.t('Image without alt text: {0}', name)
      : vscode.l10n.t('The alt text of {0} is just its file name', name);
  const diagnostic = new vscode.Diagnostic(linkRange(document, link), message, vscode.DiagnosticSeverity.Warning);
  diagnostic.source = ALT_TEXT_DIAGNOSTIC.source;
  diagnostic.code = ALT_TEXT_DIAGNOSTIC.code;
  return diagnostic;
}

/**
 * Describe → alt text: the command (run by the hover's link, the quick fix and the palette), the quick fix, and the
 * diagnostics. One owner disposes them all.
 */
export class AltTextFeature extends Disposable {
  readonly writer: AltTextWriter;
  readonly diagnostics: AltTextDiagnostics;
  constructor(deps: {
    settings: Settings;
    keys: ApiKeyStore;
    budget: Budget;
    uploader: ImageUploader;
    log: vscode.LogOutputChannel;
    workspaceState: vscode.Memento;
  }) {
    super();
    const index = new AltTextIndex();
    this.writer = new AltTextWriter({ ...deps, index });
    this.diagnostics = this.register(new AltTextDiagnostics(deps.settings, index, deps.workspaceState));
    this.register(
      vscode.commands.registerCommand(COMMAND.writeAltText, (args?: WriteAltTextArgs) => this.writer.run(args)),
    );
    this.register(
      vscode.languages.registerCodeActionsProvider(
        ALT_TEXT_LANGUAGES.map((language) => ({ language })),
        new AltTextCodeActions(index),
        { providedCodeActionKinds: AltTextCodeActions.kinds },
      ),
    );
  }
}
