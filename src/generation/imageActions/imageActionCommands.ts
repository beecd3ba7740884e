// Remix…, Reframe…, Replace Background… and New Scene with This Character… on a workspace image, from the
// Explorer, a gallery tile and the image hover. The order is the money's: the source is read (and refused when it
// is outside the workspace or reached through a link) before anything else; the steps ask and show the total cost;
// the request is checked, the key and folder settled, the budget asked for the whole batch; only then is the
// picture uploaded (with consent) and one job per size sent through the generation pipeline. Results go beside the
// source (`banner-reframe-16x9.jpg`).
import * as vscode from 'vscode';
import { formatCredits } from '../../core/cost';
import { ideogramDescribe } from '../../core/models/ideogramDescribe';
import { IdeogramError } from '../../core/errors';
import {
  actionFileNameTemplate,
  type ImageMakingAction,
  reframeSizesFor,
  type ReframeSize,
  sizeOptionOf,
  takesPrompt,
} from '../../core/imageActions';
import type { Authorization } from '../../core/budget';
import type { ModelDefinition } from '../../core/models/options';
import { modelBySlug, modelsForAction } from '../../core/models/registry';
import { type GenerationRequestInput, validateRequest } from '../../core/request';
import { baseName, stem } from '../../core/text';
import { COMMAND } from '../../common/ids';
import { describeFailure, errorText, showFailure } from '../../common/errorMessages';
import { workspaceRelativePath } from '../../links/imageFiles';
import { insertBesideLinks, replaceImageLink } from '../../links/linkReplacement';
import type { GenerationServices, SavedGeneration } from '../generationService';
import { type PreparedGeneration, prepareGeneration } from '../pipeline';
import { withCancellableProgress } from '../promptInput';
import { confirmUnattendedRun } from '../unattendedRuns';
import { type ActionArgs, type ActionChoices, parseActionArgs } from './actionArgs';
import { type ActionPlan, askForAction } from './actionSteps';
import { actionProgress } from './actionWords';

/** The workspace picture an action works on, as the upload module reads it (src/generation/imageInput/). */
export interface ActionSource {
  uri: vscode.Uri;
  /** Workspace-relative, with `/`. */
  workspacePath: string;
  fileName: string;
  sha256: string;
}

/**
 * Reading and uploading the source: filled in src/extension.ts with the upload module (`readSourceImage` refuses a
 * file outside the workspace or behind a link before anything is uploaded; `ImageUploader.urlFor` asks consent).
 */
export interface ImageInputs<S extends ActionSource = ActionSource> {
  read(uri: vscode.Uri): Promise<S>;
  urlFor(source: S, target: { endpoint: string; apiKey: string }, signal?: AbortSignal): Promise<string>;
}

/** The result of an action's command: the saved images (URIs as strings) and how many jobs failed. */
export interface ImageActionResult {
  uris: string[];
  failed: number;
  /** Started from a link with the caller's choice of what to do with it: whether it was done. */
  link?: 'replaced' | 'inserted' | 'not-placed';
}

type Dependencies<S extends ActionSource> = GenerationServices & {
  inputs: ImageInputs<S>;
  /** Ideogram Describe's words for a workspace picture (the Remix prompt's Describe button), billed as any call. */
  describePicture?: (image: vscode.Uri, signal: AbortSignal) => Promise<string>;
};

/** Registers the four actions' commands. */
export function registerImageActionCommands<S extends ActionSource>(deps: Dependencies<S>): vscode.Disposable {
  const actions = new ImageActions(deps);
  const run = (action: ImageMakingAction) => (args?: unknown) => actions.run(action, args);
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMAND.remixImage, run('remix')),
    vscode.commands.registerCommand(COMMAND.reframeImage, run('reframe')),
    vscode.commands.registerCommand(COMMAND.replaceImageBackground, run('replace-background')),
    vscode.commands.registerCommand(COMMAND.newSceneWithCharacter, run('character')),
  );
}

/** The URL every image input stands in with while the request is checked before the upload (never sent). */
const PENDING_UPLOAD = 'https://upload.pending.invalid/source';

class ImageActions<S extends ActionSource> {
  readonly #deps: Dependencies<S>;
  constructor(deps: Dependencies<S>) {
    this.#deps = deps;
  }

  async run(action: ImageMakingAction, raw: unknown): Promise<ImageActionResult | undefined> {
    const { log, spending } = this.#deps;
    const args = parseActionArgs(raw);
    if (!args) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Right-click a JPEG, PNG or WebP image in the Explorer or the gallery, or hover over an image link, to use this action.',
        ),
      );
      return undefined;
    }
    // The source first: a picture outside the workspace or behind a link is refused before any question or upload.
    let source: S;
    try {
      source = await this.#deps.inputs.read(args.image);
    } catch (error) {
      void showFailure(error, log);
      return undefined;
    }
    const plan = args.choices ? this.#planFrom(action, args.choices, source) : await this.#ask(action, source);
    if (!plan) return undefined;
    if (plan instanceof IdeogramError) {
      void showFailure(plan, log);
      return undefined;
    }
    const jobs = jobsOf(plan);
    // Checked with a stand-in for the picture's URL: a wrong option is said before anything is uploaded.
    const checked = jobs.map((job) => validateRequest(withImage(plan.model, job.request, PENDING_UPLOAD)));
    const invalid = checked.find((result) => !result.ok);
    if (invalid && !invalid.ok) {
      void showFailure(
        new IdeogramError({ kind: 'invalid-request', reason: 'options-invalid', problems: invalid.problems }),
        log,
      );
      return undefined;
    }
    const first = checked[0];
    if (!first?.ok) return undefined;
    if (args.choices && !(await confirmUnattendedRun(first.request, jobs.length, spending))) return undefined;

    const prepared: PreparedGeneration[] = [];
    for (const job of jobs) {
      const preparation = await prepareGeneration(this.#deps, {
        folder: 'ask',
        askForKey: true,
        beside: { file: source.uri, naming: this.#naming(source, action, job.size) },
      });
      if (!preparation.ok) {
        void showFailure(preparation.failure, log);
        return undefined;
      }
      prepared.push(preparation.prepared);
    }

    // The budget checks (and above its threshold asks about) the whole batch once, before anything is uploaded.
    let authorization: Authorization;
    try {
      authorization = await spending.authorize(first.request, jobs.length);
    } catch (error) {
      void showFailure(error, log);
      return undefined;
    }
    let results: Array<PromiseSettledResult<SavedGeneration>>;
    try {
      results = await withCancellableProgress(
        actionProgress(action, source.fileName, jobs.length),
        async (report, signal) => {
          const { endpoint, apiKey } = prepared[0];
          const url = await this.#deps.inputs.urlFor(source, { endpoint, apiKey }, signal);
          if (signal.aborted) throw new IdeogramError({ kind: 'cancelled', reason: 'before-submit' });
          let saved = 0;
          return Promise.allSettled(
            jobs.map(async (job, index) => {
              const request = validateRequest(withImage(plan.model, job.request, url));
              if (!request.ok)
                throw new IdeogramError({
                  kind: 'invalid-request',
                  reason: 'options-invalid',
                  problems: request.problems,
                });
              const result = await this.#deps.service.generate(prepared[index], {
                request: request.request,
                signal,
                origin: 'image-action',
                authorization,
                onProgress: (message) => report(message),
                // Where the image came from: its recipe names the source, and Regenerate runs the action on it again.
                source: {
                  path: source.workspacePath,
                  sha256: source.sha256,
                  action,
                  ...(url.startsWith('https://') ? { url } : {}),
                },
              });
              report(vscode.l10n.t('{0} of {1} saved…', ++saved, jobs.length));
              return result;
            }),
          );
        },
      );
    } catch (error) {
      void showFailure(error, log);
      return undefined;
    } finally {
      spending.releaseUnused(authorization);
    }
    return this.#report(results, source, args);
  }

  /** The palette's steps, with the cost of each choice. */
  #ask(action: ImageMakingAction, source: S): Promise<ActionPlan | undefined> {
    const { spending } = this.#deps;
    void spending.refreshBalance(() => this.#deps.keys.get());
    return askForAction({
      action,
      fileName: source.fileName,
      startFor: (model) => this.#start(model, source),
      costOf: (request, count) => spending.describe(spending.estimate(request, count)),
      ...(this.#deps.describePicture ? { describe: this.#describeStep(source, this.#deps.describePicture) } : {}),
    });
  }

  /** The Remix prompt's Describe button: its listed price in the tooltip; a failure shown, the box kept open. */
  #describeStep(source: S, describePicture: NonNullable<Dependencies<S>['describePicture']>) {
    return {
      cost: vscode.l10n.t('{0} credits', formatCredits(ideogramDescribe.price.perImage)),
      run: async (signal: AbortSignal) => {
        try {
          return await describePicture(source.uri, signal);
        } catch (error) {
          if (!signal.aborted) void showFailure(error, this.#deps.log);
          return undefined;
        }
      },
    };
  }

  /** A caller's choices (no UI): the model, its words, the sizes, the options. */
  #planFrom(action: ImageMakingAction, choices: ActionChoices, source: S): ActionPlan | IdeogramError {
    const model = choices.model !== undefined ? modelBySlug(choices.model) : modelsForAction(action)[0];
    if (!model || model.action !== action)
      return new IdeogramError({
        kind: 'invalid-request',
        reason: 'options-invalid',
        problems: [{ code: 'model-unknown', path: 'model', choices: modelsForAction(action).map((each) => each.slug) }],
      });
    const request: GenerationRequestInput = {
      ...this.#start(model, source),
      ...choices.options,
      ...(takesPrompt(model) && choices.prompt !== undefined ? { prompt: choices.prompt } : {}),
    } as GenerationRequestInput;
    let sizes: ReframeSize[] = [];
    if (action === 'reframe' && choices.sizes) {
      const found = reframeSizesFor(model, choices.sizes);
      if (found.unknown.length > 0) {
        const option = sizeOptionOf(model);
        return new IdeogramError({
          kind: 'invalid-request',
          reason: 'options-invalid',
          problems: [{ code: 'resolution-invalid', path: option?.name ?? 'resolution', choices: option?.choices }],
        });
      }
      sizes = found.sizes;
    }
    return { model, request, sizes };
  }

  /** The settings' options for the model, and for a model without a prompt the words the gallery keeps. */
  #start(model: ModelDefinition, source: S): GenerationRequestInput {
    const defaults = this.#deps.settings.generationDefaults(source.uri, model.slug);
    return {
      ...defaults.options,
      model: model.slug,
      prompt: takesPrompt(model) ? '' : wordsFor(source),
    } as GenerationRequestInput;
  }

  #naming(source: S, action: ImageMakingAction, size: ReframeSize | undefined) {
    return {
      template: actionFileNameTemplate(this.#deps.settings.fileNameTemplate(source.uri), size?.tag),
      sourceName: stem(source.fileName),
      action,
    };
  }

  /** Says what was saved where (with Open and Reveal), and what failed. */
  async #report(
    results: Array<PromiseSettledResult<SavedGeneration>>,
    source: S,
    args: ActionArgs,
  ): Promise<ImageActionResult | undefined> {
    const { log, spending } = this.#deps;
    const saved = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (saved.length === 0) {
      void showFailure(failures[0], log);
      return undefined;
    }
    if (failures.length > 0) {
      log.warn(`${failures.length} of ${results.length} images failed: ${failures.map(errorText).join(' | ')}`);
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0} of {1} images could not be generated: {2}',
          failures.length,
          results.length,
          describeFailure(failures[0]).message,
        ),
      );
    }
    const names = saved.map((each) => workspaceRelativePath(each.uri)).join(', ');
    const cost = spending.describeReported({
      cost: saved.every((each) => each.image.cost !== undefined)
        ? saved.reduce((sum, each) => sum + (each.image.cost ?? 0), 0)
        : undefined,
    });
    const message = cost
      ? vscode.l10n.t('Saved {0} beside {1} ({2})', names, source.fileName, cost)
      : vscode.l10n.t('Saved {0} beside {1}', names, source.fileName);
    const uris = saved.map((each) => each.uri);
    const result: ImageActionResult = { uris: uris.map((uri) => uri.toString()), failed: failures.length };
    const link = args.link;
    if (link && args.choices?.link) {
      result.link = await this.#placeLink(link, uris, args.choices.link);
      return result;
    }
    const open = vscode.l10n.t('Open');
    const reveal = vscode.l10n.t('Reveal in Explorer');
    // Started from a link in a document: point it at the result (one result), or add a link to each beside it.
    const replace = vscode.l10n.t('Replace the Link');
    const beside = vscode.l10n.t('Insert Beside');
    const linkChoices = link ? (uris.length === 1 ? [replace, beside] : [beside]) : [];
    void vscode.window.showInformationMessage(message, ...linkChoices, open, reveal).then(async (choice) => {
      if (choice === open) for (const uri of uris) await vscode.commands.executeCommand('vscode.open', uri);
      else if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', uris[0]);
      else if (link && (choice === replace || choice === beside))
        await this.#placeLink(link, uris, choice === replace ? 'replace' : 'insert-beside');
    });
    return result;
  }

  /**
   * Replace the Link (one result: one WorkspaceEdit, one Undo) or Insert Beside (a link to each result after the
   * original, in order, all in one WorkspaceEdit: one Undo). Says so when the document was closed or the link changed
   * meanwhile.
   */
  async #placeLink(
    link: NonNullable<ActionArgs['link']>,
    uris: readonly vscode.Uri[],
    how: 'replace' | 'insert-beside',
  ): Promise<'replaced' | 'inserted' | 'not-placed'> {
    let placed = false;
    try {
      const document = await vscode.workspace.openTextDocument(link.document);
      if (how === 'replace') placed = await replaceImageLink(document, link.range, uris[0]);
      // Every saved result of the action at once (the jobs were all settled before): one edit, one Undo.
      else placed = await insertBesideLinks(document, link.range, uris);
    } catch (error) {
      this.#deps.log.warn(`Image action: could not place the link (${errorText(error)})`);
    }
    if (!placed)
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'The link in {0} changed or its document was closed, so it was left as it is.',
          baseName(link.document),
        ),
      );
    return placed ? (how === 'replace' ? 'replaced' : 'inserted') : 'not-placed';
  }
}

/** One job per size (Reframe), else one job. */
function jobsOf(plan: ActionPlan): Array<{ request: GenerationRequestInput; size?: ReframeSize }> {
  const option = sizeOptionOf(plan.model);
  if (plan.sizes.length === 0 || !option) return [{ request: plan.request }];
  return plan.sizes.map((size) => ({ request: { ...plan.request, [option.name]: size.choice }, size }));
}

/** The request with the picture's URL in each of the model's image fields. */
function withImage(model: ModelDefinition, request: GenerationRequestInput, url: string): Record<string, unknown> {
  const images = Object.fromEntries((model.imageInputs ?? []).map((input) => [input.name, url]));
  return { ...request, ...images, model: model.slug };
}

/** The words the gallery, the file name and the search keep for an image of a model without a prompt. */
function wordsFor(source: ActionSource): string {
  const words = stem(source.fileName)
    .replace(/[-_.]+/g, ' ')
    .trim();
  return /[\p{L}\p{N}]/u.test(words) ? words : 'image';
}
