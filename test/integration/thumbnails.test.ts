// Gallery thumbnails in the real extension host: what the webview posts is checked and kept in the extension's
// global storage, offered in the next gallery page, replaced when the image is edited, deleted with the image or
// its entry, and hostile or damaged files in the thumbnail folder never reach the webview nor break the gallery.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { HostMessage } from '../../src/common/protocol';
import { imageKey } from '../../src/core/thumbnails';
import { renderImage } from '../fake-segmind/image';
import { activateExtension, removeAssets, waitFor, workspaceFolder, type TestingApi } from './helpers';

type GalleryPage = Extract<HostMessage, { type: 'galleryPage' }>;

const THUMBNAIL = renderImage(11, 896, 896, 'jpeg', { scale: 0.25 }); // 224 x 224
const PROMPT = 'Thumbnail test: a lighthouse';

describe('Gallery thumbnails', () => {
  let api: TestingApi;
  let folder: string;
  let posted: HostMessage[] = [];
  let subscription: vscode.Disposable | undefined;
  let counter = 0;

  const send = (message: unknown) => api.webview.send(message);
  const thumbnailFiles = () =>
    fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => !name.startsWith('.')) : [];
  /**
   * The stored thumbnails of one entry. The suite's own sidebar is open, and its webview makes thumbnails (WebP) of
   * the tiles it shows, these entries' included, at a time of its own: a check looks at what it posted itself.
   */
  const thumbnailsOf = (entry: { imageUri: string }) =>
    thumbnailFiles().filter((name) => name.startsWith(`${imageKey(entry.imageUri)}-`));
  const sameBytes = (name: string, bytes: Uint8Array) =>
    Buffer.compare(fs.readFileSync(path.join(folder, name)), Buffer.from(bytes)) === 0;

  /** An image file in assets/ and its gallery entry. */
  async function imageEntry(): Promise<{ id: string; imageUri: string; file: string }> {
    const file = path.join(workspaceFolder().uri.fsPath, 'assets', `thumbnail-test-${++counter}.jpg`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, renderImage(counter, 1024, 1024, 'jpeg', { scale: 0.5 }));
    const request = {
      model: 'ideogram-txt-2-img',
      prompt: PROMPT,
      magic_prompt_option: 'AUTO',
      resolution: 'RESOLUTION_1024_1024',
      style_type: 'GENERAL',
    } as const;
    const entry = await api.sidebar.gallery.record({
      uri: vscode.Uri.file(file),
      image: {
        request,
        bytes: new Uint8Array(0),
        type: { format: 'jpeg', extension: 'jpg', mimeType: 'image/jpeg' },
        delivery: 'binary',
      },
      prompt: `${PROMPT} ${counter}`,
      createdAt: new Date(),
    });
    return { id: entry.id, imageUri: entry.imageUri, file };
  }

  /** The gallery page the webview would get: the item of this entry. */
  async function pageItem(id: string) {
    const requestId = `q-thumb-${++counter}`;
    await send({ type: 'queryGallery', requestId, query: PROMPT, offset: 0, limit: 60 });
    const page = await waitFor(
      () =>
        posted.find(
          (message): message is GalleryPage => message.type === 'galleryPage' && message.requestId === requestId,
        ),
      'the gallery page',
    );
    return page.items.find((item) => item.id === id);
  }

  async function postThumbnail(id: string, bytes: Uint8Array): Promise<void> {
    await send({ type: 'thumbnail', entryId: id, data: Buffer.from(bytes).toString('base64') });
  }

  before(async () => {
    api = (await activateExtension()) as TestingApi;
    folder = path.join(api.globalStorageUri.fsPath, 'thumbnails');
    subscription = api.webview.onDidPost((message) => posted.push(message));
    await vscode.commands.executeCommand('ideogram.openPanel');
    await waitFor(() => api.sidebar.provider.isReady, 'the sidebar to be ready', 30_000);
  });
  after(async () => {
    subscription?.dispose();
    await removeAssets();
  });
  beforeEach(() => {
    posted = [];
  });

  it('keeps a thumbnail the webview made in the global storage, and the next page shows it instead of the image', async () => {
    const entry = await imageEntry();
    assert.strictEqual((await pageItem(entry.id))?.thumb, undefined, 'no thumbnail before one was made');
    const imagesBefore = fs.readdirSync(path.dirname(entry.file)).sort();
    await postThumbnail(entry.id, THUMBNAIL);
    const name = await waitFor(() => thumbnailsOf(entry).find((file) => file.endsWith('.jpg')), 'the thumbnail file');
    assert.match(name, /^[0-9a-f]{32}-[0-9a-f]{16}\.jpg$/);
    assert.deepStrictEqual(
      new Uint8Array(fs.readFileSync(path.join(folder, name))),
      new Uint8Array(THUMBNAIL),
      'the bytes as posted',
    );
    const item = await pageItem(entry.id);
    assert.ok(item, 'the entry is listed');
    // This one, or one the open sidebar's webview made of the same image meanwhile: a stored thumbnail of this entry.
    const shown = thumbnailsOf(entry).find((file) => item.thumb?.includes(`/thumbnails/${file}`));
    assert.ok(
      shown,
      `the tile's thumbnail is a stored file of this image (${item.thumb}; stored: ${thumbnailsOf(entry).join(', ')})`,
    );
    assert.ok(item.src.includes('thumbnail-test-'), 'the full image stays available as the fallback');
    assert.deepStrictEqual(
      fs.readdirSync(path.dirname(entry.file)).sort(),
      imagesBefore,
      'nothing written next to the images',
    );
  });

  it('refuses what is not a small image: nothing stored, the tile keeps the full image', async () => {
    const entry = await imageEntry();
    const big = renderImage(12, 896, 896, 'jpeg', { scale: 0.25, targetBytes: 70 * 1024 });
    const huge = Buffer.alloc(64);
    huge.write('RIFF', 0);
    huge.write('WEBP', 8);
    huge.write('VP8X', 12);
    huge.writeUIntLE(15_999, 24, 3);
    huge.writeUIntLE(15_999, 27, 3);
    const refused = [
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      big,
      huge,
      renderImage(12, 1024, 1024, 'jpeg', { scale: 1 }),
    ];
    for (const bytes of refused) await postThumbnail(entry.id, bytes);
    await send({ type: 'thumbnail', entryId: entry.id, data: 'not base64 at all' });
    const stored = thumbnailsOf(entry);
    assert.deepStrictEqual(
      stored.filter((name) => refused.some((bytes) => sameBytes(name, bytes))),
      [],
      'none of what was posted is stored',
    );
    assert.deepStrictEqual(
      stored.filter((name) => !name.endsWith('.webp')),
      [],
      "nothing but what the sidebar's own webview makes (WebP)",
    );
    const thumb = (await pageItem(entry.id))?.thumb;
    assert.ok(
      thumb === undefined || stored.some((name) => thumb.includes(`/thumbnails/${name}`)),
      `the tile keeps the full image, or the webview's own thumbnail (${thumb})`,
    );
  });

  it('an edited image gets a new thumbnail: the old one is not shown and is deleted', async () => {
    const entry = await imageEntry();
    await postThumbnail(entry.id, THUMBNAIL);
    const item = await pageItem(entry.id);
    assert.ok(item?.thumb);
    const oldName = decodeURIComponent(item.thumb.split('/').pop() ?? '');
    fs.appendFileSync(entry.file, Buffer.alloc(10)); // a new size (and time): another version of the image
    assert.strictEqual(
      (await pageItem(entry.id))?.thumb,
      undefined,
      'the old thumbnail is not shown for the edited image',
    );
    assert.ok(!thumbnailFiles().includes(oldName), 'and it is deleted');
    await postThumbnail(entry.id, THUMBNAIL);
    const again = await pageItem(entry.id);
    assert.ok(again?.thumb && !again.thumb.endsWith(oldName), 'a new one under a new name');
  });

  it("never offers a planted link, a large file or garbage under a thumbnail's name, and the gallery still answers", async () => {
    const entry = await imageEntry();
    await postThumbnail(entry.id, THUMBNAIL);
    const stored = await pageItem(entry.id);
    const name = decodeURIComponent(stored?.thumb?.split('/').pop() ?? '');
    assert.ok(name);
    const file = path.join(folder, name);
    const outside = path.join(workspaceFolder().uri.fsPath, 'assets', 'outside.jpg');
    fs.writeFileSync(outside, THUMBNAIL);
    const plants: Array<[string, () => void]> = [
      [
        'a link to a file elsewhere',
        () => {
          fs.rmSync(file);
          fs.symlinkSync(outside, file);
        },
      ],
      [
        'a 1 MB file',
        () => {
          fs.rmSync(file);
          fs.writeFileSync(file, Buffer.alloc(1024 * 1024, 0xff));
        },
      ],
      [
        "garbage of a thumbnail's size",
        () => {
          fs.rmSync(file);
          fs.writeFileSync(file, Buffer.from('<html><script>alert(1)</script></html>'.repeat(100)));
        },
      ],
      [
        'a folder',
        () => {
          fs.rmSync(file);
          fs.mkdirSync(file);
        },
      ],
    ];
    for (const [what, plant] of plants) {
      plant();
      const item = await pageItem(entry.id);
      assert.ok(item, `the entry is still listed with ${what} in the thumbnail folder`);
      assert.strictEqual(item.thumb, undefined, `${what} is not offered as the thumbnail`);
      fs.rmSync(file, { recursive: true, force: true });
      await postThumbnail(entry.id, THUMBNAIL);
      assert.ok((await pageItem(entry.id))?.thumb, `a new thumbnail replaces ${what}`);
    }
    assert.deepStrictEqual(
      new Uint8Array(fs.readFileSync(outside)),
      new Uint8Array(THUMBNAIL),
      'the file the link pointed to is untouched',
    );
  });

  it('deletes the thumbnail with the gallery entry, and when the image file is deleted', async () => {
    const removed = await imageEntry();
    const deleted = await imageEntry();
    await postThumbnail(removed.id, THUMBNAIL);
    await postThumbnail(deleted.id, THUMBNAIL);
    const removedName = decodeURIComponent((await pageItem(removed.id))?.thumb?.split('/').pop() ?? '');
    const deletedName = decodeURIComponent((await pageItem(deleted.id))?.thumb?.split('/').pop() ?? '');
    assert.ok(thumbnailFiles().includes(removedName) && thumbnailFiles().includes(deletedName));
    api.sidebar.gallery.remove(removed.id);
    await waitFor(() => !thumbnailFiles().includes(removedName), "the removed entry's thumbnail to be deleted");
    fs.rmSync(deleted.file);
    // The file watcher tells the gallery, or else the next page the webview asks for finds the file gone.
    await waitFor(
      async () => {
        if (!thumbnailFiles().includes(deletedName)) return true;
        await pageItem(deleted.id);
        await new Promise((resolve) => setTimeout(resolve, 250));
        return !thumbnailFiles().includes(deletedName) || undefined;
      },
      "the deleted image's thumbnail to be deleted",
      20_000,
    );
    assert.strictEqual(await pageItem(deleted.id), undefined, 'and its entry is no longer listed');
  });
});
