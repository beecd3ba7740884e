// What the request's options mean, in the user's language: the palette's option steps and the sidebar's form
// describe them with the same words.
import * as vscode from 'vscode';
import type { MagicPromptOption, StyleType } from './core/request';

// Functions, not constants: vscode.l10n.t must run after activation, when the translations are loaded.
export function styleDescriptions(): Record<StyleType, string> {
  return {
    GENERAL: vscode.l10n.t('Versatile, the default'), REALISTIC: vscode.l10n.t('Photographic'),
    DESIGN: vscode.l10n.t('Graphic design, logos, typography'), RENDER_3D: vscode.l10n.t('3D render look'),
    ANIME: vscode.l10n.t('Anime and manga'),
  };
}

export function magicPromptDescriptions(): Record<MagicPromptOption, string> {
  return {
    AUTO: vscode.l10n.t('Ideogram decides whether to enrich the prompt'), ON: vscode.l10n.t('Always enrich the prompt'),
    OFF: vscode.l10n.t('Use the prompt exactly as written'),
  };
}
