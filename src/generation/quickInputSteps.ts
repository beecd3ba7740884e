// The two steps of a multi-step quick input (a pick, a text box), each with Back and its step count: the
// options flow (optionsWizard.ts) is written with them.
import * as vscode from 'vscode';

/** The Back button's answer: the flow goes one step back. */
export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

export interface Item<T> extends vscode.QuickPickItem {
  value?: T;
}

export function pick<T>(
  title: string,
  step: number,
  totalSteps: number,
  items: Item<T>[],
  activeValue?: T,
): Promise<StepResult<T>> {
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
    const finish = (value: StepResult<T>) => {
      if (!settled) {
        settled = true;
        resolve(value);
        quickPick.dispose();
      }
    };
    quickPick.onDidTriggerButton(() => finish(BACK));
    quickPick.onDidAccept(() => {
      const chosen = quickPick.selectedItems[0];
      if (chosen) finish(chosen.value as T);
    });
    quickPick.onDidHide(() => finish(undefined));
    quickPick.show();
  });
}

export function input(
  title: string,
  step: number,
  totalSteps: number,
  options: {
    value: string;
    prompt: string;
    placeholder?: string;
    validate?: (value: string) => string | undefined;
    /** A button that fills the box (e.g. Describe the picture): busy while it runs, stopped when the box closes. */
    fill?: { button: vscode.QuickInputButton; run: (signal: AbortSignal) => Promise<string | undefined> };
  },
): Promise<StepResult<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = title;
    box.step = step;
    box.totalSteps = totalSteps;
    box.value = options.value;
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.ignoreFocusOut = true;
    box.buttons = [
      ...(step > 1 ? [vscode.QuickInputButtons.Back] : []),
      ...(options.fill ? [options.fill.button] : []),
    ];
    let settled = false;
    const filling = new AbortController();
    const finish = (value: StepResult<string>) => {
      if (!settled) {
        settled = true;
        filling.abort();
        resolve(value);
        box.dispose();
      }
    };
    box.onDidChangeValue((value) => {
      box.validationMessage = options.validate?.(value);
    });
    box.onDidTriggerButton(async (button) => {
      if (button !== options.fill?.button) return finish(BACK);
      if (box.busy) return;
      box.busy = true;
      try {
        const text = await options.fill.run(filling.signal);
        if (text && !settled) {
          box.value = text;
          box.validationMessage = options.validate?.(text);
        }
      } finally {
        if (!settled) box.busy = false;
      }
    });
    box.onDidAccept(() => {
      const problem = options.validate?.(box.value);
      if (problem) {
        box.validationMessage = problem;
        return;
      }
      finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
