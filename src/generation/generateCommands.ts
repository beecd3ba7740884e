import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { IdeogramError } from '../core/errors';
import { anchorAt } from '../core/insertionAnchor';
import { type GenerationRequestInput, validateRequest } from '../core/request';
import { assetsTarget, chooseWorkspaceFolder, workspaceRelativePath, type AssetsTarget } from '../links/imageFiles';
import { describeFailure, errorText, showFailure } from '../common/errorMessages';
import type { JobInsertion } from '../core/jobStore';
import type { GenerationServices, SavedGeneration } from './generationService';
import { shorten } from '../core/text';
import { editOptions } from './optionsWizard';
import { imageLinkFor, insertImageLink, supportsImageLinks } from '../links/documentLinks';
import { TrackedInsertionPoint } from '../links/insertionPoint';
import { negativePromptNotice } from '../common/settings';
import { confirmUnattendedRun } from './unattendedRuns';
import { isVariationCount, MAX_VARIATIONS } from '../core/variations';
import { generateVariations } from './variations';
import { COMMAND, PERFORMANCE_MARK } from '../common/ids';

/** Arguments for running the commands without UI (tests, benchmarks, other extensions, keybindings). */
const commandArgsSchema = z.object({
  prompt: z.string(),
  options: z.optional(z.record(z.string(), z.unknown())),
  /** Insert the link into the active Markdown editor at its cursor. */
  insert: z.optional(z.boolean()),
  /** How many variations (1–4, distinct seeds); with `insert`, the user picks the one inserted. */
  variations: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_VARIATIONS))),
});

export interface GenerateImageResult {
  uri: string;
  markdownLink: string;
  inserted: boolean;
  /** Every saved image, when variations were generated. */
  uris?: string[];
}

type Dependencies = GenerationServices;

/** What a generation with the default options costs, and when that changes (a price or the balance learned). */
interface CostLine {
  line: () => string;
  onDidChange: vscode.Event<void>;
}

/** Asks for the prompt; the gear button (or the caller) opens the full options flow. */
async function askForPrompt(
  initial: string,
  title: string,
  cost: CostLine,
  negativePrompt?: string,
): Promise<{ prompt: string; adjust: boolean } | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = title;
    box.value = initial;
    box.valueSelection = [0, initial.length];
    // What Enter will cost, before it is pressed (updated when the balance arrives), and the negative prompt the settings add.
    const describe = () =>
      `${vscode.l10n.t('Describe the image. Enter generates with your default options; the gear button adjusts them first.')} ${vscode.l10n.t('Cost: {0}', cost.line())}${negativePromptNotice(negativePrompt)}`;
    box.prompt = describe();
    const costChanged = cost.onDidChange(() => {
      box.prompt = describe();
    });
    box.placeholder = vscode.l10n.t(
      'e.g. A friendly robot reading a book, flat vector illustration, the words "Docs" on the cover',
    );
    box.ignoreFocusOut = true;
    const adjustButton: vscode.QuickInputButton = {
      iconPath: new vscode.ThemeIcon('settings-gear'),
      tooltip: vscode.l10n.t('Adjust Options…'),
    };
    box.buttons = [adjustButton];
    let settled = false;
    const finish = (value: { prompt: string; adjust: boolean } | undefined) => {
      if (!settled) {
        settled = true;
        resolve(value);
        costChanged.dispose();
        box.dispose();
      }
    };
    const accept = (adjust: boolean) => {
      if (box.value.trim() === '') {
        box.validationMessage = vscode.l10n.t('Describe the image you want first.');
        return;
      }
      finish({ prompt: box.value.trim(), adjust });
    };
    box.onDidChangeValue(() => {
      box.validationMessage = undefined;
    });
    box.onDidAccept(() => accept(false));
    box.onDidTriggerButton(() => accept(true));
    box.onDidHide(() => finish(undefined));
    box.show();
    // For the bench's "first command → prompt box" (one mark at a time, so nothing accumulates).
    performance.clearMarks(PERFORMANCE_MARK.promptShown);
    performance.mark(PERFORMANCE_MARK.promptShown);
  });
}

/** Runs `work` under a cancellable "Ideogram" notification showing `message`; Cancel aborts the signal it is given. */
function withCancellableProgress<T>(
  message: string,
  work: (report: (message: string) => void, signal: AbortSignal) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Ideogram'), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancellation = token.onCancellationRequested(() => controller.abort());
      progress.report({ message });
      try {
        return await work((text) => progress.report({ message: text }), controller.signal);
      } finally {
        cancellation.dispose();
      }
    },
  );
}

/** Registers the palette's two commands: `Ideogram: Generate Image…` and `Ideogram: Generate Image Here`. */
export function registerGenerateCommands(deps: Dependencies): vscode.Disposable {
  const commands = new GenerateCommands(deps);
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMAND.generateImage, (args?: unknown) => commands.generateImage(args)),
    vscode.commands.registerCommand(COMMAND.insertImage, (args?: unknown) => commands.generateImageHere(args)),
  );
}

class GenerateCommands {
  readonly #deps: Dependencies;
  constructor(deps: Dependencies) {
    this.#deps = deps;
  }

  /** `Ideogram: Generate Image…` — prompt, optional options, generate, save, offer what to do with it. */
  async generateImage(rawArgs?: unknown): Promise<GenerateImageResult | undefined> {
    const args = commandArgsSchema.safeParse(rawArgs);
    const editor = vscode.window.activeTextEditor;
    const markdownEditor = supportsImageLinks(editor) ? editor : undefined;
    if (args.success) {
      const asked = {
        ...this.#defaults(args.data.options?.model),
        ...args.data.options,
        prompt: args.data.prompt,
      } as GenerationRequestInput;
      if (!(await confirmUnattendedRun(asked, args.data.variations ?? 1, this.#deps.spending))) return undefined;
      return this.#run(
        { ...args.data.options, prompt: args.data.prompt } as GenerationRequestInput,
        markdownEditor,
        args.data.insert ? 'always' : 'never',
        undefined,
        '',
        args.data.variations,
      );
    }
    const asked = await askForPrompt(
      '',
      vscode.l10n.t('Ideogram: Generate Image'),
      this.#costLine(),
      this.#defaults().negative_prompt as string | undefined,
    );
    if (!asked) return undefined;
    const edited = asked.adjust
      ? await this.#editOptions({ ...this.#defaults(), prompt: asked.prompt })
      : { request: { ...this.#defaults(), prompt: asked.prompt }, count: 1 };
    if (!edited) return undefined;
    return this.#run(edited.request, markdownEditor, 'offer', undefined, '', edited.count);
  }

  /** `Ideogram: Generate Image Here` — the selection is the prompt; the link goes where the cursor was. */
  async generateImageHere(rawArgs?: unknown): Promise<GenerateImageResult | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!supportsImageLinks(editor)) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Open a Markdown, MDX, HTML, AsciiDoc, reStructuredText, LaTeX, JSX/TSX, Vue or Svelte file (or a notebook\'s Markdown cell) and place the cursor where the image should go, then run "Ideogram: Generate Image Here".',
        ),
      );
      return undefined;
    }
    const args = commandArgsSchema.safeParse(rawArgs);
    const selection = editor.selection;
    const selectedText = editor.document.getText(selection).trim();
    let request: GenerationRequestInput | undefined;
    let count = 1;
    if (args.success) {
      request = {
        ...this.#defaults(args.data.options?.model),
        ...args.data.options,
        prompt: args.data.prompt,
      } as GenerationRequestInput;
      if (!(await confirmUnattendedRun(request, args.data.variations ?? 1, this.#deps.spending))) return undefined;
      count = args.data.variations ?? 1;
    } else {
      const asked = await askForPrompt(
        selectedText,
        vscode.l10n.t('Ideogram: Generate Image Here'),
        this.#costLine(),
        this.#defaults().negative_prompt as string | undefined,
      );
      if (!asked) return undefined;
      const edited = asked.adjust
        ? await this.#editOptions({ ...this.#defaults(), prompt: asked.prompt })
        : { request: { ...this.#defaults(), prompt: asked.prompt }, count: 1 };
      if (!edited) return undefined;
      ({ request, count } = edited);
    }
    // With a selection the link goes on a new paragraph after it; otherwise at the cursor.
    const position = selectedText ? editor.document.lineAt(selection.end.line).range.end : selection.active;
    return this.#run(request, editor, 'always', position, selectedText ? '\n\n' : '', count);
  }

  /** What generating with the default options costs ("≈ 0.10 credits · 12.40 left"); asks for the balance if unknown. */
  #costLine(): CostLine {
    void this.#deps.spending.refreshBalance(() => this.#deps.keys.get());
    return { line: () => this.#costText(), onDidChange: this.#deps.spending.onDidChange };
  }

  #costText(count = 1): string {
    return this.#deps.spending.describe(this.#deps.spending.estimate(this.#defaults(), count));
  }

  #editOptions(start: GenerationRequestInput) {
    const { spending } = this.#deps;
    // A model picked in the flow starts from the settings' defaults for that model.
    return editOptions(
      start,
      (request, count) => spending.describe(spending.estimate(request, count)),
      (model) => this.#defaults(model),
    );
  }

  /** The settings' options for a new request of `model` (the `ideogram.defaultModel` when none is named), with the model. */
  #defaults(model?: unknown): Partial<GenerationRequestInput> & { model: string } {
    const defaults = this.#deps.settings.generationDefaults(
      vscode.window.activeTextEditor?.document.uri,
      typeof model === 'string' ? model : undefined,
    );
    return { model: defaults.model, ...defaults.options };
  }

  async #run(
    input: GenerationRequestInput,
    editor: vscode.TextEditor | undefined,
    insertMode: 'always' | 'never' | 'offer',
    position?: vscode.Position,
    prefix = '',
    count = 1,
  ): Promise<GenerateImageResult | undefined> {
    const { keys, service, settings, log } = this.#deps;
    // The named model's defaults (a model this version does not know is left to validation, which names it).
    const request = {
      ...(input.model === undefined || typeof input.model === 'string' ? this.#defaults(input.model) : {}),
      ...input,
    } as GenerationRequestInput;
    const validation = validateRequest(request);
    if (!validation.ok) {
      void showFailure(
        new IdeogramError({ kind: 'invalid-request', reason: 'options-invalid', problems: validation.problems }),
        log,
      );
      return undefined;
    }
    const apiKey = await keys.require();
    if (!apiKey) return undefined;
    const document = editor?.document;
    const workspaceFolder = await chooseWorkspaceFolder(document);
    if (!workspaceFolder) {
      if (!vscode.workspace.workspaceFolders?.length) {
        void vscode.window
          .showErrorMessage(
            describeFailure(new IdeogramError({ kind: 'no-folder' })).message,
            vscode.l10n.t('Open Folder…'),
          )
          .then((choice) => choice && vscode.commands.executeCommand('workbench.action.files.openFolder'));
      }
      return undefined;
    }
    let target;
    try {
      target = assetsTarget(settings, workspaceFolder, document);
    } catch (error) {
      void showFailure(error, log);
      return undefined;
    }
    const point =
      editor && insertMode !== 'never'
        ? new TrackedInsertionPoint(editor.document, position ?? editor.selection.active)
        : undefined;
    if (isVariationCount(count) && count > 1)
      return this.#runVariations(request, target, point, insertMode, prefix, count, apiKey);
    const retry = () => this.#run(input, editor, insertMode, position, prefix);
    let saved: SavedGeneration;
    try {
      let submitted = false;
      saved = await withCancellableProgress(
        vscode.l10n.t('Generating “{0}”…', shorten(validation.request.prompt)),
        (report, signal) =>
          service.generate(
            {
              request,
              target,
              signal,
              // Once Segmind has the job, Cancel can only stop waiting: every progress line says so.
              onProgress: (message) =>
                report(
                  submitted
                    ? vscode.l10n.t(
                        '{0} Cancel only stops waiting: Segmind may still charge for the image, which then goes to the gallery.',
                        message,
                      )
                    : message,
                ),
              origin: insertMode === 'always' && point ? 'markdown' : 'palette',
              onSubmitted: () => {
                submitted = true;
              },
              insertion: point && insertMode === 'always' ? insertionFor(point, prefix) : undefined,
            },
            apiKey,
          ),
      );
    } catch (error) {
      point?.dispose();
      void showFailure(error, log, retry);
      return undefined;
    }

    const relative = workspaceRelativePath(saved.uri);
    let inserted = false;
    let markdownLink = imageLinkFor(point?.document, saved.prompt, saved.uri, { linked: saved });
    if (point && insertMode === 'always') {
      const insertedLink = await insertImageLink(point, prefix, saved).then(undefined, (error: unknown) => {
        log.warn(`Could not insert the link: ${String(error)}`);
        return undefined;
      });
      inserted = insertedLink !== undefined;
      markdownLink = insertedLink ?? markdownLink;
      if (!inserted) log.info(`Link not inserted: the document is ${point.isValid ? 'open' : 'closed'}`);
      point.dispose();
      if (inserted) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Inserted {0}', relative));
      } else {
        markdownLink = imageLinkFor(undefined, saved.prompt, saved.uri, { linked: saved });
        this.#offerActions(
          saved,
          vscode.l10n.t('The document was closed, so the link was not inserted. The image is saved as {0}.', relative),
          undefined,
        );
      }
    } else {
      const cost = this.#deps.spending.describeReported(saved.image);
      const more = saved.others?.length
        ? ` ${vscode.l10n.t('The job made {0} more images, saved beside it and in the gallery.', saved.others.length)}`
        : '';
      this.#offerActions(
        saved,
        `${cost ? vscode.l10n.t('Saved {0} ({1})', relative, cost) : vscode.l10n.t('Saved {0}', relative)}${more}`,
        point,
      );
    }
    return { uri: saved.uri.toString(), markdownLink, inserted };
  }

  /**
   * N variations of one recipe, in parallel (the budget checks the batch once). In the Markdown flow the user
   * picks the one inserted; the others stay in the gallery.
   */
  async #runVariations(
    request: GenerationRequestInput,
    target: AssetsTarget,
    point: TrackedInsertionPoint | undefined,
    insertMode: 'always' | 'never' | 'offer',
    prefix: string,
    count: number,
    apiKey: string,
  ): Promise<GenerateImageResult | undefined> {
    const { service, spending, log } = this.#deps;
    let results: Array<PromiseSettledResult<SavedGeneration>>;
    try {
      let saved = 0;
      results = await withCancellableProgress(
        vscode.l10n.t('Generating {0} variations of “{1}”…', count, shorten(request.prompt)),
        (report, signal) =>
          generateVariations(
            { service, spending },
            {
              request,
              target,
              signal,
              origin: insertMode === 'always' && point ? 'markdown' : 'palette',
            },
            count,
            apiKey,
            () => ({ onSubmitted: () => undefined }),
            () => report(vscode.l10n.t('{0} of {1} saved…', ++saved, count)),
          ),
      );
    } catch (error) {
      point?.dispose();
      void showFailure(error, log);
      return undefined;
    }
    const saved = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (saved.length === 0) {
      point?.dispose();
      void showFailure(failures[0], log);
      return undefined;
    }
    if (failures.length > 0) {
      log.warn(`${failures.length} of ${count} variations failed: ${failures.map(errorText).join(' | ')}`);
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0} of {1} variations could not be generated: {2}',
          failures.length,
          count,
          describeFailure(failures[0]).message,
        ),
      );
    }
    const uris = saved.map((generation) => generation.uri.toString());
    const cost = spending.describeReported({
      cost: saved.every((generation) => generation.image.cost !== undefined)
        ? saved.reduce((sum, generation) => sum + (generation.image.cost ?? 0), 0)
        : undefined,
      remainingCredits: saved
        .map((generation) => generation.image.remainingCredits)
        .filter((value): value is number => value !== undefined)
        .sort((a, b) => a - b)[0],
    });
    const folder = workspaceRelativePath(vscode.Uri.joinPath(saved[0].uri, '..'));
    if (point && insertMode === 'always') {
      const chosen = await pickVariation(
        saved,
        vscode.l10n.t('Insert which variation? The others stay in the Ideogram gallery.'),
      );
      if (!chosen) {
        point.dispose();
        void vscode.window.showInformationMessage(
          vscode.l10n.t(
            'Saved {0} variations in {1}; none inserted (they are in the Ideogram gallery).',
            saved.length,
            folder,
          ),
        );
        return {
          uri: uris[0],
          markdownLink: imageLinkFor(undefined, saved[0].prompt, saved[0].uri),
          inserted: false,
          uris,
        };
      }
      const insertedLink = await insertImageLink(point, prefix, chosen).then(undefined, () => undefined);
      const inserted = insertedLink !== undefined;
      const markdownLink = insertedLink ?? imageLinkFor(point.document, chosen.prompt, chosen.uri);
      point.dispose();
      void vscode.window.showInformationMessage(
        inserted
          ? vscode.l10n.t(
              'Inserted {0}; the other variations are in the Ideogram gallery.',
              workspaceRelativePath(chosen.uri),
            )
          : vscode.l10n.t(
              'The document was closed, so the link was not inserted. The images are saved in {0}.',
              folder,
            ),
      );
      return { uri: chosen.uri.toString(), markdownLink, inserted, uris };
    }
    point?.dispose();
    const message = cost
      ? vscode.l10n.t('Saved {0} variations in {1} ({2})', saved.length, folder, cost)
      : vscode.l10n.t('Saved {0} variations in {1}', saved.length, folder);
    const reveal = vscode.l10n.t('Reveal in Explorer');
    const open = vscode.l10n.t('Open Gallery');
    void vscode.window.showInformationMessage(message, open, reveal).then((choice) => {
      if (choice === reveal) return vscode.commands.executeCommand('revealInExplorer', saved[0].uri);
      if (choice === open) return vscode.commands.executeCommand(COMMAND.openPanel);
      return undefined;
    });
    return {
      uri: uris[0],
      markdownLink: imageLinkFor(undefined, saved[0].prompt, saved[0].uri),
      inserted: false,
      uris,
    };
  }

  /**
   * The message after saving, with Open, Reveal, Copy Markdown Link and (in Markdown) Insert. Not awaited.
   * Only the file's URI and prompt are kept while the message is open, never the image bytes.
   */
  #offerActions(
    { uri, prompt }: Pick<SavedGeneration, 'uri' | 'prompt'>,
    message: string,
    point: TrackedInsertionPoint | undefined,
  ): void {
    const open = vscode.l10n.t('Open');
    const reveal = vscode.l10n.t('Reveal in Explorer');
    const copy = vscode.l10n.t('Copy Markdown Link');
    const insert = vscode.l10n.t('Insert');
    const choices = point?.isValid ? [insert, open, reveal, copy] : [open, reveal, copy];
    void vscode.window.showInformationMessage(message, ...choices).then(async (choice) => {
      try {
        if (choice === open) await vscode.commands.executeCommand('vscode.open', uri);
        else if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', uri);
        else if (choice === copy) {
          const activeMarkdown = supportsImageLinks(vscode.window.activeTextEditor)
            ? vscode.window.activeTextEditor.document
            : undefined;
          await vscode.env.clipboard.writeText(imageLinkFor(activeMarkdown, prompt, uri));
        } else if (choice === insert && point) {
          if ((await insertImageLink(point, '', { uri, prompt })) === undefined) {
            await vscode.env.clipboard.writeText(imageLinkFor(undefined, prompt, uri));
            void vscode.window.showWarningMessage(
              vscode.l10n.t('The document was closed; the Markdown link was copied to the clipboard instead.'),
            );
          }
        }
      } finally {
        point?.dispose();
      }
    });
  }
}

/** A quick pick of finished variations, each with its thumbnail, file name and seed. */
async function pickVariation(saved: SavedGeneration[], title: string): Promise<SavedGeneration | undefined> {
  const items = saved.map((generation, index) => ({
    label: workspaceRelativePath(generation.uri).split('/').pop() ?? '',
    description: generation.image.seed !== undefined ? vscode.l10n.t('seed {0}', generation.image.seed) : undefined,
    detail: workspaceRelativePath(generation.uri),
    iconPath: generation.uri,
    index,
  }));
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: title, ignoreFocusOut: true });
  return chosen && saved[chosen.index];
}

/** Where the link goes, kept with the job so that it can still be inserted after a reload. */
function insertionFor(point: TrackedInsertionPoint, prefix: string): JobInsertion {
  const offset = point.document.offsetAt(point.position);
  return { document: point.document.uri.toString(), offset, prefix, ...anchorAt(point.document.getText(), offset) };
}
