// The sidebar's message protocol (src/common/protocol.ts): what the host accepts from the webview, and the
// schema-derived pieces the webview relies on (choices, live validation).
import * as assert from 'node:assert/strict';
import { MAX_PAGE_SIZE, MAX_QUERY_LENGTH } from '../../src/common/protocol';
import {
  formChoices,
  parseWebviewMessage,
  validateFormInput,
  type WebviewMessage,
} from '../../src/sidebar/messageSchema';

function accepts(raw: unknown): WebviewMessage {
  const result = parseWebviewMessage(raw);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(raw)?.slice(0, 200)} to be accepted: ${result.reason}`);
  return result.message;
}

function rejects(raw: unknown): string {
  const result = parseWebviewMessage(raw);
  assert.equal(result.ok, false, `expected ${String(JSON.stringify(raw)).slice(0, 200)} to be rejected`);
  return result.ok ? '' : result.reason;
}

describe('sidebar protocol: messages from the webview', () => {
  describe('accepts every well-formed message', () => {
    const valid: Array<[string, unknown]> = [
      ['ready', { type: 'ready' }],
      [
        'validate',
        {
          type: 'validate',
          requestId: 'q-w1-1',
          request: { prompt: '', seed: 'abc', color_palette: { members: [{ color_hex: '#12' }] } },
        },
      ],
      [
        'generate (bare prompt)',
        {
          type: 'generate',
          runId: 'run-w1-2',
          request: { model: 'ideogram-txt-2-img', prompt: 'A lighthouse at dawn' },
        },
      ],
      [
        'generate (Ideogram 3.0, its own options)',
        {
          type: 'generate',
          runId: 'run-w1-8',
          request: { model: 'ideogram-3', prompt: 'A lighthouse', rendering_speed: 'QUALITY', resolution: '1344x768' },
        },
      ],
      [
        'generate (Ideogram 4.0, 4 images in one job)',
        {
          type: 'generate',
          runId: 'run-w1-9',
          request: { model: 'ideogram-4', prompt: 'A lighthouse', num_images: 4, image_size: 'landscape_16_9' },
        },
      ],
      [
        'generate (every option)',
        {
          type: 'generate',
          runId: 'run-w1-3',
          request: {
            model: 'ideogram-txt-2-img',
            prompt: 'A lighthouse',
            negative_prompt: 'fog',
            magic_prompt_option: 'OFF',
            resolution: 'RESOLUTION_1280_720',
            seed: 42,
            style_type: 'DESIGN',
            color_palette: { members: [{ color_hex: '#ff0000', color_weight: 0.6 }, { color_hex: '#00f' }] },
          },
        },
      ],
      ['cancel', { type: 'cancel', runId: 'run-w1-3' }],
      ['dismissRun', { type: 'dismissRun', runId: 'run-w1-3' }],
      ['recover retry', { type: 'recover', action: 'retry', runId: 'run-w1-3' }],
      ['recover setApiKey', { type: 'recover', action: 'setApiKey' }],
      [
        'imageAction',
        {
          type: 'imageAction',
          requestId: 'q-w1-4',
          entryId: '6f1c8e2a-8a9d-4a53-9f3c-0c1f3a1d2b3c',
          action: 'copySeed',
        },
      ],
      ['queryGallery', { type: 'queryGallery', requestId: 'q-w1-5', query: 'lighthouse', offset: 60, limit: 60 }],
      ['select', { type: 'select', entryId: 'abc' }],
      ['imageMissing', { type: 'imageMissing', entryId: 'abc' }],
      ['useRecipe', { type: 'useRecipe', uri: 'file:///w/assets/a%20lighthouse.png' }],
      [
        'generate (4 variations)',
        {
          type: 'generate',
          runId: 'run-w1-6',
          request: { model: 'ideogram-txt-2-img', prompt: 'A lighthouse' },
          count: 4,
        },
      ],
      ['trashImages', { type: 'trashImages', requestId: 'q-w1-7', entryIds: ['abc', 'def', 'ghi'] }],
      ['thumbnail', { type: 'thumbnail', entryId: 'abc', data: Buffer.from('RIFF....WEBPVP8 ').toString('base64') }],
      [
        'thumbnail of 64 KB',
        { type: 'thumbnail', entryId: 'abc', data: Buffer.alloc(64 * 1024, 7).toString('base64') },
      ],
    ];
    for (const [label, raw] of valid)
      it(label, () => {
        accepts(raw);
      });

    it('fills in the request defaults of a generate message, as the client would', () => {
      const message = accepts({
        type: 'generate',
        runId: 'r1',
        request: { model: 'ideogram-txt-2-img', prompt: '  A cat  ' },
      });
      assert.ok(message.type === 'generate');
      assert.deepEqual(message.request, {
        model: 'ideogram-txt-2-img',
        prompt: 'A cat',
        magic_prompt_option: 'AUTO',
        resolution: 'RESOLUTION_1024_1024',
        style_type: 'GENERAL',
      });
      const four = accepts({ type: 'generate', runId: 'r2', request: { model: 'ideogram-4', prompt: 'A cat' } });
      assert.ok(four.type === 'generate');
      assert.deepEqual(four.request, {
        model: 'ideogram-4',
        prompt: 'A cat',
        rendering_speed: 'QUALITY',
        image_size: 'square_hd',
        num_images: 1,
        enable_prompt_expansion: true,
        output_format: 'jpeg',
      });
    });
  });

  describe('rejects', () => {
    const invalid: Array<[string, unknown]> = [
      ['a non-object', 'ready'],
      ['null', null],
      ['an array', [{ type: 'ready' }]],
      ['an unknown type', { type: 'deleteEverything' }],
      [
        '5 variations',
        { type: 'generate', runId: 'r1', request: { model: 'ideogram-txt-2-img', prompt: 'A cat' }, count: 5 },
      ],
      [
        '0 variations',
        { type: 'generate', runId: 'r1', request: { model: 'ideogram-txt-2-img', prompt: 'A cat' }, count: 0 },
      ],
      ['trashing nothing', { type: 'trashImages', requestId: 'q1', entryIds: [] }],
      [
        'a thumbnail over 64 KB (the host checks the decoded size exactly)',
        { type: 'thumbnail', entryId: 'abc', data: Buffer.alloc(64 * 1024 + 3).toString('base64') },
      ],
      ['a thumbnail that is not base64', { type: 'thumbnail', entryId: 'abc', data: '<svg onload=alert(1)>' }],
      ['a thumbnail as bytes', { type: 'thumbnail', entryId: 'abc', data: [1, 2, 3] }],
      ['an empty thumbnail', { type: 'thumbnail', entryId: 'abc', data: '' }],
      [
        'trashing more than a set of variations',
        { type: 'trashImages', requestId: 'q1', entryIds: ['a', 'b', 'c', 'd', 'e'] },
      ],
      ['a missing type', { runId: 'r1' }],
      ['a type of the wrong kind', { type: 7 }],
      ['a missing runId', { type: 'cancel' }],
      ['a missing request', { type: 'generate', runId: 'r1' }],
      [
        'a request that names a model this version does not know',
        { type: 'generate', runId: 'r1', request: { model: 'ideogram-9', prompt: 'A cat' } },
      ],
      [
        "a request of one model with another model's option",
        { type: 'generate', runId: 'r1', request: { model: 'ideogram-3', prompt: 'A cat', magic_prompt_option: 'ON' } },
      ],
      [
        'a V2 resolution sent to Ideogram 3.0',
        {
          type: 'generate',
          runId: 'r1',
          request: { model: 'ideogram-3', prompt: 'A cat', resolution: 'RESOLUTION_1024_1024' },
        },
      ],
      ['an invalid request in generate (empty prompt)', { type: 'generate', runId: 'r1', request: { prompt: '   ' } }],
      [
        'a resolution outside the 78',
        { type: 'generate', runId: 'r1', request: { prompt: 'x', resolution: 'RESOLUTION_1_1' } },
      ],
      ['an unknown recovery action', { type: 'recover', action: 'runShell' }],
      ['an unknown image action', { type: 'imageAction', requestId: 'q1', entryId: 'e1', action: 'format' }],
      ['an extra key', { type: 'ready', extra: true }],
      ['a negative offset', { type: 'queryGallery', requestId: 'q1', query: '', offset: -1, limit: 10 }],
      ['a fractional limit', { type: 'queryGallery', requestId: 'q1', query: '', offset: 0, limit: 2.5 }],
      [
        'a page larger than the maximum',
        { type: 'queryGallery', requestId: 'q1', query: '', offset: 0, limit: MAX_PAGE_SIZE + 1 },
      ],
      ['an id with spaces', { type: 'cancel', runId: 'run 1' }],
      ['an id with markup', { type: 'select', entryId: '<img src=x onerror=alert(1)>' }],
      ['a validate request that is not an object', { type: 'validate', requestId: 'q1', request: 'prompt' }],
      ['a validate request that is an array', { type: 'validate', requestId: 'q1', request: [] }],
    ];
    for (const [label, raw] of invalid)
      it(label, () => {
        rejects(raw);
      });

    describe('extra huge strings', () => {
      const huge = 'x'.repeat(1_000_000);
      it('as an id', () => {
        rejects({ type: 'cancel', runId: huge });
      });
      it('as a search query', () => {
        rejects({
          type: 'queryGallery',
          requestId: 'q1',
          query: 'a'.repeat(MAX_QUERY_LENGTH + 1),
          offset: 0,
          limit: 10,
        });
      });
      it('as a prompt', () => {
        rejects({ type: 'generate', runId: 'r1', request: { prompt: huge } });
      });
      it('inside a form to validate', () => {
        rejects({ type: 'validate', requestId: 'q1', request: { prompt: huge } });
      });
      it('as an extra field', () => {
        rejects({ type: 'ready', padding: huge });
      });
      it('and the reason never echoes them', () => {
        const reason = rejects({ type: 'cancel', runId: huge });
        assert.ok(reason.length < 300, `reason is ${reason.length} characters`);
      });
    });

    describe('prototype-pollution keys', () => {
      // JSON.parse makes `__proto__` an own key, as a structured clone from the webview could.
      const cases: Array<[string, string]> = [
        ['__proto__ at the top', '{"type":"ready","__proto__":{"polluted":true}}'],
        [
          '__proto__ in a generate request',
          '{"type":"generate","runId":"r1","request":{"prompt":"x","__proto__":{"polluted":true}}}',
        ],
        [
          '__proto__ in a palette member',
          '{"type":"generate","runId":"r1","request":{"prompt":"x","color_palette":{"members":[{"color_hex":"#fff","__proto__":{"polluted":true}}]}}}',
        ],
        ['constructor.prototype', '{"type":"ready","constructor":{"prototype":{"polluted":true}}}'],
        [
          '__proto__ in a form to validate',
          '{"type":"validate","requestId":"q1","request":{"prompt":"x","__proto__":{"polluted":true}}}',
        ],
        [
          'constructor in a form to validate',
          '{"type":"validate","requestId":"q1","request":{"constructor":{"prototype":{"polluted":true}}}}',
        ],
      ];
      for (const [label, json] of cases) {
        it(label, () => {
          rejects(JSON.parse(json));
          assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
        });
      }
    });
  });
});

describe('sidebar protocol: the form, driven by the request schema', () => {
  it('offers the models it is given (worded by the host), the presets and limits of the schema', () => {
    const choices = formChoices([]);
    assert.deepEqual(choices.models, []);
    assert.equal(choices.palettePresets.length, 8);
    assert.equal(choices.maxPaletteMembers, 8);
    assert.deepEqual(choices.colorWeight, { min: 0.05, max: 1 });
  });

  it('reports nothing for a valid form', () => {
    assert.deepEqual(validateFormInput({ prompt: 'A lighthouse', seed: 7, color_palette: { name: 'EMBER' } }), []);
  });

  it('reports the first problem of each field, on the field it belongs to', () => {
    const problems = validateFormInput({
      prompt: '',
      seed: 'abc',
      color_palette: { members: [{ color_hex: '#12', color_weight: 3 }] },
    });
    const paths = problems.map((problem) => problem.path);
    assert.ok(paths.includes('prompt'), paths.join());
    assert.ok(paths.includes('seed'), paths.join());
    assert.ok(
      paths.some((problemPath) => problemPath.startsWith('color_palette')),
      paths.join(),
    );
    assert.deepEqual(
      problems.map((problem) => `${problem.path}: ${problem.code}`),
      [
        'prompt: prompt-empty',
        'seed: seed-not-whole',
        'color_palette.members.0.color_hex: colour-invalid',
        'color_palette.members.0.color_weight: colour-weight-too-large',
      ],
    );
  });
});
