// The words for a request the form, a setting, a recipe or the tool got wrong (src/core/request.ts finds the
// problems as data: which field, which rule).
import * as vscode from 'vscode';

import { DEFAULT_MODEL, modelBySlug } from '../core/models/registry';
import {
  COLOR_WEIGHT_MAX,
  COLOR_WEIGHT_MIN,
  PALETTE_MAX_MEMBERS,
  PALETTE_PRESETS,
  PROMPT_MAX_LENGTH,
  type RequestProblem,
} from '../core/request';

export const MEGABYTE = 1024 * 1024;

/** What is wrong with one option of a request, as the sidebar shows it beside the field. */
export function describeRequestProblem(problem: RequestProblem): string {
  // The model's own choices and range travel with the problem (src/core/request.ts); a problem without them is the default model's.
  const model = modelBySlug(problem.model) ?? DEFAULT_MODEL;
  const option = model.options.find((each) => each.name === problem.path);
  const choices = (problem.choices ?? (option?.kind === 'enum' ? option.choices : [])).join(', ');
  const range = {
    min: problem.min ?? (option?.kind === 'integer' ? option.min : 0),
    max: problem.max ?? (option?.kind === 'integer' ? option.max : 0),
  };
  switch (problem.code) {
    case 'prompt-missing':
      return vscode.l10n.t('Prompt is required');
    case 'prompt-empty':
      return vscode.l10n.t('Prompt is empty: describe the image you want');
    case 'prompt-too-long':
      return vscode.l10n.t('Prompt is longer than {0} characters', PROMPT_MAX_LENGTH);
    case 'prompt-no-words':
      return vscode.l10n.t('Prompt has no words: describe the image you want');
    case 'negative-prompt-too-long':
      return vscode.l10n.t('Negative prompt is longer than {0} characters', PROMPT_MAX_LENGTH);
    case 'magic-prompt-invalid':
      return choices
        ? vscode.l10n.t('Magic prompt must be one of {0}', choices)
        : vscode.l10n.t('{0} must be true or false', problem.path);
    case 'resolution-invalid': {
      const sizes = problem.choices ?? (option?.kind === 'enum' ? option.choices : []);
      const example = option?.kind === 'enum' ? option.default : (sizes[0] ?? '');
      return sizes.length > 10
        ? vscode.l10n.t(
            'Resolution must be one of the {0} resolutions of {1}, e.g. {2}',
            sizes.length,
            model.displayName,
            example,
          )
        : vscode.l10n.t('Size must be one of {0}', sizes.join(', '));
    }
    case 'style-invalid':
      return vscode.l10n.t('Style must be one of {0}', choices);
    case 'seed-not-whole':
      return vscode.l10n.t('Seed must be a whole number');
    case 'seed-out-of-range':
      return vscode.l10n.t('Seed must be between {0} and {1}', range.min, range.max);
    case 'model-unknown':
      return vscode.l10n.t('Model must be one of {0}', (problem.choices ?? []).join(', '));
    case 'speed-invalid':
      return vscode.l10n.t('Rendering speed must be one of {0} for {1}', choices, model.displayName);
    case 'image-count-not-whole':
      return vscode.l10n.t('The number of images must be a whole number');
    case 'image-count-out-of-range':
      return vscode.l10n.t('The number of images must be between {0} and {1}', range.min, range.max);
    case 'format-invalid':
      return vscode.l10n.t('File format must be one of {0}', choices);
    case 'colour-invalid':
      return vscode.l10n.t('Colour must be #RGB or #RRGGBB, e.g. #1e90ff');
    case 'colour-weight-not-number':
      return vscode.l10n.t('Colour weight must be a number');
    case 'colour-weight-too-small':
      return vscode.l10n.t('Colour weight must be at least {0}', COLOR_WEIGHT_MIN);
    case 'colour-weight-too-large':
      return vscode.l10n.t('Colour weight must be at most {0}', COLOR_WEIGHT_MAX);
    case 'palette-preset-invalid':
      return vscode.l10n.t('Palette preset must be one of {0}', PALETTE_PRESETS.join(', '));
    case 'palette-empty':
      return vscode.l10n.t('A custom palette needs at least one colour');
    case 'palette-too-many':
      return vscode.l10n.t('A custom palette has at most {0} colours', PALETTE_MAX_MEMBERS);
    case 'palette-both':
      return vscode.l10n.t(
        'Colour palette must be either a preset name or a list of 1 to {0} colours, not both',
        PALETTE_MAX_MEMBERS,
      );
    case 'palette-shape':
      return vscode.l10n.t(
        'Colour palette must be {0} or {1}',
        '{"name": <preset>}',
        '{"members": [{"color_hex": "#RRGGBB", "color_weight": 0.5}]}',
      );
    case 'palette-entry-colons':
      return vscode.l10n.t('"{0}" has more than one ":"', problem.entry ?? '');
    case 'palette-weight-not-number':
      return vscode.l10n.t('"{0}": weight "{1}" is not a number', problem.entry ?? '', problem.weight ?? '');
    case 'unknown-options':
      return vscode.l10n.t('Unknown option(s): {0}', (problem.keys ?? []).join(', '));
    case 'invalid-value':
      return vscode.l10n.t('This value is not valid');
    case 'image-missing':
      return vscode.l10n.t('{0} needs a picture to work on', model.displayName);
    case 'image-not-url':
      return vscode.l10n.t('The picture must be given as the https address Segmind uploaded it to');
  }
}

/** Several problems in one sentence, each with the option it is about (as the request's JSON names it). */
export function describeRequestProblems(problems: readonly RequestProblem[]): string {
  return problems
    .map((problem) => {
      const sentence = describeRequestProblem(problem);
      return problem.path && problem.code !== 'unknown-options' ? `${problem.path}: ${sentence}` : sentence;
    })
    .join('; ');
}
