// A billed job whose image arrives damaged (issue 24), in the real extension host against the fake API: the user
// is told the job is kept (no Try Again that would bill a second job), it is fetched again on a bounded schedule
// (here: Check Again, as the user would), and after its last try it ends as failed and billed, with the reason
// and Check Usage. Nothing is counted as "generating" meanwhile, and nothing stays in the active jobs.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DOWNLOAD_RETRY_DELAYS_MS } from '../../src/core/asyncJob';
import { FAILURE_KINDS, IdeogramError } from '../../src/core/errors';
import { describeFailure } from '../../src/common/errorMessages';
import type { JobRecord } from '../../src/core/jobStore';
import type { FakeSegmind } from '../fake-segmind/server';
import {
  activateExtension,
  assetFiles,
  closeAllEditors,
  removeAssets,
  type TestingApi,
  useFakeSegmind,
  waitFor,
} from './helpers';

describe('a billed job whose image arrives damaged', function () {
  this.timeout(120_000);
  let api: TestingApi;
  let fake: FakeSegmind;

  before(async () => {
    api = await activateExtension();
    fake = await useFakeSegmind({ cost: 0.1 });
    await api.keys.store('damaged-download-key');
  });
  after(async () => {
    await fake.close();
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
  });
  beforeEach(async () => {
    fake.reset();
    await removeAssets();
    await closeAllEditors();
  });

  it('is kept and fetched again, then ends as failed and billed with Check Usage; nothing is left "generating"', async () => {
    const counted: number[] = [];
    const subscription = api.service.onDidChangeRunning((running) => counted.push(running));
    try {
      const square = {
        resolution: 'RESOLUTION_1024_1024',
        style_type: 'GENERAL',
        magic_prompt_option: 'AUTO',
      } as const;
      if (api.spending.estimate(square).kind !== 'known') {
        assert.ok(await vscode.commands.executeCommand('ideogram.generateImage', { prompt: 'A price probe' }));
        await removeAssets();
        fake.reset();
        counted.length = 0;
      }
      const spentBefore = api.spending.spentToday();
      fake.faultNext('not-an-image'); // every download of this job's image answers text/plain as image/jpeg
      const before = api.recentFailures().length;
      const result = await vscode.commands.executeCommand('ideogram.generateImage', { prompt: 'A damaged lighthouse' });
      assert.strictEqual(result, undefined);
      const [kept] = api.recentFailures().slice(before);
      assert.match(kept.message, /not an image/);
      assert.match(kept.message, /nothing needs generating again/);
      assert.ok(!kept.actions.includes('Try Again'), `no paid Try Again: ${kept.actions.join(', ')}`);
      assert.ok(kept.actions.includes('Show Jobs'), kept.actions.join(', '));

      // Kept, listed with Check Again, not in flight.
      const job = api.service.jobs().find((view) => view.prompt === 'A damaged lighthouse');
      assert.ok(job);
      assert.deepStrictEqual([job.state, job.live], ['downloading', false]);
      assert.strictEqual(api.service.runningCount, 0, 'the status bar shows nothing generating');

      // Each Check Again is one more try (the schedule would do the same after its waits).
      for (let tries = 2; tries <= DOWNLOAD_RETRY_DELAYS_MS.length + 1; tries++) {
        await api.service.checkAgain(job.id, () => api.keys.get());
        await waitFor(
          () => api.service.jobs().find((view) => view.id === job.id && !view.live),
          `try ${tries} to end`,
          30_000,
        );
      }
      const ended = await waitFor(
        () => api.service.jobs().find((view) => view.id === job.id && view.state === 'failed'),
        'the job to end as failed',
      );
      assert.match(ended.failure?.message ?? '', new RegExp(`after ${DOWNLOAD_RETRY_DELAYS_MS.length + 1} tries`));
      const shown = api.recentFailures().slice(before);
      assert.strictEqual(
        shown.length,
        2,
        `told twice (kept, then given up): ${shown.map((failure) => failure.message).join(' | ')}`,
      );
      assert.match(shown[1].message, /billed/);
      assert.ok(shown[1].actions.includes('Check Usage'), shown[1].actions.join(', '));
      assert.strictEqual(
        fake.imageRequests.length,
        DOWNLOAD_RETRY_DELAYS_MS.length + 1,
        'one download per try, no more',
      );
      assert.strictEqual(
        fake.requests.filter((request) => request.method === 'POST').length,
        1,
        'one job submitted, never a second',
      );

      // Nothing stays active (no retry at the next start), nothing was saved, the job counts as spent.
      const active = path.join(api.globalStorageUri.fsPath, 'jobs', 'active');
      const names = await fs.readdir(active).catch(() => [] as string[]);
      const records = await Promise.all(
        names.map(async (name) => JSON.parse(await fs.readFile(path.join(active, name), 'utf8')) as JobRecord),
      );
      assert.ok(!records.some((record) => record.id === job.id), 'not in the active jobs');
      assert.deepStrictEqual(await assetFiles(), []);
      assert.ok(api.spending.spentToday() >= spentBefore + 0.1 - 1e-9, 'billed: its cost still counts today');
      assert.ok(
        counted.every((running) => running <= 1),
        `never more than the one generation counted: ${counted.join(', ')}`,
      );
      assert.strictEqual(
        counted.filter((running) => running > 0).length,
        1,
        `only the first download counted as generating: ${counted.join(', ')}`,
      );
    } finally {
      subscription.dispose();
    }
  });

  it('no failure whose job goes on (kept download, still running after the wait, left running) offers a paid Try Again', () => {
    const goingOn = [
      ...FAILURE_KINDS.map(
        (kind) =>
          new IdeogramError({ kind, reason: 'download-kept', downloadFailure: 'cut-off', seconds: 30, tries: 1 }),
      ),
      new IdeogramError({ kind: 'timeout', reason: 'job-wait', seconds: 120 }),
      new IdeogramError({ kind: 'stopped-waiting' }),
    ];
    for (const error of goingOn) {
      const { message, actions } = describeFailure(error);
      assert.ok(!actions.includes('retry'), `${error.kind}/${error.reason ?? '-'} offers Try Again: ${message}`);
      assert.ok(!/\btry again\b/i.test(message), `${error.kind}/${error.reason ?? '-'} says try again: ${message}`);
    }
    assert.deepStrictEqual(describeFailure(goingOn.at(-2)).actions, ['showJobs', 'showLog']);
  });
});
