// Unit tests for the request schema of Segmind's POST /v1/ideogram-txt-2-img (src/core/request.ts).
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import {
  aspectRatioLabel,
  COLOR_WEIGHT_MAX,
  COLOR_WEIGHT_MIN,
  type GenerationRequestInput,
  MAGIC_PROMPT_OPTIONS,
  orientationOf,
  PALETTE_PRESETS,
  parseCustomPalette,
  type Resolution,
  RESOLUTIONS,
  resolutionSize,
  SEED_MAX,
  SEED_MIN,
  REQUEST_PROBLEMS,
  type RequestProblem,
  STYLE_TYPES,
  validateRequest,
} from '../../src/core/request';

/** A problem as `path: code` (the host words the code; test/integration/failureWording.test.ts reads the words). */
function shown(problem: RequestProblem): string {
  const code = problem.keys ? `${problem.code} ${problem.keys.join(', ')}` : problem.code;
  return problem.path ? `${problem.path}: ${code}` : code;
}

/** Validates and returns the problems, failing the test if the input was accepted. */
function problemsOf(input: unknown): string[] {
  const result = validateRequest(input);
  assert.equal(result.ok, false, `expected ${JSON.stringify(input)} to be rejected`);
  if (result.ok) return [];
  assert.ok(result.problems.length > 0, 'a rejection must say why');
  for (const problem of result.problems) assertSpecific(problem);
  return result.problems.map(shown);
}

function accepted(input: unknown) {
  const result = validateRequest(input);
  if (!result.ok)
    assert.fail(`expected ${JSON.stringify(input)} to be accepted, got: ${result.problems.map(shown).join(' | ')}`);
  return result.request;
}

/** A problem a user can act on: one of the named codes, not the catch-all for what a form cannot produce. */
function assertSpecific(problem: RequestProblem): void {
  assert.ok(REQUEST_PROBLEMS.includes(problem.code), `unknown code: ${JSON.stringify(problem)}`);
  assert.notEqual(problem.code, 'invalid-value', `no specific problem for ${JSON.stringify(problem)}`);
}

/** Exactly one problem, matching `pattern`. */
function assertOneProblem(input: unknown, pattern: RegExp): string {
  const problems = problemsOf(input);
  assert.equal(problems.length, 1, `expected one problem, got: ${problems.join(' | ')}`);
  assert.match(problems[0], pattern);
  return problems[0];
}

describe('request schema (validateRequest)', () => {
  describe('accepts', () => {
    it('a bare prompt and fills in the documented defaults', () => {
      assert.deepEqual(accepted({ prompt: 'a lighthouse at dawn' }), {
        model: 'ideogram-txt-2-img',
        prompt: 'a lighthouse at dawn',
        magic_prompt_option: 'AUTO',
        resolution: 'RESOLUTION_1024_1024',
        style_type: 'GENERAL',
      });
    });

    it('lists exactly the 78 Ideogram resolutions, with no duplicates', () => {
      assert.equal(RESOLUTIONS.length, 78);
      assert.equal(new Set(RESOLUTIONS).size, 78);
      assert.equal(RESOLUTIONS[0], 'RESOLUTION_512_1536');
      assert.equal(RESOLUTIONS[77], 'RESOLUTION_1536_640');
    });

    it('every one of the 78 resolutions', () => {
      for (const resolution of RESOLUTIONS) {
        assert.equal(accepted({ prompt: 'x', resolution }).resolution, resolution);
      }
    });

    it('every style (GENERAL, REALISTIC, DESIGN, RENDER_3D, ANIME)', () => {
      assert.deepEqual([...STYLE_TYPES], ['GENERAL', 'REALISTIC', 'DESIGN', 'RENDER_3D', 'ANIME']);
      for (const style_type of STYLE_TYPES) assert.equal(accepted({ prompt: 'x', style_type }).style_type, style_type);
    });

    it('every magic prompt option (AUTO, ON, OFF)', () => {
      assert.deepEqual([...MAGIC_PROMPT_OPTIONS], ['AUTO', 'ON', 'OFF']);
      for (const magic_prompt_option of MAGIC_PROMPT_OPTIONS) {
        assert.equal(accepted({ prompt: 'x', magic_prompt_option }).magic_prompt_option, magic_prompt_option);
      }
    });

    it('every one of the 8 palette presets', () => {
      assert.deepEqual(
        [...PALETTE_PRESETS],
        ['EMBER', 'FRESH', 'JUNGLE', 'MAGIC', 'MELON', 'MOSAIC', 'PASTEL', 'ULTRAMARINE'],
      );
      for (const name of PALETTE_PRESETS) {
        assert.deepEqual(accepted({ prompt: 'x', color_palette: { name } }).color_palette, { name });
      }
    });

    it('custom palettes of 1 to 8 members', () => {
      for (let count = 1; count <= 8; count++) {
        const members = Array.from({ length: count }, (_, index) => ({
          color_hex: `#${index}${index}${index}`,
          color_weight: 1 - index * 0.1,
        }));
        assert.deepEqual(accepted({ prompt: 'x', color_palette: { members } }).color_palette, { members });
      }
    });

    it('#RGB and #RRGGBB colours in either case', () => {
      for (const color_hex of ['#abc', '#ABC', '#000', '#fff', '#1e90ff', '#1E90FF', '#aBc123', '#000000']) {
        accepted({ prompt: 'x', color_palette: { members: [{ color_hex }] } });
      }
    });

    it('colour weights at the boundaries 0.05 and 1.0, and in between', () => {
      assert.equal(COLOR_WEIGHT_MIN, 0.05);
      assert.equal(COLOR_WEIGHT_MAX, 1);
      for (const color_weight of [0.05, 0.050001, 0.25, 0.5, 0.999, 1.0]) {
        const request = accepted({ prompt: 'x', color_palette: { members: [{ color_hex: '#123456', color_weight }] } });
        assert.deepEqual(request.color_palette, { members: [{ color_hex: '#123456', color_weight }] });
      }
    });

    it('members without a weight (the weight is optional)', () => {
      const members = [{ color_hex: '#ff0000' }, { color_hex: '#00f', color_weight: 0.3 }];
      assert.deepEqual(accepted({ prompt: 'x', color_palette: { members } }).color_palette, { members });
    });

    it('seed 0 and 2147483647 (the upstream range)', () => {
      assert.equal(SEED_MIN, 0);
      assert.equal(SEED_MAX, 2147483647);
      assert.equal(accepted({ prompt: 'x', seed: 0 }).seed, 0);
      assert.equal(accepted({ prompt: 'x', seed: 2147483647 }).seed, 2147483647);
      assert.equal(accepted({ prompt: 'x', seed: 56698 }).seed, 56698);
    });

    it('a full request exactly as Segmind documents it', () => {
      const input = {
        prompt: 'A lighthouse',
        negative_prompt: 'low quality,blurry',
        magic_prompt_option: 'OFF',
        resolution: 'RESOLUTION_1280_720',
        seed: 56698,
        style_type: 'DESIGN',
        color_palette: { members: [{ color_hex: '#b470b3', color_weight: 0.49 }, { color_hex: '#7a79e3' }] },
      };
      assert.deepEqual(
        accepted(input),
        { model: 'ideogram-txt-2-img', ...input },
        'the request names its model (the default, none being given)',
      );
    });

    it('trims the prompt and drops a whitespace-only negative prompt', () => {
      const request = accepted({ prompt: '  a cat \n', negative_prompt: '  \t ' });
      assert.equal(request.prompt, 'a cat');
      assert.ok(!('negative_prompt' in request), 'an empty negative prompt must not be sent');
    });
  });

  describe('rejects, with a message that names the problem', () => {
    it('an empty prompt', () => {
      assertOneProblem({ prompt: '' }, /^prompt: prompt-empty$/);
    });

    it('a whitespace-only prompt (spaces, tabs, newlines, no-break spaces)', () => {
      for (const prompt of [' ', '   ', '\n\t\r', '\u00a0\u2003\u3000']) assertOneProblem({ prompt }, /prompt-empty/);
    });

    it('a missing or non-string prompt', () => {
      assertOneProblem({}, /prompt-missing/);
      assertOneProblem({ prompt: 42 }, /prompt-missing/);
      assertOneProblem({ prompt: null }, /prompt-missing/);
    });

    it('a prompt longer than 10000 characters', () => {
      accepted({ prompt: 'a'.repeat(10000) });
      assertOneProblem({ prompt: 'a'.repeat(10001) }, /prompt-too-long/);
    });

    it('an unknown resolution', () => {
      for (const resolution of [
        'RESOLUTION_1_1',
        'RESOLUTION_1024x1024',
        '1024x1024',
        'resolution_1024_1024',
        'RESOLUTION_1024_1025',
        '',
      ]) {
        assertOneProblem({ prompt: 'x', resolution }, /^resolution: resolution-invalid$/);
      }
    });

    it('a lowercase (or unknown) style', () => {
      for (const style_type of ['general', 'Realistic', 'AUTO', 'FICTION']) {
        assertOneProblem({ prompt: 'x', style_type }, /^style_type: style-invalid$/);
      }
    });

    it('an unknown magic prompt option', () => {
      assertOneProblem({ prompt: 'x', magic_prompt_option: 'auto' }, /^magic_prompt_option: magic-prompt-invalid$/);
    });

    it('seed -1 (Segmind\'s "random" convention is not valid here)', () => {
      assertOneProblem({ prompt: 'x', seed: -1 }, /^seed: seed-out-of-range$/);
    });

    it('seed 1.5', () => {
      assertOneProblem({ prompt: 'x', seed: 1.5 }, /^seed: seed-not-whole$/);
    });

    it('seed 2147483648', () => {
      assertOneProblem({ prompt: 'x', seed: 2147483648 }, /^seed: seed-out-of-range$/);
    });

    it('a seed that is not a number', () => {
      for (const seed of ['42', NaN, Infinity, null]) assertOneProblem({ prompt: 'x', seed }, /^seed: seed-/);
    });

    it('a palette with both a name and members', () => {
      assertOneProblem(
        { prompt: 'x', color_palette: { name: 'EMBER', members: [{ color_hex: '#fff' }] } },
        /^color_palette: palette-both$/,
      );
    });

    it('a palette with 9 members', () => {
      const members = Array.from({ length: 9 }, () => ({ color_hex: '#fff' }));
      assertOneProblem({ prompt: 'x', color_palette: { members } }, /^color_palette\.members: palette-too-many$/);
    });

    it('a palette with no members', () => {
      assertOneProblem({ prompt: 'x', color_palette: { members: [] } }, /palette-empty/);
    });

    for (const color_hex of ['#12', '123456', '#ggg', '#1234', '#12345g', 'red', '', '##fff', '#fff ']) {
      it(`a bad colour ${JSON.stringify(color_hex)}`, () => {
        assertOneProblem(
          { prompt: 'x', color_palette: { members: [{ color_hex: '#000' }, { color_hex }] } },
          /^color_palette\.members\.1\.color_hex: colour-invalid$/,
        );
      });
    }

    it('colour weight 0.04', () => {
      assertOneProblem(
        { prompt: 'x', color_palette: { members: [{ color_hex: '#fff', color_weight: 0.04 }] } },
        /^color_palette\.members\.0\.color_weight: colour-weight-too-small$/,
      );
    });

    it('colour weight 1.01', () => {
      assertOneProblem(
        { prompt: 'x', color_palette: { members: [{ color_hex: '#fff', color_weight: 1.01 }] } },
        /^color_palette\.members\.0\.color_weight: colour-weight-too-large$/,
      );
    });

    it('an unknown top-level key, naming it', () => {
      assertOneProblem({ prompt: 'x', foo: 1 }, /^unknown-options foo$/);
      assertOneProblem(
        { prompt: 'x', num_images: 2, aspect_ratio: 'ASPECT_1_1' },
        /^unknown-options num_images, aspect_ratio$/,
      );
    });

    it('something that is not an object', () => {
      // Not reachable from the UI (callers always build an object); only checks that it is refused.
      for (const input of [null, undefined, 'a cat', 42, []])
        assert.equal(validateRequest(input).ok, false, String(input));
    });

    it('reports every problem at once, each once', () => {
      const problems = problemsOf({ prompt: '', seed: -1, style_type: 'anime', resolution: 'big' });
      assert.equal(problems.length, 4, problems.join(' | '));
      assert.ok(problems.some((p) => p.startsWith('prompt:')));
      assert.ok(problems.some((p) => p.startsWith('seed:')));
      assert.ok(problems.some((p) => p.startsWith('style_type:')));
      assert.ok(problems.some((p) => p.startsWith('resolution:')));
    });

    // Regression (was a bug): any palette mistake other than a bad hex/weight range/member count (a lowercase preset name, a weight given as
    // a string, a misspelt member key) was reported as "palette-both", which is not the problem: the union's catch-all
    // hid the option's own problem. The problems are those of the branch the input fits.
    it('a lowercase palette preset, saying which presets exist', () => {
      assertOneProblem(
        { prompt: 'x', color_palette: { name: 'ember' } },
        /^color_palette\.name: palette-preset-invalid$/,
      );
    });

    it('a colour weight that is not a number', () => {
      assertOneProblem(
        { prompt: 'x', color_palette: { members: [{ color_hex: '#fff', color_weight: '0.5' }] } },
        /^color_palette\.members\.0\.color_weight: colour-weight-not-number$/,
      );
    });

    it('an unknown key inside a palette member, naming it', () => {
      assertOneProblem(
        { prompt: 'x', color_palette: { members: [{ color_hex: '#fff', weight: 0.5 }] } },
        /^color_palette\.members\.0: unknown-options weight$/,
      );
    });
  });
});

describe('parseCustomPalette', () => {
  it('parses "#ff0000:0.6, #00f:0.4"', () => {
    assert.deepEqual(parseCustomPalette('#ff0000:0.6, #00f:0.4'), {
      ok: true,
      palette: {
        members: [
          { color_hex: '#ff0000', color_weight: 0.6 },
          { color_hex: '#00f', color_weight: 0.4 },
        ],
      },
    });
  });

  it('accepts spaces or commas as separators and optional weights', () => {
    assert.deepEqual(parseCustomPalette('  #abc   #def:0.2,,#123456 '), {
      ok: true,
      palette: { members: [{ color_hex: '#abc' }, { color_hex: '#def', color_weight: 0.2 }, { color_hex: '#123456' }] },
    });
    assert.deepEqual(parseCustomPalette('#abc:'), { ok: true, palette: { members: [{ color_hex: '#abc' }] } });
  });

  it('adds a missing #', () => {
    assert.deepEqual(parseCustomPalette('ff0000:0.6 00f'), {
      ok: true,
      palette: { members: [{ color_hex: '#ff0000', color_weight: 0.6 }, { color_hex: '#00f' }] },
    });
  });

  it('rejects a weight that is not a number, quoting the entry', () => {
    assert.deepEqual(parseCustomPalette('#ff0000:abc'), {
      ok: false,
      problems: [{ code: 'palette-weight-not-number', path: 'color_palette', entry: '#ff0000:abc', weight: 'abc' }],
    });
    const both = parseCustomPalette('#ff0000:heavy, #00f:light');
    assert.equal(both.ok, false);
    if (!both.ok) assert.equal(both.problems.length, 2);
  });

  it('rejects an entry with two colons', () => {
    assert.deepEqual(parseCustomPalette('#ff0000:0.6:1'), {
      ok: false,
      problems: [{ code: 'palette-entry-colons', path: 'color_palette', entry: '#ff0000:0.6:1' }],
    });
  });

  it("rejects bad colours, out-of-range weights, nothing, and too many colours with the schema's messages", () => {
    const cases: Array<[string, RegExp]> = [
      ['#zz0000', /^color_palette\.members\.0\.color_hex: colour-invalid$/],
      ['#12', /^color_palette\.members\.0\.color_hex: colour-invalid$/],
      ['#ff0000:0.01', /^color_palette\.members\.0\.color_weight: colour-weight-too-small$/],
      ['#ff0000:2', /^color_palette\.members\.0\.color_weight: colour-weight-too-large$/],
      ['', /^color_palette\.members: palette-empty$/],
      [' , ', /^color_palette\.members: palette-empty$/],
      [Array.from({ length: 9 }, () => '#fff').join(','), /^color_palette\.members: palette-too-many$/],
    ];
    for (const [text, pattern] of cases) {
      const result = parseCustomPalette(text);
      assert.equal(result.ok, false, text);
      if (!result.ok) {
        assert.ok(
          result.problems.some((problem) => pattern.test(shown(problem))),
          `${JSON.stringify(text)}: ${result.problems.map(shown).join(' | ')}`,
        );
        for (const problem of result.problems) assertSpecific(problem);
      }
    }
  });

  it('gives a palette that validateRequest accepts unchanged', () => {
    const parsed = parseCustomPalette('#b470b3:0.49, #7a79e3:0.16, #a26563:0.1, #5c7d76:0.07, #642a9c:0.05');
    assert.ok(parsed.ok);
    if (parsed.ok)
      assert.deepEqual(accepted({ prompt: 'x', color_palette: parsed.palette }).color_palette, parsed.palette);
  });
});

describe('resolution helpers', () => {
  it('resolutionSize reads width then height', () => {
    assert.deepEqual(resolutionSize('RESOLUTION_1280_720'), { width: 1280, height: 720 });
    assert.deepEqual(resolutionSize('RESOLUTION_512_1536'), { width: 512, height: 1536 });
    assert.deepEqual(resolutionSize('RESOLUTION_1024_1024'), { width: 1024, height: 1024 });
  });

  it('resolutionSize of every resolution is a multiple of 16 with 640x1024..1024x1024 pixels', () => {
    for (const resolution of RESOLUTIONS) {
      const { width, height } = resolutionSize(resolution);
      assert.equal(`RESOLUTION_${width}_${height}`, resolution);
      assert.equal(width % 16, 0, resolution);
      assert.equal(height % 16, 0, resolution);
      assert.ok(width * height >= 655360 && width * height <= 1048576, resolution);
    }
  });

  it('aspectRatioLabel gives exact common ratios', () => {
    const cases: Array<[Resolution, string]> = [
      ['RESOLUTION_1024_1024', '1:1'],
      ['RESOLUTION_1280_720', '16:9'],
      ['RESOLUTION_720_1280', '9:16'],
      ['RESOLUTION_1024_768', '4:3'],
      ['RESOLUTION_768_1024', '3:4'],
      ['RESOLUTION_1152_768', '3:2'],
      ['RESOLUTION_768_1152', '2:3'],
      ['RESOLUTION_1536_512', '3:1'],
      ['RESOLUTION_512_1536', '1:3'],
      ['RESOLUTION_1408_704', '2:1'],
      ['RESOLUTION_1120_896', '5:4'],
      ['RESOLUTION_896_1120', '4:5'],
      ['RESOLUTION_1280_800', '16:10'],
      ['RESOLUTION_1024_640', '16:10'],
      ['RESOLUTION_640_1024', '10:16'],
    ];
    for (const [resolution, label] of cases) assert.equal(aspectRatioLabel(resolution), label, resolution);
  });

  it('aspectRatioLabel marks approximate ratios with ≈ and picks a near one', () => {
    assert.equal(aspectRatioLabel('RESOLUTION_1312_736'), '≈ 16:9');
    assert.equal(aspectRatioLabel('RESOLUTION_960_1024'), '≈ 1:1');
    assert.equal(aspectRatioLabel('RESOLUTION_1344_640'), '≈ 2:1');
    for (const resolution of RESOLUTIONS) {
      const label = aspectRatioLabel(resolution);
      const match = /^(≈ )?(\d+):(\d+)$/.exec(label);
      assert.ok(match, `${resolution}: ${label}`);
      const { width, height } = resolutionSize(resolution);
      const ratio = Number(match[2]) / Number(match[3]);
      if (match[1]) {
        assert.notEqual(width / height, ratio, `${resolution} is exactly ${label.slice(2)}, so it must not say ≈`);
        assert.ok(Math.abs(width / height - ratio) / ratio < 0.15, `${resolution}: ${label} is not near`);
      } else {
        assert.equal(width / height, ratio, `${resolution} is not exactly ${label}`);
      }
      // The label agrees with the orientation.
      const orientation = orientationOf(resolution);
      if (!match[1])
        assert.equal(orientation, ratio === 1 ? 'square' : ratio > 1 ? 'landscape' : 'portrait', resolution);
    }
  });

  // Regression (was a bug): 16:10 is in aspectRatioLabel's list of common ratios, but the exact ratio is reduced by the GCD to "8:5"
  // before the comparison, so exactly-16:10 sizes (1280x800, 1024x640, 640x1024) are labelled "≈ 16:10" / "≈ 10:16".
  it('aspectRatioLabel says 16:10 without ≈ for exactly 16:10 sizes', () => {
    assert.equal(aspectRatioLabel('RESOLUTION_1280_800'), '16:10');
    assert.equal(aspectRatioLabel('RESOLUTION_1024_640'), '16:10');
    assert.equal(aspectRatioLabel('RESOLUTION_640_1024'), '10:16');
  });

  it('orientationOf', () => {
    assert.equal(orientationOf('RESOLUTION_1024_1024'), 'square');
    assert.equal(orientationOf('RESOLUTION_1280_720'), 'landscape');
    assert.equal(orientationOf('RESOLUTION_720_1280'), 'portrait');
    assert.equal(orientationOf('RESOLUTION_1024_960'), 'landscape');
    const counts = { square: 0, landscape: 0, portrait: 0 };
    for (const resolution of RESOLUTIONS) counts[orientationOf(resolution)]++;
    assert.deepEqual(counts, { square: 1, landscape: 39, portrait: 38 });
  });
});

describe('request schema properties (fast-check)', () => {
  // A prompt must have at least one letter or digit (see the "no letters or digits" property below).
  const nonBlank = fc
    .string({ unit: 'binary', minLength: 1, maxLength: 300 })
    .filter((text) => /[\p{L}\p{N}]/u.test(text));
  const hexDigit = fc.constantFrom(...'0123456789abcdefABCDEF');
  const hexColour = fc
    .oneof(fc.array(hexDigit, { minLength: 3, maxLength: 3 }), fc.array(hexDigit, { minLength: 6, maxLength: 6 }))
    .map((digits) => `#${digits.join('')}`);
  const member = fc.record(
    { color_hex: hexColour, color_weight: fc.double({ min: 0.05, max: 1, noNaN: true, noDefaultInfinity: true }) },
    { requiredKeys: ['color_hex'], noNullPrototype: true },
  );
  const palette = fc.oneof(
    fc.record({ name: fc.constantFrom(...PALETTE_PRESETS) }, { noNullPrototype: true }),
    fc.record({ members: fc.array(member, { minLength: 1, maxLength: 8 }) }, { noNullPrototype: true }),
  );
  const validRequest = fc.record(
    {
      prompt: nonBlank,
      negative_prompt: fc.string({ unit: 'binary', maxLength: 200 }),
      magic_prompt_option: fc.constantFrom(...MAGIC_PROMPT_OPTIONS),
      resolution: fc.constantFrom(...RESOLUTIONS),
      seed: fc.integer({ min: SEED_MIN, max: SEED_MAX }),
      style_type: fc.constantFrom(...STYLE_TYPES),
      color_palette: palette,
    },
    { requiredKeys: ['prompt'], noNullPrototype: true },
  ) as unknown as fc.Arbitrary<GenerationRequestInput>;

  it('any valid generated request passes, with defaults filled in and nothing else changed', () => {
    fc.assert(
      fc.property(validRequest, (input) => {
        const request = accepted(input);
        const expected: Record<string, unknown> = {
          model: 'ideogram-txt-2-img',
          magic_prompt_option: 'AUTO',
          resolution: 'RESOLUTION_1024_1024',
          style_type: 'GENERAL',
          ...input,
          prompt: input.prompt.trim(),
        };
        if (typeof input.negative_prompt === 'string' && input.negative_prompt.trim() === '')
          delete expected.negative_prompt;
        assert.deepEqual(request, expected);
      }),
      { numRuns: 300 },
    );
  });

  it('a validated request round-trips through JSON unchanged and validates to itself', () => {
    fc.assert(
      fc.property(validRequest, (input) => {
        const request = accepted(input);
        const wire = JSON.parse(JSON.stringify(request)) as unknown;
        assert.deepEqual(wire, request);
        assert.deepEqual(accepted(wire), request);
        assert.deepEqual(accepted(JSON.parse(JSON.stringify(input))), request);
      }),
      { numRuns: 300 },
    );
  });

  it('any whitespace-only string is rejected as a prompt', () => {
    const whitespace = fc.array(
      fc.constantFrom(
        ' ',
        '\t',
        '\n',
        '\r',
        '\v',
        '\f',
        '\u00a0',
        '\u1680',
        '\u2000',
        '\u2009',
        '\u2028',
        '\u2029',
        '\u202f',
        '\u205f',
        '\u3000',
        '\ufeff',
      ),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(whitespace, (chars) => {
        assertOneProblem({ prompt: chars.join('') }, /prompt-empty/);
      }),
    );
  });

  // Regression (was a bug): the brief requires that a prompt with no letters or digits be rejected, but the schema only trims
  // whitespace: "!!!", "🎨", "---" and "\u200b" (zero-width space) are all accepted and sent (and billed).
  it('any string with no letters or digits is rejected as a prompt', () => {
    const noLettersOrDigits = fc
      .string({ unit: 'binary', maxLength: 50 })
      .filter((text) => !/[\p{L}\p{N}]/u.test(text));
    fc.assert(
      fc.property(noLettersOrDigits, (prompt) => {
        problemsOf({ prompt });
      }),
    );
  });

  it('any seed outside 0..2147483647 or not whole is rejected', () => {
    const badSeed = fc.oneof(
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }),
      fc.integer({ min: SEED_MAX + 1, max: Number.MAX_SAFE_INTEGER }),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Number.isInteger(value)),
    );
    fc.assert(
      fc.property(badSeed, (seed) => {
        assertOneProblem({ prompt: 'x', seed }, /^seed: seed-(not-whole|out-of-range)$/);
      }),
    );
  });

  it('any weight outside 0.05..1 is rejected', () => {
    const badWeight = fc.oneof(
      fc.double({ max: 0.05, maxExcluded: true, noNaN: true, noDefaultInfinity: true }),
      fc.double({ min: 1, minExcluded: true, noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(badWeight, (color_weight) => {
        assertOneProblem(
          { prompt: 'x', color_palette: { members: [{ color_hex: '#fff', color_weight }] } },
          /colour-weight-too-(small|large)$/,
        );
      }),
    );
  });
});
