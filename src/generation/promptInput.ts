// The palette's input: the prompt box (with what Enter will cost) and the cancellable progress of a generation.
import * as vscode from 'vscode';
import { PERFORMANCE_MARK } from '../common/ids';
import { negativePromptNotice } from '../common/settings';

/** What a generation with the default options costs, and when that changes (a price or the balance learned). */
export interface CostLine {
  line: () => string;
  onDidChange: vscode.Event<void>;
}

/** Asks for the prompt; the gear button (or the caller) opens the full options flow. */
export async function askForPrompt(
  initial: string,
  title: string,
  cost: CostLine,
  negativePrompt?: string,
): Promise<{ prompt: string; adjust: boolean } | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = title;
    box.value = initial;
    box.valueSelection = [0, initial.length];
    // What Enter will cost, before it is pressed (updated when the balance arrives), and the negative prompt the settings add.
    const describe = () =>
      `${vscode.l10n.t('Describe the image. Enter generates with your default options; the gear button adjusts them first.')} ${vscode.l10n.t('Cost: {0}', cost.line())}${negativePromptNotice(negativePrompt)}`;
    box.prompt = describe();
    const costChanged = cost.onDidChange(() => {
      box.prompt = describe();
    });
    box.placeholder = vscode.l10n.t(
      'e.g. A friendly robot reading a book, flat vector illustration, the words "Docs" on the cover',
    );
    box.ignoreFocusOut = true;
    const adjustButton: vscode.QuickInputButton = {
      iconPath: new vscode.ThemeIcon('settings-gear'),
      tooltip: vscode.l10n.t('Adjust Options…'),
    };
    box.buttons = [adjustButton];
    let settled = false;
    const finish = (value: { prompt: string; adjust: boolean } | undefined) => {
      if (!settled) {
        settled = true;
        resolve(value);
        costChanged.dispose();
        box.dispose();
      }
    };
    const accept = (adjust: boolean) => {
      if (box.value.trim() === '') {
        box.validationMessage = vscode.l10n.t('Describe the image you want first.');
        return;
      }
      finish({ prompt: box.value.trim(), adjust });
    };
    box.onDidChangeValue(() => {
      box.validationMessage = undefined;
    });
    box.onDidAccept(() => accept(false));
    box.onDidTriggerButton(() => accept(true));
    box.onDidHide(() => finish(undefined));
    box.show();
    // For the bench's "first command → prompt box" (one mark at a time, so nothing accumulates).
    performance.clearMarks(PERFORMANCE_MARK.promptShown);
    performance.mark(PERFORMANCE_MARK.promptShown);
  });
}

/** Runs `work` under a cancellable "Ideogram" notification showing `message`; Cancel aborts the signal it is given. */
export function withCancellableProgress<T>(
  message: string,
  work: (report: (message: string) => void, signal: AbortSignal) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Ideogram'), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancellation = token.onCancellationRequested(() => controller.abort());
      progress.report({ message });
      try {
        return await work((text) => progress.report({ message: text }), controller.signal);
      } finally {
        cancellation.dispose();
      }
    },
  );
}
