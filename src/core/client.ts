// The Segmind client: one POST, tolerant of every response shape the contract lists, with typed errors.
// Uses the global fetch (Node 18+, browsers), so it runs the same in the extension host and in tests.
import {
  DEFAULT_MAX_IMAGE_BYTES,
  decodeBase64,
  downloadImageUrl,
  type Logger,
  readLimitedBody,
  requireImage,
} from './download';
import { errorForStatus, IdeogramError, readableApiMessage } from './errors';
import type { ImageType } from './images';
import { secretRedactor } from './redact';
import {
  type GenerationRequest,
  type GenerationRequestInput,
  isValidRequest,
  segmindBody,
  validateRequest,
} from './request';
import { REQUEST_TIMEOUT_SECONDS } from './settingsTable';

export { DEFAULT_MAX_IMAGE_BYTES, type Logger, type LogLevel } from './download';

export const DEFAULT_TIMEOUT_MS = REQUEST_TIMEOUT_SECONDS.default * 1000;
/** A body that sends nothing for this long is treated as stalled. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export interface ClientOptions {
  endpoint: string;
  apiKey: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  maxImageBytes?: number;
  log?: Logger;
  fetch?: typeof fetch;
}

export interface GeneratedImage {
  bytes: Uint8Array;
  type: ImageType;
  /** The request as sent (validated, defaults filled in). */
  request: GenerationRequest;
  /** The seed actually used (`x-seed-value`, the JSON body, or the request's). */
  seed?: number;
  remainingCredits?: number;
  cost?: number;
  generationTimeSeconds?: number;
  requestId?: string;
  /** How the image arrived, for the log: `binary`, `json-base64`, `json-url`. */
  delivery: 'binary' | 'json-base64' | 'json-url';
  /** The prompt after Magic Prompt, when the API says. */
  revisedPrompt?: string;
  /** The job's other images, in order, when the model made several in one job (ideogram-4's `num_images`). */
  more?: Array<{ bytes: Uint8Array; type: ImageType }>;
}

/** Refuses endpoints that would send the key in clear text or to something that is not a URL. */
export function validateEndpoint(endpoint: string): { ok: true; url: URL } | { ok: false; error: IdeogramError } {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return { ok: false, error: new IdeogramError({ kind: 'invalid-endpoint', reason: 'not-a-url', endpoint }) };
  }
  // The endpoint is not repeated here: it holds the credentials.
  if (url.username || url.password)
    return { ok: false, error: new IdeogramError({ kind: 'invalid-endpoint', reason: 'credentials' }) };
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return { ok: true, url };
  return { ok: false, error: new IdeogramError({ kind: 'invalid-endpoint', endpoint: url.origin }) };
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function parseDecimal(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const number = Number.parseFloat(value);
  return Number.isFinite(number) ? number : undefined;
}

export function parseDate(value: string | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export type AbortReason = 'cancelled' | 'timeout' | 'idle';

/** One abort controller for the user's cancel, the overall timeout and the idle timeout, remembering which fired. */
export class RequestDeadline {
  readonly controller = new AbortController();
  reason: AbortReason | undefined;
  #overallTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #onUserAbort = () => this.abort('cancelled');

  readonly #userSignal: AbortSignal | undefined;
  readonly #idleTimeoutMs: number;
  constructor(userSignal: AbortSignal | undefined, timeoutMs: number, idleTimeoutMs: number) {
    this.#userSignal = userSignal;
    this.#idleTimeoutMs = idleTimeoutMs;
    if (userSignal?.aborted) this.abort('cancelled');
    userSignal?.addEventListener('abort', this.#onUserAbort, { once: true });
    this.#overallTimer = setTimeout(() => this.abort('timeout'), timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Restarts the idle timer: call whenever bytes arrive. */
  touch(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.abort('idle'), this.#idleTimeoutMs);
  }

  abort(reason: AbortReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort();
  }

  dispose(): void {
    clearTimeout(this.#overallTimer);
    clearTimeout(this.#idleTimer);
    this.#userSignal?.removeEventListener('abort', this.#onUserAbort);
  }
}

export interface Phase {
  sent: boolean;
  headersReceived: boolean;
}

/** What every call to Segmind checks before anything is sent, and the key-free logger it logs through. */
export interface CheckedCall {
  request: GenerationRequest;
  endpoint: URL;
  apiKey: string;
  log: Logger;
  hideKey: (text: string) => string;
}

/** Validates the request, the endpoint and the key; throws the IdeogramError the user should see. */
export function checkCall(input: GenerationRequestInput, options: ClientOptions): CheckedCall {
  const apiKey = (options.apiKey ?? '').trim();
  const hideKey = secretRedactor(apiKey);
  const log: Logger = options.log ? (level, message) => options.log?.(level, hideKey(message)) : () => undefined;
  // A request the pipeline validated where it entered is not checked again; any other input is checked here.
  const validation = isValidRequest(input) ? { ok: true as const, request: input } : validateRequest(input);
  if (!validation.ok) {
    throw new IdeogramError({ kind: 'invalid-request', reason: 'options-invalid', problems: validation.problems });
  }
  const endpoint = validateEndpoint(options.endpoint);
  if (!endpoint.ok) throw endpoint.error;
  if (apiKey === '') throw new IdeogramError({ kind: 'missing-api-key' });
  // HTTP headers carry only visible ASCII; a pasted zero-width space or newline would fail inside fetch,
  // whose error message quotes the whole header value.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new IdeogramError({ kind: 'missing-api-key', reason: 'key-characters' });
  }
  return { request: validation.request, endpoint: endpoint.url, apiKey, log, hideKey };
}

/**
 * Generates one image. Validates the request first (nothing is sent when it is invalid), never retries
 * (see `generateImageWithRetries`), and throws only `IdeogramError`.
 */
export async function generateImage(input: GenerationRequestInput, options: ClientOptions): Promise<GeneratedImage> {
  const { request, endpoint: endpointUrl, apiKey, log, hideKey } = checkCall(input, options);
  const endpoint = { url: endpointUrl };
  const deadline = new RequestDeadline(
    options.signal,
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  );
  const phase: Phase = { sent: false, headersReceived: false };
  const doFetch = options.fetch ?? fetch;
  const started = Date.now();
  try {
    if (deadline.reason) throw deadline.reason;
    const response = await postRequest(endpoint.url, 'image/*, application/json', {
      request,
      apiKey,
      log,
      deadline,
      phase,
      doFetch,
    });
    phase.headersReceived = true;
    deadline.touch();
    const contentType = response.headers.get('content-type');
    log(
      'debug',
      `HTTP ${response.status} ${contentType ?? '(no content type)'} after ${Date.now() - started} ms, request id ${response.headers.get('x-request-id') ?? 'none'}`,
    );
    const meta = {
      seed: parseDecimal(response.headers.get('x-seed-value')),
      remainingCredits: parseDecimal(response.headers.get('x-remaining-credits')),
      cost: parseDecimal(response.headers.get('x-cost')),
      generationTimeSeconds: parseDecimal(response.headers.get('x-generation-time')),
      requestId: response.headers.get('x-request-id') ?? undefined,
    };

    if (!response.ok) {
      const body = await readBody(response, deadline, 64 * 1024, log).catch(() => new Uint8Array());
      const text = new TextDecoder().decode(body);
      const apiMessage = readableApiMessage(text, contentType);
      log(
        'warn',
        `HTTP ${response.status}: ${apiMessage ?? (text.trim() ? '(non-JSON body, ' + text.length + ' chars)' : '(empty body)')}`,
      );
      throw errorForStatus(response.status, apiMessage, {
        remainingCredits: meta.remainingCredits,
        resetAt: parseDate(response.headers.get('x-rate-limit-reset-at-utc')),
      });
    }

    const maxBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    const body = await readBody(response, deadline, maxBytes, log);
    const base = { request, ...meta, seed: meta.seed !== undefined ? Math.round(meta.seed) : request.seed };

    if ((contentType ?? '').toLowerCase().includes('json')) {
      return await imageFromJson(body, base, { deadline, doFetch, maxBytes, log, endpoint: endpoint.url });
    }
    const type = requireImage(body, contentType, log);
    log(
      'info',
      `Received ${type.format} image, ${body.length} bytes in ${Date.now() - started} ms${meta.remainingCredits !== undefined ? `, ${meta.remainingCredits} credits left` : ''}`,
    );
    return { ...base, bytes: body, type, delivery: 'binary' };
  } catch (error) {
    throw withoutSecret(toIdeogramError(error, deadline, phase, log), hideKey);
  } finally {
    deadline.dispose();
  }
}

/**
 * The one way a request carrying the API key leaves: only to an address the endpoint rules allow (https, or http
 * to this computer; no credentials in it), never through a redirect (one could carry the key to another host).
 * Generations, job reads and the balance all go through it; their bodies are read with `readBody` under a cap.
 */
export function fetchWithKey(
  url: URL,
  apiKey: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
  doFetch: typeof fetch = fetch,
): Promise<Response> {
  const checked = validateEndpoint(url.href);
  if (!checked.ok) return Promise.reject(checked.error);
  return doFetch(url, { ...init, headers: { ...init.headers, 'x-api-key': apiKey.trim() }, redirect: 'error' });
}

/**
 * Sends a generation request with the key, to `url` only (redirects refused: one could carry the key to another
 * host), and marks it sent: from here on it may be billed. Shared by the v1 route and the async submit.
 */
export function postRequest(
  url: URL,
  accept: string,
  {
    request,
    apiKey,
    log,
    deadline,
    phase,
    doFetch,
  }: {
    request: GenerationRequest;
    apiKey: string;
    log: Logger;
    deadline: RequestDeadline;
    phase: Phase;
    doFetch: typeof fetch;
  },
): Promise<Response> {
  const body = segmindBody(request);
  // The options, not the prompt (it may be private and long): every field but the prompts and the palette.
  const options = Object.entries(body)
    .filter(([key]) => key !== 'prompt' && key !== 'negative_prompt' && key !== 'color_palette')
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ');
  log('info', `POST ${url.origin}${url.pathname} (${options})`);
  phase.sent = true;
  return fetchWithKey(
    url,
    apiKey,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify(body),
      signal: deadline.signal,
    },
    doFetch,
  );
}

/** The same error with the key removed from anything an API could have echoed back. */
export function withoutSecret(error: IdeogramError, hideKey: (text: string) => string): IdeogramError {
  let changed = false;
  const hide = (text: string) => {
    const hidden = hideKey(text);
    changed ||= hidden !== text;
    return hidden;
  };
  const facts = Object.fromEntries(
    Object.entries(error.facts).map(([name, value]) => [
      name,
      typeof value === 'string'
        ? hide(value)
        : Array.isArray(value)
          ? value.map((item) => (typeof item === 'string' ? hide(item) : item))
          : value,
    ]),
  );
  if (!changed) return error;
  return new IdeogramError({
    ...facts,
    kind: error.kind,
    reason: error.reason,
    mayHaveBeenBilled: error.mayHaveBeenBilled,
    retryable: error.retryable,
  });
}

/** Reads the whole body under the size cap, restarting the idle timer as bytes arrive. */
export function readBody(
  response: Response,
  deadline: RequestDeadline,
  maxBytes: number,
  log: Logger,
): Promise<Uint8Array> {
  deadline.touch();
  return readLimitedBody(response, { signal: deadline.signal, maxBytes, onData: () => deadline.touch(), log });
}

type Base = Omit<GeneratedImage, 'bytes' | 'type' | 'delivery'>;

/** The JSON shapes the contract lists: `{image: base64}`, `{output: url | [url]}`, `{data: [{url, is_image_safe}]}`. */
async function imageFromJson(
  body: Uint8Array,
  base: Base,
  context: { deadline: RequestDeadline; doFetch: typeof fetch; maxBytes: number; log: Logger; endpoint: URL },
): Promise<GeneratedImage> {
  const { log } = context;
  const text = new TextDecoder().decode(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    log('warn', `JSON response did not parse (${text.length} chars)`);
    throw new IdeogramError({ kind: 'bad-response', reason: 'malformed-json', mayHaveBeenBilled: true });
  }
  const record = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  log('debug', `JSON response with keys: ${Object.keys(record).join(', ') || '(none)'}`);

  if (typeof record.image === 'string') {
    const bytes = decodeBase64(record.image);
    if (!bytes) {
      throw new IdeogramError({ kind: 'bad-response', reason: 'invalid-base64', mayHaveBeenBilled: true });
    }
    return { ...base, bytes, type: requireImage(bytes, 'application/json (base64)', log), delivery: 'json-base64' };
  }
  let url: string | undefined;
  let revisedPrompt: string | undefined;
  let seed = base.seed;
  if (typeof record.output === 'string') url = record.output;
  else if (Array.isArray(record.output) && typeof record.output[0] === 'string') url = record.output[0];
  else if (Array.isArray(record.data) && record.data[0] && typeof record.data[0] === 'object') {
    const first = record.data[0] as Record<string, unknown>;
    if (first.is_image_safe === false) {
      throw new IdeogramError({ kind: 'safety-refusal', reason: 'image', mayHaveBeenBilled: true });
    }
    if (typeof first.url === 'string') url = first.url;
    if (typeof first.prompt === 'string') revisedPrompt = first.prompt;
    if (typeof first.seed === 'number') seed = first.seed;
  }
  if (!url) {
    log('warn', `Unrecognised JSON response: ${text.slice(0, 500)}`);
    throw new IdeogramError({ kind: 'bad-response', reason: 'unrecognised-json', mayHaveBeenBilled: true });
  }
  return { ...base, seed, revisedPrompt, ...(await downloadImage(url, context)), delivery: 'json-url' };
}

/** Downloads an image URL from a JSON answer, every redirect checked (src/core/download.ts); never with the key. */
export async function downloadImage(
  url: string,
  context: { deadline: RequestDeadline; doFetch: typeof fetch; maxBytes: number; log: Logger; endpoint: URL },
): Promise<{ bytes: Uint8Array; type: ImageType }> {
  const { bytes, type } = await downloadImageUrl(url, {
    endpoint: context.endpoint,
    signal: context.deadline.signal,
    maxBytes: context.maxBytes,
    onData: () => context.deadline.touch(),
    log: context.log,
    fetch: context.doFetch,
  });
  return { bytes, type };
}

/** Turns anything thrown during a request into the IdeogramError the user should see. */
export function toIdeogramError(error: unknown, deadline: RequestDeadline, phase: Phase, log: Logger): IdeogramError {
  if (error instanceof IdeogramError) return error;
  const reason = deadline.reason;
  if (reason === 'cancelled') {
    return new IdeogramError({
      kind: 'cancelled',
      reason: phase.sent ? 'after-send' : undefined,
      mayHaveBeenBilled: phase.sent,
    });
  }
  if (reason === 'timeout' || reason === 'idle') {
    log(
      'warn',
      `Request ${reason === 'idle' ? 'stopped sending data' : 'did not answer in time'} (${phase.headersReceived ? 'after' : 'before'} the response headers)`,
    );
    return new IdeogramError({
      kind: 'timeout',
      reason: reason === 'idle' ? 'idle' : undefined,
      mayHaveBeenBilled: phase.sent,
    });
  }
  if (
    /redirect/i.test(String((error as { cause?: { message?: string } })?.cause?.message ?? (error as Error)?.message))
  ) {
    log('warn', 'The endpoint answered with a redirect, which is not followed (it could carry the key elsewhere)');
    return new IdeogramError({ kind: 'http-error', reason: 'endpoint-redirect', mayHaveBeenBilled: false });
  }
  const description = describeNetworkError(error);
  log(
    'error',
    `Network failure ${phase.headersReceived ? 'while reading the image' : 'before any answer'}: ${description.log}`,
  );
  if (phase.headersReceived) {
    return new IdeogramError({
      kind: 'network',
      reason: 'download-broke',
      cause: description.short,
      mayHaveBeenBilled: true,
    });
  }
  return new IdeogramError({
    kind: 'network',
    cause: description.short,
    retryable: description.neverSent,
    mayHaveBeenBilled: !description.neverSent,
  });
}

function describeNetworkError(error: unknown): { short: string; log: string; neverSent: boolean } {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'DNS lookup failed',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed',
    UND_ERR_SOCKET: 'connection closed by the server',
    CERT_HAS_EXPIRED: 'certificate expired',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not trusted',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  };
  const short = (code && known[code]) || (code ? code : 'network error');
  const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return { short, log: `${code ?? ''} ${message}`.trim(), neverSent };
}

export interface RetryOptions {
  /** Longest wait for a rate limit reset; longer resets fail with the 429 message. */
  maxRateLimitWaitMs?: number;
  /** Told before each wait, e.g. to show "Rate limited: retrying in 12 s" in the progress. */
  onWait?: (waitMs: number, reason: IdeogramError) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock a rate limit's reset time is compared with (the job runner's; tests pass a fake one). */
  now?: () => number;
}

/**
 * `generateImage` with the retries that cannot double-bill: a 429 is retried once after its reset time
 * (bounded), 502/503 and refused connections up to twice with backoff. Timeouts and anything after the
 * image may have been made are never retried.
 */
export function generateImageWithRetries(
  input: GenerationRequestInput,
  options: ClientOptions & RetryOptions,
): Promise<GeneratedImage> {
  return withSafeRetries(() => generateImage(input, options), options);
}

/**
 * Runs `call` again only after failures that cannot have been billed (see `generateImageWithRetries`). Also
 * used for the async API's submit, whose failures follow the same rules.
 */
export async function withSafeRetries<T>(call: () => Promise<T>, options: ClientOptions & RetryOptions): Promise<T> {
  const sleep = options.sleep ?? abortableSleep;
  const maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
  let rateLimitRetries = 0;
  let gatewayRetries = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const failure = error as IdeogramError;
      let waitMs: number | undefined;
      if (failure.kind === 'rate-limited' && rateLimitRetries < 1) {
        const untilReset = failure.resetAt ? failure.resetAt.getTime() - (options.now ?? Date.now)() : 5_000;
        if (untilReset <= maxRateLimitWaitMs) {
          waitMs = Math.max(250, untilReset + 250);
          rateLimitRetries++;
        }
      } else if (
        failure.retryable &&
        failure.kind !== 'rate-limited' &&
        !failure.mayHaveBeenBilled &&
        gatewayRetries < 2
      ) {
        waitMs = 1_000 * 2 ** gatewayRetries;
        gatewayRetries++;
      }
      if (waitMs === undefined) throw failure;
      options.log?.(
        'info',
        `${failure.kind} (${failure.status ?? 'no status'}): retrying in ${Math.round(waitMs / 100) / 10} s`,
      );
      options.onWait?.(waitMs, failure);
      try {
        await sleep(waitMs, options.signal);
      } catch {
        throw new IdeogramError({ kind: 'cancelled', reason: 'retry-wait' });
      }
    }
  }
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
