// A workspace picture put on Segmind for an image action (src/generation/imageInput/): only a regular JPEG, PNG
// or WebP inside the workspace, reached without a link, at most 10 MB, is read; it is uploaded once (after
// consent) to the configured endpoint's upload route with the key, and a second action on the same bytes
// uploads nothing. Whatever goes wrong says what to do, and the key is in no message.
import { STATE_KEY } from '../../src/common/ids';
import { WORKSPACE_STATE_KEY } from '../../src/common/workspaceStateKeys';
import * as assert from 'assert';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { IdeogramError } from '../../src/core/errors';
import { describeFailure } from '../../src/common/errorMessages';
import type { FakeSegmind } from '../fake-segmind/server';
import { activateExtension, type TestingApi, useFakeSegmind, workspaceFolder } from './helpers';

const KEY = 'SG_uploadcheck_5e1d7c9a';
const DIR = 'upload-sources';

describe('image actions: the picture is read safely and uploaded once', function () {
  this.timeout(60_000);
  let api: TestingApi;
  let fake: FakeSegmind;
  const root = () => path.join(workspaceFolder().uri.fsPath, DIR);
  const uri = (name: string) => vscode.Uri.file(path.join(root(), name));
  const target = () => ({ endpoint: fake.endpoint, apiKey: KEY });

  /** A real PNG from the fake's own generator (its bytes are a valid picture of known size). */
  async function writePicture(name: string, seed: number): Promise<Uint8Array> {
    const response = await fetch(fake.endpoint, {
      method: 'POST',
      headers: { 'x-api-key': 'reference', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'source', seed, resolution: 'RESOLUTION_1280_720' }),
    });
    assert.strictEqual(response.status, 200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    await fs.writeFile(path.join(root(), name), bytes);
    return bytes;
  }

  async function refusal(promise: Promise<unknown>): Promise<{ reason: string; message: string }> {
    try {
      await promise;
    } catch (error) {
      // The extension's bundle has its own IdeogramError class: rebuilt here from what it carries, then worded.
      const thrown = error as IdeogramError;
      assert.strictEqual(thrown.name, 'IdeogramError', `an IdeogramError, got ${String(error)}`);
      const rebuilt = new IdeogramError({ kind: thrown.kind, reason: thrown.reason, ...thrown.facts });
      return { reason: thrown.reason ?? thrown.kind, message: describeFailure(rebuilt).message };
    }
    assert.fail('expected a refusal');
  }

  before(async () => {
    api = await activateExtension();
    fake = await useFakeSegmind({ format: 'png' });
    await fs.rm(root(), { recursive: true, force: true });
    await fs.mkdir(root(), { recursive: true });
    // Consent given once for this workspace (what "Upload, and Do Not Ask Again" stores): no modal in this suite.
    await api.state.workspace.update(WORKSPACE_STATE_KEY.uploadConsent, true);
    await api.state.global.update(STATE_KEY.uploads, undefined);
  });

  after(async () => {
    await api.state.workspace.update(WORKSPACE_STATE_KEY.uploadConsent, undefined);
    await fs.rm(root(), { recursive: true, force: true });
    await fake.close();
  });

  it('reads a workspace picture: its bytes, hash, type and pixel size', async () => {
    const bytes = await writePicture('banner.png', 11);
    const source = await api.imageInput.readSourceImage(uri('banner.png'));
    assert.strictEqual(source.workspacePath, `${DIR}/banner.png`);
    assert.strictEqual(source.type, 'png');
    assert.deepStrictEqual(Buffer.from(source.bytes), Buffer.from(bytes));
    assert.match(source.sha256, /^[0-9a-f]{64}$/);
    assert.ok(source.width && source.height && source.width > source.height, `${source.width}×${source.height}`);
  });

  it('uploads to the endpoint’s upload route with the key, once; the same bytes again upload nothing', async () => {
    const before = fake.uploads.length;
    const source = await api.imageInput.readSourceImage(uri('banner.png'));
    const url = await api.imageInput.uploader.urlFor(source, target());
    assert.strictEqual(fake.uploads.length, before + 1);
    const sent = fake.uploads.at(-1)!;
    assert.strictEqual(sent.headers['x-api-key'], KEY);
    assert.ok(fake.assets.has(url), `the fake issued ${url}`);
    assert.match(sent.body, /^\{"data_urls":\["data:image\/png;base64,/);
    const stored = fake.assets.get(url)!;
    assert.strictEqual(stored.contentType, 'image/png');
    assert.deepStrictEqual(stored.bytes, Buffer.from(source.bytes), 'exactly the file’s bytes');
    // A second action on the same picture: the URL is reused, nothing is uploaded.
    const again = await api.imageInput.uploader.urlFor(
      await api.imageInput.readSourceImage(uri('banner.png')),
      target(),
    );
    assert.strictEqual(again, url);
    assert.strictEqual(fake.uploads.length, before + 1, 'no second upload');
  });

  it('accepts the SDK’s answer shape (file_urls) too', async () => {
    fake.configure({ uploadResponseShape: 'file_urls' });
    try {
      await writePicture('other.png', 12);
      const url = await api.imageInput.uploader.urlFor(
        await api.imageInput.readSourceImage(uri('other.png')),
        target(),
      );
      assert.ok(fake.assets.has(url));
    } finally {
      fake.configure({ uploadResponseShape: 'urls' });
    }
  });

  it('refuses a link, a GIF, an SVG, a folder, a file over 10 MB and a file outside the workspace, before any upload', async () => {
    const before = fake.uploads.length;
    const outside = path.join(path.dirname(workspaceFolder().uri.fsPath), 'outside-secret.png');
    await fs.copyFile(path.join(root(), 'banner.png'), outside);
    await fs.symlink(outside, path.join(root(), 'linked.png'));
    await fs.writeFile(path.join(root(), 'anim.gif'), Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
    await fs.writeFile(path.join(root(), 'logo.png'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    await fs.mkdir(path.join(root(), 'folder.png'));
    const big = Buffer.alloc(10 * 1024 * 1024 + 1);
    (await fs.readFile(path.join(root(), 'banner.png'))).copy(big);
    await fs.writeFile(path.join(root(), 'huge.png'), big);
    try {
      const link = await refusal(api.imageInput.readSourceImage(uri('linked.png')));
      assert.strictEqual(link.reason, 'source-link');
      assert.match(link.message, /linked\.png is a link/);
      assert.match(link.message, /Nothing was uploaded or billed/);
      assert.strictEqual((await refusal(api.imageInput.readSourceImage(uri('anim.gif')))).reason, 'unsupported-type');
      const svg = await refusal(api.imageInput.readSourceImage(uri('logo.png')));
      assert.strictEqual(svg.reason, 'unsupported-type');
      assert.match(svg.message, /SVG/);
      assert.strictEqual((await refusal(api.imageInput.readSourceImage(uri('folder.png')))).reason, 'not-a-file');
      const huge = await refusal(api.imageInput.readSourceImage(uri('huge.png')));
      assert.strictEqual(huge.reason, 'source-too-large');
      assert.match(huge.message, /10\.0 MB; Ideogram takes pictures of at most 10 MB/);
      const away = await refusal(api.imageInput.readSourceImage(vscode.Uri.file(outside)));
      assert.strictEqual(away.reason, 'outside-workspace');
      assert.strictEqual(fake.uploads.length, before, 'nothing was uploaded');
    } finally {
      await fs.rm(outside, { force: true });
    }
  });

  it('a refused upload says what happened and what to do; the key is in no message', async () => {
    await writePicture('third.png', 13);
    const source = await api.imageInput.readSourceImage(uri('third.png'));
    fake.failUploadsNext(401);
    const denied = await refusal(api.imageInput.uploader.urlFor(source, target()));
    assert.strictEqual(denied.reason, 'upload-failed');
    assert.match(denied.message, /refused the API key/);
    assert.ok(!denied.message.includes(KEY));
    fake.failUploadsNext(500);
    const broken = await refusal(api.imageInput.uploader.urlFor(source, target()));
    assert.match(broken.message, /HTTP 500/);
    assert.match(broken.message, /Nothing was generated or billed/);
    // And after the failures, it works (nothing was remembered from them).
    const url = await api.imageInput.uploader.urlFor(source, target());
    assert.ok(fake.assets.has(url));
  });
});
