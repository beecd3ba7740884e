import * as vscode from 'vscode';
import { decideBudget, parseLedger, spentToday, type BudgetLimits, type SpendEntry } from '../core/budget';
import type { SpendLedgerStore } from '../core/spendLedger';
import { balanceRouteFor, needsBalance, readBalance, withBalance } from '../core/balance';
import {
  describeEstimate,
  estimateCost,
  formatCredits,
  parseCostBook,
  pricingOf,
  recordCost,
  type CostBook,
  type CostEstimate,
  type EstimateWords,
  type ModelPricing,
} from '../core/cost';
import { MODELS } from '../core/models/registry';
import { IdeogramError } from '../core/errors';
import { modelOfRequest, type GenerationRequest, type GenerationRequestInput } from '../core/request';
import { SETTINGS_SECTION } from '../common/ids';
import type { Settings } from '../common/settings';
import { Disposable } from '../common/dispose';
import { STATE_KEY } from '../common/ids';
import { shorten } from '../core/text';

const COSTS_KEY = STATE_KEY.costs;
const LEDGER_KEY = STATE_KEY.spendLedger;

/**
 * How a batch was authorized: handed by `Spending.authorize`, checked by identity (a caller cannot forge one).
 * It holds one reserved ledger entry per image; each job takes one (`take`), so it covers `count` images, no more.
 */
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
  /** The reserved entry ids each authorization has left to hand to its jobs. */
  readonly #issued = new WeakMap<Authorization, string[]>();
  /** Today's entries as last read or written here, for the synchronous `spentToday` (the sidebar's line). */
  #known: SpendEntry[] = [];
  /** Whether the shared ledger was read (or is being read) since the window started. */
  #readStarted = false;
  /** The confirmation dialog shown last (the extension's own tests read it; they cannot see a modal). */
  lastConfirmation: string | undefined;

  readonly #settings: Settings;
  readonly #state: vscode.Memento;
  readonly #log: vscode.LogOutputChannel;
  readonly #ledger: SpendLedgerStore;
  constructor(settings: Settings, state: vscode.Memento, log: vscode.LogOutputChannel, ledger: SpendLedgerStore) {
    super();
    this.#settings = settings;
    this.#state = state;
    this.#log = log;
    this.#ledger = ledger;
  }

  /**
   * The shared ledger is read when today's spend is first shown, not when the extension loads: reading it is
   * file I/O (a file a reservation, ~2 ms of CPU for 20, 9 ms for 200) that the first command of a window does
   * not need (`authorize` reads it again anyway).
   */
  #readOnce(): void {
    if (this.#readStarted) return;
    this.#readStarted = true;
    void this.#readLedger().catch((error) =>
      this.#log.warn(
        `Budget: could not read today's spend (${error instanceof Error ? error.message : String(error)})`,
      ),
    );
  }

  /** The budget settings (the user's own values only: a workspace cannot raise a limit). */
  limits(): BudgetLimits {
    return this.#settings.budgetLimits();
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

  /** Today's spend as last read or written by this window (`authorize` always reads every window's). */
  spentToday(now = Date.now()): number {
    this.#readOnce();
    return spentToday(this.#withLegacy(this.#known), now);
  }

  /**
   * The ledger before the shared one (this window's global state, written until issue 24): its entries still
   * count on the day they were made, read only.
   */
  #withLegacy(entries: SpendEntry[]): SpendEntry[] {
    const ids = new Set(entries.map((entry) => entry.id));
    return [...entries, ...parseLedger(this.#state.get<unknown>(LEDGER_KEY)).filter((entry) => !ids.has(entry.id))];
  }

  async #readLedger(): Promise<SpendEntry[]> {
    this.#readStarted = true;
    this.#known = await this.#ledger.entries();
    this.#changed.fire();
    return this.#known;
  }

  /**
   * Checks the budget for `count` images of `request` before anything is sent: refuses past the daily limit
   * (an error with Open Settings), asks above the confirmation threshold (declining is a free cancel), then
   * reserves their cost in the ledger every window shares, checking the limit again in the same step: of
   * generations started together (here or in other windows), only those that fit under the limit pass.
   */
  async authorize(request: GenerationRequest, count = 1): Promise<Authorization> {
    const estimate = this.estimate(request, count);
    const cost = estimate.kind === 'unknown' ? undefined : estimate.total;
    const limits = this.limits();
    const refuse = (spent: number): never => {
      this.#log.warn(
        `Budget: refused ${count} image(s) (${cost ?? 'unknown cost'}; ${spent} of ${limits.dailyLimit} credits spent today)`,
      );
      throw new IdeogramError({
        kind: 'budget-exceeded',
        spentToday: spent,
        cost,
        limit: limits.dailyLimit,
        setting: `${SETTINGS_SECTION}.dailyCreditLimit`,
      });
    };
    const decision = decideBudget(limits, spentToday(this.#withLegacy(await this.#readLedger()), Date.now()), cost);
    if (decision.kind === 'refuse') refuse(decision.spentToday);
    if (decision.kind === 'confirm-unknown-cost') {
      const generate = count > 1 ? vscode.l10n.t('Generate {0} Images', count) : vscode.l10n.t('Generate');
      const message =
        count > 1
          ? vscode.l10n.t('Generate {0} images of "{1}"?', count, shorten(request.prompt))
          : vscode.l10n.t('Generate "{0}"?', shorten(request.prompt));
      const detail = vscode.l10n.t(
        'Its cost is not known yet (Segmind reports it after the first image of these options), so your daily limit of {0} credits ("ideogram.dailyCreditLimit", {1} spent today) cannot be checked for it.',
        formatCredits(decision.limit),
        formatCredits(decision.spentToday),
      );
      this.lastConfirmation = `${message}\n${detail}`;
      const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, generate);
      if (choice !== generate) throw new IdeogramError({ kind: 'cancelled', reason: 'declined' });
    }
    if (decision.kind === 'confirm') {
      const generate = count > 1 ? vscode.l10n.t('Generate {0} Images', count) : vscode.l10n.t('Generate');
      const message =
        count > 1
          ? vscode.l10n.t('Generate {0} images of "{1}"?', count, shorten(request.prompt))
          : vscode.l10n.t('Generate "{0}"?', shorten(request.prompt));
      const detail = `${this.describe(estimate)}\n${vscode.l10n.t('You asked to confirm generations above {0} credits ("ideogram.confirmAboveCredits").', formatCredits(decision.threshold))}`;
      this.lastConfirmation = `${message}\n${detail}`;
      const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, generate);
      if (choice !== generate) {
        throw new IdeogramError({ kind: 'cancelled', reason: 'declined' });
      }
    }
    const now = Date.now();
    // One entry a job, holding all its images (ideogram-4 makes several in one job).
    const perJob = estimate.kind === 'unknown' ? 0 : Math.round((estimate.total / count) * 1e6) / 1e6;
    const entries: SpendEntry[] = Array.from({ length: count }, () => ({
      id: globalThis.crypto.randomUUID(),
      time: now,
      cost: perJob,
    }));
    // The legacy ledger is this window's only, and does not change any more: it is added to every window's spend.
    const legacy = spentToday(this.#withLegacy([]), now);
    const reservation = await this.#ledger.reserve(
      entries,
      (spent) => decideBudget(limits, spent + legacy, cost).kind !== 'refuse',
    );
    if (reservation.kind === 'refused') refuse(Math.round((reservation.spentBefore + legacy) * 1e6) / 1e6);
    this.#known = [...this.#known, ...entries];
    this.#changed.fire();
    const authorization: Authorization = { count };
    this.#issued.set(
      authorization,
      entries.map((entry) => entry.id),
    );
    return authorization;
  }

  /** The ledger id of the next image of an authorization (the job's id), or undefined when it covers no more. */
  take(authorization: Authorization | undefined): string | undefined {
    return authorization ? this.#issued.get(authorization)?.shift() : undefined;
  }

  /** Images an authorization was given for but that were never sent (cancelled, refused before sending): not spent. */
  releaseUnused(authorization: Authorization): void {
    for (const id of this.#issued.get(authorization)?.splice(0) ?? []) this.release(id);
  }

  #balanceRefresh: Promise<void> | undefined;

  /**
   * Asks Segmind's free balance route for the account's credits when the known balance is missing or stale (or
   * `force`), so the cost line can say what will be left before the first image. Quiet: a failure is logged only
   * (the balance stays unknown, as before). The key goes only to the endpoint's own origin, never through a redirect.
   */
  refreshBalance(getKey: () => Promise<string | undefined>, { force = false, timeoutMs = 10_000 } = {}): Promise<void> {
    const route = balanceRouteFor(this.#settings.apiEndpoint());
    if (!route || this.#balanceRefresh || (!force && !needsBalance(this.book(), Date.now())))
      return this.#balanceRefresh ?? Promise.resolve();
    const refresh = (async () => {
      const key = await getKey();
      if (!key) return;
      const started = Date.now();
      try {
        const reading = await readBalance(route, key, { timeoutMs });
        if (reading.kind === 'unknown') {
          this.#log.info(
            `Balance: GET ${route.pathname} ${reading.status !== undefined ? `answered ${reading.status} without a balance it could read` : `failed (${reading.reason ?? 'error'})`}; the balance stays unknown`,
          );
          return;
        }
        const { credits } = reading;
        this.#log.info(`Balance: ${credits} credits (GET ${route.pathname}, ${Date.now() - started} ms)`);
        await this.#state.update(COSTS_KEY, withBalance(this.book(), credits, started));
        this.#changed.fire();
      } catch (error) {
        this.#log.info(
          `Balance: GET ${route.pathname} failed (${error instanceof Error ? error.name : 'error'}); the balance stays unknown`,
        );
      }
    })().finally(() => {
      this.#balanceRefresh = undefined;
    });
    this.#balanceRefresh = refresh;
    return refresh;
  }

  /** A job ended with an image: what Segmind reported becomes the price of its options, the balance, and today's spend. */
  settle(jobId: string, request: GenerationRequest, reported: { cost?: number; remainingCredits?: number }): void {
    const now = Date.now();
    const model = modelOfRequest(request);
    if (model) void this.#state.update(COSTS_KEY, recordCost(this.book(), pricingOf(model), request, reported, now));
    if (reported.cost !== undefined) this.#settleLedger(jobId, reported.cost);
    else this.#changed.fire();
  }

  /** A job failed without being charged (refused, failed at Segmind, never sent): it no longer counts. */
  release(jobId: string): void {
    this.#settleLedger(jobId, 0);
  }

  /** "≈ 0.10 credits · 12.40 left", "0.40 credits for 4 images · 12.10 left", "Cost unknown until …". */
  describe(estimate: CostEstimate): string {
    return describeEstimate(estimate, estimateWords());
  }

  /** After a generation: "0.10 credits · 12.30 left", or nothing when Segmind said nothing. */
  describeReported(reported: { cost?: number; remainingCredits?: number }): string | undefined {
    const parts = [
      reported.cost !== undefined ? vscode.l10n.t('{0} credits', formatCredits(reported.cost)) : undefined,
      reported.remainingCredits !== undefined
        ? vscode.l10n.t('{0} left', formatCredits(reported.remainingCredits))
        : undefined,
    ].filter((part): part is string => part !== undefined);
    return parts.length > 0 ? parts.join(' · ') : undefined;
  }

  #settleLedger(jobId: string, cost: number): void {
    this.#known = this.#known.map((entry) => (entry.id === jobId ? { ...entry, cost } : entry));
    this.#changed.fire();
    void this.#ledger
      .settle(jobId, cost)
      .catch((error) =>
        this.#log.warn(
          `Budget: could not record the cost of job ${jobId} (${error instanceof Error ? error.message : String(error)})`,
        ),
      );
  }
}

/** The cost line's words (with their placeholders), for the palette and the sidebar alike. */
export function estimateWords(): EstimateWords {
  return {
    unknown: vscode.l10n.t('Cost not known yet (Segmind reports it after the first image)'),
    unknownWithBalance: vscode.l10n.t(
      'Cost not known yet (Segmind reports it after the first image) · {0} credits left',
    ),
    credits: vscode.l10n.t('{0} credits'),
    creditsForImages: vscode.l10n.t('{0} credits for {1} images'),
    estimated: vscode.l10n.t('(estimate from other options)'),
    listed: vscode.l10n.t('(estimate: Segmind has not reported a cost for these options yet)'),
    left: vscode.l10n.t('{0} left'),
  };
}
