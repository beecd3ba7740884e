import * as vscode from 'vscode';
import type { GenerationService } from '../generationService';
import { Disposable } from '../../common/dispose';
import { STATUS_BAR_ITEM } from '../../common/ids';

/**
 * A status-bar item that is visible only while generations run ("Ideogram: 2 generating"), so a generation
 * started from the sidebar or a hidden notification is still noticeable. Clicking it shows the log.
 */
export class GenerationStatusBar extends Disposable {
  readonly #item: vscode.StatusBarItem;

  constructor(service: GenerationService, showLogCommand: string) {
    super();
    this.#item = this.register(vscode.window.createStatusBarItem(STATUS_BAR_ITEM, vscode.StatusBarAlignment.Left, 0));
    this.#item.name = vscode.l10n.t('Ideogram Generations');
    this.#item.command = showLogCommand;
    this.register(service.onDidChangeRunning((running) => this.#update(running)));
    this.#update(service.runningCount);
  }

  #update(running: number): void {
    if (running <= 0) {
      this.#item.hide();
      return;
    }
    this.#item.text = `$(loading~spin) ${vscode.l10n.t('Ideogram: {0} generating', running)}`;
    this.#item.tooltip =
      running === 1
        ? vscode.l10n.t('One image is being generated. Click to show the log.')
        : vscode.l10n.t('{0} images are being generated. Click to show the log.', running);
    this.#item.show();
  }
}
