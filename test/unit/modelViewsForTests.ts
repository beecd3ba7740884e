// What the host sends the webview for each model (src/common/modelWords.ts modelViews, with the English words), built
// here without \`vscode\` so plain-Node tests can shape requests as media/ does.
import type { ModelDefinition } from '../../src/core/models/options';
import { MODELS } from '../../src/core/models/registry';
import type { FormChoices, ModelView, OptionView } from '../../src/common/protocol';

export function englishModelView(model: ModelDefinition): ModelView {
  return {
    slug: model.slug,
    displayName: model.displayName,
    goodAt: model.goodAt,
    options: model.options.map((option): OptionView => {
      const { words, ...descriptor } = option;
      const result: OptionView = { ...descriptor, label: words.label };
      if (option.kind === 'enum') {
        delete (result as { sizeOf?: unknown }).sizeOf;
        result.choiceViews = option.choices.map((value) => ({
          value,
          title: value,
          ...(option.sizeOf ? { ...option.sizeOf(value), aspect: '1:1' } : {}),
        }));
      }
      return result;
    }),
  };
}

export const englishFormChoices: FormChoices = {
  models: MODELS.map(englishModelView),
  palettePresets: ['EMBER'],
  maxPaletteMembers: 8,
  colorWeight: { min: 0.05, max: 1 },
  maxVariations: 4,
};

/** A request of `model` with every enum, integer and boolean option set, the value picked by `pick`. */
export function sampleRequest(model: ModelDefinition, pick: number): Record<string, unknown> {
  const input: Record<string, unknown> = { model: model.slug, prompt: 'A sign that says "Open"' };
  for (const option of model.options) {
    if (option.kind === 'enum') input[option.name] = option.choices[pick % option.choices.length];
    if (option.kind === 'integer') input[option.name] = option.min + (pick % (option.max - option.min + 1));
    if (option.kind === 'boolean') input[option.name] = pick % 2 === 0;
  }
  return input;
}
