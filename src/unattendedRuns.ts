import * as vscode from 'vscode';
import { validateRequest, resolutionSize, type GenerationRequest, type GenerationRequestInput } from './core/request';
import type { Spending } from './spending';

/** A text on one line, cut to `max` characters: a prompt cannot forge lines of its own in a confirmation. */
function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Everything a paid generation the user did not type will send, for its confirmation: the prompt, the negative
 * prompt, style, size, magic prompt, palette, seed, the number of images and their cost. One line each.
 */
export function describeUntypedGeneration(request: GenerationRequest, count: number, spending: Pick<Spending, 'describe' | 'estimate'>): string {
  const { width, height } = resolutionSize(request.resolution);
  const palette = request.color_palette
    ? 'name' in request.color_palette ? request.color_palette.name : request.color_palette.members.map((member) => member.color_hex).join(' ')
    : undefined;
  return [
    `${vscode.l10n.t('Prompt')}: ${oneLine(request.prompt, 300)}`,
    request.negative_prompt ? `${vscode.l10n.t('Negative prompt')}: ${oneLine(request.negative_prompt, 200)}` : undefined,
    [
      `${vscode.l10n.t('Style')}: ${request.style_type}`, `${width} × ${height}`, `${vscode.l10n.t('Magic Prompt')}: ${request.magic_prompt_option}`,
      palette ? `${vscode.l10n.t('Palette')}: ${oneLine(palette, 80)}` : undefined,
      `${vscode.l10n.t('Seed')}: ${request.seed ?? vscode.l10n.t('new')}`,
    ].filter(Boolean).join(' · '),
    `${vscode.l10n.t('Images')}: ${count}`,
    `${vscode.l10n.t('Cost')}: ${spending.describe(spending.estimate(request, count))}`,
  ].filter((line): line is string => line !== undefined).join('\n');
}

/**
 * `ideogram.generateImage` / `insertImage` with arguments start a billed generation without any UI: right for
 * keybindings and other extensions, but a `command:` link in content from an untrusted workspace could carry the
 * same arguments. In Restricted Mode such a run is confirmed first (a modal, so nothing clicks it by accident),
 * showing the whole request, the number of images and the cost.
 */
export async function confirmUnattendedRun(input: GenerationRequestInput, count: number, spending: Pick<Spending, 'describe' | 'estimate'>): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const validated = validateRequest(input);
  // An invalid request is refused later with its own message, before anything is sent.
  if (!validated.ok) return true;
  const generate = count > 1 ? vscode.l10n.t('Generate {0} Images', count) : vscode.l10n.t('Generate');
  const message = count > 1
    ? vscode.l10n.t('Generate {0} images? A command asked for them in Restricted Mode, and each image uses Segmind credits.', count)
    : vscode.l10n.t('Generate an image? A command asked for it in Restricted Mode, and it uses Segmind credits.');
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail: describeUntypedGeneration(validated.request, count, spending) }, generate);
  return choice === generate;
}
