// The budget: today's spend on this machine, from a ledger of generations (one entry per job, its estimated
// cost when submitted, replaced by what Segmind reported when it finished; stored by src/core/spendLedger.ts),
// and the two decisions the settings ask for: confirm above a cost, refuse past a daily limit. "Today" is the
// local calendar day.

export interface SpendEntry {
  /** The job id: a job is counted once, whatever reported it. */
  id: string;
  /** Epoch milliseconds of the submit. */
  time: number;
  /** Credits (reported, or estimated while the job runs). */
  cost: number;
}

export interface BudgetLimits {
  /** Ask before a request (or a batch) costs more than this; undefined: never ask. */
  confirmAbove?: number;
  /** Refuse once today's spend would pass this; undefined: no limit. */
  dailyLimit?: number;
}

export type BudgetDecision =
  | { kind: 'go' }
  /** Ask first: above the confirmation threshold (`cost` undefined when unknown). */
  | { kind: 'confirm'; cost?: number; threshold: number }
  /** Ask first: a daily limit is set but the cost is not known yet, so the limit cannot be checked. */
  | { kind: 'confirm-unknown-cost'; spentToday: number; limit: number }
  | { kind: 'refuse'; cost?: number; spentToday: number; limit: number };

/** Midnight (local time) of the day `now` falls in. */
export function startOfLocalDay(now: number): number {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/** Credits spent since local midnight. */
export function spentToday(ledger: readonly SpendEntry[], now: number): number {
  const since = startOfLocalDay(now);
  const total = ledger.filter((entry) => entry.time >= since).reduce((sum, entry) => sum + entry.cost, 0);
  return Math.round(total * 1e6) / 1e6;
}

/** A ledger read back from storage (after a restart): damaged entries are dropped. */
export function parseLedger(raw: unknown): SpendEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(
      (entry): entry is SpendEntry =>
        !!entry &&
        typeof entry === 'object' &&
        typeof entry.id === 'string' &&
        Number.isFinite(entry.time) &&
        Number.isFinite(entry.cost) &&
        entry.cost >= 0,
    )
    .map(({ id, time, cost }) => ({ id, time, cost }));
}

/**
 * What to do before sending a request (or batch) that costs `cost` credits (undefined: unknown). The limit
 * comes first: past it, there is nothing to confirm. An unknown cost is refused only once the limit is reached
 * already, and is always confirmed when a threshold or a limit is set (neither can be checked against it).
 */
export function decideBudget(limits: BudgetLimits, spent: number, cost: number | undefined): BudgetDecision {
  const { confirmAbove, dailyLimit } = limits;
  if (dailyLimit !== undefined) {
    const wouldBe = spent + (cost ?? 0);
    if (spent >= dailyLimit || wouldBe > dailyLimit + 1e-9)
      return { kind: 'refuse', cost, spentToday: spent, limit: dailyLimit };
  }
  if (confirmAbove !== undefined && (cost === undefined || cost > confirmAbove + 1e-9))
    return { kind: 'confirm', cost, threshold: confirmAbove };
  // A set limit never passes silently: an unknown price (a fresh install, a proxy that reports none, a new model)
  // would count as nothing.
  if (dailyLimit !== undefined && cost === undefined)
    return { kind: 'confirm-unknown-cost', spentToday: spent, limit: dailyLimit };
  return { kind: 'go' };
}

/**
 * How a batch was authorized: handed by `authorize` (src/spending/spending.ts), checked by identity (a caller cannot forge one).
 * It holds one reserved ledger entry per image; each job takes one (`take`), so it covers `count` images, no more.
 */
export interface Authorization {
  readonly count: number;
}
