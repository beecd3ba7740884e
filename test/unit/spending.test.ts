// Unit tests for the cost model (src/core/cost.ts), the budget (src/core/budget.ts) and variation seeds.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { decideBudget, parseLedger, spentToday, startOfLocalDay, type SpendEntry } from '../../src/core/budget';
import {
  costKey,
  describeEstimate,
  emptyCostBook,
  estimateCost,
  formatCredits,
  MAX_PRICES,
  parseCostBook,
  pricingOf,
  recordCost,
} from '../../src/core/cost';
import { DEFAULT_MODEL, modelBySlug } from '../../src/core/models/registry';
import { fillTemplate } from '../../src/core/template';
import { SEED_MAX, SEED_MIN } from '../../src/core/request';
import { isVariationCount, MAX_VARIATIONS, variationSeeds } from '../../src/core/variations';

const MODEL = pricingOf(DEFAULT_MODEL);
const TURBO = pricingOf(modelBySlug('ideogram-turbo-txt-2-img') ?? DEFAULT_MODEL);
const V3 = pricingOf(modelBySlug('ideogram-3') ?? DEFAULT_MODEL);
const SQUARE = { resolution: 'RESOLUTION_1024_1024', style_type: 'GENERAL', magic_prompt_option: 'AUTO' } as const;
const WIDE = { ...SQUARE, resolution: 'RESOLUTION_1344_768' } as const;

describe('cost model', () => {
  it("is the model's list price (an estimate) before Segmind ever reported a cost, unknown for a model not declared", () => {
    assert.deepEqual(estimateCost(emptyCostBook(), MODEL, SQUARE), {
      kind: 'listed',
      perImage: 0.1,
      count: 1,
      total: 0.1,
    });
    const book = recordCost(emptyCostBook(), MODEL, SQUARE, { remainingCredits: 12.5 }, 1000);
    assert.deepEqual(estimateCost(book, MODEL, SQUARE, 2), {
      kind: 'listed',
      perImage: 0.1,
      count: 2,
      total: 0.2,
      balance: 12.5,
      remainingAfter: 12.3,
    });
    assert.deepEqual(estimateCost(book, undefined, SQUARE, 2), { kind: 'unknown', count: 2, balance: 12.5 });
  });

  it('is known from the last reported cost of the same model and options, with what is left after it', () => {
    let book = recordCost(emptyCostBook(), MODEL, SQUARE, { cost: 0.09, remainingCredits: 12.6 }, 1000);
    book = recordCost(book, MODEL, SQUARE, { cost: 0.1, remainingCredits: 12.5 }, 2000);
    assert.deepEqual(estimateCost(book, MODEL, SQUARE), {
      kind: 'known',
      perImage: 0.1,
      count: 1,
      total: 0.1,
      balance: 12.5,
      remainingAfter: 12.4,
    });
    assert.deepEqual(estimateCost(book, MODEL, SQUARE, 4), {
      kind: 'known',
      perImage: 0.1,
      count: 4,
      total: 0.4,
      balance: 12.5,
      remainingAfter: 12.1,
    });
  });

  it('is estimated from other options of the same model (the dearest), never from another model', () => {
    let book = recordCost(emptyCostBook(), MODEL, SQUARE, { cost: 0.1 }, 1000);
    book = recordCost(book, MODEL, { ...SQUARE, magic_prompt_option: 'OFF' }, { cost: 0.08 }, 1500);
    book = recordCost(book, TURBO, SQUARE, { cost: 0.5 }, 2000);
    const estimate = estimateCost(book, MODEL, WIDE, 3);
    assert.deepEqual(estimate, { kind: 'estimated', perImage: 0.1, count: 3, total: 0.3 });
    assert.equal(
      estimateCost(book, V3, {}).kind,
      'listed',
      "another model's reports say nothing of 3.0: its list price does",
    );
  });

  it('keeps the newest balance, ignores nonsense, and forgets the oldest prices past the cap', () => {
    let book = recordCost(emptyCostBook(), MODEL, SQUARE, { cost: Number.NaN, remainingCredits: 5 }, 2000);
    book = recordCost(book, MODEL, SQUARE, { cost: -1, remainingCredits: 9 }, 1000); // a resumed job from earlier
    assert.deepEqual(book, { prices: {}, balance: { credits: 5, at: 2000 } });
    const named = (index: number) => ({ ...MODEL, slug: `model-${index}` });
    for (let index = 0; index < MAX_PRICES + 5; index++)
      book = recordCost(book, named(index), SQUARE, { cost: 0.1 }, 3000 + index);
    assert.equal(Object.keys(book.prices).length, MAX_PRICES);
    assert.ok(!(costKey(named(0), SQUARE) in book.prices));
    assert.ok(costKey(named(MAX_PRICES + 4), SQUARE) in book.prices);
  });

  it('survives storage: parse(JSON(book)) is the book; damaged data gives an empty book', () => {
    const book = recordCost(emptyCostBook(), MODEL, SQUARE, { cost: 0.1, remainingCredits: 3 }, 1000);
    assert.deepEqual(parseCostBook(JSON.parse(JSON.stringify(book))), book);
    for (const damaged of [
      undefined,
      null,
      'x',
      42,
      { prices: 'x' },
      { prices: { a: { cost: 'free' } }, balance: { credits: 'lots' } },
    ]) {
      assert.deepEqual(parseCostBook(damaged), emptyCostBook());
    }
  });

  it('formats credits as people read them', () => {
    assert.deepEqual([0.1, 0.063, 12.4, 12, 0.1234].map(formatCredits), ['0.10', '0.063', '12.40', '12.00', '0.1234']);
  });

  it('words the cost line once, for the palette and the sidebar, with the translated templates it is given', () => {
    const words = {
      unknown: 'Cost not known yet',
      unknownWithBalance: 'Cost not known yet · {0} credits left',
      credits: '{0} credits',
      creditsForImages: '{0} credits for {1} images',
      estimated: '(estimate from other options)',
      left: '{0} left',
      listed: '(list price)',
    };
    const known = recordCost(emptyCostBook(), MODEL, SQUARE, { cost: 0.1, remainingCredits: 12.5 }, 1);
    assert.equal(describeEstimate(estimateCost(known, MODEL, SQUARE), words), '0.10 credits · 12.40 left');
    assert.equal(
      describeEstimate(estimateCost(known, MODEL, WIDE, 4), words),
      '≈ 0.40 credits for 4 images (estimate from other options) · 12.10 left',
    );
    assert.equal(
      describeEstimate(
        estimateCost(parseCostBook({ prices: {}, balance: { credits: 3, at: 1 } }), undefined, SQUARE),
        words,
      ),
      'Cost not known yet · 3.00 credits left',
    );
    assert.equal(describeEstimate(estimateCost(emptyCostBook(), undefined, SQUARE), words), 'Cost not known yet');
    assert.equal(describeEstimate(estimateCost(emptyCostBook(), MODEL, SQUARE), words), '≈ 0.10 credits (list price)');
    assert.equal(
      describeEstimate(estimateCost(emptyCostBook(), V3, { rendering_speed: 'QUALITY' }, 2), words),
      '≈ 0.225 credits for 2 images (list price)',
    );
  });

  it('fills placeholders as vscode.l10n.t does, leaving those without a value', () => {
    assert.equal(fillTemplate('{1} of {0}, {2}', 3, 'one'), 'one of 3, {2}');
    assert.equal(fillTemplate('Kein Bild passt zu „{0}“.', '$& {0}'), 'Kein Bild passt zu „$& {0}“.');
  });
});

describe('budget', () => {
  const at = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute).getTime();

  it('counts only what was spent since local midnight: yesterday 23:59 does not count at 00:01', () => {
    const ledger: SpendEntry[] = [
      { id: 'a', time: at(29, 23, 59), cost: 0.1 },
      { id: 'b', time: at(30, 0, 0), cost: 0.2 },
      { id: 'c', time: at(30, 0, 1), cost: 0.3 },
    ];
    assert.equal(spentToday(ledger.slice(0, 1), at(29, 23, 59)), 0.1);
    assert.equal(spentToday(ledger, at(30, 0, 1)), 0.5);
    assert.equal(startOfLocalDay(at(30, 13, 45)), at(30, 0, 0));
  });

  it('reads back the ledger of earlier versions (global state), dropping damaged entries', () => {
    const ledger: SpendEntry[] = [
      { id: 'job-1', time: at(30, 9), cost: 0.1 },
      { id: 'job-2', time: at(30, 10), cost: 0.1 },
    ];
    const restored = parseLedger([
      ...JSON.parse(JSON.stringify(ledger)),
      { id: 3 },
      null,
      { id: 'x', time: 1, cost: -5 },
    ]);
    assert.deepEqual(restored, ledger);
    assert.equal(spentToday(restored, at(30, 11)), 0.2);
  });

  it('goes, confirms above the threshold (and when the cost is unknown), refuses past the daily limit', () => {
    assert.deepEqual(decideBudget({}, 100, 50), { kind: 'go' });
    assert.deepEqual(decideBudget({ confirmAbove: 0.5 }, 0, 0.4), { kind: 'go' });
    assert.deepEqual(decideBudget({ confirmAbove: 0.5 }, 0, 0.5), { kind: 'go' });
    assert.deepEqual(decideBudget({ confirmAbove: 0.5 }, 0, 0.6), { kind: 'confirm', cost: 0.6, threshold: 0.5 });
    assert.deepEqual(decideBudget({ confirmAbove: 0.5 }, 0, undefined), {
      kind: 'confirm',
      cost: undefined,
      threshold: 0.5,
    });
    assert.deepEqual(decideBudget({ dailyLimit: 1 }, 0.9, 0.1), { kind: 'go' });
    assert.deepEqual(decideBudget({ dailyLimit: 1 }, 0.9, 0.2), {
      kind: 'refuse',
      cost: 0.2,
      spentToday: 0.9,
      limit: 1,
    });
    // Issue 24: a set limit never passes silently, so an unknown cost is asked about.
    assert.deepEqual(decideBudget({ dailyLimit: 1 }, 0.5, undefined), {
      kind: 'confirm-unknown-cost',
      spentToday: 0.5,
      limit: 1,
    });
    assert.deepEqual(decideBudget({ dailyLimit: 1, confirmAbove: 0 }, 1, undefined), {
      kind: 'refuse',
      cost: undefined,
      spentToday: 1,
      limit: 1,
    });
    assert.deepEqual(decideBudget({ dailyLimit: 0 }, 0, 0.1), { kind: 'refuse', cost: 0.1, spentToday: 0, limit: 0 });
  });

  it('never lets a sequence of accepted requests pass the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { maxLength: 40 }),
        (limit, costs) => {
          let spent = 0;
          for (const cost of costs) if (decideBudget({ dailyLimit: limit }, spent, cost).kind === 'go') spent += cost;
          return spent <= limit + 1e-6;
        },
      ),
    );
  });
});

describe('variation seeds', () => {
  it('are distinct, in range, as many as asked, keeping a chosen seed first (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_VARIATIONS }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.option(fc.integer({ min: SEED_MIN, max: SEED_MAX }), { nil: undefined }),
        (count, draws, chosen) => {
          let index = 0;
          const seeds = variationSeeds(count, () => draws[index++ % draws.length], chosen);
          assert.equal(seeds.length, count);
          assert.equal(new Set(seeds).size, count);
          for (const seed of seeds) assert.ok(Number.isInteger(seed) && seed >= SEED_MIN && seed <= SEED_MAX);
          if (chosen !== undefined) assert.equal(seeds[0], chosen);
        },
      ),
    );
  });

  it('stay distinct with a random source that always says the same (and at the top of the range)', () => {
    assert.deepEqual(
      variationSeeds(4, () => 0),
      [0, 1, 2, 3],
    );
    assert.equal(new Set(variationSeeds(4, () => 0.9999999999, SEED_MAX)).size, 4);
  });

  it('counts 1 to 4 only', () => {
    assert.deepEqual([0, 1, 4, 5, 2.5, '2'].map(isVariationCount), [false, true, true, false, false, false]);
  });
});
