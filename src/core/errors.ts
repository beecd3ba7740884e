// One error type for every failure a user can meet, each with a message that says what to do next.

import { formatCredits } from './cost';

/** What the user can do about a failure; the host layer turns it into a button. */
export const RECOVERY_ACTIONS = ['setApiKey', 'openBilling', 'showLog', 'retry', 'openSettings', 'checkStatus'] as const;
export type RecoveryAction = (typeof RECOVERY_ACTIONS)[number];

export type FailureKind =
  | 'invalid-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'method-not-allowed'
  | 'insufficient-credits' | 'unsupported-content-type' | 'gone' | 'safety-refusal' | 'rate-limited'
  | 'server-error' | 'bad-gateway' | 'service-unavailable' | 'gateway-timeout' | 'http-error'
  | 'network' | 'timeout' | 'cancelled' | 'bad-response' | 'too-large' | 'invalid-endpoint' | 'missing-api-key'
  /** The async API: Segmind says the job failed (not billed); its record is gone (after an hour); stopped waiting. */
  | 'generation-failed' | 'expired' | 'stopped-waiting' | 'interrupted'
  /** The user's daily credit limit (ideogram.dailyCreditLimit) refused the request before anything was sent. */
  | 'budget-exceeded';

export interface IdeogramErrorDetails {
  kind: FailureKind;
  /** Shown to the user as is: what happened and what to do. Never contains the key or raw HTML. */
  message: string;
  status?: number;
  actions?: RecoveryAction[];
  /** The request reached the API and may have been charged (a timeout after sending, a broken body). */
  mayHaveBeenBilled?: boolean;
  /** A retry can succeed without the user changing anything. */
  retryable?: boolean;
  /** For the log: what the API said, trimmed. */
  detail?: string;
  remainingCredits?: number;
  /** When a rate limit resets (from `x-rate-limit-reset-at-utc`). */
  resetAt?: Date;
}

export class IdeogramError extends Error {
  readonly kind: FailureKind;
  readonly status?: number;
  readonly actions: RecoveryAction[];
  readonly mayHaveBeenBilled: boolean;
  readonly retryable: boolean;
  readonly detail?: string;
  readonly remainingCredits?: number;
  readonly resetAt?: Date;

  constructor(details: IdeogramErrorDetails) {
    super(details.message);
    this.name = 'IdeogramError';
    this.kind = details.kind;
    this.status = details.status;
    this.actions = details.actions ?? [];
    this.mayHaveBeenBilled = details.mayHaveBeenBilled ?? false;
    this.retryable = details.retryable ?? false;
    this.detail = details.detail;
    this.remainingCredits = details.remainingCredits;
    this.resetAt = details.resetAt;
  }
}

export function isIdeogramError(value: unknown): value is IdeogramError {
  return value instanceof IdeogramError;
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
  return text.replace(/<[^>]*>/g, ' ').replace(/[<>]/g, '').replace(/\s+/g, ' ').trim();
}

function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function sentence(apiMessage: string | undefined): string {
  if (!apiMessage) return '';
  return ` The API said: "${apiMessage.replace(/[.\s]+$/, '')}".`;
}

/** Maps an HTTP error status (and its body) to the failure a user sees. */
export function errorForStatus(
  status: number,
  apiMessage: string | undefined,
  headers: { remainingCredits?: number; resetAt?: Date },
): IdeogramError {
  const said = sentence(apiMessage);
  const credits = headers.remainingCredits;
  switch (status) {
    case 400:
      return new IdeogramError({ kind: 'invalid-request', status, detail: apiMessage, actions: ['showLog'],
        message: `Segmind rejected the request as invalid (400).${said} Check the prompt and options.` });
    case 401:
      return new IdeogramError({ kind: 'unauthorized', status, detail: apiMessage, actions: ['setApiKey'],
        message: 'Segmind did not accept the API key (401). Set a valid key with "Ideogram: Set API Key".' });
    case 402:
    case 406:
      if (status === 406 && /content.?type/i.test(apiMessage ?? '')) {
        return new IdeogramError({ kind: 'unsupported-content-type', status, detail: apiMessage, actions: ['showLog'],
          message: `Segmind refused the request's content type (406).${said} This is a bug in the extension: please report it with the log.` });
      }
      return new IdeogramError({ kind: 'insufficient-credits', status, detail: apiMessage, remainingCredits: credits, actions: ['openBilling'],
        message: `Not enough Segmind credits for this image (${status})${credits !== undefined ? `: ${formatCredits(credits)} credits left` : ''}. Top up your balance on segmind.com, then try again.` });
    case 403:
      return new IdeogramError({ kind: 'forbidden', status, detail: apiMessage, actions: ['setApiKey'],
        message: `Your Segmind account may not use this model (403).${said} Check your team's permissions or use another key.` });
    case 404:
      return new IdeogramError({ kind: 'not-found', status, detail: apiMessage, actions: ['openSettings'],
        message: 'The Segmind endpoint was not found (404). Check the "ideogram.apiEndpoint" setting.' });
    case 405:
      return new IdeogramError({ kind: 'method-not-allowed', status, actions: ['openSettings'],
        message: 'The endpoint does not accept image requests (405). Check the "ideogram.apiEndpoint" setting.' });
    case 410:
      return new IdeogramError({ kind: 'gone', status, detail: apiMessage, actions: ['checkStatus'],
        message: 'Segmind has retired this model (410). Check Segmind\'s model list and update the "ideogram.apiEndpoint" setting.' });
    case 422:
      return new IdeogramError({ kind: 'safety-refusal', status, detail: apiMessage,
        message: `The prompt was refused by the safety check (422).${said} Rephrase the prompt and try again.` });
    case 429:
      return new IdeogramError({ kind: 'rate-limited', status, detail: apiMessage, retryable: true, resetAt: headers.resetAt, actions: ['retry'],
        message: `Segmind's rate limit was reached (429).${headers.resetAt ? ` It resets at ${headers.resetAt.toISOString().slice(11, 19)} UTC.` : ''} Wait a moment and try again.` });
    case 500:
      return new IdeogramError({ kind: 'server-error', status, detail: apiMessage, actions: ['retry', 'showLog'],
        message: `Segmind failed while generating the image (500).${said} Try again; if it keeps failing, try other options.` });
    case 502:
      return new IdeogramError({ kind: 'bad-gateway', status, detail: apiMessage, retryable: true, actions: ['retry'],
        message: 'Segmind\'s gateway had a problem (502). Try again in a moment.' });
    case 503:
      return new IdeogramError({ kind: 'service-unavailable', status, detail: apiMessage, retryable: true, actions: ['retry', 'checkStatus'],
        message: 'Segmind is temporarily unavailable (503). Try again in a moment.' });
    case 504:
      return new IdeogramError({ kind: 'gateway-timeout', status, detail: apiMessage, mayHaveBeenBilled: true, actions: ['retry', 'checkStatus'],
        message: 'Segmind\'s gateway timed out (504). The image may still have been charged; check your Segmind usage before retrying.' });
    default:
      return new IdeogramError({ kind: 'http-error', status, detail: apiMessage, actions: ['showLog'],
        message: `Segmind answered with an unexpected status ${status}.${said}` });
  }
}
