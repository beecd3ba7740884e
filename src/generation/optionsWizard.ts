import * as vscode from 'vscode';
import { convertRequest, type DroppedOption } from '../core/models/convert';
import type { EnumOption, ModelDefinition, OptionDescriptor } from '../core/models/options';
import { DEFAULT_MODEL, MODELS, modelBySlug } from '../core/models/registry';
import {
  aspectRatioLabel,
  type ColorPalette,
  type GenerationRequestInput,
  orientationOf,
  PALETTE_PRESETS,
  parseCustomPalette,
} from '../core/request';
import { MAX_VARIATIONS } from '../core/variations';
import { describeRequestProblem } from '../common/requestProblemWording';
import { choiceDescription, choiceTitle, modelGoodAt, modelWord, optionLabel } from '../common/modelWords';
import { BACK, input, type Item, pick, type StepResult } from './quickInputSteps';

/** Quick-pick items for a size option: pixel sizes grouped by orientation with their aspect ratio; presets by name. */
export function sizeItems(option: EnumOption): Item<string>[] {
  const sizeOf = option.sizeOf;
  if (!sizeOf || !sizeOf(option.choices[0]).exact) {
    return option.choices.map((value) => ({ label: choiceTitle(option, value), description: value, value }));
  }
  const groups: Array<['square' | 'landscape' | 'portrait', string]> = [
    ['square', vscode.l10n.t('Square')],
    ['landscape', vscode.l10n.t('Landscape')],
    ['portrait', vscode.l10n.t('Portrait')],
  ];
  const items: Item<string>[] = [];
  for (const [orientation, label] of groups) {
    items.push({ label, kind: vscode.QuickPickItemKind.Separator });
    const members = option.choices
      .map((value) => ({ value, ...sizeOf(value) }))
      .filter((size) => orientationOf(size) === orientation)
      .sort((a, b) => b.width / b.height - a.width / a.height);
    for (const size of members)
      items.push({ label: `${size.width} × ${size.height}`, description: aspectRatioLabel(size), value: size.value });
  }
  return items;
}

function describePalette(palette: ColorPalette | undefined): string {
  if (!palette) return '';
  if ('name' in palette) return palette.name;
  return palette.members
    .map((member) => `${member.color_hex}${member.color_weight !== undefined ? `:${member.color_weight}` : ''}`)
    .join(', ');
}

/** The options flow's answer: the request and how many variations of it to generate. */
export interface EditedOptions {
  request: GenerationRequestInput;
  count: number;
}

/** "color_palette (EMBER), style_type (ANIME)": what a model change left behind, as the request names it. */
export function describeDropped(dropped: readonly DroppedOption[]): string {
  return dropped
    .map((item) => `${item.name} (${typeof item.value === 'object' ? JSON.stringify(item.value) : String(item.value)})`)
    .join(', ');
}

/**
 * Walks the user through the model and then that model's options, each rendered from its descriptor (src/core/models),
 * and the number of variations, with Back buttons. Another model carries over the options that mean the same
 * and says which it dropped; `defaultsOf` gives the settings' options for a model. The last step shows what each
 * count will cost (`costOf`). Returns the completed request and count, or undefined when the user cancels.
 */
export async function editOptions(
  start: GenerationRequestInput,
  costOf: (request: GenerationRequestInput, count: number) => string,
  defaultsOf: (model: string) => Partial<GenerationRequestInput>,
): Promise<EditedOptions | undefined> {
  let request: GenerationRequestInput = { ...start };
  let model: ModelDefinition = modelBySlug(request.model ?? DEFAULT_MODEL.slug) ?? DEFAULT_MODEL;
  let count = 1;
  const title = vscode.l10n.t('Ideogram: Image Options');
  let step = 1;
  for (;;) {
    // The steps follow the model: the model, each of its options (the seed last), the variations.
    const options = model.options;
    const total = options.length + 2;
    if (step > total) break;
    let result: StepResult<unknown>;
    if (step === 1) {
      result = await pick(
        vscode.l10n.t('{0}: Model', title),
        step,
        total,
        MODELS.map((each) => ({
          label: each.displayName,
          description: costOf({ ...defaultsOf(each.slug), prompt: request.prompt, model: each.slug }, 1),
          detail: modelGoodAt(each),
          value: each.slug,
        })),
        model.slug,
      );
      if (typeof result === 'string' && result !== model.slug) {
        const target = modelBySlug(result) ?? DEFAULT_MODEL;
        const converted = convertRequest(request, model, target);
        request = { ...defaultsOf(target.slug), ...converted.request } as GenerationRequestInput;
        if (converted.dropped.length > 0) {
          void vscode.window.showInformationMessage(
            vscode.l10n.t(
              '{0} does not take these options, which were left out: {1}',
              target.displayName,
              describeDropped(converted.dropped),
            ),
          );
        }
        model = target;
      }
    } else if (step === total) {
      result = await pick(
        vscode.l10n.t('{0}: Variations', title),
        step,
        total,
        Array.from({ length: MAX_VARIATIONS }, (_, index) => index + 1).map((option) => ({
          label: option === 1 ? vscode.l10n.t('1 image') : vscode.l10n.t('{0} variations', option),
          description: costOf(request, option),
          value: option,
        })),
        count,
      );
      if (typeof result === 'number') count = result;
    } else {
      const option = options[step - 2];
      const stepped = await editOption(title, step, total, option, request, costOf);
      if (stepped === 'again') continue;
      result = stepped;
    }
    if (result === undefined) return undefined;
    step = result === BACK ? Math.max(1, step - 1) : step + 1;
  }
  return { request, count };
}

/** One option's step, by its kind. Writes the choice into `request`; `again` repeats the step (Back from a sub-step). */
export async function editOption(
  title: string,
  step: number,
  total: number,
  option: OptionDescriptor,
  request: GenerationRequestInput,
  costOf: (request: GenerationRequestInput, count: number) => string,
): Promise<StepResult<unknown> | 'again'> {
  const label = optionLabel(option);
  const stepTitle = vscode.l10n.t('{0}: {1}', title, label);
  switch (option.kind) {
    case 'text': {
      const result = await input(stepTitle, step, total, {
        value: typeof request[option.name] === 'string' ? (request[option.name] as string) : '',
        prompt: option.words.hint ? `${label}: ${modelWord(option.words.hint)}` : label,
        placeholder: option.concept === 'negative-prompt' ? 'blurry, watermark, extra fingers' : undefined,
      });
      if (typeof result === 'string') request[option.name] = result.trim() || undefined;
      return result;
    }
    case 'enum': {
      const items =
        option.concept === 'size'
          ? sizeItems(option)
          : option.choices.map((value) => ({
              label: value,
              description: choiceDescription(option, value),
              // A priced option shows what each choice costs.
              detail: option.priced ? costOf({ ...request, [option.name]: value }, 1) : undefined,
              value,
            }));
      const result = await pick(
        stepTitle,
        step,
        total,
        items,
        (request[option.name] as string | undefined) ?? option.default,
      );
      if (typeof result === 'string') request[option.name] = result;
      return result;
    }
    case 'boolean': {
      const result = await pick(
        stepTitle,
        step,
        total,
        [
          {
            label: vscode.l10n.t('On'),
            description: option.default ? vscode.l10n.t('the default') : undefined,
            value: 'on',
          },
          {
            label: vscode.l10n.t('Off'),
            description: option.default ? undefined : vscode.l10n.t('the default'),
            value: 'off',
          },
        ],
        (request[option.name] ?? option.default) === true ? 'on' : 'off',
      );
      if (result === 'on' || result === 'off') request[option.name] = result === 'on';
      return result;
    }
    case 'integer': {
      const optional = option.default === undefined;
      const current = request[option.name];
      const result = await input(stepTitle, step, total, {
        value: current !== undefined ? String(current) : '',
        prompt:
          option.concept === 'seed'
            ? vscode.l10n.t(
                'Seed: a whole number from {0} to {1} to reproduce an image, or empty for a random one',
                option.min,
                option.max,
              )
            : `${label}: ${vscode.l10n.t('a whole number from {0} to {1}', option.min, option.max)}${option.words.hint ? ` (${modelWord(option.words.hint)})` : ''}`,
        validate: (value) => {
          if (value.trim() === '' && optional) return undefined;
          const number = Number(value.trim());
          return Number.isInteger(number) && number >= option.min && number <= option.max
            ? undefined
            : vscode.l10n.t('The value must be a whole number from {0} to {1}.', option.min, option.max);
        },
      });
      if (typeof result === 'string') request[option.name] = result.trim() === '' ? undefined : Number(result.trim());
      return result;
    }
    case 'palette': {
      const current = request[option.name] as ColorPalette | undefined;
      const items: Item<string>[] = [
        {
          label: vscode.l10n.t('No palette'),
          description: vscode.l10n.t('Let Ideogram choose the colours'),
          value: 'none',
        },
        { label: vscode.l10n.t('Presets'), kind: vscode.QuickPickItemKind.Separator },
        ...PALETTE_PRESETS.map((preset) => ({ label: preset, value: preset })),
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        {
          label: vscode.l10n.t('Custom colours…'),
          description: current && 'members' in current ? describePalette(current) : '#hex:weight, …',
          value: 'custom',
        },
      ];
      const active = !current ? 'none' : 'name' in current ? current.name : 'custom';
      const result = await pick(vscode.l10n.t('{0}: Colour Palette', title), step, total, items, active);
      if (result === 'none') request[option.name] = undefined;
      else if (result === 'custom') {
        const custom = await input(title, step, total, {
          value: current && 'members' in current ? describePalette(current) : '',
          prompt: vscode.l10n.t('Up to 8 colours as #hex:weight (weight 0.05 to 1, optional), separated by commas'),
          placeholder: '#1e3a8a:0.6, #f59e0b:0.3, #fff:0.1',
          validate: (value) => {
            const parsed = parseCustomPalette(value);
            return parsed.ok ? undefined : [...new Set(parsed.problems.map(describeRequestProblem))].join('; ');
          },
        });
        if (custom === BACK) return 'again'; // back to the palette list
        if (custom === undefined) return undefined;
        const parsed = parseCustomPalette(custom);
        if (parsed.ok) request[option.name] = parsed.palette;
        return custom;
      } else if (typeof result === 'string')
        request[option.name] = { name: result as (typeof PALETTE_PRESETS)[number] };
      return result;
    }
  }
}
