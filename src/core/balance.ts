// The account balance from Segmind's free balance route (`GET /v1/get-user-credits`, header `x-api-key`; it runs no
// model, see docs/segmind-async-api.md), so the cost line can say what will be left before the first image.
// The answer's shape is not documented: it is read tolerantly, and anything else means "not known".
import { asyncRoutesFor } from './asyncJob';
import { DEFAULT_IDLE_TIMEOUT_MS, fetchWithKey, readBody, RequestDeadline } from './client';
import type { CostBook } from './cost';

/** The balance route's answer is a few bytes of JSON: anything bigger is not read. */
export const MAX_BALANCE_ANSWER_BYTES = 16 * 1024;

export type BalanceReading =
  { kind: 'balance'; credits: number } | { kind: 'unknown'; status?: number; reason?: string };

/**
 * Asks the balance route, through the one sender of keyed requests (endpoint rules, no redirect) with a capped
 * body and a deadline. Never throws: whatever goes wrong leaves the balance unknown.
 */
export async function readBalance(
  route: URL,
  apiKey: string,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<BalanceReading> {
  const deadline = new RequestDeadline(undefined, options.timeoutMs ?? 10_000, DEFAULT_IDLE_TIMEOUT_MS);
  try {
    const response = await fetchWithKey(
      route,
      apiKey,
      { headers: { accept: 'application/json' }, signal: deadline.signal },
      options.fetch ?? fetch,
    );
    const text = new TextDecoder().decode(
      await readBody(response, deadline, MAX_BALANCE_ANSWER_BYTES, () => undefined),
    );
    let credits: number | undefined;
    try {
      credits = response.ok ? readBalanceAnswer(JSON.parse(text)) : undefined;
    } catch {
      credits = undefined;
    }
    return credits === undefined ? { kind: 'unknown', status: response.status } : { kind: 'balance', credits };
  } catch (error) {
    return { kind: 'unknown', reason: error instanceof Error ? error.name : 'error' };
  } finally {
    deadline.dispose();
  }
}

/** A balance younger than this is not asked for again. */
export const BALANCE_FRESH_MS = 10 * 60_000;

/** The balance route beside a Segmind endpoint (`…/v1/<model>` or `…/v2/<model>`); none for other endpoints. */
export function balanceRouteFor(endpoint: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  const routes = asyncRoutesFor(url);
  return routes ? new URL('get-user-credits', routes.sync) : undefined;
}

const BALANCE_FIELDS = [
  'credits',
  'remaining_credits',
  'remainingCredits',
  'balance',
  'credit_balance',
  'available_credits',
];

/** The credits in an answer of the balance route: a number (or numeric string) under a known name, at the top or in `data`. */
export function readBalanceAnswer(body: unknown): number | undefined {
  const read = (value: unknown): number | undefined => {
    const number = typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
    return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined;
  };
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  for (const field of BALANCE_FIELDS) {
    const value = read(record[field]);
    if (value !== undefined) return value;
  }
  return record.data !== undefined && record.data !== body ? readBalanceAnswer(record.data) : undefined;
}

/** Whether the book's balance is missing or older than `BALANCE_FRESH_MS`. */
export function needsBalance(book: CostBook, now: number): boolean {
  return !book.balance || now - book.balance.at > BALANCE_FRESH_MS || book.balance.at > now;
}

/** The book with the balance read at `at`, unless it already has a newer one. Never mutates. */
export function withBalance(book: CostBook, credits: number, at: number): CostBook {
  if (book.balance && book.balance.at > at) return book;
  return { prices: { ...book.prices }, balance: { credits, at } };
}
