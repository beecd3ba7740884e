// The steps of a multi-step quick input (a pick of one, a pick of several, a text box), each with Back and its step
// count: the options flow (optionsWizard.ts) and the image actions' steps are written with them.
import * as vscode from 'vscode';

/** The Back button's answer: the flow goes one step back. */
export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

export interface Item<T> extends vscode.QuickPickItem {
  value?: T;
}

/** One step's pick: the item chosen, its `value` (the item in `activeValue` has the focus when the step opens). */
export function pick<T>(
  title: string,
  step: number,
  totalSteps: number,
  items: Item<T>[],
  activeValue?: T,
): Promise<StepResult<T>> {
  return showPickStep(title, step, totalSteps, items, {
    canSelectMany: false,
    prepare: (quickPick) => {
      const active = items.find((item) => item.value !== undefined && item.value === activeValue);
      if (active) quickPick.activeItems = [active];
    },
    answer: ([chosen]) => (chosen ? { value: chosen.value as T } : undefined),
  });
}

/**
 * One step's pick of several items at once (check boxes): the values ticked, at least one; OK with none ticked
 * keeps the step open. `ticked` says which values are ticked when the step opens; `titleFor` words the title for
 * what is ticked (e.g. with their total cost), again at every tick.
 */
export function pickMany<T>(
  title: string,
  step: number,
  totalSteps: number,
  items: Item<T>[],
  options: {
    ticked: (value: T) => boolean;
    placeholder?: string;
    titleFor?: (ticked: readonly T[]) => string;
  },
): Promise<StepResult<T[]>> {
  const valuesOf = (selected: readonly Item<T>[]) => selected.flatMap((item) => (item.value ? [item.value] : []));
  return showPickStep(title, step, totalSteps, items, {
    canSelectMany: true,
    placeholder: options.placeholder,
    prepare: (quickPick) => {
      quickPick.selectedItems = items.filter((item) => item.value && options.ticked(item.value));
      const { titleFor } = options;
      if (!titleFor) return;
      const showTitle = () => (quickPick.title = titleFor(valuesOf(quickPick.selectedItems)));
      showTitle();
      quickPick.onDidChangeSelection(showTitle);
    },
    answer: (selected) => {
      const chosen = valuesOf(selected);
      return chosen.length > 0 ? { value: chosen } : undefined;
    },
  });
}

/**
 * The QuickPick of a step, built and disposed here once for `pick` and `pickMany`: its title, step count, items,
 * Back from the second step on, and one answer: Back, what `answer` makes of the accepted selection (undefined
 * keeps the step open), or undefined when it is hidden (Escape).
 */
function showPickStep<T, R>(
  title: string,
  step: number,
  totalSteps: number,
  items: Item<T>[],
  mode: {
    canSelectMany: boolean;
    placeholder?: string;
    /** What is focused or ticked when the step opens (called once the items are in). */
    prepare: (quickPick: vscode.QuickPick<Item<T>>) => void;
    answer: (selected: readonly Item<T>[]) => { value: R } | undefined;
  },
): Promise<StepResult<R>> {
  return new Promise((resolve) => {
    const quickPick = vscode.window.createQuickPick<Item<T>>();
    quickPick.canSelectMany = mode.canSelectMany;
    quickPick.title = title;
    quickPick.step = step;
    quickPick.totalSteps = totalSteps;
    quickPick.items = items;
    quickPick.matchOnDescription = true;
    quickPick.ignoreFocusOut = true;
    if (mode.placeholder !== undefined) quickPick.placeholder = mode.placeholder;
    quickPick.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
    mode.prepare(quickPick);
    let settled = false;
    const finish = (value: StepResult<R>) => {
      if (!settled) {
        settled = true;
        resolve(value);
        quickPick.dispose();
      }
    };
    quickPick.onDidTriggerButton(() => finish(BACK));
    quickPick.onDidAccept(() => {
      const answer = mode.answer(quickPick.selectedItems);
      if (answer) finish(answer.value);
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
