// The generation form: a model picker, then exactly that model's options as its descriptors describe them
// (src/core/models, sent by the host as ModelView), validated live with the model's schema (run by the host: the
// webview carries no copy of the rules, and no zod).
import type { PalettePreset } from '../src/core/request';
import {
  describeEstimate,
  estimateCost,
  type ChoiceView,
  type CostsView,
  type FieldProblem,
  type FormChoices,
  type FormDefaults,
  type ModelView,
  type OptionView,
} from '../src/common/protocol';
import { h, replaceChildren, uniqueId } from './dom';
import {
  aspectGroups,
  formForModel,
  generalOptions,
  modelOf,
  PRESET_SWATCHES,
  problemMap,
  requestInput,
  type AspectGroup,
  type FieldProblems,
  type FormState,
  type PaletteMode,
  type SizeChoice,
} from './formModel';
import { icon } from './icons';
import { fill, words } from './strings';

/** Preset names are Ideogram's (EMBER → Ember), not translated. */
const titleCase = (word: string) => word.charAt(0) + word.slice(1).toLowerCase();

export interface FormCallbacks {
  onChange(state: FormState): void;
  /** Runs the request schema on the form's request body. */
  validate(input: Record<string, unknown>): Promise<FieldProblem[]>;
  /** Called with the valid request body, or with the problems when there are some. */
  onSubmit(result: { ok: true; input: Record<string, unknown> } | { ok: false; problems: FieldProblems }): void;
}

/** A labelled field with a slot for its error message (announced, and linked with aria-describedby). */
interface Field {
  wrapper: HTMLElement;
  error: HTMLElement;
  controls: Array<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>;
}

export class FormView {
  readonly element: HTMLFormElement;
  #state: FormState;
  #lastSeed: number | undefined;
  #showAll = false;
  readonly #touched = new Set<string>();
  readonly #fields = new Map<string, Field>();
  readonly #maxMembers: number;
  #validation = 0;

  readonly #model: HTMLSelectElement;
  readonly #modelHint: HTMLElement;
  readonly #dropped: HTMLElement;
  readonly #prompt: HTMLTextAreaElement;
  /** The fields of the model's options (rebuilt when another model is picked), and how each shows the state. */
  readonly #optionFields: HTMLElement;
  #syncOptions: Array<() => void> = [];
  /** Each option field's own sync, by option name. */
  readonly #syncOption = new Map<string, () => void>();
  readonly #paletteField: HTMLElement;
  readonly #seed: HTMLInputElement;
  readonly #seedLock: HTMLButtonElement;
  readonly #seedHint: HTMLElement;
  readonly #paletteModes: HTMLInputElement[];
  readonly #presetPanel: HTMLElement;
  readonly #presets: HTMLInputElement[];
  readonly #customPanel: HTMLElement;
  readonly #memberList: HTMLElement;
  readonly #addMember: HTMLButtonElement;
  readonly #memberCount: HTMLElement;
  readonly #summary: HTMLElement;
  readonly #options: HTMLDetailsElement;
  readonly #optionsSummary: HTMLElement;
  readonly #generate: HTMLButtonElement;
  readonly #generateLabel: HTMLElement;
  readonly #count: HTMLSelectElement;
  readonly #cost: HTMLElement;
  #costs: CostsView | undefined;

  readonly #choices: FormChoices;
  readonly #defaults: FormDefaults | undefined;
  readonly #callbacks: FormCallbacks;
  constructor(
    state: FormState,
    choices: FormChoices,
    callbacks: FormCallbacks,
    isMac: boolean,
    defaults?: FormDefaults,
  ) {
    this.#choices = choices;
    this.#defaults = defaults;
    this.#callbacks = callbacks;
    this.#state = structuredClone(state);
    this.#state.model = modelOf(choices, this.#state.model).slug;
    this.#maxMembers = choices.maxPaletteMembers;

    const modelId = uniqueId('model');
    this.#modelHint = h('p', { class: 'hint', id: uniqueId('model-hint') });
    this.#model = h(
      'select',
      { id: modelId, 'aria-describedby': this.#modelHint.id },
      ...choices.models.map((model) => h('option', { value: model.slug }, model.displayName)),
    );
    this.#dropped = h('p', { class: 'hint dropped-options', 'aria-live': 'polite', hidden: true });
    this.#optionFields = h('div', { class: 'option-fields' });

    const promptId = uniqueId('prompt');
    this.#prompt = h('textarea', {
      id: promptId,
      rows: 4,
      placeholder: words.promptPlaceholder,
      spellcheck: 'true',
      'aria-keyshortcuts': isMac ? 'Meta+Enter' : 'Control+Enter',
    });
    const seedId = uniqueId('seed');
    this.#seedHint = h('p', { class: 'hint', id: uniqueId('seed-hint') });
    this.#seed = h('input', {
      id: seedId,
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'off',
      placeholder: words.seedPlaceholder,
      'aria-describedby': this.#seedHint.id,
    });
    this.#seedLock = h('button', { type: 'button', class: 'icon-button', 'aria-pressed': 'false' });

    const paletteName = uniqueId('palette-mode');
    this.#paletteModes = (['none', 'preset', 'custom'] as const).map((mode) =>
      h('input', { type: 'radio', name: paletteName, value: mode, id: `${paletteName}-${mode}` }),
    );
    const presetName = uniqueId('preset');
    this.#presets = choices.palettePresets.map((preset) =>
      h('input', {
        type: 'radio',
        name: presetName,
        value: preset,
        id: `${presetName}-${preset}`,
        class: 'visually-hidden',
      }),
    );
    this.#presetPanel = h(
      'div',
      { class: 'swatches', role: 'radiogroup', 'aria-label': words.presetPalette },
      ...choices.palettePresets.map((preset, index) =>
        h(
          'div',
          { class: 'swatch' },
          this.#presets[index],
          h(
            'label',
            { for: this.#presets[index].id, title: fill(words.presetTitle, titleCase(preset)) },
            h(
              'span',
              { class: 'swatch-colors', 'aria-hidden': 'true' },
              ...(PRESET_SWATCHES[preset] ?? ['#888888']).map((color) => colorChip(color)),
            ),
            h('span', { class: 'swatch-name' }, titleCase(preset)),
          ),
        ),
      ),
    );
    this.#memberList = h('ol', { class: 'members', 'aria-label': words.customColours });
    this.#addMember = h(
      'button',
      { type: 'button', class: 'secondary small', onclick: () => this.#addPaletteMember() },
      icon('add'),
      words.addColour,
    );
    this.#memberCount = h('span', { class: 'hint', 'aria-live': 'polite' });
    this.#customPanel = h(
      'div',
      { class: 'custom-palette' },
      this.#memberList,
      h('div', { class: 'row spread' }, this.#addMember, this.#memberCount),
    );

    this.#summary = h('div', { class: 'form-summary', role: 'alert' });
    this.#generateLabel = h('span', { class: 'button-label' }, words.generate);
    this.#generate = h(
      'button',
      { type: 'submit', class: 'primary wide generate', 'aria-describedby': uniqueId('cost') },
      icon('sparkle'),
      this.#generateLabel,
    );
    this.#cost = h('p', {
      class: 'cost-line hint',
      id: this.#generate.getAttribute('aria-describedby') ?? undefined,
      'aria-live': 'polite',
    });
    const countId = uniqueId('count');
    this.#count = h(
      'select',
      { id: countId, class: 'variations-count', title: words.imageCountTitle },
      ...Array.from({ length: choices.maxVariations }, (_, index) => index + 1).map((count) =>
        h('option', { value: String(count) }, count === 1 ? words.oneImage : fill(words.variations, count)),
      ),
    );

    const promptField = this.#field('prompt', words.prompt, promptId, [this.#prompt]);
    const shortcutHint = h(
      'span',
      { class: 'kbd-hint', 'aria-hidden': 'true' },
      h('kbd', {}, isMac ? '⌘' : words.ctrlKey),
      h('kbd', {}, words.enterKey),
    );
    promptField.wrapper.querySelector('.label-row')?.appendChild(shortcutHint);

    this.#optionsSummary = h('span', { class: 'options-summary' });
    this.#paletteField = this.#group(
      'color_palette',
      words.palette,
      h(
        'div',
        {},
        h(
          'div',
          { class: 'segmented', role: 'radiogroup', 'aria-label': words.palette },
          ...this.#paletteModes.map((input) =>
            h(
              'span',
              { class: 'segment' },
              input,
              h('label', { for: input.id }, words.paletteModes[input.value as PaletteMode]),
            ),
          ),
        ),
        this.#presetPanel,
        this.#customPanel,
      ),
      [...this.#paletteModes],
    ).wrapper;
    this.#options = h(
      'details',
      { class: 'options', open: state.optionsOpen !== false },
      h('summary', {}, h('span', { class: 'options-title' }, words.options), this.#optionsSummary),
      this.#optionFields,
      this.#seedField(seedId),
      this.#paletteField,
    );
    this.#options.addEventListener('toggle', () => {
      this.#state.optionsOpen = this.#options.open;
      this.#callbacks.onChange(this.state);
    });

    const modelField = h(
      'div',
      { class: 'field model-field' },
      h('div', { class: 'label-row' }, h('label', { for: modelId }, words.model)),
      this.#model,
      this.#modelHint,
      this.#dropped,
    );
    this.element = h(
      'form',
      { class: 'generator-form', novalidate: true, 'aria-label': words.form },
      modelField,
      promptField.wrapper,
      this.#options,
      this.#summary,
      h(
        'div',
        { class: 'generate-row' },
        h('label', { for: countId, class: 'visually-hidden' }, words.imageCount),
        this.#count,
        this.#generate,
      ),
      this.#cost,
    );
    this.#bind();
    this.#renderModelOptions();
    this.#syncControls();
    void this.#validate();
  }

  get #modelView(): ModelView {
    return modelOf(this.#choices, this.#state.model);
  }

  get state(): FormState {
    return structuredClone(this.#state);
  }

  /** Replaces everything (defaults, remix). */
  setState(state: FormState): void {
    this.#state = structuredClone(state);
    this.#state.model = modelOf(this.#choices, this.#state.model).slug;
    this.#touched.clear();
    this.#showAll = false;
    this.#dropped.hidden = true;
    this.#renderModelOptions();
    this.#syncControls();
    void this.#validate();
  }

  /** The seed of the last image, for the lock. */
  setLastSeed(seed: number | undefined): void {
    this.#lastSeed = seed;
    if (this.#state.seedLocked && seed !== undefined) {
      this.#state.seed = String(seed);
      this.#seed.value = this.#state.seed;
      this.#changed();
    }
    this.#syncSeed();
  }

  /** The prices known so far: the cost line under Generate follows the form's options and count. */
  setCosts(costs: CostsView): void {
    this.#costs = costs;
    this.#syncCost();
  }

  /** How many images Generate makes (variations). */
  get count(): number {
    return this.#state.count ?? 1;
  }

  focusPrompt(): void {
    this.#prompt.focus();
  }

  /** Tries to generate: valid → onSubmit; invalid → every problem shown and the first field focused. */
  async submit(): Promise<void> {
    const input = requestInput(this.#state, this.#choices);
    const problems = await this.#validate();
    if (!problems) return; // the host did not answer; nothing is lost, the user can press again
    if (problems.size > 0) {
      this.#showAll = true;
      this.#renderProblems(problems);
      const first = [...this.#fields.entries()].find(([key]) =>
        [...problems.keys()].some((problem) => problem === key || problem.startsWith(`${key}.`)),
      );
      first?.[1].controls.find((control) => !control.disabled && control.offsetParent !== null)?.focus();
      this.#callbacks.onSubmit({ ok: false, problems });
      return;
    }
    this.#callbacks.onSubmit({ ok: true, input });
  }

  // ---- building ---------------------------------------------------------------------------------------

  #field(key: string, label: string, controlId: string, controls: Field['controls']): Field {
    const error = h('p', { class: 'field-error', id: uniqueId('error'), hidden: true });
    const wrapper = h(
      'div',
      { class: 'field' },
      h('div', { class: 'label-row' }, h('label', { for: controlId }, label)),
      ...controls,
      error,
    );
    const field = { wrapper, error, controls };
    this.#fields.set(key, field);
    return field;
  }

  /** A labelled group of several controls (radio groups, palette). */
  #group(key: string, label: string, body: HTMLElement, controls: Field['controls']): Field {
    const error = h('p', { class: 'field-error', id: uniqueId('error'), hidden: true });
    const labelId = uniqueId('group-label');
    const wrapper = h(
      'div',
      { class: 'field', role: 'group', 'aria-labelledby': labelId },
      h('div', { class: 'label-row' }, h('span', { class: 'label', id: labelId }, label)),
      body,
      error,
    );
    const field = { wrapper, error, controls };
    this.#fields.set(key, field);
    return field;
  }

  /** Builds the fields of the model's options, in the order the model declares them; each keeps itself in sync. */
  #renderModelOptions(): void {
    for (const option of this.#choices.models.flatMap((model) => generalOptions(model)))
      this.#fields.delete(option.name);
    this.#syncOptions = [];
    this.#syncOption.clear();
    replaceChildren(this.#optionFields, ...generalOptions(this.#modelView).map((option) => this.#optionField(option)));
    this.#paletteField.hidden = !this.#modelView.options.some((option) => option.concept === 'palette');
  }

  #optionField(option: OptionView): HTMLElement {
    // The field shows the new value at once (a speed's meaning, the sizes of a shape), then the form follows.
    const changed = (value: string | boolean) => {
      this.#state.values[option.name] = value;
      this.#syncOption.get(option.name)?.();
      this.#touched.add(option.name);
      this.#changed();
    };
    const controlId = uniqueId(option.name);
    const hint = h('p', { class: 'hint', id: uniqueId('hint'), hidden: !option.hint });
    hint.textContent = option.hint ?? '';
    const sizes =
      option.kind === 'enum'
        ? (option.choiceViews ?? []).filter(
            (choice): choice is SizeChoice => choice.exact === true && choice.aspect !== undefined,
          )
        : [];
    if (option.kind === 'enum' && option.concept === 'size' && sizes.length > 0)
      return this.#sizeField(option, sizes, changed);
    if (option.kind === 'text') {
      const area = h('textarea', { id: controlId, rows: 2, placeholder: option.hint ?? '' });
      area.addEventListener('input', () => changed(area.value));
      this.#addSync(option.name, () => {
        area.value = String(this.#state.values[option.name] ?? '');
      });
      return this.#field(option.name, option.label, controlId, [area]).wrapper;
    }
    if (option.kind === 'boolean') {
      const box = h('input', { type: 'checkbox', id: controlId, 'aria-describedby': hint.id });
      box.addEventListener('change', () => changed(box.checked));
      this.#addSync(option.name, () => {
        box.checked = this.#state.values[option.name] === true;
      });
      const field = this.#field(option.name, option.label, controlId, [box]);
      field.wrapper.classList.add('checkbox-field');
      field.wrapper.appendChild(hint);
      return field.wrapper;
    }
    if (option.kind === 'integer') {
      const number = h('input', {
        id: controlId,
        type: 'text',
        inputmode: 'numeric',
        autocomplete: 'off',
        'aria-describedby': hint.id,
        placeholder: `${option.min}–${option.max}`,
      });
      number.addEventListener('input', () => changed(number.value));
      this.#addSync(option.name, () => {
        number.value = String(this.#state.values[option.name] ?? '');
      });
      const field = this.#field(option.name, option.label, controlId, [number]);
      field.wrapper.appendChild(hint);
      return field.wrapper;
    }
    const choices = option.kind === 'enum' ? (option.choiceViews ?? []) : [];
    if (choices.length <= 4) {
      // A few choices side by side; what the chosen one means underneath.
      const name = uniqueId(option.name);
      const radios = choices.map((choice) =>
        h('input', { type: 'radio', name, value: choice.value, id: `${name}-${choice.value}` }),
      );
      for (const radio of radios)
        radio.addEventListener('change', () => {
          if (radio.checked) changed(radio.value);
        });
      this.#addSync(option.name, () => {
        const value = this.#state.values[option.name];
        for (const radio of radios) radio.checked = radio.value === value;
        hint.textContent = meaningOf(choices.find((choice) => choice.value === value)) ?? option.hint ?? '';
        hint.hidden = hint.textContent === '';
      });
      return this.#group(
        option.name,
        option.label,
        h(
          'div',
          {},
          h(
            'div',
            { class: 'segmented', role: 'radiogroup', 'aria-describedby': hint.id },
            ...radios.map((radio, index) =>
              h(
                'span',
                { class: 'segment' },
                radio,
                h('label', { for: radio.id, title: choices[index].description ?? '' }, choices[index].title),
              ),
            ),
          ),
          hint,
        ),
        radios,
      ).wrapper;
    }
    const select = h(
      'select',
      { id: controlId, 'aria-describedby': hint.id },
      ...choices.map((choice) => h('option', { value: choice.value, title: choice.description ?? '' }, choice.title)),
    );
    select.addEventListener('change', () => changed(select.value));
    this.#addSync(option.name, () => {
      select.value = String(this.#state.values[option.name] ?? '');
      hint.textContent = meaningOf(choices.find((choice) => choice.value === select.value)) ?? option.hint ?? '';
      hint.hidden = hint.textContent === '';
    });
    const field = this.#field(option.name, option.label, controlId, [select]);
    field.wrapper.appendChild(hint);
    return field.wrapper;
  }

  /** Pixel sizes: pick the shape, then the size; a box shows the shape. */
  #sizeField(option: OptionView, sizes: SizeChoice[], changed: (value: string) => void): HTMLElement {
    const groups: AspectGroup[] = aspectGroups(sizes);
    const aspectId = uniqueId('aspect');
    const sizeId = uniqueId('size');
    const aspect = h(
      'select',
      { id: aspectId },
      ...groups.map((group) =>
        h(
          'option',
          { value: group.label },
          fill(group.ratio === 1 ? words.square : group.ratio < 1 ? words.portrait : words.landscape, group.label),
        ),
      ),
    );
    const size = h('select', { id: sizeId });
    const shape = h('span', { class: 'shape-box' });
    const caption = h('span', { class: 'shape-caption' });
    const labelId = uniqueId('resolution-label');
    const error = h('p', { class: 'field-error', id: uniqueId('error'), hidden: true });
    const wrapper = h(
      'div',
      { class: 'field', role: 'group', 'aria-labelledby': labelId },
      h('div', { class: 'label-row' }, h('span', { class: 'label', id: labelId }, option.label)),
      h(
        'div',
        { class: 'grid-2' },
        h('div', { class: 'sub-field' }, h('label', { for: aspectId, class: 'sub-label' }, words.aspectRatio), aspect),
        h('div', { class: 'sub-field' }, h('label', { for: sizeId, class: 'sub-label' }, words.size), size),
      ),
      h('div', { class: 'shape-row' }, h('span', { class: 'shape', 'aria-hidden': 'true' }, shape), caption),
      error,
    );
    this.#fields.set(option.name, { wrapper, error, controls: [aspect, size] });
    aspect.addEventListener('change', () => {
      const group = groups.find((candidate) => candidate.label === aspect.value) ?? groups[0];
      changed(group.resolutions[0].value);
    });
    size.addEventListener('change', () => changed(size.value));
    this.#addSync(option.name, () => {
      const value = this.#state.values[option.name];
      const group =
        groups.find((candidate) => candidate.resolutions.some((resolution) => resolution.value === value)) ?? groups[0];
      aspect.value = group.label;
      replaceChildren(
        size,
        ...group.resolutions.map((resolution) =>
          h('option', { value: resolution.value }, `${resolution.width} × ${resolution.height}`),
        ),
      );
      size.value = String(value);
      size.disabled = group.resolutions.length === 1;
      const chosen = group.resolutions.find((resolution) => resolution.value === value) ?? group.resolutions[0];
      // CSSOM, not a style attribute: the CSP allows no inline styles.
      const longest = Math.max(chosen.width, chosen.height);
      shape.style.width = `${Math.round((chosen.width / longest) * 100)}%`;
      shape.style.height = `${Math.round((chosen.height / longest) * 100)}%`;
      const megapixels = (chosen.width * chosen.height) / 1_000_000;
      caption.textContent = `${chosen.width} × ${chosen.height} px · ${chosen.aspect} · ${megapixels.toFixed(2)} MP`;
    });
    return wrapper;
  }

  #addSync(name: string, sync: () => void): void {
    this.#syncOptions.push(sync);
    this.#syncOption.set(name, sync);
  }

  /** Another model: the options that mean the same come along, the rest are listed under the picker. */
  #switchModel(slug: string): void {
    if (slug === this.#state.model) return;
    const target = modelOf(this.#choices, slug);
    const { form, dropped } = formForModel(
      this.#state,
      target,
      this.#choices,
      this.#defaults?.byModel[target.slug] ?? {},
    );
    this.#state = form;
    this.#dropped.hidden = dropped.length === 0;
    this.#dropped.textContent =
      dropped.length === 0
        ? ''
        : fill(
            words.droppedOptions,
            target.displayName,
            dropped
              .map(
                (item) =>
                  `${item.name} (${typeof item.value === 'object' ? JSON.stringify(item.value) : String(item.value)})`,
              )
              .join(', '),
          );
    this.#renderModelOptions();
    this.#syncControls();
    this.#changed();
  }

  #seedField(seedId: string): HTMLElement {
    const field = this.#field('seed', words.seed, seedId, []);
    field.controls.push(this.#seed);
    field.wrapper.insertBefore(h('div', { class: 'input-with-button' }, this.#seed, this.#seedLock), field.error);
    field.wrapper.appendChild(this.#seedHint);
    return field.wrapper;
  }

  #bind(): void {
    const on = (element: HTMLElement, type: string, key: string, update: () => void) =>
      element.addEventListener(type, () => {
        update();
        this.#touched.add(key);
        this.#changed();
      });
    on(this.#prompt, 'input', 'prompt', () => {
      this.#state.prompt = this.#prompt.value;
    });
    this.#count.addEventListener('change', () => {
      this.#state.count = Number(this.#count.value);
      this.#changed();
    });
    this.#model.addEventListener('change', () => this.#switchModel(this.#model.value));
    on(this.#seed, 'input', 'seed', () => {
      this.#state.seed = this.#seed.value;
      // Typing another seed releases the lock: it no longer reuses the last one.
      if (this.#state.seedLocked && this.#seed.value !== String(this.#lastSeed ?? '')) this.#state.seedLocked = false;
      this.#syncSeed();
    });
    this.#seedLock.addEventListener('click', () => {
      this.#state.seedLocked = !this.#state.seedLocked;
      if (this.#state.seedLocked && this.#lastSeed !== undefined) this.#state.seed = String(this.#lastSeed);
      else if (!this.#state.seedLocked && this.#state.seed === String(this.#lastSeed ?? '')) this.#state.seed = '';
      this.#seed.value = this.#state.seed;
      this.#touched.add('seed');
      this.#syncSeed();
      this.#changed();
    });
    for (const input of this.#paletteModes) {
      on(input, 'change', 'color_palette', () => {
        this.#state.paletteMode = input.value as PaletteMode;
        this.#syncPalette();
      });
    }
    for (const input of this.#presets)
      on(input, 'change', 'color_palette', () => {
        this.#state.preset = input.value as PalettePreset;
      });
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.submit();
      }
    });
    this.element.addEventListener('focusout', (event) => {
      const target = event.target as HTMLElement;
      for (const [key, field] of this.#fields) {
        if (field.controls.includes(target as HTMLInputElement) && key !== 'prompt') this.#touched.add(key);
      }
      if (target.dataset.field) this.#touched.add(target.dataset.field);
      void this.#validate();
    });
  }

  // ---- state → controls -------------------------------------------------------------------------------

  #syncCost(): void {
    const count = this.count;
    this.#count.value = String(count);
    this.#generateLabel.textContent = count > 1 ? fill(words.generateImages, count) : words.generate;
    if (!this.#costs) {
      this.#cost.textContent = '';
      return;
    }
    const pricing = this.#costs.pricings.find((each) => each.slug === this.#state.model);
    this.#cost.textContent = describeEstimate(
      estimateCost(this.#costs.book, pricing, requestInput(this.#state, this.#choices), count),
      words.estimate,
    );
  }

  #syncControls(): void {
    const state = this.#state;
    this.#syncCost();
    this.#model.value = state.model;
    this.#modelHint.textContent = this.#modelView.goodAt;
    this.#prompt.value = state.prompt;
    for (const sync of this.#syncOptions) sync();
    this.#seed.value = state.seed;
    this.#syncSeed();
    for (const input of this.#presets) input.checked = input.value === state.preset;
    this.#syncPalette();
    this.#options.open = state.optionsOpen !== false;
    this.#syncOptionsSummary();
  }

  /** The collapsed Options line says what is chosen: "Ideogram 3.0 · Quality · 1344 × 768 · random seed". */
  #syncOptionsSummary(): void {
    const state = this.#state;
    const model = this.#modelView;
    const values = generalOptions(model).map((option) => {
      const value = state.values[option.name];
      if (option.kind === 'enum') {
        const choice = option.choiceViews?.find((each) => each.value === value);
        return choice?.exact ? `${choice.width} × ${choice.height}` : (choice?.title ?? '');
      }
      if (option.kind === 'boolean') return `${option.label} ${value === true ? words.on : words.off}`.toLowerCase();
      return '';
    });
    const parts = [
      model.displayName,
      ...values,
      state.seed.trim() ? fill(words.seedValue, state.seed.trim()) : words.randomSeed,
      this.#paletteField.hidden
        ? ''
        : state.paletteMode === 'preset'
          ? titleCase(state.preset)
          : state.paletteMode === 'custom'
            ? state.members.length === 1
              ? words.oneColour
              : fill(words.colours, state.members.length)
            : '',
    ];
    this.#optionsSummary.textContent = parts.filter(Boolean).join(' · ');
  }

  #syncSeed(): void {
    const locked = this.#state.seedLocked;
    this.#seedLock.setAttribute('aria-pressed', String(locked));
    this.#seedLock.replaceChildren(icon(locked ? 'lock' : 'unlock'));
    const canLock = this.#lastSeed !== undefined;
    this.#seedLock.disabled = !canLock && !locked;
    const label = locked ? words.reusingSeed : words.reuseSeed;
    this.#seedLock.setAttribute('aria-label', label);
    this.#seedLock.title = canLock ? `${label}: ${this.#lastSeed}` : words.seedLockFirst;
    this.#seedHint.textContent = locked
      ? fill(words.seedLocked, this.#lastSeed ?? this.#state.seed)
      : this.#state.seed.trim() === ''
        ? words.seedEmpty
        : words.seedSame;
  }

  #syncPalette(): void {
    const mode = this.#state.paletteMode;
    for (const input of this.#paletteModes) input.checked = input.value === mode;
    this.#presetPanel.hidden = mode !== 'preset';
    this.#customPanel.hidden = mode !== 'custom';
    this.#renderMembers();
  }

  #renderMembers(): void {
    const members = this.#state.members;
    for (const key of [...this.#fields.keys()]) if (key.startsWith('color_palette.members.')) this.#fields.delete(key);
    replaceChildren(
      this.#memberList,
      ...members.map((member, index) => this.#memberRow(member.hex, member.weight, index)),
    );
    this.#addMember.disabled = members.length >= this.#maxMembers;
    this.#memberCount.textContent = fill(words.colourCount, members.length, this.#maxMembers);
  }

  #memberRow(hex: string, weight: string, index: number): HTMLElement {
    const key = `color_palette.members.${index}`;
    const number = index + 1;
    const picker = h('input', {
      type: 'color',
      class: 'color-picker',
      'aria-label': fill(words.colour, number),
      value: normalizedHex(hex) ?? '#000000',
      'data-field': `${key}.color_hex`,
    });
    const hexInput = h('input', {
      type: 'text',
      class: 'hex',
      value: hex,
      'aria-label': fill(words.colourHex, number),
      spellcheck: 'false',
      autocomplete: 'off',
      maxlength: 7,
      'data-field': `${key}.color_hex`,
    });
    const weightInput = h('input', {
      type: 'number',
      class: 'weight',
      value: weight,
      min: this.#choices.colorWeight.min,
      max: this.#choices.colorWeight.max,
      step: 0.05,
      placeholder: words.weightPlaceholder,
      'aria-label': fill(words.colourWeight, number, this.#choices.colorWeight.min, this.#choices.colorWeight.max),
      title: fill(words.weightTitle, this.#choices.colorWeight.min, this.#choices.colorWeight.max),
      'data-field': `${key}.color_weight`,
    });
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'icon-button',
        'aria-label': fill(words.removeColourNumber, number),
        title: words.removeColour,
        disabled: this.#state.members.length <= 1,
        onclick: () => {
          this.#state.members.splice(index, 1);
          this.#renderMembers();
          this.#changed();
          this.#memberList
            .querySelector<HTMLElement>(`li:nth-child(${Math.min(index + 1, this.#state.members.length)}) .hex`)
            ?.focus();
        },
      },
      icon('close'),
    );
    picker.addEventListener('input', () => {
      this.#state.members[index].hex = picker.value;
      hexInput.value = picker.value;
      this.#touched.add(`${key}.color_hex`);
      this.#changed();
    });
    hexInput.addEventListener('input', () => {
      this.#state.members[index].hex = hexInput.value;
      const valid = normalizedHex(hexInput.value);
      if (valid) picker.value = valid;
      this.#touched.add(`${key}.color_hex`);
      this.#changed();
    });
    weightInput.addEventListener('input', () => {
      this.#state.members[index].weight = weightInput.value;
      this.#touched.add(`${key}.color_weight`);
      this.#changed();
    });
    const hexError = h('p', { class: 'field-error', id: uniqueId('error'), hidden: true });
    const weightError = h('p', { class: 'field-error', id: uniqueId('error'), hidden: true });
    this.#fields.set(`${key}.color_hex`, { wrapper: hexInput, error: hexError, controls: [hexInput] });
    this.#fields.set(`${key}.color_weight`, { wrapper: weightInput, error: weightError, controls: [weightInput] });
    return h(
      'li',
      { class: 'member' },
      h('div', { class: 'member-row' }, picker, hexInput, weightInput, remove),
      hexError,
      weightError,
    );
  }

  #addPaletteMember(): void {
    if (this.#state.members.length >= this.#maxMembers) return;
    const last = this.#state.members[this.#state.members.length - 1];
    this.#state.members.push({ hex: last ? rotateHue(last.hex) : '#1e90ff', weight: '' });
    this.#renderMembers();
    this.#changed();
    this.#memberList.querySelector<HTMLElement>('li:last-child .hex')?.focus();
  }

  // ---- validation -------------------------------------------------------------------------------------

  #changed(): void {
    this.#syncOptionsSummary();
    this.#syncCost();
    void this.#validate();
    this.#callbacks.onChange(this.state);
  }

  /** Asks the host to run the schema; only the newest answer is shown. Undefined when there was no answer. */
  async #validate(): Promise<FieldProblems | undefined> {
    const ticket = ++this.#validation;
    let problems: FieldProblems;
    try {
      problems = problemMap(await this.#callbacks.validate(requestInput(this.#state, this.#choices)));
    } catch {
      return undefined;
    }
    if (ticket === this.#validation) this.#renderProblems(problems);
    return problems;
  }

  #renderProblems(problems: FieldProblems): void {
    const visible = (key: string) => this.#showAll || this.#touched.has(key);
    const unplaced: string[] = [];
    const placed = new Set<string>();
    for (const [key, message] of problems) {
      const field =
        this.#fields.get(key) ?? (key.startsWith('color_palette') ? this.#fields.get('color_palette') : undefined);
      if (!field) {
        if (visible(key)) unplaced.push(message);
        continue;
      }
      const fieldKey = [...this.#fields.entries()].find(([, candidate]) => candidate === field)?.[0] ?? key;
      if (placed.has(fieldKey)) continue;
      placed.add(fieldKey);
      const shown = visible(key) || visible(fieldKey);
      setError(field, shown ? message : undefined);
    }
    for (const [key, field] of this.#fields) if (!placed.has(key)) setError(field, undefined);
    this.#summary.hidden = unplaced.length === 0;
    this.#summary.textContent = unplaced.join(' ');
  }
}

/** What a choice means, when its title does not say it already ("JPEG, smaller files" is both). */
function meaningOf(choice: ChoiceView | undefined): string | undefined {
  return choice?.description !== undefined && choice.description !== choice.title ? choice.description : undefined;
}

function setError(field: Field, message: string | undefined): void {
  field.error.hidden = message === undefined;
  field.error.textContent = message ?? '';
  for (const control of field.controls) {
    if (message === undefined) {
      control.removeAttribute('aria-invalid');
      removeDescribedBy(control, field.error.id);
    } else {
      control.setAttribute('aria-invalid', 'true');
      addDescribedBy(control, field.error.id);
    }
  }
}

function addDescribedBy(element: Element, id: string): void {
  const ids = new Set((element.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  ids.add(id);
  element.setAttribute('aria-describedby', [...ids].join(' '));
}

function removeDescribedBy(element: Element, id: string): void {
  const ids = (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter((candidate) => candidate && candidate !== id);
  if (ids.length) element.setAttribute('aria-describedby', ids.join(' '));
  else element.removeAttribute('aria-describedby');
}

function colorChip(color: string): HTMLElement {
  const chip = h('span', { class: 'chip' });
  chip.style.backgroundColor = color;
  return chip;
}

/** `#abc` → `#aabbcc` (what `<input type=color>` wants); undefined when not a hex colour. */
function normalizedHex(text: string): string | undefined {
  const value = text.trim().replace(/^#?/, '#');
  if (/^#[0-9a-fA-F]{6}$/.test(value)) return value.toLowerCase();
  if (/^#[0-9a-fA-F]{3}$/.test(value)) return `#${[...value.slice(1)].map((c) => c + c).join('')}`.toLowerCase();
  return undefined;
}

/** A pleasant next colour for "Add colour": the previous one turned around the hue circle. */
function rotateHue(hex: string): string {
  const value = normalizedHex(hex);
  if (!value) return '#1e90ff';
  const [r, g, b] = [1, 3, 5].map((start) => parseInt(value.slice(start, start + 2), 16));
  return `#${[b, r, g].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
}
