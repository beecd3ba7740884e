// The words a model declares (src/core/models/*: option labels, hints, what each choice means, what the model is
// good at), in the user's language. They are English in the model's module and translated here, the one place
// `vscode.l10n.t` takes a message that is not a literal: l10n/bundle.l10n.json and bundle.l10n.de.json hold every
// model's words, and test/unit/contributions.test.ts checks both are complete.
import * as vscode from 'vscode';
import { choiceName, type ModelDefinition, type OptionDescriptor } from './core/models/options';

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
  return value === value.toLowerCase() && option.words.choices?.[value] ? modelWord(option.words.choices[value]) : choiceName(value);
}

export function modelGoodAt(model: ModelDefinition): string {
  return modelWord(model.goodAt);
}
