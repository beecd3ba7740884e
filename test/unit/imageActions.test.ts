// Unit tests for the image actions' pure rules (src/core/imageActions.ts): Reframe's purposes resolved to the sizes
// each model can make, sizes asked for by key or shape, and the names of an action's results.
import * as assert from 'node:assert/strict';
import {
  actionFileNameTemplate,
  IMAGE_ACTIONS,
  REFRAME_PURPOSES,
  reframeSizes,
  reframeSizesFor,
  resolutionForShape,
  sizeOptionOf,
  takesPrompt,
} from '../../src/core/imageActions';
import { DEFAULT_FILE_NAME_TEMPLATE, checkFileNameTemplate, templatedFileName } from '../../src/core/fileNameTemplate';
import { ideogram3Reframe } from '../../src/core/models/ideogram3Reframe';
import { ideogramCharacter } from '../../src/core/models/ideogramCharacter';
import { ideogram3ReplaceBackground } from '../../src/core/models/ideogram3ReplaceBackground';
import { IMAGE_MODELS, modelsForAction } from '../../src/core/models/registry';
import { validateRequest } from '../../src/core/request';

const FIXED = { now: new Date(2026, 11, 4, 23, 5, 0), random: () => 0.5 };

describe('image actions: Reframe by purpose', () => {
  const option = sizeOptionOf(ideogram3Reframe)!;

  it('resolves each purpose to the Ideogram 3.0 resolution of the nearest shape', () => {
    const byPurpose = Object.fromEntries(
      reframeSizes(ideogram3Reframe)
        .filter((size) => size.purpose)
        .map((size) => [size.purpose, `${size.width}x${size.height}`]),
    );
    // 16:9 = 1.778: 1312x736 (1.783) is the nearest of the model's 69; 1200x630 = 1.905: 1344x704 (1.909).
    assert.deepEqual(byPurpose, {
      hero: '1312x736',
      'open-graph': '1344x704',
      avatar: '1024x1024',
      story: '736x1312',
    });
  });

  it('never picks a size the model does not make, and none nearer in shape exists', () => {
    for (const purpose of REFRAME_PURPOSES) {
      const choice = resolutionForShape(option, purpose);
      assert.ok(option.choices.includes(choice), choice);
      const distance = (value: string) => {
        const [width, height] = value.split('x').map(Number);
        return Math.abs(Math.log(width / height) - Math.log(purpose.width / purpose.height));
      };
      for (const other of option.choices)
        assert.ok(distance(other) >= distance(choice) - 1e-9, `${other} vs ${choice}`);
    }
  });

  it('offers the purposes first, then every resolution of the model', () => {
    const sizes = reframeSizes(ideogram3Reframe);
    assert.deepEqual(
      sizes.slice(0, 4).map((size) => size.key),
      REFRAME_PURPOSES.map((purpose) => purpose.id),
    );
    assert.deepEqual(
      sizes.slice(4).map((size) => size.choice),
      [...option.choices],
    );
  });

  it('resolves a model that takes shapes (Character) to its aspect ratio', () => {
    const character = sizeOptionOf(ideogramCharacter)!;
    assert.equal(resolutionForShape(character, { width: 16, height: 9 }), '16:9');
    assert.equal(resolutionForShape(character, { width: 1200, height: 630 }), '2:1');
  });

  it('has no sizes for a model without a size option (Replace Background keeps the picture’s size)', () => {
    assert.deepEqual(reframeSizes(ideogram3ReplaceBackground), []);
  });

  it('reads sizes asked by purpose, by shape (16:9, 1200x630, 1920×1080) or by resolution', () => {
    const { sizes, unknown } = reframeSizesFor(ideogram3Reframe, [
      '16:9',
      '1200x630',
      '1920×1080',
      '1024x1024',
      'story',
    ]);
    assert.deepEqual(unknown, []);
    assert.deepEqual(
      sizes.map((size) => [size.choice, size.tag]),
      [
        ['1312x736', '16x9'],
        ['1344x704', 'og-card'],
        ['1312x736', '16x9'],
        ['1024x1024', '1024x1024'],
        ['736x1312', '9x16'],
      ],
    );
  });

  it('resolves another shape to the nearest resolution and names it by that shape (or by the pixels it made); rejects nonsense', () => {
    const { sizes, unknown } = reframeSizesFor(ideogram3Reframe, ['3:1', '1000x500', 'huge', '0:5']);
    assert.deepEqual(
      sizes.map((size) => [size.choice, size.tag]),
      // Pixels the model cannot make are named by what it made, never by a size the file is not.
      [
        ['1536x512', '3x1'],
        ['1408x704', '1408x704'],
      ],
    );
    assert.deepEqual(unknown, ['huge', '0:5']);
  });

  it('every size it offers is a request the model takes', () => {
    for (const size of reframeSizes(ideogram3Reframe)) {
      const checked = validateRequest({
        model: ideogram3Reframe.slug,
        prompt: 'banner',
        image: 'https://example.com/banner.jpg',
        resolution: size.choice,
      });
      assert.ok(checked.ok, size.key);
    }
  });
});

describe('image actions: what is offered', () => {
  it('every offered action has a model, and only Reframe takes no prompt', () => {
    for (const action of IMAGE_ACTIONS) {
      const [model] = modelsForAction(action);
      assert.ok(model, action);
      assert.equal(takesPrompt(model), action !== 'reframe', action);
    }
    // Describe makes text: it is not one of these actions (the alt-text feature offers it).
    assert.ok(IMAGE_MODELS.some((model) => model.action === 'describe'));
    assert.ok(!(IMAGE_ACTIONS as readonly string[]).includes('describe'));
  });
});

describe('image actions: the names of results', () => {
  it('names a reframe beside its source: banner-reframe-16x9.jpg', () => {
    const template = actionFileNameTemplate(DEFAULT_FILE_NAME_TEMPLATE, '16x9');
    assert.equal(
      templatedFileName(template, { prompt: 'banner', sourceName: 'banner', action: 'reframe', ...FIXED }, 'jpg'),
      'banner-reframe-16x9.jpg',
    );
  });

  it('names an action without sizes after the source and the action', () => {
    const template = actionFileNameTemplate(DEFAULT_FILE_NAME_TEMPLATE);
    assert.equal(
      templatedFileName(
        template,
        { prompt: 'a desk by a window', sourceName: 'product shot', action: 'replace-background', ...FIXED },
        'png',
      ),
      'product shot-replace-background.png',
    );
  });

  it('keeps the user’s own template, where ${sourceName} and ${action} are variables', () => {
    const mine = '${sourceName}_${action}_${date}';
    assert.equal(checkFileNameTemplate(mine), undefined);
    assert.equal(actionFileNameTemplate(mine, '16x9'), mine);
    assert.equal(
      templatedFileName(mine, { prompt: 'x', sourceName: 'logo', action: 'remix', ...FIXED }, 'webp'),
      'logo_remix_20261204.webp',
    );
  });

  it('makes a hostile source name safe: no folders, no reserved names', () => {
    const template = actionFileNameTemplate(DEFAULT_FILE_NAME_TEMPLATE, '1x1');
    const name = templatedFileName(
      template,
      { prompt: 'x', sourceName: '../../etc/passwd\u202egpj', action: 'reframe', ...FIXED },
      'jpg',
    );
    assert.ok(!name.includes('/') && !name.includes('\\') && !name.includes('\u202e'), name);
    assert.ok(name.endsWith('-reframe-1x1.jpg'), name);
    assert.equal(
      templatedFileName(template, { prompt: 'x', sourceName: 'con', action: '', ...FIXED }, 'jpg'),
      'con-1x1.jpg',
    );
  });

  it('the variables without an action are empty, so old templates name as before', () => {
    assert.equal(templatedFileName('${prompt}', { prompt: 'A cat', ...FIXED }, 'jpg'), 'a-cat.jpg');
    assert.equal(templatedFileName('${prompt}-${sourceName}', { prompt: 'A cat', ...FIXED }, 'jpg'), 'a-cat.jpg');
  });
});
