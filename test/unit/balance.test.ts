// Unit tests for the balance route (src/core/balance.ts): where it is, how its answer is read, when it is asked again;
// and the fake Segmind API's version of the route.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import {
  BALANCE_FRESH_MS,
  balanceRouteFor,
  MAX_BALANCE_ANSWER_BYTES,
  needsBalance,
  readBalance,
  readBalanceAnswer,
  withBalance,
} from '../../src/core/balance';
import { emptyCostBook, estimateCost, pricingOf, recordCost } from '../../src/core/cost';
import { DEFAULT_MODEL } from '../../src/core/models/registry';
import { startFakeSegmind } from '../fake-segmind/server';

const SQUARE = { resolution: 'RESOLUTION_1024_1024', style_type: 'GENERAL', magic_prompt_option: 'AUTO' } as const;

describe('balance route', () => {
  it("is beside Segmind's v1 and v2 model routes, keeping a gateway's path prefix; none for other endpoints", () => {
    assert.equal(
      balanceRouteFor('https://api.segmind.com/v1/ideogram-txt-2-img')?.href,
      'https://api.segmind.com/v1/get-user-credits',
    );
    assert.equal(
      balanceRouteFor('https://api.segmind.com/v2/ideogram-3')?.href,
      'https://api.segmind.com/v1/get-user-credits',
    );
    assert.equal(
      balanceRouteFor('https://gateway.example/segmind/v1/ideogram-txt-2-img')?.href,
      'https://gateway.example/segmind/v1/get-user-credits',
    );
    assert.equal(balanceRouteFor('http://127.0.0.1:8787/v1/ideogram-txt-2-img')?.origin, 'http://127.0.0.1:8787');
    assert.equal(balanceRouteFor('https://proxy.example/generate'), undefined);
    assert.equal(balanceRouteFor('not a url'), undefined);
  });

  it('reads the credits under the names an answer may use, at the top or in data, numbers or numeric strings', () => {
    assert.equal(readBalanceAnswer({ credits: 12.5 }), 12.5);
    assert.equal(readBalanceAnswer({ remaining_credits: '3.25' }), 3.25);
    assert.equal(readBalanceAnswer({ email: 'a@b.c', balance: 0 }), 0);
    assert.equal(readBalanceAnswer({ data: { credit_balance: 7 } }), 7);
  });

  it('says "unknown" for anything else, never a wrong number', () => {
    for (const body of [
      null,
      'credits',
      12,
      [],
      { credits: -1 },
      { credits: 'many' },
      { credits: Number.NaN },
      { total: 5 },
      { data: 'x' },
    ]) {
      assert.equal(readBalanceAnswer(body), undefined, JSON.stringify(body));
    }
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const value = readBalanceAnswer(body);
        return value === undefined || (Number.isFinite(value) && value >= 0);
      }),
    );
  });

  it('is asked for when no balance is known or the known one is stale, not again while it is fresh', () => {
    const now = 10_000_000;
    assert.equal(needsBalance(emptyCostBook(), now), true);
    const fresh = withBalance(emptyCostBook(), 12.5, now - 1000);
    assert.equal(needsBalance(fresh, now), false);
    assert.equal(needsBalance(withBalance(emptyCostBook(), 12.5, now - BALANCE_FRESH_MS - 1), now), true);
  });

  it('never replaces a newer balance (one a generation reported while the route was asked)', () => {
    const generated = recordCost(
      emptyCostBook(),
      pricingOf(DEFAULT_MODEL),
      SQUARE,
      { cost: 0.1, remainingCredits: 12.4 },
      2000,
    );
    assert.equal(withBalance(generated, 12.5, 1000), generated);
    const updated = withBalance(generated, 11, 3000);
    assert.deepEqual(updated.balance, { credits: 11, at: 3000 });
    assert.deepEqual(updated.prices, generated.prices, 'prices kept');
    assert.deepEqual(estimateCost(withBalance(emptyCostBook(), 12.5, 1), pricingOf(DEFAULT_MODEL), SQUARE), {
      kind: 'listed',
      perImage: 0.1,
      count: 1,
      total: 0.1,
      balance: 12.5,
      remainingAfter: 12.4,
    });
  });

  it('the fake serves it: the balance for a key, 401 without one, nothing billed, reads recorded apart', async () => {
    const fake = await startFakeSegmind({ credits: 12.5, validKeys: ['good'] });
    try {
      const read = (key?: string) =>
        fetch(`${fake.url}/v1/get-user-credits`, { headers: key ? { 'x-api-key': key } : {} });
      const answer = await read('good');
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), { credits: 12.5 });
      assert.equal((await read()).status, 401);
      assert.equal((await read('bad')).status, 401);
      assert.equal(fake.credits, 12.5, 'nothing billed');
      assert.equal(fake.requests.length, 0, 'not among the API requests');
      assert.deepEqual(
        fake.balanceReads.map((record) => [record.method, record.path, record.status]),
        [
          ['GET', '/v1/get-user-credits', 200],
          ['GET', '/v1/get-user-credits', 401],
          ['GET', '/v1/get-user-credits', 401],
        ],
      );
    } finally {
      await fake.close();
    }
  });
});

describe('the balance request (readBalance): the key goes through the one sender', () => {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const answering = (body: string, status = 200): typeof fetch =>
    (async (url: URL | string, init?: RequestInit) => {
      calls.push({ url: String(url), init: init ?? {} });
      return new Response(body, { status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
  beforeEach(() => {
    calls.length = 0;
  });

  it('reads the credits, sending the key only with redirects refused', async () => {
    const reading = await readBalance(new URL('https://api.segmind.com/v1/get-user-credits'), ' SG_key ', {
      fetch: answering('{"credits": 12.5}'),
    });
    assert.deepEqual(reading, { kind: 'balance', credits: 12.5 });
    assert.equal(calls.length, 1);
    assert.equal(calls[0].init.redirect, 'error');
    assert.equal((calls[0].init.headers as Record<string, string>)['x-api-key'], 'SG_key');
  });

  it('never sends the key over plain http to another computer, nor to an address with credentials', async () => {
    for (const route of [
      'http://api.segmind.com/v1/get-user-credits',
      'https://user:pw@api.segmind.com/v1/get-user-credits',
    ]) {
      assert.equal(
        (await readBalance(new URL(route), 'SG_key', { fetch: answering('{"credits": 1}') })).kind,
        'unknown',
      );
    }
    assert.equal(calls.length, 0, 'nothing was sent');
    assert.equal(
      (
        await readBalance(new URL('http://127.0.0.1:9/v1/get-user-credits'), 'SG_key', {
          fetch: answering('{"credits": 1}'),
        })
      ).kind,
      'balance',
      'this computer is fine',
    );
  });

  it('does not read an answer past its cap (a hostile proxy streaming megabytes)', async () => {
    const huge = `{"credits": 3, "pad": "${'x'.repeat(MAX_BALANCE_ANSWER_BYTES * 64)}"}`;
    assert.equal(
      (await readBalance(new URL('https://api.segmind.com/v1/get-user-credits'), 'SG_key', { fetch: answering(huge) }))
        .kind,
      'unknown',
    );
  });
});
