// The words of each image action, translated once (the menus' titles are the manifest's, package.nls*.json).
import * as vscode from 'vscode';
import type { ImageMakingAction } from '../../core/imageActions';

/** The action as the quick input's title starts: "Reframe banner.jpg". */
export function actionTitle(action: ImageMakingAction): string {
  switch (action) {
    case 'remix':
      return vscode.l10n.t('Remix');
    case 'reframe':
      return vscode.l10n.t('Reframe');
    case 'replace-background':
      return vscode.l10n.t('Replace Background of');
    case 'character':
      return vscode.l10n.t('New Scene with the Character of');
  }
}

/** The progress line while the action runs: "Reframing banner.jpg (2 sizes)…". */
export function actionProgress(action: ImageMakingAction, fileName: string, count: number): string {
  switch (action) {
    case 'remix':
      return vscode.l10n.t('Remixing {0}…', fileName);
    case 'reframe':
      return count > 1
        ? vscode.l10n.t('Reframing {0} to {1} sizes…', fileName, count)
        : vscode.l10n.t('Reframing {0}…', fileName);
    case 'replace-background':
      return vscode.l10n.t('Replacing the background of {0}…', fileName);
    case 'character':
      return vscode.l10n.t('Painting a new scene with the character of {0}…', fileName);
  }
}
