import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { decideBudget, forgetSpend, parseLedger, recordSpend, spentToday, type BudgetLimits } from './core/budget';
import { balanceRouteFor, needsBalance, readBalanceAnswer, withBalance } from './core/balance';
import { describeEstimate, estimateCost, formatCredits, parseCostBook, pricingOf, recordCost, type CostBook, type CostEstimate, type EstimateWords, type ModelPricing } from './core/cost';
import { MODELS } from './core/models/registry';
import { IdeogramError } from './core/errors';
import { modelOfRequest, type GenerationRequest, type GenerationRequestInput } from './core/request';
import { SETTINGS_SECTION } from './ids';
import type { Settings } from './settings';
import { Disposable } from './dispose';
import { STATE_KEY } from './ids';
import { shorten } from './core/text';

const COSTS_KEY = STATE_KEY.costs;
const LEDGER_KEY = STATE_KEY.spendLedger;
export const CONFIRM_ABOVE_SETTING = 'confirmAboveCredits';
export const DAILY_LIMIT_SETTING = 'dailyCreditLimit';

/** How a batch was authorized: handed by `Spending.authorize`, checked by identity (a caller cannot forge one). */
export interface Authorization {
  readonly count: number;
}

/**
 * What generating costs, before and after: the cost model fed by what Segmind reports, today's spend on this
 * machine (a ledger in global state, which is per machine and survives restarts), and the budget settings. Every
 * generation passes `authorize` before anything is sent (GenerationService.generate calls it).
 */
export class Spending extends Disposable {
  readonly #changed = this.register(new vscode.EventEmitter<void>());
  /** The cost book or today's spend changed (the sidebar's estimate follows). */
  readonly onDidChange = this.#changed.event;
  readonly #issued = new WeakSet<Authorization>();
  /** The confirmation dialog shown last (the extension's own tests read it; they cannot see a modal). */
  lastConfirmation: string | undefined;

  readonly #settings: Settings;
  readonly #state: vscode.Memento;
  readonly #log: vscode.LogOutputChannel;
  constructor(settings: Settings, state: vscode.Memento, log: vscode.LogOutputChannel) {
    super();
    this.#settings = settings;
    this.#state = state;
    this.#log = log;
  }

  /** The user's (application) values only: a workspace cannot raise a limit. Empty or negative: off. */
  limits(): BudgetLimits {
    const read = (key: string): number | undefined => {
      const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>(key)?.globalValue;
      const parsed = z.number().check(z.minimum(0)).safeParse(value);
      if (value !== undefined && value !== null && !parsed.success) this.#log.warn(`Setting ${SETTINGS_SECTION}.${key} has an invalid value ${JSON.stringify(value)}: ignored`);
      return parsed.success ? parsed.data : undefined;
    };
    return { confirmAbove: read(CONFIRM_ABOVE_SETTING), dailyLimit: read(DAILY_LIMIT_SETTING) };
  }

  book(): CostBook {
    return parseCostBook(this.#state.get<unknown>(COSTS_KEY));
  }

  /** Every model's prices, as the cost model and the webview's cost line read them. */
  pricings(): ModelPricing[] {
    return MODELS.map(pricingOf);
  }

  /** What `count` jobs of this request cost (its model's price, the book's reports); defaults may be left out. */
  estimate(request: Partial<GenerationRequestInput>, count = 1): CostEstimate {
    const model = modelOfRequest(request);
    return estimateCost(this.book(), model && pricingOf(model), request, count);
  }

  spentToday(now = Date.now()): number {
    return spentToday(parseLedger(this.#state.get<unknown>(LEDGER_KEY)), now);
  }

  /**
   * Checks the budget for `count` images of `request` before anything is sent: refuses past the daily limit
   * (an error with Open Settings), asks above the confirmation threshold (declining is a free cancel).
   */
  async authorize(request: GenerationRequest, count = 1): Promise<Authorization> {
    const estimate = this.estimate(request, count);
    const cost = estimate.kind === 'unknown' ? undefined : estimate.total;
    const limits = this.limits();
    const decision = decideBudget(limits, this.spentToday(), cost);
    if (decision.kind === 'refuse') {
      this.#log.warn(`Budget: refused ${count} image(s) (${cost ?? 'unknown cost'}; ${decision.spentToday} of ${decision.limit} credits spent today)`);
      throw new IdeogramError({ kind: 'budget-exceeded', spentToday: decision.spentToday, cost, limit: decision.limit, setting: `${SETTINGS_SECTION}.dailyCreditLimit` });
    }
    if (decision.kind === 'confirm') {
      const generate = count > 1 ? vscode.l10n.t('Generate {0} Images', count) : vscode.l10n.t('Generate');
      const message = count > 1 ? vscode.l10n.t('Generate {0} images of "{1}"?', count, shorten(request.prompt)) : vscode.l10n.t('Generate "{0}"?', shorten(request.prompt));
      const detail = `${this.describe(estimate)}\n${vscode.l10n.t('You asked to confirm generations above {0} credits ("ideogram.confirmAboveCredits").', formatCredits(decision.threshold))}`;
      this.lastConfirmation = `${message}\n${detail}`;
      const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, generate);
      if (choice !== generate) {
        throw new IdeogramError({ kind: 'cancelled', reason: 'declined' });
      }
    }
    const authorization: Authorization = { count };
    this.#issued.add(authorization);
    return authorization;
  }

  #balanceRefresh: Promise<void> | undefined;

  /**
   * Asks Segmind's free balance route for the account's credits when the known balance is missing or stale (or
   * `force`), so the cost line can say what will be left before the first image. Quiet: a failure is logged only
   * (the balance stays unknown, as before). The key goes only to the endpoint's own origin, never through a redirect.
   */
  refreshBalance(getKey: () => Promise<string | undefined>, { force = false, timeoutMs = 10_000 } = {}): Promise<void> {
    const route = balanceRouteFor(this.#settings.apiEndpoint());
    if (!route || this.#balanceRefresh || (!force && !needsBalance(this.book(), Date.now()))) return this.#balanceRefresh ?? Promise.resolve();
    const refresh = (async () => {
      const key = await getKey();
      if (!key) return;
      const started = Date.now();
      try {
        const response = await fetch(route, { headers: { 'x-api-key': key }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
        const text = await response.text();
        let credits: number | undefined;
        try { credits = response.ok ? readBalanceAnswer(JSON.parse(text)) : undefined; } catch { credits = undefined; }
        if (credits === undefined) {
          this.#log.info(`Balance: GET ${route.pathname} answered ${response.status} without a balance it could read; the balance stays unknown`);
          return;
        }
        this.#log.info(`Balance: ${credits} credits (GET ${route.pathname}, ${Date.now() - started} ms)`);
        await this.#state.update(COSTS_KEY, withBalance(this.book(), credits, started));
        this.#changed.fire();
      } catch (error) {
        this.#log.info(`Balance: GET ${route.pathname} failed (${error instanceof Error ? error.name : 'error'}); the balance stays unknown`);
      }
    })().finally(() => { this.#balanceRefresh = undefined; });
    this.#balanceRefresh = refresh;
    return refresh;
  }

  /** Whether this authorization was handed out here (and covers one more image). */
  holds(authorization: Authorization | undefined): boolean {
    return !!authorization && this.#issued.has(authorization);
  }

  /** A job is about to be sent: its estimated cost counts toward today until Segmind reports the real one. */
  reserve(jobId: string, request: GenerationRequest): void {
    const estimate = this.estimate(request);
    // The whole job: several images when the model makes several in one job (ideogram-4's num_images).
    this.#updateLedger((ledger, now) => recordSpend(ledger, { id: jobId, time: now, cost: estimate.kind === 'unknown' ? 0 : estimate.total }, now));
  }

  /** A job ended with an image: what Segmind reported becomes the price of its options, the balance, and today's spend. */
  settle(jobId: string, request: GenerationRequest, reported: { cost?: number; remainingCredits?: number }): void {
    const now = Date.now();
    const model = modelOfRequest(request);
    if (model) void this.#state.update(COSTS_KEY, recordCost(this.book(), pricingOf(model), request, reported, now));
    if (reported.cost !== undefined) this.#updateLedger((ledger) => recordSpend(ledger, { id: jobId, time: now, cost: reported.cost as number }, now));
    else this.#changed.fire();
  }

  /** A job failed without being charged (refused, failed at Segmind, never sent): it no longer counts. */
  release(jobId: string): void {
    this.#updateLedger((ledger) => forgetSpend(ledger, jobId));
  }

  /** "≈ 0.10 credits · 12.40 left", "0.40 credits for 4 images · 12.10 left", "Cost unknown until …". */
  describe(estimate: CostEstimate): string {
    return describeEstimate(estimate, estimateWords());
  }

  /** After a generation: "0.10 credits · 12.30 left", or nothing when Segmind said nothing. */
  describeReported(reported: { cost?: number; remainingCredits?: number }): string | undefined {
    const parts = [
      reported.cost !== undefined ? vscode.l10n.t('{0} credits', formatCredits(reported.cost)) : undefined,
      reported.remainingCredits !== undefined ? vscode.l10n.t('{0} left', formatCredits(reported.remainingCredits)) : undefined,
    ].filter((part): part is string => part !== undefined);
    return parts.length > 0 ? parts.join(' · ') : undefined;
  }

  #updateLedger(change: (ledger: ReturnType<typeof parseLedger>, now: number) => ReturnType<typeof parseLedger>): void {
    const now = Date.now();
    void this.#state.update(LEDGER_KEY, change(parseLedger(this.#state.get<unknown>(LEDGER_KEY)), now));
    this.#changed.fire();
  }

}

/** The cost line's words (with their placeholders), for the palette and the sidebar alike. */
export function estimateWords(): EstimateWords {
  return {
    unknown: vscode.l10n.t('Cost not known yet (Segmind reports it after the first image)'),
    unknownWithBalance: vscode.l10n.t('Cost not known yet (Segmind reports it after the first image) · {0} credits left'),
    credits: vscode.l10n.t('{0} credits'),
    creditsForImages: vscode.l10n.t('{0} credits for {1} images'),
    estimated: vscode.l10n.t('(estimate from other options)'),
    listed: vscode.l10n.t('(estimate: Segmind has not reported a cost for these options yet)'),
    left: vscode.l10n.t('{0} left'),
  };
}
