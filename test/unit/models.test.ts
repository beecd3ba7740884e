// Every model's request schema (built from its descriptors), the conversion of a recipe between models, stored
// requests from before models were offered, and the price tables (src/core/models/, src/core/request.ts, cost.ts).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { emptyCostBook, estimateCost, pricingOf, recordCost } from '../../src/core/cost';
import { GalleryStore } from '../../src/core/galleryStore';
import { convertRequest } from '../../src/core/models/convert';
import { V3_RESOLUTIONS } from '../../src/core/models/ideogramV3Family';
import { V2_RESOLUTIONS } from '../../src/core/models/ideogramV2Family';
import type { EnumOption, IntegerOption, ModelDefinition } from '../../src/core/models/options';
import { convertRequestTo, DEFAULT_MODEL, MODELS, modelBySlug } from '../../src/core/models/registry';
import { segmindBody, validateRequest, type RequestProblem } from '../../src/core/request';
import { sampleRequest } from './modelViewsForTests';

const model = (slug: string): ModelDefinition => modelBySlug(slug) ?? assert.fail(`no model ${slug}`);
const shown = (problems: readonly RequestProblem[]) =>
  problems.map((item) => `${item.path}: ${item.code}${item.keys ? ` ${item.keys.join(',')}` : ''}`);

function accepted(input: unknown) {
  const result = validateRequest(input);
  if (!result.ok)
    assert.fail(`expected ${JSON.stringify(input)} to be accepted, got ${shown(result.problems).join(' | ')}`);
  return result.request;
}

function refused(input: unknown): RequestProblem[] {
  const result = validateRequest(input);
  assert.equal(result.ok, false, `expected ${JSON.stringify(input)} to be refused`);
  return result.ok ? [] : result.problems;
}

describe('models: one declaration each', () => {
  it('ships the five text-to-image models, each slug once, the V2 model first and the default', () => {
    assert.deepEqual(
      MODELS.map((each) => each.slug),
      ['ideogram-txt-2-img', 'ideogram-turbo-txt-2-img', 'ideogram-2a-txt-2-img', 'ideogram-3', 'ideogram-4'],
    );
    assert.equal(DEFAULT_MODEL.slug, 'ideogram-txt-2-img');
    for (const each of MODELS) {
      assert.equal(
        new Set(each.options.map((option) => option.name)).size,
        each.options.length,
        `${each.slug}: an option declared twice`,
      );
      assert.equal(
        new Set(each.options.map((option) => option.concept)).size,
        each.options.length,
        `${each.slug}: two options of one meaning`,
      );
      assert.ok(each.typicalLatencyMs > 1000 && each.typicalLatencyMs < 120_000);
      assert.ok(each.price.perImage > 0);
      const count = each.options.find((option) => option.concept === 'image-count') as IntegerOption | undefined;
      assert.equal(each.maxImagesPerJob, count?.max ?? 1, `${each.slug}: images per job and its count option agree`);
      for (const option of each.options) {
        if (option.kind === 'enum')
          assert.ok(option.choices.includes(option.default), `${each.slug}.${option.name}: default is a choice`);
      }
    }
  });

  it('a request without a model is the V2 model, exactly as before (defaults filled in, model named)', () => {
    const request = accepted({ prompt: 'A lighthouse' });
    assert.deepEqual(request, {
      model: 'ideogram-txt-2-img',
      prompt: 'A lighthouse',
      magic_prompt_option: 'AUTO',
      resolution: 'RESOLUTION_1024_1024',
      style_type: 'GENERAL',
    });
    assert.deepEqual(segmindBody(request), {
      prompt: 'A lighthouse',
      magic_prompt_option: 'AUTO',
      resolution: 'RESOLUTION_1024_1024',
      style_type: 'GENERAL',
    });
  });

  it('an unknown model is a problem with the known slugs, not a guess', () => {
    const problems = refused({ model: 'ideogram-9', prompt: 'x' });
    assert.deepEqual(
      problems.map((item) => [item.code, item.path]),
      [['model-unknown', 'model']],
    );
    assert.deepEqual(
      problems[0].choices,
      MODELS.map((each) => each.slug),
    );
  });

  it('Ideogram 3.0 takes its own dialect: WxH sizes, rendering_speed, magic_prompt; refuses V2 field names and values', () => {
    const request = accepted({
      model: 'ideogram-3',
      prompt: 'Poster',
      rendering_speed: 'QUALITY',
      resolution: '1344x768',
      magic_prompt: 'OFF',
      style_type: 'DESIGN',
    });
    assert.deepEqual(segmindBody(request), {
      prompt: 'Poster',
      rendering_speed: 'QUALITY',
      resolution: '1344x768',
      magic_prompt: 'OFF',
      style_type: 'DESIGN',
    });
    assert.deepEqual(shown(refused({ model: 'ideogram-3', prompt: 'x', resolution: 'RESOLUTION_1024_1024' })), [
      'resolution: resolution-invalid',
    ]);
    assert.deepEqual(shown(refused({ model: 'ideogram-3', prompt: 'x', magic_prompt_option: 'ON' })), [
      ': unknown-options magic_prompt_option',
    ]);
    assert.deepEqual(shown(refused({ model: 'ideogram-3', prompt: 'x', style_type: 'ANIME' })), [
      'style_type: style-invalid',
    ]);
    assert.deepEqual(shown(refused({ model: 'ideogram-3', prompt: 'x', rendering_speed: 'FLASH' })), [
      'rendering_speed: speed-invalid',
    ]);
    assert.deepEqual(shown(refused({ model: 'ideogram-3', prompt: 'x', num_images: 2 })), [
      ': unknown-options num_images',
    ]);
    const speed = refused({ model: 'ideogram-3', prompt: 'x', rendering_speed: 'quality' })[0];
    assert.deepEqual(
      [speed.model, speed.choices],
      ['ideogram-3', ['TURBO', 'DEFAULT', 'QUALITY']],
      'the problem carries what the wording lists',
    );
  });

  it('Ideogram 3.0 offers the 69 upstream resolutions, which are not the 78 V2 ones renamed', () => {
    assert.equal(V3_RESOLUTIONS.length, 69);
    assert.equal(V2_RESOLUTIONS.length, 78);
    accepted({ model: 'ideogram-3', prompt: 'x', resolution: '800x1280' });
    assert.deepEqual(shown(refused({ model: 'ideogram-3', prompt: 'x', resolution: '1280x720' })), [
      'resolution: resolution-invalid',
    ]);
  });

  it('Ideogram 4.0: presets, 1–8 images, a boolean prompt expansion, lower-case formats; no negative prompt or style', () => {
    const request = accepted({
      model: 'ideogram-4',
      prompt: 'Poster',
      num_images: 4,
      image_size: 'landscape_16_9',
      enable_prompt_expansion: false,
      output_format: 'png',
    });
    assert.deepEqual(segmindBody(request), {
      prompt: 'Poster',
      rendering_speed: 'QUALITY',
      image_size: 'landscape_16_9',
      num_images: 4,
      enable_prompt_expansion: false,
      output_format: 'png',
    });
    assert.deepEqual(shown(refused({ model: 'ideogram-4', prompt: 'x', num_images: 9 })), [
      'num_images: image-count-out-of-range',
    ]);
    assert.deepEqual(shown(refused({ model: 'ideogram-4', prompt: 'x', num_images: 1.5 })), [
      'num_images: image-count-not-whole',
    ]);
    assert.deepEqual(shown(refused({ model: 'ideogram-4', prompt: 'x', output_format: 'JPEG' })), [
      'output_format: format-invalid',
    ]);
    assert.deepEqual(shown(refused({ model: 'ideogram-4', prompt: 'x', rendering_speed: 'DEFAULT' })), [
      'rendering_speed: speed-invalid',
    ]);
    assert.deepEqual(
      shown(refused({ model: 'ideogram-4', prompt: 'x', negative_prompt: 'blur', style_type: 'GENERAL' })),
      [': unknown-options negative_prompt,style_type'],
    );
  });

  it('Ideogram 2a takes neither a negative prompt nor a palette, and its seeds are 100–999999', () => {
    assert.deepEqual(shown(refused({ model: 'ideogram-2a-txt-2-img', prompt: 'x', negative_prompt: 'blur' })), [
      ': unknown-options negative_prompt',
    ]);
    assert.deepEqual(
      shown(refused({ model: 'ideogram-2a-txt-2-img', prompt: 'x', color_palette: { name: 'EMBER' } })),
      [': unknown-options color_palette'],
    );
    assert.deepEqual(shown(refused({ model: 'ideogram-2a-txt-2-img', prompt: 'x', seed: 99 })), [
      'seed: seed-out-of-range',
    ]);
    accepted({ model: 'ideogram-2a-txt-2-img', prompt: 'x', seed: 999999 });
  });

  it('property: every enum value of every model is taken exactly as declared, and no other casing is', () => {
    const enums = MODELS.flatMap((each) =>
      each.options.filter((option): option is EnumOption => option.kind === 'enum').map((option) => ({ each, option })),
    );
    fc.assert(
      fc.property(fc.constantFrom(...enums), fc.nat(), ({ each, option }, pick) => {
        const value = option.choices[pick % option.choices.length];
        accepted({ model: each.slug, prompt: 'x', [option.name]: value });
        for (const recased of [value.toLowerCase(), value.toUpperCase()].filter(
          (text) => text !== value && !option.choices.includes(text),
        )) {
          assert.equal(refused({ model: each.slug, prompt: 'x', [option.name]: recased })[0].path, option.name);
        }
      }),
    );
  });

  it('property: an integer option takes exactly its range', () => {
    const integers = MODELS.flatMap((each) =>
      each.options
        .filter((option): option is IntegerOption => option.kind === 'integer')
        .map((option) => ({ each, option })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...integers),
        fc.integer({ min: -10, max: 2_200_000_000 }),
        ({ each, option }, value) => {
          const result = validateRequest({ model: each.slug, prompt: 'x', [option.name]: value });
          assert.equal(result.ok, value >= option.min && value <= option.max, `${each.slug}.${option.name} = ${value}`);
        },
      ),
    );
  });
});

describe('models: a recipe carried to another model', () => {
  const v2 = {
    model: 'ideogram-txt-2-img',
    prompt: 'Cat',
    negative_prompt: 'blur',
    style_type: 'REALISTIC',
    magic_prompt_option: 'OFF',
    resolution: 'RESOLUTION_1024_1024',
    seed: 4242,
    color_palette: { name: 'EMBER' },
  };

  it("V2 → 3.0: same meaning carried under 3.0's names; the palette dropped, visibly", () => {
    const { request, dropped } = convertRequest(v2, model('ideogram-txt-2-img'), model('ideogram-3'));
    assert.deepEqual(request, {
      model: 'ideogram-3',
      prompt: 'Cat',
      negative_prompt: 'blur',
      style_type: 'REALISTIC',
      magic_prompt: 'OFF',
      resolution: '1024x1024',
      seed: 4242,
    });
    assert.deepEqual(
      dropped.map((item) => [item.name, item.reason]),
      [['color_palette', 'no-such-option']],
    );
    accepted(request);
  });

  it('V2 → 4.0: magic prompt OFF becomes expansion off, a square a square preset; the rest dropped', () => {
    const { request, dropped } = convertRequest(v2, model('ideogram-txt-2-img'), model('ideogram-4'));
    assert.deepEqual(request, {
      model: 'ideogram-4',
      prompt: 'Cat',
      enable_prompt_expansion: false,
      image_size: 'square_hd',
      seed: 4242,
    });
    assert.deepEqual(dropped.map((item) => item.name).sort(), ['color_palette', 'negative_prompt', 'style_type']);
    accepted(request);
  });

  it('a value the target does not take is dropped, not changed: ANIME has no 3.0 style; 1280x720 is no 3.0 size', () => {
    const { request, dropped } = convertRequest(
      { ...v2, style_type: 'ANIME', resolution: 'RESOLUTION_1280_720' },
      model('ideogram-txt-2-img'),
      model('ideogram-3'),
    );
    assert.equal(request.style_type, undefined);
    assert.equal(request.resolution, undefined);
    assert.deepEqual(
      dropped.filter((item) => item.reason === 'value-not-taken').map((item) => item.name),
      ['style_type', 'resolution'],
    );
  });

  it('4.0 with several images → 3.0: the count is dropped; a 16:9 preset finds no exact 3.0 size and is dropped', () => {
    const { dropped } = convertRequest(
      { model: 'ideogram-4', prompt: 'x', num_images: 4, image_size: 'landscape_16_9' },
      model('ideogram-4'),
      model('ideogram-3'),
    );
    assert.deepEqual(dropped.map((item) => item.name).sort(), ['image_size', 'num_images']);
    const square = convertRequest(
      { model: 'ideogram-4', prompt: 'x', num_images: 1, image_size: 'square' },
      model('ideogram-4'),
      model('ideogram-3'),
    );
    assert.equal(square.request.resolution, '1024x1024');
    assert.deepEqual(square.dropped, []);
  });

  it("a seed outside the target's range is dropped (V2 seed 5 → 2a, whose seeds start at 100)", () => {
    const converted = convertRequestTo({ prompt: 'x', seed: 5 }, 'ideogram-2a-txt-2-img');
    assert.deepEqual(
      converted?.dropped.map((item) => [item.name, item.reason]),
      [['seed', 'value-not-taken']],
    );
  });

  it('property: whatever valid request of any model, its conversion to any model validates', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), fc.constantFrom(...MODELS), fc.nat(), (source, target, pick) => {
        const input = sampleRequest(source, pick);
        const source_ = accepted(input);
        accepted(convertRequest(source_, source, target).request);
      }),
    );
  });
});

describe('models: stored data', () => {
  const oldEntry = {
    id: 'a',
    imageUri: 'file:///w/assets/cat.png',
    prompt: 'Cat',
    createdAt: '2026-11-01T10:00:00.000Z',
    request: { prompt: 'Cat', magic_prompt_option: 'AUTO', resolution: 'RESOLUTION_1024_1024', style_type: 'GENERAL' },
  };

  it('a gallery written before models were offered loads as ideogram-txt-2-img, nothing lost', () => {
    const { store, dropped } = GalleryStore.fromDocument({
      format: 'ideogram-gallery',
      version: 1,
      entries: [oldEntry],
    });
    assert.equal(dropped, 0);
    const [entry] = store.search('', 0, 10).items;
    assert.deepEqual(entry.request, { ...oldEntry.request, model: 'ideogram-txt-2-img' });
  });

  it('an entry of a model this version does not know is kept whole and written back', () => {
    const newer = { ...oldEntry, id: 'b', request: { model: 'ideogram-9', prompt: 'Cat', sharpness: 11 } };
    const { store } = GalleryStore.fromDocument({ format: 'ideogram-gallery', version: 1, entries: [newer, oldEntry] });
    assert.deepEqual(
      store.search('', 0, 10).items.map((entry: { id: string }) => entry.id),
      ['a'],
    );
    const written = JSON.parse(JSON.stringify(store.toDocument())) as {
      entries: Array<{ id: string; request: unknown }>;
    };
    assert.deepEqual(written.entries.find((entry) => entry.id === 'b')?.request, newer.request);
  });
});

describe('models: prices', () => {
  it("before Segmind reported anything, each model's table prices the request, marked as listed (an estimate)", () => {
    const book = emptyCostBook();
    const cases: Array<[Record<string, unknown>, number]> = [
      [{ prompt: 'x' }, 0.1],
      [{ model: 'ideogram-turbo-txt-2-img', prompt: 'x' }, 0.063],
      [{ model: 'ideogram-2a-txt-2-img', prompt: 'x' }, 0.05],
      [{ model: 'ideogram-3', prompt: 'x', rendering_speed: 'TURBO' }, 0.0375],
      [{ model: 'ideogram-3', prompt: 'x' }, 0.075],
      [{ model: 'ideogram-3', prompt: 'x', rendering_speed: 'QUALITY' }, 0.1125],
      [{ model: 'ideogram-4', prompt: 'x', num_images: 4, rendering_speed: 'TURBO' }, 0.3],
    ];
    for (const [request, total] of cases) {
      const estimate = estimateCost(book, pricingOf(modelOfInput(request)), request);
      assert.equal(estimate.kind, 'listed');
      assert.equal('total' in estimate ? estimate.total : undefined, total, JSON.stringify(request));
    }
  });

  it('a reported cost makes that model+options known; a 4-image job reports the sum, remembered per image', () => {
    const pricing = pricingOf(model('ideogram-4'));
    const request = { model: 'ideogram-4', prompt: 'x', num_images: 4 };
    const book = recordCost(emptyCostBook(), pricing, request, { cost: 0.48 }, 1);
    assert.deepEqual(estimateCost(book, pricing, { ...request, num_images: 2 }), {
      kind: 'known',
      perImage: 0.12,
      count: 2,
      total: 0.24,
    });
    assert.equal(
      estimateCost(book, pricing, { ...request, rendering_speed: 'TURBO' }).kind,
      'listed',
      'another speed is another price',
    );
  });

  it('prices remembered before models were offered still match the V2 model (the same key)', () => {
    const stored = { prices: { 'ideogram-txt-2-img|RESOLUTION_1024_1024|GENERAL|AUTO': { cost: 0.09, at: 1 } } };
    assert.equal(estimateCost(stored, pricingOf(DEFAULT_MODEL), { prompt: 'x' }).kind, 'known');
  });
});

function modelOfInput(request: Record<string, unknown>): ModelDefinition {
  return request.model === undefined ? DEFAULT_MODEL : model(String(request.model));
}
