// The durable job records (src/core/jobStore.ts) and the anchor that finds a link's place again after a reload
// (src/core/insertionAnchor.ts), on a real temporary folder. Two JobStore instances on one folder are two
// windows of the same machine.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { anchorAt, findAnchor } from '../../src/core/insertionAnchor';
import { CLAIM_STALE_MS, DONE_KEEP_COUNT, type JobRecord, JobStore, parseJobRecord } from '../../src/core/jobStore';
import { validateRequest } from '../../src/core/request';

function record(id: string, extra: Partial<JobRecord> = {}): JobRecord {
  const validation = validateRequest({ prompt: `Job ${id}` });
  assert.ok(validation.ok);
  return {
    id,
    route: 'v2',
    endpoint: 'https://api.segmind.com/v1/ideogram-txt-2-img',
    request: validation.request,
    origin: 'palette',
    workspaceFolder: 'file:///w',
    folder: 'file:///w/assets',
    state: 'queued',
    createdAt: Date.now(),
    requestId: 'abcdef0123456789',
    ...extra,
  };
}

describe('Job store', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'ideogram-jobs-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps an unfinished job in active/ and moves it to done/ when it ends, atomically (no partial files left)', async () => {
    const store = new JobStore(root, 'window-a');
    const job = record('11111111-aaaa');
    await store.write(job);
    assert.deepEqual(
      (await store.listActive()).jobs.map((j) => j.id),
      [job.id],
    );
    await store.write({ ...job, state: 'saved', savedUri: 'file:///w/assets/a.jpg', finishedAt: Date.now() });
    assert.deepEqual((await store.listActive()).jobs, []);
    assert.deepEqual(
      (await store.listDone()).map((j) => j.state),
      ['saved'],
    );
    const leftovers = (await fs.readdir(path.join(root, 'active'))).concat(await fs.readdir(path.join(root, 'done')));
    assert.ok(!leftovers.some((name) => name.endsWith('.partial')), leftovers.join(', '));
  });

  it('leaves a damaged record in place and names it, and never reads a file whose name is not a job id', async () => {
    const store = new JobStore(root, 'window-a');
    await store.write(record('22222222-bbbb'));
    await fs.writeFile(path.join(root, 'active', '33333333-cccc.json'), '{"id": "33333333-cccc", "trunc');
    await fs.writeFile(path.join(root, 'active', '..evil.json'), '{}');
    const { jobs, damaged } = await store.listActive();
    assert.deepEqual(
      jobs.map((j) => j.id),
      ['22222222-bbbb'],
    );
    assert.deepEqual(damaged.sort(), ['..evil.json', '33333333-cccc.json']);
    assert.ok(await fs.stat(path.join(root, 'active', '33333333-cccc.json')), 'kept on disk');
    assert.equal(await store.read('../../etc/passwd'), undefined);
  });

  it("sets a damaged record aside (no longer active, still on disk) and removes a crashed write's leftovers, once they are old (issue 24)", async () => {
    let now = Date.now();
    const store = new JobStore(root, 'window-a', () => now);
    await store.write(record('44444444-dddd'));
    await fs.writeFile(path.join(root, 'active', '55555555-eeee.json'), '{"id": "55555555-eeee", "trunc');
    await fs.writeFile(path.join(root, 'active', '44444444-dddd.json.123.abc.partial'), '{"id"');
    const first = await store.listActive();
    assert.deepEqual(await store.tidyActive(first.damaged), [], 'nothing young is touched (it may be being written)');
    now += 11 * 60_000;
    assert.deepEqual(await store.tidyActive(first.damaged), ['55555555-eeee.json']);
    assert.deepEqual(
      (await fs.readdir(path.join(root, 'active'))).sort(),
      ['44444444-dddd.json'],
      'the good job stays; the leftovers are gone',
    );
    assert.ok(await fs.stat(path.join(root, 'damaged', '55555555-eeee.json')), 'the damaged record is kept aside');
    assert.deepEqual((await store.listActive()).damaged, []);
  });

  it('rejects records with a request id or a job id that could escape a URL or a folder', () => {
    assert.ok(parseJobRecord(record('44444444-dddd')));
    assert.equal(parseJobRecord({ ...record('44444444-dddd'), requestId: '../../v1/x' }), undefined);
    assert.equal(parseJobRecord({ ...record('44444444-dddd'), id: '../x' }), undefined);
    assert.equal(parseJobRecord({ ...record('44444444-dddd'), state: 'exploded' }), undefined);
  });

  it('two windows: only one claims a job; the other takes over only once the first is gone', async () => {
    let now = Date.now();
    const a = new JobStore(root, 'window-a', () => now);
    const b = new JobStore(root, 'window-b', () => now);
    const id = '55555555-eeee';
    await a.write(record(id));
    const [claimedA, claimedB] = await Promise.all([a.claim(id), b.claim(id)]);
    assert.ok(claimedA !== claimedB, `exactly one claim succeeds (a: ${claimedA}, b: ${claimedB})`);
    const [winner, loser] = claimedA ? [a, b] : [b, a];
    assert.ok(await winner.holds(id));
    assert.ok(!(await loser.claim(id)), 'the live holder keeps it');
    // The holder stops its heartbeat (its window was closed): after CLAIM_STALE_MS the other may take over.
    now += CLAIM_STALE_MS + 1_000;
    assert.ok(await loser.claim(id), 'a stale claim is taken over');
    assert.ok(!(await winner.holds(id)), 'the old holder learns it lost the job before saving');
  });

  it('claimActive returns the record as it is once claimed, and nothing for a job another window has since saved', async () => {
    const a = new JobStore(root, 'window-a');
    const b = new JobStore(root, 'window-b');
    const id = '55555555-ffff';
    await a.write(record(id, { state: 'processing' }));
    const [listed] = (await b.listActive()).jobs;
    assert.equal(listed.state, 'processing');
    // Window a, which held the job, moves it on and saves it between b's listing and b's claim.
    assert.ok(await a.claim(id));
    await a.write(record(id, { state: 'downloading' }));
    assert.equal(await b.claimActive(id), undefined, 'held by a live window');
    await a.release(id);
    const current = await b.claimActive(id);
    assert.equal(current?.state, 'downloading', 'the record as a left it, not the listed copy');
    await b.release(id);
    await a.write(record(id, { state: 'saved', finishedAt: Date.now() }));
    assert.equal(await b.claimActive(id), undefined, 'a saved job is not resumed');
    assert.ok(!(await b.holds(id)), 'and no claim is kept on it');
    assert.equal((await b.read(id))?.state, 'saved');
  });

  it('a claim by a process that no longer exists is taken over at once (a reloaded window)', async () => {
    const store = new JobStore(root, 'window-new');
    const id = '66666666-ffff';
    await fs.mkdir(path.join(root, 'claims'), { recursive: true });
    await fs.writeFile(
      path.join(root, 'claims', `${id}.1`),
      JSON.stringify({ owner: 'window-old', pid: 2 ** 22 + 777 }),
    );
    assert.ok(await store.claim(id));
    assert.deepEqual(await fs.readdir(path.join(root, 'claims')), [`${id}.2`]);
  });

  it('many windows racing for one stale job: exactly one wins', async () => {
    const id = '77777777-0000';
    const stores = Array.from({ length: 8 }, (_, index) => new JobStore(root, `window-${index}`));
    const results = await Promise.all(stores.map((store) => store.claim(id)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('keeps at most DONE_KEEP_COUNT finished jobs, newest first, and none older than a day', async () => {
    const store = new JobStore(root, 'window-a');
    const now = Date.now();
    await store.write(record('88888888-old0', { state: 'saved', finishedAt: now - 2 * 24 * 3_600_000 }));
    for (let index = 0; index < DONE_KEEP_COUNT + 3; index++) {
      await store.write(
        record(`99999999-${String(index).padStart(4, '0')}`, { state: 'failed', finishedAt: now - index }),
      );
    }
    const done = await store.listDone();
    assert.equal(done.length, DONE_KEEP_COUNT);
    assert.equal(done[0].id, '99999999-0000');
    assert.equal((await fs.readdir(path.join(root, 'done'))).length, DONE_KEEP_COUNT);
  });
});

describe('Insertion anchor', () => {
  it('finds the place again after edits elsewhere', () => {
    const text = '# Title\n\nFirst paragraph.\n\nSecond paragraph.\n';
    const offset = text.indexOf('Second');
    const anchor = anchorAt(text, offset);
    const edited = `Preface\n${text}Appendix\n`;
    assert.equal(findAnchor(edited, anchor), edited.indexOf('Second'));
  });
  it('gives up where the text around the place changed or occurs twice', () => {
    const anchor = anchorAt('abc|def', 3);
    assert.equal(findAnchor('nothing like it', anchor), undefined);
    assert.equal(findAnchor('abc|def abc|def', anchor), undefined);
    assert.equal(findAnchor('anything', { before: '', after: '' }), undefined);
    assert.equal(findAnchor('', { before: '', after: '' }), 0);
  });
  it('in an unchanged text, every offset of text with a unique context is found exactly where it was', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), fc.nat(), (text, seed) => {
        const offset = seed % (text.length + 1);
        const found = findAnchor(text, anchorAt(text, offset));
        return found === undefined || found === offset;
      }),
    );
  });
});
