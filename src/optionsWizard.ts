import * as vscode from 'vscode';
import {
  aspectRatioLabel, type ColorPalette, type GenerationRequestInput, MAGIC_PROMPT_OPTIONS, orientationOf,
  PALETTE_PRESETS, parseCustomPalette, RESOLUTIONS, resolutionSize, SEED_MAX, SEED_MIN, STYLE_TYPES,
} from './core/request';
import { MAX_VARIATIONS } from './core/variations';
import { describeRequestProblem } from './errorMessages';
import { magicPromptDescriptions, styleDescriptions } from './optionWords';

const BACK = Symbol('back');
type StepResult<T> = T | typeof BACK | undefined;

interface Item<T> extends vscode.QuickPickItem { value?: T }

function pick<T>(title: string, step: number, totalSteps: number, items: Item<T>[], activeValue?: T): Promise<StepResult<T>> {
  return new Promise((resolve) => {
    const quickPick = vscode.window.createQuickPick<Item<T>>();
    quickPick.title = title;
    quickPick.step = step;
    quickPick.totalSteps = totalSteps;
    quickPick.items = items;
    quickPick.matchOnDescription = true;
    quickPick.ignoreFocusOut = true;
    quickPick.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
    const active = items.find((item) => item.value !== undefined && item.value === activeValue);
    if (active) quickPick.activeItems = [active];
    let settled = false;
    const finish = (value: StepResult<T>) => { if (!settled) { settled = true; resolve(value); quickPick.dispose(); } };
    quickPick.onDidTriggerButton(() => finish(BACK));
    quickPick.onDidAccept(() => { const chosen = quickPick.selectedItems[0]; if (chosen) finish(chosen.value as T); });
    quickPick.onDidHide(() => finish(undefined));
    quickPick.show();
  });
}

function input(title: string, step: number, totalSteps: number, options: { value: string; prompt: string; placeholder?: string; validate?: (value: string) => string | undefined }): Promise<StepResult<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = title;
    box.step = step;
    box.totalSteps = totalSteps;
    box.value = options.value;
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.ignoreFocusOut = true;
    box.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let settled = false;
    const finish = (value: StepResult<string>) => { if (!settled) { settled = true; resolve(value); box.dispose(); } };
    box.onDidChangeValue((value) => { box.validationMessage = options.validate?.(value); });
    box.onDidTriggerButton(() => finish(BACK));
    box.onDidAccept(() => {
      const problem = options.validate?.(box.value);
      if (problem) { box.validationMessage = problem; return; }
      finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

/** Quick-pick items for all 78 resolutions, grouped by orientation and labelled with their aspect ratio. */
export function resolutionItems(): Item<(typeof RESOLUTIONS)[number]>[] {
  const groups: Array<['square' | 'landscape' | 'portrait', string]> = [
    ['square', vscode.l10n.t('Square')], ['landscape', vscode.l10n.t('Landscape')], ['portrait', vscode.l10n.t('Portrait')],
  ];
  const items: Item<(typeof RESOLUTIONS)[number]>[] = [];
  for (const [orientation, label] of groups) {
    items.push({ label, kind: vscode.QuickPickItemKind.Separator });
    const members = RESOLUTIONS.filter((resolution) => orientationOf(resolution) === orientation)
      .sort((a, b) => resolutionSize(b).width / resolutionSize(b).height - resolutionSize(a).width / resolutionSize(a).height);
    for (const resolution of members) {
      const { width, height } = resolutionSize(resolution);
      items.push({ label: `${width} × ${height}`, description: aspectRatioLabel(resolution), detail: undefined, value: resolution });
    }
  }
  return items;
}

function describePalette(palette: ColorPalette | undefined): string {
  if (!palette) return '';
  if ('name' in palette) return palette.name;
  return palette.members.map((member) => `${member.color_hex}${member.color_weight !== undefined ? `:${member.color_weight}` : ''}`).join(', ');
}

/** The options flow's answer: the request and how many variations of it to generate. */
export interface EditedOptions {
  request: GenerationRequestInput;
  count: number;
}

/**
 * Walks the user through every option (negative prompt, magic prompt, style, resolution, seed, palette) and
 * the number of variations, with Back buttons. The last step shows what each count will cost (`costOf`).
 * Returns the completed request and count, or undefined when the user cancels.
 */
export async function editOptions(start: GenerationRequestInput, costOf: (request: GenerationRequestInput, count: number) => string): Promise<EditedOptions | undefined> {
  const request: GenerationRequestInput = { ...start };
  let count = 1;
  const total = 7;
  const title = vscode.l10n.t('Ideogram: Image Options');
  let step = 1;
  while (step <= total) {
    let result: StepResult<unknown>;
    switch (step) {
      case 1:
        result = await input(title, step, total, {
          value: request.negative_prompt ?? '', prompt: vscode.l10n.t('Negative prompt: what the image should avoid (optional)'), placeholder: 'blurry, watermark, extra fingers',
        });
        if (typeof result === 'string') request.negative_prompt = result.trim() || undefined;
        break;
      case 2:
        result = await pick(vscode.l10n.t('{0}: Magic Prompt', title), step, total,
          MAGIC_PROMPT_OPTIONS.map((option) => ({ label: option, description: magicPromptDescriptions()[option], value: option })), request.magic_prompt_option ?? 'AUTO');
        if (typeof result === 'string') request.magic_prompt_option = result as (typeof MAGIC_PROMPT_OPTIONS)[number];
        break;
      case 3:
        result = await pick(vscode.l10n.t('{0}: Style', title), step, total,
          STYLE_TYPES.map((style) => ({ label: style, description: styleDescriptions()[style], value: style })), request.style_type ?? 'GENERAL');
        if (typeof result === 'string') request.style_type = result as (typeof STYLE_TYPES)[number];
        break;
      case 4:
        result = await pick(vscode.l10n.t('{0}: Resolution', title), step, total, resolutionItems(), request.resolution);
        if (typeof result === 'string') request.resolution = result as (typeof RESOLUTIONS)[number];
        break;
      case 5:
        result = await input(title, step, total, {
          value: request.seed !== undefined ? String(request.seed) : '',
          prompt: vscode.l10n.t('Seed: a whole number from {0} to {1} to reproduce an image, or empty for a random one', SEED_MIN, SEED_MAX),
          validate: (value) => {
            if (value.trim() === '') return undefined;
            const seed = Number(value.trim());
            return Number.isInteger(seed) && seed >= SEED_MIN && seed <= SEED_MAX ? undefined : vscode.l10n.t('The seed must be a whole number from {0} to {1}.', SEED_MIN, SEED_MAX);
          },
        });
        if (typeof result === 'string') request.seed = result.trim() === '' ? undefined : Number(result.trim());
        break;
      case 6: {
        const current = request.color_palette as ColorPalette | undefined;
        const items: Item<string>[] = [
          { label: vscode.l10n.t('No palette'), description: vscode.l10n.t('Let Ideogram choose the colours'), value: 'none' },
          { label: vscode.l10n.t('Presets'), kind: vscode.QuickPickItemKind.Separator },
          ...PALETTE_PRESETS.map((preset) => ({ label: preset, value: preset })),
          { label: '', kind: vscode.QuickPickItemKind.Separator },
          { label: vscode.l10n.t('Custom colours…'), description: current && 'members' in current ? describePalette(current) : '#hex:weight, …', value: 'custom' },
        ];
        const active = !current ? 'none' : 'name' in current ? current.name : 'custom';
        result = await pick(vscode.l10n.t('{0}: Colour Palette', title), step, total, items, active);
        if (result === 'none') request.color_palette = undefined;
        else if (result === 'custom') {
          const custom = await input(title, step, total, {
            value: current && 'members' in current ? describePalette(current) : '',
            prompt: vscode.l10n.t('Up to 8 colours as #hex:weight (weight 0.05 to 1, optional), separated by commas'),
            placeholder: '#1e3a8a:0.6, #f59e0b:0.3, #fff:0.1',
            validate: (value) => { const parsed = parseCustomPalette(value); return parsed.ok ? undefined : [...new Set(parsed.problems.map(describeRequestProblem))].join('; '); },
          });
          if (custom === BACK) continue; // back to the palette list
          if (custom === undefined) return undefined;
          const parsed = parseCustomPalette(custom);
          if (parsed.ok) request.color_palette = parsed.palette;
          result = custom;
        } else if (typeof result === 'string') request.color_palette = { name: result as (typeof PALETTE_PRESETS)[number] };
        break;
      }
      case 7:
        result = await pick(vscode.l10n.t('{0}: Variations', title), step, total,
          Array.from({ length: MAX_VARIATIONS }, (_, index) => index + 1).map((option) => ({
            label: option === 1 ? vscode.l10n.t('1 image') : vscode.l10n.t('{0} variations', option),
            description: costOf(request, option), value: option,
          })), count);
        if (typeof result === 'number') count = result;
        break;
    }
    if (result === undefined) return undefined;
    step = result === BACK ? Math.max(1, step - 1) : step + 1;
  }
  return { request, count };
}
