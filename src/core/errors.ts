// One error type for every failure a user can meet. The core says what happened, as data (a kind, the case
// within it, and the facts); the host words it and picks the actions that fix it, in one place
// (src/common/errorMessages.ts, an exhaustive switch through vscode.l10n.t), so every failure reads in the user's language.

import type { RequestProblem } from './request';

/** What the user can do about a failure; the host layer turns it into a button. */
export const RECOVERY_ACTIONS = [
  'setApiKey',
  'openBilling',
  'showLog',
  'retry',
  'openSettings',
  'checkStatus',
  'showJobs',
  'openFolder',
] as const;
export type RecoveryAction = (typeof RECOVERY_ACTIONS)[number];

export const FAILURE_KINDS = [
  'invalid-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'method-not-allowed',
  'insufficient-credits',
  'unsupported-content-type',
  'gone',
  'safety-refusal',
  'rate-limited',
  'server-error',
  'bad-gateway',
  'service-unavailable',
  'gateway-timeout',
  'http-error',
  'network',
  'timeout',
  'cancelled',
  'bad-response',
  'too-large',
  'invalid-endpoint',
  'missing-api-key',
  // The async API: Segmind says the job failed (not billed); its record is gone (after an hour); stopped waiting.
  'generation-failed',
  'expired',
  'stopped-waiting',
  'interrupted',
  // The user's daily credit limit (ideogram.dailyCreditLimit) refused the request before anything was sent.
  'budget-exceeded',
  // Before any request: no workspace folder to save into; a setting that cannot be used (assets folder, templates).
  'no-folder',
  'invalid-setting',
  // A picture an image action works on: refused before anything is uploaded or billed, or its upload failed.
  'source-image',
  // Saving the image failed; something nobody expected.
  'file-system',
  'unexpected',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** The case within a kind, where a kind is worded more than one way (the comment names the kind). */
export const FAILURE_REASONS = [
  /* invalid-request */ 'options-invalid',
  /* invalid-endpoint (without a case: not https) */ 'not-a-url',
  'credentials',
  /* missing-api-key */ 'key-characters',
  /* safety-refusal: the generated image failed the check; the async job failed the prompt's check */ 'image',
  'job',
  /* http-error */ 'endpoint-redirect',
  /* cancelled */ 'after-send',
  'retry-wait',
  'stopped-waiting',
  'discarded',
  'declined',
  'before-submit',
  'sidebar',
  /* timeout */ 'idle',
  'job-wait',
  /* network */ 'download-broke',
  /* bad-response */ 'malformed-json',
  'invalid-base64',
  'unrecognised-json',
  'no-job-id',
  'no-image-in-result',
  // Describe finished but its answer holds no text (src/core/describeCall.ts).
  'no-description',
  'inline-image',
  'unreadable-result',
  'download-status',
  'cut-off',
  'empty-image',
  'not-an-image',
  // The image of a billed job could not be downloaded: kept and fetched again later; given up after its tries.
  'download-kept',
  'download-gave-up',
  'link-no-target',
  'too-many-redirects',
  'link-invalid',
  'link-not-https',
  'link-local',
  'link-credentials',
  /* interrupted (without a case: another window took the job over) */ 'lost-before-id',
  /* no-folder */ 'choose-folder',
  /* invalid-setting: the assets folder; a template (file name, link); markdown.copyFiles.destination; a link */
  'absolute',
  'parent',
  'characters',
  'trailing-dot-or-space',
  'unknown-variable',
  'empty-template',
  'unknown-template-variable',
  'remote-template',
  'copy-files-outside',
  'symlink-outside',
  /* file-system */ 'no-free-name',
  /* cancelled: the user did not let the picture be uploaded */ 'upload-declined',
  /* source-image */ 'outside-workspace',
  'source-link',
  'not-a-file',
  'unsupported-type',
  'source-too-large',
  'source-unreadable',
  'upload-failed',
  'upload-bad-response',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** The facts a message needs; which ones a failure carries depends on its kind and reason. */
export interface FailureFacts {
  status?: number;
  /** What the API said, clipped plain text (never HTML, never the key). */
  apiMessage?: string;
  remainingCredits?: number;
  /** When a rate limit resets (from `x-rate-limit-reset-at-utc`). */
  resetAt?: Date;
  /** A host (and port) an image link pointed to; a link's protocol; a content type; a network cause, short. */
  host?: string;
  protocol?: string;
  contentType?: string;
  cause?: string;
  /** The link came from a redirect (not from Segmind's answer itself). */
  redirected?: boolean;
  bytes?: number;
  declaredBytes?: number;
  maxBytes?: number;
  redirects?: number;
  /** The endpoint or its origin; a setting (its id) and its value; an unknown variable in it and the known ones. */
  endpoint?: string;
  setting?: string;
  value?: string;
  variable?: string;
  allowed?: readonly string[];
  /** Why a request or its options are invalid (from the request schema). */
  problems?: readonly RequestProblem[];
  seconds?: number;
  /** Downloads of a billed image tried so far, and what went wrong with the last (its failure's reason, or kind). */
  tries?: number;
  downloadFailure?: string;
  prompt?: string;
  spentToday?: number;
  cost?: number;
  limit?: number;
  /** Paths, names: where a save would have gone, the link it would have followed, the workspace folder. */
  path?: string;
  through?: string;
  folderName?: string;
  fileName?: string;
  /** The text of an error nobody expected (file system, unexpected). */
  text?: string;
}

export interface IdeogramErrorDetails extends FailureFacts {
  kind: FailureKind;
  reason?: FailureReason;
  /** The request reached the API and may have been charged (a timeout after sending, a broken body). */
  mayHaveBeenBilled?: boolean;
  /** A retry can succeed without the user changing anything. */
  retryable?: boolean;
}

/**
 * The failure's job goes on or can be fetched for free (kept after a failed download, still running after the
 * wait, left running by the user): trying again would bill a second job, so no failure of these offers it.
 */
export function jobGoesOn(error: Pick<IdeogramError, 'kind' | 'reason'>): boolean {
  return (
    error.reason === 'download-kept' ||
    error.kind === 'stopped-waiting' ||
    (error.kind === 'timeout' && error.reason === 'job-wait')
  );
}

export class IdeogramError extends Error {
  readonly kind: FailureKind;
  readonly reason?: FailureReason;
  readonly facts: FailureFacts;
  readonly mayHaveBeenBilled: boolean;
  readonly retryable: boolean;

  constructor({ kind, reason, mayHaveBeenBilled, retryable, ...facts }: IdeogramErrorDetails) {
    // For logs and stack traces only: users see the host's wording.
    super(`${kind}${reason ? ` (${reason})` : ''}${facts.status ? `, HTTP ${facts.status}` : ''}`);
    this.name = 'IdeogramError';
    this.kind = kind;
    this.reason = reason;
    this.facts = facts;
    this.mayHaveBeenBilled = mayHaveBeenBilled ?? false;
    this.retryable = retryable ?? false;
  }

  get status(): number | undefined {
    return this.facts.status;
  }
  get apiMessage(): string | undefined {
    return this.facts.apiMessage;
  }
  get remainingCredits(): number | undefined {
    return this.facts.remainingCredits;
  }
  get resetAt(): Date | undefined {
    return this.facts.resetAt;
  }
}

/** Extracts a readable message from an error body: Segmind's `{"error": …}`, `{"html-message": …}`, text; never HTML. */
export function readableApiMessage(body: string, contentType: string | null): string | undefined {
  const trimmed = body.trim();
  if (trimmed === '') return undefined;
  if ((contentType ?? '').includes('json') || trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed && typeof parsed === 'object') {
        const record = parsed as Record<string, unknown>;
        for (const key of ['error', 'message', 'html-message', 'detail', 'error_description']) {
          const value = record[key];
          if (typeof value === 'string' && plainText(value) !== '') return clip(plainText(value));
          if (value && typeof value === 'object' && typeof (value as Record<string, unknown>).message === 'string') {
            return clip(plainText(String((value as Record<string, unknown>).message))) || undefined;
          }
        }
      }
    } catch {
      // not JSON after all: fall through to text handling
    }
  }
  if (/^<!doctype|^<html|<body/i.test(trimmed) || (contentType ?? '').includes('html')) return undefined;
  return clip(plainText(trimmed)) || undefined;
}

/** Quotes from an API never carry markup: tags are dropped, what is left is plain text. */
function plainText(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/[<>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Maps an HTTP error status (and its body) to the failure a user sees. */
export function errorForStatus(
  status: number,
  apiMessage: string | undefined,
  headers: { remainingCredits?: number; resetAt?: Date },
): IdeogramError {
  const facts = { status, apiMessage };
  switch (status) {
    case 400:
      return new IdeogramError({ kind: 'invalid-request', ...facts });
    case 401:
      return new IdeogramError({ kind: 'unauthorized', ...facts });
    case 402:
    case 406:
      if (status === 406 && /content.?type/i.test(apiMessage ?? ''))
        return new IdeogramError({ kind: 'unsupported-content-type', ...facts });
      return new IdeogramError({ kind: 'insufficient-credits', ...facts, remainingCredits: headers.remainingCredits });
    case 403:
      return new IdeogramError({ kind: 'forbidden', ...facts });
    case 404:
      return new IdeogramError({ kind: 'not-found', ...facts });
    case 405:
      return new IdeogramError({ kind: 'method-not-allowed', ...facts });
    case 410:
      return new IdeogramError({ kind: 'gone', ...facts });
    case 422:
      return new IdeogramError({ kind: 'safety-refusal', ...facts });
    case 429:
      return new IdeogramError({ kind: 'rate-limited', ...facts, retryable: true, resetAt: headers.resetAt });
    case 500:
      return new IdeogramError({ kind: 'server-error', ...facts });
    case 502:
      return new IdeogramError({ kind: 'bad-gateway', ...facts, retryable: true });
    case 503:
      return new IdeogramError({ kind: 'service-unavailable', ...facts, retryable: true });
    case 504:
      return new IdeogramError({ kind: 'gateway-timeout', ...facts, mayHaveBeenBilled: true });
    default:
      return new IdeogramError({ kind: 'http-error', ...facts });
  }
}
