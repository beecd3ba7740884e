// The models that work on an image the user has (src/core/models/ideogram3Remix.ts and siblings): each takes its
// picture as a URL in its own field, its own options in their exact casing, and nothing of another model; the
// models without a prompt are not sent one; Describe's answer is read whatever shape it comes in (src/core/describe.ts).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { estimateCost, emptyCostBook, pricingOf } from '../../src/core/cost';
import { altTextFrom, describeText, describeTexts } from '../../src/core/describe';
import type { EnumOption, IntegerOption, ModelDefinition } from '../../src/core/models/options';
import { imageInputsOf } from '../../src/core/models/options';
import { ALL_MODELS, IMAGE_MODELS, MODELS, modelBySlug, modelsForAction } from '../../src/core/models/registry';
import { segmindBody, validateRequest, type RequestProblem } from '../../src/core/request';

const URL = 'https://storage.segmind.com/assets/abc.png';
const model = (slug: string): ModelDefinition => modelBySlug(slug) ?? assert.fail(`no model ${slug}`);
const shown = (problems: readonly RequestProblem[]) =>
  problems.map((item) => `${item.path}: ${item.code}${item.keys ? ` ${item.keys.join(',')}` : ''}`);
/** A request of `each` with its pictures filled in. */
const withImages = (each: ModelDefinition, rest: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: each.slug,
  prompt: 'a lighthouse at dusk',
  ...Object.fromEntries((each.imageInputs ?? []).map((input) => [input.name, URL])),
  ...rest,
});
function accepted(input: unknown) {
  const result = validateRequest(input);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(input)} accepted, got ${shown(result.problems).join(' | ')}`);
  return result.request;
}
function refused(input: unknown): RequestProblem[] {
  const result = validateRequest(input);
  assert.equal(result.ok, false, `expected ${JSON.stringify(input)} to be refused`);
  return result.ok ? [] : result.problems;
}

describe('image models: one declaration each', () => {
  it('ships remix (3.0 and 2.0), reframe, replace background, character and describe; none is offered as text to image', () => {
    assert.deepEqual(
      IMAGE_MODELS.map((each) => `${each.action}:${each.slug}`),
      [
        'remix:ideogram-3-remix',
        'remix:ideogram-img-2-img',
        'reframe:ideogram-3-reframe',
        'replace-background:ideogram-3-replace-background',
        'character:ideogram-character',
        'describe:ideogram-describe',
      ],
    );
    for (const each of MODELS) assert.equal(each.action, undefined, each.slug);
    assert.equal(new Set(ALL_MODELS.map((each) => each.slug)).size, ALL_MODELS.length, 'each slug once');
    assert.equal(modelsForAction('remix')[0].slug, 'ideogram-3-remix', 'the 3.0 remix is preferred');
  });

  it('each takes its picture in its own field: image, image_file or character_reference_image', () => {
    assert.deepEqual(imageInputsOf(model('ideogram-3-remix'), 'source'), ['image']);
    assert.deepEqual(imageInputsOf(model('ideogram-img-2-img'), 'source'), ['image_file']);
    assert.deepEqual(imageInputsOf(model('ideogram-describe'), 'source'), ['image_file']);
    assert.deepEqual(imageInputsOf(model('ideogram-character'), 'character'), ['character_reference_image']);
    assert.deepEqual(imageInputsOf(model('ideogram-character'), 'source'), []);
  });

  it('a missing picture, a local path or a data: URL is refused before anything is sent', () => {
    for (const each of IMAGE_MODELS) {
      const field = each.imageInputs![0].name;
      const { [field]: _dropped, ...without } = withImages(each);
      assert.deepEqual(shown(refused(without)), [`${field}: image-missing`], each.slug);
      for (const bad of ['/home/me/banner.png', 'data:image/png;base64,AAAA', 'file:///tmp/a.png', 'banner.png'])
        assert.deepEqual(shown(refused(withImages(each, { [field]: bad }))), [`${field}: image-not-url`], bad);
    }
  });

  it('a field of another model is refused: no resolution on replace background, no prompt-only fields on reframe', () => {
    assert.deepEqual(shown(refused(withImages(model('ideogram-3-replace-background'), { resolution: '1024x1024' }))), [
      ': unknown-options resolution',
    ]);
    assert.deepEqual(shown(refused(withImages(model('ideogram-3-reframe'), { magic_prompt: 'OFF' }))), [
      ': unknown-options magic_prompt',
    ]);
    assert.deepEqual(shown(refused(withImages(model('ideogram-3-remix'), { image_file: URL }))), [
      ': unknown-options image_file',
    ]);
    // Character's enums are Title case: the upper case of its siblings is refused.
    assert.deepEqual(shown(refused(withImages(model('ideogram-character'), { rendering_speed: 'QUALITY' }))), [
      'rendering_speed: speed-invalid',
    ]);
    assert.deepEqual(shown(refused(withImages(model('ideogram-character'), { aspect_ratio: '16x9' }))), [
      'aspect_ratio: resolution-invalid',
    ]);
    accepted(withImages(model('ideogram-character'), { rendering_speed: 'Quality', aspect_ratio: '16:9' }));
  });

  it('reframe and describe are not sent a prompt (the gallery keeps its words); the others are', () => {
    const reframe = accepted(withImages(model('ideogram-3-reframe'), { resolution: '1280x704' }));
    assert.deepEqual(segmindBody(reframe), { image: URL, resolution: '1280x704', rendering_speed: 'DEFAULT' });
    assert.equal(reframe.prompt, 'a lighthouse at dusk', 'kept for the gallery, the name and the search');
    assert.deepEqual(segmindBody(accepted(withImages(model('ideogram-describe')))), { image_file: URL });
    const remix = segmindBody(accepted(withImages(model('ideogram-3-remix'))));
    assert.equal(remix.prompt, 'a lighthouse at dusk');
    assert.equal(remix.image, URL);
  });

  it('property: every enum value of every image model is taken exactly as declared, no other casing', () => {
    const enums = IMAGE_MODELS.flatMap((each) =>
      each.options.filter((option): option is EnumOption => option.kind === 'enum').map((option) => ({ each, option })),
    );
    fc.assert(
      fc.property(fc.constantFrom(...enums), fc.nat(), ({ each, option }, pick) => {
        const value = option.choices[pick % option.choices.length];
        accepted(withImages(each, { [option.name]: value }));
        for (const recased of [value.toLowerCase(), value.toUpperCase()].filter(
          (text) => text !== value && !option.choices.includes(text),
        ))
          assert.equal(refused(withImages(each, { [option.name]: recased }))[0].path, option.name);
      }),
    );
  });

  it('property: an integer option of an image model takes exactly its range (image weight 1–100)', () => {
    const integers = IMAGE_MODELS.flatMap((each) =>
      each.options
        .filter((option): option is IntegerOption => option.kind === 'integer')
        .map((option) => ({ each, option })),
    );
    assert.ok(integers.some(({ option }) => option.name === 'image_weight' && option.min === 1 && option.max === 100));
    fc.assert(
      fc.property(fc.constantFrom(...integers), fc.integer({ min: -10, max: 2_000_000 }), ({ each, option }, value) => {
        const result = validateRequest(withImages(each, { [option.name]: value }));
        assert.equal(result.ok, value >= option.min && value <= option.max, `${each.slug}.${option.name} = ${value}`);
      }),
    );
  });

  it('prices: speed-priced image models cost by speed; describe $0.015; each an estimate where inferred', () => {
    const cost = (input: Record<string, unknown>) => {
      const estimate = estimateCost(emptyCostBook(), pricingOf(model(String(input.model))), accepted(input));
      assert.equal(estimate.kind, 'listed');
      return { credits: estimate.kind === 'listed' ? estimate.total : NaN };
    };
    const reframe = model('ideogram-3-reframe');
    assert.equal(cost(withImages(reframe, { rendering_speed: 'TURBO' })).credits, 0.0375);
    assert.equal(cost(withImages(reframe, { rendering_speed: 'QUALITY' })).credits, 0.1125);
    assert.equal(cost(withImages(model('ideogram-character'), { rendering_speed: 'Quality' })).credits, 0.25);
    assert.equal(cost(withImages(model('ideogram-describe'))).credits, 0.015);
    assert.equal(model('ideogram-describe').price.estimate, false);
    assert.equal(model('ideogram-3-reframe').price.estimate, true);
  });
});

describe('describe: its answer read whatever its shape', () => {
  const TEXT = 'A red lighthouse on a rocky shore at dusk, with the words "Harbour Days" in white.';
  it('upstream JSON, that JSON as a string in output, a plain string, a text field', () => {
    assert.equal(describeText({ descriptions: [{ text: TEXT }] }), TEXT);
    assert.equal(describeText({ output: JSON.stringify({ descriptions: [{ text: TEXT }] }) }), TEXT);
    assert.equal(describeText({ output: TEXT }), TEXT);
    assert.equal(describeText({ output: [TEXT] }), TEXT);
    assert.equal(describeText({ text: `  ${TEXT}\n` }), TEXT);
    assert.equal(describeText(TEXT), TEXT);
    assert.deepEqual(describeTexts({ descriptions: [{ text: 'one' }, { text: 'two' }] }), ['one', 'two']);
  });
  it('nothing usable is undefined, not an empty description', () => {
    for (const answer of [undefined, null, 42, {}, { output: '' }, { descriptions: [] }, { output: '   ' }])
      assert.equal(describeText(answer), undefined, JSON.stringify(answer));
  });
  it('a description that looks like JSON but is not stays the text', () => {
    assert.equal(describeText({ output: '{not json} a sign' }), '{not json} a sign');
  });
  it('alt text is one line, cut at a word with an ellipsis when long', () => {
    assert.equal(altTextFrom('A  lighthouse\n at dusk. '), 'A lighthouse at dusk.');
    const long = 'word '.repeat(100);
    const alt = altTextFrom(long, 50);
    assert.ok(alt.length <= 51 && alt.endsWith('…') && !alt.includes('wor…'), alt);
    fc.assert(fc.property(fc.string(), (text) => assert.ok(!altTextFrom(text).includes('\n'))));
  });
});
