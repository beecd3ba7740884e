// The sidebar form's data (media/formModel.ts) across models: a request of each model into the form and back, and
// another model picked in the form keeping what means the same and listing what it left out.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { defaultForm, formForModel, formFromRequest, migratedForm, requestInput } from '../../media/formModel';
import { MODELS, modelBySlug } from '../../src/core/models/registry';
import { validateRequest } from '../../src/core/request';
import type { FormChoices, ModelView } from '../../src/common/protocol';
import { englishFormChoices, sampleRequest } from './modelViewsForTests';

const choices: FormChoices = englishFormChoices;
const defaults = { model: 'ideogram-txt-2-img', byModel: {} };

describe('the sidebar form across models (media/formModel.ts)', () => {
  it("a fresh form is the default model's, and its request validates as that model's", () => {
    const form = { ...defaultForm(defaults, choices), prompt: 'A lighthouse' };
    const input = requestInput(form, choices);
    assert.equal(input.model, 'ideogram-txt-2-img');
    assert.ok(validateRequest(input).ok);
  });

  it("a fresh form takes its model and options from the host's snapshot (the settings, the descriptors), having none of its own", () => {
    const form = defaultForm(
      { model: 'ideogram-txt-2-img', byModel: { 'ideogram-txt-2-img': { style_type: 'ANIME' } } },
      choices,
    );
    assert.equal(form.model, 'ideogram-txt-2-img');
    assert.equal(form.values.style_type, 'ANIME');
    assert.equal(form.values.magic_prompt_option, 'AUTO');
    // An option the settings leave alone starts at the default the host's descriptor names, whatever that is.
    const hostSaysOff: FormChoices = {
      ...choices,
      models: choices.models.map((model) => ({
        ...model,
        options: model.options.map((option) =>
          option.name === 'magic_prompt_option' && option.kind === 'enum' ? { ...option, default: 'OFF' } : option,
        ),
      })),
    };
    assert.equal(defaultForm(defaults, hostSaysOff).values.magic_prompt_option, 'OFF');
    const third = defaultForm({ model: 'ideogram-3', byModel: {} }, choices);
    assert.equal(third.model, 'ideogram-3');
  });

  it('property: any valid request of any model goes into the form and comes back the same', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), fc.nat(), (model, pick) => {
        const input = sampleRequest(model, pick);
        const validated = validateRequest(input);
        assert.ok(validated.ok);
        const form = formFromRequest(validated.request, undefined, defaultForm(defaults, choices), choices);
        assert.deepEqual(validateRequest(requestInput(form, choices)), validated);
      }),
      { numRuns: 200 },
    );
  });

  it('picking Ideogram 3.0 keeps the prompt, seed, style, magic prompt and size, drops the palette, and says so', () => {
    const v2 = validateRequest({
      prompt: 'Cat',
      style_type: 'REALISTIC',
      magic_prompt_option: 'OFF',
      resolution: 'RESOLUTION_1024_1024',
      seed: 4242,
      color_palette: { name: 'EMBER' },
    });
    assert.ok(v2.ok);
    const form = formFromRequest(v2.request, undefined, defaultForm(defaults, choices), choices);
    const target = choices.models.find((model) => model.slug === 'ideogram-3') as ModelView;
    const { form: switched, dropped } = formForModel(form, target, choices, {});
    assert.deepEqual(
      dropped.map((item) => item.name),
      ['color_palette'],
    );
    assert.deepEqual(requestInput(switched, choices), {
      model: 'ideogram-3',
      prompt: 'Cat',
      rendering_speed: 'DEFAULT',
      style_type: 'REALISTIC',
      magic_prompt: 'OFF',
      resolution: '1024x1024',
      seed: 4242,
    });
  });

  it('picking a model whose seeds start at 100 drops a smaller seed instead of sending one it refuses', () => {
    const form = { ...defaultForm(defaults, choices), prompt: 'Cat', seed: '5' };
    const { form: switched, dropped } = formForModel(
      form,
      choices.models.find((model) => model.slug === 'ideogram-2a-txt-2-img') as ModelView,
      choices,
      {},
    );
    assert.deepEqual(
      dropped.map((item) => item.name),
      ['seed'],
    );
    assert.equal(switched.seed, '');
    assert.ok(validateRequest(requestInput(switched, choices)).ok);
  });

  it("a form remembered by the version before models keeps everything typed, as the default model's", () => {
    const old = {
      prompt: 'Draft',
      negativePrompt: 'fog',
      magic: 'OFF',
      style: 'DESIGN',
      resolution: 'RESOLUTION_1280_720',
      seed: '7',
      seedLocked: false,
      paletteMode: 'none',
      preset: 'EMBER',
      members: [],
    };
    const form = migratedForm(old);
    assert.ok(form);
    assert.deepEqual(requestInput(form, choices), {
      model: 'ideogram-txt-2-img',
      prompt: 'Draft',
      negative_prompt: 'fog',
      magic_prompt_option: 'OFF',
      style_type: 'DESIGN',
      resolution: 'RESOLUTION_1280_720',
      seed: 7,
    });
    assert.equal(
      modelBySlug(form.model),
      undefined,
      'no model named: the form takes the first (the default) when it is built',
    );
  });
});
