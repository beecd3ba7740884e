// The recipe inside image files (src/core/imageMetadata.ts, src/core/recipeMetadata.ts): written into real
// PNG and JPEG files, read back by us and by an independent reader (exiftool), pixels untouched, and every
// damaged or hostile file read or rejected quickly, never a crash.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fc from 'fast-check';
import * as jpeg from 'jpeg-js';
import {
  crc32,
  METADATA_LIMITS,
  pngTextChunk,
  readJpegMetadata,
  readPngText,
  writeJpegMetadata,
  writePngText,
} from '../../src/core/imageMetadata';
import {
  comfyPrompts,
  DIGITAL_SOURCE_TYPE_AI,
  embedRecipe,
  MAX_RECIPE_TEXT_LENGTH,
  parameterPairs,
  parametersText,
  parseParameters,
  readImageRecipe,
  recipeFromParameters,
  recipeXmp,
  type ImageRecipe,
} from '../../src/core/recipeMetadata';
import {
  MAGIC_PROMPT_OPTIONS,
  PALETTE_PRESETS,
  RESOLUTIONS,
  STYLE_TYPES,
  validateRequest,
  type GenerationRequest,
} from '../../src/core/request';
import { renderImage } from '../fake-segmind/image';

const PNG = new Uint8Array(renderImage(7, 1024, 1024, 'png'));
const JPEG = new Uint8Array(renderImage(7, 1024, 1024, 'jpeg'));

function recipeOf(
  input: Partial<GenerationRequest> & { prompt: string },
  extra: Partial<ImageRecipe> = {},
): ImageRecipe {
  const validated = validateRequest(input);
  assert.ok(validated.ok, JSON.stringify(validated));
  return {
    request: validated.request,
    createdAt: '2026-11-30T05:20:00.000Z',
    generator: 'Ideogram for VS Code 0.1.0',
    model: 'ideogram-txt-2-img',
    ...extra,
  };
}

const SAMPLE = recipeOf(
  {
    prompt: 'A lighthouse at dusk, flat vector, the words "Docs & Code" on a sign, ünïcødé 灯台',
    negative_prompt: 'blurry, text artifacts',
    style_type: 'DESIGN',
    magic_prompt_option: 'OFF',
    resolution: 'RESOLUTION_1280_720',
    seed: 1234,
    color_palette: { members: [{ color_hex: '#ff8800', color_weight: 0.6 }, { color_hex: '#1e90ff' }] },
  },
  { seed: 1234, revisedPrompt: 'A lighthouse, dusk, with "quotes", commas' },
);

/**
 * SAMPLE's parameters text, written out: what AUTOMATIC1111 (modules/infotext_utils.py) reads as the prompt, the
 * negative prompt and one settings line, a value with a comma or a quote JSON-quoted.
 */
const SAMPLE_PARAMETERS = [
  'A lighthouse at dusk, flat vector, the words "Docs & Code" on a sign, ünïcødé 灯台',
  'Negative prompt: blurry, text artifacts',
  'Seed: 1234, Style: DESIGN, Magic prompt: OFF, Size: 1280x720, Color palette: #ff8800:0.6 #1e90ff, Model: ideogram-txt-2-img, Model name: Ideogram 2.0, ' +
    'Generator: Ideogram for VS Code 0.1.0, Date: 2026-11-30T05:20:00.000Z, Revised prompt: "A lighthouse, dusk, with \\"quotes\\", commas"',
].join('\n');

function embedded(bytes: Uint8Array, recipe: ImageRecipe): Uint8Array {
  const result = embedRecipe(bytes, recipe);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.value;
}

/** The pixel data of a PNG: its IDAT chunks, inflated. */
function pngPixels(bytes: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  let offset = 8;
  const view = Buffer.from(bytes);
  while (offset < view.length) {
    const length = view.readUInt32BE(offset);
    if (view.toString('latin1', offset + 4, offset + 8) === 'IDAT')
      parts.push(view.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  return inflateSync(Buffer.concat(parts));
}

// ---- arbitraries ----------------------------------------------------------------------------------------

const wordy = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength }).map((text) => `x ${text}`.trim());
const requestArbitrary: fc.Arbitrary<GenerationRequest> = fc
  .record({
    prompt: wordy(300),
    negative_prompt: fc.option(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }).map((text) => `n${text}`),
      { nil: undefined },
    ),
    magic_prompt_option: fc.constantFrom(...MAGIC_PROMPT_OPTIONS),
    resolution: fc.constantFrom(...RESOLUTIONS),
    style_type: fc.constantFrom(...STYLE_TYPES),
    seed: fc.option(fc.integer({ min: 0, max: 2147483647 }), { nil: undefined }),
    color_palette: fc.option(
      fc.oneof(
        fc.constantFrom(...PALETTE_PRESETS).map((name) => ({ name })),
        fc
          .array(
            fc.record({
              color_hex: fc.constantFrom('#fff', '#000000', '#1e90ff', '#AbCdEf'),
              color_weight: fc.option(fc.constantFrom(0.05, 0.5, 1), { nil: undefined }),
            }),
            { minLength: 1, maxLength: 8 },
          )
          .map((members) => ({
            members: members.map((member) =>
              member.color_weight === undefined ? { color_hex: member.color_hex } : member,
            ),
          })),
      ),
      { nil: undefined },
    ),
  })
  .map((raw) => {
    const validated = validateRequest(JSON.parse(JSON.stringify(raw)));
    return validated.ok ? validated.request : recipeOf({ prompt: 'fallback' }).request;
  });

const recipeArbitrary: fc.Arbitrary<ImageRecipe> = fc
  .record({
    request: requestArbitrary,
    seed: fc.option(fc.integer({ min: 0, max: 2147483647 }), { nil: undefined }),
    createdAt: fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString()),
    model: fc.option(fc.constantFrom('ideogram-txt-2-img', 'ideogram-3'), { nil: undefined }),
    generator: fc.constant('Ideogram for VS Code 0.1.0'),
    // fast-check 4's fc.string() never makes a line break, the one character the parameters text must quote.
    revisedPrompt: fc.option(
      fc.string({
        maxLength: 80,
        unit: fc.oneof(fc.constantFrom('\n', '\r\n', '\r', ',', '"', ' '), fc.string({ minLength: 1, maxLength: 1 })),
      }),
      { nil: undefined },
    ),
  })
  .map((recipe) => JSON.parse(JSON.stringify(recipe)) as ImageRecipe);

// ---- tests --------------------------------------------------------------------------------------------

describe('recipe metadata in images', () => {
  describe('PNG', () => {
    it('carries the recipe in an XMP iTXt chunk and a "parameters" text chunk, before the pixels, with correct CRCs', () => {
      const file = embedded(PNG, SAMPLE);
      const texts = readPngText(file);
      assert.ok(texts.ok);
      assert.deepEqual(
        texts.value.map((text) => `${text.chunk} ${text.keyword}`),
        ['iTXt XML:com.adobe.xmp', 'iTXt parameters'],
      );
      assert.match(
        texts.value[0].text,
        /Iptc4xmpExt:DigitalSourceType="http:\/\/cv\.iptc\.org\/newscodes\/digitalsourcetype\/trainedAlgorithmicMedia"/,
      );
      assert.equal(texts.value[1].text, SAMPLE_PARAMETERS);
      // Chunk order: IHDR, our two text chunks, then the original chunks.
      assert.equal(Buffer.from(file).toString('latin1', 12, 16), 'IHDR');
      assert.deepEqual(readImageRecipe(file), { kind: 'recipe', recipe: SAMPLE, source: 'xmp' });
    });

    it('never changes a pixel, and writing twice replaces instead of piling up', () => {
      const once = embedded(PNG, SAMPLE);
      assert.deepEqual(pngPixels(once), pngPixels(PNG));
      const other = recipeOf({ prompt: 'second recipe' });
      const twice = embedded(once, other);
      assert.deepEqual(readImageRecipe(twice), { kind: 'recipe', recipe: other, source: 'xmp' });
      assert.equal(twice.length - PNG.length, embedded(PNG, other).length - PNG.length, 'the old chunks are gone');
    });

    it('uses tEXt for a Latin-1 parameters text, as AUTOMATIC1111 does', () => {
      const texts = readPngText(embedded(PNG, recipeOf({ prompt: 'plain ascii prompt' })));
      assert.ok(texts.ok);
      assert.equal(texts.value.find((text) => text.keyword === 'parameters')?.chunk, 'tEXt');
    });

    it('computes the CRC-32 PNG uses (IEND → AE426082)', () => {
      assert.equal(crc32(new TextEncoder().encode('IEND')), 0xae426082);
    });
  });

  describe('JPEG', () => {
    it('carries the recipe in an XMP APP1 segment and the parameters in Exif UserComment', () => {
      const file = embedded(JPEG, SAMPLE);
      const metadata = readJpegMetadata(file);
      assert.ok(metadata.ok);
      assert.equal(metadata.value.userComment, SAMPLE_PARAMETERS);
      assert.match(metadata.value.xmp ?? '', /trainedAlgorithmicMedia/);
      assert.deepEqual(readImageRecipe(file), { kind: 'recipe', recipe: SAMPLE, source: 'xmp' });
    });

    it('never changes a pixel', () => {
      const before = jpeg.decode(JPEG, { useTArray: true });
      const after = jpeg.decode(embedded(JPEG, SAMPLE), { useTArray: true });
      assert.equal(after.width, before.width);
      assert.ok(Buffer.from(after.data).equals(Buffer.from(before.data)));
    });

    it('a prompt too long for one XMP segment keeps the full recipe in the parameters text', () => {
      const long = recipeOf({ prompt: `a ${'&'.repeat(9_990)}`, negative_prompt: '<'.repeat(10_000) }, { seed: 5 });
      const file = embedded(JPEG, long);
      const reading = readImageRecipe(file);
      assert.equal(reading.kind, 'recipe');
      assert.deepEqual(reading.kind === 'recipe' && reading.recipe.request, { ...long.request, seed: 5 });
      assert.equal(reading.kind === 'recipe' && reading.source, 'parameters');
      const metadata = readJpegMetadata(file);
      assert.ok(metadata.ok && metadata.value.xmp?.includes('trainedAlgorithmicMedia'), 'the AI marker is still there');
    });
  });

  describe('round trips (property)', () => {
    it('every recipe comes back exactly from PNG and JPEG', () => {
      const smallPng = new Uint8Array(renderImage(1, 64, 64, 'png', { scale: 1 }));
      const smallJpeg = new Uint8Array(renderImage(1, 64, 64, 'jpeg', { scale: 1 }));
      fc.assert(
        fc.property(recipeArbitrary, (recipe) => {
          for (const image of [smallPng, smallJpeg]) {
            const reading = readImageRecipe(embedded(image, recipe));
            assert.deepEqual(reading, { kind: 'recipe', recipe, source: 'xmp' });
          }
        }),
        { numRuns: 150 },
      );
    });

    it('the parameters text alone gives back the request, seed and date', () => {
      fc.assert(
        fc.property(
          recipeArbitrary.filter((recipe) => !/\r|\nNegative prompt:/.test(recipe.request.prompt)),
          (recipe) => {
            const back = recipeFromParameters(parametersText(recipe));
            assert.ok(back, parametersText(recipe));
            const expected = { ...recipe.request };
            const seed = recipe.seed ?? recipe.request.seed;
            if (seed !== undefined) expected.seed = seed;
            const negative = expected.negative_prompt?.replace(/\r\n/g, '\n');
            if (negative !== undefined) expected.negative_prompt = negative;
            assert.deepEqual(back.request, expected);
            assert.equal(back.createdAt, recipe.createdAt);
            assert.equal(back.revisedPrompt, recipe.revisedPrompt);
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  describe('the parameters text', () => {
    it('quotes a value with a line break, so the settings stay on the last line and the recipe reads back', () => {
      const recipe = recipeOf(
        { prompt: 'a fox', style_type: 'GENERAL', magic_prompt_option: 'ON', resolution: 'RESOLUTION_1024_1024' },
        { revisedPrompt: 'A red fox.\nIn snow.', createdAt: '2026-12-01T10:00:00.000Z' },
      );
      const expected =
        'a fox\nStyle: GENERAL, Magic prompt: ON, Size: 1024x1024, Model: ideogram-txt-2-img, Model name: Ideogram 2.0, Generator: Ideogram for VS Code 0.1.0, ' +
        'Date: 2026-12-01T10:00:00.000Z, Revised prompt: "A red fox.\\nIn snow."';
      assert.equal(parametersText(recipe), expected);
      assert.equal(recipeFromParameters(expected)?.revisedPrompt, 'A red fox.\nIn snow.');
    });

    it('leaves out an empty negative prompt and any value it does not have', () => {
      const recipe = recipeOf(
        {
          prompt: 'plain',
          negative_prompt: '',
          resolution: 'RESOLUTION_1024_1024',
          style_type: 'GENERAL',
          magic_prompt_option: 'AUTO',
        },
        { model: undefined },
      );
      assert.equal(
        parametersText(recipe),
        'plain\nStyle: GENERAL, Magic prompt: AUTO, Size: 1024x1024, Model: ideogram-txt-2-img, Model name: Ideogram 2.0, Generator: Ideogram for VS Code 0.1.0, Date: 2026-11-30T05:20:00.000Z',
      );
    });
  });

  describe('other tools', () => {
    it('reads an AUTOMATIC1111 "parameters" text as A1111 does', () => {
      const text =
        'masterpiece, a cat, (sitting:1.2)\nwearing a hat\nNegative prompt: lowres, bad anatomy\nSteps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 42, Size: 512x768, Model hash: abc123, Lora hashes: "a: 1, b: 2"';
      const parsed = parseParameters(text);
      assert.equal(parsed.prompt, 'masterpiece, a cat, (sitting:1.2)\nwearing a hat');
      assert.equal(parsed.negativePrompt, 'lowres, bad anatomy');
      assert.equal(parsed.settings.Sampler, 'DPM++ 2M Karras');
      assert.equal(parsed.settings['Lora hashes'], 'a: 1, b: 2');
      const file = writePngText(PNG, [{ keyword: 'parameters', text }]);
      assert.ok(file.ok);
      assert.deepEqual(readImageRecipe(file.value), {
        kind: 'foreign',
        tool: 'AUTOMATIC1111',
        prompt: parsed.prompt,
        negativePrompt: 'lowres, bad anatomy',
        details: text,
      });
    });

    it("reads the prompt of a ComfyUI graph (the sampler's positive and negative inputs)", () => {
      const graph = JSON.stringify({
        3: { class_type: 'KSampler', inputs: { seed: 1, positive: ['6', 0], negative: ['7', 0], model: ['4', 0] } },
        6: { class_type: 'CLIPTextEncode', inputs: { text: 'a photo of a fox', clip: ['4', 1] } },
        7: { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
      });
      assert.deepEqual(comfyPrompts(graph), { prompt: 'a photo of a fox', negativePrompt: 'blurry' });
      const file = writePngText(PNG, [
        { keyword: 'prompt', text: graph },
        { keyword: 'workflow', text: '{"nodes":[]}' },
      ]);
      assert.ok(file.ok);
      const reading = readImageRecipe(file.value);
      assert.equal(reading.kind, 'foreign');
      assert.equal(reading.kind === 'foreign' && reading.tool, 'ComfyUI');
      assert.equal(reading.kind === 'foreign' && reading.prompt, 'a photo of a fox');
      assert.deepEqual(comfyPrompts('{"__proto__": {"inputs": {"positive": ["x"]}}}'), {});
    });

    it('an image without metadata says so; WebP and GIF are not supported', () => {
      assert.deepEqual(readImageRecipe(PNG), { kind: 'none' });
      assert.deepEqual(readImageRecipe(JPEG), { kind: 'none' });
      assert.deepEqual(readImageRecipe(new TextEncoder().encode('GIF89a……')), { kind: 'unsupported' });
      assert.equal(embedRecipe(new TextEncoder().encode('RIFF....WEBP'), SAMPLE).ok, false);
    });
  });

  describe('damaged and hostile files', () => {
    const files = [embedded(PNG, SAMPLE), embedded(JPEG, SAMPLE)];

    it('every mutation of a valid file is read or rejected, never a crash', () => {
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
        fc.record({
          kind: fc.constant('insert' as const),
          at: fc.nat(),
          bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
        }),
        fc.record({
          kind: fc.constant('length' as const),
          at: fc.nat(),
          value: fc.constantFrom(0, 1, 0xff, 0xffff, 0x7fffffff, 0xffffffff),
        }),
      );
      fc.assert(
        fc.property(fc.constantFrom(0, 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, mutations) => {
          let bytes = Uint8Array.from(files[which]);
          for (const change of mutations) {
            const at = change.at % Math.max(1, bytes.length);
            if (change.kind === 'flip') bytes[at] = change.value;
            else if (change.kind === 'truncate') bytes = bytes.slice(0, at);
            else if (change.kind === 'insert')
              bytes = Uint8Array.from([...bytes.subarray(0, at), ...change.bytes, ...bytes.subarray(at)]);
            else if (at + 4 <= bytes.length) new DataView(bytes.buffer).setUint32(at, change.value);
          }
          const reading = readImageRecipe(bytes);
          assert.ok(['recipe', 'foreign', 'none', 'unreadable', 'unsupported'].includes(reading.kind));
          const rewritten = embedRecipe(bytes, SAMPLE);
          if (rewritten.ok)
            assert.deepEqual(readImageRecipe(rewritten.value), { kind: 'recipe', recipe: SAMPLE, source: 'xmp' });
        }),
        { numRuns: 400 },
      );
    });

    it('rejects a chunk that declares a huge length, quickly and without allocating it', () => {
      const bytes = Uint8Array.from(PNG);
      new DataView(bytes.buffer).setUint32(33, 0x7ffffff0); // the chunk after IHDR
      const reading = readImageRecipe(bytes);
      assert.equal(reading.kind, 'unreadable');
      assert.match(reading.kind === 'unreadable' ? reading.reason : '', /past the end/);
      const jpegBytes = Uint8Array.from(JPEG);
      jpegBytes[4] = 0xff;
      jpegBytes[5] = 0xff; // the APP0 segment's length
      assert.equal(readImageRecipe(jpegBytes.subarray(0, 1000)).kind, 'unreadable');
    });

    // How fast hostile files are refused is measured by `npm run bench` (bench/recipe.mjs); here, that they are.
    it('rejects a million chunks', () => {
      const header = PNG.subarray(0, 33); // signature + IHDR
      const tiny = pngTextChunk('a', '');
      const many = new Uint8Array(header.length + tiny.length * 1_000_000);
      many.set(header, 0);
      for (let i = 0; i < 1_000_000; i++) many.set(tiny, header.length + i * tiny.length);
      const reading = readImageRecipe(many);
      assert.equal(reading.kind, 'unreadable');
      assert.match(
        reading.kind === 'unreadable' ? reading.reason : '',
        new RegExp(`more than ${METADATA_LIMITS.maxParts}`),
      );
    });

    it('an XMP bomb (entity expansion, a huge packet) is neither expanded nor read', () => {
      const entities = Array.from(
        { length: 10 },
        (_, index) => `<!ENTITY e${index + 1} "${`&e${index};`.repeat(10)}">`,
      ).join('');
      const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e0 "boom">${entities}]><x:xmpmeta xmlns:x="adobe:ns:meta/"><ideogram:Recipe>&e10;</ideogram:Recipe></x:xmpmeta>`;
      const withBomb = writePngText(PNG, [{ keyword: 'XML:com.adobe.xmp', text: bomb, international: true }]);
      assert.ok(withBomb.ok);
      assert.deepEqual(readImageRecipe(withBomb.value), { kind: 'none' });
      const huge = writePngText(PNG, [
        {
          keyword: 'XML:com.adobe.xmp',
          text: `${recipeXmp(SAMPLE)}${' '.repeat(METADATA_LIMITS.maxTextBytes)}`,
          international: true,
        },
      ]);
      assert.ok(huge.ok);
      assert.deepEqual(readImageRecipe(huge.value), { kind: 'none' });
    });

    it('an XMP packet over 1 MiB is not read, though the PNG reader would take up to 4 MiB', () => {
      const padded = `${recipeXmp(SAMPLE)}${' '.repeat(1024 * 1024)}`;
      assert.ok(padded.length < METADATA_LIMITS.maxTextBytes / 2, 'inside what the chunk reader accepts');
      const file = writePngText(PNG, [{ keyword: 'XML:com.adobe.xmp', text: padded, international: true }]);
      assert.ok(file.ok);
      assert.deepEqual(readImageRecipe(file.value), { kind: 'none' });
      const underTheCap = writePngText(PNG, [
        {
          keyword: 'XML:com.adobe.xmp',
          text: `${recipeXmp(SAMPLE)}${' '.repeat(1024 * 1024 - 100_000)}`,
          international: true,
        },
      ]);
      assert.ok(underTheCap.ok);
      assert.equal(readImageRecipe(underTheCap.value).kind, 'recipe', 'the same packet under the cap is read');
    });

    // Issue 24: AUTOMATIC1111's settings pattern backtracks quadratically; a committed 40 KB PNG froze the
    // extension host for 5 s on hover, 1 MB for hours. The parser reads the same pairs in one pass.
    describe('a hostile "parameters" text (the hover reads it)', () => {
      const A1111_PATTERN = /\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/g;
      const a1111Pairs = (line: string) => [...line.matchAll(A1111_PATTERN)].map((match) => [match[1], match[2]]);

      it("reads the same pairs as AUTOMATIC1111's own pattern, for any settings line", () => {
        const piece = fc.constantFrom(
          'a',
          'Z',
          '9',
          '_',
          ' ',
          '-',
          '/',
          ':',
          ',',
          '"',
          '\\',
          '\t',
          '\r',
          '\u2028',
          '\u00a0',
          'é',
          'Seed',
          'Size: 512x512',
          ': "',
        );
        fc.assert(
          fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
            const line = pieces.join('');
            assert.deepEqual(parameterPairs(line), a1111Pairs(line));
          }),
          { numRuns: 5000 },
        );
      });

      /** A settings line that counts how often the parser looks at a character (`indexOf` counts what it passed). */
      function countingLine(text: string): { line: string; looks: () => number } {
        let looks = 0;
        const line = {
          length: text.length,
          charCodeAt: (index: number) => {
            looks++;
            return text.charCodeAt(index);
          },
          indexOf: (search: string, from: number) => {
            const found = text.indexOf(search, from);
            looks += (found < 0 ? text.length : found + 1) - from;
            return found;
          },
          slice: (start: number, end: number) => text.slice(start, end),
        };
        return { line: line as unknown as string, looks: () => looks };
      }

      const PROMPT = 'A lighthouse at dusk\n';
      const SETTINGS = 'Steps: 20, Seed: 42, Size: 512x512, ';
      /** The last line, filled to the longest text that is still read (1 MB). */
      const fill = (unit: string, head = '') =>
        head + unit.repeat(Math.floor((MAX_RECIPE_TEXT_LENGTH - PROMPT.length - head.length) / unit.length));
      const hostile: Array<[string, string]> = [
        ['one run of key characters without a colon', fill('a')],
        ['settings, then words and slashes without a colon', fill('ab cd/e-f ', SETTINGS)],
        ['keys with unclosed quotes and escapes', fill('k: "x\\, ')],
        ['many single-letter keys', fill('a:')],
        ['spaces that do not end the text', `${fill(' ').slice(1)}x`],
      ];

      for (const [shape, line] of hostile) {
        it(`a ${Math.round((PROMPT.length + line.length) / 1024)} KB text of ${shape}: each character looked at a few times, the image read`, () => {
          const counting = countingLine(line);
          const pairs = parameterPairs(counting.line);
          assert.ok(counting.looks() <= 3 * line.length, `${counting.looks()} looks at ${line.length} characters`);
          const text = PROMPT + line;
          assert.ok(text.length >= 1024 * 1024 - 16 && text.length <= MAX_RECIPE_TEXT_LENGTH);
          const file = writePngText(PNG, [{ keyword: 'parameters', text }]);
          assert.ok(file.ok);
          const prompt = pairs.length >= 3 ? PROMPT.trim() : text.trim();
          assert.deepEqual(readImageRecipe(file.value), {
            kind: 'foreign',
            tool: 'AUTOMATIC1111',
            prompt,
            details: text,
          });
        });
      }

      it('a JPEG with a hostile Exif UserComment (64 KB, what froze the host for 11 s) is read', () => {
        const text = 'ab cd/e-f '.repeat(6000);
        const file = writeJpegMetadata(JPEG, { userComment: text });
        assert.ok(file.ok);
        assert.deepEqual(readImageRecipe(file.value), {
          kind: 'foreign',
          tool: 'AUTOMATIC1111',
          prompt: text.trim(),
          details: text,
        });
      });
    });

    it('a text chunk with a bad CRC is not trusted', () => {
      const file = Uint8Array.from(embedded(PNG, SAMPLE));
      const texts = readPngText(file);
      assert.ok(texts.ok && texts.value.length === 2);
      // Flip a byte inside the first text chunk's data (after IHDR: 33 + 8 header bytes + a few).
      file[33 + 8 + 20] ^= 0x01;
      const damaged = readPngText(file);
      assert.ok(damaged.ok);
      assert.deepEqual(
        damaged.value.map((text) => text.keyword),
        ['parameters'],
      );
    });
  });

  describe('exiftool, an independent reader', () => {
    let folder: string;
    before(() => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ideogram-exiftool-'));
    });
    after(() => fs.rmSync(folder, { recursive: true, force: true }));

    // exiftool is installed by scripts/provision-tools.sh (Debian: libimage-exiftool-perl). Missing, this fails.
    const exiftool = (file: string): Record<string, unknown> => {
      const output = execFileSync(
        'exiftool',
        [
          '-j',
          '-G1',
          '-a',
          '-struct',
          '-validate',
          '-warning',
          '-error',
          '-XMP:all',
          '-EXIF:UserComment',
          '-PNG:all',
          file,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      return (JSON.parse(output) as Array<Record<string, unknown>>)[0];
    };

    for (const [format, image] of [
      ['png', PNG],
      ['jpg', JPEG],
    ] as const) {
      it(`reads the prompt, the parameters text and the AI marker from a ${format.toUpperCase()} we wrote, with no warnings`, () => {
        const file = path.join(folder, `recipe.${format}`);
        fs.writeFileSync(file, embedded(image, SAMPLE));
        const tags = exiftool(file);
        const warnings = Object.entries(tags).filter(([key]) => /Warning|Error/.test(key));
        assert.deepEqual(warnings, [], JSON.stringify(tags, null, 2));
        assert.equal(tags['XMP-iptcExt:DigitalSourceType'], DIGITAL_SOURCE_TYPE_AI);
        assert.equal(tags['XMP-dc:Description'], SAMPLE.request.prompt);
        assert.equal(tags['XMP-xmp:CreatorTool'], SAMPLE.generator);
        const recipeJson = JSON.parse(String(tags['XMP-ideogram:Recipe'])) as {
          request: GenerationRequest;
          seed: number;
        };
        assert.deepEqual(recipeJson.request, SAMPLE.request);
        assert.equal(recipeJson.seed, 1234);
        const parameters = format === 'png' ? tags['PNG:Parameters'] : tags['ExifIFD:UserComment'];
        assert.equal(parameters, SAMPLE_PARAMETERS);
      });
    }

    it('reads the AI marker and the recipe from 40 random recipes in PNG and JPEG (odd characters, long prompts), with no warnings', function () {
      this.timeout(60_000);
      const recipes = fc.sample(recipeArbitrary, { numRuns: 18, seed: 12 });
      // Escaped for XML, this one's recipe cannot fit the 64 KB XMP segment of a JPEG: there, the Exif text carries it.
      const tooLongForJpegXmp = recipeOf(
        { prompt: `a ${'&<>"\u0001\ufffe'.repeat(1_600)}`, negative_prompt: '\u{1F600}'.repeat(5_000) },
        { seed: 1 },
      );
      recipes.push(tooLongForJpegXmp);
      recipes.push(recipeOf({ prompt: 'x'.repeat(10_000), negative_prompt: 'ü'.repeat(10_000) }));
      const files = recipes.flatMap((recipe, index) =>
        (
          [
            ['png', PNG],
            ['jpg', JPEG],
          ] as const
        ).map(([format, image]) => {
          const file = path.join(folder, `random-${index}.${format}`);
          fs.writeFileSync(file, embedded(image, recipe));
          return { file, recipe };
        }),
      );
      const output = execFileSync(
        'exiftool',
        [
          '-j',
          '-G1',
          '-a',
          '-validate',
          '-warning',
          '-error',
          '-XMP:all',
          '-EXIF:UserComment',
          '-PNG:all',
          ...files.map((entry) => entry.file),
        ],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const results = JSON.parse(output) as Array<Record<string, unknown>>;
      assert.equal(results.length, files.length);
      for (const [index, tags] of results.entries()) {
        const { recipe } = files[index];
        const warnings = Object.entries(tags).filter(([key]) => /Warning|Error/.test(key));
        assert.deepEqual(warnings, [], `${files[index].file}: ${JSON.stringify(warnings)}`);
        assert.equal(tags['XMP-iptcExt:DigitalSourceType'], DIGITAL_SOURCE_TYPE_AI, files[index].file);
        const parameters = String(
          files[index].file.endsWith('.png') ? tags['PNG:Parameters'] : tags['ExifIFD:UserComment'],
        );
        assert.ok(parameters.includes(`Generator: ${recipe.generator}`), `${files[index].file}: the parameters text`);
        if (recipe === tooLongForJpegXmp && files[index].file.endsWith('.jpg')) {
          assert.equal(tags['XMP-ideogram:Recipe'], undefined, 'left out of the XMP segment');
          assert.ok(parameters.startsWith('a &<>"'), `${files[index].file}: the Exif text carries the prompt`);
          continue;
        }
        assert.ok(tags['XMP-ideogram:Recipe'] !== undefined, `${files[index].file}: the recipe is in the XMP`);
        assert.deepEqual(
          (JSON.parse(String(tags['XMP-ideogram:Recipe'])) as { request: unknown }).request,
          recipe.request,
          files[index].file,
        );
      }
    });
  });
});
