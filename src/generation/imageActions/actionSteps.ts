// The palette's steps of an image action: the model (when the action has several), the words (when the model
// takes a prompt), Reframe's sizes (several at once), then Generate with the total cost, or the model's other
// options from its descriptors (the same steps as Generate Image…'s options). Nothing is uploaded or sent here.
import * as vscode from 'vscode';
import {
  type ImageMakingAction,
  reframeSizes,
  type ReframeSize,
  sizeOptionOf,
  takesPrompt,
} from '../../core/imageActions';
import type { ModelDefinition } from '../../core/models/options';
import { modelsForAction } from '../../core/models/registry';
import type { GenerationRequestInput } from '../../core/request';
import { modelGoodAt } from '../../common/modelWords';
import { editOption } from '../optionsWizard';
import { BACK, input, type Item, pick, pickMany, type StepResult } from '../quickInputSteps';
import { actionTitle } from './actionWords';

/** What the steps settled: the model, the request without its image URL, and the sizes (Reframe) or none. */
export interface ActionPlan {
  model: ModelDefinition;
  request: GenerationRequestInput;
  /** Reframe: one job per size; other actions: empty (one job). */
  sizes: ReframeSize[];
}

export interface StepContext {
  action: ImageMakingAction;
  /** The source's file name, for the titles. */
  fileName: string;
  /**
   * The request the model starts from: the settings' defaults for it, and as its prompt the words the gallery keeps
   * for a model that takes none (reframe), else nothing yet (the user types it).
   */
  startFor: (model: ModelDefinition) => GenerationRequestInput;
  /** "≈ 0.15 credits · 12.40 left" for `count` jobs of `request`. */
  costOf: (request: GenerationRequestInput, count: number) => string;
  /**
   * Remix: Ideogram Describe's words for the picture, as a prompt to start from (it costs, so only on the user's
   * click); undefined when it failed (the failure is shown) or was stopped.
   */
  describe?: { cost: string; run: (signal: AbortSignal) => Promise<string | undefined> };
}

/** Walks the user through the action's steps; undefined when they cancel. */
export async function askForAction(context: StepContext): Promise<ActionPlan | undefined> {
  const models = modelsForAction(context.action);
  let model = models[0];
  let request = context.startFor(model);
  let sizes: ReframeSize[] = [];
  const title = `${actionTitle(context.action)} ${context.fileName}`;
  type Step = 'model' | 'prompt' | 'sizes' | 'confirm';
  const stepsOf = (): Step[] => [
    ...(models.length > 1 ? (['model'] as const) : []),
    ...(takesPrompt(model) ? (['prompt'] as const) : []),
    ...(context.action === 'reframe' && sizeOptionOf(model) ? (['sizes'] as const) : []),
    'confirm',
  ];
  let index = 0;
  for (;;) {
    const steps = stepsOf();
    if (index >= steps.length) return { model, request, sizes };
    const step = steps[index];
    const total = steps.length;
    let result: StepResult<unknown>;
    switch (step) {
      case 'model': {
        result = await pick(
          title,
          index + 1,
          total,
          models.map((each) => ({
            label: each.displayName,
            description: context.costOf(context.startFor(each), 1),
            detail: modelGoodAt(each),
            value: each.slug,
          })),
          model.slug,
        );
        const chosen = models.find((each) => each.slug === result);
        if (chosen && chosen !== model) {
          // Another model starts from its own defaults; the words typed so far are kept.
          const prompt = request.prompt;
          model = chosen;
          request = { ...context.startFor(model), ...(takesPrompt(model) && prompt ? { prompt } : {}) };
        }
        break;
      }
      case 'prompt':
        result = await input(title, index + 1, total, {
          value: request.prompt ?? '',
          prompt: promptQuestion(context.action),
          placeholder:
            context.action === 'remix' && context.describe
              ? vscode.l10n.t(
                  '{0} (or the eye button: Ideogram describes the picture, {1})',
                  promptPlaceholder(context.action) ?? '',
                  context.describe.cost,
                )
              : promptPlaceholder(context.action),
          validate: (value) => (/[\p{L}\p{N}]/u.test(value) ? undefined : vscode.l10n.t('Describe it in words.')),
          ...(context.action === 'remix' && context.describe
            ? {
                fill: {
                  button: {
                    iconPath: new vscode.ThemeIcon('eye'),
                    tooltip: vscode.l10n.t('Describe the Picture as the Prompt ({0})', context.describe.cost),
                  },
                  run: context.describe.run,
                },
              }
            : {}),
        });
        if (typeof result === 'string') request = { ...request, prompt: result.trim() };
        break;
      case 'sizes': {
        const chosen = await pickSizes(title, index + 1, total, model, request, sizes, context.costOf);
        if (Array.isArray(chosen)) sizes = chosen;
        result = chosen;
        break;
      }
      case 'confirm': {
        const count = Math.max(1, sizes.length);
        result = await pick(title, index + 1, total, [
          {
            label: `$(sparkle) ${count > 1 ? vscode.l10n.t('Generate {0} Images', count) : vscode.l10n.t('Generate')}`,
            // The total cost on its own line, where it is never cut off.
            detail: context.costOf(request, count),
            value: 'go',
          },
          {
            label: `$(settings-gear) ${vscode.l10n.t('Options…')}`,
            description: model.displayName,
            value: 'options',
          },
        ]);
        if (result === 'go') return { model, request, sizes };
        if (result === 'options') {
          const edited = await editModelOptions(title, model, request, context.costOf);
          if (edited) request = edited;
          continue; // back to Generate, with the cost of the options chosen
        }
        break;
      }
    }
    if (result === undefined) return undefined;
    index = result === BACK ? Math.max(0, index - 1) : index + 1;
  }
}

/**
 * Reframe's sizes: the purposes (each with the model's resolution it becomes) and the model's own resolutions,
 * several at once. The title carries the total cost of what is ticked, updated at every tick, before the click.
 */
function pickSizes(
  title: string,
  step: number,
  totalSteps: number,
  model: ModelDefinition,
  request: GenerationRequestInput,
  selected: readonly ReframeSize[],
  costOf: StepContext['costOf'],
): Promise<StepResult<ReframeSize[]>> {
  const all = reframeSizes(model);
  const items: Array<Item<ReframeSize>> = [
    { label: vscode.l10n.t('By purpose'), kind: vscode.QuickPickItemKind.Separator },
    ...all
      .filter((size) => size.purpose)
      .map((size) => ({ label: purposeLabel(size), description: pixels(size), value: size })),
    { label: vscode.l10n.t('The model’s own sizes'), kind: vscode.QuickPickItemKind.Separator },
    ...all.filter((size) => !size.purpose).map((size) => ({ label: pixels(size), value: size })),
  ];
  const keys = new Set(selected.map((size) => size.key));
  return pickMany(title, step, totalSteps, items, {
    ticked: (size) => keys.has(size.key),
    placeholder: vscode.l10n.t('Tick every size you need: one image each'),
    titleFor: (ticked) =>
      ticked.length === 0
        ? title
        : `${title}: ${ticked.length === 1 ? vscode.l10n.t('1 size') : vscode.l10n.t('{0} sizes', ticked.length)} · ${costOf(request, ticked.length)}`,
  });
}

/** The model's options other than the ones the steps already asked (the sizes of a reframe), one step each. */
async function editModelOptions(
  title: string,
  model: ModelDefinition,
  start: GenerationRequestInput,
  costOf: StepContext['costOf'],
): Promise<GenerationRequestInput | undefined> {
  const request = { ...start };
  const options = model.options.filter((option) => !(model.action === 'reframe' && option.concept === 'size'));
  let index = 0;
  while (index < options.length) {
    const result = await editOption(
      vscode.l10n.t('{0}: Options', title),
      index + 1,
      options.length,
      options[index],
      request,
      costOf,
    );
    if (result === 'again') continue;
    if (result === undefined) return undefined;
    if (result === BACK) {
      if (index === 0) return undefined;
      index--;
    } else index++;
  }
  return request;
}

function pixels(size: ReframeSize): string {
  return size.width !== undefined && size.height !== undefined ? `${size.width} × ${size.height}` : size.choice;
}

function purposeLabel(size: ReframeSize): string {
  switch (size.purpose) {
    case 'hero':
      return vscode.l10n.t('16:9 hero or banner');
    case 'open-graph':
      return vscode.l10n.t('1200 × 630 Open Graph card (link preview)');
    case 'avatar':
      return vscode.l10n.t('1:1 avatar or icon');
    case 'story':
      return vscode.l10n.t('9:16 story or phone screen');
    default:
      return pixels(size);
  }
}

function promptQuestion(action: ImageMakingAction): string {
  switch (action) {
    case 'remix':
      return vscode.l10n.t('What should the new image show? The picture guides its composition and colours.');
    case 'replace-background':
      return vscode.l10n.t('Describe the new background; the subject is kept.');
    case 'character':
      return vscode.l10n.t('Describe the new scene for the person in the picture.');
    case 'reframe':
      return '';
  }
}

function promptPlaceholder(action: ImageMakingAction): string | undefined {
  switch (action) {
    case 'remix':
      return vscode.l10n.t('the same scene at night, watercolour');
    case 'replace-background':
      return vscode.l10n.t('a sunlit wooden desk by a window');
    case 'character':
      return vscode.l10n.t('reading a book in a café, warm light');
    case 'reframe':
      return undefined;
  }
}
