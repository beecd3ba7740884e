// The rules for sending a local picture to Segmind, which takes input images only as URLs: which files may go, where
// the upload goes (the key only goes to Segmind or to the endpoint the user configured), which answer is believed,
// and when an earlier upload of the same bytes is used again instead of uploading twice. Data and codes only: the
// host reads the file, asks for consent, sends the request and words the problems.
// Segmind Storage: `POST https://workflows-api.segmind.com/upload-asset` `{"data_urls": ["data:image/png;base64,…"]}`
// → `{"urls": […]}` (its docs) or `{"file_urls": […], "message": …}` (its Python SDK); limits and lifetime unknown.
import { createHash } from 'crypto';
import * as z from 'zod/mini';
import { validateEndpoint } from './client';
import { IMAGE_TYPES, sniffImageType, type ImageFormat } from './images';

/** The picture types Ideogram takes as input (JPEG, PNG, WebP; upstream's list). A GIF is recognised, not sent. */
export const UPLOADABLE_IMAGE_TYPES = ['jpeg', 'png', 'webp'] as const satisfies readonly ImageFormat[];
export type UploadableImageType = (typeof UPLOADABLE_IMAGE_TYPES)[number];

/** Ideogram's limit per input image (upstream; Segmind's own is not published). */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** Why a file cannot be uploaded as it is, with the facts its wording needs. */
export type UploadProblem =
  | { code: 'empty' }
  | { code: 'not-an-image'; size: number }
  /** A picture of a type Ideogram does not take (GIF). */
  | { code: 'unsupported-type'; type: ImageFormat; size: number }
  /** A picture of a type Ideogram takes, but larger than the limit: the host may scale it down and check again. */
  | { code: 'too-large'; type: UploadableImageType; size: number; limit: number };

export type UploadCheck =
  { ok: true; type: UploadableImageType; mimeType: string; size: number } | { ok: false; problem: UploadProblem };

export interface UploadCandidate {
  /** The file's bytes, or only its start (the type is read from the first 12 bytes) when `size` is given. */
  bytes: Uint8Array;
  /** The file's full size, when `bytes` holds only its start (a stat, so a huge file is refused unread). */
  size?: number;
  /** Default: UPLOAD_MAX_BYTES. */
  maxBytes?: number;
}

/** Whether a file may be uploaded: a JPEG, PNG or WebP by its bytes (not its name), not empty, within the limit. */
export function checkUploadable({
  bytes,
  size = bytes.length,
  maxBytes = UPLOAD_MAX_BYTES,
}: UploadCandidate): UploadCheck {
  if (size === 0) return { ok: false, problem: { code: 'empty' } };
  const sniffed = sniffImageType(bytes);
  if (!sniffed) return { ok: false, problem: { code: 'not-an-image', size } };
  const type = uploadableType(sniffed.format);
  if (!type) return { ok: false, problem: { code: 'unsupported-type', type: sniffed.format, size } };
  if (size > maxBytes) return { ok: false, problem: { code: 'too-large', type, size, limit: maxBytes } };
  return { ok: true, type, mimeType: sniffed.mimeType, size };
}

function uploadableType(format: ImageFormat): UploadableImageType | undefined {
  return (UPLOADABLE_IMAGE_TYPES as readonly ImageFormat[]).includes(format)
    ? (format as UploadableImageType)
    : undefined;
}

/** The `data:` URL one item of `data_urls` carries. */
export function toDataUrl(bytes: Uint8Array, type: UploadableImageType): string {
  return `data:${IMAGE_TYPES[type].mimeType};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

/** Segmind Storage's upload route, on the host Segmind's docs name for it. */
export const SEGMIND_UPLOAD_ROUTE = 'https://workflows-api.segmind.com/upload-asset';

/** segmind.com and its subdomains: where the key already goes, and where Segmind's storage URLs live. */
export function isSegmindHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'segmind.com' || host.endsWith('.segmind.com');
}

/**
 * Where the upload goes for a configured endpoint: Segmind's storage route for an endpoint on Segmind; for any other
 * endpoint (a proxy, the test server) `<its origin>/upload-asset`, so the key goes nowhere the user did not configure.
 * Undefined for an endpoint the client would not call either (not a URL, http off this machine, credentials in it).
 */
export function uploadRoute(endpoint: string): string | undefined {
  const checked = validateEndpoint(endpoint);
  if (!checked.ok) return undefined;
  return isSegmindHost(checked.url.hostname) ? SEGMIND_UPLOAD_ROUTE : `${checked.url.origin}/upload-asset`;
}

/** Why an upload's answer is not believed. */
export type UploadResponseProblem =
  /** Neither `urls` nor `file_urls` is a list. */
  | { code: 'no-urls' }
  /** Some items are not https URLs on Segmind nor URLs on the endpoint's own origin (the rest are not used either). */
  | { code: 'untrusted-urls'; refused: number; received: number }
  /** Not one URL per file sent: which URL belongs to which file is unknown. */
  | { code: 'wrong-count'; expected: number; received: number };

export type UploadResponse = { ok: true; urls: string[] } | { ok: false; problem: UploadResponseProblem };

/**
 * The URLs of an upload's answer, one per file sent, in order. `urls` (Segmind's docs) or `file_urls` (its SDK);
 * each item must be an https URL on segmind.com or a subdomain, or a URL on the configured endpoint's own origin
 * (a proxy, the test server). One refused item refuses the answer: the URLs are matched to the files by position.
 */
export function readUploadResponse(body: unknown, sentCount: number, endpoint: string): UploadResponse {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const list = Array.isArray(record.urls)
    ? record.urls
    : Array.isArray(record.file_urls)
      ? record.file_urls
      : undefined;
  if (!list) return { ok: false, problem: { code: 'no-urls' } };
  const checked = validateEndpoint(endpoint);
  const endpointOrigin = checked.ok ? checked.url.origin : undefined;
  const urls = list.filter(
    (item): item is string => typeof item === 'string' && isTrustedAssetUrl(item, endpointOrigin),
  );
  if (urls.length < list.length)
    return {
      ok: false,
      problem: { code: 'untrusted-urls', refused: list.length - urls.length, received: list.length },
    };
  if (urls.length !== sentCount)
    return { ok: false, problem: { code: 'wrong-count', expected: sentCount, received: urls.length } };
  return { ok: true, urls };
}

function isTrustedAssetUrl(text: string, endpointOrigin: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:' && isSegmindHost(url.hostname)) return true;
  return endpointOrigin !== undefined && url.origin === endpointOrigin;
}

// ---- reuse: the same bytes are not uploaded twice while their URL lives ------------------------------------------

/**
 * How long an uploaded URL is used again. Segmind publishes no lifetime for its storage URLs (its SDK calls them
 * "persistent"; generated images are reported to be kept about 7 days): a day is well inside both, and a URL that
 * died earlier costs one refused request and a new upload, not a wrong picture (the key is the bytes' hash).
 */
export const UPLOAD_REUSE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Uploads remembered at most (the oldest leave first): a few months of a writer's actions, a few KB stored. */
export const UPLOAD_CACHE_MAX_ENTRIES = 200;

/** One upload: the bytes' sha256, the route they went to, the URL that came back, and when (ms since the epoch). */
export interface UploadRecord {
  hash: string;
  /** The upload route (`uploadRoute(endpoint)`): a URL from one server is no use to another (a proxy, a test server). */
  route: string;
  url: string;
  uploadedAt: number;
}

/** The remembered uploads, oldest first. Plain data, stored as JSON by the host. */
export interface UploadCache {
  version: 1;
  entries: UploadRecord[];
}

export const EMPTY_UPLOAD_CACHE: UploadCache = { version: 1, entries: [] };

/** The key of a picture's upload: the sha256 of its bytes, in hex. */
export function hashUploadBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The earlier upload of the same bytes to the same route, if its URL is younger than `maxAgeMs`. */
export function findReusable(
  cache: UploadCache,
  key: { hash: string; route: string },
  now: number,
  maxAgeMs = UPLOAD_REUSE_MAX_AGE_MS,
): UploadRecord | undefined {
  // An upload dated in the future (the clock went back) has no known age: not reused.
  return cache.entries.find(
    (entry) =>
      entry.hash === key.hash &&
      entry.route === key.route &&
      entry.uploadedAt <= now &&
      now - entry.uploadedAt < maxAgeMs,
  );
}

/** The cache with this upload remembered (replacing an older one of the same bytes and route), within its bound. */
export function rememberUpload(
  cache: UploadCache,
  record: UploadRecord,
  maxEntries = UPLOAD_CACHE_MAX_ENTRIES,
): UploadCache {
  const others = cache.entries.filter((entry) => !(entry.hash === record.hash && entry.route === record.route));
  return { version: 1, entries: bounded([...others, record], maxEntries) };
}

/** The cache without the uploads of these bytes (their URL was refused: it expired sooner than thought). */
export function forgetUpload(cache: UploadCache, hash: string): UploadCache {
  return { version: 1, entries: cache.entries.filter((entry) => entry.hash !== hash) };
}

/** Oldest first, at most `maxEntries`, the newest kept. */
function bounded(entries: UploadRecord[], maxEntries: number): UploadRecord[] {
  const sorted = [...entries].sort((a, b) => a.uploadedAt - b.uploadedAt);
  return sorted.slice(Math.max(0, sorted.length - maxEntries));
}

const HTTP_URL = /^https?:\/\/[^\s]+$/i;
const uploadRecordSchema = z.object({
  hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  route: z.string().check(z.maxLength(2048), z.regex(HTTP_URL)),
  url: z.string().check(z.maxLength(4096), z.regex(HTTP_URL)),
  uploadedAt: z.int().check(z.minimum(0)),
});
const uploadCacheSchema = z.object({ version: z.literal(1), entries: z.array(z.unknown()) });

/**
 * The stored cache, read tolerantly: an entry that does not fit is dropped, not the whole cache; anything else
 * (nothing stored, another version, garbage) reads as empty. Duplicates keep their newest upload; the bound applies.
 */
export function readUploadCache(raw: unknown, maxEntries = UPLOAD_CACHE_MAX_ENTRIES): UploadCache {
  const parsed = uploadCacheSchema.safeParse(raw);
  if (!parsed.success) return EMPTY_UPLOAD_CACHE;
  const newest = new Map<string, UploadRecord>();
  for (const entry of parsed.data.entries) {
    const record = uploadRecordSchema.safeParse(entry);
    if (!record.success) continue;
    const key = `${record.data.hash} ${record.data.route}`;
    const known = newest.get(key);
    if (!known || known.uploadedAt < record.data.uploadedAt) newest.set(key, record.data);
  }
  return { version: 1, entries: bounded([...newest.values()], maxEntries) };
}
