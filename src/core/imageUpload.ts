// The rules of putting a workspace picture on Segmind (Segmind Storage's upload route, docs/segmind-models.md §0):
// which files may go, where the upload goes, how its answer is read, and when an earlier upload of the same bytes is
// used again. Data only: the host reads the file, asks consent and words the problems (src/generation/imageInput/).
// Segmind Storage: `POST https://workflows-api.segmind.com/upload-asset` `{"data_urls": ["data:image/png;base64,…"]}`
// → `{"urls": […]}` (its docs) or `{"file_urls": […], "message": …}` (its Python SDK); limits and lifetime unknown.
import * as z from 'zod/mini';
import { IMAGE_TYPES, sniffImageType, type ImageFormat } from './images';

/** The picture types Ideogram takes as input (JPEG, PNG, WebP; upstream's list). A GIF is recognised, not sent. */
export const PICTURE_TYPES = ['jpeg', 'png', 'webp'] as const satisfies readonly ImageFormat[];
export type PictureType = (typeof PICTURE_TYPES)[number];

/** Ideogram's limit per input picture (upstream; Segmind states none). */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** Why a file cannot be uploaded as it is, with the facts its wording needs. */
export type UploadProblem =
  | { code: 'empty' }
  | { code: 'not-an-image'; size: number }
  /** A picture of a type Ideogram does not take (GIF). */
  | { code: 'unsupported-type'; type: ImageFormat; size: number }
  /** A picture of a type Ideogram takes, but larger than the limit: the host may scale it down and check again. */
  | { code: 'too-large'; type: PictureType; size: number; limit: number };

export type UploadCheck =
  { ok: true; type: PictureType; mimeType: string; size: number } | { ok: false; problem: UploadProblem };

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
  const type = (PICTURE_TYPES as readonly ImageFormat[]).includes(sniffed.format)
    ? (sniffed.format as PictureType)
    : undefined;
  if (!type) return { ok: false, problem: { code: 'unsupported-type', type: sniffed.format, size } };
  if (size > maxBytes) return { ok: false, problem: { code: 'too-large', type, size, limit: maxBytes } };
  return { ok: true, type, mimeType: sniffed.mimeType, size };
}

/** The upload route on Segmind's own hosts (the generation routes are on api.segmind.com). */
export const SEGMIND_UPLOAD_ROUTE = 'https://workflows-api.segmind.com/upload-asset';

/**
 * Where a picture is uploaded for an endpoint: Segmind's storage route for Segmind's API, else the endpoint's own
 * origin (a proxy of the user's, the test server), so the key goes nowhere the user did not configure.
 */
export function uploadRoute(endpoint: string): string {
  const url = new URL(endpoint);
  return isSegmindHost(url.hostname) ? SEGMIND_UPLOAD_ROUTE : `${url.origin}/upload-asset`;
}

/** segmind.com and its subdomains (`evilsegmind.com` and `segmind.com.example.net` are not). */
export function isSegmindHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'segmind.com' || host.endsWith('.segmind.com');
}

/** The body Segmind's upload route takes: the bytes as a data URL. */
export function toDataUrl(bytes: Uint8Array, type: PictureType): string {
  return `data:${IMAGE_TYPES[type].mimeType};base64,${Buffer.from(bytes).toString('base64')}`;
}

export type UploadAnswer =
  { ok: true; urls: string[] } | { ok: false; problem: 'no-urls' | 'wrong-count' | 'foreign-url' };

/**
 * The URLs of an upload's answer: `urls` (Segmind's docs) or `file_urls` (its Python SDK), each https on a Segmind
 * host, or on the endpoint's own origin when the endpoint is not Segmind's (a proxy answers with its own URLs);
 * exactly as many as pictures were sent, in their order. One URL refused refuses the answer: the URLs are matched
 * to the pictures by position.
 */
export function readUploadResponse(body: unknown, sentCount: number, endpoint: string): UploadAnswer {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const list = Array.isArray(record.urls)
    ? record.urls
    : Array.isArray(record.file_urls)
      ? record.file_urls
      : undefined;
  if (!list || list.length === 0) return { ok: false, problem: 'no-urls' };
  if (list.length !== sentCount) return { ok: false, problem: 'wrong-count' };
  const origin = new URL(endpoint).origin;
  const endpointIsSegmind = isSegmindHost(new URL(endpoint).hostname);
  const urls: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string') return { ok: false, problem: 'foreign-url' };
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      return { ok: false, problem: 'foreign-url' };
    }
    // A URL carrying credentials is not a storage URL, whatever its host.
    if (url.username || url.password) return { ok: false, problem: 'foreign-url' };
    const segmind = url.protocol === 'https:' && isSegmindHost(url.hostname);
    const ownOrigin = !endpointIsSegmind && url.origin === origin;
    if (!segmind && !ownOrigin) return { ok: false, problem: 'foreign-url' };
    urls.push(url.toString());
  }
  return { ok: true, urls };
}

// ---- uploads used again ----------------------------------------------------------------------------------

/**
 * How long an uploaded URL is used again. Segmind does not say how long it keeps an upload (its SDK calls them
 * "persistent URLs"; generated images are reported to be kept about 7 days); a day is well inside either, keeps a
 * second action on the same picture from uploading it again, and a URL that did expire fails the job at submit (not
 * billed), after which the picture is uploaded afresh.
 */
export const UPLOAD_REUSE_MS = 24 * 60 * 60 * 1000;
/** At most this many uploads are remembered (the oldest are forgotten): months of a writer's actions, a few KB. */
export const UPLOAD_CACHE_MAX = 200;

const HTTP_URL = /^https?:\/\/\S+$/i;
const uploadEntrySchema = z.object({
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  /** The endpoint the upload was made for: a URL of the test server is never sent to Segmind, nor the reverse. */
  endpoint: z.string().check(z.maxLength(2048), z.regex(HTTP_URL)),
  url: z.string().check(z.maxLength(4096), z.regex(HTTP_URL)),
  uploadedAt: z.int().check(z.minimum(0)),
});
export type UploadEntry = z.infer<typeof uploadEntrySchema>;
export interface UploadCache {
  entries: UploadEntry[];
}

/** Reads the remembered uploads; an entry that does not fit is dropped, not the whole list. */
export const uploadCacheSchema = z.pipe(
  z.unknown(),
  z.transform((value): UploadCache => {
    const entries = value !== null && typeof value === 'object' ? (value as { entries?: unknown }).entries : undefined;
    if (!Array.isArray(entries)) return { entries: [] };
    return {
      entries: entries.flatMap((entry) => {
        const parsed = uploadEntrySchema.safeParse(entry);
        return parsed.success ? [parsed.data] : [];
      }),
    };
  }),
);

/** A live upload of these bytes for this endpoint, the newest. */
export function findReusable(
  cache: UploadCache,
  sha256: string,
  endpoint: string,
  now: number,
  maxAgeMs: number,
): UploadEntry | undefined {
  // An upload dated in the future (the clock went back) has no known age: not reused.
  return cache.entries
    .filter((entry) => entry.sha256 === sha256 && entry.endpoint === endpoint)
    .filter((entry) => entry.uploadedAt <= now && now - entry.uploadedAt < maxAgeMs)
    .sort((a, b) => b.uploadedAt - a.uploadedAt)[0];
}

/** The cache with `entry` remembered (replacing an older one of the same bytes and endpoint), bounded. */
export function rememberUpload(cache: UploadCache, entry: UploadEntry, maxEntries = UPLOAD_CACHE_MAX): UploadCache {
  const others = cache.entries.filter((each) => !(each.sha256 === entry.sha256 && each.endpoint === entry.endpoint));
  return {
    entries: [...others, entry].sort((a, b) => a.uploadedAt - b.uploadedAt).slice(-Math.max(1, maxEntries)),
  };
}

/** Forgets an upload (its URL was refused: expired or never issued), so the next action uploads afresh. */
export function forgetUpload(cache: UploadCache, url: string): UploadCache {
  return { entries: cache.entries.filter((entry) => entry.url !== url) };
}
