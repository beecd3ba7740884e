// A fake of Segmind's Ideogram routes (`POST /v1/<slug>`, `POST /v2/<slug>`) for tests, demos and benchmarks:
// `ideogram-txt-2-img`, its Turbo and 2a, `ideogram-3` and `ideogram-4`, each in its own dialect; the models that take
// an image (remix, reframe, replace background, character, describe); and Segmind Storage's `POST /upload-asset`,
// which turns a local picture into the URL those models take.
//
// It mirrors the Segmind contract (docs/segmind-ideogram-api.md, docs/segmind-async-api.md, docs/segmind-models.md) and validates requests on its own,
// without importing the client's schema, so that it catches client bugs: a field or an enum value the model does
// not take is a 400 with Segmind's error shape (`{"error": "…"}`).
// See README.md beside this file for every knob.
import * as http from 'node:http';
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { DEFAULT_IMAGE_SCALE, type ImageHeader, jpegPrefix, readImageHeader, renderImage } from './image';

export type FakeResponseShape =
  'binary' | 'json-base64' | 'json-output-url' | 'json-output-array' | 'json-ideogram-data';
export type FakeFault =
  | 'reset-before-headers'
  | 'reset-mid-body'
  | 'stall-body'
  | 'trickle'
  | 'truncated-body'
  | 'not-an-image'
  | 'wrong-content-type'
  | 'empty-200'
  | 'huge-body'
  | 'json-url-404'
  | 'unsafe-image';
/**
 * The answers of `/upload-asset`: Segmind's docs (`urls`), its Python SDK (`file_urls`), and `urls` pointing at a host
 * that is neither Segmind nor the fake (`foreign-urls`), an answer a client must not believe.
 */
export type FakeUploadShape = 'urls' | 'file_urls' | 'foreign-urls';
export const UPLOAD_SHAPES: readonly FakeUploadShape[] = ['urls', 'file_urls', 'foreign-urls'];

export interface FakeSegmindOptions {
  port?: number; // default 0 (ephemeral); always binds 127.0.0.1
  latencyMs?: number; // delay before answering a valid request, default 0
  format?: 'jpeg' | 'png'; // default 'jpeg'
  responseShape?: FakeResponseShape; // default 'binary'
  imageBytes?: number; // approximate target size of images (padded with JPEG COM / PNG tEXt), default: natural size
  credits?: number; // starting x-remaining-credits, default 12.3456, decremented by cost per generation
  cost?: number; // default 0.1
  validKeys?: string[]; // if set, only these keys (and fake-status-NNN keys) are accepted; default: any non-empty key
  rateLimitResetMs?: number; // how far in the future a 429's x-rate-limit-reset-at-utc is, default 2000
  rateLimitPerMinute?: number; // if set, the fake enforces it (429 beyond it); default: not enforced, headers count against 50
  imageScale?: number; // images are encoded at this fraction of the requested size, default 0.25 (1 = full size)
  imageTtlMs?: number; // how long /__images/ URLs of the JSON shapes stay valid, default 600000 (10 min)
  asyncApi?: boolean; // serve the async (V2) routes, default true; false answers them 404 like a V1-only proxy
  jobTtlMs?: number; // how long a V2 job's record is kept after submission, default 3600000 (1 h), then 404
  uploadResponseShape?: FakeUploadShape; // the key of /upload-asset's answer, default 'urls' (Segmind's docs)
  uploadMaxBytes?: number; // an /upload-asset request body above this many bytes is a 413, default 32 MiB
  log?: (line: string) => void; // called with one line per API request (the CLI prints them); not settable via /__control
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json?: unknown;
  /** HTTP status sent; 0 while pending or when no status line was sent (client aborted, reset-before-headers). */
  status: number;
  /** Set when the client went away before the answer was complete. */
  aborted?: boolean;
}

export interface FakeSegmind {
  readonly url: string;
  readonly endpoint: string;
  /** Every API request received, in order (/__control and /__images requests excluded). */
  readonly requests: RecordedRequest[];
  /** GET/HEAD requests to /__images/ (the URLs of the JSON response shapes), in order. */
  readonly imageRequests: RecordedRequest[];
  /** V2 status and result reads (GET /v2/requests/…), in order. Submits are in `requests`. */
  readonly jobReads: RecordedRequest[];
  /** Reads of the free balance route (GET /v1/get-user-credits), in order: they bill nothing and are not in `requests`. */
  readonly balanceReads: RecordedRequest[];
  /** Every POST /upload-asset, in order (not in `requests`: an upload runs no model and bills nothing). */
  readonly uploads: RecordedRequest[];
  /** Every picture /upload-asset stored, by the URL it answered. Kept across `reset()`, like Segmind's storage. */
  readonly assets: ReadonlyMap<string, FakeAsset>;
  /** The next N uploads answer with this HTTP status instead of storing anything. */
  failUploadsNext(status: number, count?: number): void;
  /** Forgets every uploaded picture: its URL answers 404 and a model given it answers 400 (an expired URL). */
  forgetAssets(): void;
  /** Every V2 job, by request id: when it was submitted and when it became (or becomes) COMPLETED or FAILED. */
  readonly jobs: ReadonlyMap<string, FakeJobInfo>;
  /** The next N V2 status or result reads answer with this HTTP status (429, 500, …) instead of the job's state. */
  failReadsNext(status: number, count?: number): void;
  /** Makes every job's record older than its TTL: every route answers 404 for it from now on. */
  expireJobs(): void;
  /** Finishes every running job now (a test that holds jobs with a long latency releases them). */
  completeJobs(): void;
  /** Current balance reported in x-remaining-credits. */
  readonly credits: number;
  configure(options: Partial<FakeSegmindOptions>): void;
  /** The next N valid requests answer with this HTTP status (and its contract body/headers) instead of an image. */
  failNext(status: number, count?: number): void;
  /** The next N valid requests suffer this network/body fault. */
  faultNext(fault: FakeFault, count?: number): void;
  reset(): void;
  close(): Promise<void>;
}

export const ENDPOINT_PATH = '/v1/ideogram-txt-2-img';
export const ASYNC_SUBMIT_PATH = '/v2/ideogram-txt-2-img';
export const BALANCE_PATH = '/v1/get-user-credits';
/** Segmind Storage's upload route, on the fake's own origin (Segmind serves it on workflows-api.segmind.com). */
export const UPLOAD_PATH = '/upload-asset';

/** A picture stored by /upload-asset. */
export interface FakeAsset extends ImageHeader {
  url: string;
  bytes: Buffer;
  contentType: string;
  uploadedAt: number;
}

export interface FakeJobInfo {
  requestId: string;
  submittedAt: number;
  /** When the status turns COMPLETED (or FAILED, for an injected 422). */
  finishesAt: number;
  outcome: 'completed' | 'failed';
  /** The model's slug. */
  model: string;
  /** The image's download URL once the result was read (the first, when the job made several). */
  imageUrl?: string;
  /** Every image's download URL once the result was read. */
  imageUrls?: string[];
}

export const FAKE_FAULTS: readonly FakeFault[] = [
  'reset-before-headers',
  'reset-mid-body',
  'stall-body',
  'trickle',
  'truncated-body',
  'not-an-image',
  'wrong-content-type',
  'empty-200',
  'huge-body',
  'json-url-404',
  'unsafe-image',
];
export const RESPONSE_SHAPES: readonly FakeResponseShape[] = [
  'binary',
  'json-base64',
  'json-output-url',
  'json-output-array',
  'json-ideogram-data',
];

// ---- the request contract (copied from the contract document, not from src/) -----------------

const MAGIC_PROMPT_OPTIONS = ['AUTO', 'ON', 'OFF'];
const STYLE_TYPES = ['GENERAL', 'REALISTIC', 'DESIGN', 'RENDER_3D', 'ANIME'];
const PALETTE_PRESETS = ['EMBER', 'FRESH', 'JUNGLE', 'MAGIC', 'MELON', 'MOSAIC', 'PASTEL', 'ULTRAMARINE'];
const HEX_PATTERN = /^#(?:[0-9a-fA-F]{3}){1,2}$/;
const SEED_MAX = 2147483647;

export const FAKE_RESOLUTIONS: readonly string[] = [
  'RESOLUTION_512_1536',
  'RESOLUTION_576_1408',
  'RESOLUTION_576_1472',
  'RESOLUTION_576_1536',
  'RESOLUTION_640_1024',
  'RESOLUTION_640_1344',
  'RESOLUTION_640_1408',
  'RESOLUTION_640_1472',
  'RESOLUTION_640_1536',
  'RESOLUTION_704_1152',
  'RESOLUTION_704_1216',
  'RESOLUTION_704_1280',
  'RESOLUTION_704_1344',
  'RESOLUTION_704_1408',
  'RESOLUTION_704_1472',
  'RESOLUTION_720_1280',
  'RESOLUTION_736_1312',
  'RESOLUTION_768_1024',
  'RESOLUTION_768_1088',
  'RESOLUTION_768_1152',
  'RESOLUTION_768_1216',
  'RESOLUTION_768_1232',
  'RESOLUTION_768_1280',
  'RESOLUTION_768_1344',
  'RESOLUTION_832_960',
  'RESOLUTION_832_1024',
  'RESOLUTION_832_1088',
  'RESOLUTION_832_1152',
  'RESOLUTION_832_1216',
  'RESOLUTION_832_1248',
  'RESOLUTION_864_1152',
  'RESOLUTION_896_960',
  'RESOLUTION_896_1024',
  'RESOLUTION_896_1088',
  'RESOLUTION_896_1120',
  'RESOLUTION_896_1152',
  'RESOLUTION_960_832',
  'RESOLUTION_960_896',
  'RESOLUTION_960_1024',
  'RESOLUTION_960_1088',
  'RESOLUTION_1024_640',
  'RESOLUTION_1024_768',
  'RESOLUTION_1024_832',
  'RESOLUTION_1024_896',
  'RESOLUTION_1024_960',
  'RESOLUTION_1024_1024',
  'RESOLUTION_1088_768',
  'RESOLUTION_1088_832',
  'RESOLUTION_1088_896',
  'RESOLUTION_1088_960',
  'RESOLUTION_1120_896',
  'RESOLUTION_1152_704',
  'RESOLUTION_1152_768',
  'RESOLUTION_1152_832',
  'RESOLUTION_1152_864',
  'RESOLUTION_1152_896',
  'RESOLUTION_1216_704',
  'RESOLUTION_1216_768',
  'RESOLUTION_1216_832',
  'RESOLUTION_1232_768',
  'RESOLUTION_1248_832',
  'RESOLUTION_1280_704',
  'RESOLUTION_1280_720',
  'RESOLUTION_1280_768',
  'RESOLUTION_1280_800',
  'RESOLUTION_1312_736',
  'RESOLUTION_1344_640',
  'RESOLUTION_1344_704',
  'RESOLUTION_1344_768',
  'RESOLUTION_1408_576',
  'RESOLUTION_1408_640',
  'RESOLUTION_1408_704',
  'RESOLUTION_1472_576',
  'RESOLUTION_1472_640',
  'RESOLUTION_1472_704',
  'RESOLUTION_1536_512',
  'RESOLUTION_1536_576',
  'RESOLUTION_1536_640',
];

/** Ideogram 3.0's 69 `WxH` resolutions (upstream `ResolutionV3`). */
export const FAKE_V3_RESOLUTIONS: readonly string[] = [
  '512x1536',
  '576x1408',
  '576x1472',
  '576x1536',
  '640x1344',
  '640x1408',
  '640x1472',
  '640x1536',
  '704x1152',
  '704x1216',
  '704x1280',
  '704x1344',
  '704x1408',
  '704x1472',
  '736x1312',
  '768x1088',
  '768x1216',
  '768x1280',
  '768x1344',
  '800x1280',
  '832x960',
  '832x1024',
  '832x1088',
  '832x1152',
  '832x1216',
  '832x1248',
  '864x1152',
  '896x960',
  '896x1024',
  '896x1088',
  '896x1120',
  '896x1152',
  '960x832',
  '960x896',
  '960x1024',
  '960x1088',
  '1024x832',
  '1024x896',
  '1024x960',
  '1024x1024',
  '1088x768',
  '1088x832',
  '1088x896',
  '1088x960',
  '1120x896',
  '1152x704',
  '1152x832',
  '1152x864',
  '1152x896',
  '1216x704',
  '1216x768',
  '1216x832',
  '1248x832',
  '1280x704',
  '1280x768',
  '1280x800',
  '1312x736',
  '1344x640',
  '1344x704',
  '1344x768',
  '1408x576',
  '1408x640',
  '1408x704',
  '1472x576',
  '1472x640',
  '1472x704',
  '1536x512',
  '1536x576',
  '1536x640',
];
/** fal's presets for Ideogram 4.0, with the pixel sizes fal renders them at. */
const V4_SIZES: Record<string, [number, number]> = {
  square_hd: [1024, 1024],
  square: [512, 512],
  portrait_4_3: [768, 1024],
  portrait_16_9: [576, 1024],
  landscape_4_3: [1024, 768],
  landscape_16_9: [1024, 576],
};

/** Ideogram 3.0's 15 aspect ratios (upstream `AspectRatioV3`), in the `16x9` form of ideogram-3-remix. */
export const FAKE_V3_ASPECT_RATIOS: readonly string[] = [
  '1x3',
  '3x1',
  '1x2',
  '2x1',
  '9x16',
  '16x9',
  '10x16',
  '16x10',
  '2x3',
  '3x2',
  '3x4',
  '4x3',
  '4x5',
  '5x4',
  '1x1',
];
const V3_SPEEDS = ['TURBO', 'DEFAULT', 'QUALITY'];
const V3_STYLE_TYPES = ['AUTO', 'GENERAL', 'REALISTIC', 'DESIGN'];
const V3_SEED: FieldRule = { kind: 'int', min: 100, max: 999999 };

type FieldRule =
  | { kind: 'string' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'palette' }
  /** The URL of a picture this fake stored from /upload-asset. */
  | { kind: 'image' }
  /** A non-empty list of such URLs. */
  | { kind: 'images' }
  /** A non-empty list of 8-hex-digit style codes. */
  | { kind: 'style-codes' };

/** The size of an input picture named by an image field, when the body has one. */
type InputSize = (field: string) => [number, number] | undefined;

/** One model's request as Segmind takes it: its fields, and how to read the image size and count from a body. */
interface Dialect {
  fields: Record<string, FieldRule>;
  /** The fields the model cannot do without. Default: `prompt`. */
  required?: readonly string[];
  /** Pairs never sent together. */
  exclusive?: ReadonlyArray<readonly [string, string]>;
  /** Pairs sent together or not at all. */
  paired?: ReadonlyArray<readonly [string, string]>;
  size(body: Record<string, unknown>, input: InputSize): [number, number];
  images(body: Record<string, unknown>): number;
  /** What the model answers: pictures (default) or a description of its input (ideogram-describe). */
  returns?: 'image' | 'text';
}

const V2_FIELDS: Record<string, FieldRule> = {
  prompt: { kind: 'string' },
  negative_prompt: { kind: 'string' },
  magic_prompt_option: { kind: 'enum', values: MAGIC_PROMPT_OPTIONS },
  resolution: { kind: 'enum', values: FAKE_RESOLUTIONS },
  seed: { kind: 'int', min: 0, max: SEED_MAX },
  style_type: { kind: 'enum', values: STYLE_TYPES },
  color_palette: { kind: 'palette' },
};
const v2Size = (body: Record<string, unknown>): [number, number] => {
  const [, width, height] = String(body.resolution ?? 'RESOLUTION_1024_1024')
    .split('_')
    .map(Number);
  return [width, height];
};
const { negative_prompt: _negative, color_palette: _palette, ...V2A_FIELDS } = V2_FIELDS;

const wxh = (value: unknown): [number, number] => String(value).split('x').map(Number) as [number, number];

/**
 * The 3.0 size for an aspect ratio (`16x9` or `16:9`): the one of the 69 resolutions whose shape is closest, the larger
 * on a tie (1x1 → 1024x1024, 16x9 → 1312x736, 4x3 → 1152x864). Ideogram does not publish its mapping: this is the fake's.
 */
export function sizeForAspectRatio(ratio: string): [number, number] {
  const [across, down] = ratio.split(/[x:]/).map(Number);
  const wanted = Math.log(across / down);
  let best: [number, number] = [1024, 1024];
  let bestDistance = Infinity;
  for (const resolution of FAKE_V3_RESOLUTIONS) {
    const [width, height] = wxh(resolution);
    const distance = Math.abs(Math.log(width / height) - wanted);
    if (
      distance < bestDistance - 1e-9 ||
      (Math.abs(distance - bestDistance) <= 1e-9 && width * height > best[0] * best[1])
    ) {
      best = [width, height];
      bestDistance = distance;
    }
  }
  return best;
}

/** The size asked for by `resolution`, else by `aspect_ratio`, else undefined. */
function v3RequestedSize(body: Record<string, unknown>): [number, number] | undefined {
  if (typeof body.resolution === 'string') return wxh(body.resolution);
  if (typeof body.aspect_ratio === 'string') return sizeForAspectRatio(body.aspect_ratio);
  return undefined;
}

const one = (): number => 1;

/** The models this fake serves, by slug. */
export const FAKE_MODELS: Readonly<Record<string, Dialect>> = {
  'ideogram-txt-2-img': { fields: V2_FIELDS, size: v2Size, images: () => 1 },
  'ideogram-turbo-txt-2-img': { fields: V2_FIELDS, size: v2Size, images: () => 1 },
  'ideogram-2a-txt-2-img': {
    fields: { ...V2A_FIELDS, seed: { kind: 'int', min: 100, max: 999999 } },
    size: v2Size,
    images: () => 1,
  },
  'ideogram-3': {
    fields: {
      prompt: { kind: 'string' },
      negative_prompt: { kind: 'string' },
      magic_prompt: { kind: 'enum', values: MAGIC_PROMPT_OPTIONS },
      resolution: { kind: 'enum', values: FAKE_V3_RESOLUTIONS },
      rendering_speed: { kind: 'enum', values: ['TURBO', 'DEFAULT', 'QUALITY'] },
      style_type: { kind: 'enum', values: ['AUTO', 'GENERAL', 'REALISTIC', 'DESIGN'] },
      seed: { kind: 'int', min: 100, max: 999999 },
    },
    size: (body) => wxh(body.resolution ?? '1024x1024'),
    images: () => 1,
  },
  'ideogram-4': {
    fields: {
      prompt: { kind: 'string' },
      rendering_speed: { kind: 'enum', values: ['TURBO', 'QUALITY'] },
      image_size: { kind: 'enum', values: Object.keys(V4_SIZES) },
      num_images: { kind: 'int', min: 1, max: 8 },
      enable_prompt_expansion: { kind: 'bool' },
      output_format: { kind: 'enum', values: ['jpeg', 'png'] },
      enable_safety_checker: { kind: 'bool' },
      seed: { kind: 'int', min: 0, max: SEED_MAX },
    },
    size: (body) => V4_SIZES[String(body.image_size ?? 'square_hd')] ?? [1024, 1024],
    images: (body) => (typeof body.num_images === 'number' ? body.num_images : 1),
  },

  // The models that take an image (the Segmind pages of each slug, completed from upstream where a page is cut).
  // V2 remix: the V2 body plus the input picture and its weight.
  'ideogram-img-2-img': {
    fields: { ...V2_FIELDS, image_file: { kind: 'image' }, image_weight: { kind: 'int', min: 1, max: 100 } },
    required: ['image_file', 'prompt'],
    size: v2Size,
    images: one,
  },
  // 3.0 remix: a size by resolution or by aspect ratio (never both); style codes exclude the other style fields.
  'ideogram-3-remix': {
    fields: {
      image: { kind: 'image' },
      prompt: { kind: 'string' },
      image_weight: { kind: 'int', min: 1, max: 100 },
      resolution: { kind: 'enum', values: FAKE_V3_RESOLUTIONS },
      aspect_ratio: { kind: 'enum', values: FAKE_V3_ASPECT_RATIOS },
      rendering_speed: { kind: 'enum', values: V3_SPEEDS },
      magic_prompt: { kind: 'enum', values: MAGIC_PROMPT_OPTIONS },
      negative_prompt: { kind: 'string' },
      style_type: { kind: 'enum', values: V3_STYLE_TYPES },
      style_codes: { kind: 'style-codes' },
      style_reference_images: { kind: 'images' },
      color_palette: { kind: 'palette' },
      seed: V3_SEED,
    },
    required: ['image', 'prompt'],
    exclusive: [
      ['resolution', 'aspect_ratio'],
      ['style_codes', 'style_type'],
      ['style_codes', 'style_reference_images'],
    ],
    size: (body) => v3RequestedSize(body) ?? [1024, 1024],
    images: one,
  },
  // 3.0 reframe: the same picture extended to a new size; no prompt, the resolution always sent.
  'ideogram-3-reframe': {
    fields: {
      image: { kind: 'image' },
      resolution: { kind: 'enum', values: FAKE_V3_RESOLUTIONS },
      rendering_speed: { kind: 'enum', values: V3_SPEEDS },
      seed: V3_SEED,
      style_codes: { kind: 'style-codes' },
      style_reference_images: { kind: 'images' },
      color_palette: { kind: 'palette' },
    },
    required: ['image', 'resolution'],
    exclusive: [['style_codes', 'style_reference_images']],
    size: (body) => wxh(body.resolution),
    images: one,
  },
  // 3.0 replace background: the prompt describes the new background; the picture keeps its size.
  'ideogram-3-replace-background': {
    fields: {
      image: { kind: 'image' },
      prompt: { kind: 'string' },
      magic_prompt: { kind: 'enum', values: MAGIC_PROMPT_OPTIONS },
      rendering_speed: { kind: 'enum', values: V3_SPEEDS },
      seed: V3_SEED,
      color_palette: { kind: 'palette' },
      style_codes: { kind: 'style-codes' },
      style_reference_images: { kind: 'images' },
    },
    required: ['image', 'prompt'],
    exclusive: [['style_codes', 'style_reference_images']],
    size: (_body, input) => input('image') ?? [1024, 1024],
    images: one,
  },
  // Character (Replicate-style): Title-case enums, `16:9` aspect ratios, an optional inpainting image+mask pair.
  'ideogram-character': {
    fields: {
      character_reference_image: { kind: 'image' },
      prompt: { kind: 'string' },
      aspect_ratio: { kind: 'enum', values: FAKE_V3_ASPECT_RATIOS.map((ratio) => ratio.replace('x', ':')) },
      image: { kind: 'image' },
      mask: { kind: 'image' },
      magic_prompt_option: { kind: 'enum', values: ['Auto', 'On', 'Off'] },
      rendering_speed: { kind: 'enum', values: ['Default', 'Turbo', 'Quality'] },
      style_type: { kind: 'enum', values: ['Auto', 'Fiction', 'Realistic'] },
      resolution: { kind: 'enum', values: FAKE_V3_RESOLUTIONS },
      seed: { kind: 'int', min: 0, max: SEED_MAX },
    },
    required: ['character_reference_image', 'prompt'],
    exclusive: [['resolution', 'aspect_ratio']],
    paired: [['image', 'mask']],
    size: (body) => v3RequestedSize(body) ?? [1024, 1024],
    images: one,
  },
  // Describe: the picture only; the answer is text.
  'ideogram-describe': {
    fields: { image_file: { kind: 'image' } },
    required: ['image_file'],
    size: () => [0, 0],
    images: one,
    returns: 'text',
  },
};
export const DEFAULT_FAKE_MODEL = 'ideogram-txt-2-img';

/** A body a model took: its raw fields and what the fake needs of them. */
interface ValidRequest {
  model: string;
  /** The prompt, or '' for a model without one (reframe, describe). */
  prompt: string;
  /** The uploaded pictures the body names, by field (the first of a list). */
  inputs: Record<string, FakeAsset>;
  returns: 'image' | 'text';
  body: Record<string, unknown>;
  seed?: number;
  width: number;
  height: number;
  images: number;
  /** Whether the prompt is rewritten (magic prompt ON, or 4.0's expansion), for the Ideogram-shaped answer. */
  magic: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** How a body's image URLs are checked: the fake's own origin and the pictures /upload-asset stored. */
export interface FakeAssetLookup {
  origin: string;
  find(url: string): FakeAsset | undefined;
}
const NO_ASSETS: FakeAssetLookup = { origin: '', find: () => undefined };

/** An image field takes the URL of an uploaded picture: not a path, not inline data, not a URL nobody issued. */
function checkImageUrl(name: string, value: unknown, assets: FakeAssetLookup): FakeAsset | string {
  if (typeof value !== 'string') return `${name} must be an image URL string (got ${shown(value)})`;
  if (/^data:/i.test(value.trim()))
    return `${name} must be an https URL of an uploaded image (POST /upload-asset), not a data: URL`;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    return `${name} must be an https URL of an uploaded image, not a local path or file (got ${shown(value)})`;
  if (url.protocol === 'http:' && url.origin !== assets.origin)
    return `${name} must be an https URL (got ${shown(value)})`;
  return (
    assets.find(value) ??
    `${name} is not the URL of an uploaded image: this server never issued ${shown(value)} from /upload-asset (or it expired)`
  );
}

/** Validates a request body like the model's contract. Returns every problem, each naming its field. */
export function validateGenerationBody(
  body: unknown,
  model = DEFAULT_FAKE_MODEL,
  assets: FakeAssetLookup = NO_ASSETS,
): { ok: true; request: ValidRequest } | { ok: false; problems: string[] } {
  const dialect = FAKE_MODELS[model];
  if (!dialect) return { ok: false, problems: [`Unknown model ${model}`] };
  if (!isRecord(body)) return { ok: false, problems: ['Request body must be a JSON object'] };
  const problems: string[] = [];
  const known = Object.keys(dialect.fields);
  const unknown = Object.keys(body).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    problems.push(`Unknown field(s) for ${model}: ${unknown.join(', ')} (accepted: ${known.join(', ')})`);
  for (const name of dialect.required ?? ['prompt']) if (body[name] === undefined) problems.push(`${name} is required`);
  const inputs: Record<string, FakeAsset> = {};
  for (const [name, rule] of Object.entries(dialect.fields)) {
    const value = body[name];
    if (value === undefined) continue;
    if (rule.kind === 'string' && typeof value !== 'string')
      problems.push(`${name} must be a string (got ${shown(value)})`);
    else if (name === 'prompt' && typeof value === 'string' && value.trim() === '')
      problems.push('prompt must not be empty');
    if (rule.kind === 'bool' && typeof value !== 'boolean')
      problems.push(`${name} must be true or false (got ${shown(value)})`);
    if (rule.kind === 'enum' && (typeof value !== 'string' || !rule.values.includes(value))) {
      problems.push(
        rule.values.length > 15
          ? `${name} must be one of the ${rule.values.length} ${model} values, e.g. ${rule.values.includes('1024x1024') ? '1024x1024' : rule.values[0]} (got ${shown(value)})`
          : `${name} must be one of ${rule.values.join(', ')} (got ${shown(value)})`,
      );
    }
    if (
      rule.kind === 'int' &&
      (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max)
    ) {
      problems.push(`${name} must be an integer between ${rule.min} and ${rule.max} (got ${shown(value)})`);
    }
    if (rule.kind === 'palette') problems.push(...validatePalette(value));
    if (rule.kind === 'image') {
      const checked = checkImageUrl(name, value, assets);
      if (typeof checked === 'string') problems.push(checked);
      else inputs[name] = checked;
    }
    if (rule.kind === 'images' || rule.kind === 'style-codes') {
      if (!Array.isArray(value) || value.length === 0) {
        problems.push(`${name} must be a non-empty array (omit it instead of sending ${shown(value)})`);
        continue;
      }
      value.forEach((item: unknown, index) => {
        if (rule.kind === 'style-codes') {
          if (typeof item !== 'string' || !/^[0-9a-fA-F]{8}$/.test(item))
            problems.push(`${name}[${index}] must be 8 hexadecimal digits (got ${shown(item)})`);
          return;
        }
        const checked = checkImageUrl(`${name}[${index}]`, item, assets);
        if (typeof checked === 'string') problems.push(checked);
        else inputs[name] ??= checked;
      });
    }
  }
  for (const [first, second] of dialect.exclusive ?? [])
    if (body[first] !== undefined && body[second] !== undefined)
      problems.push(`${first} and ${second} cannot be sent together: send one of them`);
  for (const [first, second] of dialect.paired ?? [])
    if ((body[first] === undefined) !== (body[second] === undefined))
      problems.push(`${first} and ${second} come together: send both or neither`);
  if (problems.length > 0) return { ok: false, problems };
  const [width, height] = dialect.size(body, (field) =>
    inputs[field] ? [inputs[field].width, inputs[field].height] : undefined,
  );
  return {
    ok: true,
    request: {
      model,
      prompt: typeof body.prompt === 'string' ? body.prompt : '',
      inputs,
      returns: dialect.returns ?? 'image',
      body,
      width,
      height,
      images: dialect.images(body),
      ...(typeof body.seed === 'number' ? { seed: body.seed } : {}),
      magic:
        body.magic_prompt_option === 'ON' ||
        body.magic_prompt_option === 'On' ||
        body.magic_prompt === 'ON' ||
        body.enable_prompt_expansion === true,
    },
  };
}

/**
 * ideogram-describe's text for a picture: derived from its bytes only (size, format, a hash), so a test can compute
 * what the extension must write. No brackets or quotes, so it is alt text in any document syntax as it stands.
 */
export function fakeDescriptionOf(bytes: Uint8Array): string {
  const header = readImageHeader(bytes);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const what = header ? `A ${header.width}x${header.height} ${header.format.toUpperCase()} picture` : 'A picture';
  return `${what}, fake description ${hash}`;
}

function validatePalette(palette: unknown): string[] {
  if (!isRecord(palette))
    return [`color_palette must be an object with either name or members (got ${shown(palette)})`];
  const keys = Object.keys(palette);
  const extra = keys.filter((key) => key !== 'name' && key !== 'members');
  if (extra.length > 0) return [`color_palette has unknown field(s): ${extra.join(', ')}`];
  const hasName = keys.includes('name');
  const hasMembers = keys.includes('members');
  if (hasName === hasMembers) return ['color_palette must have exactly one of name or members, not both or neither'];
  if (hasName) {
    const name = palette.name;
    return typeof name === 'string' && PALETTE_PRESETS.includes(name)
      ? []
      : [`color_palette.name must be one of ${PALETTE_PRESETS.join(', ')} (got ${shown(name)})`];
  }
  const members = palette.members;
  if (!Array.isArray(members) || members.length < 1 || members.length > 8) {
    return [
      `color_palette.members must be an array of 1 to 8 colours (got ${Array.isArray(members) ? `${members.length} items` : shown(members)})`,
    ];
  }
  const problems: string[] = [];
  members.forEach((member: unknown, index) => {
    const where = `color_palette.members[${index}]`;
    if (!isRecord(member)) {
      problems.push(`${where} must be an object with color_hex`);
      return;
    }
    const memberExtra = Object.keys(member).filter((key) => key !== 'color_hex' && key !== 'color_weight');
    if (memberExtra.length > 0) problems.push(`${where} has unknown field(s): ${memberExtra.join(', ')}`);
    if (typeof member.color_hex !== 'string' || !HEX_PATTERN.test(member.color_hex)) {
      problems.push(`${where}.color_hex must be #RGB or #RRGGBB (got ${shown(member.color_hex)})`);
    }
    const weight = member.color_weight;
    if (
      weight !== undefined &&
      (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0.05 || weight > 1)
    ) {
      problems.push(`${where}.color_weight must be a number between 0.05 and 1.0 (got ${shown(weight)})`);
    }
  });
  return problems;
}

// ---- canned answers ------------------------------------------------------------------------

const MESSAGES: Record<number, string> = {
  401: 'Missing Authorization or x-api-key in header',
  403: 'Forbidden: your team does not have access to this model',
  404: 'Model or endpoint not found',
  410: 'This model has been retired',
  422: 'Prompt provided failed safety check due to the inclusion of prohibited content.',
  429: 'Too many requests',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};
const INVALID_KEY_MESSAGE = 'Unauthorized. API key is invalid or may have expired...';
const HTML_405 =
  '<html>\r\n<head><title>405 Method Not Allowed</title></head>\r\n<body>\r\n<center><h1>405 Method Not Allowed</h1></center>\r\n</body>\r\n</html>\r\n';
const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Segmind</title></head><body><h1>Welcome</h1><p>This is an HTML page, not an image.</p></body></html>\n';
const DEFAULT_RATE_LIMIT = 50;
const MAX_BODY_BYTES = 1 << 20;
const HUGE_BODY_BYTES = 60 * 1024 * 1024;
const TRICKLE_GAP_MS = 50;

type Resolved = Omit<FakeSegmindOptions, 'port'> & {
  latencyMs: number;
  format: 'jpeg' | 'png';
  responseShape: FakeResponseShape;
  credits: number;
  cost: number;
  rateLimitResetMs: number;
  imageScale: number;
  imageTtlMs: number;
  asyncApi: boolean;
  jobTtlMs: number;
  uploadResponseShape: FakeUploadShape;
  uploadMaxBytes: number;
};

const DEFAULTS: Resolved = {
  latencyMs: 0,
  format: 'jpeg',
  responseShape: 'binary',
  credits: 12.3456,
  cost: 0.1,
  rateLimitResetMs: 2000,
  imageScale: DEFAULT_IMAGE_SCALE,
  imageTtlMs: 10 * 60 * 1000,
  asyncApi: true,
  jobTtlMs: 60 * 60 * 1000,
  uploadResponseShape: 'urls',
  uploadMaxBytes: 32 * 1024 * 1024,
};

type Injection = { kind: 'status'; status: number } | { kind: 'fault'; fault: FakeFault };
interface Queued {
  injection: Injection;
  remaining: number;
}
interface FakeJob extends FakeJobInfo {
  request: ValidRequest;
  /** ideogram-describe's answer. */
  text?: string;
  seed: number;
  fault?: FakeFault;
  images?: Buffer[];
  format: 'jpeg' | 'png';
}

/** The file format: ideogram-4's `output_format` when sent, else the fake's setting. */
function formatOf(request: ValidRequest, fallback: 'jpeg' | 'png'): 'jpeg' | 'png' {
  return request.body.output_format === 'png' ? 'png' : request.body.output_format === 'jpeg' ? 'jpeg' : fallback;
}

function roundCredits(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function checkStatus(status: unknown): number {
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`status must be an integer HTTP status between 200 and 599 (got ${shown(status)})`);
  }
  return status;
}

function checkFault(fault: unknown): FakeFault {
  if (typeof fault !== 'string' || !(FAKE_FAULTS as readonly string[]).includes(fault)) {
    throw new RangeError(`fault must be one of ${FAKE_FAULTS.join(', ')} (got ${shown(fault)})`);
  }
  return fault as FakeFault;
}

function checkCount(count: unknown): number {
  if (count === undefined) return 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
    throw new RangeError(`count must be a positive integer (got ${shown(count)})`);
  return count;
}

/** Checks an options object at run time (it may come from JSON). Throws a RangeError naming the bad option. */
export function checkOptions(value: unknown): Partial<FakeSegmindOptions> {
  if (!isRecord(value)) throw new RangeError('options must be an object');
  const out: Partial<FakeSegmindOptions> = {};
  const nonNegative = (key: string): number => {
    const v = value[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new RangeError(`${key} must be a non-negative number (got ${shown(v)})`);
    return v;
  };
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) continue;
    switch (key) {
      case 'port':
        out.port = nonNegative(key);
        break;
      case 'latencyMs':
        out.latencyMs = nonNegative(key);
        break;
      case 'credits':
        out.credits = nonNegative(key);
        break;
      case 'cost':
        out.cost = nonNegative(key);
        break;
      case 'imageBytes':
        out.imageBytes = nonNegative(key);
        break;
      case 'rateLimitResetMs':
        out.rateLimitResetMs = nonNegative(key);
        break;
      case 'rateLimitPerMinute':
        out.rateLimitPerMinute = nonNegative(key);
        break;
      case 'imageTtlMs':
        out.imageTtlMs = nonNegative(key);
        break;
      case 'jobTtlMs':
        out.jobTtlMs = nonNegative(key);
        break;
      case 'uploadMaxBytes':
        out.uploadMaxBytes = nonNegative(key);
        break;
      case 'uploadResponseShape':
        if (!(UPLOAD_SHAPES as readonly unknown[]).includes(value.uploadResponseShape))
          throw new RangeError(
            `uploadResponseShape must be one of ${UPLOAD_SHAPES.join(', ')} (got ${shown(value.uploadResponseShape)})`,
          );
        out.uploadResponseShape = value.uploadResponseShape as FakeUploadShape;
        break;
      case 'asyncApi':
        if (typeof value.asyncApi !== 'boolean')
          throw new RangeError(`asyncApi must be true or false (got ${shown(value.asyncApi)})`);
        out.asyncApi = value.asyncApi;
        break;
      case 'imageScale': {
        const v = nonNegative(key);
        if (v === 0 || v > 1) throw new RangeError(`imageScale must be in (0, 1] (got ${v})`);
        out.imageScale = v;
        break;
      }
      case 'format':
        if (value.format !== 'jpeg' && value.format !== 'png')
          throw new RangeError(`format must be jpeg or png (got ${shown(value.format)})`);
        out.format = value.format;
        break;
      case 'responseShape': {
        const shape = value.responseShape;
        if (typeof shape !== 'string' || !(RESPONSE_SHAPES as readonly string[]).includes(shape)) {
          throw new RangeError(`responseShape must be one of ${RESPONSE_SHAPES.join(', ')} (got ${shown(shape)})`);
        }
        out.responseShape = shape as FakeResponseShape;
        break;
      }
      case 'validKeys': {
        const keys = value.validKeys;
        if (!Array.isArray(keys) || !keys.every((k): k is string => typeof k === 'string'))
          throw new RangeError('validKeys must be an array of strings');
        out.validKeys = [...keys];
        break;
      }
      case 'log':
        if (typeof value.log !== 'function') throw new RangeError('log must be a function');
        out.log = value.log as (line: string) => void;
        break;
      default:
        throw new RangeError(`Unknown option: ${key}`);
    }
  }
  return out;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function jsonAnswer(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(value)),
  };
}

const DATA_URL = /^data:(image\/(?:jpeg|png|webp));base64,(.*)$/s;
// Linear on purpose: a grouped pattern repeated over a 13 MB string overflows the regular expression engine's stack.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The files of an /upload-asset body, or a problem naming the item. */
export function decodeUpload(
  body: unknown,
): Array<{ bytes: Buffer; contentType: string; header: ImageHeader }> | string {
  if (!isRecord(body)) return 'Request body must be a JSON object with data_urls';
  const extra = Object.keys(body).filter((key) => key !== 'data_urls');
  if (extra.length > 0) return `Unknown field(s) for upload-asset: ${extra.join(', ')} (accepted: data_urls)`;
  const list = body.data_urls;
  if (!Array.isArray(list) || list.length === 0) return `data_urls must be a non-empty array (got ${shown(list)})`;
  const files: Array<{ bytes: Buffer; contentType: string; header: ImageHeader }> = [];
  for (const [index, item] of list.entries()) {
    const where = `data_urls[${index}]`;
    if (typeof item !== 'string') return `${where} must be a string (got ${shown(item)})`;
    const match = DATA_URL.exec(item);
    if (!match)
      return `${where} must be a data:image/jpeg, data:image/png or data:image/webp URL in base64 (got ${shown(item)})`;
    const [, contentType, base64] = match;
    if (base64 === '' || base64.length % 4 !== 0 || !BASE64.test(base64)) return `${where} is not valid base64`;
    const bytes = Buffer.from(base64, 'base64');
    const header = readImageHeader(bytes);
    const declared = contentType.slice('image/'.length);
    if (!header || header.format !== declared)
      return `${where} says ${contentType} but its bytes are ${header ? `a ${header.format.toUpperCase()}` : 'not a JPEG, PNG or WebP picture'}`;
    files.push({ bytes, contentType, header });
  }
  return files;
}

// ---- the server ----------------------------------------------------------------------------

export async function startFakeSegmind(options: FakeSegmindOptions = {}): Promise<FakeSegmind> {
  const initial = checkOptions(options);
  const sockets = new Set<Socket>();
  const cancellers = new Set<() => void>();
  const images = new Map<string, { bytes: Buffer; contentType: string; expiresAt: number; fault?: FakeFault }>();
  const requests: RecordedRequest[] = [];
  const imageRequests: RecordedRequest[] = [];
  const jobReads: RecordedRequest[] = [];
  const balanceReads: RecordedRequest[] = [];
  const uploads: RecordedRequest[] = [];
  const assets = new Map<string, FakeAsset>();
  const assetLookup: FakeAssetLookup = { origin: '', find: (url) => assets.get(url) };
  let uploadFailures: Queued[] = [];
  const jobs = new Map<string, FakeJob>();
  let readFailures: Queued[] = [];
  let current: Resolved = { ...DEFAULTS, ...withoutPort(initial) };
  let credits = current.credits;
  let queue: Queued[] = [];
  let windowStart = 0;
  let windowCount = 0;
  let closed = false;
  let baseUrl = '';

  function withoutPort(partial: Partial<FakeSegmindOptions>): Partial<Resolved> {
    const { port: _port, ...rest } = partial;
    return rest as Partial<Resolved>;
  }

  function configure(partial: Partial<FakeSegmindOptions>): void {
    const checked = checkOptions(partial);
    current = { ...current, ...withoutPort(checked) };
    if (checked.credits !== undefined) credits = checked.credits;
  }

  function reset(): void {
    current = { ...DEFAULTS, ...withoutPort(initial) };
    credits = current.credits;
    queue = [];
    requests.length = 0;
    imageRequests.length = 0;
    jobReads.length = 0;
    balanceReads.length = 0;
    uploads.length = 0;
    uploadFailures = [];
    jobs.clear();
    readFailures = [];
    images.clear();
    windowStart = 0;
    windowCount = 0;
  }

  function enqueue(injection: Injection, count: number): void {
    queue.push({ injection, remaining: count });
  }

  function takeQueued(): Injection | undefined {
    const head = queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.injection;
  }

  /** Resolves true after ms, or false at once if the client goes away or the server closes. */
  function wait(ms: number, res: http.ServerResponse): Promise<boolean> {
    if (closed || res.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        res.off('close', onClose);
        cancellers.delete(cancel);
        resolve(ok);
      };
      const onClose = (): void => finish(false);
      const cancel = (): void => finish(false);
      const timer = setTimeout(() => finish(true), Math.max(0, ms));
      res.on('close', onClose);
      cancellers.add(cancel);
    });
  }

  /** Resolves true on 'drain', false if the response closes first. */
  function drained(res: http.ServerResponse): Promise<boolean> {
    if (closed || res.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (ok: boolean): void => {
        res.off('drain', onDrain);
        res.off('close', onClose);
        cancellers.delete(cancel);
        resolve(ok);
      };
      const onDrain = (): void => finish(true);
      const onClose = (): void => finish(false);
      const cancel = (): void => finish(false);
      res.on('drain', onDrain);
      res.on('close', onClose);
      cancellers.add(cancel);
    });
  }

  function rateHeaders(now: number): Record<string, string> {
    if (now - windowStart >= 60_000) {
      windowStart = now;
      windowCount = 0;
    }
    windowCount += 1;
    const limit = current.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT;
    return {
      'x-rate-limit-remaining': String(Math.max(0, limit - windowCount)),
      'x-rate-limit-reset-at-utc': new Date(windowStart + 60_000).toISOString(),
    };
  }

  function statusAnswer(status: number, requestId: string): Answer {
    const headers: Record<string, string> = { 'x-request-id': requestId };
    if (status === 405) {
      return { status, headers: { ...headers, 'content-type': 'text/html' }, body: Buffer.from(HTML_405) };
    }
    if (status === 406) {
      return jsonAnswer(
        406,
        { error: `Insufficient credits: balance ${credits}, this request needs ${current.cost}` },
        { ...headers, 'x-remaining-credits': String(credits) },
      );
    }
    if (status === 429) {
      headers['x-rate-limit-remaining'] = '0';
      headers['x-rate-limit-reset-at-utc'] = new Date(Date.now() + current.rateLimitResetMs).toISOString();
    }
    if (status === 400) return jsonAnswer(400, { error: 'Bad request' }, headers);
    return jsonAnswer(status, { error: MESSAGES[status] ?? `Fake status ${status}` }, headers);
  }

  function send(res: http.ServerResponse, record: RecordedRequest | undefined, answer: Answer): void {
    if (record) record.status = answer.status;
    if (res.destroyed || res.headersSent) return;
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
    res.end(answer.body);
  }

  function storeImage(bytes: Buffer, contentType: string, ext: string, fault?: FakeFault): string {
    const now = Date.now();
    for (const [id, entry] of images) if (entry.expiresAt <= now) images.delete(id);
    const id = randomUUID();
    images.set(id, { bytes, contentType, expiresAt: now + current.imageTtlMs, fault });
    return `${baseUrl}/__images/${id}.${ext}`;
  }

  async function readBody(
    req: http.IncomingMessage,
    limit = MAX_BODY_BYTES,
  ): Promise<{ text: string; tooLarge: boolean } | undefined> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) tooLarge = true;
        else chunks.push(chunk);
      });
      req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
      req.on('error', () => resolve(undefined));
      req.on('close', () => {
        if (!req.complete) resolve(undefined);
      });
    });
  }

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' && path === '/__control/requests') {
      send(res, undefined, jsonAnswer(200, requests));
      return;
    }
    if (req.method === 'GET' && path === '/__control/jobs') {
      const reads = (requestId: string, status: boolean) =>
        jobReads.filter((read) => read.path.includes(requestId) && read.path.endsWith('/status') === status).length;
      send(
        res,
        undefined,
        jsonAnswer(
          200,
          [...jobs.values()].map(({ requestId, submittedAt, finishesAt, outcome }) => ({
            requestId,
            submittedAt,
            finishesAt,
            outcome,
            statusReads: reads(requestId, true),
            resultReads: reads(requestId, false),
          })),
        ),
      );
      return;
    }
    if (req.method === 'GET' && path === '/__control/uploads') {
      send(res, undefined, jsonAnswer(200, uploads));
      return;
    }
    if (req.method === 'GET' && path === '/__control/assets') {
      send(
        res,
        undefined,
        jsonAnswer(
          200,
          [...assets.values()].map(({ url, contentType, format, width, height, bytes, uploadedAt }) => ({
            url,
            contentType,
            format,
            width,
            height,
            size: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            uploadedAt,
          })),
        ),
      );
      return;
    }
    if (req.method === 'GET' && path === '/__control/state') {
      const { log: _log, ...visible } = current;
      send(res, undefined, jsonAnswer(200, { credits, options: visible, queued: queue }));
      return;
    }
    if (req.method !== 'POST' || path !== '/__control') {
      send(res, undefined, jsonAnswer(404, { error: 'Unknown control endpoint' }));
      return;
    }
    const body = await readBody(req);
    if (!body) return;
    try {
      const command: unknown = JSON.parse(body.text);
      if (!isRecord(command)) throw new RangeError('control body must be a JSON object');
      const unknown = Object.keys(command).filter(
        (key) => !['reset', 'configure', 'failNext', 'faultNext', 'failUploadsNext', 'forgetAssets'].includes(key),
      );
      if (unknown.length > 0) throw new RangeError(`Unknown control command(s): ${unknown.join(', ')}`);
      // Check everything before applying anything.
      const configureWith = command.configure === undefined ? undefined : checkOptions(command.configure);
      if (configureWith && (configureWith.log !== undefined || configureWith.port !== undefined))
        throw new RangeError('log and port cannot be set via /__control');
      let fail: { status: number; count: number } | undefined;
      if (command.failNext !== undefined) {
        if (!isRecord(command.failNext)) throw new RangeError('failNext must be {"status":NNN,"count":N}');
        fail = { status: checkStatus(command.failNext.status), count: checkCount(command.failNext.count) };
      }
      let fault: { fault: FakeFault; count: number } | undefined;
      if (command.faultNext !== undefined) {
        if (!isRecord(command.faultNext)) throw new RangeError('faultNext must be {"fault":"NAME","count":N}');
        fault = { fault: checkFault(command.faultNext.fault), count: checkCount(command.faultNext.count) };
      }
      let failUploads: { status: number; count: number } | undefined;
      if (command.failUploadsNext !== undefined) {
        if (!isRecord(command.failUploadsNext))
          throw new RangeError('failUploadsNext must be {"status":NNN,"count":N}');
        failUploads = {
          status: checkStatus(command.failUploadsNext.status),
          count: checkCount(command.failUploadsNext.count),
        };
      }
      if (command.forgetAssets !== undefined && command.forgetAssets !== true)
        throw new RangeError('forgetAssets must be true');
      if (command.reset === true) reset();
      if (configureWith) configure(configureWith);
      if (command.forgetAssets === true) assets.clear();
      if (failUploads)
        uploadFailures.push({
          injection: { kind: 'status', status: failUploads.status },
          remaining: failUploads.count,
        });
      if (fail) enqueue({ kind: 'status', status: fail.status }, fail.count);
      if (fault) enqueue({ kind: 'fault', fault: fault.fault }, fault.count);
      send(res, undefined, jsonAnswer(200, { ok: true, credits }));
    } catch (error) {
      send(res, undefined, jsonAnswer(400, { error: error instanceof Error ? error.message : String(error) }));
    }
  }

  async function serveImage(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? path,
      headers: { ...req.headers },
      body: '',
      status: 0,
    };
    imageRequests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    // The real result URLs are public: a client that sends its key there leaks it to another host.
    if (req.headers['x-api-key'] !== undefined) {
      send(res, record, jsonAnswer(403, { error: 'Image URLs take no x-api-key: the key was sent to the image host' }));
      return;
    }
    const match = /^\/__images\/([0-9a-f-]+)\.(jpg|jpeg|png)$/.exec(path);
    const entry = match ? images.get(match[1]) : undefined;
    if (!entry || entry.expiresAt <= Date.now()) {
      if (match) images.delete(match[1]);
      send(res, record, jsonAnswer(404, { error: 'Image not found or expired' }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, record, statusAnswer(405, randomUUID()));
      return;
    }
    const headers = { 'content-type': entry.contentType };
    const fault = entry.fault;
    if (fault === 'huge-body') {
      record.status = 200;
      await streamHuge(res, {});
      return;
    }
    if (fault === 'reset-before-headers') {
      const socket = req.socket;
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    let answer: Answer = { status: 200, headers, body: entry.bytes };
    if (fault === 'not-an-image')
      answer = {
        status: 200,
        headers: { 'content-type': 'image/jpeg' },
        body: Buffer.from('This is plain text, not an image. The fake server was asked to send it with image/jpeg.\n'),
      };
    else if (fault === 'wrong-content-type')
      answer = { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(HTML_PAGE) };
    else if (fault === 'empty-200') answer = { status: 200, headers, body: Buffer.alloc(0) };
    if (fault === 'reset-mid-body' || fault === 'stall-body' || fault === 'truncated-body' || fault === 'trickle') {
      record.status = 200;
      await deliverWithFault(req, res, answer, fault);
      return;
    }
    send(res, record, answer);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? path,
      headers: { ...req.headers },
      body: '',
      status: 0,
    };
    requests.push(record);
    const requestId = randomUUID();
    const started = Date.now();
    const log = (note: string): void =>
      current.log?.(`${record.method} ${record.path} → ${record.status || 'no answer'}${note ? ` (${note})` : ''}`);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });

    const body = await readBody(req);
    if (!body) {
      record.aborted = true;
      return;
    }
    record.body = body.text;
    try {
      record.json = JSON.parse(body.text);
    } catch {
      /* recorded as text only */
    }

    const reply = (answer: Answer, note = ''): void => {
      send(res, record, answer);
      log(note);
    };
    const error = (status: number, message: string, headers: Record<string, string> = {}): void =>
      reply(jsonAnswer(status, { error: message }, { 'x-request-id': requestId, ...headers }), message);

    const route = /^\/(v1|v2)\/([A-Za-z0-9._-]+)$/.exec(path);
    const model = route && Object.hasOwn(FAKE_MODELS, route[2]) ? route[2] : undefined;
    const isAsync = route?.[1] === 'v2' && current.asyncApi;
    if (!model || (route?.[1] === 'v2' && !isAsync)) {
      error(404, MESSAGES[404]);
      return;
    }
    if (req.method !== 'POST') {
      reply(statusAnswer(405, requestId));
      return;
    }

    const keyHeader = req.headers['x-api-key'];
    const key = (Array.isArray(keyHeader) ? keyHeader[0] : keyHeader)?.trim() ?? '';
    if (key === '') {
      error(401, MESSAGES[401]);
      return;
    }
    const keyStatus = /^fake-status-(\d{3})$/.exec(key);
    if (!keyStatus && current.validKeys && !current.validKeys.includes(key)) {
      error(401, INVALID_KEY_MESSAGE);
      return;
    }

    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/json') {
      error(406, 'Invalid content type');
      return;
    }
    if (body.tooLarge) {
      error(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
      return;
    }
    if (record.json === undefined) {
      error(400, 'Request body is not valid JSON');
      return;
    }
    const validated = validateGenerationBody(record.json, model, assetLookup);
    if (!validated.ok) {
      error(400, validated.problems.join('; '));
      return;
    }
    const request = validated.request;
    // A raw image body holds one image: several in one job exist only on the async route.
    if (!isAsync && request.images > 1) {
      error(400, 'num_images above 1 needs the async API (POST /v2/<model>)');
      return;
    }

    // Errors and faults on demand: prompt marker, then key, then the queue.
    let injection: Injection | undefined;
    let latencyMs = current.latencyMs;
    for (const [, kind, value] of request.prompt.matchAll(/\[\[(status|fault|latency):([^\]]*)\]\]/g)) {
      try {
        if (kind === 'status') injection = { kind: 'status', status: checkStatus(Number(value)) };
        else if (kind === 'fault') injection = { kind: 'fault', fault: checkFault(value) };
        else latencyMs = checkOptions({ latencyMs: Number(value) }).latencyMs ?? latencyMs;
      } catch (problem) {
        error(
          400,
          `prompt marker [[${kind}:${value}]]: ${problem instanceof Error ? problem.message : String(problem)}`,
        );
        return;
      }
    }
    if (!injection && keyStatus) {
      const status = Number(keyStatus[1]);
      if (status >= 200 && status <= 599) injection = { kind: 'status', status };
    }
    if (!injection) injection = takeQueued();
    if (injection?.kind === 'status' && injection.status === 200) injection = undefined;

    if (!injection && current.rateLimitPerMinute !== undefined) {
      const now = Date.now();
      if (now - windowStart < 60_000 && windowCount >= current.rateLimitPerMinute) {
        const limited = statusAnswer(429, requestId);
        limited.headers['x-rate-limit-reset-at-utc'] = new Date(windowStart + 60_000).toISOString();
        reply(limited, 'rate limited');
        return;
      }
    }
    if (isAsync) {
      submitJob(req, res, request, injection, latencyMs, reply, error);
      return;
    }

    if (injection?.kind === 'status') {
      if (!(await wait(latencyMs, res))) {
        record.aborted = true;
        log('client went away');
        return;
      }
      reply(statusAnswer(injection.status, requestId), `injected status ${injection.status}`);
      return;
    }
    if (credits < current.cost) {
      error(406, `Insufficient credits: balance ${credits}, this request needs ${current.cost}`, {
        'x-remaining-credits': String(credits),
      });
      return;
    }

    // Generation: billed now, like the real API (an abandoned request is still paid for).
    credits = roundCredits(credits - current.cost);
    const seed = request.seed ?? randomInt(100, 100000);
    const format = formatOf(request, current.format);
    const image =
      request.returns === 'text'
        ? Buffer.alloc(0)
        : renderImage(seed, request.width, request.height, format, {
            scale: current.imageScale,
            targetBytes: current.imageBytes,
          });
    const fault = injection?.kind === 'fault' ? injection.fault : undefined;
    if (!(await wait(latencyMs, res))) {
      record.aborted = true;
      log('client went away');
      return;
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(3);
    const headers: Record<string, string> = {
      'x-remaining-credits': String(credits),
      'x-cost': String(current.cost),
      'x-generation-time': seconds,
      'x-seed-value': String(seed),
      'x-request-id': requestId,
      ...rateHeaders(Date.now()),
    };
    const contentType = format === 'png' ? 'image/png' : 'image/jpeg';
    const ext = format === 'png' ? 'png' : 'jpg';
    const note = `${model}, seed ${seed}${fault ? `, fault ${fault}` : ''}`;

    if (fault === 'reset-before-headers') {
      record.status = 0;
      record.aborted = true;
      const socket = req.socket;
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      log(note);
      return;
    }
    if (fault === 'huge-body') {
      record.status = 200;
      log(note);
      await streamHuge(res, headers);
      return;
    }

    let answer: Answer;
    if (fault === 'not-an-image')
      answer = {
        status: 200,
        headers: { ...headers, 'content-type': 'image/jpeg' },
        body: Buffer.from('This is plain text, not an image. The fake server was asked to send it with image/jpeg.\n'),
      };
    else if (fault === 'wrong-content-type')
      answer = {
        status: 200,
        headers: { ...headers, 'content-type': 'text/html; charset=utf-8' },
        body: Buffer.from(HTML_PAGE),
      };
    else if (fault === 'empty-200')
      answer = { status: 200, headers: { ...headers, 'content-type': contentType }, body: Buffer.alloc(0) };
    else if (fault === 'json-url-404')
      answer = jsonAnswer(200, { output: `${baseUrl}/__images/${randomUUID()}.${ext}` }, headers);
    else if (fault === 'unsafe-image') answer = jsonAnswer(200, ideogramData(request, seed, null, false), headers);
    else if (request.returns === 'text') answer = jsonAnswer(200, describeAnswer(request), headers);
    else answer = shapedAnswer(current.responseShape, image, contentType, ext, headers, request, seed, Number(seconds));

    if (fault === 'reset-mid-body' || fault === 'stall-body' || fault === 'truncated-body' || fault === 'trickle') {
      record.status = 200;
      log(note);
      await deliverWithFault(req, res, answer, fault);
      return;
    }
    reply(answer, note);
  }

  // ---- the async (V2) API: submit, status, result ------------------------------------------------

  function submitJob(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    request: ValidRequest,
    injection: Injection | undefined,
    latencyMs: number,
    reply: (answer: Answer, note?: string) => void,
    error: (status: number, message: string, headers?: Record<string, string>) => void,
  ): void {
    const requestId = randomUUID().replace(/-/g, '');
    const failed = injection?.kind === 'status' && injection.status === 422;
    if (injection?.kind === 'status' && !failed) {
      // V2 reports missing credits as 402 (v1: 406).
      const status = injection.status === 406 ? 402 : injection.status;
      const answer = statusAnswer(status === 402 ? 406 : status, requestId);
      reply({ ...answer, status }, `injected status ${status}`);
      return;
    }
    const jobCost = roundCredits(current.cost * request.images);
    if (!failed && credits < jobCost) {
      error(402, `Insufficient credits. You have ${credits} credits.`, { 'x-remaining-credits': String(credits) });
      return;
    }
    if (!failed) credits = roundCredits(credits - jobCost); // billed: the job will complete
    const now = Date.now();
    const fault = injection?.kind === 'fault' ? injection.fault : undefined;
    const seed = request.seed ?? randomInt(100, 100000);
    // Rendered now, while the job "runs": like Segmind, whose image is ready when the status says COMPLETED, so
    // a result read costs no rendering time (which would be the fake's, not the client's). Several images of one
    // job have consecutive seeds, so each looks different.
    const format = formatOf(request, current.format);
    const images =
      failed || request.returns === 'text'
        ? undefined
        : Array.from({ length: request.images }, (_, index) =>
            renderImage(seed + index, request.width, request.height, format, {
              scale: current.imageScale,
              targetBytes: current.imageBytes,
            }),
          );
    jobs.set(requestId, {
      ...(request.returns === 'text' && !failed ? { text: describeAnswer(request).descriptions[0].text } : {}),
      requestId,
      model: request.model,
      submittedAt: now,
      finishesAt: now + latencyMs,
      outcome: failed ? 'failed' : 'completed',
      request,
      seed,
      fault,
      images,
      format,
    });
    if (fault === 'reset-before-headers') {
      // The job exists (and is billed) but the client never learns its id.
      const socket = req.socket;
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      current.log?.(`POST /v2/${request.model} → reset (job ${requestId} created)`);
      return;
    }
    const routes = `${baseUrl}/v2/requests/${requestId}`;
    reply(
      jsonAnswer(
        200,
        {
          request_id: requestId,
          status: 'QUEUED',
          poll_url: `${baseUrl}/v1/requests/${requestId}`,
          status_url: `${routes}/status`,
          response_url: routes,
        },
        { 'x-request-id': requestId },
      ),
      `job ${requestId}${fault ? `, fault ${fault}` : ''}${failed ? ', will fail' : ''}`,
    );
  }

  function jobMetrics(job: FakeJob): Record<string, number> {
    const seconds = Math.max(0, job.finishesAt - job.submittedAt) / 1000;
    return job.outcome === 'failed'
      ? { total_time: seconds }
      : {
          cost: roundCredits(current.cost * job.request.images),
          remaining_credits: credits,
          inference_time: seconds,
          total_time: seconds,
        };
  }

  /** The free balance route: the key is checked like the API's, nothing is billed, the answer is `{"credits": N}`. */
  function handleBalanceRead(req: http.IncomingMessage, res: http.ServerResponse, path: string): void {
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? path,
      headers: { ...req.headers },
      body: '',
      status: 0,
    };
    balanceReads.push(record);
    req.resume();
    const reply = (answer: Answer): void => {
      send(res, record, answer);
      current.log?.(`${record.method} ${record.path} → ${record.status}`);
    };
    if (req.method !== 'GET') {
      reply(statusAnswer(405, randomUUID()));
      return;
    }
    const keyHeader = req.headers['x-api-key'];
    const key = (Array.isArray(keyHeader) ? keyHeader[0] : keyHeader)?.trim() ?? '';
    if (key === '') {
      reply(jsonAnswer(401, { error: MESSAGES[401] }));
      return;
    }
    if (!/^fake-status-\d{3}$/.test(key) && current.validKeys && !current.validKeys.includes(key)) {
      reply(jsonAnswer(401, { error: INVALID_KEY_MESSAGE }));
      return;
    }
    reply(jsonAnswer(200, { credits }));
  }

  // ---- Segmind Storage: upload a picture, get the URL the image models take ------------------------

  /**
   * `POST /upload-asset` `{"data_urls": ["data:image/png;base64,…", …]}` → `{"urls": […]}` (or the SDK's `file_urls`).
   * Keyed like the API; nothing is billed. Each file must be a JPEG, PNG or WebP whose bytes are what its data URL
   * says: a client that mislabels a file, or sends one that is not a picture, learns it here, not from a model.
   */
  async function handleUpload(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? path,
      headers: { ...req.headers },
      body: '',
      status: 0,
    };
    uploads.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    const body = await readBody(req, current.uploadMaxBytes);
    if (!body) {
      record.aborted = true;
      return;
    }
    // The body is recorded without the pictures' base64, which would make the record megabytes long.
    record.body = body.text.length > 2000 ? `${body.text.slice(0, 2000)}…` : body.text;
    const requestId = randomUUID();
    const reply = (answer: Answer, note = ''): void => {
      send(res, record, answer);
      current.log?.(`${record.method} ${record.path} → ${record.status}${note ? ` (${note})` : ''}`);
    };
    const error = (status: number, message: string): void =>
      reply(jsonAnswer(status, { error: message }, { 'x-request-id': requestId }), message);
    if (req.method !== 'POST') {
      reply(statusAnswer(405, requestId));
      return;
    }
    const keyHeader = req.headers['x-api-key'];
    const key = (Array.isArray(keyHeader) ? keyHeader[0] : keyHeader)?.trim() ?? '';
    if (key === '') {
      error(401, MESSAGES[401]);
      return;
    }
    if (!/^fake-status-\d{3}$/.test(key) && current.validKeys && !current.validKeys.includes(key)) {
      error(401, INVALID_KEY_MESSAGE);
      return;
    }
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/json') {
      error(406, 'Invalid content type');
      return;
    }
    if (body.tooLarge) {
      error(413, `Request body is larger than ${current.uploadMaxBytes} bytes`);
      return;
    }
    const head = uploadFailures[0];
    if (head) {
      head.remaining -= 1;
      if (head.remaining <= 0) uploadFailures.shift();
      if (head.injection.kind === 'status') {
        reply(statusAnswer(head.injection.status, requestId), `injected status ${head.injection.status}`);
        return;
      }
    }
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      error(400, 'Request body is not valid JSON');
      return;
    }
    const decoded = decodeUpload(json);
    if (typeof decoded === 'string') {
      error(400, decoded);
      return;
    }
    const now = Date.now();
    const urls = decoded.map(({ bytes, contentType, header }) => {
      const url = `${baseUrl}/assets/${randomUUID()}.${header.format === 'jpeg' ? 'jpg' : header.format}`;
      assets.set(url, { url, bytes, contentType, uploadedAt: now, ...header });
      return url;
    });
    reply(
      jsonAnswer(
        200,
        current.uploadResponseShape === 'file_urls'
          ? { file_urls: urls, message: 'Files uploaded successfully' }
          : current.uploadResponseShape === 'foreign-urls'
            ? { urls: urls.map((url) => url.replace(baseUrl, 'https://uploads.example.net')) }
            : { urls },
        { 'x-request-id': requestId },
      ),
      `${urls.length} file(s)`,
    );
  }

  /** The public URL of an uploaded picture, as Segmind's storage host serves it (no key). */
  function serveAsset(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const asset = assets.get(`${baseUrl}${new URL(req.url ?? '/', baseUrl).pathname}`);
    if (req.headers['x-api-key'] !== undefined) {
      send(
        res,
        undefined,
        jsonAnswer(403, { error: 'Asset URLs take no x-api-key: the key was sent to the storage host' }),
      );
      return;
    }
    if (!asset) {
      send(res, undefined, jsonAnswer(404, { error: 'Asset not found' }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, undefined, statusAnswer(405, randomUUID()));
      return;
    }
    send(res, undefined, { status: 200, headers: { 'content-type': asset.contentType }, body: asset.bytes });
  }

  async function handleJobRead(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? path,
      headers: { ...req.headers },
      body: '',
      status: 0,
    };
    jobReads.push(record);
    const reply = (answer: Answer): void => {
      send(res, record, answer);
      current.log?.(`${record.method} ${record.path} → ${record.status}`);
    };
    if (!current.asyncApi) {
      reply(jsonAnswer(404, { error: MESSAGES[404] }));
      return;
    }
    const match = /^\/v2\/requests\/([A-Za-z0-9_-]+)(\/status)?$/.exec(path);
    if (!match) {
      reply(jsonAnswer(404, { error: MESSAGES[404] }));
      return;
    }
    if (req.method !== 'GET') {
      reply(statusAnswer(405, randomUUID()));
      return;
    }
    const keyHeader = req.headers['x-api-key'];
    const key = (Array.isArray(keyHeader) ? keyHeader[0] : keyHeader)?.trim() ?? '';
    if (key === '') {
      reply(jsonAnswer(401, { error: MESSAGES[401] }));
      return;
    }
    // A key changed (or revoked) since the submit is refused on every read, as on the other routes.
    if (current.validKeys && !current.validKeys.includes(key)) {
      reply(jsonAnswer(401, { error: INVALID_KEY_MESSAGE }));
      return;
    }
    const head = readFailures[0];
    if (head) {
      head.remaining -= 1;
      if (head.remaining <= 0) readFailures.shift();
      if (head.injection.kind === 'status') {
        reply(statusAnswer(head.injection.status, randomUUID()));
        return;
      }
      const socket = req.socket;
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    const [, requestId, statusRoute] = match;
    const job = jobs.get(requestId);
    const now = Date.now();
    if (!job || now - job.submittedAt >= current.jobTtlMs) {
      reply(jsonAnswer(404, { error: `Request ${requestId} not found` }));
      return;
    }
    if (now < job.finishesAt) {
      const queued = now - job.submittedAt < Math.min(300, (job.finishesAt - job.submittedAt) / 10);
      reply(
        jsonAnswer(200, {
          request_id: requestId,
          status: queued ? 'QUEUED' : 'PROCESSING',
          metrics: { queue_time: 0 },
        }),
      );
      return;
    }
    if (job.outcome === 'failed') {
      reply(
        jsonAnswer(422, { request_id: requestId, status: 'FAILED', error: MESSAGES[422], metrics: jobMetrics(job) }),
      );
      return;
    }
    if (statusRoute) {
      reply(jsonAnswer(200, { request_id: requestId, status: 'COMPLETED', metrics: jobMetrics(job) }));
      return;
    }
    reply(jsonAnswer(200, jobResult(job)));
  }

  function jobResult(job: FakeJob): unknown {
    const format = job.format;
    const contentType = format === 'png' ? 'image/png' : 'image/jpeg';
    const ext = format === 'png' ? 'png' : 'jpg';
    const base = { request_id: job.requestId, status: 'COMPLETED', metrics: jobMetrics(job) };
    // Describe: V2's `output` is the upstream JSON serialised into a string (the convention of Segmind's LLM
    // routes), the case the docs ask a reader to tolerate.
    if (job.text !== undefined) return { ...base, output: JSON.stringify({ descriptions: [{ text: job.text }] }) };
    if (job.fault === 'unsafe-image')
      return { ...base, output: null, data: [{ url: null, is_image_safe: false, seed: job.seed }] };
    if (job.fault === 'json-url-404') return { ...base, output: `${baseUrl}/__images/${randomUUID()}.${ext}` };
    if (!job.imageUrls) {
      const images =
        job.images ??
        Array.from({ length: job.request.images }, (_, index) =>
          renderImage(job.seed + index, job.request.width, job.request.height, format, {
            scale: current.imageScale,
            targetBytes: current.imageBytes,
          }),
        );
      job.imageUrls = images.map((image) => storeImage(image, contentType, ext, job.fault));
      job.imageUrl = job.imageUrls[0];
      job.images = undefined;
    }
    const urls = job.imageUrls;
    const url = urls[0];
    // Several images (ideogram-4's num_images): every URL in `output` and in `images`, in order.
    if (urls.length > 1) return { ...base, output: urls, images: urls.map((each) => ({ url: each })) };
    switch (current.responseShape) {
      case 'json-output-array':
        return { ...base, output: [url] };
      case 'json-ideogram-data':
        return {
          ...base,
          output: [url],
          data: [ideogramData(job.request, job.seed, url, true) as { data: unknown[] }][0].data,
        };
      default:
        return { ...base, output: url, images: [{ url }] };
    }
  }

  /** Upstream Ideogram's describe answer, for the picture the request names. */
  function describeAnswer(request: ValidRequest): { descriptions: Array<{ text: string }> } {
    const input = request.inputs.image_file;
    return { descriptions: [{ text: fakeDescriptionOf(input.bytes) }] };
  }

  function ideogramData(request: ValidRequest, seed: number, url: string | null, safe: boolean): unknown {
    return {
      created: new Date().toISOString(),
      data: [
        {
          url,
          prompt: request.magic ? `${request.prompt}, highly detailed, vivid colours (magic prompt)` : request.prompt,
          resolution: `${request.width}x${request.height}`,
          is_image_safe: safe,
          seed,
          style_type: request.body.style_type,
        },
      ],
    };
  }

  function shapedAnswer(
    shape: FakeResponseShape,
    image: Buffer,
    contentType: string,
    ext: string,
    headers: Record<string, string>,
    request: ValidRequest,
    seed: number,
    seconds: number,
  ): Answer {
    switch (shape) {
      case 'binary':
        return { status: 200, headers: { ...headers, 'content-type': contentType }, body: image };
      case 'json-base64':
        return jsonAnswer(200, { image: image.toString('base64'), status: 'Success', interTime: seconds }, headers);
      case 'json-output-url':
        return jsonAnswer(200, { output: storeImage(image, contentType, ext) }, headers);
      case 'json-output-array':
        return jsonAnswer(200, { output: [storeImage(image, contentType, ext)] }, headers);
      case 'json-ideogram-data':
        return jsonAnswer(200, ideogramData(request, seed, storeImage(image, contentType, ext), true), headers);
    }
  }

  async function deliverWithFault(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    answer: Answer,
    fault: 'reset-mid-body' | 'stall-body' | 'truncated-body' | 'trickle',
  ): Promise<void> {
    if (res.destroyed) return;
    const total = answer.body.length;
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(total) });
    const socket = req.socket;
    if (fault === 'trickle') {
      const size = Math.max(256, Math.ceil(total / 20));
      for (let offset = 0; offset < total; offset += size) {
        if (offset > 0 && !(await wait(TRICKLE_GAP_MS, res))) return;
        res.write(answer.body.subarray(offset, offset + size));
      }
      res.end();
      return;
    }
    const half = answer.body.subarray(0, Math.floor(total / 2));
    if (fault === 'stall-body') {
      // Headers and a quarter of the body, then silence until the client gives up or close().
      res.write(answer.body.subarray(0, Math.max(1, Math.floor(total / 4))));
      return;
    }
    if (fault === 'truncated-body') {
      res.write(half, () => socket.end());
      return;
    }
    // reset-mid-body: half the body, then the connection is dropped.
    res.write(half, () => {
      void wait(20, res).then(() => socket.destroy());
    });
  }

  async function streamHuge(res: http.ServerResponse, headers: Record<string, string>): Promise<void> {
    if (res.destroyed) return;
    // No content-length: the client must enforce its own size limit while streaming.
    res.writeHead(200, { ...headers, 'content-type': 'image/jpeg' });
    const chunk = Buffer.alloc(64 * 1024, 0x5a);
    let sent = 0;
    const prefix = jpegPrefix();
    res.write(prefix);
    sent += prefix.length;
    while (sent < HUGE_BODY_BYTES) {
      if (closed || res.destroyed) return;
      const piece = chunk.subarray(0, Math.min(chunk.length, HUGE_BODY_BYTES - sent));
      sent += piece.length;
      if (!res.write(piece) && !(await drained(res))) return;
    }
    res.end();
  }

  const server = http.createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    let work: Promise<void> | void;
    if (path === '/__control' || path.startsWith('/__control/')) work = handleControl(req, res, path);
    else if (path.startsWith('/__images/')) work = serveImage(req, res, path);
    else if (path.startsWith('/v2/requests/')) work = handleJobRead(req, res, path);
    else if (path === BALANCE_PATH) work = handleBalanceRead(req, res, path);
    else if (path === UPLOAD_PATH) work = handleUpload(req, res, path);
    else if (path.startsWith('/assets/')) work = serveAsset(req, res);
    else work = handleApi(req, res, path);
    Promise.resolve(work).catch((problem: unknown) => {
      current.log?.(
        `fake Segmind internal error: ${problem instanceof Error ? (problem.stack ?? problem.message) : String(problem)}`,
      );
      if (!res.headersSent && !res.destroyed) send(res, undefined, jsonAnswer(500, { error: 'Fake server crashed' }));
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${address.port}`;
  assetLookup.origin = baseUrl;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    endpoint: `${baseUrl}${ENDPOINT_PATH}`,
    requests,
    imageRequests,
    jobReads,
    balanceReads,
    uploads,
    assets,
    failUploadsNext(status: number, count?: number) {
      uploadFailures.push({ injection: { kind: 'status', status: checkStatus(status) }, remaining: checkCount(count) });
    },
    forgetAssets() {
      assets.clear();
    },
    jobs,
    get credits() {
      return credits;
    },
    failReadsNext(status: number, count?: number) {
      readFailures.push({ injection: { kind: 'status', status: checkStatus(status) }, remaining: checkCount(count) });
    },
    expireJobs() {
      for (const job of jobs.values()) job.submittedAt -= current.jobTtlMs;
    },
    completeJobs() {
      const now = Date.now();
      for (const job of jobs.values()) job.finishesAt = Math.min(job.finishesAt, now);
    },
    configure,
    failNext(status: number, count?: number) {
      enqueue({ kind: 'status', status: checkStatus(status) }, checkCount(count));
    },
    faultNext(fault: FakeFault, count?: number) {
      enqueue({ kind: 'fault', fault: checkFault(fault) }, checkCount(count));
    },
    reset,
    close() {
      if (!closing) {
        closed = true;
        closing = new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const cancel of [...cancellers]) cancel();
          for (const socket of sockets) socket.destroy();
          server.closeAllConnections();
        });
      }
      return closing;
    },
  };
}
