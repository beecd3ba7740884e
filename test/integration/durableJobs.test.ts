// Durable generations in the real extension host: every generation is a job written to the extension's storage
// before anything is sent, and a job left behind by a window that went away (reload, crashed extension host,
// closed VS Code) is resumed: its image is downloaded, saved, entered in the gallery and announced, and a link
// that was asked for goes where it was asked for. The reload itself, through the UI, is in test/e2e/durableJobs.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { asyncRoutesFor, submitJob } from '../../src/core/asyncJob';
import type { JobRecord } from '../../src/core/jobStore';
import { validateRequest, type GenerationRequest } from '../../src/core/request';
import { type FakeSegmind, startFakeSegmind } from '../fake-segmind/server';
import {
  activateExtension,
  assetFiles,
  closeAllEditors,
  removeAssets,
  type TestingApi,
  useFakeSegmind,
  waitFor,
  workspaceFolder,
} from './helpers';
// The commands' result, as the extension declares it (a renamed field fails here at compile time).
import type { GenerateImageResult as Result } from '../../src/generation/paletteResults';

const KEY = 'SG_durable_jobs_7d2e41';
function request(prompt: string, extra: Partial<GenerationRequest> = {}): GenerationRequest {
  const validation = validateRequest({ prompt, ...extra });
  assert.ok(validation.ok);
  return validation.request;
}

describe('Durable generations: jobs that survive the window', function () {
  this.timeout(60_000);
  let api: TestingApi;
  let fake: FakeSegmind;
  let jobsRoot: string;

  before(async () => {
    api = (await activateExtension()) as TestingApi;
    fake = await useFakeSegmind();
    jobsRoot = path.join(api.globalStorageUri.fsPath, 'jobs');
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    await api.keys.store(KEY);
    await removeAssets();
    await closeAllEditors();
  });

  async function readRecords(folder: 'active' | 'done'): Promise<JobRecord[]> {
    const names = await fs.readdir(path.join(jobsRoot, folder)).catch(() => [] as string[]);
    const records: JobRecord[] = [];
    for (const name of names.filter((file) => file.endsWith('.json'))) {
      try {
        records.push(JSON.parse(await fs.readFile(path.join(jobsRoot, folder, name), 'utf8')) as JobRecord);
      } catch {
        /* being replaced */
      }
    }
    return records;
  }

  /** What a window that went away leaves behind: a job Segmind has, and its record, claimed by a dead process. */
  async function orphanJob(prompt: string, extra: Partial<JobRecord> = {}, submit = true): Promise<JobRecord> {
    const routes = asyncRoutesFor(new URL(fake.endpoint));
    assert.ok(routes);
    const sent = request(prompt, { seed: 31337 });
    const outcome = submit ? await submitJob(routes, sent, { endpoint: fake.endpoint, apiKey: KEY }) : undefined;
    const id = globalThis.crypto.randomUUID();
    const folder = workspaceFolder();
    const record: JobRecord = {
      id,
      route: 'v2',
      endpoint: fake.endpoint,
      request: sent,
      origin: 'palette',
      workspaceFolder: folder.uri.toString(),
      folder: vscode.Uri.joinPath(folder.uri, 'assets').toString(),
      state: outcome ? 'processing' : 'submitting',
      createdAt: Date.now() - 5_000,
      ...(outcome?.kind === 'submitted' ? { requestId: outcome.requestId, submittedAt: Date.now() - 4_000 } : {}),
      ...extra,
    };
    await fs.mkdir(path.join(jobsRoot, 'active'), { recursive: true });
    await fs.mkdir(path.join(jobsRoot, 'claims'), { recursive: true });
    await fs.writeFile(path.join(jobsRoot, 'active', `${id}.json`), JSON.stringify(record));
    // The window that held it is gone: its process id no longer exists.
    await fs.writeFile(
      path.join(jobsRoot, 'claims', `${id}.1`),
      JSON.stringify({ owner: 'a-window-that-was-reloaded', pid: 2 ** 22 + 12345 }),
    );
    return record;
  }

  it("writes the job (request, target, Segmind's id) before the first status read, and files it as saved at the end", async () => {
    fake.configure({ latencyMs: 1_500 });
    const pending = vscode.commands.executeCommand<Result>('ideogram.generateImage', {
      prompt: 'A durable lighthouse',
      options: { seed: 7 },
    });
    const record = await waitFor(
      async () =>
        (await readRecords('active')).find((job) => job.request.prompt === 'A durable lighthouse' && job.requestId),
      'the job record with its request id',
    );
    assert.strictEqual(fake.jobReads.length, 0, 'persisted before the first status read');
    assert.strictEqual(record.request.seed, 7);
    assert.strictEqual(record.workspaceFolder, workspaceFolder().uri.toString());
    assert.strictEqual(record.folder, vscode.Uri.joinPath(workspaceFolder().uri, 'assets').toString());
    assert.ok(fake.jobs.has(record.requestId as string), "the id is Segmind's");
    const result = await pending;
    assert.ok(result);
    const done = await waitFor(
      async () => (await readRecords('done')).find((job) => job.id === record.id),
      'the finished record',
    );
    assert.strictEqual(done.state, 'saved');
    assert.strictEqual(done.savedUri, result.uri);
    assert.ok(!(await readRecords('active')).some((job) => job.id === record.id), 'no longer active');
    assert.ok(fake.jobReads.length <= 8, `${fake.jobReads.length} status/result reads for one job`);
  });

  it('resumes a job left by a window that went away: saved, in the gallery, and announced', async () => {
    fake.configure({ latencyMs: 1_000 });
    const record = await orphanJob('Left behind by a reload');
    const before = api.recentAnnouncements().length;
    assert.strictEqual(await api.service.resumePending(async () => KEY), 1);
    // Images only: a sidecar being written shows up for a moment as a hidden temporary file.
    const [file] = await waitFor(
      async () => {
        const files = (await assetFiles()).filter((name) => !name.startsWith('.'));
        return files.length ? files : undefined;
      },
      'the resumed image on disk',
      20_000,
    );
    assert.match(file, /^left-behind-by-a-reload-\d{8}-\d{6}-[a-z0-9]{4}\.jpg$/);
    assert.strictEqual(fake.requests.length, 1, 'resuming never submits again');
    const message = await waitFor(
      () =>
        api
          .recentAnnouncements()
          .slice(before)
          .find((text) => text.includes(file)),
      'the announcement',
    );
    assert.match(message, /from a generation that was interrupted by a reload or restart/);
    const done = await waitFor(
      async () => (await readRecords('done')).find((job) => job.id === record.id),
      'the finished record',
    );
    assert.strictEqual(done.state, 'saved');
    assert.strictEqual(await api.service.resumePending(async () => KEY), 0, 'a finished job is not resumed twice');
  });

  it('a job resumed after the reload inserts its link where "Generate Image Here" asked for it', async () => {
    const uri = vscode.Uri.joinPath(workspaceFolder().uri, 'scratch', 'resume.md');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('# Guide\n\nIntro paragraph.\n\nMore text.\n'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const offset = '# Guide\n\nIntro paragraph.\n'.length;
    const text = document.getText();
    await orphanJob('Diagram of the guide', {
      origin: 'markdown',
      insertion: {
        document: uri.toString(),
        offset,
        prefix: '\n',
        before: text.slice(0, offset),
        after: text.slice(offset),
      },
    });
    // The user typed elsewhere after the reload: the place is still found by the text around it.
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), 'Draft\n'));
    await api.service.resumePending(async () => KEY);
    await waitFor(() => document.getText().includes('](../assets/'), 'the link in the document', 20_000);
    const [file] = (await assetFiles()).filter((name) => !name.startsWith('.'));
    assert.strictEqual(
      document.getText(),
      `Draft\n# Guide\n\nIntro paragraph.\n\n![Diagram of the guide](../assets/${file})\nMore text.\n`,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('does not guess: where the place is gone or ambiguous, the link is offered, not inserted', async () => {
    const uri = vscode.Uri.joinPath(workspaceFolder().uri, 'scratch', 'rewritten.md');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('Completely rewritten.\n'));
    const document = await vscode.workspace.openTextDocument(uri);
    const before = api.recentAnnouncements().length;
    await orphanJob('Nowhere to go', {
      insertion: { document: uri.toString(), offset: 4, prefix: '', before: 'Old ', after: 'text' },
    });
    await api.service.resumePending(async () => KEY);
    const message = await waitFor(
      () =>
        api
          .recentAnnouncements()
          .slice(before)
          .find((text) => /could not be found for sure/.test(text)),
      'the offer',
      20_000,
    );
    assert.match(message, /rewritten\.md/);
    assert.strictEqual(document.getText(), 'Completely rewritten.\n', 'the document is untouched');
    assert.strictEqual(
      (await assetFiles()).filter((name) => !name.startsWith('.')).length,
      1,
      'the image is saved all the same',
    );
  });

  it('a job whose record expired while VS Code was closed is reported once, honestly, with Check Usage', async () => {
    await orphanJob('Expired overnight');
    fake.expireJobs();
    const before = api.recentFailures().length;
    await api.service.resumePending(async () => KEY);
    const failure = await waitFor(
      () =>
        api
          .recentFailures()
          .slice(before)
          .find((shown) => shown.kind === 'expired'),
      'the expiry message',
      20_000,
    );
    assert.match(failure.message, /may have been billed, but the image could not be recovered/);
    assert.ok(failure.actions.includes('Check Usage'), failure.actions.join(', '));
    assert.deepStrictEqual(await assetFiles(), []);
    assert.strictEqual(await api.service.resumePending(async () => KEY), 0, 'reported once: the record is closed');
  });

  it('a job cut off while it was being sent (no request id) is reported as possibly billed, never resubmitted', async () => {
    const record = await orphanJob('Cut off mid-submit', {}, false);
    const before = api.recentFailures().length;
    await api.service.resumePending(async () => KEY);
    const failure = await waitFor(
      () =>
        api
          .recentFailures()
          .slice(before)
          .find((shown) => shown.kind === 'interrupted'),
      'the message',
    );
    assert.match(failure.message, /may have been billed/);
    assert.strictEqual(fake.requests.length, 0, 'nothing was submitted again');
    const done = await waitFor(
      async () => (await readRecords('done')).find((job) => job.id === record.id),
      'the closed record',
    );
    assert.strictEqual(done.state, 'lost');
  });

  it('a failed job keeps its failure as data, worded when the jobs list shows it; an old record shows its sentence', async () => {
    const record = await orphanJob('Cut off before its id', {}, false);
    await api.service.resumePending(async () => KEY);
    const done = await waitFor(
      async () => (await readRecords('done')).find((job) => job.id === record.id && job.state === 'lost'),
      'the closed record',
    );
    assert.strictEqual(done.failure?.kind, 'interrupted');
    assert.strictEqual(done.failure?.reason, 'lost-before-id');
    assert.strictEqual(done.failure?.message, undefined, 'no sentence in the language of the moment');
    const listed = api.service.jobs().find((job) => job.id === record.id);
    assert.match(listed?.failure?.message ?? '', /"Cut off before its id".*may have been billed/);
    // A record written by an earlier version: its failure is the sentence shown then, and it still shows.
    const old = { ...done, id: globalThis.crypto.randomUUID(), failure: { kind: 'expired', message: 'Old words.' } };
    await fs.writeFile(path.join(jobsRoot, 'done', `${old.id}.json`), JSON.stringify(old));
    await api.service.loadHistory();
    assert.strictEqual(api.service.jobs().find((job) => job.id === old.id)?.failure?.message, 'Old words.');
  });

  it('a job another live window holds is left to it', async () => {
    const record = await orphanJob('Held by the other window');
    await fs.writeFile(
      path.join(jobsRoot, 'claims', `${record.id}.2`),
      JSON.stringify({ owner: 'the-other-window', pid: process.pid }),
    );
    assert.strictEqual(await api.service.resumePending(async () => KEY), 0);
    // A resumed job is this window's the moment it is resumed (listed, running), before its first status read.
    assert.ok(!api.service.jobs().some((job) => job.id === record.id), "not taken into this window's jobs");
    assert.strictEqual(api.service.runningCount, 0, 'nothing running');
    assert.strictEqual(fake.jobReads.length, 0, 'not even polled');
    await fs.rm(path.join(jobsRoot, 'active', `${record.id}.json`));
  });

  it('a job another window saves between the listing and the claim is not resumed again (no second file)', async () => {
    fake.configure({ latencyMs: 500 });
    const first = await orphanJob('Resumed here');
    const second = await orphanJob('Saved by the other window', {
      state: 'downloading',
      createdAt: Date.now() - 1_000,
    });
    const savedThere = vscode.Uri.joinPath(workspaceFolder().uri, 'assets', 'saved-by-the-other-window.jpg');
    await vscode.workspace.fs.writeFile(savedThere, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    let keyAsked = 0;
    // The key is asked for the first job once it is claimed, after both were listed: that is when the window that
    // held the second job finishes it (record to done/, claim let go), as the other window did in the UI test.
    const resumed = await api.service.resumePending(async () => {
      if (keyAsked++ === 0) {
        const finished: JobRecord = {
          ...second,
          state: 'saved',
          savedUri: savedThere.toString(),
          finishedAt: Date.now(),
        };
        await fs.mkdir(path.join(jobsRoot, 'done'), { recursive: true });
        await fs.writeFile(path.join(jobsRoot, 'done', `${second.id}.json`), JSON.stringify(finished));
        await fs.rm(path.join(jobsRoot, 'active', `${second.id}.json`));
        await fs.rm(path.join(jobsRoot, 'claims', `${second.id}.1`));
      }
      return KEY;
    });
    assert.strictEqual(resumed, 1, 'only the first job is resumed');
    await waitFor(
      async () => (await readRecords('done')).find((job) => job.id === first.id && job.state === 'saved'),
      'the first job saved',
      20_000,
    );
    const images = (await assetFiles()).filter((name) => !name.startsWith('.') && name.endsWith('.jpg'));
    assert.deepStrictEqual(
      images.filter((name) => name.startsWith('saved-by-the-other-window')),
      ['saved-by-the-other-window.jpg'],
      "the other window's image, and no second copy",
    );
    assert.strictEqual(
      fake.jobReads.filter((read) => read.path.includes(second.requestId as string)).length,
      0,
      'the saved job is not read again',
    );
    const done = (await readRecords('done')).find((job) => job.id === second.id);
    assert.strictEqual(done?.savedUri, savedThere.toString(), "the other window's record is left as it wrote it");
    assert.ok(
      !(await fs.readdir(path.join(jobsRoot, 'claims'))).some((name) => name.startsWith(second.id)),
      'no claim kept',
    );
  });

  it('a planted job never sends the key elsewhere, nor saves outside its workspace folder (issue 24)', async () => {
    // Another origin (a second fake on another port), and plain http to a host that is not this computer.
    const elsewhere = await startFakeSegmind();
    try {
      const moved = await orphanJob('Sent to another endpoint', { endpoint: elsewhere.endpoint });
      const plain = await orphanJob('Sent over plain http', {
        endpoint: 'http://collector.example.com/v1/ideogram-txt-2-img',
      });
      assert.strictEqual(await api.service.resumePending(async () => KEY), 0, 'neither is resumed');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.strictEqual(
        elsewhere.jobReads.length + elsewhere.requests.length,
        0,
        'nothing, so no key, went to the other endpoint',
      );
      const active = (await readRecords('active')).map((job) => job.id);
      assert.ok(active.includes(moved.id) && active.includes(plain.id), 'both are kept');
      for (const record of [moved, plain]) await fs.rm(path.join(jobsRoot, 'active', `${record.id}.json`));
    } finally {
      await elsewhere.close();
    }

    // A folder outside its workspace folder: the image goes to the extension's rescue folder instead.
    const outside = vscode.Uri.file(
      path.join(path.dirname(workspaceFolder().uri.fsPath), 'outside-durable'),
    ).toString();
    const record = await orphanJob('Aimed outside', {
      folder: `${workspaceFolder().uri.toString()}/../outside-durable`,
    });
    assert.strictEqual(await api.service.resumePending(async () => KEY), 1);
    const done = await waitFor(
      async () => (await readRecords('done')).find((job) => job.id === record.id),
      'the finished record',
      20_000,
    );
    assert.strictEqual(done.state, 'saved');
    assert.ok(
      done.savedUri?.startsWith(vscode.Uri.joinPath(api.globalStorageUri, 'unsaved-images').toString()),
      `saved in the rescue folder: ${done.savedUri}`,
    );
    assert.ok(!done.savedUri?.startsWith(outside));
  });

  it('an endpoint without the async API: the submit answers 404 and the same request goes through v1', async () => {
    fake.configure({ asyncApi: false });
    const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
      prompt: 'Through the old route',
      options: { seed: 5 },
    });
    assert.ok(result, 'saved');
    assert.deepStrictEqual(
      fake.requests.map((sent) => `${sent.path} ${sent.status}`),
      ['/v2/ideogram-txt-2-img 404', '/v1/ideogram-txt-2-img 200'],
    );
  });
});
