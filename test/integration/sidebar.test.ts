// The Ideogram sidebar in the real extension host: the view resolves, and messages handled exactly as if the
// webview had posted them (validated first) generate files and gallery entries, errors and cancellations.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import type { GalleryItemView, HostMessage } from '../../src/common/protocol';
import { SIDEBAR_VIEW } from '../../src/common/ids';
import {
  activateExtension,
  closeAllEditors,
  EXTENSION_ID,
  removeAssets,
  type TestingApi,
  useFakeSegmind,
  waitFor,
  workspaceFolder,
} from './helpers';

const KEY = 'integration-sidebar-key';

/** Every file in assets/, recipe sidecars included (the shared helper leaves them out). */
async function allAssetFiles(): Promise<string[]> {
  const folder = vscode.Uri.joinPath(workspaceFolder().uri, 'assets');
  const entries = await vscode.workspace.fs
    .readDirectory(folder)
    .then(undefined, () => [] as Array<[string, vscode.FileType]>);
  return entries
    .filter(([, type]) => type === vscode.FileType.File)
    .map(([name]) => name)
    .sort();
}

describe('Ideogram sidebar (webview view)', () => {
  let api: TestingApi;
  let fake: FakeSegmind;
  let posted: HostMessage[] = [];
  let subscription: vscode.Disposable | undefined;
  let runCounter = 0;

  const send = (message: unknown) => api.webview.send(message);
  const nextRunId = () => `it-run-${++runCounter}`;
  function waitForPosted<T extends HostMessage['type']>(
    type: T,
    match: (message: Extract<HostMessage, { type: T }>) => boolean,
    what: string,
    timeoutMs = 20_000,
  ) {
    return waitFor(
      () =>
        posted.find(
          (message): message is Extract<HostMessage, { type: T }> =>
            message.type === type && match(message as Extract<HostMessage, { type: T }>),
        ),
      what,
      timeoutMs,
    );
  }

  before(async () => {
    api = (await activateExtension()) as TestingApi;
    fake = await useFakeSegmind();
    subscription = api.webview.onDidPost((message) => posted.push(message));
  });
  after(async () => {
    subscription?.dispose();
    await fake.close();
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
  });
  beforeEach(async () => {
    fake.reset();
    posted = [];
    await api.keys.store(KEY);
    await removeAssets();
    await closeAllEditors();
  });

  it('opens with "Ideogram: Open Generator": the view resolves and its webview says ready', async () => {
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => api.sidebar.provider.isReady, 'the sidebar webview to send "ready"', 30_000);
  });

  it('writes its state into the page: the first "ready" needs no second snapshot, unless an update came meanwhile; the page shown again gets a fresh one', async () => {
    const provider = api.sidebar.provider;
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => provider.isReady, 'the sidebar to be ready', 30_000);
    const runId = nextRunId();
    await send({ type: 'generate', runId, request: { model: 'ideogram-txt-2-img', prompt: 'Page snapshot', seed: 7 } });
    const finished = await waitForPosted('runFinished', (message) => message.runId === runId, 'the run to finish');
    const entryId = (finished.item as GalleryItemView).id;
    await new Promise((resolve) => setTimeout(resolve, 500)); // the run's last updates (jobs, credits) are posted

    /**
     * Removes the view (as its context menu's Hide does: VS Code disposes it), then opens it again, so its page is
     * written anew; `whileLoading` runs once the page is written, before its script can say "ready".
     */
    const writeAgain = async (whileLoading: () => void) => {
      await vscode.commands.executeCommand(`${SIDEBAR_VIEW}.removeView`);
      await waitFor(() => !provider.isReady || undefined, 'the view to go', 10_000);
      let written = 0;
      const resolve = provider.resolveWebviewView.bind(provider);
      provider.resolveWebviewView = async (view, ...rest) => {
        await resolve(view, ...rest);
        written += 1;
        whileLoading();
      };
      try {
        posted = [];
        await vscode.commands.executeCommand('ideogram.openPanel');
        await waitFor(() => provider.isReady, 'the sidebar webview to send "ready"', 30_000);
      } finally {
        delete (provider as Partial<typeof provider>).resolveWebviewView;
      }
      assert.strictEqual(written, 1, 'the view was resolved again and its page written');
    };

    await writeAgain(() => undefined);
    assert.ok(
      !posted.some((message) => message.type === 'state'),
      `the page's own snapshot was current (posted: ${posted.map((message) => message.type).join(', ')})`,
    );

    // Hidden and shown again: VS Code makes the page anew from the same HTML, whose snapshot is old by now.
    posted = [];
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitForPosted('state', () => true, 'a fresh snapshot for the page shown again', 30_000);

    // An entry leaves the gallery after the page was written, before its script says "ready".
    const total = api.sidebar.gallery.size;
    let removed: ReturnType<typeof api.sidebar.gallery.remove>;
    await writeAgain(() => {
      removed = api.sidebar.gallery.remove(entryId);
    });
    try {
      assert.ok(removed, 'the entry was removed while the page loaded');
      const fresh = await waitForPosted('state', () => true, 'a fresh snapshot for the page that missed it');
      assert.strictEqual(fresh.snapshot.galleryRevision, api.sidebar.gallery.revision, 'the current gallery');
      // And the gallery it shows is the smaller one.
      await waitForPosted('galleryPage', (message) => message.total === total - 1, 'the gallery page without it');
    } finally {
      if (removed) await api.sidebar.gallery.restore([removed]);
    }
    // What a page compares: an image added and another removed leave the size as it was, not the revision.
    const before = { size: api.sidebar.gallery.size, revision: api.sidebar.gallery.revision };
    const [again] = await api.sidebar.gallery.restore(
      removed ? [{ ...removed, id: 'same-size-other', imageUri: `${removed.imageUri}?other` }] : [],
    );
    assert.ok(again, 'an entry was added');
    api.sidebar.gallery.remove(entryId);
    assert.strictEqual(api.sidebar.gallery.size, before.size);
    assert.strictEqual(api.sidebar.gallery.revision, before.revision + 2);
    api.sidebar.gallery.remove('same-size-other');
    if (removed) await api.sidebar.gallery.restore([removed]);
  });

  it('turns a generate message into an image file, its recipe sidecar and a gallery entry', async () => {
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => api.sidebar.provider.isReady, 'the sidebar to be ready', 30_000);
    const runId = nextRunId();
    await send({
      type: 'generate',
      runId,
      request: {
        model: 'ideogram-txt-2-img',
        prompt: 'A lighthouse at dawn, flat illustration',
        seed: 4242,
        style_type: 'DESIGN',
        color_palette: { name: 'EMBER' },
      },
    });

    const finished = await waitForPosted('runFinished', (message) => message.runId === runId, 'the run to finish');
    assert.strictEqual(finished.outcome, 'done');
    const item = finished.item as GalleryItemView;
    assert.ok(item, 'the finished run carries the new image');
    assert.ok(
      posted.some(
        (message) => message.type === 'run' && message.run.runId === runId && message.run.status === 'running',
      ),
      'a progress row was shown first',
    );

    // On disk: the image and its recipe.
    const files = await allAssetFiles();
    const image = files.find((file) => file.endsWith('.jpg'));
    assert.ok(image, `an image in assets/ (${files.join(', ')})`);
    assert.deepStrictEqual(files, [image, image.replace(/\.jpg$/, '.ideogram.json')].sort());
    const sidecar = JSON.parse(
      Buffer.from(
        await vscode.workspace.fs.readFile(
          vscode.Uri.joinPath(workspaceFolder().uri, 'assets', image.replace(/\.jpg$/, '.ideogram.json')),
        ),
      ).toString('utf8'),
    );
    assert.deepStrictEqual(sidecar.request, {
      model: 'ideogram-txt-2-img',
      prompt: 'A lighthouse at dawn, flat illustration',
      seed: 4242,
      style_type: 'DESIGN',
      color_palette: { name: 'EMBER' },
      magic_prompt_option: 'AUTO',
      resolution: 'RESOLUTION_1024_1024',
    });
    assert.strictEqual(sidecar.seed, 4242);

    // In the gallery: newest first, with the full recipe, shown through a webview URI (never the bytes).
    assert.ok(api.sidebar.gallery.get(item.id), 'the gallery holds the new entry');
    await send({ type: 'queryGallery', requestId: 'it-q-1', query: 'lighthouse', offset: 0, limit: 10 });
    const page = await waitForPosted('galleryPage', (message) => message.requestId === 'it-q-1', 'the gallery page');
    assert.strictEqual(page.items[0]?.id, item.id);
    assert.strictEqual(page.items[0]?.request.style_type, 'DESIGN');
    assert.strictEqual(page.items[0]?.seed, 4242);
    assert.match(page.items[0]?.src ?? '', /^https?:\/\//, 'a webview resource URI');
    assert.ok(
      posted.some((message) => message.type === 'credits' && message.credits.remaining !== undefined),
      'the remaining credits were sent',
    );

    // Nothing posted to the webview carries the key or image bytes.
    const everything = JSON.stringify(posted);
    assert.ok(!everything.includes(KEY), 'the API key never reaches the webview');
    assert.ok(!/data:image|base64/.test(everything), 'no image bytes through postMessage');
  });

  it('answers "validate" with the request schema\'s problems, on the fields they belong to', async () => {
    await send({
      type: 'validate',
      requestId: 'it-v-1',
      request: { prompt: '   ', seed: 1.5, color_palette: { members: [{ color_hex: 'red' }] } },
    });
    const answer = await waitForPosted(
      'validation',
      (message) => message.requestId === 'it-v-1',
      'the validation answer',
      5_000,
    );
    const paths = answer.problems.map((problem) => problem.path);
    assert.ok(paths.includes('prompt'), paths.join());
    assert.ok(paths.includes('seed'), paths.join());
    assert.ok(
      paths.some((path) => path.startsWith('color_palette')),
      paths.join(),
    );
  });

  it('ignores malformed messages: nothing is posted and nothing is sent to the API', async () => {
    // Posts reach the webview (and onDidPost) only once it is ready: open it, so the silence below means something.
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => api.sidebar.provider.isReady, 'the sidebar to be ready', 30_000);
    posted = [];
    for (const raw of [
      { type: 'generate', runId: 'bad id with spaces', request: { prompt: 'x' } },
      JSON.parse('{"type":"generate","runId":"r1","request":{"prompt":"x","__proto__":{"polluted":true}}}'),
      { type: 'generate', runId: 'r2', request: { prompt: 'x'.repeat(20_000) } },
      { type: 'openTerminal' },
      'ready',
    ]) {
      await send(raw);
    }
    // send() resolves once the handler is done, and a handler posts in order: once this well-formed message is
    // answered, an answer to any of the malformed ones (a run row, a validation) would have been posted before it.
    await send({ type: 'validate', requestId: 'it-after-malformed', request: { prompt: 'x' } });
    await waitForPosted(
      'validation',
      (message) => message.requestId === 'it-after-malformed',
      'the answer to the message after them',
      5_000,
    );
    posted = posted.filter((message) => !(message.type === 'validation' && message.requestId === 'it-after-malformed'));
    // Only unrelated updates may have been posted: the active editor changing, the gallery and the jobs list (the
    // set-up deleted the images of earlier tests: they leave both), the balance and costs (read from Segmind's free
    // balance route whenever the key changes, at any moment).
    assert.deepStrictEqual(
      posted.filter((message) => !['context', 'galleryChanged', 'jobs', 'costs'].includes(message.type)),
      [],
    );
    assert.strictEqual(fake.requests.length, 0);
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
  });

  it('shows an API error inline with the actions that fix it, and Try Again reruns the same request', async () => {
    const runId = nextRunId();
    await send({ type: 'generate', runId, request: { prompt: '[[status:406]] An expensive cathedral' } });
    const failed = await waitForPosted(
      'run',
      (message) => message.run.runId === runId && message.run.status === 'failed',
      'the failed run',
    );
    const error = failed.run.error;
    assert.ok(error);
    assert.match(error.message, /credits/i);
    assert.deepStrictEqual(
      error.actions.map((action) => action.action),
      ['openBilling', 'retry'],
    );
    assert.deepStrictEqual(
      error.actions.map((action) => action.label),
      ['Open Billing Page', 'Try Again'],
    );

    posted = [];
    await send({ type: 'recover', action: 'retry', runId });
    await waitForPosted(
      'run',
      (message) => message.run.runId === runId && message.run.status === 'failed',
      'the retried run to fail again',
    );
    assert.strictEqual(fake.requests.length, 2, 'Try Again sent the request again');

    await send({ type: 'dismissRun', runId });
    await waitForPosted(
      'runFinished',
      (message) => message.runId === runId && message.outcome === 'dismissed',
      'the dismissed row',
    );
  });

  it('Stop Waiting on a submitted generation: the row goes, the job goes on, and its image lands in the gallery', async () => {
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => api.sidebar.provider.isReady, 'the sidebar to be ready', 30_000);
    const runId = nextRunId();
    void send({ type: 'generate', runId, request: { prompt: '[[latency:2500]] A slow harbour at night' } });
    await waitForPosted(
      'run',
      (message) => message.run.runId === runId && message.run.submitted === true,
      'the run to say Segmind has the job',
    );
    await send({ type: 'cancel', runId });
    const finished = await waitForPosted('runFinished', (message) => message.runId === runId, 'the cancelled run');
    assert.strictEqual(finished.outcome, 'cancelled');
    assert.strictEqual(fake.requests.length, 1, 'one submit, never sent again');
    // Segmind cannot cancel: the image is billed, so it is kept.
    const [file] = await waitFor(
      async () => {
        const files = await allAssetFiles();
        return files.length > 0 ? files : undefined;
      },
      'the image to be saved anyway',
      15_000,
    );
    assert.match(file, /a-slow-harbour-at-night/);
    await waitForPosted(
      'jobs',
      (message) => message.jobs.some((job) => job.state === 'saved' && job.prompt.includes('slow harbour')),
      'the jobs list to show it saved',
    );
  });

  it('Cancel before anything reached Segmind is free: nothing is sent', async () => {
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => api.sidebar.provider.isReady, 'the sidebar to be ready', 30_000);
    const runId = nextRunId();
    fake.failNext(429); // the submit waits for the rate limit's reset before trying again: cancel during that wait
    fake.configure({ rateLimitResetMs: 3_000 });
    void send({ type: 'generate', runId, request: { prompt: 'Cancelled while waiting for the rate limit' } });
    await waitForPosted(
      'run',
      (message) => message.run.runId === runId && /Rate limited/.test(message.run.message),
      'the rate-limit wait',
    );
    await send({ type: 'cancel', runId });
    const finished = await waitForPosted('runFinished', (message) => message.runId === runId, 'the cancelled run');
    assert.strictEqual(finished.outcome, 'cancelled');
    // A generation that went on would still be waiting for the reset (then sending): none may be running.
    await waitFor(() => api.service.runningCount === 0 || undefined, 'no generation running', 10_000);
    assert.strictEqual(fake.requests.length, 1, 'only the rate-limited attempt; no job was created');
    assert.strictEqual(fake.jobs.size, 0);
    assert.deepStrictEqual(await allAssetFiles(), []);
  });

  it('runs several generations at once, each with its own row', async () => {
    const runs = [nextRunId(), nextRunId(), nextRunId()];
    await Promise.all(
      runs.map((runId, index) =>
        send({
          type: 'generate',
          runId,
          request: { prompt: `[[latency:400]] Buoy number ${index + 1}`, seed: 100 + index },
        }),
      ),
    );
    for (const runId of runs) {
      assert.ok(
        posted.some(
          (message) => message.type === 'run' && message.run.runId === runId && message.run.status === 'running',
        ),
        `${runId} had its own progress row`,
      );
      const finished = await waitForPosted('runFinished', (message) => message.runId === runId, `${runId} to finish`);
      assert.strictEqual(finished.outcome, 'done');
    }
    const lastStarted = Math.max(
      ...runs.map((runId) => posted.findIndex((message) => message.type === 'run' && message.run.runId === runId)),
    );
    const firstFinished = posted.findIndex((message) => message.type === 'runFinished' && runs.includes(message.runId));
    assert.ok(lastStarted < firstFinished, 'all three were running before the first finished');
    const seeds = new Set(
      posted.flatMap((message) => (message.type === 'runFinished' && message.item ? [message.item.seed] : [])),
    );
    assert.deepStrictEqual([...seeds].sort(), [100, 101, 102]);
    assert.strictEqual((await allAssetFiles()).filter((file) => file.endsWith('.jpg')).length, 3);
  });

  it('says why and what to do when its page cannot be made (the script missing from the extension), and opens again once it is back', async () => {
    const provider = api.sidebar.provider;
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const script = vscode.Uri.joinPath(extension.extensionUri, 'dist', 'webview.js');
    const away = vscode.Uri.joinPath(extension.extensionUri, 'dist', 'webview.js.away');
    const views: vscode.WebviewView[] = [];
    const resolve = provider.resolveWebviewView.bind(provider);
    provider.resolveWebviewView = async (view, ...rest) => {
      views.push(view);
      await resolve(view, ...rest);
    };
    try {
      await vscode.commands.executeCommand(`${SIDEBAR_VIEW}.removeView`);
      await waitFor(() => !provider.isReady || undefined, 'the view to go', 10_000);
      await vscode.workspace.fs.rename(script, away);
      await vscode.commands.executeCommand('ideogram.openPanel');
      const html = await waitFor(
        () => (views.length > 0 && /role="alert"/.test(views[0].webview.html) ? views[0].webview.html : undefined),
        'the page that says why',
        30_000,
      );
      assert.match(html, /The Ideogram sidebar could not be shown: ENOENT[^<]*webview\.js/);
      assert.match(html, /Reinstall the extension \(in a development checkout, run &#34;npm run build&#34;\)/);
      assert.ok(!/<script/i.test(html), 'nothing that runs');
    } finally {
      await vscode.workspace.fs.rename(away, script).then(undefined, () => undefined);
      delete (provider as Partial<typeof provider>).resolveWebviewView;
    }
    // Back: the view opens as usual.
    await vscode.commands.executeCommand(`${SIDEBAR_VIEW}.removeView`);
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => provider.isReady, 'the sidebar to be ready again', 30_000);
  });

  it('hides an image deleted on disk from the gallery (kept in the history, in case it comes back)', async () => {
    const runId = nextRunId();
    await send({ type: 'generate', runId, request: { prompt: 'A gull on a post', seed: 7 } });
    const finished = await waitForPosted('runFinished', (message) => message.runId === runId, 'the run to finish');
    const item = finished.item as GalleryItemView;
    const other = await send({
      type: 'generate',
      runId: nextRunId(),
      request: { prompt: 'A second gull', seed: 8 },
    }).then(
      () =>
        posted.find(
          (message): message is Extract<HostMessage, { type: 'runFinished' }> =>
            message.type === 'runFinished' && message.item?.prompt === 'A second gull',
        )?.item,
    );
    assert.ok(other);
    const jobOf = (uri: string) => api.service.jobs().find((job) => job.savedUri === uri);
    await waitFor(() => jobOf(item.uri), 'the job of the first gull in the jobs list');
    await vscode.workspace.fs.delete(vscode.Uri.parse(item.uri), { useTrash: false });
    await waitForPosted(
      'galleryChanged',
      (message) => message.removedIds.includes(item.id),
      'the entry to leave the gallery',
    );
    const shown = (await api.sidebar.gallery.query('', 0, 1000)).items.map((entry) => entry.id);
    assert.ok(!shown.includes(item.id), 'the deleted image is no longer shown');
    assert.ok(shown.includes(other.id), 'the image still on disk stays');
    // Its job leaves the jobs list too, which would offer Open, Reveal and Insert on a file that is gone.
    assert.strictEqual(jobOf(item.uri), undefined, "the deleted image's job is no longer listed");
    assert.ok(jobOf(other.uri), 'the job of the image still on disk stays');
  });
});
