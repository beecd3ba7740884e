// The recipe of a generated image inside the image file: an XMP packet (our recipe as JSON, the prompt as
// dc:description, the IPTC digital-source-type marker for AI images) and the AUTOMATIC1111-style
// "parameters" text (PNG text chunk, JPEG Exif UserComment). Reads them back, and reads what AUTOMATIC1111
// and ComfyUI write so their images show their prompt too. Pure: the host reads and writes the files.
import * as z from 'zod/mini';
import {
  isJpeg,
  isPng,
  JPEG_MAX_PAYLOAD,
  readJpegMetadata,
  readPngText,
  writeJpegMetadata,
  writePngText,
  XMP_JPEG_HEADER,
  type MetadataResult,
} from './imageMetadata';
import { modelLabel, type ImageInput, type OptionDescriptor } from './models/options';
import { DEFAULT_MODEL, modelBySlug } from './models/registry';
import {
  generationRequestSchema,
  modelOfRequest,
  parseCustomPalette,
  sizeOfRequest,
  validateRequest,
  type GenerationRequest,
} from './request';
import { withoutUndefined } from './text';
import { readSourceLineage, sourceLineageSchema, type SourceLineage } from './sourceLineage';

export const DIGITAL_SOURCE_TYPE_AI = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
export const RECIPE_NAMESPACE = 'https://github.com/ideogram-vscode/ideogram-vscode/ns/recipe/1.0/';
export const RECIPE_FORMAT = 'ideogram-recipe';
/** The PNG keyword of the XMP packet (the XMP specification's) and of the parameters text (AUTOMATIC1111's). */
export const PNG_XMP_KEYWORD = 'XML:com.adobe.xmp';
export const PNG_PARAMETERS_KEYWORD = 'parameters';
/** Prefix of the `Generator:` value by which our parameters text is recognised. */
export const GENERATOR_NAME = 'Ideogram for VS Code';
/** An XMP packet or a parameters text bigger than this is not ours and is not read (an "XMP bomb"). */
export const MAX_RECIPE_TEXT_LENGTH = 1024 * 1024;

/** How an image was made: enough to make it again with the same API, and nothing secret (no key, no URL). */
export interface ImageRecipe {
  /** The request as sent: prompt and every option. */
  request: GenerationRequest;
  /** The seed actually used, when known. */
  seed?: number;
  /** ISO 8601 time of the generation. */
  createdAt: string;
  /** The endpoint's model slug, e.g. `ideogram-txt-2-img`. */
  model?: string;
  /** The tool and its version, e.g. `Ideogram for VS Code 0.1.0`. */
  generator: string;
  /** The prompt after Magic Prompt, when the API said. */
  revisedPrompt?: string;
  /** The workspace image an image action made it from (its path, hash and the action). */
  source?: SourceLineage;
}

const recipeJsonSchema = z.object({
  format: z.literal(RECIPE_FORMAT),
  version: z.literal(1),
  request: generationRequestSchema,
  seed: z.optional(z.int()),
  createdAt: z.iso.datetime({ offset: true }),
  model: z.optional(z.string().check(z.maxLength(200))),
  generator: z.string().check(z.maxLength(200)),
  revisedPrompt: z.optional(z.string().check(z.maxLength(20_000))),
  source: z.optional(sourceLineageSchema),
});

/** What an image file says about how it was made. */
export type ImageRecipeReading =
  | { kind: 'recipe'; recipe: ImageRecipe; source: 'xmp' | 'parameters' }
  /** Made by another tool: its prompt when we could find one, and its raw text. */
  | { kind: 'foreign'; tool: 'AUTOMATIC1111' | 'ComfyUI'; prompt?: string; negativePrompt?: string; details: string }
  | { kind: 'none' }
  /** Not a PNG or JPEG (WebP, GIF): no metadata is read or written. */
  | { kind: 'unsupported' }
  | { kind: 'unreadable'; reason: string };

// ---- XMP ----------------------------------------------------------------------------------------------

/**
 * Text as XML character data. Characters XML 1.0 cannot hold at all (control characters, U+FFFE/U+FFFF, lone
 * surrogates) are dropped: they only reach the description, never the recipe, whose JSON escapes them.
 */
function escapeXml(text: string): string {
  return text
    .replace(
      // eslint-disable-next-line no-control-regex
      /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '',
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Decodes the five predefined entities and character references; nothing else (no DTD, no expansion). */
function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (_, entity: string) => {
    switch (entity) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const code = entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
    }
  });
}

function recipeJson(recipe: ImageRecipe): string {
  // JSON escapes control characters and lone surrogates itself; U+FFFE and U+FFFF it leaves, and XML forbids.
  return JSON.stringify(
    withoutUndefined({
      format: RECIPE_FORMAT,
      version: 1,
      request: recipe.request,
      seed: recipe.seed,
      createdAt: recipe.createdAt,
      model: recipe.model,
      generator: recipe.generator,
      revisedPrompt: recipe.revisedPrompt,
      source: recipe.source,
    }),
  ).replace(/[\ufffe\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16)}`);
}

/**
 * The XMP packet: the recipe as JSON (`ideogram:Recipe`), the prompt as `dc:description` (what photo tools
 * show), the creator tool and date, and the IPTC marker that says the image was made by a trained algorithm.
 */
export function recipeXmp(recipe: ImageRecipe, options: { description?: boolean; recipe?: boolean } = {}): string {
  const withDescription = options.description ?? true;
  const withRecipe = options.recipe ?? true;
  return [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"',
    `    xmlns:ideogram="${RECIPE_NAMESPACE}"`,
    `    Iptc4xmpExt:DigitalSourceType="${DIGITAL_SOURCE_TYPE_AI}"`,
    `    xmp:CreatorTool="${escapeXml(recipe.generator)}"`,
    `    xmp:CreateDate="${escapeXml(recipe.createdAt)}">`,
    ...(withDescription
      ? [
          `   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(recipe.request.prompt)}</rdf:li></rdf:Alt></dc:description>`,
        ]
      : []),
    ...(withRecipe ? [`   <ideogram:Recipe>${escapeXml(recipeJson(recipe))}</ideogram:Recipe>`] : []),
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

/** The recipe of an XMP packet written by `recipeXmp`, or undefined when it holds none (or a damaged one). */
export function recipeFromXmp(xmp: string): ImageRecipe | undefined {
  if (xmp.length > MAX_RECIPE_TEXT_LENGTH) return undefined;
  const open = xmp.indexOf('<ideogram:Recipe>');
  if (open < 0) return undefined;
  const close = xmp.indexOf('</ideogram:Recipe>', open);
  if (close < 0) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(unescapeXml(xmp.slice(open + '<ideogram:Recipe>'.length, close)));
  } catch {
    return undefined;
  }
  const parsed = recipeJsonSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { format: _format, version: _version, ...recipe } = parsed.data;
  return withoutUndefined(recipe);
}

// ---- parameters text (AUTOMATIC1111 form) --------------------------------------------------------------

/** A value A1111's parser reads back: quoted JSON when it has a comma, a quote or a line break. */
function parameterValue(value: string): string {
  return /[,"\n\r]/.test(value) || value !== value.trim() ? JSON.stringify(value) : value;
}

function paletteText(request: GenerationRequest): string | undefined {
  const palette = request.color_palette;
  if (!palette) return undefined;
  if ('name' in palette) return palette.name;
  return palette.members
    .map((member) =>
      member.color_weight === undefined ? member.color_hex : `${member.color_hex}:${member.color_weight}`,
    )
    .join(' ');
}

/**
 * The `Key` of an option in the parameters text: the words the first version wrote for the V2 options (so its
 * images still read back), the option's English label for the others.
 */
function parameterKey(option: OptionDescriptor): string {
  if (option.concept === 'style') return 'Style';
  if (option.concept === 'magic-prompt') return 'Magic prompt';
  if (option.concept === 'size' && option.kind === 'enum' && option.sizeOf?.(option.default).exact) return 'Size';
  return option.words.label;
}

/**
 * The key of an image model's picture field in the parameters text, by its role (a model takes one of each), so a
 * JPEG whose XMP did not fit still reads back as the action's recipe.
 */
const IMAGE_INPUT_KEYS: Readonly<Record<ImageInput['role'], string>> = {
  source: 'Source image',
  character: 'Character image',
};

/** The lineage's keys in the parameters text (the upload URL stays out: the request's picture field has it). */
const SOURCE_KEYS = { path: 'Source', action: 'Source action', sha256: 'Source SHA-256' } as const;

function sourcePairs(source: SourceLineage | undefined): Array<[string, string]> {
  if (!source) return [];
  return [
    [SOURCE_KEYS.path, source.path],
    [SOURCE_KEYS.action, source.action],
    [SOURCE_KEYS.sha256, source.sha256],
  ];
}

/** The options written as their own pairs (the seed, the prompts and the palette have theirs). */
const OWN_PAIRS = new Set(['seed', 'negative-prompt', 'palette']);

/**
 * The recipe as AUTOMATIC1111 writes its "parameters": the prompt, a `Negative prompt:` line, then one line
 * of `Key: value` pairs. Readers of A1111 images (and people) understand it. `Model` is the model's slug,
 * `Model name` what people call it ("Ideogram 3.0 · Quality").
 */
export function parametersText(recipe: ImageRecipe): string {
  const { request } = recipe;
  const model = modelOfRequest(request) ?? DEFAULT_MODEL;
  const seed = recipe.seed ?? request.seed;
  const size = sizeOfRequest(request);
  const options = model.options
    .filter((option) => !OWN_PAIRS.has(option.concept))
    .map((option): [string, string | undefined] => {
      if (parameterKey(option) === 'Size' && size) return ['Size', `${size.width}x${size.height}`];
      const value = request[option.name];
      return [parameterKey(option), value === undefined ? undefined : String(value)];
    });
  const pairs: Array<[string, string | undefined]> = [
    ['Seed', seed === undefined ? undefined : String(seed)],
    ...options,
    ['Color palette', paletteText(request)],
    ...(model.imageInputs ?? []).map((input): [string, string | undefined] => {
      const value = request[input.name];
      return [IMAGE_INPUT_KEYS[input.role], typeof value === 'string' ? value : undefined];
    }),
    ['Model', model.slug],
    ['Model name', modelLabel(model, request)],
    ['Generator', recipe.generator],
    ['Date', recipe.createdAt],
    ['Revised prompt', recipe.revisedPrompt],
    ...sourcePairs(recipe.source),
  ];
  const settings = pairs
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([key, value]) => `${key}: ${parameterValue(value)}`)
    .join(', ');
  const lines = [request.prompt];
  if (request.negative_prompt !== undefined && request.negative_prompt !== '')
    lines.push(`Negative prompt: ${request.negative_prompt}`);
  lines.push(settings);
  return lines.join('\n');
}

export interface ParsedParameters {
  prompt: string;
  negativePrompt?: string;
  /** The `Key: value` pairs of the last line, values unquoted. */
  settings: Record<string, string>;
}

/** `\w` of a regular expression: the first character of a key. */
function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** `[\w \-/]`: a character of a key. */
function isKeyCode(code: number): boolean {
  return isWordCode(code) || code === 32 || code === 45 || code === 47;
}

/** `\s` of a regular expression (what `String.prototype.trim` removes). */
function isSpaceCode(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** What `.` of a regular expression does not match. */
function isLineTerminatorCode(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/**
 * The `Key: value` pairs of a settings line, exactly as AUTOMATIC1111's pattern reads them
 * (`\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)`, modules/infotext_utils.py), in one pass. That pattern
 * backtracks quadratically over a long run without a colon: a committed image with such a text froze the
 * extension host for minutes on hover. Here every character is looked at a bounded number of times: a key is
 * always a whole run of key characters (the colon is not one), so a run that does not end in a colon is
 * skipped at once, and a quoted value stops at the first unescaped quote, which no later value starts before.
 */
export function parameterPairs(line: string): Array<[key: string, value: string]> {
  const pairs: Array<[string, string]> = [];
  const length = line.length;
  let position = 0;
  while (position < length) {
    let keyStart = position;
    while (keyStart < length && isSpaceCode(line.charCodeAt(keyStart))) keyStart++;
    if (keyStart >= length) break;
    if (!isWordCode(line.charCodeAt(keyStart))) {
      position = keyStart + 1;
      continue;
    }
    let keyEnd = keyStart + 1;
    while (keyEnd < length && isKeyCode(line.charCodeAt(keyEnd))) keyEnd++;
    // Every start inside this run ends at the same place: none of them can match if this one does not.
    if (keyEnd - keyStart < 2 || line.charCodeAt(keyEnd) !== 58 /* : */) {
      position = keyEnd;
      continue;
    }
    let valueStart = keyEnd + 1;
    while (valueStart < length && isSpaceCode(line.charCodeAt(valueStart))) valueStart++;
    let valueEnd = -1;
    if (line.charCodeAt(valueStart) === 34 /* " */) {
      let index = valueStart + 1;
      while (index < length) {
        const code = line.charCodeAt(index);
        if (code === 92 /* \ */) {
          if (index + 1 < length && !isLineTerminatorCode(line.charCodeAt(index + 1))) index += 2;
          else break;
        } else if (code === 34) break;
        else index++;
      }
      const closed = index < length && index > valueStart + 1 && line.charCodeAt(index) === 34;
      if (closed && (index + 1 === length || line.charCodeAt(index + 1) === 44) /* , */) valueEnd = index + 1;
    }
    if (valueEnd < 0) {
      valueEnd = line.indexOf(',', valueStart);
      if (valueEnd < 0) valueEnd = length;
    }
    pairs.push([line.slice(keyStart, keyEnd), line.slice(valueStart, valueEnd)]);
    position = valueEnd < length ? valueEnd + 1 : length;
  }
  return pairs;
}

/** Parses a parameters text the way AUTOMATIC1111 does (its last line is settings when it has 3+ pairs). */
export function parseParameters(text: string): ParsedParameters {
  // trimEnd, not /\s+$/: that pattern is quadratic over a long run of spaces that does not end the text.
  const lines = text.replace(/\r\n/g, '\n').trimEnd().split('\n');
  const last = lines[lines.length - 1] ?? '';
  const pairs = parameterPairs(last);
  const settings: Record<string, string> = Object.create(null) as Record<string, string>;
  if (pairs.length >= 3) {
    lines.pop();
    for (const [key, value] of pairs) {
      let unquoted = value.trim();
      if (unquoted.startsWith('"')) {
        try {
          unquoted = String(JSON.parse(unquoted));
        } catch {
          /* kept as written */
        }
      }
      settings[key.trim()] = unquoted;
    }
  }
  const negativeAt = lines.findIndex((line) => line.startsWith('Negative prompt:'));
  const promptLines = negativeAt < 0 ? lines : lines.slice(0, negativeAt);
  const result: ParsedParameters = { prompt: promptLines.join('\n').trim(), settings };
  if (negativeAt >= 0) {
    const negative = [
      lines[negativeAt].slice('Negative prompt:'.length).replace(/^ /, ''),
      ...lines.slice(negativeAt + 1),
    ].join('\n');
    result.negativePrompt = negative;
  }
  return result;
}

/** Our recipe from a parameters text we wrote (its `Generator:` is ours), else undefined. */
export function recipeFromParameters(text: string): ImageRecipe | undefined {
  if (text.length > MAX_RECIPE_TEXT_LENGTH) return undefined;
  return recipeFromParsedParameters(parseParameters(text));
}

function recipeFromParsedParameters(parsed: ParsedParameters): ImageRecipe | undefined {
  const { settings } = parsed;
  if (!settings.Generator?.startsWith(GENERATOR_NAME)) return undefined;
  // Images written before models were offered (no `Model name`) are the V2 model's, whatever their endpoint's slug;
  // a newer image of a model this version does not know is not read.
  const model = modelBySlug(settings.Model) ?? (settings['Model name'] === undefined ? DEFAULT_MODEL : undefined);
  if (!model) return undefined;
  const input: Record<string, unknown> = { model: model.slug, prompt: parsed.prompt };
  if (parsed.negativePrompt !== undefined) input.negative_prompt = parsed.negativePrompt;
  for (const option of model.options) {
    if (OWN_PAIRS.has(option.concept)) continue;
    const text = settings[parameterKey(option)];
    if (text === undefined) continue;
    if (option.kind === 'boolean') input[option.name] = text === 'true' ? true : text === 'false' ? false : text;
    else if (option.kind === 'integer') input[option.name] = /^\d{1,10}$/.test(text) ? Number(text) : text;
    else if (option.kind === 'enum' && parameterKey(option) === 'Size') {
      const [width, height] = text.split('x').map(Number);
      const choice = option.choices.find((each) => {
        const size = option.sizeOf?.(each);
        return size?.width === width && size.height === height;
      });
      if (choice) input[option.name] = choice;
    } else input[option.name] = text;
  }
  for (const imageInput of model.imageInputs ?? []) {
    const text = settings[IMAGE_INPUT_KEYS[imageInput.role]];
    if (text !== undefined) input[imageInput.name] = text;
  }
  const seed = /^\d{1,10}$/.test(settings.Seed ?? '') ? Number(settings.Seed) : undefined;
  if (seed !== undefined) input.seed = seed;
  const palette = settings['Color palette'];
  if (palette) {
    if (/^[A-Z]+$/.test(palette)) input.color_palette = { name: palette };
    else {
      const custom = parseCustomPalette(palette);
      if (custom.ok) input.color_palette = custom.palette;
    }
  }
  // A lineage this version cannot read (a newer action) makes the recipe a newer one: not read, like a newer model.
  const source =
    settings[SOURCE_KEYS.path] === undefined
      ? ({ kind: 'none' } as const)
      : readSourceLineage({
          path: settings[SOURCE_KEYS.path],
          action: settings[SOURCE_KEYS.action],
          sha256: settings[SOURCE_KEYS.sha256],
        });
  if (source.kind === 'unreadable') return undefined;
  const validated = validateRequest(input);
  if (!validated.ok) return undefined;
  const date =
    settings.Date && !Number.isNaN(Date.parse(settings.Date)) ? new Date(settings.Date).toISOString() : undefined;
  return withoutUndefined({
    request: validated.request,
    seed,
    createdAt: date ?? new Date(0).toISOString(),
    model: settings.Model,
    generator: settings.Generator,
    revisedPrompt: settings['Revised prompt'],
    source: source.kind === 'lineage' ? source.source : undefined,
  });
}

// ---- ComfyUI ------------------------------------------------------------------------------------------

/** The positive (and negative) prompt of a ComfyUI API graph (`prompt` chunk): the sampler's text inputs. */
export function comfyPrompts(promptJson: string): { prompt?: string; negativePrompt?: string } {
  if (promptJson.length > MAX_RECIPE_TEXT_LENGTH) return {};
  let graph: unknown;
  try {
    graph = JSON.parse(promptJson);
  } catch {
    return {};
  }
  if (!graph || typeof graph !== 'object' || Array.isArray(graph)) return {};
  const nodes = graph as Record<string, { class_type?: unknown; inputs?: Record<string, unknown> } | undefined>;
  const textOf = (reference: unknown): string | undefined => {
    if (!Array.isArray(reference) || (typeof reference[0] !== 'string' && typeof reference[0] !== 'number'))
      return undefined;
    const node = Object.prototype.hasOwnProperty.call(nodes, String(reference[0]))
      ? nodes[String(reference[0])]
      : undefined;
    const text = node?.inputs?.text;
    return typeof text === 'string' ? text : undefined;
  };
  for (const node of Object.values(nodes)) {
    const inputs = node && typeof node === 'object' ? node.inputs : undefined;
    if (!inputs || typeof inputs !== 'object' || !('positive' in inputs)) continue;
    const prompt = textOf(inputs.positive);
    if (prompt !== undefined) return withoutUndefined({ prompt, negativePrompt: textOf(inputs.negative) });
  }
  const encoder = Object.values(nodes).find(
    (node) =>
      node && typeof node === 'object' && node.class_type === 'CLIPTextEncode' && typeof node.inputs?.text === 'string',
  );
  return encoder ? { prompt: encoder.inputs?.text as string } : {};
}

// ---- files --------------------------------------------------------------------------------------------

function fromTexts(
  xmp: string | undefined,
  parameters: string | undefined,
  comfy: { prompt?: string; workflow?: string },
): ImageRecipeReading {
  const fromXmp = xmp !== undefined ? recipeFromXmp(xmp) : undefined;
  if (fromXmp) return { kind: 'recipe', recipe: fromXmp, source: 'xmp' };
  if (parameters !== undefined && parameters.length <= MAX_RECIPE_TEXT_LENGTH) {
    // Parsed once per file: the same text gives our recipe or another tool's prompt.
    const parsed = parseParameters(parameters);
    const ours = recipeFromParsedParameters(parsed);
    if (ours) return { kind: 'recipe', recipe: ours, source: 'parameters' };
    if (parsed.prompt !== '') {
      return withoutUndefined({
        kind: 'foreign' as const,
        tool: 'AUTOMATIC1111' as const,
        prompt: parsed.prompt,
        negativePrompt: parsed.negativePrompt,
        details: parameters,
      });
    }
  }
  if (comfy.prompt !== undefined || comfy.workflow !== undefined) {
    const prompts = comfy.prompt !== undefined ? comfyPrompts(comfy.prompt) : {};
    return withoutUndefined({
      kind: 'foreign' as const,
      tool: 'ComfyUI' as const,
      ...prompts,
      details: (comfy.prompt ?? comfy.workflow ?? '').slice(0, 2000),
    });
  }
  return { kind: 'none' };
}

/** Reads the recipe an image carries: ours (XMP first, then parameters), else another tool's prompt. */
export function readImageRecipe(bytes: Uint8Array): ImageRecipeReading {
  if (isPng(bytes)) {
    const texts = readPngText(bytes, [PNG_XMP_KEYWORD, PNG_PARAMETERS_KEYWORD, 'prompt', 'workflow']);
    if (!texts.ok) return { kind: 'unreadable', reason: texts.reason };
    const find = (keyword: string) => texts.value.find((text) => text.keyword === keyword)?.text;
    return fromTexts(find(PNG_XMP_KEYWORD), find(PNG_PARAMETERS_KEYWORD), {
      prompt: find('prompt'),
      workflow: find('workflow'),
    });
  }
  if (isJpeg(bytes)) {
    const metadata = readJpegMetadata(bytes);
    if (!metadata.ok) return { kind: 'unreadable', reason: metadata.reason };
    return fromTexts(metadata.value.xmp, metadata.value.userComment, {});
  }
  return { kind: 'unsupported' };
}

/**
 * The image with its recipe embedded (PNG: XMP `iTXt` + `parameters` text chunk; JPEG: XMP APP1 + Exif
 * UserComment). Only metadata is added; the pixels are untouched. WebP and GIF are not supported.
 */
export function embedRecipe(bytes: Uint8Array, recipe: ImageRecipe): MetadataResult<Uint8Array> {
  const parameters = parametersText(recipe);
  if (isPng(bytes)) {
    return writePngText(bytes, [
      { keyword: PNG_XMP_KEYWORD, text: recipeXmp(recipe), international: true },
      { keyword: PNG_PARAMETERS_KEYWORD, text: parameters },
    ]);
  }
  if (isJpeg(bytes)) {
    // One APP1 segment holds at most 64 KB: a very long (or heavily escaped) prompt leaves out the
    // description, then the recipe JSON; the parameters text in Exif still carries the whole recipe.
    const fits = (xmp: string) => new TextEncoder().encode(xmp).length + XMP_JPEG_HEADER.length <= JPEG_MAX_PAYLOAD;
    const xmp = [
      recipeXmp(recipe),
      recipeXmp(recipe, { description: false }),
      recipeXmp(recipe, { description: false, recipe: false }),
    ].find(fits);
    return writeJpegMetadata(bytes, { xmp, userComment: parameters });
  }
  return { ok: false, reason: 'only PNG and JPEG images can carry a recipe' };
}
