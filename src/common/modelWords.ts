// The words a model declares (src/core/models/*: option labels, hints, what each choice means, what the model is
// good at), in the user's language. They are English in the model's module and translated here, the one place
// `vscode.l10n.t` takes a message that is not a literal: l10n/bundle.l10n.json and bundle.l10n.de.json hold every
// model's words, and test/unit/contributions.test.ts checks both are complete.
import * as vscode from 'vscode';
import { choiceName, type ModelDefinition, type OptionDescriptor } from '../core/models/options';
import { MODELS } from '../core/models/registry';
import { aspectRatioLabel } from '../core/request';
import type { ChoiceView, ModelView, OptionView } from './protocol';

export function modelWord(text: string): string {
  return vscode.l10n.t(text);
}

export function optionLabel(option: OptionDescriptor): string {
  return modelWord(option.words.label);
}

/** What a choice of an enum option means ("Best detail, costs most"), when the model says. */
export function choiceDescription(option: OptionDescriptor, value: string): string | undefined {
  const text = option.words.choices?.[value];
  return text ? modelWord(text) : undefined;
}

/** A choice as the user picks it: the model's description for lower-case presets, else the value's name. */
export function choiceTitle(option: OptionDescriptor, value: string): string {
  return value === value.toLowerCase() && option.words.choices?.[value]
    ? modelWord(option.words.choices[value])
    : choiceName(value);
}

export function modelGoodAt(model: ModelDefinition): string {
  return modelWord(model.goodAt);
}

/** A model as the sidebar's form renders it: its descriptors without functions, every word translated. */
export function modelView(model: ModelDefinition): ModelView {
  return {
    slug: model.slug,
    displayName: model.displayName,
    goodAt: modelGoodAt(model),
    options: model.options.map((option): OptionView => {
      const { words, ...descriptor } = option;
      const view: OptionView = {
        ...descriptor,
        label: modelWord(words.label),
        ...(words.hint ? { hint: modelWord(words.hint) } : {}),
      };
      if (option.kind === 'enum') {
        delete (view as { sizeOf?: unknown }).sizeOf; // a function does not cross to the webview: the sizes do
        view.choiceViews = option.choices.map((value): ChoiceView => {
          const size = option.sizeOf?.(value);
          const description = choiceDescription(option, value);
          return {
            value,
            title: choiceTitle(option, value),
            ...(description ? { description } : {}),
            ...(size
              ? { width: size.width, height: size.height, exact: size.exact, aspect: aspectRatioLabel(size) }
              : {}),
          };
        });
      }
      return view;
    }),
  };
}

export function modelViews(): ModelView[] {
  return MODELS.map(modelView);
}
