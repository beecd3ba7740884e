// Segmind's async (V2) API: submit a generation, get a request id that outlives the window, poll its status,
// read the result and download the image. See docs/segmind-async-api.md for what is known of it;
// where the contract is unsure, every reader here is tolerant and logs what arrived.
//
// Money rules: a submit that may have reached Segmind is never sent again automatically; status and result
// reads are free and always safe to repeat; a job that is not COMPLETED is not billed.
import {
  checkCall,
  type ClientOptions,
  fetchWithKey,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_IMAGE_BYTES,
  downloadImage,
  type GeneratedImage,
  type Logger,
  parseDate,
  parseDecimal,
  type Phase,
  postRequest,
  readBody,
  RequestDeadline,
  toIdeogramError,
  withoutSecret,
} from './client';
import { errorForStatus, IdeogramError, readableApiMessage } from './errors';
import { secretRedactor } from './redact';
import type { GenerationRequest, GenerationRequestInput } from './request';

/** Segmind keeps a request's record this long after submission; afterwards every route answers 404. */
export const JOB_RECORD_TTL_MS = 60 * 60 * 1000;

/**
 * A billed job whose image arrived damaged (cut off, not an image) is fetched again after these waits, while
 * Segmind still keeps its record; after the last it ends as failed and billed. Bounded: a reload does not
 * start the count again (the tries are stored with the job).
 */
export const DOWNLOAD_RETRY_DELAYS_MS: readonly number[] = [30_000, 2 * 60_000, 10 * 60_000];

/** When to fetch a job's image again after its `failedTries`-th failed download, or undefined: give up. */
export function nextDownloadTry(failedTries: number, submittedAt: number, now: number): number | undefined {
  const delay = DOWNLOAD_RETRY_DELAYS_MS[failedTries - 1];
  if (delay === undefined) return undefined;
  return now + delay < submittedAt + JOB_RECORD_TTL_MS ? now + delay : undefined;
}
/** Ideogram's average generation time on Segmind, used until this machine has seen jobs of its own. */
export const DEFAULT_EXPECTED_JOB_MS = 21_600;
/** Each status or result read gives up after this long (it is repeated later; nothing is lost). */
const READ_TIMEOUT_MS = 30_000;
/** Status bodies and result JSON are small; anything larger is not one. */
const MAX_JSON_BYTES = 256 * 1024;

/** The routes of the async API for a configured endpoint, all on the endpoint's own origin. */
export interface AsyncRoutes {
  /** `POST …/v2/<model>`. */
  submit: URL;
  /** The v1 route of the same model (the fallback where the endpoint has no V2). */
  sync: URL;
  status(requestId: string): URL;
  result(requestId: string): URL;
  /** The model slug, e.g. `ideogram-txt-2-img` (expected latency is learnt per model). */
  model: string;
}

/**
 * The async routes for an endpoint setting. `ideogram.apiEndpoint` names the v1 route (`…/v1/<model>`) as it
 * always has; `…/v2/<model>` is accepted too. Any other path (a proxy of the user's own) has no known V2
 * routes: undefined, and generations use the endpoint as the v1 route.
 */
export function asyncRoutesFor(endpoint: URL): AsyncRoutes | undefined {
  const match = /^(.*)\/v[12]\/([A-Za-z0-9._-]+)\/?$/.exec(endpoint.pathname);
  if (!match) return undefined;
  const [, base, model] = match;
  const at = (path: string) => new URL(`${endpoint.origin}${base}${path}`);
  return {
    submit: at(`/v2/${model}`),
    sync: at(`/v1/${model}`),
    status: (requestId) => at(`/v2/requests/${encodeURIComponent(requestId)}/status`),
    result: (requestId) => at(`/v2/requests/${encodeURIComponent(requestId)}`),
    model,
  };
}

/**
 * The endpoint of a model: `ideogram.apiEndpoint` names a route (`…/v1/<slug>`, as it always has); the model is the
 * slug at its end, so another model is the same route with its slug. A path of another shape (a proxy of the
 * user's own) is left as it is: the proxy decides what it serves.
 */
export function endpointForModel(endpoint: string, model: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return endpoint;
  }
  const match = /^(.*\/v[12]\/)([A-Za-z0-9._-]+)(\/?)$/.exec(url.pathname);
  if (!match || !/^[A-Za-z0-9._-]+$/.test(model)) return endpoint;
  url.pathname = `${match[1]}${model}${match[3]}`;
  return url.toString();
}

/** A request id as Segmind makes them (a UUID or 32 hex characters); anything else is not trusted into a URL. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;
export function isPlausibleRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}

// ---- reading answers (pure) --------------------------------------------------------------------------

/** What Segmind reports about a job's cost and time (each optional: read what is there). */
export interface JobMetrics {
  cost?: number;
  remainingCredits?: number;
  /** Seconds. */
  totalTime?: number;
  inferenceTime?: number;
}

export type JobReading =
  | { state: 'queued' | 'processing'; metrics: JobMetrics; rawStatus: string }
  | { state: 'completed'; metrics: JobMetrics; body: Record<string, unknown> }
  /** Segmind says the job failed: not billed. `message` is the API's clipped text. */
  | { state: 'failed'; metrics: JobMetrics; message?: string }
  /** 404: the record is gone (older than an hour) or the id was never known. */
  | { state: 'expired'; message?: string }
  /** Nothing is known this time (rate limit, server error, network): ask again later. */
  | { state: 'unavailable'; reason: string; retryAt?: Date }
  /** The user must act before asking again (key rejected, model not allowed). The job is kept. */
  | { state: 'refused'; error: IdeogramError };

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function optionalNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

export function readMetrics(body: Record<string, unknown> | undefined): JobMetrics {
  const metrics = asRecord(body?.metrics) ?? {};
  const read = (...keys: string[]) =>
    keys.map((key) => optionalNumber(metrics[key] ?? body?.[key])).find((value) => value !== undefined);
  const result: JobMetrics = {};
  const cost = read('cost');
  const remainingCredits = read('remaining_credits');
  const totalTime = read('total_time');
  const inferenceTime = read('inference_time');
  if (cost !== undefined) result.cost = cost;
  if (remainingCredits !== undefined) result.remainingCredits = remainingCredits;
  if (totalTime !== undefined) result.totalTime = totalTime;
  if (inferenceTime !== undefined) result.inferenceTime = inferenceTime;
  return result;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * Reads an answer of the status or the result route. The body decides first: COMPLETED or FAILED is final
 * whatever the HTTP code (Segmind sends FAILED as 422, sometimes as 200). An unknown status string means the
 * job is still running.
 */
export function readJobAnswer(
  httpStatus: number,
  bodyText: string,
  headers: { resetAt?: Date; contentType?: string | null } = {},
): JobReading {
  const body = parseJson(bodyText);
  const status = typeof body?.status === 'string' ? body.status.trim().toUpperCase() : undefined;
  const metrics = readMetrics(body);
  const apiMessage = readableApiMessage(bodyText, headers.contentType ?? null);
  if (status === 'COMPLETED' || status === 'SUCCEEDED' || status === 'SUCCESS')
    return { state: 'completed', metrics, body: body ?? {} };
  if (status === 'FAILED' || status === 'ERROR' || status === 'CANCELLED' || status === 'CANCELED') {
    return { state: 'failed', metrics, message: apiMessage };
  }
  if (httpStatus === 422) return { state: 'failed', metrics, message: apiMessage };
  if (httpStatus === 404 || httpStatus === 410) return { state: 'expired', message: apiMessage };
  if (httpStatus === 401 || httpStatus === 403)
    return { state: 'refused', error: errorForStatus(httpStatus, apiMessage, {}) };
  if (httpStatus === 429) return { state: 'unavailable', reason: 'rate limited (429)', retryAt: headers.resetAt };
  if (httpStatus >= 400)
    return { state: 'unavailable', reason: `HTTP ${httpStatus}${apiMessage ? `: ${apiMessage}` : ''}` };
  if (status === 'QUEUED' || status === 'PENDING' || status === 'IN_QUEUE')
    return { state: 'queued', metrics, rawStatus: status };
  // PROCESSING, and anything Segmind may add later: still running.
  return { state: 'processing', metrics, rawStatus: status ?? '(none)' };
}

/** The first http(s) URL of a value: a string, a list's first item, or an object's `url`. */
function firstUrl(value: unknown): string | undefined {
  if (typeof value === 'string') return /^https?:\/\//i.test(value.trim()) ? value.trim() : undefined;
  if (Array.isArray(value)) return value.length > 0 ? firstUrl(value[0]) : undefined;
  const record = asRecord(value);
  return record ? firstUrl(record.url ?? record.image_url ?? record.image) : undefined;
}

/** Every http(s) URL of a value, in order: a string, a list's items, or an object's `url`. */
function allUrls(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => allUrls(item));
  const url = firstUrl(value);
  return url ? [url] : [];
}

export type ResultImage =
  /** `urls`: every image of the job in order, the first being `url` (ideogram-4 makes several in one job). */
  | { kind: 'url'; url: string; urls: string[]; seed?: number; revisedPrompt?: string }
  | { kind: 'base64'; data: string }
  | { kind: 'unsafe' }
  | { kind: 'none' };

/**
 * Where a COMPLETED result's image is: the first URL in `output`, else in `images`, else in Ideogram's own
 * `data` list (which also says when the image failed the safety check); a base64 `image` is accepted too.
 */
export function readResultImage(body: Record<string, unknown>): ResultImage {
  const data = Array.isArray(body.data) ? asRecord(body.data[0]) : undefined;
  if (data?.is_image_safe === false) return { kind: 'unsafe' };
  const url =
    firstUrl(body.output) ?? firstUrl(body.images) ?? firstUrl(data) ?? firstUrl(asRecord(body.output)?.images);
  if (url) {
    const seed = optionalNumber(data?.seed ?? body.seed);
    const revisedPrompt = typeof data?.prompt === 'string' ? data.prompt : undefined;
    // Several images: every URL of `output` and `images`, each once, in order (the shape is not documented).
    const urls = [...new Set([url, ...allUrls(body.output), ...allUrls(body.images)])];
    return {
      kind: 'url',
      url,
      urls,
      ...(seed !== undefined ? { seed: Math.round(seed) } : {}),
      ...(revisedPrompt ? { revisedPrompt } : {}),
    };
  }
  if (typeof body.image === 'string' && body.image.length > 0) return { kind: 'base64', data: body.image };
  return { kind: 'none' };
}

// ---- when to ask (pure) ------------------------------------------------------------------------------

/** Never two status reads closer than this. */
export const MIN_POLL_GAP_MS = 500;
/** And, the early read aside, never more reads than seconds since the submit: at most the SDK's one a second. */
export const POLL_READS_PER_SECOND = 1;
/** Far past the expected time (and past `LATE_POLL_HORIZON_MS`), ask at most this often. */
export const MAX_POLL_GAP_MS = 15_000;
/**
 * Where a job of the expected time `E` is read densely: from `START × E` to `END × E`, every `STEP_MS`, and every
 * `PEAK_STEP_MS` within `PEAK × E` of `E` itself (where most jobs end). A read lands on `E` (+ ARRIVAL_MARGIN_MS).
 * Chosen in `npm run bench` (figure 8d) against job times drawn around each model's typical time: lag p50 below
 * the SDK's, p90 under 1 s, about a third of its reads (since 2026-12-05 a step of 800 ms rather than 900, from 0.8 × E
 * rather than 0.84: p50 ~0.1 s under the SDK's and p90 ~0.25 s under 1 s; jobs ending at 0.8–0.84 × E, ~4 % of them,
 * had waited ~1.1 s, which put a run of 40 jobs a model over the p90 goal). The dense span reaches 2.5 × E because a queued or
 * cold-started job takes about twice as long; before `START × E` only the early read is made.
 */
export const DENSE_POLLING = { START: 0.8, END: 2.5, PEAK: 0.05, STEP_MS: 800, PEAK_STEP_MS: 700 } as const;
/**
 * The read meant for "done at the expected time" comes this much later: Segmind's clock for a job starts when the
 * submit arrives and ours when it leaves, so a read at exactly `E` would come a little early as often as not (and
 * the next one is a step later).
 */
export const ARRIVAL_MARGIN_MS = 150;
/** Later than the dense span but before this, reads at most 2.5 s apart (so such a job waits ≤ 2.5 s). */
export const LATE_POLL_HORIZON_MS = 120_000;
const LATE_POLL_GAP_MS = 2_500;

/**
 * Until a model has this many past jobs on this machine, its expected time is mostly Segmind's typical time, not
 * this machine's: the schedule then also reads early and half way, so a job much shorter than that (a first job of a
 * fresh install that takes 3 s where 21.6 s was expected) waits for those reads instead of the dense span. Fewer
 * past jobs do when every one of them confirmed the typical time (`isSettledHistory`).
 */
export const SETTLED_AFTER_JOBS = 3;

/**
 * Whether a model's past jobs on this machine (`pastDurationsMs`) make its expected time trustworthy, so its jobs are
 * read on the plain schedule: SETTLED_AFTER_JOBS of them, or at least one when each ended within the dense span of
 * Segmind's typical time (`typicalMs`). Those confirm it: the schedule would have read every one of them there. A
 * first job that took 3 s where 21.6 s was typical (a fast proxy, the demo's fake) keeps the next ones on the
 * careful plan until the expected time has learnt it; a first job that took 20 s spares the next two the early and
 * half-way reads (issue #25: a third of the SDK's reads, the first jobs included).
 */
export function isSettledHistory(pastDurationsMs: readonly number[], typicalMs = DEFAULT_EXPECTED_JOB_MS): boolean {
  const past = usableDurations(pastDurationsMs);
  if (past.length >= SETTLED_AFTER_JOBS) return true;
  const { START, END } = DENSE_POLLING;
  return past.length > 0 && past.every((ms) => ms >= START * typicalMs && ms <= END * typicalMs);
}

/**
 * A job that ends on time, or a step later, is read at most this share as often as the SDK's one read a second would
 * read it (issue #25: a third). Only the early read gives way to it: for every shipped model (10–22 s) the first read
 * is then the dense span's (Ideogram 3.0: 8.2 s, 2.0: 17.3 s), so a job Segmind fails at once shows there; a model
 * whose jobs take 40 s or more keeps it. (A refused key shows at the submit, which is answered at once.)
 */
export const MAX_SHARE_OF_SDK_READS = 1 / 3;

/** The read times planned for a job expected to take `expected` ms, in order, up to the end of the dense span. */
function plannedReads(expected: number, settled: boolean): number[] {
  const { START, END, PEAK, STEP_MS, PEAK_STEP_MS } = DENSE_POLLING;
  const early = Math.min(1_500, expected / 2);
  const halfWay = !settled && expected / 2 < START * expected - MIN_POLL_GAP_MS ? [expected / 2] : [];
  const step = (distanceFromExpected: number) => (distanceFromExpected < PEAK * expected ? PEAK_STEP_MS : STEP_MS);
  const anchor = expected + ARRIVAL_MARGIN_MS;
  const before: number[] = [];
  for (let at = anchor; at >= START * expected; at -= step(anchor - at)) before.push(at);
  const after: number[] = [];
  // Up to the first read at or past END × E: a job ending just before the span's end is read a step later at most
  // (with the last read inside the span, it waited for the late gap: up to 1 s).
  for (let at = anchor + step(0); ; at += step(at - anchor)) {
    after.push(at);
    if (at >= END * expected) break;
  }
  // Not sooner than the minimum gap after the submit (a job expected in 0.1 s is first read at 0.5 s).
  const first = Math.max(MIN_POLL_GAP_MS, early);
  const readsOnTime = halfWay.length + before.length;
  const sdkReadsOnTime = Math.ceil(expected / 1_000);
  // Half the jobs end after the expected time: the budget must hold for one ending a step late (one read more). Two
  // reads are always allowed: under 6 s a third of the SDK's reads is less than that.
  // A model's first jobs always get it: their expected time is Segmind's typical one, which may be far off (a fast
  // proxy, the demo's fake), and the dense span could then be the first read after many seconds.
  const withEarly = !settled || readsOnTime + 2 <= Math.max(2, Math.floor(sdkReadsOnTime * MAX_SHARE_OF_SDK_READS));
  const planned = withEarly
    ? [first, ...halfWay.filter((at) => at > first), ...before.reverse(), ...after]
    : [...halfWay, ...before.reverse(), ...after];
  const reads: number[] = [];
  for (const at of planned) {
    const previous = reads.length > 0 ? reads[reads.length - 1] : -Infinity;
    // The first read is free; after it, the k-th read comes k − 1 seconds after the submit or later.
    const earliest = Math.max(previous + MIN_POLL_GAP_MS, (reads.length * 1_000) / POLL_READS_PER_SECOND);
    // A read that would come too soon is moved to the earliest allowed moment (only short jobs, under ~3 s, have any).
    reads.push(Math.round(reads.length === 0 ? Math.max(MIN_POLL_GAP_MS, at) : Math.max(at, earliest)));
  }
  return reads;
}

/**
 * When to read a job's status next, as milliseconds since it was submitted. Ideogram's latency is known in
 * advance (the model's typical time, then the median of its past jobs), so instead of asking every second
 * (Segmind's SDK: ~21 reads for a 21 s job) this asks once early (a refusal or a bad id shows at once) when a
 * third of the SDK's reads leaves room for it (MAX_SHARE_OF_SDK_READS), then densely from a little before the expected time to 2.5 times it, then every 2.5 s up to two minutes, and less
 * and less often after that; and early and half way too while the model's history is not `settled`
 * (`isSettledHistory`). Pure: a resumed job asks with its elapsed time and gets the same plan.
 * `lastReadMs` is when the job was last read (since the submit; -Infinity: not yet by this caller); by default now.
 */
export function nextPollAt(elapsedMs: number, expectedMs: number, settled = true, lastReadMs = elapsedMs): number {
  const expected = Math.max(100, expectedMs);
  // The gap is kept from the last read, which the caller may know to be none yet (-Infinity): the call right after
  // the submit comes a few ms in, and must not push a plan's first read at 0.5 s to 1 s.
  const earliest = Math.max(elapsedMs, lastReadMs + MIN_POLL_GAP_MS);
  const reads = plannedReads(expected, settled);
  for (const at of reads) if (at >= earliest) return at;
  // Not read yet and past the plan (a job resumed long after its submit, e.g. after a restart): read at once.
  if (lastReadMs === -Infinity) return elapsedMs;
  // Past the dense span: gaps grow with the time overdue, up to 2.5 s before the horizon and 15 s after it.
  const overdue = elapsedMs - reads[reads.length - 1];
  const gap =
    elapsedMs < LATE_POLL_HORIZON_MS
      ? Math.min(LATE_POLL_GAP_MS, Math.max(1_000, overdue / 4))
      : Math.min(MAX_POLL_GAP_MS, Math.max(LATE_POLL_GAP_MS, overdue / 2));
  return elapsedMs + gap;
}

/** How many of a model's newest durations the expectation learns from (and the store keeps: core/jobDurations.ts). */
export const LEARNT_DURATIONS = 20;

/** The past durations the expectation learns from: plausible ones, the newest LEARNT_DURATIONS. */
export function usableDurations(pastDurationsMs: readonly number[]): number[] {
  return pastDurationsMs
    .filter((ms) => Number.isFinite(ms) && ms >= 0 && ms < JOB_RECORD_TTL_MS)
    .slice(-LEARNT_DURATIONS);
}

/**
 * The expected duration of the next job: the median of the model's past durations (the newest 20) together with
 * the model's typical time on Segmind (`typicalMs`, from its declaration; the V2 model's average when not given),
 * which counts as two of them. So one odd job (a cold start of twice the time, often the very first) does not move
 * the schedule, while a few jobs that agree do.
 */
export function expectedJobMs(pastDurationsMs: readonly number[], typicalMs = DEFAULT_EXPECTED_JOB_MS): number {
  const sorted = [...usableDurations(pastDurationsMs), typicalMs, typicalMs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// ---- talking to Segmind -----------------------------------------------------------------------------

export type SubmitOutcome =
  | { kind: 'submitted'; requestId: string; metrics: JobMetrics }
  /** The endpoint has no V2 route (404/405 on submit): no job was created, the v1 route may be used. */
  | { kind: 'no-async-route'; status: number };

/**
 * Submits a generation. Throws IdeogramError for every failure; `mayHaveBeenBilled` is set when a job may
 * exist (the connection broke after sending, a 2xx without a request id), and such a submit is never retried.
 */
export async function submitJob(
  routes: AsyncRoutes,
  input: GenerationRequestInput,
  options: ClientOptions,
): Promise<SubmitOutcome> {
  const { request, apiKey, log, hideKey } = checkCall(input, options);
  const deadline = new RequestDeadline(
    options.signal,
    options.timeoutMs ?? READ_TIMEOUT_MS,
    options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  );
  const phase: Phase = { sent: false, headersReceived: false };
  const doFetch = options.fetch ?? fetch;
  try {
    if (deadline.reason) throw new Error(deadline.reason);
    const response = await postRequest(routes.submit, 'application/json', {
      request,
      apiKey,
      log,
      deadline,
      phase,
      doFetch,
    });
    phase.headersReceived = true;
    const contentType = response.headers.get('content-type');
    const text = new TextDecoder().decode(await readBody(response, deadline, MAX_JSON_BYTES, log));
    log('debug', `Submit: HTTP ${response.status} ${contentType ?? '(no content type)'}`);
    if (response.status === 404 || response.status === 405) {
      log('info', `The endpoint has no async (V2) route (HTTP ${response.status}): no job was created`);
      return { kind: 'no-async-route', status: response.status };
    }
    if (!response.ok) {
      const apiMessage = readableApiMessage(text, contentType);
      log('warn', `Submit: HTTP ${response.status}: ${apiMessage ?? '(no readable message)'}`);
      throw errorForStatus(response.status, apiMessage, {
        remainingCredits: parseDecimal(response.headers.get('x-remaining-credits')),
        resetAt: parseDate(response.headers.get('x-rate-limit-reset-at-utc')),
      });
    }
    const body = parseJson(text);
    const requestId = body?.request_id ?? body?.requestId ?? body?.id;
    if (!isPlausibleRequestId(requestId)) {
      log('warn', `Submit answered ${response.status} without a usable request id: ${text.slice(0, 300)}`);
      throw new IdeogramError({ kind: 'bad-response', reason: 'no-job-id', mayHaveBeenBilled: true });
    }
    log('info', `Submitted: request id ${requestId} (${typeof body?.status === 'string' ? body.status : 'no status'})`);
    return { kind: 'submitted', requestId, metrics: readMetrics(body) };
  } catch (error) {
    throw withoutSecret(toIdeogramError(error, deadline, phase, log), hideKey);
  } finally {
    deadline.dispose();
  }
}

export interface ReadOptions {
  apiKey: string;
  signal?: AbortSignal;
  log?: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function keyFreeLog(options: ReadOptions): Logger {
  const hideKey = secretRedactor(options.apiKey.trim());
  return (level, message) => options.log?.(level, hideKey(message));
}

/** One GET of a status or result route. Never throws: a failure to ask is 'unavailable'. */
async function readJobRoute(url: URL, options: ReadOptions): Promise<JobReading> {
  const log = keyFreeLog(options);
  const deadline = new RequestDeadline(options.signal, options.timeoutMs ?? READ_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS);
  try {
    const response = await fetchWithKey(
      url,
      options.apiKey,
      { headers: { accept: 'application/json' }, signal: deadline.signal },
      options.fetch ?? fetch,
    );
    const contentType = response.headers.get('content-type');
    const text = new TextDecoder().decode(await readBody(response, deadline, MAX_JSON_BYTES, log));
    const reading = readJobAnswer(response.status, text, {
      contentType,
      resetAt: parseDate(response.headers.get('x-rate-limit-reset-at-utc')),
    });
    log(
      'debug',
      `GET ${url.pathname}: HTTP ${response.status} → ${reading.state}${reading.state === 'processing' || reading.state === 'queued' ? ` (${reading.rawStatus})` : ''}`,
    );
    return reading;
  } catch (error) {
    if (deadline.reason === 'cancelled') throw new IdeogramError({ kind: 'cancelled', reason: 'stopped-waiting' });
    const reason = deadline.reason ? `no answer in time (${deadline.reason})` : describeError(error);
    log('warn', `GET ${url.pathname} failed: ${reason}`);
    return { state: 'unavailable', reason };
  } finally {
    deadline.dispose();
  }
}

function describeError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Reads a job's status. Throws only when `signal` aborts ('cancelled'). */
export function readJobStatus(routes: AsyncRoutes, requestId: string, options: ReadOptions): Promise<JobReading> {
  return readJobRoute(routes.status(requestId), options);
}

/**
 * Reads a job's result route as it is (a COMPLETED job's body), for a model whose result is not an image (Describe's
 * text: src/core/describeCall.ts). Throws only when `signal` aborts ('cancelled').
 */
export function readJobResultBody(routes: AsyncRoutes, requestId: string, options: ReadOptions): Promise<JobReading> {
  return readJobRoute(routes.result(requestId), options);
}

export type JobResult = { state: 'image'; image: GeneratedImage } | Exclude<JobReading, { state: 'completed' }>;

/**
 * Reads a COMPLETED job's result and downloads its image (never with the key: the URL is public and on
 * another host). Download failures throw IdeogramError (the job is billed; the caller keeps it to try again).
 */
export async function fetchJobResult(
  routes: AsyncRoutes,
  requestId: string,
  request: GenerationRequest,
  options: ReadOptions & { maxImageBytes?: number; endpoint: URL },
): Promise<JobResult> {
  const log = keyFreeLog(options);
  const reading = await readJobRoute(routes.result(requestId), options);
  if (reading.state !== 'completed') return reading;
  const image = readResultImage(reading.body);
  const base = {
    request,
    requestId,
    delivery: 'json-url' as const,
    cost: reading.metrics.cost,
    remainingCredits: reading.metrics.remainingCredits,
    generationTimeSeconds: reading.metrics.inferenceTime ?? reading.metrics.totalTime,
  };
  if (image.kind === 'unsafe') {
    throw new IdeogramError({ kind: 'safety-refusal', reason: 'image', mayHaveBeenBilled: true });
  }
  if (image.kind === 'none') {
    log(
      'warn',
      `Result without an image: keys ${Object.keys(reading.body).join(', ')}; ${JSON.stringify(reading.body).slice(0, 400)}`,
    );
    throw new IdeogramError({ kind: 'bad-response', reason: 'no-image-in-result', mayHaveBeenBilled: true });
  }
  if (image.kind === 'base64') {
    throw new IdeogramError({ kind: 'bad-response', reason: 'inline-image', mayHaveBeenBilled: true });
  }
  const deadline = new RequestDeadline(options.signal, options.timeoutMs ?? 120_000, DEFAULT_IDLE_TIMEOUT_MS);
  try {
    const context = {
      deadline,
      doFetch: options.fetch ?? fetch,
      maxBytes: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
      log,
      endpoint: options.endpoint,
    };
    // Every image of the job, one after the other (each is paid for; a failure keeps the job to fetch them again).
    const downloads = [];
    for (const url of image.urls) downloads.push(await downloadImage(url, context));
    const [first, ...more] = downloads;
    if (image.urls.length > 1) log('info', `Result with ${image.urls.length} images`);
    return {
      state: 'image',
      image: {
        ...base,
        ...first,
        seed: image.seed ?? request.seed,
        revisedPrompt: image.revisedPrompt,
        ...(more.length > 0 ? { more } : {}),
      },
    };
  } catch (error) {
    throw toIdeogramError(error, deadline, { sent: true, headersReceived: true }, log);
  } finally {
    deadline.dispose();
  }
}
