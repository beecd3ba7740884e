// A failed job keeps its failure as data (src/core/storedFailure.ts): it survives the job file's round trip with
// every fact the message needs, and a job file of the old form (a sentence only) still loads, its sentence kept.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IdeogramError } from '../../src/core/errors';
import { JobStore, parseJobRecord, type JobRecord } from '../../src/core/jobStore';
import { validateRequest } from '../../src/core/request';
import { failureOfStored, storedFailureOf } from '../../src/core/storedFailure';

function failedRecord(failure: unknown): unknown {
  const validation = validateRequest({ prompt: 'A failed job' });
  assert.ok(validation.ok);
  return {
    id: '33333333-cccc',
    route: 'v2',
    endpoint: 'https://api.segmind.com/v1/ideogram-txt-2-img',
    request: validation.request,
    origin: 'palette',
    workspaceFolder: 'file:///w',
    folder: 'file:///w/assets',
    state: 'failed',
    createdAt: Date.now() - 60_000,
    finishedAt: Date.now(),
    requestId: 'abcdef0123456789',
    failure,
  };
}

describe('Stored failures', () => {
  it('a billed download given up keeps its kind, case, tries and billing through the job file, not a sentence', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ideogram-failure-'));
    try {
      const error = new IdeogramError({
        kind: 'network',
        reason: 'download-gave-up',
        downloadFailure: 'download-broke',
        tries: 4,
        mayHaveBeenBilled: true,
      });
      const store = new JobStore(root, 'window-a');
      await store.write(failedRecord(storedFailureOf(error)) as JobRecord);
      const [read] = await store.listDone();
      assert.equal(read.failure?.message, undefined, 'no sentence in the language of the moment');
      const again = failureOfStored(read.failure!);
      assert.ok(again);
      assert.equal(again.kind, 'network');
      assert.equal(again.reason, 'download-gave-up');
      assert.equal(again.facts.tries, 4);
      assert.equal(again.facts.downloadFailure, 'download-broke');
      assert.equal(again.mayHaveBeenBilled, true);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('a rate limit keeps its reset time as a date, and invalid request problems keep their codes', () => {
    const resetAt = new Date('2026-12-04T21:00:00.000Z');
    const limited = failureOfStored(
      JSON.parse(JSON.stringify(storedFailureOf(new IdeogramError({ kind: 'rate-limited', status: 429, resetAt })))),
    );
    assert.equal(limited?.resetAt?.toISOString(), resetAt.toISOString());
    const invalid = failureOfStored(
      JSON.parse(
        JSON.stringify(
          storedFailureOf(
            new IdeogramError({
              kind: 'invalid-request',
              reason: 'options-invalid',
              problems: [{ code: 'seed-out-of-range', path: 'seed', min: 0, max: 9 }],
            }),
          ),
        ),
      ),
    );
    assert.deepEqual(invalid?.facts.problems, [{ code: 'seed-out-of-range', path: 'seed', min: 0, max: 9 }]);
  });

  it('a job file of the old form (kind and sentence) still loads; its sentence is what is shown', () => {
    const old = parseJobRecord(failedRecord({ kind: 'expired', message: 'Segmind no longer has this generation.' }));
    assert.ok(old, 'the old record loads');
    assert.equal(old.failure?.message, 'Segmind no longer has this generation.');
    assert.equal(failureOfStored(old.failure!), undefined, 'worded as it was stored');
  });

  it('a kind or case this version does not know, or facts of the wrong type, are not taken for a failure to word', () => {
    assert.equal(failureOfStored({ kind: 'from-the-future', facts: {} }), undefined);
    assert.equal(failureOfStored({ kind: 'network', reason: 'from-the-future', facts: {} }), undefined);
    assert.equal(parseJobRecord(failedRecord({ kind: 'network', facts: { tries: 'many' } })), undefined);
  });
});
