// The cost model: what a generation will cost, from what Segmind reported for past generations of the same
// model and options (`metrics.cost` / `x-cost`) and the last balance it reported (`metrics.remaining_credits`
// / `x-remaining-credits`). Data only: the host and the webview word it.
import type { ModelDefinition, PriceTable } from './models/options';
import { fillTemplate } from './template';

/**
 * What the cost model needs of a model, as plain data (the webview gets it in the snapshot: it does not load the
 * registry). Built by `pricingOf` from the model's declaration.
 */
export interface ModelPricing {
  slug: string;
  price: PriceTable;
  /** The options whose values make a price (the cost key), in key order. */
  priced: readonly string[];
  /** The option that multiplies the price by the images of one job (`num_images`), if the model has one. */
  countOption?: string;
  /** The defaults of the priced and count options, for requests that leave them out. */
  defaults: Readonly<Record<string, unknown>>;
}

/**
 * The first cost keys were `model|resolution|style_type|magic_prompt_option`: those options keep that order so
 * prices remembered before models were offered still match.
 */
const FIRST_KEY_ORDER = ['resolution', 'style_type', 'magic_prompt_option'];

export function pricingOf(model: ModelDefinition): ModelPricing {
  const count = model.options.find((option) => option.concept === 'image-count');
  const rank = (name: string) => {
    const at = FIRST_KEY_ORDER.indexOf(name);
    return at < 0 ? FIRST_KEY_ORDER.length : at;
  };
  const priced = model.options
    .filter((option) => option.priced && option !== count)
    .map((option) => option.name)
    .sort((a, b) => rank(a) - rank(b));
  const defaults: Record<string, unknown> = {};
  for (const option of model.options)
    if ('default' in option && option.default !== undefined) defaults[option.name] = option.default;
  return { slug: model.slug, price: model.price, priced, ...(count ? { countOption: count.name } : {}), defaults };
}

type PricedOptions = Readonly<Record<string, unknown>>;

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
      /**
       * `known`: Segmind reported this for the same model and options; `estimated`: for other options of the model;
       * `listed`: nothing reported yet, the model's price table says (an estimate until Segmind reports one).
       */
      kind: 'known' | 'estimated' | 'listed';
      perImage: number;
      /** Images in all: jobs × images per job. */
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

const valueOf = (pricing: ModelPricing, request: PricedOptions, name: string) =>
  request[name] ?? pricing.defaults[name];

export function costKey(pricing: ModelPricing, request: PricedOptions): string {
  return [pricing.slug, ...pricing.priced.map((option) => String(valueOf(pricing, request, option)))].join('|');
}

/** Images one job of this request returns. */
export function imagesPerJob(pricing: ModelPricing, request: PricedOptions): number {
  const count = pricing.countOption ? Number(valueOf(pricing, request, pricing.countOption)) : 1;
  return Number.isInteger(count) && count > 0 ? count : 1;
}

/** The price table's figure for this request, per image. */
export function listedPrice(pricing: ModelPricing, request: PricedOptions): number {
  const row = pricing.price.byOption;
  const value = row ? valueOf(pricing, request, row.name) : undefined;
  return row && typeof value === 'string' && row.prices[value] !== undefined
    ? row.prices[value]
    : pricing.price.perImage;
}

/**
 * What `jobs` jobs of this request will cost, from the book: the price Segmind reported for the same model and
 * options, else for other options of the model (with the same value of the option the table prices by), else the
 * model's price table. `pricing` undefined (a model this version does not know): unknown.
 */
export function estimateCost(
  book: CostBook,
  pricing: ModelPricing | undefined,
  request: PricedOptions,
  jobs = 1,
): CostEstimate {
  const balance = book.balance?.credits;
  const count = jobs * (pricing ? imagesPerJob(pricing, request) : 1);
  const withBalance = (kind: 'known' | 'estimated' | 'listed', perImage: number): CostEstimate => {
    const total = roundCredits(perImage * count);
    return balance === undefined
      ? { kind, perImage, count, total }
      : { kind, perImage, count, total, balance, remainingAfter: roundCredits(balance - total) };
  };
  if (!pricing) return balance === undefined ? { kind: 'unknown', count } : { kind: 'unknown', count, balance };
  const exact = book.prices[costKey(pricing, request)];
  if (exact) return withBalance('known', exact.cost);
  const row = pricing.price.byOption;
  const rowAt = row ? pricing.priced.indexOf(row.name) : -1;
  const wanted = row ? String(valueOf(pricing, request, row.name)) : undefined;
  const sameModel = Object.entries(book.prices)
    .filter(([key]) => key.startsWith(`${pricing.slug}|`) && (rowAt < 0 || key.split('|')[rowAt + 1] === wanted))
    .map(([, price]) => price.cost);
  if (sameModel.length > 0) return withBalance('estimated', roundCredits(Math.max(...sameModel)));
  return withBalance('listed', listedPrice(pricing, request));
}

/**
 * The book after a job: its reported cost (per image: a job of several images reports their sum) and balance
 * (each optional) remembered. Never mutates.
 */
export function recordCost(
  book: CostBook,
  pricing: ModelPricing,
  request: PricedOptions,
  reported: { cost?: number; remainingCredits?: number },
  at: number,
): CostBook {
  const next: CostBook = { prices: { ...book.prices }, ...(book.balance ? { balance: book.balance } : {}) };
  if (isCredits(reported.cost)) {
    const key = costKey(pricing, request);
    delete next.prices[key];
    next.prices[key] = { cost: roundCredits(reported.cost / imagesPerJob(pricing, request)), at };
    const keys = Object.keys(next.prices);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PRICES))) delete next.prices[old];
  }
  if (isCredits(reported.remainingCredits) && (!book.balance || book.balance.at <= at))
    next.balance = { credits: reported.remainingCredits, at };
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
      if (price && isCredits(price.cost) && typeof price.at === 'number')
        book.prices[key] = { cost: price.cost, at: price.at };
    }
  }
  const stored = balance as { credits?: unknown; at?: unknown } | null | undefined;
  if (
    stored &&
    typeof stored.credits === 'number' &&
    Number.isFinite(stored.credits) &&
    typeof stored.at === 'number'
  ) {
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
  /** "(estimate from the model's list price)" */
  listed: string;
  /** "{0} left" */
  left: string;
}

/** "0.10 credits · 12.40 left", "≈ 0.40 credits for 4 images (estimate from other options) · 12.10 left". */
export function describeEstimate(estimate: CostEstimate, words: EstimateWords): string {
  if (estimate.kind === 'unknown') {
    return estimate.balance !== undefined
      ? fillTemplate(words.unknownWithBalance, formatCredits(estimate.balance))
      : words.unknown;
  }
  const amount = estimate.kind === 'known' ? formatCredits(estimate.total) : `≈ ${formatCredits(estimate.total)}`;
  const cost =
    estimate.count > 1
      ? fillTemplate(words.creditsForImages, amount, estimate.count)
      : fillTemplate(words.credits, amount);
  const basis =
    estimate.kind === 'estimated' ? ` ${words.estimated}` : estimate.kind === 'listed' ? ` ${words.listed}` : '';
  return estimate.remainingAfter !== undefined
    ? `${cost}${basis} · ${fillTemplate(words.left, formatCredits(estimate.remainingAfter))}`
    : `${cost}${basis}`;
}

function roundCredits(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function isCredits(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
