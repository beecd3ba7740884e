import * as vscode from 'vscode';
import { imagesPerJob, pricingOf } from '../core/cost';
import { type ColorPalette, modelLabel } from '../core/models/options';
import { DEFAULT_MODEL } from '../core/models/registry';
import {
  modelOfRequest,
  sizeOfRequest,
  validateRequest,
  type GenerationRequest,
  type GenerationRequestInput,
} from '../core/request';
import { optionLabel } from '../common/modelWords';
import type { Budget } from './ports';

/** A text on one line, cut to `max` characters: a prompt cannot forge lines of its own in a confirmation. */
function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Everything a paid generation the user did not type will send, for its confirmation: the prompt, the negative
 * prompt, the model and each of its options as sent (size, style, magic prompt, palette, seed…), the number of
 * images and their cost. One line each; the options are read from the model's descriptors.
 */
export function describeUntypedGeneration(
  request: GenerationRequest,
  count: number,
  spending: Pick<Budget, 'describe' | 'estimate'>,
): string {
  const model = modelOfRequest(request) ?? DEFAULT_MODEL;
  const size = sizeOfRequest(request);
  const options = [modelLabel(model, request)];
  for (const option of model.options) {
    const value = request[option.name];
    if (option.concept === 'negative-prompt' || option.concept === 'speed') continue;
    if (option.concept === 'seed')
      options.push(`${optionLabel(option)}: ${value === undefined ? vscode.l10n.t('new') : String(value)}`);
    else if (value === undefined) continue;
    else if (option.concept === 'size')
      options.push(size?.exact ? `${size.width} × ${size.height}` : `${optionLabel(option)}: ${String(value)}`);
    else if (option.concept === 'palette')
      options.push(`${vscode.l10n.t('Palette')}: ${oneLine(paletteText(value as ColorPalette), 80)}`);
    else options.push(`${optionLabel(option)}: ${oneLine(String(value), 80)}`);
  }
  const images = count * imagesPerJob(pricingOf(model), request);
  const negative =
    typeof request.negative_prompt === 'string' && request.negative_prompt ? request.negative_prompt : undefined;
  return [
    `${vscode.l10n.t('Prompt')}: ${oneLine(request.prompt, 300)}`,
    negative ? `${vscode.l10n.t('Negative prompt')}: ${oneLine(negative, 200)}` : undefined,
    options.join(' · '),
    `${vscode.l10n.t('Images')}: ${images}`,
    `${vscode.l10n.t('Cost')}: ${spending.describe(spending.estimate(request, count))}`,
  ]
    .filter((line): line is string => line !== undefined)
    .join('\n');
}

const paletteText = (palette: ColorPalette): string =>
  'name' in palette ? palette.name : palette.members.map((member) => member.color_hex).join(' ');

/**
 * `ideogram.generateImage` / `insertImage` with arguments start a billed generation without any UI: right for
 * keybindings and other extensions, but a `command:` link in content from an untrusted workspace could carry the
 * same arguments. In Restricted Mode such a run is confirmed first (a modal, so nothing clicks it by accident),
 * showing the whole request, the number of images and the cost.
 */
export async function confirmUnattendedRun(
  input: GenerationRequestInput,
  count: number,
  spending: Pick<Budget, 'describe' | 'estimate'>,
): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const validated = validateRequest(input);
  // An invalid request is refused later with its own message, before anything is sent.
  if (!validated.ok) return true;
  const generate = count > 1 ? vscode.l10n.t('Generate {0} Images', count) : vscode.l10n.t('Generate');
  const message =
    count > 1
      ? vscode.l10n.t(
          'Generate {0} images? A command asked for them in Restricted Mode, and each image uses Segmind credits.',
          count,
        )
      : vscode.l10n.t('Generate an image? A command asked for it in Restricted Mode, and it uses Segmind credits.');
  const choice = await vscode.window.showWarningMessage(
    message,
    { modal: true, detail: describeUntypedGeneration(validated.request, count, spending) },
    generate,
  );
  return choice === generate;
}
