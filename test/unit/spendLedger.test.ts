// Today's spend shared by every window (src/core/spendLedger.ts), on the real file system: the daily limit is
// checked and the cost reserved in one step, so generations started together (in one window, or in several
// processes) never pass the limit together; outcomes replace estimates; nothing is lost across a restart.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { decideBudget, spentToday, type SpendEntry } from '../../src/core/budget';
import { FileSpendLedger, MemorySpendLedger, type SpendLedgerStore } from '../../src/core/spendLedger';

const LIMIT = 0.25;
const COST = 0.1;
const entry = (id: string, cost = COST): SpendEntry => ({ id, time: Date.now(), cost });
/** What Spending.authorize asks of the ledger: would this image still fit under the limit? */
const fits = (cost: number) => (spent: number) => decideBudget({ dailyLimit: LIMIT }, spent, cost).kind !== 'refuse';

describe('the shared spend ledger (daily limit checked and reserved in one step)', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ideogram-spend-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  const stores: Array<[string, () => SpendLedgerStore]> = [
    ['on disk', () => new FileSpendLedger(folder)],
    ['in memory', () => new MemorySpendLedger()],
  ];
  for (const [where, make] of stores) {
    it(`${where}: five generations at 0.10 started at once against a 0.25 limit: two pass, three are refused`, async () => {
      const ledger = make();
      const results = await Promise.all([1, 2, 3, 4, 5].map((n) => ledger.reserve([entry(`job-${n}`)], fits(COST))));
      assert.equal(results.filter((result) => result.kind === 'reserved').length, 2);
      assert.equal(spentToday(await ledger.entries(), Date.now()), 0.2);
    });
  }

  it('two windows (two ledgers on one folder) reserving at once never pass the limit together', async () => {
    const windows = [new FileSpendLedger(folder), new FileSpendLedger(folder)];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, n) => windows[n % 2].reserve([entry(`job-${n}`)], fits(COST))),
    );
    assert.equal(results.filter((result) => result.kind === 'reserved').length, 2);
    assert.equal(spentToday(await windows[0].entries(), Date.now()), 0.2);
  });

  it('three processes reserving at once never pass the limit together', async function () {
    this.timeout(30_000);
    const module = path.resolve(__dirname, '../../src/core/spendLedger.js');
    const script = `
      const { FileSpendLedger } = require(${JSON.stringify(module)});
      const ledger = new FileSpendLedger(${JSON.stringify(folder)});
      Promise.all([0, 1, 2, 3].map((n) => ledger.reserve([{ id: process.pid + '-' + n, time: Date.now(), cost: 0.1 }], (spent) => spent + 0.1 <= 0.45 + 1e-9)))
        .then((results) => console.log(results.filter((result) => result.kind === 'reserved').length));`;
    const outputs = await Promise.all([1, 2, 3].map(() => promisify(execFile)(process.execPath, ['-e', script])));
    const reserved = outputs.reduce((sum, { stdout }) => sum + Number(stdout.trim()), 0);
    assert.equal(reserved, 4, 'four of twelve fit under 0.45');
    assert.equal(spentToday(await new FileSpendLedger(folder).entries(), Date.now()), 0.4);
  });

  it('ten generations started at once in one window are reserved in the order asked, each file read once (bench figure 7)', async () => {
    const earlier = new FileSpendLedger(folder);
    for (let n = 0; n < 30; n++) await earlier.reserve([entry(`yesterday-${n}`, 0)], () => true);
    const ledger = new FileSpendLedger(folder);
    const reads = new Map<string, number>();
    const readFile = fs.promises.readFile;
    fs.promises.readFile = ((file: fs.PathLike, ...rest: unknown[]) => {
      reads.set(String(file), (reads.get(String(file)) ?? 0) + 1);
      return (readFile as (...args: unknown[]) => Promise<unknown>)(file, ...rest);
    }) as typeof fs.promises.readFile;
    let results: Awaited<ReturnType<FileSpendLedger['reserve']>>[];
    try {
      results = await Promise.all(
        Array.from({ length: 10 }, (_, n) => ledger.reserve([entry(`job-${n}`)], fits(COST))),
      );
    } finally {
      fs.promises.readFile = readFile;
    }
    assert.deepEqual(
      results.map((result) => result.kind),
      ['reserved', 'reserved', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused'],
      'the first two asked fit under the limit',
    );
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(folder, '31.json'), 'utf8'))[0].id, 'job-0');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(folder, '32.json'), 'utf8'))[0].id, 'job-1');
    // Before: all ten read the ledger, took the same slot, and all but one read it again (55 reads of the 30 files).
    const slotReads = [...reads].filter(([file]) => /[\\/]\d+\.json$/.test(file));
    assert.equal(slotReads.length, 32, 'each slot file read');
    assert.ok(
      slotReads.every(([, count]) => count === 1),
      `each slot file once: ${JSON.stringify(slotReads.filter(([, count]) => count > 1))}`,
    );
  });

  it('ten budget checks at once share one read of the ledger, and a check after it reads again', async () => {
    const ledger = new FileSpendLedger(folder);
    await ledger.reserve([entry('first')], () => true);
    const readdir = fs.promises.readdir;
    let reads = 0;
    fs.promises.readdir = ((...args: unknown[]) => {
      reads++;
      return (readdir as (...args: unknown[]) => Promise<unknown>)(...args);
    }) as typeof fs.promises.readdir;
    try {
      const seen = await Promise.all(Array.from({ length: 10 }, () => ledger.entries()));
      assert.deepEqual(
        seen.map((entries) => entries.map((e) => e.id)),
        Array.from({ length: 10 }, () => ['first']),
      );
      assert.equal(reads, 1);
      await new FileSpendLedger(folder).reserve([entry('second')], () => true);
      assert.deepEqual((await ledger.entries()).map((e) => e.id).sort(), ['first', 'second']);
    } finally {
      fs.promises.readdir = readdir;
    }
  });

  it("another window's reservation made since this window's last read counts in its next decision", async () => {
    const [first, second] = [new FileSpendLedger(folder), new FileSpendLedger(folder)];
    assert.equal((await first.reserve([entry('here')], fits(COST))).kind, 'reserved');
    assert.equal((await second.reserve([entry('there')], fits(COST))).kind, 'reserved');
    assert.equal((await first.reserve([entry('one-too-many')], fits(COST))).kind, 'refused', '0.3 > 0.25');
    assert.deepEqual((await first.entries()).map((e) => e.id).sort(), ['here', 'there']);
  });

  it('a batch is reserved whole or not at all', async () => {
    const ledger = new FileSpendLedger(folder);
    assert.equal((await ledger.reserve([entry('a'), entry('b'), entry('c')], fits(0.3))).kind, 'refused');
    assert.equal((await ledger.reserve([entry('a'), entry('b')], fits(0.2))).kind, 'reserved');
    assert.deepEqual((await ledger.entries()).map((e) => e.id).sort(), ['a', 'b']);
  });

  it('what Segmind reported replaces the estimate, a job not charged counts 0, and a restart reads the same', async () => {
    const ledger = new FileSpendLedger(folder);
    await ledger.reserve([entry('saved'), entry('failed')], () => true);
    await ledger.settle('saved', 0.12);
    await ledger.settle('failed', 0);
    const restarted = new FileSpendLedger(folder);
    assert.equal(spentToday(await restarted.entries(), Date.now()), 0.12);
    // The limit now counts the reported cost: 0.12 + 0.10 fits, 0.12 + 0.2 does not.
    assert.equal((await restarted.reserve([entry('next', 0.2)], fits(0.2))).kind, 'refused');
    assert.equal((await restarted.reserve([entry('next')], fits(COST))).kind, 'reserved');
  });

  it('old reservations are removed, the last one is kept (slot numbers never go back), damaged files are skipped', async () => {
    let now = Date.now() - 3 * 24 * 60 * 60 * 1000;
    // Written by a window of three days ago (the files are then dated back to that day, as they would be).
    const earlier = new FileSpendLedger(folder, () => now);
    await earlier.reserve([{ id: 'old-1', time: now, cost: 1 }], () => true);
    await earlier.reserve([{ id: 'old-2', time: now, cost: 1 }], () => true);
    const ledger = new FileSpendLedger(folder, () => now);
    const old = new Date(now);
    for (const name of fs.readdirSync(folder)) fs.utimesSync(path.join(folder, name), old, old);
    fs.writeFileSync(path.join(folder, '3.json'), '[{"id": "half');
    fs.writeFileSync(path.join(folder, 'draft-left-by-a-crash.tmp'), '[]');
    fs.utimesSync(path.join(folder, 'draft-left-by-a-crash.tmp'), old, old);
    now = Date.now();
    await ledger.reserve([entry('new')], () => true);
    assert.deepEqual(
      fs.readdirSync(folder).sort(),
      ['3.json', '4.json'],
      'slot 1 and 2 pruned; the damaged slot keeps its number',
    );
    assert.deepEqual(
      (await ledger.entries()).map((e) => e.id),
      ['new'],
    );
  });
});

describe('the shared spend ledger keeps two days', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ideogram-spend-days-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));
  /** A local time on 2026-11-DAY. */
  const at = (day: number, hours: number, minutes = 0) => new Date(2026, 10, day, hours, minutes).getTime();

  for (const [where, make] of [
    ['on disk', (now: () => number) => new FileSpendLedger(folder, now)],
    ['in memory', (now: () => number) => new MemorySpendLedger(now)],
  ] as Array<[string, (now: () => number) => SpendLedgerStore]>) {
    it(`${where}: the morning's spend still counts at night (a shorter memory would let the daily limit be passed), three days back does not count`, async () => {
      let now = at(27, 10);
      const ledger = make(() => now);
      await ledger.reserve([{ id: 'three-days-back', time: now, cost: 5 }], () => true);
      now = at(30, 0, 5);
      await ledger.reserve([{ id: 'morning', time: now, cost: 0.9 }], () => true);
      now = at(30, 23, 55);
      const evening = await ledger.reserve([{ id: 'evening', time: now, cost: 0.2 }], fits(0.2));
      assert.equal(evening.kind, 'refused', "the morning's 0.90 and 0.20 more pass the 0.25 limit");
      await ledger.reserve([{ id: 'evening', time: now, cost: 0.05 }], () => true);
      assert.equal(spentToday(await ledger.entries(), now), 0.95);
      // The file store prunes by the files' age on disk (real time here), so only the memory store can show this.
      if (where === 'in memory')
        assert.deepEqual((await ledger.entries()).map((entry) => entry.id).sort(), ['evening', 'morning']);
    });
  }
});
