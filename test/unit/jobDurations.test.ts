// The durations the poll schedule learns from (core/jobDurations.ts): kept whole when the store hands back an older
// value, as VS Code's global state does for a moment when its own write is echoed late.
import * as assert from 'node:assert/strict';
import { LEARNT_DURATIONS } from '../../src/core/asyncJob';
import { JobDurations, type DurationStore } from '../../src/core/jobDurations';

/** A store like the global state: what was written, except that `stale` makes it answer an older value for a while. */
class EchoingStore implements DurationStore {
  readonly written: Array<Record<string, number[]>> = [];
  value: unknown;
  stale: unknown;
  read(): unknown {
    return this.stale !== undefined ? this.stale : this.value;
  }
  write(value: Record<string, number[]>): void {
    this.written.push(value);
    this.value = value;
  }
}

describe('Job durations (the poll schedule learns from them)', () => {
  it('ten jobs finishing together while the store answers an older value: every duration is kept', () => {
    const store = new EchoingStore();
    const durations = new JobDurations(store);
    durations.remember('ideogram-3', 2_000);
    store.stale = { 'ideogram-3': [2_000] }; // the first write's echo, arriving while the next ten are remembered
    for (let job = 0; job < 10; job++) durations.remember('ideogram-3', 2_000 + job);
    assert.equal(durations.of('ideogram-3').length, 11);
    store.stale = undefined;
    assert.deepEqual(store.value, { 'ideogram-3': durations.of('ideogram-3') }, 'written through');
  });

  it('starts from what the store holds, keeps the newest 20 a model, and ignores what is not a number', () => {
    const store = new EchoingStore();
    store.value = { 'ideogram-txt-2-img': [21_000, 'x', null, 22_000], other: 'nonsense' };
    const durations = new JobDurations(store);
    assert.deepEqual(durations.of('ideogram-txt-2-img'), [21_000, 22_000]);
    assert.deepEqual(durations.of('other'), []);
    for (let job = 0; job < 30; job++) durations.remember('ideogram-txt-2-img', job);
    const kept = durations.of('ideogram-txt-2-img');
    assert.equal(kept.length, LEARNT_DURATIONS);
    assert.equal(kept.at(-1), 29);
    durations.remember('ideogram-3', -5.4);
    assert.deepEqual(durations.of('ideogram-3'), [0], 'rounded, never negative');
  });

  it('a store emptied (a reset) is read again', () => {
    const store = new EchoingStore();
    const durations = new JobDurations(store);
    durations.remember('ideogram-4', 17_000);
    store.value = undefined;
    assert.deepEqual(durations.of('ideogram-4'), []);
  });

  it('what a caller does with the list it got does not change the durations', () => {
    const durations = new JobDurations(new EchoingStore());
    durations.remember('ideogram-3', 10_000);
    durations.of('ideogram-3').push(1);
    assert.deepEqual(durations.of('ideogram-3'), [10_000]);
  });
});
