import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { IdeogramError } from '../core/errors';
import { anchorAt } from '../core/insertionAnchor';

import { type GenerationRequestInput, validateRequest } from '../core/request';
import { workspaceRelativePath } from '../links/imageFiles';
import { prepareGeneration } from './pipeline';
import { showFailure } from '../common/errorMessages';
import type { JobInsertion } from '../core/jobStore';
import type { GenerationServices, SavedGeneration } from './generationService';
import { shorten } from '../core/text';
import { editOptions } from './optionsWizard';
import { supportsImageLinks, type ImageLinks } from '../links/documentLinks';
import { TrackedInsertionPoint } from '../links/insertionPoint';
import { confirmUnattendedRun } from './unattendedRuns';
import { isVariationCount, MAX_VARIATIONS } from '../core/variations';
import { askForPrompt, type CostLine, withCancellableProgress } from './promptInput';
import { type GenerateImageResult, offerActions, runVariations } from './paletteResults';
import { COMMAND } from '../common/ids';

/** Arguments for running the commands without UI (tests, benchmarks, other extensions, keybindings). */
const commandArgsSchema = z.object({
  prompt: z.string(),
  options: z.optional(z.record(z.string(), z.unknown())),
  /** Insert the link into the active Markdown editor at its cursor. */
  insert: z.optional(z.boolean()),
  /** How many variations (1–4, distinct seeds); with `insert`, the user picks the one inserted. */
  variations: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_VARIATIONS))),
});

type Dependencies = GenerationServices & { links: ImageLinks };

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
    const linkEditor = this.#deps.links.targetEditor();
    if (args.success) {
      const asked = {
        ...this.#defaults(args.data.options?.model),
        ...args.data.options,
        prompt: args.data.prompt,
      } as GenerationRequestInput;
      if (!(await confirmUnattendedRun(asked, args.data.variations ?? 1, this.#deps.spending))) return undefined;
      return this.#run(
        { ...args.data.options, prompt: args.data.prompt } as GenerationRequestInput,
        linkEditor,
        args.data.insert ? 'always' : 'never',
        undefined,
        '',
        args.data.variations,
      );
    }
    const edited = await this.#askForRequest('', vscode.l10n.t('Ideogram: Generate Image'));
    if (!edited) return undefined;
    return this.#run(edited.request, linkEditor, 'offer', undefined, '', edited.count);
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
      const edited = await this.#askForRequest(selectedText, vscode.l10n.t('Ideogram: Generate Image Here'));
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

  /** The prompt box, then (with its gear button) the options flow; the default options otherwise. */
  async #askForRequest(
    initial: string,
    title: string,
  ): Promise<{ request: GenerationRequestInput; count: number } | undefined> {
    const asked = await askForPrompt(
      initial,
      title,
      this.#costLine(),
      this.#defaults().negative_prompt as string | undefined,
    );
    if (!asked) return undefined;
    return asked.adjust
      ? this.#editOptions({ ...this.#defaults(), prompt: asked.prompt })
      : { request: { ...this.#defaults(), prompt: asked.prompt }, count: 1 };
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
    const { service, log } = this.#deps;
    const retry = () => this.#run(input, editor, insertMode, position, prefix);
    // The named model's defaults (a model this version does not know is left to validation, which names it).
    // The request is validated here, once: the validated request is what the pipeline takes.
    const validation = validateRequest({
      ...(input.model === undefined || typeof input.model === 'string' ? this.#defaults(input.model) : {}),
      ...input,
    });
    if (!validation.ok) {
      void showFailure(
        new IdeogramError({ kind: 'invalid-request', reason: 'options-invalid', problems: validation.problems }),
        log,
      );
      return undefined;
    }
    const request = validation.request;
    const preparation = await prepareGeneration(this.#deps, {
      document: editor?.document,
      folder: 'ask',
      askForKey: true,
    });
    if (!preparation.ok) {
      void showFailure(preparation.failure, log, retry);
      return undefined;
    }
    const { prepared } = preparation;
    const point =
      editor && insertMode !== 'never'
        ? new TrackedInsertionPoint(editor.document, position ?? editor.selection.active)
        : undefined;
    if (isVariationCount(count) && count > 1)
      return runVariations(this.#deps, prepared, request, point, insertMode, prefix, count);
    let saved: SavedGeneration;
    try {
      let submitted = false;
      saved = await withCancellableProgress(
        vscode.l10n.t('Generating “{0}”…', shorten(validation.request.prompt)),
        (report, signal) =>
          service.generate(prepared, {
            request,
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
          }),
      );
    } catch (error) {
      point?.dispose();
      void showFailure(error, log, retry);
      return undefined;
    }

    const relative = workspaceRelativePath(saved.uri);
    let inserted = false;
    let link = this.#deps.links.linkFor(point?.document, saved.prompt, saved.uri, { linked: saved });
    if (point && insertMode === 'always') {
      const insertedLink = await this.#deps.links.insert(point, prefix, saved).then(undefined, (error: unknown) => {
        log.warn(`Could not insert the link: ${String(error)}`);
        return undefined;
      });
      inserted = insertedLink !== undefined;
      link = insertedLink ?? link;
      if (!inserted) log.info(`Link not inserted: the document is ${point.isValid ? 'open' : 'closed'}`);
      point.dispose();
      if (inserted) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Inserted {0}', relative));
      } else {
        link = this.#deps.links.linkFor(undefined, saved.prompt, saved.uri, { linked: saved });
        offerActions(
          this.#deps.links,
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
      offerActions(
        this.#deps.links,
        saved,
        `${cost ? vscode.l10n.t('Saved {0} ({1})', relative, cost) : vscode.l10n.t('Saved {0}', relative)}${more}`,
        point,
      );
    }
    return { uri: saved.uri.toString(), link, inserted };
  }
}

/** Where the link goes, kept with the job so that it can still be inserted after a reload. */
function insertionFor(point: TrackedInsertionPoint, prefix: string): JobInsertion {
  const offset = point.document.offsetAt(point.position);
  return { document: point.document.uri.toString(), offset, prefix, ...anchorAt(point.document.getText(), offset) };
}
