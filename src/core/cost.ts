// The cost model: what a generation will cost, from what Segmind reported for past generations of the same
// model and options (`metrics.cost` / `x-cost`) and the last balance it reported (`metrics.remaining_credits`
// / `x-remaining-credits`). Data only: the host and the webview word it.
import type { GenerationRequest } from './request';
import { fillTemplate } from './template';

/** The request fields a price may depend on (the prompt, seed and palette do not change what Segmind charges). */
export const PRICED_OPTIONS = ['resolution', 'style_type', 'magic_prompt_option'] as const;
type PricedOptions = Pick<GenerationRequest, (typeof PRICED_OPTIONS)[number]>;

/** At most this many model+options prices are remembered (the oldest are dropped). */
export const MAX_PRICES = 50;

export interface PriceRecord {
  cost: number;
  /** Epoch milliseconds of the generation that reported it. */
  at: number;
}

/** What is remembered between sessions (in the extension's global state: it belongs to the account). */
export interface CostBook {
  /** The last reported cost per model+options key (`costKey`). */
  prices: Record<string, PriceRecord>;
  /** The last balance Segmind reported. */
  balance?: { credits: number; at: number };
}

export type CostEstimate =
  | {
    /** `known`: the same model and options cost this last time; `estimated`: another option set of the model did. */
    kind: 'known' | 'estimated';
    perImage: number;
    count: number;
    total: number;
    /** The last reported balance, and what is left after this generation, when a balance was ever reported. */
    balance?: number;
    remainingAfter?: number;
  }
  | { kind: 'unknown'; count: number; balance?: number };

export function emptyCostBook(): CostBook {
  return { prices: {} };
}

export function costKey(model: string, request: PricedOptions): string {
  return [model, ...PRICED_OPTIONS.map((option) => String(request[option]))].join('|');
}

/** What `count` images of this request will cost, from the book. */
export function estimateCost(book: CostBook, model: string, request: PricedOptions, count = 1): CostEstimate {
  const balance = book.balance?.credits;
  const withBalance = (kind: 'known' | 'estimated', perImage: number): CostEstimate => {
    const total = roundCredits(perImage * count);
    return balance === undefined
      ? { kind, perImage, count, total }
      : { kind, perImage, count, total, balance, remainingAfter: roundCredits(balance - total) };
  };
  const exact = book.prices[costKey(model, request)];
  if (exact) return withBalance('known', exact.cost);
  const sameModel = Object.entries(book.prices).filter(([key]) => key.startsWith(`${model}|`)).map(([, price]) => price.cost);
  if (sameModel.length > 0) return withBalance('estimated', roundCredits(Math.max(...sameModel)));
  return balance === undefined ? { kind: 'unknown', count } : { kind: 'unknown', count, balance };
}

/** The book after a generation: its reported cost and balance (each optional) remembered. Never mutates. */
export function recordCost(book: CostBook, model: string, request: PricedOptions,
  reported: { cost?: number; remainingCredits?: number }, at: number): CostBook {
  const next: CostBook = { prices: { ...book.prices }, ...(book.balance ? { balance: book.balance } : {}) };
  if (isCredits(reported.cost)) {
    const key = costKey(model, request);
    delete next.prices[key];
    next.prices[key] = { cost: reported.cost, at };
    const keys = Object.keys(next.prices);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PRICES))) delete next.prices[old];
  }
  if (isCredits(reported.remainingCredits) && (!book.balance || book.balance.at <= at)) next.balance = { credits: reported.remainingCredits, at };
  return next;
}

/** A book read back from storage: anything damaged is dropped, never trusted. */
export function parseCostBook(raw: unknown): CostBook {
  const book = emptyCostBook();
  if (!raw || typeof raw !== 'object') return book;
  const { prices, balance } = raw as { prices?: unknown; balance?: unknown };
  if (prices && typeof prices === 'object') {
    for (const [key, value] of Object.entries(prices as Record<string, unknown>)) {
      const price = value as Partial<PriceRecord> | null;
      if (price && isCredits(price.cost) && typeof price.at === 'number') book.prices[key] = { cost: price.cost, at: price.at };
    }
  }
  const stored = balance as { credits?: unknown; at?: unknown } | null | undefined;
  if (stored && typeof stored.credits === 'number' && Number.isFinite(stored.credits) && typeof stored.at === 'number') {
    book.balance = { credits: stored.credits, at: stored.at };
  }
  return book;
}

/** Credits as people read them: 2 decimals, more when the amount is under 1 and needs them (0.063). */
export function formatCredits(credits: number): string {
  return credits.toFixed(Math.abs(credits) < 1 ? 4 : 2).replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** The wording of a cost line, translated by the host: templates with `{0}`-style placeholders. */
export interface EstimateWords {
  /** "Cost not known yet (Segmind reports it after the first image)" */
  unknown: string;
  /** The same, with "· {0} credits left". */
  unknownWithBalance: string;
  /** "{0} credits" */
  credits: string;
  /** "{0} credits for {1} images" */
  creditsForImages: string;
  /** "(estimate from other options)" */
  estimated: string;
  /** "{0} left" */
  left: string;
}

/** "0.10 credits · 12.40 left", "≈ 0.40 credits for 4 images (estimate from other options) · 12.10 left". */
export function describeEstimate(estimate: CostEstimate, words: EstimateWords): string {
  if (estimate.kind === 'unknown') {
    return estimate.balance !== undefined ? fillTemplate(words.unknownWithBalance, formatCredits(estimate.balance)) : words.unknown;
  }
  const amount = estimate.kind === 'known' ? formatCredits(estimate.total) : `≈ ${formatCredits(estimate.total)}`;
  const cost = estimate.count > 1 ? fillTemplate(words.creditsForImages, amount, estimate.count) : fillTemplate(words.credits, amount);
  const basis = estimate.kind === 'estimated' ? ` ${words.estimated}` : '';
  return estimate.remainingAfter !== undefined ? `${cost}${basis} · ${fillTemplate(words.left, formatCredits(estimate.remainingAfter))}` : `${cost}${basis}`;
}

function roundCredits(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function isCredits(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
