// Downloading an image that an API answer links to, one checked hop at a time, and reading any image body
// under a size cap. Pure: global fetch (injectable), no `vscode`.
import { IdeogramError, type IdeogramErrorDetails } from './errors';
import { sniffImageType, type ImageType } from './images';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string) => void;

/** Ideogram images are 1–3 MB; anything this big is not one. */
export const DEFAULT_MAX_IMAGE_BYTES = 40 * 1024 * 1024;
/** Redirects followed before giving up (browsers allow 20; an image CDN needs one or two). */
export const MAX_IMAGE_REDIRECTS = 5;

export interface DownloadImageOptions {
  /**
   * The configured API endpoint (already validated). It sets the rules for every hop: https only, and
   * loopback or private-network hosts (and plain http to loopback) only when the endpoint itself is loopback,
   * as for a local test server. A remote API cannot point the extension host at the user's own machine.
   */
  endpoint: string | URL;
  /** Aborts the download (the caller's cancel and timeout). An abort rejects with whatever fetch throws. */
  signal?: AbortSignal;
  /** Largest body accepted, in bytes (default `DEFAULT_MAX_IMAGE_BYTES`). */
  maxBytes?: number;
  /** Called whenever bytes arrive (e.g. to restart an idle timer). */
  onData?: () => void;
  log?: Logger;
  fetch?: typeof fetch;
}

export interface DownloadedImage {
  bytes: Uint8Array;
  type: ImageType;
  /** Where the bytes finally came from, after redirects. */
  url: URL;
}

/**
 * Downloads the image at `url` without ever sending the API key (it takes none: the link may be on any host).
 * Redirects are followed by hand (`redirect: 'manual'`) so each hop is checked like the first: https only (plain
 * http only to loopback, and only when the endpoint is loopback), no loopback or private-network host unless
 * the endpoint is one, at most `MAX_IMAGE_REDIRECTS` hops. The body is capped at `maxBytes` and must be an image
 * by its bytes (JPEG, PNG, WebP, GIF), whatever its content type says.
 *
 * Throws `IdeogramError` (kind `bad-response` or `too-large`, `mayHaveBeenBilled: true`: the image was paid for)
 * for anything the link or its answer does wrong. Network failures and aborts reject with the error fetch gave,
 * because only the caller knows why its signal fired.
 */
export async function downloadImageUrl(url: string, options: DownloadImageOptions): Promise<DownloadedImage> {
  const log = options.log ?? (() => undefined);
  const doFetch = options.fetch ?? fetch;
  const endpoint = new URL(options.endpoint);
  const localEndpoint = isLocalNetworkHost(endpoint.hostname);
  let current = parseLink(url, undefined);
  for (let hop = 0; ; hop++) {
    checkHop(current, localEndpoint, hop);
    log(
      'info',
      `${hop === 0 ? 'Downloading the image from' : `Redirected (${hop}) to`} ${current.origin}${current.pathname}`,
    );
    const response = await doFetch(current, {
      method: 'GET',
      headers: { accept: 'image/*' },
      credentials: 'omit',
      redirect: 'manual',
      signal: options.signal,
    });
    options.onData?.();
    if (isRedirect(response.status) || response.type === 'opaqueredirect') {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      if (!location) throw badLink({ reason: 'link-no-target', status: response.status });
      if (hop + 1 > MAX_IMAGE_REDIRECTS)
        throw badLink({ reason: 'too-many-redirects', redirects: MAX_IMAGE_REDIRECTS });
      current = parseLink(location, current);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new IdeogramError({
        kind: 'bad-response',
        reason: 'download-status',
        status: response.status,
        host: current.host,
        mayHaveBeenBilled: true,
      });
    }
    const bytes = await readLimitedBody(response, {
      signal: options.signal,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES,
      onData: options.onData,
      log,
    });
    return { bytes, type: requireImage(bytes, response.headers.get('content-type'), log), url: current };
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function badLink(facts: Omit<IdeogramErrorDetails, 'kind' | 'mayHaveBeenBilled'>): IdeogramError {
  return new IdeogramError({ kind: 'bad-response', mayHaveBeenBilled: true, ...facts });
}

function parseLink(link: string, base: URL | undefined): URL {
  try {
    return new URL(link, base);
  } catch {
    throw badLink({ reason: 'link-invalid', redirected: base !== undefined });
  }
}

function checkHop(url: URL, localEndpoint: boolean, hop: number): void {
  const redirected = hop > 0;
  const local = isLocalNetworkHost(url.hostname);
  const plainHttpAllowed = url.protocol === 'http:' && localEndpoint && isLoopbackAddress(url.hostname);
  if (url.protocol !== 'https:' && !plainHttpAllowed) {
    throw badLink({ reason: 'link-not-https', protocol: url.protocol, redirected });
  }
  if (local && !localEndpoint) {
    throw badLink({ reason: 'link-local', host: url.host, redirected });
  }
  if (url.username || url.password) {
    throw badLink({ reason: 'link-credentials', redirected });
  }
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and ::1. */
export function isLoopbackAddress(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/**
 * Loopback, private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), link-local (169.254/16 with the cloud
 * metadata address, fe80::/10) and unspecified addresses, and IPv4 mapped into IPv6. Host names are not
 * resolved: this stops literal addresses, the usual way to aim at them.
 */
export function isLocalNetworkHost(hostname: string): boolean {
  if (isLoopbackAddress(hostname)) return true;
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (ipv4) {
    const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
    return (
      a === 0 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (host.includes(':')) {
    return (
      host === '::' ||
      /^f[cd][0-9a-f]{0,2}:/.test(host) ||
      /^fe[89ab][0-9a-f]?:/.test(host) ||
      host.startsWith('::ffff:')
    );
  }
  return false;
}

/**
 * Reads a whole body, refusing it as soon as it passes `maxBytes` (or declares more). Each read races the signal:
 * Node's fetch can lose the link between its abort signal and a body that stalls after a garbage collection
 * (nodejs/undici#4089), and a read that never ends would hang the UI. Rejects with `Error('aborted')` on abort.
 */
export async function readLimitedBody(
  response: Response,
  options: { signal?: AbortSignal; maxBytes: number; onData?: () => void; log?: Logger },
): Promise<Uint8Array> {
  const { signal, maxBytes, onData } = options;
  const log = options.log ?? (() => undefined);
  const declared = parseLength(response.headers.get('content-length'));
  if (declared !== undefined && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(declared, maxBytes);
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(new Error('aborted'));
      void reader.cancel().catch(() => undefined);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (signal?.aborted) throw new Error('aborted'); // a cancelled stream also ends "done"
      if (done) break;
      onData?.();
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        log('warn', `Body exceeded ${maxBytes} bytes: stopped reading`);
        throw tooLarge(total, maxBytes);
      }
      chunks.push(value);
    }
    if (declared !== undefined && total < declared) {
      throw new IdeogramError({
        kind: 'bad-response',
        mayHaveBeenBilled: true,
        reason: 'cut-off',
        bytes: total,
        declaredBytes: declared,
      });
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return bytes;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function parseLength(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number.parseFloat(value);
  return Number.isFinite(number) ? number : undefined;
}

function tooLarge(bytes: number, maxBytes: number): IdeogramError {
  return new IdeogramError({ kind: 'too-large', mayHaveBeenBilled: true, bytes, maxBytes });
}

/** The image type of bytes that must be an image (the API was paid): a clear failure when they are empty or not one. */
export function requireImage(bytes: Uint8Array, contentType: string | null, log: Logger): ImageType {
  if (bytes.length === 0) {
    throw new IdeogramError({ kind: 'bad-response', mayHaveBeenBilled: true, reason: 'empty-image' });
  }
  const type = sniffImageType(bytes);
  if (!type) {
    log(
      'warn',
      `Response is not an image: content type ${contentType ?? 'none'}, ${bytes.length} bytes, starts with ${Array.from(bytes.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}`,
    );
    throw new IdeogramError({
      kind: 'bad-response',
      mayHaveBeenBilled: true,
      reason: 'not-an-image',
      contentType: contentType ?? undefined,
    });
  }
  if (contentType && !contentType.toLowerCase().startsWith('image/')) {
    log('warn', `Content type says ${contentType} but the bytes are a ${type.format} image: using the bytes`);
  }
  return type;
}

const BASE64_VALUES = (() => {
  const table = new Int16Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let index = 0; index < alphabet.length; index++) table[alphabet.charCodeAt(index)] = index;
  table['-'.charCodeAt(0)] = 62; // base64url
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

/**
 * Decodes base64 (standard or URL-safe, with or without `data:…;base64,`, padding and whitespace) straight into
 * bytes, without the intermediate strings `atob` and `replace` would make (a 30 MB image used to cost ~230 MB).
 * Undefined when the text is not base64.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  let start = 0;
  if (text.startsWith('data:')) {
    const comma = text.indexOf(',');
    if (comma < 0) return undefined;
    start = comma + 1;
  }
  const output = new Uint8Array(Math.floor(((text.length - start) * 3) / 4) + 3);
  let length = 0;
  let buffer = 0;
  let bits = 0;
  let padding = 0;
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09 || code === 0x0c) continue;
    if (code === 0x3d) {
      padding++;
      continue;
    } // '='
    const value = code < 128 ? BASE64_VALUES[code] : -1;
    if (value < 0 || padding > 0) return undefined; // a stray character, or data after the padding
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      output[length++] = (buffer >> bits) & 0xff;
    }
  }
  // 6 leftover bits cannot hold a byte; more than two '=' is not base64.
  if (bits === 6 || padding > 2) return undefined;
  return output.subarray(0, length);
}
